//! M0.3 from CloudTrail: Systems Manager calls made by the node's role that were denied or
//! failed (PutInventory, PutComplianceItems, GetDeployablePatchSnapshotForInstance, …).

use super::Tree;
use crate::knowledge::Code;

/// Calls the node makes to report compliance or get its patch snapshot.
const NODE_CALLS: &[&str] = &[
    "PutInventory",
    "PutComplianceItems",
    "GetDeployablePatchSnapshotForInstance",
    "UpdateInstanceInformation",
    "UpdateInstanceAssociationStatus",
    "ListInstanceAssociations",
    "GetManifest",
];

pub fn run(tree: &mut Tree) {
    let ev = tree.ev;
    for event in &ev.trail_events {
        let Some(error) = &event.error_code else { continue };
        let node = event.instance_id.as_deref();
        let slots = tree.slots(node);
        let vars = [
            ("event", event.event_name.clone()),
            ("error", error.value.clone()),
            ("principal", event.principal.clone().unwrap_or_else(|| "-".into())),
            ("message", event.error_message.clone().unwrap_or_default()),
        ];
        let denied = error.value.contains("AccessDenied") || error.value.contains("UnauthorizedOperation");
        let code = if denied && NODE_CALLS.contains(&event.event_name.as_str()) {
            Code::TrailNodeCallDenied
        } else if error.value.contains("Throttling") {
            Code::TrailThrottled
        } else {
            Code::TrailCallFailed
        };
        tree.add(code, node, &vars, vec![event.cite, error.cite], slots);
    }
}
