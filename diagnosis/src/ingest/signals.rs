//! Which kind of text a block is, by the lines that point to each kind (domain.md §A.1b): each
//! signal's matches in the block's sample, times its weight, summed per kind.
//!
//! A signal whose every alternative starts with `^` can only match where a line starts; it is
//! tried there alone, anchored, and the search stops as soon as a line cannot match, instead
//! of reading every byte of the sample. A signal whose every alternative either needs a literal
//! or starts with `^` is not searched at all when none of its literals is in the sample (one
//! pass finds them all) and none of those alternatives matches at a line start.
//! Both count exactly the matches a search of the whole sample counts (a test compares them on
//! every fixture and corpus file); in the worker the twelve whole-sample searches were about a
//! fifth of a pasted 1 MB log's time.

use std::sync::OnceLock;

use super::kind::InputKind;
use crate::literals::{place_of, LiteralSet};
use crate::prefilter;
use crate::regexes::{self, Regex};

/// A signal's matches in a sample count up to this many (enough to outvote any other).
const MAX_HITS: usize = 1000;

pub(crate) struct TextSignal {
    kind: InputKind,
    weight: u32,
    pub(crate) pattern: &'static str,
}

/// Line patterns that point to a text kind (domain.md §A.1b). Weights let a single unmistakable
/// marker (a Windows cmdlet name) outvote generic lines that any platform prints.
pub(crate) const TEXT_SIGNALS: &[TextSignal] = &[
    TextSignal {
        kind: InputKind::AgentLog,
        weight: 3,
        pattern: r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:[.,]\d+)? (?:INFO|WARN|WARNING|ERROR|DEBUG|CRITICAL|TRACE) ",
    },
    TextSignal {
        kind: InputKind::AgentLog,
        weight: 2,
        pattern: r"Health ping failed|\[ssm-agent-worker\]|\[ssm-document-worker\]|\[MessageService\]|\[MessageProcessor\]|amazon-ssm-agent|seelog|RegistrationKey|Entering SSM Agent hibernate|\[instanceID=",
    },
    TextSignal {
        kind: InputKind::PatchLinuxOutput,
        weight: 3,
        pattern: r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} \S+ \[(?:INFO|WARNING|ERROR|DEBUG|CRITICAL)\]",
    },
    TextSignal {
        kind: InputKind::PatchLinuxOutput,
        weight: 2,
        pattern: r"patch-baseline-operations|Unable to download payload|Unable to extract tar file|Unable to load and extract the content of payload|unsupported package manager and python|PatchManagerError|SNIMissingWarning|Package compliance initialized|Instance is (?:Non-)?Compliant|dpkg|yum |dnf |zypper|apt\.cache|Using python binary|Running with snapshot id|_script\.sh|PatchLinux|PatchMacOS",
    },
    TextSignal {
        kind: InputKind::PatchLinuxOutput,
        weight: 1,
        pattern: r"failed\s+to run commands: exit status \d+\s*$|^Traceback \(most recent call last\)",
    },
    TextSignal {
        kind: InputKind::PatchWindowsOutput,
        weight: 5,
        pattern: r"Invoke-PatchBaselineOperation|PatchBaselineOperations|Patch Summary for|-{6,}ERROR-{4,}|PatchWindows|_script\.ps1",
    },
    TextSignal {
        kind: InputKind::PatchWindowsOutput,
        weight: 2,
        pattern: r"^\s*(?:OperationType|InstalledPendingRebootCount|BaselineId|SnapshotId|RebootOption)\s*:|exit status (?:0xffffffff|4294967295)|HRESULT|C:\\ProgramData",
    },
    TextSignal { kind: InputKind::WindowsUpdateOutput, weight: 5, pattern: r"^\| (?:Info|Warning|Error) \| " },
    TextSignal {
        kind: InputKind::WindowsServiceEvents,
        weight: 5,
        pattern: r"Service Control Manager|The AmazonSSMAgent service|service failed to start due to the following error|A timeout was reached \(\d+ milliseconds\)",
    },
    // An instance's serial console (get-console-output --output text, or copied from the
    // console): kernel timestamps, systemd's status column, cloud-init.
    TextSignal { kind: InputKind::ConsoleOutput, weight: 2, pattern: r"^\[\s*\d+\.\d{6}\] " },
    TextSignal {
        kind: InputKind::ConsoleOutput,
        weight: 5,
        pattern: r"^\[\s*(?:OK|FAILED|DEPEND|TIME)\s*\] |^ci-info: |cloud-init\[\d+\]: |Kernel panic - not syncing|You are in emergency mode|UNEXPECTED INCONSISTENCY",
    },
    TextSignal {
        kind: InputKind::SsmCliDiagnostics,
        weight: 5,
        pattern: r"^[│|]\s*Check\s*[│|]\s*Status\s*[│|]\s*Note|ssm-cli get-diagnostics|^[│|]\s*Connectivity to \w+ endpoint",
    },
];

/// A signal, compiled for how it can be counted.
struct Compiled {
    kind: InputKind,
    weight: u32,
    search: Search,
}

enum Search {
    /// The one alternative starts with `^`: [`at_a_line_start`], tried at each line start.
    AtLineStarts(Regex),
    /// Matches anywhere: counted by a search of the whole sample, unless `precheck` shows it
    /// cannot match there.
    Anywhere { re: Regex, precheck: Option<Precheck> },
}

/// What a match of a signal needs: one of its literals in the sample, or one of its
/// alternatives that start with `^` matching at a line start. A signal has one when each of
/// its alternatives either starts with `^` or cannot match without a literal.
struct Precheck {
    /// Places in [`Signals::literals`].
    literals: Vec<usize>,
    /// The alternatives that start with `^` ([`at_a_line_start`]).
    anchored: Option<Regex>,
}

struct Signals {
    signals: Vec<Compiled>,
    /// Every signal's required literals, found in one pass, and how many there are.
    literals: LiteralSet,
    literal_count: usize,
}

fn signals() -> &'static Signals {
    static SIGNALS: OnceLock<Signals> = OnceLock::new();
    SIGNALS.get_or_init(|| {
        let mut all_literals: Vec<String> = Vec::new();
        let signals = TEXT_SIGNALS
            .iter()
            .map(|s| {
                let alternatives = prefilter::split_alternatives(s.pattern);
                let (anchored, free): (Vec<&str>, Vec<&str>) =
                    alternatives.iter().partition(|alternative| alternative.starts_with('^'));
                let search = if free.is_empty() && anchored.len() == 1 {
                    Search::AtLineStarts(at_a_line_start(&anchored))
                } else {
                    let re = regexes::compile(&format!("(?m){}", s.pattern)).expect("text signal regex");
                    let needed: Option<Vec<String>> = free
                        .iter()
                        .map(|alternative| prefilter::required_literals(alternative).map(|mut l| l.remove(0)))
                        .collect();
                    let precheck = needed.map(|needed| Precheck {
                        literals: needed.into_iter().map(|l| place_of(&mut all_literals, l)).collect(),
                        anchored: (!anchored.is_empty()).then(|| at_a_line_start(&anchored)),
                    });
                    Search::Anywhere { re, precheck }
                };
                Compiled { kind: s.kind, weight: s.weight, search }
            })
            .collect();
        Signals { signals, literals: LiteralSet::new(&all_literals), literal_count: all_literals.len() }
    })
}

/// Alternatives that start with `^`, each with `\A` for it, as one pattern: it matches at the
/// start of the text it is given, which the caller makes a line start.
fn at_a_line_start(alternatives: &[&str]) -> Regex {
    let bodies: Vec<&str> = alternatives.iter().map(|a| &a[1..]).collect();
    regexes::compile(&format!("(?m)\\A(?:{})", bodies.join("|"))).expect("text signal regex")
}

/// The kind the sample's signals point to most, if any.
pub(super) fn likeliest_kind(sample: &str) -> Option<InputKind> {
    let mut scores = scores(sample, |re| re.find_iter(sample).take(MAX_HITS).count());
    scores.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scores.first().map(|(kind, _)| *kind)
}

/// Each kind with a signal that matches, and its score; `anywhere` counts a regex's matches in
/// the whole sample.
fn scores(sample: &str, anywhere: impl Fn(&Regex) -> usize) -> Vec<(InputKind, u32)> {
    let signals = signals();
    let mut held = vec![false; signals.literal_count];
    signals.literals.find(sample.as_bytes(), |literal, _| held[literal] = true);
    let line_starts = line_starts(sample);
    let mut scores: Vec<(InputKind, u32)> = Vec::new();
    for signal in &signals.signals {
        let hits = match &signal.search {
            Search::AtLineStarts(re) => at_line_starts(re, sample, &line_starts),
            Search::Anywhere { precheck: Some(needs), .. } if !needs.met(&held, sample, &line_starts) => 0,
            Search::Anywhere { re, .. } => anywhere(re),
        };
        if hits > 0 {
            let points = hits as u32 * signal.weight;
            match scores.iter_mut().find(|(k, _)| *k == signal.kind) {
                Some((_, score)) => *score += points,
                None => scores.push((signal.kind, points)),
            }
        }
    }
    scores
}

/// Where each line of `text` starts (not after a final line end).
fn line_starts(text: &str) -> Vec<usize> {
    prefilter::all_lines(text).into_iter().map(|(start, _)| start).collect()
}

impl Precheck {
    fn met(&self, held: &[bool], sample: &str, line_starts: &[usize]) -> bool {
        self.literals.iter().any(|&l| held[l])
            || self.anchored.as_ref().is_some_and(|re| line_starts.iter().any(|&start| re.is_match(&sample[start..])))
    }
}

/// The matches of an anchored pattern tried at each line start, as a search from the start
/// would find them: the next one starts at a line start at or after the last one's end.
fn at_line_starts(re: &Regex, sample: &str, line_starts: &[usize]) -> usize {
    let mut hits = 0;
    let mut free_from = 0;
    for &start in line_starts {
        if start < free_from {
            continue;
        }
        if let Some(m) = re.find(&sample[start..]) {
            hits += 1;
            free_from = start + m.end();
            if hits == MAX_HITS {
                break;
            }
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a search of the whole sample counts for each signal, the way the signals were
    /// counted before: the oracle for both shortcuts.
    fn counted_everywhere(sample: &str) -> Vec<(InputKind, u32)> {
        let mut scores: Vec<(InputKind, u32)> = Vec::new();
        for s in TEXT_SIGNALS {
            let re = regexes::compile(&format!("(?m){}", s.pattern)).expect("signal");
            let hits = re.find_iter(sample).take(MAX_HITS).count() as u32;
            if hits > 0 {
                match scores.iter_mut().find(|(k, _)| *k == s.kind) {
                    Some((_, score)) => *score += hits * s.weight,
                    None => scores.push((s.kind, hits * s.weight)),
                }
            }
        }
        scores
    }

    #[test]
    fn the_shortcuts_count_what_a_whole_search_counts() {
        let mut texts = crate::test_texts();
        // Matches that run over a line end, lines that start a match inside another, no final
        // newline, a first line that matches, CRLF.
        texts.push("[  OK  ] Started\n[  1.000000] x\r\n| Info | a\n| Error | b".into());
        texts
            .push("2024-01-01 10:00:00 INFO a\n2024-01-01 10:00:00 INFO b\n07/07/2022 15:52:29 root [ERROR]: c".into());
        texts.push("|  Check | Status | Note\n| Connectivity to ssm endpoint".into());
        let mut matched = 0;
        for text in &texts {
            let mut fast = scores(text, |re| re.find_iter(text).take(MAX_HITS).count());
            let mut slow = counted_everywhere(text);
            fast.sort();
            slow.sort();
            assert_eq!(fast, slow, "{:.120}", text);
            matched += usize::from(!slow.is_empty());
        }
        assert!(matched > 50, "{matched} texts with a signal");
    }

    /// A match that runs over line ends hides the line starts inside it, as it does from a
    /// search of the whole text (no signal today can, but one may).
    #[test]
    fn a_match_over_several_lines_hides_the_line_starts_inside_it() {
        let anchored = regexes::compile(r"(?m)\Aa\s*a").expect("pattern");
        let whole = regexes::compile(r"(?m)^a\s*a").expect("pattern");
        for text in ["a\na\na", "a\n\na\na\na", "b\na\na\n"] {
            assert_eq!(at_line_starts(&anchored, text, &line_starts(text)), whole.find_iter(text).count(), "{text:?}");
        }
    }

    #[test]
    fn both_shortcuts_are_taken() {
        let signals = signals();
        let anchored = signals.signals.iter().filter(|s| matches!(s.search, Search::AtLineStarts(_))).count();
        let prechecked =
            signals.signals.iter().filter(|s| matches!(&s.search, Search::Anywhere { precheck: Some(_), .. })).count();
        assert!(anchored >= 4 && prechecked >= 6, "{anchored} anchored, {prechecked} prechecked");
        let searches = |sample: &str| {
            let searched = std::cell::Cell::new(0);
            scores(sample, |_| {
                searched.set(searched.get() + 1);
                0
            });
            searched.get()
        };
        // A sample that meets no precheck searches only the signals without one.
        assert_eq!(searches("2024-01-01 10:00:00 INFO a\n"), TEXT_SIGNALS.len() - anchored - prechecked);
        // A line that starts as a mixed signal's anchored alternative does, a literal too.
        assert_eq!(searches("x\nOperationType : Scan\n"), TEXT_SIGNALS.len() - anchored - prechecked + 1);
        assert_eq!(searches("x HRESULT x\n"), TEXT_SIGNALS.len() - anchored - prechecked + 1);
    }
}
