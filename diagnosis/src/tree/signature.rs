//! Catalogue signatures (domain.md §B): every text line of logs, command output and association
//! status fields is matched against the knowledge base's patterns.

use super::Tree;
use crate::ingest::InputKind;
use crate::knowledge::{Code, Knowledge, Pattern};
use crate::lines::LineIndex;
use crate::model::{Cite, LogLevel};

/// At most this many matching lines are cited per finding; the rest add nothing a reader needs.
const MAX_CITES: usize = 6;

pub fn run(tree: &mut Tree) {
    let sources = scan_sources(tree);
    let knowledge = Knowledge::get();
    for (index, patterns) in &knowledge.signatures {
        let entry = &knowledge.entries[*index];
        // Group matches by node so each node gets its own finding.
        let mut by_node: Vec<(Option<String>, Vec<Cite>)> = Vec::new();
        for source in &sources {
            for cite in matching_lines(source, patterns) {
                match by_node.iter_mut().find(|(n, _)| *n == source.node) {
                    Some((_, cites)) if cites.len() < MAX_CITES => cites.push(cite),
                    Some(_) => {}
                    None => by_node.push((source.node.clone(), vec![cite])),
                }
            }
        }
        for (node, cites) in by_node {
            let slots = tree.slots(node.as_deref());
            let region = slots.region.as_ref().map_or_else(|| "<region>".to_string(), |r| r.to_string());
            tree.add(entry.code, node.as_deref(), &[("region", region)], cites, slots);
        }
    }
}

/// A text to match line by line, where its lines are cited, and the node it belongs to.
struct ScanSource<'a> {
    text: &'a str,
    origin: Origin<'a>,
    node: Option<String>,
}

/// Where a scanned text's lines are cited.
enum Origin<'a> {
    /// A block of an input starting at this byte offset: each line is cited as itself.
    Block { lines: &'a LineIndex, input: usize, offset: usize },
    /// A field of a document (command output, an execution summary): every line cites it.
    Field(Cite),
}

/// The lines of a source that match any pattern, as citations, in order.
fn matching_lines(source: &ScanSource, patterns: &[Pattern]) -> Vec<Cite> {
    let cite_of = |start: usize| match source.origin {
        Origin::Block { lines, input, offset } => Cite { input, line: lines.line_of(offset + start) },
        Origin::Field(cite) => cite,
    };
    let mut starts: Vec<usize> = Vec::new();
    for pattern in patterns {
        let lines = match &pattern.literals {
            Some(literals) => crate::prefilter::lines_containing(source.text, literals),
            None => all_lines(source.text),
        };
        starts.extend(lines.into_iter().filter(|(s, e)| pattern.regex.is_match(&source.text[*s..*e])).map(|(s, _)| s));
    }
    starts.sort_unstable();
    starts.dedup();
    starts.truncate(MAX_CITES);
    starts.into_iter().map(cite_of).collect()
}

fn all_lines(text: &str) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            lines.push((start, i));
            start = i + 1;
        }
    }
    if start < text.len() {
        lines.push((start, text.len()));
    }
    lines
}

fn scan_sources<'a>(tree: &Tree<'a>) -> Vec<ScanSource<'a>> {
    let ev = tree.ev;
    let single_node = match ev.context.instance_ids.as_slice() {
        [one] => Some(one.value.clone()),
        _ => None,
    };
    let mut sources = Vec::new();
    for block in &ev.text_blocks {
        if matches!(block.kind, Some(InputKind::CliCommand | InputKind::SsmCliDiagnostics | InputKind::PatchReportCsv))
        {
            continue;
        }
        let input = &tree.inputs[block.input];
        let text = &input.text[block.start..block.end];
        let origin = Origin::Block { lines: input.lines(), input: block.input, offset: block.start };
        sources.push(ScanSource { text, origin, node: single_node.clone() });
    }
    for run in &ev.command_runs {
        let node = run.instance_ids.first().cloned().or_else(|| single_node.clone());
        for output in [&run.output, &run.error_output].into_iter().flatten() {
            sources.push(ScanSource { text: &output.value, origin: Origin::Field(output.cite), node: node.clone() });
        }
    }
    for row in &ev.association_statuses {
        let node = Some(row.instance_id.clone()).filter(|n| !n.is_empty());
        for field in [&row.error_code, &row.execution_summary].into_iter().flatten() {
            sources.push(ScanSource { text: &field.value, origin: Origin::Field(field.cite), node: node.clone() });
        }
    }
    sources
}

/// Error lines of the logs that no finding cites: one check per input, pointing at them, so an
/// unknown failure is not silently ignored.
pub fn unrecognised_errors(tree: &mut Tree) {
    let ev = tree.ev;
    let cited: std::collections::HashSet<Cite> =
        tree.findings.iter().flat_map(|f| f.evidence.iter().copied()).collect();
    let mut by_input: std::collections::BTreeMap<usize, Vec<Cite>> = std::collections::BTreeMap::new();
    for event in ev.log_events.iter().filter(|e| e.level == LogLevel::Error && !cited.contains(&e.cite)) {
        by_input.entry(event.cite.input).or_default().push(event.cite);
    }
    let single_node = match ev.context.instance_ids.as_slice() {
        [one] => Some(one.value.clone()),
        _ => None,
    };
    for (_, cites) in by_input {
        let count = cites.len();
        let slots = tree.slots(single_node.as_deref());
        let shown: Vec<Cite> = cites.into_iter().take(MAX_CITES).collect();
        tree.add(Code::UnrecognisedLogErrors, single_node.as_deref(), &[("count", count.to_string())], shown, slots);
    }
}
