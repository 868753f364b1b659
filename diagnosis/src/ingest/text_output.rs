//! `--output text`: tab-separated rows with no header. Each row starts with the upper-cased name
//! of the list or map it came from; its values are those of the element's scalar keys in
//! alphabetical order (awscli/text.py), and keys absent from every element leave no column. So a
//! row is aligned to the known sorted keys by a small dynamic programme that scores each value
//! against each key's type and prefers skipping keys that are often absent. The result is the
//! same JSON tree the JSON reader builds, with each value on its real line.

use std::borrow::Cow;

use super::json::{Node, Value};
use super::kind::InputKind;
use crate::notice::{Message, Notice};

#[derive(Clone, Copy)]
enum Ty {
    Int,
    Time,
    Bool,
    Text,
    /// One of these values (case-insensitive).
    OneOf(&'static [&'static str]),
    /// An id of the type whose rule this is (`ids::is_instance_id`).
    Id(fn(&str) -> bool),
}

/// A key, its type, and whether it is usually present (skipping it costs more).
type Key = (&'static str, Ty, bool);

struct Schema {
    row: &'static str,
    list_key: &'static str,
    kind: InputKind,
    keys: &'static [Key],
    /// Nested maps printed as following rows: (row name, key in the element, its keys).
    children: &'static [(&'static str, &'static str, &'static [Key])],
}

const STATUS: Ty = Ty::OneOf(&["COMPLIANT", "NON_COMPLIANT", ""]);
const SEVERITY: Ty = Ty::OneOf(&["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED"]);
const NODE: Ty = Ty::Id(crate::ids::is_instance_id);
const PATCH_STATE: Ty = Ty::OneOf(&[
    "Installed",
    "InstalledOther",
    "InstalledPendingReboot",
    "InstalledRejected",
    "Missing",
    "Failed",
    "NotApplicable",
    "AvailableSecurityUpdate",
]);
const EXECUTION_SUMMARY: &[Key] =
    &[("ExecutionId", Ty::Text, false), ("ExecutionTime", Ty::Time, true), ("ExecutionType", Ty::Text, false)];

const SCHEMAS: &[Schema] = &[
    Schema {
        row: "INSTANCEPATCHSTATES",
        list_key: "InstancePatchStates",
        kind: InputKind::InstancePatchStates,
        keys: &[
            ("AvailableSecurityUpdateCount", Ty::Int, false),
            ("BaselineId", Ty::Id(crate::ids::is_baseline_id), true),
            ("CriticalNonCompliantCount", Ty::Int, false),
            ("FailedCount", Ty::Int, true),
            ("InstallOverrideList", Ty::Text, false),
            ("InstalledCount", Ty::Int, true),
            ("InstalledOtherCount", Ty::Int, true),
            ("InstalledPendingRebootCount", Ty::Int, true),
            ("InstalledRejectedCount", Ty::Int, true),
            ("InstanceId", NODE, true),
            ("LastNoRebootInstallOperationTime", Ty::Time, false),
            ("MissingCount", Ty::Int, true),
            ("NotApplicableCount", Ty::Int, true),
            ("Operation", Ty::OneOf(&["Scan", "Install"]), true),
            ("OperationEndTime", Ty::Time, true),
            ("OperationStartTime", Ty::Time, true),
            ("OtherNonCompliantCount", Ty::Int, false),
            ("OwnerInformation", Ty::Text, true),
            ("PatchGroup", Ty::Text, true),
            ("RebootOption", Ty::OneOf(&["RebootIfNeeded", "NoReboot"]), false),
            ("SecurityNonCompliantCount", Ty::Int, false),
            ("SnapshotId", Ty::Text, true),
            ("UnreportedNotApplicableCount", Ty::Int, false),
        ],
        children: &[],
    },
    Schema {
        row: "PATCHES",
        list_key: "Patches",
        kind: InputKind::InstancePatches,
        keys: &[
            ("Classification", Ty::Text, true),
            ("InstalledTime", Ty::Time, true),
            ("KBId", Ty::Text, true),
            ("Severity", Ty::Text, true),
            ("State", PATCH_STATE, true),
            ("Title", Ty::Text, true),
        ],
        children: &[],
    },
    Schema {
        row: "COMPLIANCEITEMS",
        list_key: "ComplianceItems",
        kind: InputKind::ComplianceItems,
        keys: &[
            ("ComplianceType", Ty::Text, true),
            ("Id", Ty::Text, true),
            ("ResourceId", Ty::Text, true),
            ("ResourceType", Ty::OneOf(&["ManagedInstance"]), true),
            ("Severity", SEVERITY, true),
            ("Status", STATUS, true),
            ("Title", Ty::Text, true),
        ],
        children: &[("EXECUTIONSUMMARY", "ExecutionSummary", EXECUTION_SUMMARY)],
    },
    Schema {
        row: "RESOURCECOMPLIANCESUMMARYITEMS",
        list_key: "ResourceComplianceSummaryItems",
        kind: InputKind::ResourceComplianceSummaries,
        keys: &[
            ("ComplianceType", Ty::Text, true),
            ("OverallSeverity", SEVERITY, true),
            ("ResourceId", Ty::Text, true),
            ("ResourceType", Ty::OneOf(&["ManagedInstance"]), true),
            ("Status", STATUS, true),
        ],
        children: &[
            ("EXECUTIONSUMMARY", "ExecutionSummary", EXECUTION_SUMMARY),
            ("COMPLIANTSUMMARY", "CompliantSummary", &[("CompliantCount", Ty::Int, true)]),
            ("NONCOMPLIANTSUMMARY", "NonCompliantSummary", &[("NonCompliantCount", Ty::Int, true)]),
        ],
    },
    Schema {
        row: "INSTANCEASSOCIATIONSTATUSINFOS",
        list_key: "InstanceAssociationStatusInfos",
        kind: InputKind::InstanceAssociationsStatus,
        keys: &[
            ("AssociationId", Ty::Text, true),
            ("AssociationName", Ty::Text, false),
            ("AssociationVersion", Ty::Int, false),
            ("DetailedStatus", Ty::Text, true),
            ("DocumentVersion", Ty::Text, true),
            ("ErrorCode", Ty::Text, false),
            ("ExecutionDate", Ty::Time, true),
            ("ExecutionSummary", Ty::Text, true),
            ("InstanceId", NODE, true),
            ("Name", Ty::Text, true),
            (
                "Status",
                Ty::OneOf(&["Pending", "Success", "Failed", "Queued", "InProgress", "TimedOut", "Skipped"]),
                true,
            ),
        ],
        children: &[],
    },
    Schema {
        row: "INSTANCEINFORMATIONLIST",
        list_key: "InstanceInformationList",
        kind: InputKind::InstanceInformation,
        keys: &[
            ("ActivationId", Ty::Text, false),
            ("AgentVersion", Ty::Text, true),
            ("AssociationStatus", Ty::Text, false),
            ("ComputerName", Ty::Text, true),
            ("IPAddress", Ty::Text, true),
            ("IamRole", Ty::Text, false),
            ("InstanceId", Ty::Text, true),
            ("IsLatestVersion", Ty::Bool, true),
            ("LastAssociationExecutionDate", Ty::Time, false),
            ("LastPingDateTime", Ty::Time, true),
            ("LastSuccessfulAssociationExecutionDate", Ty::Time, false),
            ("Name", Ty::Text, false),
            ("PingStatus", Ty::OneOf(&["Online", "ConnectionLost", "Inactive"]), true),
            ("PlatformName", Ty::Text, true),
            ("PlatformType", Ty::OneOf(&["Windows", "Linux", "MacOS"]), true),
            ("PlatformVersion", Ty::Text, true),
            ("RegistrationDate", Ty::Time, false),
            ("ResourceType", Ty::OneOf(&["EC2Instance", "ManagedInstance"]), true),
            ("SourceId", Ty::Text, false),
            ("SourceType", Ty::Text, false),
        ],
        children: &[],
    },
];

/// Rows starting with a known list name, read into the JSON tree of that command's output.
/// Returns the kind, the tree, and messages (rows that could not be aligned).
pub fn read(text: &str, first_line: u32) -> Option<(InputKind, Node<'static>, Vec<Message>)> {
    let mut schema: Option<&Schema> = None;
    let mut items: Vec<Node> = Vec::new();
    let mut messages = Vec::new();
    let mut next_token: Option<Node> = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = first_line + i as u32;
        let mut cells = line.split('\t');
        let head = cells.next().unwrap_or("");
        let values: Vec<&str> = cells.collect();
        if head == "NEXTTOKEN" || (head.is_empty() && values.is_empty()) {
            if head == "NEXTTOKEN" {
                let value = Value::String(values.first().copied().unwrap_or("").to_string().into());
                next_token = Some(Node { line: line_no, value });
            }
            continue;
        }
        if let Some(s) = SCHEMAS.iter().find(|s| s.row == head) {
            if schema.is_some_and(|current| current.row != s.row) {
                messages.push(Message::new(Notice::SecondRowKind).with("head", head).at_line(line_no));
                continue;
            }
            schema = Some(s);
            match align(&values, s.keys, line_no) {
                Some(entries) => items.push(Node { line: line_no, value: Value::Object(entries) }),
                None => messages
                    .push(Message::new(Notice::RowMisfit).with("n", values.len()).with("head", head).at_line(line_no)),
            }
            continue;
        }
        let Some(s) = schema else { continue };
        if let Some((_, key, keys)) = s.children.iter().find(|(row, _, _)| *row == head) {
            if let (Some(entries), Some(Node { value: Value::Object(parent), .. })) =
                (align(&values, keys, line_no), items.last_mut())
            {
                parent.push((key.to_string().into(), Node { line: line_no, value: Value::Object(entries) }));
            }
        } else if head == "DETAILS" {
            if let Some(Node { value: Value::Object(parent), .. }) = items.last_mut() {
                parent
                    .push(("Details".into(), Node { line: line_no, value: Value::Object(details(&values, line_no)) }));
            }
        }
    }
    let schema = schema?;
    let mut root = vec![(schema.list_key.to_string().into(), Node { line: first_line, value: Value::Array(items) })];
    if let Some(token) = next_token {
        root.push(("NextToken".into(), token));
    }
    Some((schema.kind, Node { line: first_line, value: Value::Object(root) }, messages))
}

/// Compliance item `Details` maps have free keys; their sorted values are recognised by shape.
fn details(values: &[&str], line: u32) -> Vec<(Cow<'static, str>, Node<'static>)> {
    let node = |v: &str| Node { line, value: Value::String(v.to_string().into()) };
    let mut entries = Vec::new();
    for v in values {
        let key = if v.starts_with("AWS-") || v.starts_with("Custom-") {
            "DocumentName"
        } else if v.starts_with("pb-") || v.contains(":patchbaseline/") {
            "PatchBaselineId"
        } else if PATCH_STATE_VALUES.iter().any(|s| s.eq_ignore_ascii_case(v)) {
            "PatchState"
        } else if v.chars().all(|c| c.is_ascii_digit()) && !v.is_empty() {
            "DocumentVersion"
        } else {
            continue;
        };
        entries.push((key.to_string().into(), node(v)));
    }
    entries
}

const PATCH_STATE_VALUES: &[&str] = &[
    "Installed",
    "InstalledOther",
    "InstalledPendingReboot",
    "InstalledRejected",
    "Missing",
    "Failed",
    "NotApplicable",
    "AvailableSecurityUpdate",
];

const IMPOSSIBLE: i32 = i32::MIN / 4;

fn fit(value: &str, ty: Ty) -> i32 {
    if value == "None" {
        return 0;
    }
    match ty {
        Ty::Int => {
            if value.parse::<i64>().is_ok() {
                3
            } else {
                IMPOSSIBLE
            }
        }
        Ty::Time => {
            let iso = value.len() >= 10 && crate::time::parse_iso(value).is_some();
            let epoch = value.contains('.') && value.parse::<f64>().is_ok();
            if iso || epoch {
                3
            } else {
                IMPOSSIBLE
            }
        }
        Ty::Bool => {
            if value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false") {
                3
            } else {
                IMPOSSIBLE
            }
        }
        // An enum value or an id prefix is much stronger evidence than free text.
        Ty::OneOf(options) => {
            if options.iter().any(|o| o.eq_ignore_ascii_case(value)) {
                6
            } else {
                IMPOSSIBLE
            }
        }
        Ty::Id(valid) => {
            if valid(value.trim()) {
                6
            } else {
                IMPOSSIBLE
            }
        }
        // A number or a date could be text, but it is a weak fit.
        Ty::Text => {
            if value.parse::<f64>().is_ok() {
                0
            } else {
                1
            }
        }
    }
}

/// Aligns values to keys in order (keys may be skipped), maximising the fit. None when no
/// alignment uses every value.
fn align(values: &[&str], keys: &[Key], line: u32) -> Option<Vec<(Cow<'static, str>, Node<'static>)>> {
    let (n, m) = (values.len(), keys.len());
    if n > m {
        return None;
    }
    // best[i][j]: best score for values[..i] placed among keys[..j].
    let mut best = vec![vec![IMPOSSIBLE; m + 1]; n + 1];
    best[0][0] = 0;
    for j in 1..=m {
        best[0][j] = best[0][j - 1] + skip_cost(keys[j - 1]);
    }
    for i in 1..=n {
        for j in i..=m {
            let skip = best[i][j - 1].saturating_add(skip_cost(keys[j - 1]));
            let take = best[i - 1][j - 1].saturating_add(fit(values[i - 1], keys[j - 1].1));
            best[i][j] = skip.max(take);
        }
    }
    if best[n][m] < IMPOSSIBLE / 2 {
        return None;
    }
    // Walk back to recover which key each value took.
    let mut entries = Vec::with_capacity(n);
    let (mut i, mut j) = (n, m);
    while i > 0 {
        let take = best[i - 1][j - 1].saturating_add(fit(values[i - 1], keys[j - 1].1));
        if best[i][j] == take && take > IMPOSSIBLE / 2 {
            entries.push((keys[j - 1].0.to_string().into(), Node { line, value: typed(values[i - 1], keys[j - 1].1) }));
            i -= 1;
        }
        j -= 1;
    }
    entries.reverse();
    Some(entries)
}

fn skip_cost(key: Key) -> i32 {
    if key.2 {
        -3
    } else {
        0
    }
}

fn typed(value: &str, ty: Ty) -> Value<'static> {
    match ty {
        _ if value == "None" => Value::Null,
        Ty::Int => value.parse::<f64>().map(Value::Number).unwrap_or(Value::Null),
        Ty::Bool => Value::Bool(value.eq_ignore_ascii_case("true")),
        Ty::Time if !value.contains('-') => {
            value.parse::<f64>().map(Value::Number).unwrap_or_else(|_| Value::String(value.to_string().into()))
        }
        _ => Value::String(value.to_string().into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_state_rows_align_even_with_optional_columns_missing() {
        // As `aws ssm describe-instance-patch-states --output text` prints the docs example:
        // no AvailableSecurityUpdateCount, no InstallOverrideList.
        let row = "INSTANCEPATCHSTATES\tpb-0713accee01234567\t2\t2\t123\t334\t0\t0\ti-1234567890abcdef0\t2020-06-14T12:17:41-07:00\t1\t2063\tScan\t2021-05-03T11:01:09-07:00\t2021-05-03T11:00:56-07:00\t1\t\tmy-patch-group\tRebootIfNeeded\t2\t521c3536-930c-4aa9-950e-01234567abcd\t11";
        let (kind, root, messages) = read(row, 1).unwrap();
        assert_eq!(kind, InputKind::InstancePatchStates);
        assert!(messages.is_empty(), "{messages:?}");
        let item = &root.get("InstancePatchStates").unwrap().as_array()[0];
        assert_eq!(item.get("InstanceId").unwrap().as_str(), Some("i-1234567890abcdef0"));
        assert_eq!(item.get("FailedCount").unwrap().as_i64(), Some(2));
        assert_eq!(item.get("CriticalNonCompliantCount").unwrap().as_i64(), Some(2));
        assert_eq!(item.get("MissingCount").unwrap().as_i64(), Some(1));
        assert_eq!(item.get("InstalledCount").unwrap().as_i64(), Some(123));
        assert_eq!(item.get("UnreportedNotApplicableCount").unwrap().as_i64(), Some(11));
        assert_eq!(item.get("Operation").unwrap().as_str(), Some("Scan"));
    }

    #[test]
    fn hybrid_nodes_and_managed_baseline_arns_align_too() {
        // An on-premises node (mi-…) patched with an AWS-managed baseline (its ARN).
        let row = "INSTANCEPATCHSTATES\tarn:aws:ssm:us-east-2:733109147000:patchbaseline/pb-0123fdb36e334a3b2\t0\t0\t5\t3\t0\t0\tmi-0123456789abcdef0\t2\t0\tScan\t2021-05-03T11:01:09-07:00\t2021-05-03T11:00:56-07:00\t0\t\t\tRebootIfNeeded\t0\t521c3536-930c-4aa9-950e-01234567abcd\t0";
        let (_, root, messages) = read(row, 1).unwrap();
        assert!(messages.is_empty(), "{messages:?}");
        let item = &root.get("InstancePatchStates").unwrap().as_array()[0];
        assert_eq!(item.get("InstanceId").unwrap().as_str(), Some("mi-0123456789abcdef0"));
        assert_eq!(item.get("MissingCount").unwrap().as_i64(), Some(2));
    }

    #[test]
    fn compliance_items_with_details_and_execution_summary() {
        let text = "COMPLIANCEITEMS\tAssociation\t3e5d5694-cd07-40f0-bbea-040e6EXAMPLE\ti-02573cafcfEXAMPLE\tManagedInstance\tUNSPECIFIED\tNON_COMPLIANT\tMyPatchAssociation\nDETAILS\tAWS-RunPatchBaselineAssociation\t1\tpb-0c10e65780EXAMPLE\nEXECUTIONSUMMARY\t1590698771.0\nNEXTTOKEN\tabc";
        let (kind, root, _) = read(text, 5).unwrap();
        assert_eq!(kind, InputKind::ComplianceItems);
        let item = &root.get("ComplianceItems").unwrap().as_array()[0];
        assert_eq!(item.get("Status").unwrap().as_str(), Some("NON_COMPLIANT"));
        assert_eq!(
            item.get("Details").unwrap().get("DocumentName").unwrap().as_str(),
            Some("AWS-RunPatchBaselineAssociation")
        );
        assert_eq!(item.get("Details").unwrap().get("PatchBaselineId").unwrap().line, 6);
        assert_eq!(item.get("ExecutionSummary").unwrap().get("ExecutionTime").unwrap().as_f64(), Some(1590698771.0));
        assert!(root.get("NextToken").is_some());
    }

    #[test]
    fn a_row_that_fits_no_alignment_is_reported_not_guessed() {
        let (_, root, messages) = read("PATCHES\ta\tb\tc\td\te\tf\tg", 1).unwrap();
        assert!(root.get("Patches").unwrap().as_array().is_empty());
        assert!(messages[0].to_string().contains("do not fit"), "{messages:?}");
    }
}
