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
            slots.association = Uuid::parse(&event.association_id);
            let vars = [
                ("association", event.association_id.clone()),
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
        slots.association = Uuid::parse(&a.association_id);
        let status = a.overview_status.as_ref().map(|s| s.value.clone()).unwrap_or_default();
        let detailed = a.detailed_status.as_ref().map(|s| s.value.clone()).unwrap_or_default();
        let mut cites: Vec<_> = a.overview_status.iter().map(|s| s.cite).collect();
        cites.extend(a.detailed_status.iter().map(|s| s.cite));
        let vars = [
            ("association", a.association_id.clone()),
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
        slots.association = Uuid::parse(&run.association_id);
        slots.execution = Uuid::parse(&run.execution_id);
        if let Some(command) = &run.command_id {
            slots.command = Uuid::parse(&command.value);
        }
        let target = match &run.resource_id {
            Some(id) => Var::Text(id.clone()),
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
        tree.add_vars(code, node, vars, cites, slots);
    }
    {
        for row in &ev.association_statuses {
            if row.status.value.eq_ignore_ascii_case("Failed") || row.status.value.eq_ignore_ascii_case("TimedOut") {
                let node = Some(row.instance_id.as_str()).filter(|n| !n.is_empty());
                let mut slots = tree.slots(node);
                slots.association = Uuid::parse(&row.association_id);
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
                    ("association", row.association_id.clone()),
                    ("document", row.document.clone()),
                    ("status", row.status.value.clone()),
                    ("detail", detail),
                ];
                tree.add(Code::AssociationFailed, node, &vars, cites, slots);
            }
        }
    }
}
