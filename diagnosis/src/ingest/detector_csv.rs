//! Detector reports as CSV: Prowler's (`;`-separated, upper-case headers: prowler/lib/outputs/csv)
//! and Steampipe's or Powerpipe's control results (`group_id,…,control_id,…,reason,resource,
//! status,…`). Each row becomes an object keyed by its header, under the list the evidence reads,
//! so the rows are cited by their own lines like any other output's.

use super::csv::delimited;
use super::json::{Node, Value};
use super::InputKind;

/// The list each CSV's rows are read into.
pub const PROWLER_ROWS: &str = "ProwlerFindings";
pub const STEAMPIPE_ROWS: &str = "SteampipeResults";
/// The organisation views' result (`ssm_doctor_node_causes`, as Athena or DuckDB export it).
pub const VERDICT_ROWS: &str = "FleetVerdicts";

fn header(block: &str) -> String {
    let first = block.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    first.trim().trim_start_matches('\u{feff}').replace('"', "")
}

/// Which detector CSV `block` is, by its header.
pub fn kind(block: &str) -> Option<InputKind> {
    let header = header(block);
    let upper = header.to_ascii_uppercase();
    if upper.starts_with("AUTH_METHOD;") || (upper.contains(";CHECK_ID;") && upper.contains(";STATUS;")) {
        return Some(InputKind::ProwlerCsv);
    }
    let columns: Vec<String> = header.split(',').map(|c| c.trim().to_ascii_lowercase()).collect();
    let has = |name: &str| columns.iter().any(|c| c == name);
    if has("resourceid") && has("code") && has("ref") && has("kind") {
        return Some(InputKind::FleetVerdicts);
    }
    (has("control_id") && has("reason") && has("resource") && has("status")).then_some(InputKind::SteampipeResults)
}

/// The rows of a detector CSV as `{"<list>": [{header: value, …}, …]}`.
pub fn read(kind: InputKind, block: &str, first_line: u32) -> Option<Node<'static>> {
    let (delimiter, list) = match kind {
        InputKind::ProwlerCsv => (';', PROWLER_ROWS),
        InputKind::SteampipeResults => (',', STEAMPIPE_ROWS),
        InputKind::FleetVerdicts => (',', VERDICT_ROWS),
        _ => return None,
    };
    let mut rows = delimited(block, first_line, delimiter).into_iter();
    let (header_line, names) = rows.next()?;
    let names: Vec<String> = names.iter().map(|n| n.trim().trim_start_matches('\u{feff}').to_string()).collect();
    let items = rows
        .map(|(line, fields)| {
            let entries = names
                .iter()
                .zip(fields)
                .map(|(name, value)| (name.clone().into(), Node { line, value: Value::String(value.into()) }))
                .collect();
            Node { line, value: Value::Object(entries) }
        })
        .collect();
    let list_node = Node { line: header_line, value: Value::Array(items) };
    Some(Node { line: header_line, value: Value::Object(vec![(list.into(), list_node)]) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prowler_and_steampipe_headers() {
        let prowler = "AUTH_METHOD;TIMESTAMP;ACCOUNT_UID;CHECK_ID;STATUS;RESOURCE_UID\nprofile: default;2026-11-30 02:00:00;123456789012;ssm_managed_compliant_patching;FAIL;arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0\n";
        assert_eq!(kind(prowler), Some(InputKind::ProwlerCsv));
        let root = read(InputKind::ProwlerCsv, prowler, 1).unwrap();
        let row = &root.get(PROWLER_ROWS).unwrap().as_array()[0];
        assert_eq!(row.get("STATUS").unwrap().as_str(), Some("FAIL"));
        assert_eq!(row.line, 2);
        let steampipe = "group_id,title,description,control_id,control_title,control_description,reason,resource,status,severity,account_id,region\n";
        assert_eq!(kind(steampipe), Some(InputKind::SteampipeResults));
        assert_eq!(kind("Index,Instance ID,Patch state\n"), None);
    }
}
