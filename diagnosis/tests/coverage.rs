//! docs/coverage.md is true: every item a source can say, as the table classifies it. Each row's
//! sample is diagnosed on its own; an `entry` row must give a finding with its ref (at whatever
//! strength the line earns), a `benign` row no cause. A row that stops being true fails here, so
//! the table cannot drift from what the tool does.

use diagnosis::{diagnose, Lang, Source};

struct Row {
    section: String,
    item: String,
    sample: String,
    class: String,
    reference: String,
}

/// The table cells of a Markdown row, with `\|` kept inside a cell.
fn cells(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = line.trim().trim_start_matches('|').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell).trim().to_string()),
            c => cell.push(c),
        }
    }
    cells
}

fn rows() -> Vec<Row> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/coverage.md")).unwrap();
    let mut section = String::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            section = title.to_string();
            continue;
        }
        let c = cells(line);
        if !line.starts_with('|') || c.len() != 5 || c[3] == "class" || c[0].starts_with("---") {
            continue;
        }
        let sample = c[2].trim_matches('`').replace("\\n", "\n");
        rows.push(Row {
            section: section.clone(),
            item: format!("{} {}", c[0], c[1]),
            sample,
            class: c[3].clone(),
            reference: c[4].clone(),
        });
    }
    rows
}

#[test]
fn every_row_of_the_coverage_table_is_what_the_tool_does() {
    let rows = rows();
    let mut problems = Vec::new();
    for row in &rows {
        let report = diagnose(&[Source { name: "sample", bytes: row.sample.as_bytes() }], Lang::En);
        let findings: Vec<String> =
            report.findings.iter().map(|f| format!("{} {}", f.reference, f.role.name())).collect();
        match row.class.as_str() {
            "entry" => {
                if !report.findings.iter().any(|f| f.reference == row.reference) {
                    problems
                        .push(format!("{}: {}: expected {}, got {findings:?}", row.section, row.item, row.reference));
                }
                // A line is evidence of its own failure only: no other cause may come with it.
                if let Some(f) =
                    report.findings.iter().find(|f| f.role.name() == "cause" && f.reference != row.reference)
                {
                    problems.push(format!("{}: {}: also gave the cause {}", row.section, row.item, f.reference));
                }
            }
            "benign" => {
                if let Some(f) = report.findings.iter().find(|f| f.role.name() == "cause") {
                    problems.push(format!("{}: {}: benign, but gave the cause {}", row.section, row.item, f.reference));
                }
                if row.reference.is_empty() {
                    problems.push(format!("{}: {}: a benign row says why", row.section, row.item));
                }
            }
            "out of scope" if !row.reference.is_empty() => {}
            other => problems.push(format!(
                "{}: {}: class `{other}` (entry, benign or out of scope, with why)",
                row.section, row.item
            )),
        }
    }
    assert!(problems.is_empty(), "{} of {} rows:\n{}", problems.len(), rows.len(), problems.join("\n"));
}

#[test]
fn the_table_covers_each_source_it_names() {
    let rows = rows();
    for section in [
        "The SSM Agent",
        "API errors",
        "Status values",
        "Windows Update result codes",
        "Package managers",
        "AWS-RunPatchBaseline on Linux",
        "Console output",
    ] {
        let n = rows.iter().filter(|r| r.section == section).count();
        assert!(n >= 10, "{section}: {n} rows");
    }
}
