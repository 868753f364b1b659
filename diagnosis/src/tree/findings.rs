//! The settled findings, in the report's order, as the report reads them: the tree's own held
//! made, and a fleet's set rows' ([`super::sets`]) made from their rows when they are read. What
//! a node table or a group needs of a finding (its code, role, node, region, slots, values) is
//! read without making it.

use std::borrow::Cow;
use std::sync::Arc;

use super::sets::{Place as Settled, SetAt, SetFindings};
use super::{Finding, NodeId, Strength, VarList};
use crate::commands::Slots;
use crate::ids::Region;
use crate::intern::Sym;
use crate::knowledge::{Code, Role};
use crate::lines::Cite;

/// The settled findings ([`Findings::get`] the `i`-th, in the report's order).
#[derive(Clone, Default)]
pub struct Findings {
    /// The findings the tree made: in the report's order when there are no set rows, else
    /// placed by the sets' order.
    made: Vec<Finding>,
    /// Each made finding's node, as the tree interned it (empty when not known).
    made_syms: Vec<Option<Sym>>,
    sets: Option<Arc<SetFindings>>,
}

impl std::fmt::Debug for Findings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Equal when they hold the same findings, in the same order, with the same nodes' symbols:
/// however each is held (made, or a set row's).
impl PartialEq for Findings {
    fn eq(&self, other: &Findings) -> bool {
        self.len() == other.len()
            && self.has_node_syms() == other.has_node_syms()
            && (0..self.len()).all(|i| self.get(i) == other.get(i) && self.node_sym(i) == other.node_sym(i))
    }
}

/// A finding's place, read.
enum Place<'d> {
    Made(&'d Finding, Option<Sym>),
    Set(&'d SetFindings, SetAt),
}

impl Findings {
    /// Findings made, in the report's order, with their nodes' symbols (or none).
    pub(crate) fn made(made: Vec<Finding>, made_syms: Vec<Option<Sym>>) -> Findings {
        debug_assert!(made_syms.is_empty() || made_syms.len() == made.len());
        Findings { made, made_syms, sets: None }
    }

    /// The tree's findings and a fleet's set rows, in the sets' order.
    pub(super) fn with_sets(made: Vec<Finding>, made_syms: Vec<Option<Sym>>, sets: SetFindings) -> Findings {
        Findings { made, made_syms, sets: Some(Arc::new(sets)) }
    }

    pub fn len(&self) -> usize {
        self.sets.as_ref().map_or(self.made.len(), |s| s.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn place(&self, i: usize) -> Place<'_> {
        let made = |m: usize| Place::Made(&self.made[m], self.made_syms.get(m).copied().flatten());
        match &self.sets {
            None => made(i),
            Some(sets) => match sets.at(i) {
                Settled::Tree(m) => made(m),
                Settled::Set(at) => Place::Set(sets, at),
            },
        }
    }

    /// The `i`-th finding: borrowed when the tree made it, made when it is a set row's.
    pub fn get(&self, i: usize) -> Cow<'_, Finding> {
        match self.place(i) {
            Place::Made(f, _) => Cow::Borrowed(f),
            Place::Set(sets, at) => Cow::Owned(sets.finding(at)),
        }
    }

    /// Every finding, in order (a set row's made as it comes).
    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, Finding>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    pub fn code(&self, i: usize) -> Code {
        match self.place(i) {
            Place::Made(f, _) => f.code,
            Place::Set(sets, at) => sets.code(at),
        }
    }

    pub fn role(&self, i: usize) -> Role {
        match self.place(i) {
            Place::Made(f, _) => f.role(),
            Place::Set(sets, at) => sets.role(at),
        }
    }

    pub fn strength(&self, i: usize) -> Strength {
        match self.place(i) {
            Place::Made(f, _) => f.strength,
            Place::Set(..) => Strength::Proven,
        }
    }

    /// Its node's id.
    pub fn node(&self, i: usize) -> Option<&str> {
        match self.place(i) {
            Place::Made(f, _) => f.node.as_deref(),
            Place::Set(sets, at) => Some(sets.node(at)),
        }
    }

    /// Its node's id, as a finding holds it (shared where ids are not inline).
    pub fn node_id(&self, i: usize) -> Option<&NodeId> {
        match self.place(i) {
            Place::Made(f, _) => f.node.as_ref(),
            Place::Set(sets, at) => Some(sets.node_id(at)),
        }
    }

    /// The places of the findings about `node`, in order. A set row's node is compared by its
    /// symbol, the id looked up once: opening one node of a fleet compares 440,000 numbers, not
    /// as many ids read back from the rows.
    pub fn of_node<'s>(&'s self, node: &'s str) -> impl Iterator<Item = usize> + 's {
        let sym = self.sets.as_ref().and_then(|sets| sets.sym_of(node));
        (0..self.len()).filter(move |&i| match self.place(i) {
            Place::Made(f, _) => f.node.as_deref() == Some(node),
            Place::Set(sets, at) => Some(sets.node_sym(at)) == sym,
        })
    }

    /// Whether the findings' nodes are known as the tree interned them ([`Findings::node_sym`]).
    pub(crate) fn has_node_syms(&self) -> bool {
        self.made_syms.len() == self.made.len()
    }

    /// Its node, as the tree interned it (equal ids, equal symbols), when it is known.
    pub(crate) fn node_sym(&self, i: usize) -> Option<Sym> {
        match self.place(i) {
            Place::Made(_, sym) => sym,
            Place::Set(sets, at) => Some(sets.node_sym(at)),
        }
    }

    /// The region its commands target.
    pub fn region(&self, i: usize) -> Option<&Region> {
        match self.place(i) {
            Place::Made(f, _) => f.region(),
            Place::Set(sets, at) => sets.region(at),
        }
    }

    /// Its values.
    pub fn vars(&self, i: usize) -> Cow<'_, VarList> {
        match self.place(i) {
            Place::Made(f, _) => Cow::Borrowed(&*f.vars),
            Place::Set(sets, at) => Cow::Owned(sets.vars(at)),
        }
    }

    /// The first line it cites.
    pub fn first_cite(&self, i: usize) -> Option<Cite> {
        match self.place(i) {
            Place::Made(f, _) => f.evidence.first().copied(),
            Place::Set(sets, at) => sets.first_cite(at),
        }
    }

    /// Keeps in `slots` only the values its commands share ([`Finding::keep_common`]).
    pub fn keep_common(&self, i: usize, slots: &mut Slots) {
        match self.place(i) {
            Place::Made(f, _) => f.keep_common(slots),
            Place::Set(sets, at) => sets.keep_common(at, slots),
        }
    }

    /// Whether a fleet's rows are kept as sets.
    #[cfg(test)]
    pub(crate) fn has_sets(&self) -> bool {
        self.sets.is_some()
    }

    /// Every finding's node's symbol, in order.
    #[cfg(test)]
    pub(crate) fn node_syms(&self) -> Vec<Option<Sym>> {
        (0..self.len()).map(|i| self.node_sym(i)).collect()
    }

    /// Forgets the nodes' symbols (a diagnosis then groups its nodes by their ids).
    #[cfg(test)]
    pub(crate) fn without_node_syms(&self) -> Findings {
        let made: Vec<Finding> = self.iter().map(Cow::into_owned).collect();
        Findings { made, made_syms: Vec::new(), sets: None }
    }
}

#[cfg(test)]
mod tests {
    use crate::report::Diagnosis;

    /// What a node table or a group reads of a finding without making it (its code, role,
    /// strength, node, region, values, first line, and the slots it keeps in common) is what the
    /// finding holds once made: for every finding of a fleet kept as sets, of every row code,
    /// causes that explain a symptom among them.
    #[test]
    fn what_is_read_of_a_finding_is_what_it_holds() {
        let fleet = crate::test_mixed_fleet(700, 11);
        let region = "aws ssm describe-instance-patch-states --region eu-west-1 --instance-ids i-0123456789abcdef0";
        let inputs =
            [crate::ingest::read("states.json", fleet.as_bytes()), crate::ingest::read("cmd", region.as_bytes())];
        let diagnosis = Diagnosis::of(&inputs, Some(1_796_083_200.0));
        let findings = &diagnosis.findings;
        assert!(findings.has_sets(), "the rows are kept as sets");
        let (mut explaining, mut regions, mut codes) = (0, 0, rustc_hash::FxHashSet::default());
        let first = findings.get(0).slots().into_owned();
        for i in 0..findings.len() {
            let f = findings.get(i);
            assert_eq!(findings.code(i), f.code);
            assert_eq!(findings.role(i), f.role());
            assert_eq!(findings.strength(i), f.strength);
            assert_eq!(findings.node(i), f.node.as_deref());
            assert_eq!(findings.node_id(i), f.node.as_ref());
            assert_eq!(findings.region(i), f.region());
            assert_eq!(&*findings.vars(i), &*f.vars, "{:?}", f.code);
            assert_eq!(findings.first_cite(i), f.evidence.first().copied());
            for base in [&first, &*f.slots()] {
                let (mut read, mut held) = (base.clone(), base.clone());
                findings.keep_common(i, &mut read);
                f.keep_common(&mut held);
                assert_eq!(read, held, "{:?}", f.code);
            }
            explaining += usize::from(!f.supporting().is_empty());
            regions += usize::from(f.region().is_some());
            codes.insert(f.code);
        }
        assert!(explaining > 50, "causes that explain a symptom: {explaining}");
        assert_eq!(regions, findings.len(), "every finding's commands target the region named");
        assert!(codes.len() >= 8, "every row code of patch states alone: {codes:?}");
    }
}
