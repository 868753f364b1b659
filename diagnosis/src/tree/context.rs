//! N0: which node and region the inputs are about. When no region appears anywhere, say so once
//! (every AWS CLI command then shows `<region>`) and how to find it. A region the person types
//! in answers it too: the report leaves this check out then.

use super::Tree;
use crate::knowledge::{Code, Knowledge, Shell};

pub fn run(tree: &mut Tree) {
    let knowledge = Knowledge::get();
    let needs_region = |code: Code| {
        knowledge.entry(code).commands.iter().any(|t| {
            let template = knowledge.command(*t);
            template.shell == Shell::AwsCli && template.text.contains("{region}")
        })
    };
    // A set row's findings target the inputs' region, as the tree's row findings do.
    let sets_need_region = tree.region.is_none()
        && tree.sets.as_ref().is_some_and(|sets| sets.codes().iter().any(|code| needs_region(code.code())));
    let missing_region =
        sets_need_region || tree.findings.iter().any(|f| f.slots.region.is_none() && needs_region(f.code));
    if missing_region {
        let slots = tree.slots(None);
        // Evidence of an absence: the node the commands are about, where it was named.
        let cites = tree.ev.context.instance_ids.first().map(|i| i.cite).into_iter().collect::<super::Cites>();
        tree.add(Code::RegionUnknown, None, &[], cites, slots);
    }
}
