//! N0/N1: which compliance types are NON_COMPLIANT (compliance items, summaries, events), and
//! the routing of NON_COMPLIANT items to their branch (AS0/AS1/INV0/CU0/Patch).

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use super::Tree;
use crate::ids::{BaselineId, Uuid};
use crate::ingest::InputKind;
use crate::knowledge::Code;
use crate::model::{Cite, PatchState};

/// AWS documents that download from S3 as they run (A10).
const S3_DOCUMENTS: &[&str] = &[
    "AWS-ConfigureAWSPackage",
    "AWS-RunRemoteScript",
    "AWS-ApplyAnsiblePlaybooks",
    "AWS-ApplyChefRecipes",
    "AWS-InstallApplication",
    "AWS-ApplyDSCMofs",
];

pub fn run(tree: &mut Tree) {
    items(tree);
    summaries(tree);
    roll_up(tree);
    events(tree);
    custom_from_cli(tree);
}

fn items(tree: &mut Tree) {
    let ev = tree.ev;
    if ev.compliance_items.is_empty() {
        return;
    }
    // NON_COMPLIANT Patch items per (node, state), gathered once: a node can have thousands.
    let mut patch_items: FxHashMap<(&str, PatchState), Vec<&str>> = FxHashMap::default();
    for i in &ev.compliance_items {
        if i.compliance_type.eq_ignore_ascii_case("Patch") && i.status.value.eq_ignore_ascii_case("NON_COMPLIANT") {
            let key = (i.resource_id.as_str(), i.patch_state.unwrap_or(PatchState::Missing));
            patch_items.entry(key).or_default().push(if i.id.is_empty() { i.title.as_str() } else { i.id.as_str() });
        }
    }
    let mut any_noncompliant = false;
    for item in ev.compliance_items.iter().filter(|i| i.status.value.eq_ignore_ascii_case("NON_COMPLIANT")) {
        any_noncompliant = true;
        let node = Some(item.resource_id.as_str()).filter(|n| !n.is_empty());
        let mut slots = tree.slots(node);
        let document = item.document_name.as_ref().map(|d| d.value.clone()).unwrap_or_default();
        let mut cites = vec![item.status.cite];
        cites.extend(item.document_name.iter().map(|d| d.cite));
        if item.compliance_type.eq_ignore_ascii_case("Association") {
            slots.more_mut().association = Uuid::parse(&item.id);
            let code = match document.as_str() {
                "AWS-RunPatchBaselineAssociation" => {
                    slots.baseline = item.patch_baseline_id.as_deref().and_then(BaselineId::parse);
                    Code::AssociationPatchNoncompliant
                }
                "AWS-GatherSoftwareInventory" => Code::InventoryAssociationNoncompliant,
                d if S3_DOCUMENTS.contains(&d) => Code::AssociationS3Document,
                _ => Code::AssociationNoncompliant,
            };
            // The titles that name the document themselves take the id alone.
            let association = match code {
                Code::AssociationNoncompliant | Code::AssociationS3Document => {
                    super::association::label(&item.id, &document)
                }
                _ => item.id.clone(),
            };
            let vars = [
                ("association", association),
                ("document", document.clone()),
                ("baseline", item.patch_baseline_id.clone().unwrap_or_default()),
            ];
            tree.add(code, node, &vars, cites, slots);
        } else if item.compliance_type.starts_with("Custom:") {
            let vars =
                [("type", item.compliance_type.clone()), ("id", item.id.clone()), ("severity", item.severity.clone())];
            tree.add_for_type(Code::CustomNoncompliant, node, &item.compliance_type, &vars, cites, slots);
        } else if item.compliance_type.eq_ignore_ascii_case("Patch") {
            let state = item.patch_state.unwrap_or(PatchState::Missing);
            slots.state = Some(state);
            slots.baseline = item.patch_baseline_id.as_deref().and_then(BaselineId::parse).or(slots.baseline);
            let names = patch_items.get(&(item.resource_id.as_str(), state)).map(Vec::as_slice).unwrap_or(&[]);
            let code = match state {
                PatchState::Failed => Code::PatchFailed,
                PatchState::InstalledPendingReboot => Code::PatchPendingReboot,
                PatchState::InstalledRejected => Code::PatchInstalledRejected,
                // A compliance item that is itself NON_COMPLIANT says the baseline counts it.
                PatchState::AvailableSecurityUpdate if item.status.value.eq_ignore_ascii_case("NON_COMPLIANT") => {
                    Code::PatchAvailableSecurityUpdate
                }
                PatchState::AvailableSecurityUpdate => Code::PatchAvailableSecurityUpdateUnconfirmed,
                _ => Code::PatchMissing,
            };
            let mut vars: super::Vars = vec![
                ("count", names.len().to_string().into()),
                ("operation", String::new().into()),
                ("reboot_hint", String::new().into()),
                ("missing_hint", String::new().into()),
            ];
            vars.extend(super::patch::item_vars(names.iter().copied()));
            tree.add_vars(code, node, vars, cites, slots);
        }
    }
    if !any_noncompliant {
        let cites: Vec<Cite> = ev.compliance_items.iter().map(|i| i.status.cite).take(10).collect();
        let node = ev.compliance_items.first().map(|i| i.resource_id.clone()).filter(|n| !n.is_empty());
        let slots = tree.slots(node.as_deref());
        tree.add(Code::ComplianceAllCompliant, node.as_deref(), &[], cites, slots);
        for (cite, kind) in &ev.truncated_lists {
            if *kind == InputKind::ComplianceItems {
                let slots = tree.slots(node.as_deref());
                tree.add(Code::ComplianceListTruncated, node.as_deref(), &[], vec![*cite], slots);
            }
        }
    }
}

/// `list-resource-compliance-summaries`: one row per node and type.
fn summaries(tree: &mut Tree) {
    let ev = tree.ev;
    let mut compliant_nodes: BTreeMap<&str, Vec<Cite>> = BTreeMap::new();
    let mut noncompliant_nodes: FxHashSet<&str> = FxHashSet::default();
    for row in &ev.resource_summaries {
        let node = row.resource_id.as_str();
        if row.status.value.eq_ignore_ascii_case("NON_COMPLIANT") {
            noncompliant_nodes.insert(node);
            let slots = tree.slots(Some(node));
            let vars = [
                ("type", row.compliance_type.clone()),
                ("count", row.non_compliant_count.to_string()),
                ("severity", row.overall_severity.clone()),
            ];
            let (kind, cites) = (&row.compliance_type, vec![row.status.cite]);
            tree.add_for_type(Code::ComplianceTypeNoncompliant, Some(node), kind, &vars, cites, slots);
        } else {
            compliant_nodes.entry(node).or_default().push(row.status.cite);
        }
    }
    for (node, cites) in compliant_nodes {
        if !noncompliant_nodes.contains(node) {
            let slots = tree.slots(Some(node));
            tree.add(Code::ComplianceAllCompliant, Some(node), &[], cites, slots);
        }
    }
}

/// `list-compliance-summaries`: account roll-up without node ids.
fn roll_up(tree: &mut Tree) {
    let ev = tree.ev;
    for row in &ev.compliance_summaries {
        if row.non_compliant.value > 0 {
            let slots = tree.slots(None);
            let vars = [("type", row.compliance_type.clone()), ("count", row.non_compliant.value.to_string())];
            let (kind, cites) = (&row.compliance_type, vec![row.non_compliant.cite]);
            tree.add_for_type(Code::ComplianceSummaryNoncompliant, None, kind, &vars, cites, slots);
        }
    }
    if !ev.compliance_summaries.is_empty() && ev.compliance_summaries.iter().all(|r| r.non_compliant.value == 0) {
        let cites = ev.compliance_summaries.iter().map(|r| r.non_compliant.cite).collect::<super::Cites>();
        let slots = tree.slots(None);
        tree.add(Code::ComplianceAllCompliant, None, &[], cites, slots);
    }
}

fn events(tree: &mut Tree) {
    let ev = tree.ev;
    for event in &ev.compliance_events {
        if event.status.value.eq_ignore_ascii_case("non_compliant") {
            let node = Some(event.resource_id.as_str()).filter(|n| !n.is_empty());
            let mut slots = tree.slots(node);
            slots.baseline = event.baseline_id.as_deref().and_then(BaselineId::parse);
            let vars = [
                ("type", event.compliance_type.clone()),
                ("severity", event.severity.clone().unwrap_or_else(|| "-".into())),
            ];
            let (kind, cites) = (&event.compliance_type, vec![event.status.cite]);
            tree.add_for_type(Code::ComplianceEventNoncompliant, node, kind, &vars, cites, slots);
        }
    }
}

/// `aws ssm put-compliance-items ... --compliance-type Custom:X --items ...Status=NON_COMPLIANT`
/// (CU0): the command line itself is the evidence of who writes the custom type.
fn custom_from_cli(tree: &mut Tree) {
    let ev = tree.ev;
    for cmd in ev.cli_commands.iter().filter(|c| c.operation == "put-compliance-items") {
        let Some(kind) = cmd.option("compliance-type").filter(|t| t.starts_with("Custom:")) else {
            continue;
        };
        let items = cmd.option("items").unwrap_or("");
        let field = |name: &str| {
            items.split([',', ' ']).find_map(|kv| {
                kv.split_once('=').filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.to_string())
            })
        };
        if !field("Status").is_some_and(|s| s.eq_ignore_ascii_case("NON_COMPLIANT")) {
            continue;
        }
        let node = cmd.option("resource-id").map(str::to_string);
        let slots = tree.slots(node.as_deref());
        let vars = [
            ("type", kind.to_string()),
            ("id", field("Id").unwrap_or_default()),
            ("severity", field("Severity").unwrap_or_default()),
        ];
        let cites = vec![cmd.option_cite("compliance-type"), cmd.option_cite("items")];
        tree.add_for_type(Code::CustomNoncompliant, node.as_deref(), kind, &vars, cites, slots);
    }
}
