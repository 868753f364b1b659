//! Catalogue signatures (domain.md §B): the lines of logs, command output and association
//! status fields, matched against each entry's proving and weak lines, in the context the
//! entry asks for, and tied to the node the text is about.
//!
//! A proving line earns the entry its role; weak lines alone earn at most a check that names
//! what would confirm it; a later recovery line, or the node reported Online, turns a finding
//! into a note. Named groups of the matching line (`(?P<bucket>…)`) become values of its texts
//! and commands.

use std::collections::BTreeMap;

use super::nodes::{block_node, the_only_node, Attribution};
use super::{Strength, Tree, Var, Vars};
use crate::evidence::{log_prefix, package_manager_of, PackageManager};
use crate::ingest::{Input, InputKind};
use crate::knowledge::{Knowledge, Pattern, Signature, Within};
use crate::literals::Hits;
use crate::model::{Cite, LogLevel};
use rustc_hash::FxHashSet;

/// At most this many matching lines are cited per finding; the rest add nothing a reader needs.
const MAX_CITES: usize = 6;

/// A text to match line by line: where its lines are cited, what kind of text it is, and the
/// node it belongs to.
struct ScanSource<'a> {
    text: &'a str,
    origin: Origin<'a>,
    attribution: Attribution,
    /// The output of an AWS-RunPatchBaseline(-like) run.
    patch_run: bool,
    /// The SSM Agent's own log.
    agent_log: bool,
    /// The output of AWS-InstallWindowsUpdates.
    windows_update_run: bool,
    /// An instance's console output.
    console: bool,
    /// A run the agent stopped (timed out or cancelled): its 128+n exit codes are the signal.
    stopped: bool,
    /// The package manager the text speaks of, when it says.
    family: Option<PackageManager>,
}

/// Where a scanned text's lines are cited.
enum Origin<'a> {
    /// A block of an input starting at this byte offset: each line is cited as itself.
    Block { of: &'a Input, input: usize, offset: usize },
    /// A field of a document (command output, an execution summary): every line cites it.
    Field(Cite),
}

impl ScanSource<'_> {
    fn cite(&self, start: usize) -> Cite {
        match self.origin {
            Origin::Block { of, input, offset } => Cite::new(input, of.line_of(offset + start)),
            // The line of the field's value that matched, for the report to quote.
            Origin::Field(cite) => cite.within(1 + crate::lines::newlines(&self.text.as_bytes()[..start]) as u32),
        }
    }

    fn input(&self) -> usize {
        match self.origin {
            Origin::Block { input, .. } => input,
            Origin::Field(cite) => cite.input(),
        }
    }

    fn counts_for(&self, within: Within, family: Option<PackageManager>) -> bool {
        let family_fits = match (family, self.family) {
            (Some(wanted), Some(known)) => wanted == known,
            _ => true,
        };
        // A console output speaks of the boot: only its own entries read it (a full disk there
        // is not a patch run's full disk).
        family_fits
            && match within {
                Within::Any => !self.console,
                Within::PatchRun => self.patch_run,
                Within::AgentLog => self.agent_log,
                Within::WindowsUpdateRun => self.windows_update_run,
                Within::ConsoleOutput => self.console,
            }
    }
}

/// What one node's texts showed for one entry.
#[derive(Default)]
struct Seen {
    proving: Vec<Cite>,
    weak: Vec<Cite>,
    /// Every line that matched, cited or not.
    matched: Vec<Cite>,
    recovered: bool,
    captures: Vars,
}

/// Adds a finding for each signature a node's texts show, and returns every line those findings
/// rest on: a finding cites at most [`MAX_CITES`] of them, and the rest are known too.
pub fn run(tree: &mut Tree) -> FxHashSet<Cite> {
    let mut known: FxHashSet<Cite> = FxHashSet::default();
    let sources = scan_sources(tree);
    let knowledge = Knowledge::get();
    // Each text is searched once for every literal the patterns need, not once per pattern.
    let hits: Vec<Hits> = sources.iter().map(|s| knowledge.literal_hits(s.text)).collect();
    for signature in &knowledge.signatures {
        let entry = &knowledge.entries[signature.entry];
        // Per node (in the order first seen), what the texts show.
        let mut by_node: BTreeMap<(usize, Option<String>), Seen> = BTreeMap::new();
        let mut order = 0;
        let mut first_seen: Vec<(Option<String>, usize)> = Vec::new();
        for (source, hits) in sources.iter().zip(&hits).filter(|(s, _)| s.counts_for(entry.within, entry.family)) {
            let found = scan(source, hits, signature, entry.level, entry.unless_stopped);
            if found.proving.is_empty() && found.weak.is_empty() {
                continue;
            }
            let node = source.attribution.node().map(str::to_string);
            if source.attribution == Attribution::Ambiguous {
                tree.unattributed.push(source.input());
            }
            let at = match first_seen.iter().find(|(n, _)| *n == node) {
                Some((_, at)) => *at,
                None => {
                    order += 1;
                    first_seen.push((node.clone(), order));
                    order
                }
            };
            let seen = by_node.entry((at, node)).or_default();
            let room = MAX_CITES.saturating_sub(seen.proving.len());
            seen.proving.extend(found.proving.into_iter().take(room));
            let room = MAX_CITES.saturating_sub(seen.proving.len() + seen.weak.len());
            seen.weak.extend(found.weak.into_iter().take(room));
            seen.matched.extend(found.matched);
            seen.recovered |= found.recovered;
            if seen.captures.is_empty() {
                seen.captures = found.captures;
            }
        }
        for ((_, node), seen) in by_node {
            let online = entry.cancelled_if_online && tree.is_online(node.as_deref());
            let strength = match (seen.proving.is_empty(), seen.recovered || online) {
                (false, true) => Strength::Recovered,
                (false, false) => Strength::Proven,
                (true, _) if entry.alone.is_some() => Strength::Weak,
                (true, _) => continue,
            };
            let mut slots = tree.slots(node.as_deref());
            let region = slots.region.as_ref().map_or_else(|| "<region>".to_string(), |r| r.to_string());
            // Values a signature does not capture take the entry's defaults at report time.
            let mut vars: Vars = vec![("region", region.into())];
            for (name, value) in &seen.captures {
                if let Var::Text(text) = value {
                    slots.capture(name, text);
                }
            }
            vars.extend(seen.captures);
            let mut cites = seen.proving;
            cites.extend(seen.weak);
            known.extend(seen.matched);
            tree.add_with_strength(entry.code, node.as_deref(), vars, cites, slots, strength);
        }
    }
    known
}

/// What one text shows for one signature.
#[derive(Default)]
struct Found {
    proving: Vec<Cite>,
    weak: Vec<Cite>,
    /// Every proving and weak line, past the first [`MAX_CITES`] too.
    matched: Vec<Cite>,
    recovered: bool,
    captures: Vars,
}

/// The knowledge base lives for the program's life, so the names of its capture groups can name
/// a finding's values.
fn scan(
    source: &ScanSource,
    hits: &Hits,
    signature: &'static Signature,
    level: Option<LogLevel>,
    unless_stopped: bool,
) -> Found {
    let mut found = Found::default();
    let level_ok = |line: &str| match (level, log_prefix(line)) {
        (Some(needed), Some((_, got))) => got >= needed,
        _ => true,
    };
    let matching = |patterns: &[Pattern]| -> Vec<(usize, usize, usize)> {
        let mut lines: Vec<(usize, usize, usize)> = Vec::new();
        for (p, pattern) in patterns.iter().enumerate() {
            for (s, e) in pattern.lines(source.text, hits) {
                if pattern.regex.is_match(&source.text[s..e]) && level_ok(&source.text[s..e]) {
                    lines.push((s, e, p));
                }
            }
        }
        lines.sort_unstable();
        lines.dedup_by_key(|(s, _, _)| *s);
        lines
    };
    let proving = matching(&signature.proving);
    let weak = if unless_stopped && source.stopped { Vec::new() } else { matching(&signature.weak) };
    if proving.is_empty() && weak.is_empty() {
        return found;
    }
    // Values the entry's texts use, from the first matching line that has them.
    for &(s, e, p) in proving.iter().chain(&weak) {
        let pattern = if proving.iter().any(|l| l.0 == s) { &signature.proving[p] } else { &signature.weak[p] };
        if let Some(groups) = pattern.regex.captures(&source.text[s..e]) {
            for name in pattern.regex.capture_names().flatten() {
                if let Some(m) = groups.name(name) {
                    if !found.captures.iter().any(|(k, _)| *k == name) {
                        found.captures.push((name, m.as_str().to_string().into()));
                    }
                }
            }
        }
    }
    // A recovery after the first proving line cancels it.
    if let Some(&(first, _, _)) = proving.first() {
        found.recovered =
            !signature.cancelling.is_empty() && matching(&signature.cancelling).iter().any(|(s, _, _)| *s > first);
    }
    found.matched = proving.iter().chain(&weak).map(|(s, _, _)| source.cite(*s)).collect();
    found.proving = proving.iter().take(MAX_CITES).map(|(s, _, _)| source.cite(*s)).collect();
    found.weak = weak.iter().take(MAX_CITES).map(|(s, _, _)| source.cite(*s)).collect();
    found.proving.dedup();
    found.weak.retain(|c| !found.proving.contains(c));
    found.weak.dedup();
    found
}

fn scan_sources<'a>(tree: &Tree<'a>) -> Vec<ScanSource<'a>> {
    let ev = tree.ev;
    let mut sources = Vec::new();
    for block in &ev.text_blocks {
        if matches!(block.kind, Some(InputKind::CliCommand | InputKind::SsmCliDiagnostics | InputKind::PatchReportCsv))
        {
            continue;
        }
        let input = &tree.inputs[block.input];
        sources.push(ScanSource {
            text: &input.text[block.start..block.end],
            origin: Origin::Block { of: input, input: block.input, offset: block.start },
            attribution: block_node(ev, block),
            patch_run: matches!(block.kind, Some(InputKind::PatchLinuxOutput | InputKind::PatchWindowsOutput)),
            agent_log: block.kind == Some(InputKind::AgentLog),
            windows_update_run: block.kind == Some(InputKind::WindowsUpdateOutput),
            console: block.kind == Some(InputKind::ConsoleOutput),
            stopped: false,
            family: block.package_manager,
        });
    }
    for console in &ev.console_outputs {
        sources.push(ScanSource {
            text: &console.output.value,
            origin: Origin::Field(console.output.cite),
            attribution: match Some(console.instance_id.as_str()).filter(|n| !n.is_empty()) {
                Some(id) => Attribution::Node(id.to_string()),
                None => the_only_node(ev),
            },
            patch_run: false,
            agent_log: false,
            windows_update_run: false,
            console: true,
            stopped: false,
            family: None,
        });
    }
    for run in &ev.command_runs {
        let attribution = match run.instance_ids.first() {
            Some(id) => Attribution::Node(id.clone()),
            None => the_only_node(ev),
        };
        let status = run.status.value.to_ascii_lowercase();
        let details = run.status_details.as_deref().unwrap_or("").to_ascii_lowercase();
        let stopped =
            ["timedout", "cancelled", "canceled"].iter().any(|s| status == *s || details.replace(' ', "").contains(s));
        for output in [&run.output, &run.error_output].into_iter().flatten() {
            sources.push(ScanSource {
                text: &output.value,
                origin: Origin::Field(output.cite),
                attribution: attribution.clone(),
                patch_run: super::is_patch_document(&run.document.value),
                agent_log: false,
                windows_update_run: run.document.value == "AWS-InstallWindowsUpdates",
                console: false,
                stopped,
                family: package_manager_of(&output.value),
            });
        }
    }
    for row in &ev.association_statuses {
        let attribution = match Some(row.instance_id.as_str()).filter(|n| !n.is_empty()) {
            Some(id) => Attribution::Node(id.to_string()),
            None => the_only_node(ev),
        };
        for field in [&row.error_code, &row.execution_summary].into_iter().flatten() {
            sources.push(ScanSource {
                text: &field.value,
                origin: Origin::Field(field.cite),
                attribution: attribution.clone(),
                patch_run: false,
                agent_log: false,
                windows_update_run: false,
                console: false,
                stopped: false,
                family: None,
            });
        }
    }
    sources
}

/// Error lines of the logs that no finding rests on: one check per input, pointing at them, so
/// an unknown failure is not silently ignored. `known` are the lines signatures matched (a
/// finding cites only its first few).
pub fn unrecognised_errors(tree: &mut Tree, known: &FxHashSet<Cite>) {
    let ev = tree.ev;
    if !ev.log_events.iter().any(|e| e.level == LogLevel::Error) {
        return;
    }
    let cited: FxHashSet<Cite> = tree.findings.iter().flat_map(|f| f.evidence.iter().copied()).collect();
    // The moment of each cited error line: the lines logged in that same second are its
    // aftermath ("install status Failed" right after the dpkg lock), already explained.
    let explained_at: rustc_hash::FxHashSet<(usize, i64)> = ev
        .log_events
        .iter()
        .filter(|e| cited.contains(&e.cite))
        .filter_map(|e| e.time.map(|t| (e.cite.input(), t.floor() as i64)))
        .collect();
    let explained = |e: &crate::model::LogEvent| {
        cited.contains(&e.cite) || e.time.is_some_and(|t| explained_at.contains(&(e.cite.input(), t.floor() as i64)))
    };
    // The aftermath of a cited line is quoted by the finding that cites it: no error line passes
    // silently, and it stays one finding.
    let second_of: rustc_hash::FxHashMap<Cite, i64> =
        ev.log_events.iter().filter_map(|e| e.time.map(|t| (e.cite, t.floor() as i64))).collect();
    let mut owner: rustc_hash::FxHashMap<(usize, i64), usize> = rustc_hash::FxHashMap::default();
    for (at, finding) in tree.findings.iter().enumerate() {
        for cite in &finding.evidence {
            if let Some(&second) = second_of.get(cite) {
                owner.entry((cite.input(), second)).or_insert(at);
            }
        }
    }
    let mut by_input: BTreeMap<usize, Vec<Cite>> = BTreeMap::new();
    for event in ev.log_events.iter().filter(|e| e.level == LogLevel::Error && !cited.contains(&e.cite)) {
        let second = event.time.map(|t| (event.cite.input(), t.floor() as i64));
        match second.and_then(|s| owner.get(&s)).filter(|_| explained(event)) {
            Some(&at) if tree.findings[at].evidence.len() < 2 * MAX_CITES => {
                tree.findings[at].evidence.push(event.cite)
            }
            Some(_) => {}
            // A line a signature matched past its finding's citations is known.
            None if known.contains(&event.cite) => {}
            None => by_input.entry(event.cite.input()).or_default().push(event.cite),
        }
    }
    let node = the_only_node(ev);
    for (_, cites) in by_input {
        let count = cites.len();
        let slots = tree.slots(node.node());
        let shown: Vec<Cite> = cites.into_iter().take(MAX_CITES).collect();
        tree.add(
            crate::knowledge::Code::UnrecognisedLogErrors,
            node.node(),
            &[("count", count.to_string())],
            shown,
            slots,
        );
    }
}
