//! Facts from text parts that are not logs: pasted AWS CLI command lines, and the box-drawn
//! table of `ssm-cli get-diagnostics --output table`.

use std::sync::OnceLock;

use super::Evidence;
use crate::ingest::{cli, InputKind};
use crate::lines::Cite;
use crate::literals::LiteralSet;
use crate::model::{DiagnosticCheck, Field, Origin, PackageManager, PatchState, PayloadSummary, TextBlock};

impl Evidence {
    pub(super) fn read_text(&mut self, input: usize, kind: InputKind, first_line: u32, text: &str) {
        match kind {
            InputKind::CliCommand => {
                if let Some(command) = cli::parse(text, Cite::new(input, first_line)) {
                    self.cli_commands.push(command);
                }
            }
            InputKind::SsmCliDiagnostics => self.read_diagnostics_table(input, first_line, text),
            _ => {}
        }
    }

    /// Box-drawn `ssm-cli get-diagnostics --output table`: rows continue over several lines.
    fn read_diagnostics_table(&mut self, input: usize, first_line: u32, text: &str) {
        let mut current: Option<DiagnosticCheck> = None;
        for (i, line) in text.lines().enumerate() {
            let cells: Vec<&str> = line.split(['│', '|']).collect();
            if cells.len() < 5 {
                if let Some(done) = current.take() {
                    self.diagnostics.push(done);
                }
                continue;
            }
            let (check, status, note) = (cells[1].trim(), cells[2].trim(), cells[3].trim());
            if check == "Check" && status == "Status" {
                continue;
            }
            match (&mut current, check.is_empty()) {
                (Some(row), true) => {
                    row.note.push(' ');
                    row.note.push_str(note);
                }
                _ => {
                    if let Some(done) = current.take() {
                        self.diagnostics.push(done);
                    }
                    current = Some(DiagnosticCheck {
                        cite: Cite::new(input, first_line + i as u32),
                        check: check.to_string(),
                        status: status.to_string(),
                        note: note.to_string(),
                    });
                }
            }
        }
        if let Some(done) = current {
            self.diagnostics.push(done);
        }
    }
}

/// A text part as a block to match signatures in, with what it says about its node: the ids
/// and host names it names, its package manager, whether it is a macOS run.
pub(super) fn block(
    input: usize,
    kind: Option<InputKind>,
    first_line: u32,
    start: usize,
    end: usize,
    text: &str,
    said: Said,
) -> TextBlock {
    const MAX: usize = 8;
    let mut ids: Vec<String> = Vec::new();
    for (_, id) in super::scan::instance_ids(text) {
        if !ids.iter().any(|i| i == id) && ids.len() < MAX {
            ids.push(id.to_string());
        }
    }
    let mut hosts: Vec<String> = Vec::new();
    // The lines that can name a host, found by searching the whole text (not each line).
    let named: Vec<String> = std::iter::once(SUMMARY_FOR).chain(HOST_PREFIXES).map(String::from).collect();
    for (start, end) in crate::prefilter::lines_containing(text, &named) {
        for host in host_names(&text[start..end]) {
            if !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) && hosts.len() < MAX {
                hosts.push(host.to_string());
            }
        }
    }
    let package_manager = said.package_manager();
    let macos = said.any(&["Product: MacOS", "PatchMacOS", "/opt/aws/ssm/", "Getting system uptime for MacOS"]);
    TextBlock { input, kind, first_line, start, end, ids, hosts, package_manager, macos }
}

/// The package manager a text speaks of, by the words its tools print.
pub fn package_manager_of(text: &str) -> Option<PackageManager> {
    Said::of(text).package_manager()
}

/// The words that say which package manager (or macOS) a text speaks of. Only whether each is
/// said matters: each word is searched for until its first place (memchr's SIMD memmem), which
/// over a 96 MB log took 55 ms where one pass for all of them took 162 (a pass reads every byte
/// to the end, and its words of three letters let it skip two bytes at most).
const SAID_WORDS: [&str; 14] = [
    "dpkg",
    "apt-get",
    "apt.cache",
    "Apt requires",
    "apt_pkg",
    "zypper",
    "ZYpp",
    "yum",
    "dnf",
    "rpm -",
    "Product: MacOS",
    "PatchMacOS",
    "/opt/aws/ssm/",
    "Getting system uptime for MacOS",
];

/// Which of [`SAID_WORDS`] a text holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Said(u32);

impl Said {
    pub fn of(text: &str) -> Said {
        static FINDERS: OnceLock<Vec<memchr::memmem::Finder<'static>>> = OnceLock::new();
        let finders = FINDERS.get_or_init(|| SAID_WORDS.iter().map(memchr::memmem::Finder::new).collect());
        let held = (finders.iter().enumerate())
            .filter(|(_, finder)| finder.find(text.as_bytes()).is_some())
            .fold(0u32, |held, (word, _)| held | 1 << word);
        Said(held)
    }

    /// Whether the text holds `word` (one of [`SAID_WORDS`]).
    pub fn has(self, word: &str) -> bool {
        let at = SAID_WORDS.iter().position(|w| *w == word).expect("a word of SAID_WORDS");
        self.0 & 1 << at != 0
    }

    pub fn any(self, words: &[&str]) -> bool {
        words.iter().any(|w| self.has(w))
    }

    /// apt before zypper before yum: an apt log may name rpm, a zypper log never names dpkg.
    pub fn package_manager(self) -> Option<PackageManager> {
        if self.any(&["dpkg", "apt-get", "apt.cache", "Apt requires", "apt_pkg"]) {
            Some(PackageManager::Apt)
        } else if self.any(&["zypper", "ZYpp"]) {
            Some(PackageManager::Zypper)
        } else if self.any(&["yum", "dnf", "rpm -"]) {
            Some(PackageManager::Yum)
        } else {
            None
        }
    }
}

/// What a line names a host after: the Windows summary's heading, and the prefixes of EC2's
/// Linux and Windows host names.
const SUMMARY_FOR: &str = "Patch Summary for ";
const HOST_PREFIXES: [&str; 2] = ["ip-", "EC2AMAZ-"];

/// Host names in a line: `Patch Summary for <HOST>`, `ip-10-0-1-17`, `EC2AMAZ-…`.
fn host_names(line: &str) -> Vec<&str> {
    fn word(s: &str) -> &str {
        s.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).next().unwrap_or("")
    }
    let mut out = Vec::new();
    if let Some(rest) = line.split(SUMMARY_FOR).nth(1) {
        out.push(word(rest.trim_start()));
    }
    for prefix in HOST_PREFIXES {
        let mut from = 0;
        while let Some(found) = line[from..].find(prefix) {
            let at = from + found;
            from = at + prefix.len();
            if at > 0 && line.as_bytes()[at - 1].is_ascii_alphanumeric() {
                continue;
            }
            let host = word(&line[at..]);
            // ip-a-b-c-d: four numbers after the prefix, as EC2 names hosts.
            let plausible = prefix != "ip-" || host[3..].split('-').filter(|p| p.parse::<u8>().is_ok()).count() == 4;
            if host.len() > prefix.len() && plausible {
                out.push(host);
            }
        }
    }
    let mut unique: Vec<&str> = Vec::new();
    for host in out.into_iter().filter(|h| !h.is_empty()) {
        if !unique.iter().any(|u| u.eq_ignore_ascii_case(host)) {
            unique.push(host);
        }
    }
    unique
}

impl Evidence {
    /// The payload's run summaries in `text`: the Linux line `Installed count: 392, Installed
    /// Other count: 675, Failed count: 0, Not Applicable count: 7766, Missing count: 2,
    /// Installed Rejected count: 0`, or the Windows `Patch Summary` fields (`MissingCount : 2`;
    /// `-1` everywhere means the operation never completed, which is not a count).
    pub(super) fn read_payload_summaries(&mut self, origin: Origin, text: &str, cite: impl Fn(usize) -> Cite) {
        let mut offset = 0;
        let mut windows: Vec<(PatchState, Field<i64>)> = Vec::new();
        let mut windows_at: Option<Cite> = None;
        let mut operation: Option<String> = None;
        // Where the Linux lines' markers are, found in one pass: most lines of a long log
        // have none, and are not searched for each one.
        static MARKERS: OnceLock<LiteralSet> = OnceLock::new();
        let mut marked: Vec<usize> = Vec::new();
        MARKERS
            .get_or_init(|| LiteralSet::new(OPERATION_MARKERS.iter().chain([&LINUX_SUMMARY])))
            .find(text.as_bytes(), |_, at| marked.push(at));
        let mut marks = marked.into_iter().peekable();
        for line in text.split('\n') {
            let at = offset;
            offset += line.len() + 1;
            let mut has_marker = false;
            while marks.next_if(|&m| m < offset).is_some() {
                has_marker = true;
            }
            if !has_marker {
                windows_summary_line(line, at, &mut windows, &mut windows_at, &cite);
                continue;
            }
            // `Running with snapshot id = … and operation = Install`, `OperationType : Scan`
            for marker in OPERATION_MARKERS {
                if let Some(rest) = line.split(marker).nth(1) {
                    let word = rest.trim_start_matches([' ', ':']).split_whitespace().next().unwrap_or("");
                    if word.eq_ignore_ascii_case("Scan") || word.eq_ignore_ascii_case("Install") {
                        operation = Some(word.to_string());
                    }
                }
            }
            if let Some(start) = line.find(LINUX_SUMMARY) {
                let fields = [
                    ("Failed count:", PatchState::Failed),
                    ("Missing count:", PatchState::Missing),
                    ("Installed Rejected count:", PatchState::InstalledRejected),
                    ("Installed Pending Reboot count:", PatchState::InstalledPendingReboot),
                ];
                let rest = &line[start..];
                let counts: Vec<(PatchState, Field<i64>)> = fields
                    .iter()
                    .filter_map(|(label, state)| {
                        let after = rest.split(label).nth(1)?.trim_start();
                        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
                        Some((*state, Field { value: digits.parse().ok()?, cite: cite(at) }))
                    })
                    .collect();
                if !counts.is_empty() {
                    let operation = operation.clone();
                    self.payload_summaries.push(PayloadSummary { cite: cite(at), counts, operation, origin });
                }
                continue;
            }
            windows_summary_line(line, at, &mut windows, &mut windows_at, &cite);
        }
        // All -1: the Windows operation never completed; there is nothing to count.
        if let Some(cite) = windows_at.filter(|_| windows.iter().any(|(_, c)| c.value >= 0)) {
            windows.retain(|(_, c)| c.value >= 0);
            self.payload_summaries.push(PayloadSummary { cite, counts: windows, operation, origin });
        }
    }
}

/// What names the operation: `Running with snapshot id = … and operation = Install`,
/// `OperationType : Scan`.
const OPERATION_MARKERS: [&str; 2] = ["and operation = ", "OperationType"];
/// Where the Linux payload's summary line starts its counts.
const LINUX_SUMMARY: &str = "Installed count:";

/// A line of the Windows `Patch Summary` (`MissingCount : 2`), added to `windows`.
fn windows_summary_line(
    line: &str,
    at: usize,
    windows: &mut Vec<(PatchState, Field<i64>)>,
    windows_at: &mut Option<Cite>,
    cite: impl Fn(usize) -> Cite,
) {
    let windows_fields = [
        ("FailedCount", PatchState::Failed),
        ("MissingCount", PatchState::Missing),
        ("InstalledRejectedCount", PatchState::InstalledRejected),
        ("InstalledPendingRebootCount", PatchState::InstalledPendingReboot),
    ];
    if let Some((name, value)) = line.trim().split_once(':') {
        if let Some((_, state)) = windows_fields.iter().find(|(n, _)| *n == name.trim()) {
            if let Ok(count) = value.trim().parse::<i64>() {
                windows_at.get_or_insert(cite(at));
                windows.push((*state, Field { value: count, cite: cite(at) }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_as_logs_write_them() {
        assert_eq!(host_names("Patch Summary for EC2AMAZ-7K1D3QF"), ["EC2AMAZ-7K1D3QF"]);
        assert_eq!(host_names("ComputerName: ip-10-0-2-44.eu-west-1.compute.internal"), ["ip-10-0-2-44"]);
        assert!(host_names("skip-10-0-2-44 and ip-abc").is_empty());
    }

    /// The markers are found in one pass over the text: each still belongs to its own line
    /// (the operation before a summary, a summary on the last line without a newline).
    #[test]
    fn payload_markers_belong_to_their_lines() {
        let text = "OperationType : Scan\nx\nRunning with snapshot id = s and operation = Install\ny\r\nMissingCount : 1\nz Installed count: 1, Missing count: 4";
        let mut ev = Evidence::default();
        ev.read_payload_summaries(Origin::Block(0), text, |at| {
            Cite::new(0, 1 + crate::lines::newlines(&text.as_bytes()[..at]) as u32)
        });
        let linux = &ev.payload_summaries[0];
        assert_eq!((linux.cite.line, linux.operation.as_deref()), (6, Some("Install")));
        assert_eq!(linux.counts[0].1.value, 4);
        let windows = &ev.payload_summaries[1];
        assert_eq!((windows.cite.line, windows.counts[0].1.value), (5, 1));
    }

    #[test]
    fn payload_summaries_linux_and_windows() {
        let mut ev = Evidence::default();
        let linux = "x\n12/02/2023 21:13:09 root [INFO]: Installed count: 392, Installed Other count: 675, Failed count: 0, Not Applicable count: 7766, Missing count: 2, Installed Rejected count: 0\n";
        ev.read_payload_summaries(Origin::Block(0), linux, |at| {
            Cite::new(0, 1 + crate::lines::newlines(&linux.as_bytes()[..at]) as u32)
        });
        let s = &ev.payload_summaries[0];
        assert_eq!(s.cite.line, 2);
        assert!(s.counts.iter().any(|(st, c)| *st == PatchState::Missing && c.value == 2));
        let windows = "MissingCount : 3\nFailedCount : 0\n";
        ev.read_payload_summaries(Origin::Block(1), windows, |_| Cite::new(1, 1));
        assert_eq!(ev.payload_summaries.len(), 2);
        let incomplete = "MissingCount : -1\nFailedCount : -1\n";
        ev.read_payload_summaries(Origin::Block(2), incomplete, |_| Cite::new(2, 1));
        assert_eq!(ev.payload_summaries.len(), 2, "all -1 is not a summary");
    }

    /// One pass for all the words finds each word exactly where `contains` does, over every
    /// fixture and corpus text, and over texts that hold each word alone.
    #[test]
    fn the_words_said_are_what_contains_finds() {
        let mut texts = crate::test_texts();
        texts.extend(SAID_WORDS.iter().map(|w| format!("x {w} y")));
        texts.push("rpm-build dnf5 ZYp yu m".into());
        let mut held = 0;
        for text in &texts {
            let said = Said::of(text);
            for word in SAID_WORDS {
                assert_eq!(said.has(word), text.contains(word), "{word} in {:.80}", text);
                held += usize::from(said.has(word));
            }
        }
        assert!(held > SAID_WORDS.len() * 2, "{held}");
    }
}
