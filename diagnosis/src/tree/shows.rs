//! Never silent: an input we recognised that no finding cites still says what it shows and what
//! it cannot show (X0), so a person who pasted a healthy output learns what to paste next
//! instead of seeing it listed as "ok" with nothing beside it.

use super::nodes::the_only_node;
use super::{Tree, Var};
use crate::ingest::InputKind;
use crate::knowledge::{Code, Hint};
use crate::lines::Cite;

pub fn run(tree: &mut Tree) {
    // Which inputs a finding cites, read until every input is (a fleet's first finding cites
    // its one input: its hundreds of thousands of others are not read).
    let mut cited = vec![false; tree.inputs.len()];
    let mut uncited = cited.len();
    let mut cite_read = |cite: Cite| {
        if let Some(seen) = cited.get_mut(cite.input()).filter(|seen| !**seen) {
            *seen = true;
            uncited -= 1;
        }
        uncited == 0
    };
    if !tree.findings.iter().flat_map(|f| &f.evidence).any(|cite| cite_read(*cite)) {
        // And the findings of the rows kept as sets, as they will be made.
        if let Some(sets) = &tree.sets {
            sets.cites_until(tree, cite_read);
        }
    }
    let mut hints: Vec<Hint> = Vec::new();
    let mut cites: Vec<Cite> = Vec::new();
    for (index, input) in tree.inputs.iter().enumerate().filter(|(i, _)| !cited[*i]) {
        for part in &input.parts {
            // A command line says what was run, not what came back.
            let Some(kind) = part.kind.filter(|k| *k != InputKind::CliCommand) else { continue };
            let Some(hint) = Hint::from_name(&format!("shows-{}", kind.name())) else { continue };
            if !hints.contains(&hint) {
                hints.push(hint);
                cites.push(Cite::new(index, part.first_line));
            }
        }
    }
    if hints.is_empty() {
        return;
    }
    let node = the_only_node(tree.ev);
    let slots = tree.slots(node.node());
    tree.add_vars(Code::InputShowsNoFailure, node.node(), vec![("shows", Var::Hints(hints.into()))], cites, slots);
}
