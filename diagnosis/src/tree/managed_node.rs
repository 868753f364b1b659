//! M0: managed-node prerequisites (listed, online, agent version, diagnostics checks).

use super::{version_lt, Tree, Var};
use crate::ingest::InputKind;
use crate::knowledge::{Code, Hint};

/// AWS-RunPatchBaseline needs at least this agent (domain.md §B.8 G5).
const MIN_AGENT_FOR_PATCHING: &str = "2.0.834.0";

pub fn run(tree: &mut Tree) {
    let ev = tree.ev;
    for node in &ev.nodes {
        let id = node.instance_id.as_str();
        let slots = tree.slots(Some(id));
        let agent = node.agent_version.as_ref().map(|a| a.value.clone()).unwrap_or_default();
        match &node.ping_status {
            Some(ping) if !ping.value.eq_ignore_ascii_case("Online") => {
                tree.add(
                    Code::NodeNotOnline,
                    Some(id),
                    &[("status", ping.value.clone())],
                    vec![ping.cite],
                    slots.clone(),
                );
            }
            Some(ping) => {
                let mut cites = vec![ping.cite];
                cites.extend(node.agent_version.iter().map(|a| a.cite));
                tree.add(Code::NodeOnline, Some(id), &[("agent", agent.clone())], cites, slots.clone());
            }
            None => {}
        }
        if let Some(version) = &node.agent_version {
            if version_lt(&version.value, MIN_AGENT_FOR_PATCHING) {
                let vars = [
                    ("agent", agent.clone()),
                    ("minimum", MIN_AGENT_FOR_PATCHING.to_string()),
                    ("feature", "AWS-RunPatchBaseline".to_string()),
                ];
                tree.add(Code::AgentTooOld, Some(id), &vars, vec![version.cite], slots.clone());
            } else if node.is_latest_version == Some(false) {
                let vars = vec![("agent", agent.clone().into()), ("latest", Hint::NewerAvailable.into())];
                tree.add_vars(Code::AgentNotLatest, Some(id), vars, vec![version.cite], slots.clone());
            }
        }
    }
    not_listed(tree);
    for (cite, kind) in &ev.empty_lists {
        if *kind == InputKind::InstanceAssociationsStatus {
            let node = tree.slots(None).instance.map(String::from);
            let slots = tree.slots(node.as_deref());
            tree.add(Code::NodeNotRegistered, node.as_deref(), &[], vec![*cite], slots);
        }
    }
    diagnostics(tree);
}

/// `ssm-cli get-diagnostics`: each failed check is a cause; all passing is a note.
fn diagnostics(tree: &mut Tree) {
    let ev = tree.ev;
    if ev.diagnostics.is_empty() {
        return;
    }
    let node = ev
        .diagnostics
        .iter()
        .find(|d| d.check.contains("IMDS"))
        .and_then(|d| ev.context.instance_ids.iter().find(|i| d.note.contains(&i.value)))
        .map(|i| i.value.clone())
        .or_else(|| tree.slots(None).instance.map(String::from));
    let mut failed = false;
    for check in &ev.diagnostics {
        if check.status.eq_ignore_ascii_case("Failed") {
            failed = true;
            let slots = tree.slots(node.as_deref());
            // S3 is "optional" for registration but required for patching (M0.4).
            let code = if check.check.to_ascii_lowercase().contains("s3 endpoint") {
                Code::S3Unreachable
            } else {
                Code::DiagnosticsCheckFailed
            };
            tree.add(
                code,
                node.as_deref(),
                &[("check", check.check.clone()), ("note", check.note.clone())],
                vec![check.cite],
                slots,
            );
        }
        if check.check.contains("SSM Agent version") {
            // "SSM Agent version is 3.0.1209.0, latest available agent version is 3.1.192.0"
            let versions: Vec<&str> = check
                .note
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .filter(|w| w.matches('.').count() >= 2)
                .collect();
            if let [current, latest, ..] = versions.as_slice() {
                if version_lt(current, latest) {
                    let slots = tree.slots(node.as_deref());
                    let vars = [("agent", current.to_string()), ("latest", latest.to_string())];
                    tree.add(Code::AgentNotLatest, node.as_deref(), &vars, vec![check.cite], slots);
                }
            }
        }
    }
    if !failed {
        let cites = ev
            .diagnostics
            .iter()
            .filter(|d| d.status.eq_ignore_ascii_case("Success"))
            .map(|d| d.cite)
            .take(12)
            .collect();
        let slots = tree.slots(node.as_deref());
        tree.add(Code::DiagnosticsAllPassed, node.as_deref(), &[], cites, slots);
    }
}

/// M0.1: a describe-instance-information answer that does not list a node the other inputs are
/// about (or lists nothing at all).
fn not_listed(tree: &mut Tree) {
    let ev = tree.ev;
    for (cite, kind) in &ev.empty_lists {
        if *kind == InputKind::InstanceInformation {
            let node = tree.slots(None).instance.map(String::from);
            let slots = tree.slots(node.as_deref());
            let label = match &node {
                Some(id) => Var::Text(id.to_string()),
                None => Hint::TheNode.into(),
            };
            tree.add_vars(Code::NodeNotListed, node.as_deref(), vec![("node", label)], vec![*cite], slots);
        }
    }
    if ev.nodes.is_empty() {
        return;
    }
    let listed_ids: std::collections::HashSet<&str> = ev.nodes.iter().map(|n| n.instance_id.as_str()).collect();
    let listed = |id: &str| listed_ids.contains(id);
    let mut about: Vec<(&str, crate::model::Cite)> = Vec::new();
    about.extend(ev.patch_states.iter().map(|s| (s.instance_id.value.as_str(), s.instance_id.cite)));
    about.extend(ev.compliance_items.iter().map(|i| (i.resource_id.as_str(), i.cite)));
    about.extend(ev.resource_summaries.iter().map(|r| (r.resource_id.as_str(), r.cite)));
    for (id, cite) in about {
        if !id.is_empty() && !listed(id) {
            let slots = tree.slots(Some(id));
            let mut cites = vec![cite];
            cites.extend(ev.nodes.first().map(|n| n.cite));
            tree.add(Code::NodeNotListed, Some(id), &[("node", id.to_string())], cites, slots);
        }
    }
}
