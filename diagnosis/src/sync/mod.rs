//! Organisation scale: a local copy of a Systems Manager Resource Data Sync bucket, diagnosed per
//! node with the fleet-level part of the decision tree, and the same rules as SQL for Athena.
//!
//! What the sync writes (AWS's "Resource data sync" documentation, and AWS's centralised patch
//! reporting templates): objects at
//! `[<prefix>/]<TypeName>/accountid=<12 digits>/region=<region>/resourcetype=ManagedInstanceInventory/<node>.json`,
//! one per node and type; multi-item types (`AWS:ComplianceItem`) hold one JSON object per line,
//! single-item types one object. Each record has its type's attributes (PascalCase) plus
//! `resourceId` and `captureTime`; numbers may arrive as strings. Files of deleted nodes are never
//! removed: `AWS:InstanceInformation.InstanceStatus` tells which nodes are gone.
//!
//! This module is pure (no I/O): the CLI walks the tree and hands it the files' texts.

pub mod generate;
mod rules;
mod sql;

pub use rules::{check_against_catalogue, Cond, Field, Rule, RuleKind, ASSOCIATION_RULE, RULES, STALE_DAYS};
pub use sql::{sql, Engine, SqlOptions};

use std::collections::BTreeMap;

use serde::Serialize;

use crate::time;

/// Where an object sits in the tree, from its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectKey {
    pub type_name: String,
    pub account: String,
    pub region: String,
    /// The node, from the file name (`<node>.json`).
    pub node: String,
}

/// Reads an object key (a path relative to the sync root, `/`-separated). None for the
/// `test.json` probe and anything that is not a node's object.
pub fn object_key(path: &str) -> Option<ObjectKey> {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    // Find `accountid=` wherever the prefix ends.
    let at = parts.iter().position(|p| p.starts_with("accountid="))?;
    if at == 0 || parts.len() < at + 4 {
        return None;
    }
    let type_name = parts[at - 1];
    let account = parts[at].strip_prefix("accountid=")?;
    let region = parts[at + 1].strip_prefix("region=")?;
    parts[at + 2].strip_prefix("resourcetype=")?;
    let file = parts[at + 3];
    let node = file.strip_suffix(".json")?;
    if !(type_name.starts_with("AWS:") || type_name.starts_with("Custom:")) || account.len() != 12 {
        return None;
    }
    Some(ObjectKey { type_name: type_name.into(), account: account.into(), region: region.into(), node: node.into() })
}

/// The records of one object: one JSON object per line, one object, or an array of them.
pub fn records(text: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let whole = text.trim();
    if whole.starts_with('[') {
        if let Ok(serde_json::Value::Array(items)) = serde_json::from_str(whole) {
            return items.into_iter().filter_map(|v| v.as_object().cloned()).collect();
        }
    }
    if let Ok(serde_json::Value::Object(one)) = serde_json::from_str(whole) {
        return vec![one];
    }
    whole
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line.trim()).ok())
        .filter_map(|v| v.as_object().cloned())
        .collect()
}

fn attribute(record: &serde_json::Map<String, serde_json::Value>, key: &str) -> Option<String> {
    // Keys as the sync writes them (PascalCase), also accepted lower-cased (as Glue shows them).
    let value = record.get(key).or_else(|| record.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))?;
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// What the tree says of one node, across its types.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncNode {
    pub account: String,
    pub region: String,
    pub node: String,
    /// Has an `AWS:InstanceInformation` record (a node the sync knows).
    pub listed: bool,
    pub instance_status: Option<String>,
    pub info_capture: Option<String>,
    pub patch: Option<PatchSummary>,
    /// The documents of NON_COMPLIANT association items.
    pub failed_associations: Vec<String>,
    /// Records whose `resourceId` is not the node their key names.
    pub mismatched: usize,
}

/// `AWS:PatchSummary`, its counts as they came (numbers or strings).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PatchSummary {
    pub capture: Option<String>,
    pub operation: Option<String>,
    pub failed: Option<String>,
    pub pending_reboot: Option<String>,
    pub rejected: Option<String>,
    pub missing: Option<String>,
}

impl SyncNode {
    /// Adds one object's records.
    pub fn add(&mut self, key: &ObjectKey, text: &str) {
        for record in records(text) {
            if let Some(id) = attribute(&record, "resourceId") {
                if id != key.node {
                    self.mismatched += 1;
                }
            }
            match key.type_name.as_str() {
                "AWS:InstanceInformation" => {
                    self.listed = true;
                    self.instance_status = attribute(&record, "InstanceStatus");
                    self.info_capture = attribute(&record, "captureTime");
                }
                "AWS:PatchSummary" => {
                    self.patch = Some(PatchSummary {
                        capture: attribute(&record, "captureTime"),
                        operation: attribute(&record, "OperationType"),
                        failed: attribute(&record, "FailedCount"),
                        pending_reboot: attribute(&record, "InstalledPendingRebootCount"),
                        rejected: attribute(&record, "InstalledRejectedCount"),
                        missing: attribute(&record, "MissingCount"),
                    });
                }
                "AWS:ComplianceItem" => {
                    let association = attribute(&record, "ComplianceType").as_deref() == Some("Association");
                    if association && attribute(&record, "Status").as_deref() == Some("NON_COMPLIANT") {
                        let document = attribute(&record, "DocumentName")
                            .or_else(|| attribute(&record, "Title"))
                            .or_else(|| attribute(&record, "Id"))
                            .unwrap_or_default();
                        if !self.failed_associations.contains(&document) {
                            self.failed_associations.push(document);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// A node's facts, named as the SQL views name their columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    pub instance_status: Option<String>,
    pub info_capture: Option<f64>,
    pub has_patch_summary: bool,
    pub patch_capture: Option<f64>,
    pub operation: Option<String>,
    pub failed: Option<i64>,
    pub pending_reboot: Option<i64>,
    pub rejected: Option<i64>,
    pub missing: Option<i64>,
}

/// `2026-11-30T02:11:02Z` → seconds, read the way the SQL reads it: the first 19 characters, UTC.
fn capture(value: &Option<String>) -> Option<f64> {
    let v = value.as_deref()?;
    time::parse_iso(&v.get(..19)?.replace(' ', "T"))
}

/// An integer as SQL's `TRY_CAST(x AS INTEGER)` reads it: digits with an optional sign, else none.
fn integer(value: &Option<String>) -> Option<i64> {
    let v = value.as_deref()?.trim();
    v.parse::<i64>().ok()
}

impl SyncNode {
    pub fn facts(&self) -> Facts {
        let patch = self.patch.as_ref();
        Facts {
            instance_status: self.instance_status.clone(),
            info_capture: capture(&self.info_capture),
            has_patch_summary: patch.is_some(),
            patch_capture: patch.and_then(|p| capture(&p.capture)),
            operation: patch.and_then(|p| p.operation.clone()),
            failed: patch.and_then(|p| integer(&p.failed)),
            pending_reboot: patch.and_then(|p| integer(&p.pending_reboot)),
            rejected: patch.and_then(|p| integer(&p.rejected)),
            missing: patch.and_then(|p| integer(&p.missing)),
        }
    }
}

/// One row of the verdicts: the node, a catalogue code, and what it rests on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Verdict {
    pub account: String,
    pub region: String,
    pub node: String,
    pub code: &'static str,
    #[serde(rename = "ref")]
    pub reference: &'static str,
    pub kind: &'static str,
    pub detail: String,
}

/// The verdicts of one node at `now` (seconds since the epoch): the first state rule that holds
/// (the node is gone or silent: shown as such, never as a cause), else every cause rule that
/// holds, one per failed association document.
pub fn verdicts(node: &SyncNode, now: f64) -> Vec<Verdict> {
    if !node.listed {
        return Vec::new();
    }
    let facts = node.facts();
    let row = |rule: &Rule, detail: String| Verdict {
        account: node.account.clone(),
        region: node.region.clone(),
        node: node.node.clone(),
        code: rule.code,
        reference: rule.reference,
        kind: rule.kind.name(),
        detail,
    };
    if let Some(state) = RULES.iter().filter(|r| r.kind == RuleKind::State).find(|r| r.holds(&facts, now)) {
        return vec![row(state, state.detail(&facts))];
    }
    let mut out: Vec<Verdict> = RULES
        .iter()
        .filter(|r| r.kind == RuleKind::Cause && r.holds(&facts, now))
        .map(|r| row(r, r.detail(&facts)))
        .collect();
    let mut documents = node.failed_associations.clone();
    documents.sort();
    documents.dedup();
    out.extend(documents.into_iter().map(|d| row(&ASSOCIATION_RULE, d)));
    out
}

/// Every node of a tree, by (account, region, node).
pub type Tree = BTreeMap<(String, String, String), SyncNode>;

/// The verdict rows of a whole tree, sorted.
pub fn tree_verdicts(tree: &Tree, now: f64) -> Vec<Verdict> {
    let mut rows: Vec<Verdict> = tree.values().flat_map(|n| verdicts(n, now)).collect();
    rows.sort();
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_records_and_verdicts() {
        let key = object_key("inventory/AWS:PatchSummary/accountid=123456789012/region=eu-west-1/resourcetype=ManagedInstanceInventory/i-0123456789abcdef0.json").unwrap();
        assert_eq!(
            (key.account.as_str(), key.region.as_str(), key.node.as_str()),
            ("123456789012", "eu-west-1", "i-0123456789abcdef0")
        );
        assert!(object_key("AWS:InstanceInformation/accountid=123456789012/test.json").is_none());
        assert_eq!(records("{\"a\": 1}\n{\"a\": 2}\n").len(), 2);
        assert_eq!(records("[{\"a\": 1}, {\"a\": 2}]").len(), 2);
        assert_eq!(records("{\n  \"a\": 1\n}").len(), 1);
        let mut node = SyncNode {
            account: key.account.clone(),
            region: key.region.clone(),
            node: key.node.clone(),
            ..SyncNode::default()
        };
        let now = time::parse_iso("2026-12-01T00:00:00Z").unwrap();
        node.add(&ObjectKey { type_name: "AWS:InstanceInformation".into(), ..key.clone() }, r#"{"InstanceStatus": "Active", "resourceId": "i-0123456789abcdef0", "captureTime": "2026-11-30T02:11:02Z"}"#);
        // Counts as strings, as the sync may write them.
        node.add(&key, r#"{"FailedCount": "2", "MissingCount": 0, "OperationType": "Install", "resourceId": "i-0123456789abcdef0", "captureTime": "2026-11-30T03:00:00Z"}"#);
        node.add(&ObjectKey { type_name: "AWS:ComplianceItem".into(), ..key.clone() }, "{\"ComplianceType\": \"Association\", \"Status\": \"NON_COMPLIANT\", \"DocumentName\": \"AWS-GatherSoftwareInventory\"}\n{\"ComplianceType\": \"Patch\", \"Status\": \"NON_COMPLIANT\"}\n");
        let codes: Vec<&str> = verdicts(&node, now).iter().map(|v| v.code).collect();
        assert_eq!(codes, ["patch-failed", "association-failed"]);
        // Terminated: only that, never a cause.
        node.instance_status = Some("Terminated".into());
        let codes: Vec<&str> = verdicts(&node, now).iter().map(|v| v.code).collect();
        assert_eq!(codes, ["instance-not-running"]);
    }
}
