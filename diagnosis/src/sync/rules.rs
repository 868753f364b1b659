//! The fleet-level part of the decision tree as data: each rule a catalogue code and the facts
//! it needs. The CLI evaluates these rules on a sync tree; `sql.rs` writes the same rules as SQL
//! views, so the two engines cannot disagree by construction, and a test runs both on one tree.

use super::Facts;
use crate::knowledge::{Code, Knowledge};

/// A node whose record is older than this stopped reporting: shown as silent, not diagnosed.
pub const STALE_DAYS: i64 = 7;

/// A fact of a node: a column of the `ssm_doctor_node_facts` view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    InstanceStatus,
    InfoCapture,
    HasPatchSummary,
    PatchCapture,
    Operation,
    Failed,
    PendingReboot,
    Rejected,
    Missing,
}

impl Field {
    pub fn column(self) -> &'static str {
        match self {
            Field::InstanceStatus => "instance_status",
            Field::InfoCapture => "info_capture",
            Field::HasPatchSummary => "has_patch_summary",
            Field::PatchCapture => "patch_capture",
            Field::Operation => "operation",
            Field::Failed => "failed",
            Field::PendingReboot => "pending_reboot",
            Field::Rejected => "rejected",
            Field::Missing => "missing",
        }
    }

    fn number(self, f: &Facts) -> Option<i64> {
        match self {
            Field::Failed => f.failed,
            Field::PendingReboot => f.pending_reboot,
            Field::Rejected => f.rejected,
            Field::Missing => f.missing,
            _ => None,
        }
    }

    fn text(self, f: &Facts) -> Option<String> {
        match self {
            Field::InstanceStatus => f.instance_status.clone(),
            Field::Operation => f.operation.clone(),
            other => other.number(f).map(|n| n.to_string()),
        }
    }

    fn time(self, f: &Facts) -> Option<f64> {
        match self {
            Field::InfoCapture => f.info_capture,
            Field::PatchCapture => f.patch_capture,
            _ => None,
        }
    }
}

/// A condition on one fact. Every condition with a missing fact is false, as in SQL.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cond {
    /// The text is one of these.
    In(Field, &'static [&'static str]),
    /// The number is greater than this.
    Above(Field, i64),
    /// The time is more than this many days before now.
    OlderThanDays(Field, i64),
    /// The node has (or has not) an `AWS:PatchSummary` record.
    Has(Field, bool),
}

impl Cond {
    pub fn holds(self, f: &Facts, now: f64) -> bool {
        match self {
            Cond::In(field, values) => field.text(f).is_some_and(|v| values.contains(&v.as_str())),
            Cond::Above(field, n) => field.number(f).is_some_and(|v| v > n),
            Cond::OlderThanDays(field, days) => field.time(f).is_some_and(|t| t < now - (days * 86_400) as f64),
            Cond::Has(Field::HasPatchSummary, want) => f.has_patch_summary == want,
            Cond::Has(_, _) => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// The node is gone or silent: shown as such, and nothing else is said of it.
    State,
    /// A cause of NON_COMPLIANT.
    Cause,
}

impl RuleKind {
    pub fn name(self) -> &'static str {
        match self {
            RuleKind::State => "state",
            RuleKind::Cause => "cause",
        }
    }
}

/// A rule: a catalogue code, its ref, and the conditions that must all hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub code: &'static str,
    pub reference: &'static str,
    pub kind: RuleKind,
    pub when: &'static [Cond],
    /// The fact the row shows beside the code.
    pub detail: Option<Field>,
}

impl Rule {
    pub fn holds(&self, facts: &Facts, now: f64) -> bool {
        self.when.iter().all(|c| c.holds(facts, now))
    }

    pub fn detail(&self, facts: &Facts) -> String {
        self.detail.and_then(|f| f.text(facts)).unwrap_or_default()
    }
}

use Cond::*;
use Field::*;

/// In order: the first state rule that holds wins; otherwise every cause rule that holds.
pub const RULES: &[Rule] = &[
    Rule {
        code: "instance-not-running",
        reference: "G12",
        kind: RuleKind::State,
        when: &[In(InstanceStatus, &["Terminated", "Stopped"])],
        detail: Some(InstanceStatus),
    },
    Rule {
        code: "sync-inventory-silent",
        reference: "INV0",
        kind: RuleKind::State,
        when: &[OlderThanDays(InfoCapture, STALE_DAYS)],
        detail: None,
    },
    Rule {
        code: "sync-patch-record-stale",
        reference: "P0",
        kind: RuleKind::State,
        when: &[OlderThanDays(PatchCapture, STALE_DAYS)],
        detail: Some(Operation),
    },
    Rule {
        code: "patch-data-missing",
        reference: "P0",
        kind: RuleKind::Cause,
        when: &[Has(HasPatchSummary, false)],
        detail: None,
    },
    Rule {
        code: "patch-failed",
        reference: "P3",
        kind: RuleKind::Cause,
        when: &[Above(Failed, 0)],
        detail: Some(Failed),
    },
    Rule {
        code: "patch-pending-reboot",
        reference: "P4",
        kind: RuleKind::Cause,
        when: &[Above(PendingReboot, 0)],
        detail: Some(PendingReboot),
    },
    Rule {
        code: "patch-installed-rejected",
        reference: "P5",
        kind: RuleKind::Cause,
        when: &[Above(Rejected, 0)],
        detail: Some(Rejected),
    },
    Rule {
        code: "patch-missing",
        reference: "P6",
        kind: RuleKind::Cause,
        when: &[Above(Missing, 0), In(Operation, &["Scan"])],
        detail: Some(Missing),
    },
    Rule {
        code: "install-succeeded-still-missing",
        reference: "W5",
        kind: RuleKind::Cause,
        when: &[Above(Missing, 0), In(Operation, &["Install"])],
        detail: Some(Missing),
    },
];

/// A NON_COMPLIANT association item (`AWS:ComplianceItem`): one row per document.
pub const ASSOCIATION_RULE: Rule =
    Rule { code: "association-failed", reference: "AS2", kind: RuleKind::Cause, when: &[], detail: None };

/// Every rule's code is a catalogue code with that ref (checked by a test).
pub fn check_against_catalogue() -> Result<(), String> {
    let knowledge = Knowledge::get();
    for rule in RULES.iter().chain([&ASSOCIATION_RULE]) {
        let code = Code::from_name(rule.code).ok_or_else(|| format!("{}: not a catalogue code", rule.code))?;
        let entry = knowledge.entry(code);
        if entry.reference != rule.reference {
            return Err(format!("{}: catalogue ref {}, rule says {}", rule.code, entry.reference, rule.reference));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_rule_is_a_catalogue_code_with_its_ref() {
        super::check_against_catalogue().unwrap();
    }
}
