//! Findings as sets: a fleet's patch-state rows kept as their codes until the findings are
//! settled. A row whose node no other row and no other branch speaks of is decided by column
//! reads alone ([`row_codes`]); its findings are those codes, composed by a plan made once per
//! set of codes (compose reads only a finding's code, role and branch), and put in the report's
//! order with the other findings before any is made. Each finding is then made once, in its
//! place, on two threads where there are threads: nothing is found by node and code, merged,
//! composed or moved for a fleet's hundreds of thousands of row findings.
//!
//! The findings are those of deciding the rows one by one: where another branch adds a finding
//! for a node a set holds, the tree is run again without sets (`touched`), and a test holds both
//! ways to the same findings.

use std::sync::Arc;

use super::compose::{self, Member};
use super::patch::{self, row_codes, RowCode, RowCodes, RowFinding};
use super::{
    branch_of, made, node_slots_in, order_key, role_of, row_node_slots_in, stable_order, Finding, New, NodeId,
    NodeSlots, OrderKey, Shared, Strength, Tree,
};
use crate::evidence::{Evidence, PatchStateRow};
use crate::intern::Sym;
use crate::knowledge::Knowledge;
use crate::model::Cite;

/// Whether a fleet's rows may be kept as sets: the evidence is patch states and what only
/// describes them (baselines, the command that listed them, empty or truncated lists, text that
/// is no log). Any other evidence may speak of a row's node, and the branches that read the
/// findings found so far (a log's unrecognised errors, detectors) would not see a set's. A
/// signature found in a text about a set row's node makes the tree run again without sets.
pub(super) fn allowed(ev: &Evidence) -> bool {
    !ev.patch_states.is_empty()
        && ev.patches.is_empty()
        && ev.compliance_items.is_empty()
        && ev.resource_summaries.is_empty()
        && ev.compliance_summaries.is_empty()
        && ev.nodes.is_empty()
        && ev.ec2_instances.is_empty()
        && ev.activations.is_empty()
        && ev.vpc_endpoints.is_empty()
        && ev.security_groups.is_empty()
        && ev.network_acls.is_empty()
        && ev.instance_status_checks.is_empty()
        && ev.console_outputs.is_empty()
        && ev.detector_findings.is_empty()
        && ev.fleet_verdicts.is_empty()
        && ev.association_statuses.is_empty()
        && ev.associations.is_empty()
        && ev.association_runs.is_empty()
        && ev.command_runs.is_empty()
        && ev.compliance_events.is_empty()
        && ev.diagnostics.is_empty()
        && ev.trail_events.is_empty()
        && ev.association_events.is_empty()
        && ev.log_events.is_empty()
        && ev.patch_group_mappings.is_empty()
        && ev.patch_group_states.is_empty()
        && ev.inventory.is_empty()
        && ev.payload_summaries.is_empty()
}

/// The rows kept as sets.
#[derive(Default)]
pub(super) struct RowSets {
    /// In the rows' order.
    rows: Vec<SetRow>,
    /// One per distinct set of codes.
    plans: Vec<Plan>,
    /// By the rows' node symbols: whether a set row is that node's.
    nodes: Vec<bool>,
    /// Every set row's codes together.
    codes: RowCodes,
    /// Another branch added a finding about a set row's node.
    pub(super) touched: bool,
}

/// A row kept as a set: its place among the rows, its node, the place among the tree's
/// findings its findings would have taken, and the plan of its codes.
#[derive(Debug, Clone, Copy)]
struct SetRow {
    row: u32,
    node: Sym,
    at: u32,
    plan: u16,
}

/// What compose makes of a set of a row's codes: the findings kept, in their order, each with
/// the ones it explains.
struct Plan {
    codes: RowCodes,
    kept: Vec<Kept>,
}

struct Kept {
    member: RowCode,
    /// In their order: given to it as compose gives them.
    explained: Vec<RowCode>,
    key: OrderKey,
}

impl Plan {
    fn of(codes: RowCodes) -> Plan {
        let knowledge = Knowledge::get();
        let list: Vec<RowCode> = codes.iter().collect();
        // A row's findings are proven, and of their entries' branch.
        let members: Vec<Member> = (list.iter())
            .map(|c| Member {
                code: c.code(),
                role: role_of(c.code(), Strength::Proven),
                branch: branch_of(c.code(), None),
            })
            .collect();
        let mut explainer = Vec::new();
        compose::explainers(&members, &compose::explained_codes(knowledge), knowledge, &mut explainer);
        let roots = compose::roots(&explainer);
        let stays = |i: usize| compose::is_kept(i, roots[i], explainer[i].is_some());
        let kept = (0..list.len())
            .filter(|&m| stays(m))
            .map(|m| Kept {
                member: list[m],
                explained: (0..list.len()).filter(|&i| !stays(i) && roots[i] as usize == m).map(|i| list[i]).collect(),
                key: order_key(members[m].code, members[m].role),
            })
            .collect();
        Plan { codes, kept }
    }
}

/// The patch-state rows' findings: a row whose node no other row names, and nothing found so far
/// is about, kept as a set of its codes (decided on two threads when `threads`); any other row
/// decided as it always is, in its turn.
pub(super) fn decide_rows(tree: &mut Tree, threads: bool) {
    let ev = tree.ev;
    let states = &ev.patch_states;
    // Each set row's codes; none for the others.
    let codes = {
        let tree: &Tree = tree;
        let rows_of = states.rows_per_node();
        let is_set = |row: PatchStateRow| {
            row.node_sym().is_some_and(|s| {
                rows_of[s.index()] == 1 && !row.instance_id().value.is_empty() && !tree.seen.has_findings(s)
            })
        };
        let codes_of = |rows: std::ops::Range<usize>| -> Vec<RowCodes> {
            (rows.map(|at| states.get(at).expect("a row")))
                .map(|row| if is_set(row) { row_codes(tree, row) } else { RowCodes::default() })
                .collect()
        };
        let (rows, split) = (states.len(), states.len() / 2);
        let (mut codes, mut rest) = (Vec::new(), Vec::new());
        crate::beside::beside(
            threads && rows >= patch::SPLIT_FROM_ROWS,
            || codes = codes_of(0..split),
            || rest = codes_of(split..rows),
        );
        codes.append(&mut rest);
        codes
    };
    let mut sets = tree.sets.take().expect("rows decided as sets");
    sets.nodes = vec![false; states.texts_len()];
    for (at, (row, codes)) in states.iter().zip(codes).enumerate() {
        match row.node_sym() {
            Some(sym) if codes != RowCodes::default() => {
                sets.nodes[sym.index()] = true;
                let plan = sets.plan_of(codes);
                sets.rows.push(SetRow { row: at as u32, node: sym, at: tree.findings.len() as u32, plan });
                sets.codes = sets.codes.union(codes);
            }
            _ => patch::patch_state(tree, row),
        }
    }
    tree.sets = Some(sets);
}

// The settled findings are written into a list of places, then taken out of it in place.
const _: () = assert!(std::mem::size_of::<Option<Finding>>() == std::mem::size_of::<Finding>());

/// A settled finding's place in the tree's order, packed in 8 bytes (a fleet has 440,000).
#[derive(Debug, Clone, Copy)]
struct Item(u64);

/// What an [`Item`] is.
enum Place {
    /// One the tree made: its index among the tree's findings.
    Tree(usize),
    /// Set row `row`'s `k`-th kept finding.
    Set { row: usize, k: usize },
}

impl Item {
    const TREE: u64 = 1 << 63;

    fn tree(index: usize) -> Item {
        Item(Item::TREE | index as u64)
    }

    fn set(row: usize, k: usize) -> Item {
        Item((row as u64) << 8 | k as u64)
    }

    fn place(self) -> Place {
        match self.0 & Item::TREE {
            0 => Place::Set { row: (self.0 >> 8) as usize, k: (self.0 & 0xff) as usize },
            _ => Place::Tree((self.0 & !Item::TREE) as usize),
        }
    }
}

impl RowSets {
    /// The plan of `codes`, made the first time they are seen (a fleet has a few dozen).
    fn plan_of(&mut self, codes: RowCodes) -> u16 {
        let at = match self.plans.iter().position(|p| p.codes == codes) {
            Some(at) => at,
            None => {
                self.plans.push(Plan::of(codes));
                self.plans.len() - 1
            }
        };
        u16::try_from(at).expect("at most 2^11 sets of codes")
    }

    /// A finding is added about the node `sym`: if a set holds it, the sets do not hold.
    pub(super) fn note_node(&mut self, sym: Option<Sym>) {
        if sym.is_some_and(|s| self.nodes.get(s.index()).copied().unwrap_or(false)) {
            self.touched = true;
        }
    }

    /// Every set row's codes together.
    pub(super) fn codes(&self) -> RowCodes {
        self.codes
    }

    /// The lines the set rows' findings cite, row after row, until `enough` says so.
    pub(super) fn cites_until(&self, tree: &Tree, mut enough: impl FnMut(Cite) -> bool) {
        for set in &self.rows {
            let row = tree.ev.patch_states.get(set.row as usize).expect("a set's row");
            for code in self.plans[set.plan as usize].codes.iter() {
                if patch::row_finding(tree, row, code).cites.into_iter().any(&mut enough) {
                    return;
                }
            }
        }
    }

    /// The tree's `findings` (and their nodes' symbols) with every set row's, settled: composed
    /// and in the report's order, as [`super::Found::settle`] leaves them.
    pub(super) fn settle(
        self,
        tree: &Tree,
        mut findings: Vec<Finding>,
        mut node_syms: Vec<Option<Sym>>,
        threads: bool,
    ) -> (Vec<Finding>, Vec<Option<Sym>>) {
        // A set row's findings stand where they were decided: before the finding that then came
        // next, counted among those compose keeps.
        let kept = compose::compose(&mut findings, &mut node_syms);
        let mut kept_before = Vec::with_capacity(kept.len() + 1);
        kept_before.push(0u32);
        for &k in &kept {
            kept_before.push(kept_before.last().copied().unwrap_or(0) + k as u32);
        }
        let total = findings.len() + self.rows.iter().map(|s| self.plans[s.plan as usize].kept.len()).sum::<usize>();
        let mut items: Vec<Item> = Vec::with_capacity(total);
        let mut next_real = 0;
        for (s, set) in self.rows.iter().enumerate() {
            let at = kept_before[set.at as usize] as usize;
            items.extend((next_real..at).map(Item::tree));
            next_real = next_real.max(at);
            items.extend((0..self.plans[set.plan as usize].kept.len()).map(|k| Item::set(s, k)));
        }
        items.extend((next_real..findings.len()).map(Item::tree));
        let key = |item: Item| match item.place() {
            Place::Set { row, k } => self.plans[self.rows[row].plan as usize].kept[k].key,
            Place::Tree(i) => order_key(findings[i].code, findings[i].role()),
        };
        let order = stable_order(items.iter().map(|&item| key(item)));
        drop(kept_before);
        // Made in two halves: the second half's findings of the tree are taken first, in order.
        let split = if threads && total >= patch::SPLIT_FROM_ROWS { total / 2 } else { total };
        let mut real: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
        let later: Vec<Finding> = (order[split..].iter())
            .filter_map(|&o| match items[o as usize].place() {
                Place::Tree(i) => Some(i),
                Place::Set { .. } => None,
            })
            .map(|i| real[i].take().expect("each finding once"))
            .collect();
        let slots = self.slots(tree, split < total);
        // Each half is written in its places of one list: a second list of half a fleet's
        // findings, appended, was the run's peak.
        let mut findings: Vec<Option<Finding>> = Vec::new();
        findings.resize_with(total, || None);
        let mut syms: Vec<Option<Sym>> = vec![None; total];
        let (first, second) = findings.split_at_mut(split);
        let (first_syms, second_syms) = syms.split_at_mut(split);
        let mut later = later.into_iter();
        let made = Made { tree, sets: &self, slots: &slots, items: &items, node_syms: &node_syms };
        crate::beside::beside(
            split < total,
            || made.findings(&order[..split], first, first_syms, |i| real[i].take().expect("each finding once")),
            || made.findings(&order[split..], second, second_syms, |_| later.next().expect("the later half's")),
        );
        // In place: an `Option<Finding>` is a `Finding`'s size.
        (findings.into_iter().map(|f| f.expect("every place made")).collect(), syms)
    }

    /// Each set row's node slots, and its P7 check's, made in the rows' order (on two threads
    /// when `threads`) and shared as the tree shares them.
    fn slots(&self, tree: &Tree, threads: bool) -> Vec<RowSlots> {
        let of = |sets: &[SetRow]| {
            let mut shared = Shared::default();
            shared.slots.reserve(sets.len());
            (sets.iter())
                .map(|set| {
                    let row = tree.ev.patch_states.get(set.row as usize).expect("a set's row");
                    let node = row_node_slots_in(&mut shared, row, tree.row_slots(row));
                    let check = self.plans[set.plan as usize].codes.iter().any(|c| c == RowCode::BaselineCheck);
                    let check = check.then(|| {
                        let slots = patch::baseline_check_slots(row, &node);
                        node_slots_in(&mut shared, Some(row.instance_id().value), slots)
                    });
                    RowSlots { node, check }
                })
                .collect::<Vec<_>>()
        };
        let (first, second) = self.rows.split_at(self.rows.len() / 2);
        let (mut slots, mut rest) = (Vec::new(), Vec::new());
        crate::beside::beside(threads, || slots = of(first), || rest = of(second));
        slots.append(&mut rest);
        slots
    }
}

/// A set row's slots: its node's, and its P7 check's (which name its baseline and patch group).
struct RowSlots {
    node: NodeSlots,
    check: Option<NodeSlots>,
}

/// What the findings of set rows are made from.
struct Made<'t, 'a> {
    tree: &'t Tree<'a>,
    sets: &'t RowSets,
    slots: &'t [RowSlots],
    items: &'t [Item],
    node_syms: &'t [Option<Sym>],
}

impl Made<'_, '_> {
    /// The findings of `items` in `order`, into `places` (and their nodes' symbols into `syms`):
    /// a set row's made, the tree's taken with `real`.
    fn findings(
        &self,
        order: &[u32],
        places: &mut [Option<Finding>],
        syms: &mut [Option<Sym>],
        mut real: impl FnMut(usize) -> Finding,
    ) {
        let mut maker = Maker::new(self.tree, self.sets, self.slots);
        for ((&o, place), place_sym) in order.iter().zip(places).zip(syms) {
            let (finding, sym) = match self.items[o as usize].place() {
                Place::Set { row, k } => maker.kept(row, k),
                Place::Tree(i) => (real(i), self.node_syms[i]),
            };
            *place = Some(finding);
            *place_sym = sym;
        }
    }
}

/// Makes set rows' findings: each row's node slots once, values and slots shared as the tree
/// shares them.
struct Maker<'t, 'a> {
    tree: &'t Tree<'a>,
    sets: &'t RowSets,
    /// Values, shared as the tree shares them.
    shared: Shared,
    /// By set row.
    slots: &'t [RowSlots],
    /// By set row: its node's id, shared by its findings (where ids are not inline).
    #[cfg(not(target_pointer_width = "64"))]
    ids: Vec<Option<NodeId>>,
}

impl<'t, 'a> Maker<'t, 'a> {
    fn new(tree: &'t Tree<'a>, sets: &'t RowSets, slots: &'t [RowSlots]) -> Self {
        Maker {
            tree,
            sets,
            shared: Shared::default(),
            slots,
            #[cfg(not(target_pointer_width = "64"))]
            ids: vec![None; sets.rows.len()],
        }
    }

    /// Set row `s`'s `k`-th kept finding, with its node's symbol.
    fn kept(&mut self, s: usize, k: usize) -> (Finding, Option<Sym>) {
        let set = self.sets.rows[s];
        let row = self.tree.ev.patch_states.get(set.row as usize).expect("a set's row");
        let kept = &self.sets.plans[set.plan as usize].kept[k];
        let mut cause = self.finding(s, row, kept.member);
        if !kept.explained.is_empty() {
            let mut list = cause.take_supporting();
            for &code in &kept.explained {
                let symptom = self.finding(s, row, code);
                compose::give(&mut cause, &symptom);
                compose::support(&mut list, symptom);
            }
            cause.set_supporting(list);
        }
        (cause, Some(set.node))
    }

    /// The finding of `code` of set row `s`, as [`patch::patch_state`] adds it.
    fn finding(&mut self, s: usize, row: PatchStateRow, code: RowCode) -> Finding {
        let RowFinding { code: finding_code, vars, cites, state } = patch::row_finding(self.tree, row, code);
        let node = row.instance_id().value;
        let slots = &self.slots[s];
        let slots = match (code, &slots.check) {
            (RowCode::BaselineCheck, Some(check)) => check,
            _ => &slots.node,
        };
        let (slots, instance_is_node) = (Arc::clone(&slots.shared), slots.instance_is_node);
        let new = New {
            code: finding_code,
            node_sym: Some(self.sets.rows[s].node),
            compliance_type: None,
            evidence: cites,
            strength: Strength::Proven,
            state,
        };
        let id = self.id(s, node);
        made(new, Some(id), self.shared.vars(vars), slots, instance_is_node)
    }

    #[cfg(target_pointer_width = "64")]
    fn id(&mut self, _: usize, node: &str) -> NodeId {
        NodeId::from(node)
    }

    #[cfg(not(target_pointer_width = "64"))]
    fn id(&mut self, s: usize, node: &str) -> NodeId {
        Arc::clone(self.ids[s].get_or_insert_with(|| Arc::from(node)))
    }
}
