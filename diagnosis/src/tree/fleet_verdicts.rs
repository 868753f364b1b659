//! The organisation views' result (Athena's CSV of `ssm_doctor_node_causes`, or `ssm-doctor sync
//! --format csv`) back into the tool: each row is the finding of its catalogue code for its node,
//! with the node's region in its commands. A `state` row (terminated, stopped, silent) is a note,
//! never a cause: the node is shown as such. Then one node's own outputs can be pasted beside it
//! for the deep diagnosis.

use rustc_hash::FxHashMap;

use super::{Strength, Tree, Var, Vars};
use crate::ids::Region;
use crate::knowledge::{slot_names, Code, Knowledge};
use crate::model::PatchState;

/// Every `{slot}` an entry's texts use, in both languages.
fn entry_slots(code: Code) -> Vec<&'static str> {
    let entry = Knowledge::get().entry(code);
    let mut names = slot_names(&entry.title.en);
    for text in [&entry.title.zh_cn, &entry.why.en, &entry.why.zh_cn, &entry.fix.en, &entry.fix.zh_cn] {
        for name in slot_names(text) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

pub fn run(tree: &mut Tree) {
    let ev = tree.ev;
    // A result holds a million rows of a dozen codes: each code's slots are read once.
    let mut slots_by_code: FxHashMap<Code, Vec<&'static str>> = FxHashMap::default();
    for row in &ev.fleet_verdicts {
        // The row's detail is the count, the instance's state, the association's document or
        // the last operation, as the rules wrote it; `{days}` is the rules' staleness; a failed
        // association's status is Failed; other slots (`{items}`) are left empty.
        let names = slots_by_code.entry(row.code).or_insert_with(|| entry_slots(row.code));
        let vars: Vars = names
            .iter()
            .map(|name| {
                let value = match *name {
                    "count" | "state" | "association" | "operation" => row.detail.clone(),
                    "days" => crate::sync::STALE_DAYS.to_string(),
                    "status" => "Failed".to_string(),
                    _ => String::new(),
                };
                (*name, Var::from(value))
            })
            .collect();
        let node = Some(row.node.as_str()).filter(|n| !n.is_empty());
        let mut slots = tree.slots(node);
        if let Some(region) = Region::parse(&row.region) {
            slots.region = Some(region);
        }
        // The patch state a code is about fills its commands' `{state}` filter.
        slots.state = match row.code.name() {
            "patch-failed" => Some(PatchState::Failed),
            "patch-pending-reboot" => Some(PatchState::InstalledPendingReboot),
            "patch-installed-rejected" => Some(PatchState::InstalledRejected),
            "patch-missing" | "install-succeeded-still-missing" => Some(PatchState::Missing),
            _ => slots.state,
        };
        let strength = if row.state { Strength::Recovered } else { Strength::Proven };
        tree.add_with_strength(row.code, node, vars, vec![row.cite], slots, strength);
    }
}
