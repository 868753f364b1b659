//! Detector findings (Security Hub, AWS Config, Prowler, Steampipe/Powerpipe) read into one
//! shape: which control, about which node, in which account and region, failed or passed or
//! evaluated with no data, and when. Only the controls about a node's Systems Manager compliance
//! are kept (SSM.4, public documents, is not one).
//!
//! Formats, from their public sources (tests/fixtures/SOURCES.md): ASFF (`aws securityhub
//! get-findings`, the EventBridge "Security Hub Findings - Imported" event, an export array);
//! OCSF Detection/Compliance Findings (Security Hub's newer export, Prowler's `json-ocsf`); Config's
//! `get-compliance-details-by-config-rule`, `get-compliance-details-by-resource`,
//! `describe-compliance-by-resource` and `describe-compliance-by-config-rule`; Prowler's CSV;
//! Steampipe's and Powerpipe's control results as CSV or JSON.

use super::rows::{timestamp, Reader, Streamed};
use super::scan::{instance_ids, regions};
use super::Evidence;
use crate::ingest::json::Node;
use crate::model::{Detector, DetectorAspect, DetectorFinding, DetectorStatus, Field};

/// The aspect of a control, by the names the detectors give it.
pub fn aspect_of(control: &str) -> Option<DetectorAspect> {
    let c = control.to_ascii_lowercase();
    if let Some(n) = c.split("ssm.").nth(1).and_then(|rest| rest.split(|ch: char| !ch.is_ascii_digit()).next()) {
        // Security Hub's controls: SSM.1 managed, SSM.2 patch, SSM.3 association; SSM.4 and on
        // are about documents.
        return match n {
            "1" => Some(DetectorAspect::Managed),
            "2" => Some(DetectorAspect::Patch),
            "3" => Some(DetectorAspect::Association),
            _ => None,
        };
    }
    if c.contains("ssm_managed_compliant_patching") {
        Some(DetectorAspect::Overall)
    } else if c.contains("patch-compliance-status-check")
        || c.contains("patch_compliant")
        || c.contains("ssm::patchcompliance")
    {
        Some(DetectorAspect::Patch)
    } else if c.contains("association-compliance-status-check")
        || c.contains("association_compliant")
        || c.contains("ssm::associationcompliance")
    {
        Some(DetectorAspect::Association)
    } else if c.contains("ec2-instance-managed-by-systems-manager")
        || c.contains("instance_managed_by_ssm")
        || c.contains("instance_ssm_managed")
    {
        Some(DetectorAspect::Managed)
    } else {
        None
    }
}

fn text<'n>(node: &'n Node, path: &[&str]) -> Option<&'n str> {
    let mut at = node;
    for key in path {
        at = at.get(key)?;
    }
    at.as_str().filter(|s| !s.is_empty())
}

fn first_node(texts: &[Option<&str>]) -> Option<String> {
    texts.iter().flatten().find_map(|t| instance_ids(t).next().map(|(_, id)| id.to_string()))
}

/// `arn:aws:ec2:eu-west-1:123456789012:instance/i-…` → (region, account).
fn from_arn(arn: &str) -> (Option<String>, Option<String>) {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() == 6 && parts[0] == "arn" {
        let region = Some(parts[3].to_string()).filter(|r| regions(r).next().is_some());
        let account = Some(parts[4].to_string()).filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()));
        (region, account)
    } else {
        (None, None)
    }
}

/// The state a Prowler or Steampipe text gives a node that is not running.
fn state_in(reason: &str) -> Option<String> {
    ["stopped", "terminated", "stopping", "shutting-down", "pending"]
        .iter()
        .find(|s| reason.contains(&format!("is {s}")) || reason.contains(&format!("in {s} state")))
        .map(|s| s.to_string())
}

struct Raw<'a> {
    detector: Detector,
    control: &'a str,
    status: Option<DetectorStatus>,
    resource: Option<&'a str>,
    node_texts: Vec<Option<&'a str>>,
    account: Option<&'a str>,
    region: Option<&'a str>,
    evaluated: Option<&'a Node<'a>>,
    reason: Option<String>,
    item: Option<String>,
    archived: bool,
}

impl Evidence {
    fn push_detector(&mut self, r: &Reader, row: &Node, raw: Raw) {
        let (Some(aspect), Some(status)) = (aspect_of(raw.control), raw.status) else { return };
        let (arn_region, arn_account) = raw.resource.map(from_arn).unwrap_or((None, None));
        let mut texts = vec![raw.resource];
        texts.extend(raw.node_texts);
        let instance_state = raw.reason.as_deref().and_then(state_in);
        self.detector_findings.push(DetectorFinding {
            cite: r.cite(row),
            detector: raw.detector,
            control: raw.control.to_string(),
            aspect,
            status,
            node: first_node(&texts),
            account: raw.account.map(str::to_string).or(arn_account),
            region: raw.region.map(str::to_string).or(arn_region),
            evaluated: raw.evaluated.and_then(|n| timestamp(n).map(|t| Field { value: t, cite: r.cite(n) })),
            reason: raw.reason,
            item: raw.item,
            instance_state,
            archived: raw.archived,
        });
    }
}

// ---- Security Hub (ASFF) ----------------------------------------------------------------------

pub(super) fn asff(ev: &mut Evidence, r: &Reader, row: &Node) {
    let compliance = row.get("Compliance");
    let control = compliance
        .and_then(|c| text(c, &["SecurityControlId"]))
        .or_else(|| text(row, &["ProductFields", "ControlId"]))
        .or_else(|| text(row, &["GeneratorId"]))
        .or_else(|| text(row, &["Title"]))
        .unwrap_or("");
    let reasons: Vec<&str> = compliance
        .and_then(|c| c.get("StatusReasons"))
        .map(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|reason| text(reason, &["ReasonCode"]))
        .collect();
    let status = match compliance.and_then(|c| text(c, &["Status"])) {
        _ if reasons.contains(&"CONFIG_EVALUATIONS_EMPTY") => Some(DetectorStatus::NoData),
        Some("FAILED" | "WARNING") => Some(DetectorStatus::Failed),
        Some("PASSED") => Some(DetectorStatus::Passed),
        Some("NOT_AVAILABLE") => Some(DetectorStatus::NoData),
        _ => None,
    };
    let resources = row.get("Resources").map(Node::as_array).unwrap_or_default();
    let resource = resources.iter().find_map(|res| text(res, &["Id"]));
    ev.push_detector(
        r,
        row,
        Raw {
            detector: Detector::SecurityHub,
            control,
            status,
            resource,
            node_texts: resources.iter().map(|res| text(res, &["Id"])).collect(),
            account: text(row, &["AwsAccountId"]),
            region: text(row, &["Region"]).or_else(|| resources.first().and_then(|res| text(res, &["Region"]))),
            evaluated: row.get("UpdatedAt").or_else(|| row.get("LastObservedAt")),
            reason: (!reasons.is_empty()).then(|| reasons.join(", ")),
            item: None,
            archived: text(row, &["RecordState"]) == Some("ARCHIVED"),
        },
    );
}

/// An EventBridge event (`detail.findings`) or an export that is a bare array.
pub(super) fn asff_document(ev: &mut Evidence, r: &Reader, root: &Node, _: &Streamed) {
    let rows = match root.get("detail").and_then(|d| d.get("findings")) {
        Some(findings) => findings.as_array(),
        None => root.as_array(),
    };
    for row in rows {
        asff(ev, r, row);
    }
}

// ---- OCSF ---------------------------------------------------------------------------------------

fn ocsf(ev: &mut Evidence, r: &Reader, row: &Node) {
    let control = text(row, &["compliance", "control"])
        .or_else(|| text(row, &["metadata", "event_code"]))
        .or_else(|| text(row, &["finding_info", "analytic", "uid"]))
        .unwrap_or("");
    let status = text(row, &["compliance", "status"]).or_else(|| text(row, &["status_code"]));
    let status = match status.map(str::to_ascii_lowercase).as_deref() {
        Some("fail" | "failed" | "warning") => Some(DetectorStatus::Failed),
        Some("pass" | "passed") => Some(DetectorStatus::Passed),
        Some("unknown" | "manual" | "not applicable" | "not_applicable") => Some(DetectorStatus::NoData),
        _ => None,
    };
    let resources = row.get("resources").map(Node::as_array).unwrap_or_default();
    let mut node_texts: Vec<Option<&str>> = resources.iter().map(|res| text(res, &["name"])).collect();
    node_texts.push(text(row, &["status_detail"]));
    // OCSF times are epoch milliseconds; Prowler writes seconds.
    let evaluated = row.get("time_dt").or_else(|| row.get("time"));
    ev.push_detector(
        r,
        row,
        Raw {
            detector: if text(row, &["metadata", "product", "name"]).is_some_and(|n| n.contains("Prowler")) {
                Detector::Prowler
            } else {
                Detector::SecurityHub
            },
            control,
            status,
            resource: resources.iter().find_map(|res| text(res, &["uid"])),
            node_texts,
            account: text(row, &["cloud", "account", "uid"]),
            region: text(row, &["cloud", "region"])
                .or_else(|| resources.first().and_then(|res| text(res, &["region"]))),
            evaluated,
            reason: text(row, &["status_detail"]).or_else(|| text(row, &["message"])).map(str::to_string),
            item: None,
            archived: false,
        },
    );
}

pub(super) fn ocsf_document(ev: &mut Evidence, r: &Reader, root: &Node, _: &Streamed) {
    if root.get("class_uid").is_some() {
        ocsf(ev, r, root);
    }
    for row in root.as_array() {
        ocsf(ev, r, row);
    }
}

// ---- AWS Config ---------------------------------------------------------------------------------

fn config_status(compliance: Option<&str>) -> Option<DetectorStatus> {
    match compliance {
        Some("NON_COMPLIANT") => Some(DetectorStatus::Failed),
        Some("COMPLIANT") => Some(DetectorStatus::Passed),
        Some("INSUFFICIENT_DATA" | "NOT_APPLICABLE") => Some(DetectorStatus::NoData),
        _ => None,
    }
}

pub(super) fn config_evaluation(ev: &mut Evidence, r: &Reader, row: &Node) {
    let qualifier = row.get("EvaluationResultIdentifier").and_then(|i| i.get("EvaluationResultQualifier"));
    let rule = qualifier.and_then(|q| text(q, &["ConfigRuleName"])).unwrap_or("");
    let resource_type = qualifier.and_then(|q| text(q, &["ResourceType"])).unwrap_or("");
    let control = if aspect_of(rule).is_some() { rule } else { resource_type };
    let compliance = text(row, &["ComplianceType"]);
    ev.push_detector(
        r,
        row,
        Raw {
            detector: Detector::Config,
            control,
            status: config_status(compliance),
            resource: qualifier.and_then(|q| text(q, &["ResourceId"])),
            node_texts: Vec::new(),
            account: None,
            region: None,
            evaluated: row.get("ResultRecordedTime").or_else(|| row.get("ConfigRuleInvokedTime")),
            reason: text(row, &["Annotation"]).or(compliance).map(str::to_string),
            item: None,
            archived: false,
        },
    );
}

/// A summary row of Config (no evaluation time): its compliance about `resource`, or about no
/// node in particular.
fn config_summary(ev: &mut Evidence, r: &Reader, row: &Node, control: &str, resource: Option<&str>) {
    let compliance = text(row, &["Compliance", "ComplianceType"]);
    ev.push_detector(
        r,
        row,
        Raw {
            detector: Detector::Config,
            control,
            status: config_status(compliance),
            resource,
            node_texts: Vec::new(),
            account: None,
            region: None,
            evaluated: None,
            reason: compliance.map(str::to_string),
            item: None,
            archived: false,
        },
    );
}

/// describe-compliance-by-resource: a resource's compliance, by its type.
pub(super) fn config_by_resource(ev: &mut Evidence, r: &Reader, row: &Node) {
    config_summary(ev, r, row, text(row, &["ResourceType"]).unwrap_or(""), text(row, &["ResourceId"]));
}

/// describe-compliance-by-config-rule: a rule's own compliance, about no node in particular.
pub(super) fn config_by_rule(ev: &mut Evidence, r: &Reader, row: &Node) {
    config_summary(ev, r, row, text(row, &["ConfigRuleName"]).unwrap_or(""), None);
}

// ---- Prowler CSV ---------------------------------------------------------------------------------

pub(super) fn prowler_row(ev: &mut Evidence, r: &Reader, row: &Node) {
    let field = |names: &[&str]| names.iter().find_map(|n| text(row, &[n]));
    let status = match field(&["STATUS"]) {
        Some("FAIL") => Some(DetectorStatus::Failed),
        Some("PASS") => Some(DetectorStatus::Passed),
        Some("MANUAL") => Some(DetectorStatus::NoData),
        _ => None,
    };
    let extended = field(&["STATUS_EXTENDED"]);
    ev.push_detector(
        r,
        row,
        Raw {
            detector: Detector::Prowler,
            control: field(&["CHECK_ID"]).unwrap_or(""),
            status,
            resource: field(&["RESOURCE_UID", "RESOURCE_ARN"]),
            node_texts: vec![field(&["RESOURCE_NAME", "RESOURCE_ID"]), extended],
            account: field(&["ACCOUNT_UID", "ACCOUNT_ID"]),
            region: field(&["REGION"]),
            evaluated: row.get("TIMESTAMP").or_else(|| row.get("ASSESSMENT_START_TIME")),
            reason: extended.map(str::to_string),
            item: None,
            archived: false,
        },
    );
}

// ---- Steampipe / Powerpipe ------------------------------------------------------------------------

fn steampipe_status(status: Option<&str>) -> Option<DetectorStatus> {
    match status {
        Some("alarm") => Some(DetectorStatus::Failed),
        Some("ok" | "info") => Some(DetectorStatus::Passed),
        Some("skip" | "error") => Some(DetectorStatus::NoData),
        _ => None,
    }
}

/// `i-0123 patch KB5034441 is non-compliant.` → the item's title (`KB5034441`).
fn item_in(reason: &str) -> Option<String> {
    let rest = reason.split_once(" patch ").or_else(|| reason.split_once(" association "))?.1;
    let title = rest.rsplit_once(" is ")?.0;
    Some(title.to_string())
}

fn steampipe(ev: &mut Evidence, r: &Reader, row: &Node, control: &str, account: Option<&str>, region: Option<&str>) {
    let reason = text(row, &["reason"]);
    ev.push_detector(
        r,
        row,
        Raw {
            detector: Detector::Steampipe,
            control,
            status: steampipe_status(text(row, &["status"])),
            resource: text(row, &["resource"]),
            node_texts: vec![reason],
            account,
            region,
            evaluated: None,
            reason: reason.map(str::to_string),
            item: reason.and_then(item_in),
            archived: false,
        },
    );
}

pub(super) fn steampipe_row(ev: &mut Evidence, r: &Reader, row: &Node) {
    let control = text(row, &["control_id"]).unwrap_or("");
    steampipe(ev, r, row, control, text(row, &["account_id"]), text(row, &["region"]));
}

/// Powerpipe's JSON: groups of groups, each control with its results, a result's account and
/// region in its dimensions.
pub(super) fn steampipe_document(ev: &mut Evidence, r: &Reader, root: &Node, _: &Streamed) {
    let mut stack = vec![root];
    while let Some(group) = stack.pop() {
        for control in group.get("controls").map(Node::as_array).unwrap_or_default() {
            let id = text(control, &["control_id"]).unwrap_or("");
            for result in control.get("results").map(Node::as_array).unwrap_or_default() {
                let dimension = |key: &str| {
                    result
                        .get("dimensions")
                        .map(Node::as_array)
                        .unwrap_or_default()
                        .iter()
                        .find(|d| text(d, &["key"]) == Some(key))
                        .and_then(|d| text(d, &["value"]))
                };
                steampipe(ev, r, result, id, dimension("account_id"), dimension("region"));
            }
        }
        stack.extend(group.get("groups").map(Node::as_array).unwrap_or_default().iter().rev());
    }
}
