//! The Patch Manager compliance report CSV (console export / AWS-ExportPatchReportToS3), single
//! node summary or detail, or all nodes. Headers are matched case-insensitively (their exact
//! spelling in the exported file is not documented). Rows become the JSON shapes the other
//! readers use: summaries as `ResourceComplianceSummaryItems`, detail rows as `Patches` with an
//! `InstanceId`, agent and platform as `InstanceInformationList`.

use super::json::{Node, Value};

fn rows(text: &str, first_line: u32) -> Vec<(u32, Vec<String>)> {
    delimited(text, first_line, ',')
}

/// Splits CSV text into rows of fields (RFC 4180 quotes, `""` escapes, quoted newlines), each
/// row with its 1-based line. `delimiter` is `,`, or `;` for Prowler's reports.
pub(super) fn delimited(text: &str, first_line: u32, delimiter: char) -> Vec<(u32, Vec<String>)> {
    let mut out = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let (mut quoted, mut line, mut row_line) = (false, first_line, first_line);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') => quoted = true,
            (false, c) if c == delimiter => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                if row.iter().any(|f| !f.trim().is_empty()) {
                    out.push((row_line, std::mem::take(&mut row)));
                }
                row.clear();
                line += 1;
                row_line = line;
            }
            (false, c) => field.push(c),
        }
    }
    row.push(field);
    if row.iter().any(|f| !f.trim().is_empty()) {
        out.push((row_line, row));
    }
    out
}

/// Reads a report CSV into a JSON-shaped tree.
pub fn read(text: &str, first_line: u32) -> Option<Node<'static>> {
    let mut rows = rows(text, first_line).into_iter();
    let (header_line, header) = rows.next()?;
    let names: Vec<String> =
        header.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()).collect();
    let col = |name: &str| names.iter().position(|n| n == name);
    let instance = col("instance id")?;
    let patch_state = col("patch state");
    let status = col("compliance status");
    let severity_cols: Vec<usize> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| n.starts_with("noncompliant") && n.ends_with("patch count"))
        .map(|(i, _)| i)
        .collect();
    let mut summaries = Vec::new();
    let mut patches = Vec::new();
    let mut nodes = Vec::new();
    for (line, fields) in rows {
        let get = |i: Option<usize>| i.and_then(|i| fields.get(i)).map(|s| s.trim().to_string()).unwrap_or_default();
        let node = |value: Value<'static>| Node { line, value };
        let text_node = |s: String| node(Value::String(s.into()));
        let id = get(Some(instance));
        if id.is_empty() {
            continue;
        }
        if let Some(state) = patch_state {
            patches.push(node(Value::Object(vec![
                ("InstanceId".into(), text_node(id.clone())),
                ("KBId".into(), text_node(get(col("kb id/patch id")))),
                ("Title".into(), text_node(get(col("patch name")))),
                ("State".into(), text_node(get(Some(state)))),
                ("Severity".into(), text_node(get(col("patch severity")))),
                ("Classification".into(), text_node(get(col("patch classification")))),
            ])));
        } else if status.is_some() {
            let noncompliant: i64 =
                severity_cols.iter().filter_map(|i| fields.get(*i)?.trim().parse::<i64>().ok()).sum();
            let raw = get(status).to_ascii_uppercase().replace([' ', '-'], "_");
            let state = if raw.contains("NON") { "NON_COMPLIANT" } else { raw.as_str() };
            summaries.push(node(Value::Object(vec![
                ("ComplianceType".into(), text_node("Patch".into())),
                ("ResourceId".into(), text_node(id.clone())),
                ("Status".into(), text_node(state.to_string())),
                ("OverallSeverity".into(), text_node(get(col("compliance severity")).to_ascii_uppercase())),
                (
                    "NonCompliantSummary".into(),
                    node(Value::Object(vec![("NonCompliantCount".into(), node(Value::Number(noncompliant as f64)))])),
                ),
            ])));
        }
        if let Some(agent) = col("ssm agent version").map(|i| get(Some(i))).filter(|a| !a.is_empty()) {
            nodes.push(node(Value::Object(vec![
                ("InstanceId".into(), text_node(id)),
                ("AgentVersion".into(), text_node(agent)),
                ("PlatformName".into(), text_node(get(col("platform name")))),
                ("PlatformVersion".into(), text_node(get(col("platform version")))),
            ])));
        }
    }
    let list = |items: Vec<Node<'static>>| Node { line: header_line, value: Value::Array(items) };
    let mut root = Vec::new();
    if !summaries.is_empty() {
        root.push(("ResourceComplianceSummaryItems".into(), list(summaries)));
    }
    if !patches.is_empty() {
        root.push(("Patches".into(), list(patches)));
    }
    if !nodes.is_empty() {
        root.push(("CsvNodes".into(), list(nodes)));
    }
    Some(Node { line: header_line, value: Value::Object(root) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_and_detail_reports() {
        let summary = "Index,Instance ID,Instance name,Instance IP,Platform name,Platform version,SSM Agent version,Patch baseline,Patch group,Compliance status,Compliance severity,Noncompliant Critical severity patch count,Noncompliant High severity patch count,Noncompliant Medium severity patch count,Noncompliant Low severity patch count,Noncompliant Informational severity patch count,Noncompliant Unspecified severity patch count\n1,i-0123456789abcdef0,web,10.0.0.1,Amazon Linux,2023,3.3.1000.0,pb-0123456789abcdef0,web,Non-Compliant,CRITICAL,2,1,0,0,0,0\n";
        let root = read(summary, 1).unwrap();
        let row = &root.get("ResourceComplianceSummaryItems").unwrap().as_array()[0];
        assert_eq!(row.get("Status").unwrap().as_str(), Some("NON_COMPLIANT"));
        assert_eq!(row.get("NonCompliantSummary").unwrap().get("NonCompliantCount").unwrap().as_i64(), Some(3));
        assert_eq!(row.line, 2);
        let detail = "\"Index\",\"Instance ID\",\"Instance name\",\"Patch name\",\"KB ID/Patch ID\",\"Patch state\"\n1,i-0123456789abcdef0,web,\"openssl, the library\",openssl.x86_64,Missing\n";
        let root = read(detail, 10).unwrap();
        let patch = &root.get("Patches").unwrap().as_array()[0];
        assert_eq!(patch.get("State").unwrap().as_str(), Some("Missing"));
        assert_eq!(patch.get("Title").unwrap().as_str(), Some("openssl, the library"));
        assert_eq!(patch.line, 11);
    }
}
