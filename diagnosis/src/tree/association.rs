//! AS0–AS2 and INV0 from association data (describe-association, executions, targets, the
//! node's association statuses).

use super::{Tree, Var};
use crate::ids::Uuid;
use crate::knowledge::{Code, Hint};

pub fn run(tree: &mut Tree) {
    let ev = tree.ev;
    for event in &ev.association_events {
        if event.status.value.eq_ignore_ascii_case("Failed") {
            let node = event.instance_id.as_deref();
            let mut slots = tree.slots(node);
            slots.more_mut().association = Uuid::parse(&event.association_id);
            let vars = [
                ("association", label(&event.association_id, &event.document)),
                ("status", event.status.value.clone()),
                ("node", node.unwrap_or("-").to_string()),
                ("document", event.document.clone()),
            ];
            tree.add(Code::AssociationEventFailed, node, &vars, vec![event.status.cite], slots);
        }
    }
    for a in &ev.associations {
        let node = a.instance_id.as_deref();
        let mut slots = tree.slots(node);
        slots.more_mut().association = Uuid::parse(&a.association_id);
        let status = a.overview_status.as_ref().map(|s| s.value.clone()).unwrap_or_default();
        let detailed = a.detailed_status.as_ref().map(|s| s.value.clone()).unwrap_or_default();
        let mut cites: Vec<_> = a.overview_status.iter().map(|s| s.cite).collect();
        cites.extend(a.detailed_status.iter().map(|s| s.cite));
        let vars = [
            ("association", label(&a.association_id, &a.document)),
            ("document", a.document.clone()),
            ("status", status.clone()),
            ("detailed", detailed.clone()),
            ("detail", detailed.clone()),
        ];
        let inventory = a.document == "AWS-GatherSoftwareInventory";
        if a.sync_compliance.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("MANUAL")) {
            tree.add(Code::AssociationManualSync, node, &vars, cites.clone(), slots.clone());
        }
        let count = |name: &str| a.aggregated.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map_or(0, |(_, n)| *n);
        if status.eq_ignore_ascii_case("Pending") {
            tree.add(
                if inventory { Code::InventoryPending } else { Code::AssociationPending },
                node,
                &vars,
                cites,
                slots,
            );
        } else if status.eq_ignore_ascii_case("Failed") && count("Success") > 0 && count("Failed") > 0 {
            let counts = a.aggregated.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ");
            let mut vars = vars.to_vec();
            vars.push(("counts", counts));
            tree.add(Code::AssociationPartialFailure, node, &vars, cites, slots);
        } else if status.eq_ignore_ascii_case("Failed") {
            tree.add(Code::AssociationFailed, node, &vars, cites, slots);
        }
    }
    for run in &ev.association_runs {
        let node = run.resource_id.as_deref();
        let mut slots = tree.slots(node);
        slots.more_mut().association = Uuid::parse(&run.association_id);
        slots.more_mut().execution = Uuid::parse(&run.execution_id);
        if let Some(command) = &run.command_id {
            slots.more_mut().command = Uuid::parse(&command.value);
        }
        let target = match &run.resource_id {
            Some(id) => Var::from(id.as_str()),
            None => Hint::ItsTargets.into(),
        };
        let command = run.command_id.as_ref().map(|c| c.value.clone()).unwrap_or_else(|| "-".into());
        let vars = vec![
            ("association", run.association_id.clone().into()),
            ("execution", run.execution_id.clone().into()),
            ("status", run.status.value.clone().into()),
            ("target", target),
            ("command", command.into()),
        ];
        let mut cites = vec![run.status.cite];
        cites.extend(run.command_id.iter().map(|c| c.cite));
        let code = if run.status.value.eq_ignore_ascii_case("Success") {
            Code::AssociationSucceeded
        } else {
            Code::AssociationRunOutput
        };
        tree.add_vars(code, node, vars, cites.clone(), slots.clone());
        // The run's own command, when its output is pasted too: the failed step and its error,
        // one cause citing both the execution and the output.
        let failed = !run.status.value.eq_ignore_ascii_case("Success");
        let output = run.command_id.as_ref().and_then(|id| ev.command_runs.iter().find(|c| c.command_id == id.value));
        if let Some(command) = output.filter(|c| failed && !c.status.value.eq_ignore_ascii_case("Success")) {
            let error =
                [&command.error_output, &command.output].into_iter().flatten().find(|o| !o.value.trim().is_empty());
            cites.extend([command.status.cite]);
            cites.extend(error.map(|e| e.cite));
            let plugin = command.plugin.clone().unwrap_or_else(|| command.document.value.clone());
            let message = error.map(|e| last_line(&e.value)).unwrap_or_default();
            let message = if message.is_empty() { message } else { format!(": {message}") };
            let vars = vec![("plugin", plugin.into()), ("message", message.into())];
            tree.add_vars(
                Code::AssociationStepFailed,
                node.or(command.instance_ids.first().map(String::as_str)),
                vars,
                cites,
                slots,
            );
        }
    }
    {
        for row in &ev.association_statuses {
            // A8: an association that has never run on the node (Pending / Associated).
            if row.status.value.eq_ignore_ascii_case("Pending") {
                let node = Some(row.instance_id.as_str()).filter(|n| !n.is_empty());
                let mut slots = tree.slots(node);
                slots.more_mut().association = Uuid::parse(&row.association_id);
                let vars = [
                    ("association", label(&row.association_id, &row.document)),
                    ("document", row.document.clone()),
                    ("detailed", row.detailed_status.clone().unwrap_or_else(|| row.status.value.clone())),
                ];
                let code = if row.document == "AWS-GatherSoftwareInventory" {
                    Code::InventoryPending
                } else {
                    Code::AssociationPending
                };
                tree.add(code, node, &vars, vec![row.status.cite], slots);
            }
            if row.status.value.eq_ignore_ascii_case("Failed") || row.status.value.eq_ignore_ascii_case("TimedOut") {
                let node = Some(row.instance_id.as_str()).filter(|n| !n.is_empty());
                let mut slots = tree.slots(node);
                slots.more_mut().association = Uuid::parse(&row.association_id);
                let detail = [
                    row.error_code.as_ref().map(|e| e.value.clone()),
                    row.execution_summary.as_ref().map(|e| e.value.clone()),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" — ");
                let mut cites = vec![row.status.cite];
                cites.extend(row.error_code.iter().map(|e| e.cite));
                cites.extend(row.execution_summary.iter().map(|e| e.cite));
                let vars = [
                    ("association", label(&row.association_id, &row.document)),
                    ("document", row.document.clone()),
                    ("status", row.status.value.clone()),
                    ("detail", detail),
                ];
                tree.add(Code::AssociationFailed, node, &vars, cites, slots);
            }
        }
    }
}

/// How a text names an association: its id and document (`2b3c… (Ops-HardenSshd)`), or the
/// document alone when no id is known (an answer given without one).
pub(super) fn label(id: &str, document: &str) -> String {
    match (id.is_empty(), document.is_empty()) {
        (false, false) => format!("{id} ({document})"),
        (false, true) => id.to_string(),
        (true, _) => document.to_string(),
    }
}

/// The last non-empty line of a command's output (where its error usually is), shortened.
fn last_line(text: &str) -> String {
    let line = text
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("failed to run commands"))
        .unwrap_or("");
    line.chars().take(200).collect()
}
