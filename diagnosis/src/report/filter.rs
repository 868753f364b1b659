//! What a fleet's tables are filtered by. The group table (on the page) and the node table (in
//! the worker) read the same words with this one rule, so typing `L1` finds the same nodes in
//! both: a finding's ref matches whole (`L1` is not `L10`), a node id and a text by what they
//! contain, case aside (ASCII folding: ids, refs and the titles' AWS names are ASCII, and
//! Unicode's case tables would cost the page's bundle 3 KB).

use super::{FindingGroup, NodeVerdict};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FleetFilter {
    needle: String,
}

impl FleetFilter {
    pub fn new(text: &str) -> FleetFilter {
        FleetFilter { needle: text.trim().to_ascii_lowercase() }
    }

    pub fn is_empty(&self) -> bool {
        self.needle.is_empty()
    }

    fn is_ref(&self, reference: &str) -> bool {
        reference.eq_ignore_ascii_case(&self.needle)
    }

    fn in_text(&self, text: &str) -> bool {
        text.to_ascii_lowercase().contains(&self.needle)
    }

    /// A group: its ref, its title, or one of its nodes.
    pub fn group(&self, group: &FindingGroup) -> bool {
        self.is_empty()
            || self.is_ref(&group.reference)
            || self.in_text(&group.title)
            || group.nodes.iter().any(|n| self.in_text(n))
    }

    /// A node: one of its refs, its id, or its verdict.
    pub fn node(&self, node: &NodeVerdict) -> bool {
        self.is_empty()
            || node.refs.iter().any(|r| self.is_ref(r))
            || self.in_text(&node.node)
            || self.in_text(&node.verdict)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{diagnose, Lang, Source};
    use std::collections::BTreeSet;

    /// The group table and the node table agree: the nodes of the groups a ref finds are the
    /// nodes the node table finds for it; an id finds the groups that hold that node, and that
    /// node alone.
    #[test]
    fn the_group_table_and_the_node_table_find_the_same_nodes() {
        let fleet = crate::generate::generate("instance-patch-states", 400, 11).unwrap();
        let report = diagnose(&[Source { name: "fleet.json", bytes: fleet.as_bytes() }], Lang::En);
        assert!(report.groups.len() >= 3 && report.nodes.len() >= 300);
        let node_table = |filter: &FleetFilter| -> BTreeSet<&str> {
            report.nodes.iter().filter(|n| filter.node(n)).map(|n| n.node.as_str()).collect()
        };
        for group in report.groups.iter().filter(|g| !g.nodes.is_empty()) {
            let filter = FleetFilter::new(&group.reference.to_ascii_lowercase());
            let by_group: BTreeSet<&str> =
                report.groups.iter().filter(|g| filter.group(g)).flat_map(|g| g.nodes.iter().map(|n| &**n)).collect();
            assert_eq!(by_group, node_table(&filter), "{}", group.reference);
        }
        for node in report.nodes.iter().step_by(40) {
            let filter = FleetFilter::new(&node.node.to_ascii_uppercase());
            let holding: Vec<&str> = report
                .groups
                .iter()
                .filter(|g| g.nodes.iter().any(|n| **n == *node.node))
                .map(|g| g.reference.as_str())
                .collect();
            let found: Vec<&str> =
                report.groups.iter().filter(|g| filter.group(g)).map(|g| g.reference.as_str()).collect();
            assert_eq!(found, holding, "{}", node.node);
            assert_eq!(node_table(&filter), BTreeSet::from([node.node.as_str()]));
        }
        // A ref is matched whole: "L1" is not "L10", and "P" alone is no ref.
        assert!(!FleetFilter::new("l1").is_ref("L10") && FleetFilter::new(" l1 ").is_ref("L1"));
        assert!(report.groups.iter().all(|g| !FleetFilter::new(&g.reference[..1]).is_ref(&g.reference)));
    }
}
