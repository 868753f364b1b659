//! Catalogue signatures (domain.md §B): every text line of logs, command output and association
//! status fields is matched against the knowledge base's patterns.

use super::Tree;
use crate::ingest::InputKind;
use crate::knowledge::Knowledge;
use crate::model::Cite;

/// At most this many matching lines are cited per finding; the rest add nothing a reader needs.
const MAX_CITES: usize = 6;

/// A line to match, where it came from, and the node it belongs to (if known).
struct ScanLine<'a> {
    text: &'a str,
    cite: Cite,
    node: Option<String>,
}

pub fn run(tree: &mut Tree) {
    let lines = scan_lines(tree);
    let knowledge = Knowledge::get();
    for (index, patterns) in &knowledge.signatures {
        let entry = &knowledge.entries[*index];
        // Group matches by node so each node gets its own finding.
        let mut by_node: Vec<(Option<String>, Vec<Cite>)> = Vec::new();
        for line in &lines {
            if patterns.iter().any(|re| re.is_match(line.text)) {
                match by_node.iter_mut().find(|(n, _)| *n == line.node) {
                    Some((_, cites)) if cites.len() < MAX_CITES => cites.push(line.cite),
                    Some(_) => {}
                    None => by_node.push((line.node.clone(), vec![line.cite])),
                }
            }
        }
        for (node, cites) in by_node {
            let slots = tree.slots(node.as_deref());
            let region = slots.region.clone().unwrap_or_else(|| "<region>".to_string());
            tree.add(&entry.code, node.as_deref(), &[("region", region)], cites, slots);
        }
    }
}

fn scan_lines<'a>(tree: &Tree<'a>) -> Vec<ScanLine<'a>> {
    let ev = tree.ev;
    let single_node = match ev.context.instance_ids.as_slice() {
        [one] => Some(one.value.clone()),
        _ => None,
    };
    let mut lines = Vec::new();
    for block in &ev.text_blocks {
        if matches!(block.kind, Some(InputKind::CliCommand | InputKind::SsmCliDiagnostics | InputKind::PatchReportCsv))
        {
            continue;
        }
        let text = &tree_input_text(tree, block.input)[block.start..block.end];
        for (i, line) in text.lines().enumerate() {
            lines.push(ScanLine {
                text: line,
                cite: Cite { input: block.input, line: block.first_line + i as u32 },
                node: single_node.clone(),
            });
        }
    }
    for run in &ev.command_runs {
        let node = run.instance_ids.first().cloned().or_else(|| single_node.clone());
        for output in [&run.output, &run.error_output].into_iter().flatten() {
            for line in output.value.lines() {
                lines.push(ScanLine { text: line, cite: output.cite, node: node.clone() });
            }
        }
    }
    for list in &ev.association_status_lists {
        for row in &list.rows {
            let node = Some(row.instance_id.clone()).filter(|n| !n.is_empty());
            for field in [&row.error_code, &row.execution_summary].into_iter().flatten() {
                lines.push(ScanLine { text: &field.value, cite: field.cite, node: node.clone() });
            }
        }
    }
    lines
}

fn tree_input_text<'a>(tree: &Tree<'a>, input: usize) -> &'a str {
    tree.texts.get(input).copied().unwrap_or("")
}
