//! P1/P3 from Run Command history: which document ran, whether it can update compliance, how
//! it ended, and whether the pasted output was cut by the API.

use super::{is_non_compliance_patch_document, is_patch_document, Tree};
use crate::ids::Uuid;
use crate::ingest::InputKind;
use crate::knowledge::Code;
use crate::model::CommandRun;

/// `get-command-invocation` returns at most this much stdout / stderr (domain.md §A.5.2).
const STDOUT_LIMIT: usize = 24_000;
const STDERR_LIMIT: usize = 8_000;

pub fn run(tree: &mut Tree) {
    let ev = tree.ev;
    for run in &ev.command_runs {
        let doc = run.document.value.as_str();
        let status = run.status.value.as_str();
        if is_patch_document(doc) {
            patch_run(tree, run);
        } else if is_non_compliance_patch_document(doc) {
            for node in nodes_of(run) {
                let mut slots = tree.slots(node);
                slots.more_mut().command = Uuid::parse(&run.command_id);
                tree.add(
                    Code::NotComplianceDocument,
                    node,
                    &[("document", doc.to_string())],
                    vec![run.document.cite],
                    slots,
                );
            }
        } else if status.eq_ignore_ascii_case("Success") && run.response_code.is_some() {
            let node = run.instance_ids.first().map(String::as_str);
            let mut slots = tree.slots(node);
            slots.more_mut().command = Uuid::parse(&run.command_id);
            let code = run.response_code.as_ref().map(|c| c.value.to_string()).unwrap_or_default();
            let vars = [("document", doc.to_string()), ("instance", node.unwrap_or("-").to_string()), ("code", code)];
            let mut cites = vec![run.status.cite];
            cites.extend(run.response_code.iter().map(|c| c.cite));
            tree.add(Code::CommandSucceeded, node, &vars, cites, slots);
        }
        truncation(tree, run);
    }
    never_ran(tree);
    concurrent(tree);
}

/// P1: a command history for a node with no compliance-capable patch run in it.
fn never_ran(tree: &mut Tree) {
    let ev = tree.ev;
    let history: Vec<&CommandRun> = ev
        .command_runs
        .iter()
        .filter(|c| matches!(c.source, InputKind::Commands | InputKind::CommandInvocations))
        .collect();
    let mut nodes: Vec<&str> = history.iter().flat_map(|c| c.instance_ids.iter().map(String::as_str)).collect();
    nodes.sort();
    nodes.dedup();
    for node in nodes {
        let runs: Vec<&&CommandRun> = history.iter().filter(|c| c.instance_ids.iter().any(|i| i == node)).collect();
        if runs.iter().all(|c| !is_patch_document(&c.document.value)) {
            let slots = tree.slots(Some(node));
            let cites = runs.iter().map(|c| c.document.cite).take(6).collect::<super::Cites>();
            tree.add(Code::PatchNeverRan, Some(node), &[("node", node.to_string())], cites, slots);
        }
    }
}

/// L28: two patch runs on one node less than two minutes apart.
fn concurrent(tree: &mut Tree) {
    let ev = tree.ev;
    let mut runs: Vec<(&str, f64, &CommandRun)> = ev
        .command_runs
        .iter()
        .filter(|c| is_patch_document(&c.document.value))
        .flat_map(|c| {
            let at = c.requested.as_ref().and_then(|t| t.epoch);
            c.instance_ids.iter().filter_map(move |i| Some((i.as_str(), at?, c)))
        })
        .collect();
    runs.sort_by(|a, b| a.0.cmp(b.0).then(a.1.total_cmp(&b.1)));
    for pair in runs.windows(2) {
        let ((node, t1, first), (other, t2, second)) = (pair[0], pair[1]);
        if node == other && first.command_id != second.command_id && t2 - t1 < 120.0 {
            let slots = tree.slots(Some(node));
            let vars = [("gap", format!("{:.0} s", t2 - t1)), ("node", node.to_string())];
            tree.add(Code::ConcurrentPatchRuns, Some(node), &vars, vec![first.cite, second.cite], slots);
        }
    }
}

fn nodes_of(run: &CommandRun) -> Vec<Option<&str>> {
    if run.instance_ids.is_empty() {
        vec![None]
    } else {
        run.instance_ids.iter().map(|i| Some(i.as_str())).collect()
    }
}

fn patch_run(tree: &mut Tree, run: &CommandRun) {
    let status = run.status.value.as_str();
    let operation = run.operation.as_ref().map(|o| o.value.as_str()).unwrap_or("");
    if status.eq_ignore_ascii_case("Success") {
        if operation.eq_ignore_ascii_case("Install") {
            let time = run.requested.as_ref().map(|t| t.text.clone()).unwrap_or_default();
            let count = run.instance_ids.len().max(1).to_string();
            let vars = [("status", status.to_string()), ("count", count), ("time", time)];
            let mut cites = vec![run.document.cite];
            cites.extend(run.operation.iter().map(|o| o.cite));
            cites.extend(run.reboot_option.iter().map(|o| o.cite));
            cites.push(run.status.cite);
            let node = match run.instance_ids.as_slice() {
                [one] => Some(one.as_str()),
                _ => None,
            };
            let mut slots = tree.slots(node);
            slots.more_mut().command = Uuid::parse(&run.command_id);
            tree.add(Code::PatchInstallRan, node, &vars, cites, slots);
        }
    } else if status == "Pending" && run.status_details.as_deref().is_none_or(|d| d == "Pending") {
        // Pending is every command's first state: only a command that stays so was not picked up.
        state_per_node(tree, run, Code::PatchCommandPending, None);
    } else if matches!(status, "Pending" | "Delayed")
        || run
            .status_details
            .as_deref()
            .is_some_and(|d| matches!(d, "Undeliverable" | "Delivery Timed Out" | "DeliveryTimedOut"))
    {
        let status = run.status_details.clone().unwrap_or_else(|| status.to_string());
        state_per_node(tree, run, Code::PatchCommandNotDelivered, Some(status));
    } else if status.eq_ignore_ascii_case("InProgress") {
        state_per_node(tree, run, Code::PatchCommandInProgress, None);
    } else if [
        "Failed",
        "TimedOut",
        "Cancelled",
        "DeliveryTimedOut",
        "ExecutionTimedOut",
        "Undeliverable",
        "Terminated",
    ]
    .iter()
    .any(|s| status.eq_ignore_ascii_case(s))
    {
        for node in nodes_of(run) {
            let mut slots = tree.slots(node);
            slots.more_mut().command = Uuid::parse(&run.command_id);
            let code = run.response_code.as_ref().map(|c| c.value.to_string()).unwrap_or_else(|| "-".into());
            let vars = [("document", run.document.value.clone()), ("status", status.to_string()), ("code", code)];
            let mut cites = vec![run.status.cite];
            cites.extend(run.response_code.iter().map(|c| c.cite));
            tree.add(Code::PatchCommandFailed, node, &vars, cites, slots);
        }
    }
}

/// A finding of `code` for each node the run names, citing its status (and saying it, when
/// `status` is given), with the run's command id in its commands.
fn state_per_node(tree: &mut Tree, run: &CommandRun, code: Code, status: Option<String>) {
    for node in nodes_of(run) {
        let mut slots = tree.slots(node);
        slots.more_mut().command = Uuid::parse(&run.command_id);
        let mut vars = vec![("node", node.unwrap_or("-").to_string())];
        vars.extend(status.clone().map(|s| ("status", s)));
        tree.add(code, node, &vars, vec![run.status.cite], slots);
    }
}

fn truncation(tree: &mut Tree, run: &CommandRun) {
    for (field, limit) in [(&run.output, STDOUT_LIMIT), (&run.error_output, STDERR_LIMIT)] {
        let Some(output) = field else { continue };
        let length = output.value.chars().count();
        if length >= limit || output.value.contains("---Output truncated---") {
            let node = run.instance_ids.first().map(String::as_str);
            let mut slots = tree.slots(node);
            slots.more_mut().command = Uuid::parse(&run.command_id);
            let vars = [("length", length.to_string()), ("limit", limit.to_string())];
            tree.add(Code::CommandOutputTruncated, node, &vars, vec![output.cite], slots);
        }
    }
}
