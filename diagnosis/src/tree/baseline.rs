//! P7 cross-checks between the baseline a node used and the one its patch group should use, and
//! the fleet and inventory views (patch-group state, inventory entries).

use super::Tree;
use crate::ids::BaselineId;
use crate::knowledge::Code;
use crate::model::PatchState;

pub fn run(tree: &mut Tree) {
    let ev = tree.ev;
    for state in ev.patch_states.iter() {
        let (Some(group), Some(used)) = (state.patch_group(), state.baseline_id()) else { continue };
        if group.value.is_empty() {
            continue;
        }
        let node = state.instance_id().value;
        // A group has one baseline per operating system: compare only the node's own.
        let os = tree.facts_of(Some(node)).os;
        let same_os = |m: &&crate::model::PatchGroupMapping| os.is_none_or(|os| m.operating_system == os);
        for mapping in ev.patch_group_mappings.iter().filter(|m| m.patch_group == group.value).filter(same_os) {
            if mapping.baseline_id != used.value && !mapping.baseline_id.is_empty() {
                let mut slots = tree.slots(Some(node));
                slots.patch_group = Some(group.value.into());
                slots.baseline = BaselineId::parse(&mapping.baseline_id);
                let vars = [
                    ("node", node.to_string()),
                    ("used", used.value.to_string()),
                    ("group", group.value.to_string()),
                    ("registered", mapping.baseline_id.clone()),
                ];
                tree.add(Code::BaselineMismatch, Some(node), &vars, vec![used.cite, group.cite, mapping.cite], slots);
            }
        }
    }
    for group in &ev.patch_group_states {
        let count = |key: &str| group.counts.iter().find(|(k, _)| k == key).map_or(0, |(_, f)| f.value);
        let noncompliant = [
            "InstancesWithMissingPatches",
            "InstancesWithFailedPatches",
            "InstancesWithInstalledPendingRebootPatches",
            "InstancesWithInstalledRejectedPatches",
        ];
        let cites = group
            .counts
            .iter()
            .filter(|(k, f)| noncompliant.contains(&k.as_str()) && f.value > 0)
            .map(|(_, f)| f.cite)
            .collect::<Vec<_>>();
        let vars = [
            ("total", count("Instances").to_string()),
            ("missing", count("InstancesWithMissingPatches").to_string()),
            ("failed", count("InstancesWithFailedPatches").to_string()),
            ("reboot", count("InstancesWithInstalledPendingRebootPatches").to_string()),
            ("rejected", count("InstancesWithInstalledRejectedPatches").to_string()),
        ];
        let slots = tree.slots(None);
        let cites = if cites.is_empty() { vec![group.cite] } else { cites };
        tree.add(Code::PatchGroupState, None, &vars, cites, slots);
        // Each non-compliant state the group's nodes are in is a cause of its own (P3–P6),
        // with the command that lists those nodes.
        for (key, state, code) in [
            ("InstancesWithFailedPatches", PatchState::Failed, Code::GroupNodesFailed),
            (
                "InstancesWithInstalledPendingRebootPatches",
                PatchState::InstalledPendingReboot,
                Code::GroupNodesPendingReboot,
            ),
            ("InstancesWithInstalledRejectedPatches", PatchState::InstalledRejected, Code::GroupNodesRejected),
            ("InstancesWithMissingPatches", PatchState::Missing, Code::GroupNodesMissing),
        ] {
            let Some((_, nodes)) = group.counts.iter().find(|(k, f)| k == key && f.value > 0) else { continue };
            let mut slots = tree.slots(None);
            slots.state = Some(state);
            tree.add(code, None, &[("count", nodes.value.to_string())], vec![nodes.cite], slots);
        }
    }
    for inv in &ev.inventory {
        if inv.entries == 0 {
            let node = Some(inv.instance_id.as_str()).filter(|n| !n.is_empty());
            let slots = tree.slots(node);
            tree.add(Code::InventoryEmpty, node, &[("type", inv.type_name.clone())], vec![inv.cite], slots);
        }
    }
}
