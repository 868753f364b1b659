//! N0: which node and region the inputs are about. When no region appears anywhere, say so once
//! (every AWS CLI command then shows `<region>`) and how to find it.

use super::Tree;

pub fn run(tree: &mut Tree) {
    let missing_region = tree.findings.iter().any(|f| f.commands.iter().any(|c| c.placeholders.contains(&"region")));
    if missing_region {
        let slots = tree.slots(None);
        // Evidence of an absence: the node the commands are about, where it was named.
        let cites = tree.ev.context.instance_ids.first().map(|i| i.cite).into_iter().collect();
        tree.add("region-unknown", None, &[], cites, slots);
    }
}
