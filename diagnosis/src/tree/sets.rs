//! Findings as sets: a fleet's patch-state rows kept as their codes. A row whose node no other
//! row and no other branch speaks of is decided by column reads alone ([`row_codes`]); its
//! findings are those codes, composed by a plan made once per set of codes (compose reads only a
//! finding's code, role and branch), and put in the report's order with the other findings.
//! None is made then: a set row's finding is made from its row when the report reads it
//! ([`SetFindings`]), and what a group needs of it (code, role, node, region, slots, values) is
//! read without making it. Nothing is found by node and code, merged, composed or moved for a
//! fleet's hundreds of thousands of row findings, and they are never held together.
//!
//! The findings are those of deciding the rows one by one: where another branch adds a finding
//! for a node a set holds, the tree is run again without sets (`touched`), and a test holds both
//! ways to the same findings.

use std::sync::Arc;

use super::compose::{self, Member};
use super::patch::{self, row_codes, RowCode, RowCodes, RowFinding, RowScope};
use super::{
    branch_of, made, node_slots_in, order_key, role_of, row_node_slots_in, stable_order, Finding, New, NodeId,
    NodeSlots, OrderKey, Shared, Strength, Tree, Vars,
};
use crate::commands::Slots;
use crate::evidence::{Evidence, PatchStateRow};
use crate::ids::Region;
use crate::intern::Sym;
use crate::knowledge::{Code, Knowledge, Role};
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
    /// Its finding's role: a row's findings are proven.
    role: Role,
    /// In their order: given to it as compose gives them.
    explained: Vec<RowCode>,
    /// Whether what it explains may fill its slots as compose gives it (`compose::give`: a
    /// symptom of other slots, or with a state where it has none); W5's Missing patches, under
    /// it, are of its own slots and state.
    fills_slots: bool,
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
        // A row's findings of P7 hold its check's slots, the others its node's.
        let fills = |member: RowCode, symptom: RowCode| {
            (member == RowCode::BaselineCheck) != (symptom == RowCode::BaselineCheck)
                || (symptom.state().is_some() && member.state().is_none())
        };
        let kept = (0..list.len())
            .filter(|&m| stays(m))
            .map(|m| {
                let explained: Vec<RowCode> =
                    (0..list.len()).filter(|&i| !stays(i) && roots[i] as usize == m).map(|i| list[i]).collect();
                Kept {
                    member: list[m],
                    role: members[m].role,
                    fills_slots: explained.iter().any(|&e| fills(list[m], e)),
                    explained,
                    key: order_key(members[m].code, members[m].role),
                }
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

/// A settled finding's place in the tree's order, packed in 8 bytes (a fleet has 440,000).
#[derive(Debug, Clone, Copy)]
struct Item(u64);

/// What an [`Item`] is: a settled finding's place.
pub(super) enum Place {
    /// One the tree made: its index among the tree's findings.
    Tree(usize),
    Set(SetAt),
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
            0 => Place::Set(SetAt { row: (self.0 >> 8) as usize, k: (self.0 & 0xff) as usize }),
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
                if patch::row_finding(tree.row_scope(), row, code).cites.into_iter().any(&mut enough) {
                    return;
                }
            }
        }
    }

    /// The tree's `findings` (and their nodes' symbols) composed, and every finding's place in
    /// the report's order, the set rows' among them, as [`super::Found::settle`] leaves them.
    /// No set row's finding is made: each is made when it is read ([`SetFindings`]).
    pub(super) fn settle(
        self,
        tree: &Tree,
        mut findings: Vec<Finding>,
        mut node_syms: Vec<Option<Sym>>,
        threads: bool,
    ) -> (Vec<Finding>, Vec<Option<Sym>>, SettledSets) {
        // A set row's findings stand where they were decided: before the finding that then came
        // next, counted among those compose keeps.
        let kept = compose::compose(&mut findings, &mut node_syms);
        findings.shrink_to_fit();
        node_syms.shrink_to_fit();
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
        drop(kept_before);
        let key = |item: Item| match item.place() {
            Place::Set(SetAt { row, k }) => self.plans[self.rows[row].plan as usize].kept[k].key,
            Place::Tree(i) => order_key(findings[i].code, findings[i].role()),
        };
        let order = stable_order(items.iter().map(|&item| key(item)));
        let items: Vec<Item> = order.into_iter().map(|o| items[o as usize]).collect();
        let slots = self.slots(tree, threads && self.rows.len() >= patch::SPLIT_FROM_ROWS);
        let ids = (self.rows.iter())
            .map(|set| {
                NodeId::from(tree.ev.patch_states.get(set.row as usize).expect("a set's row").instance_id().value)
            })
            .collect();
        let RowSets { rows, plans, .. } = self;
        (findings, node_syms, SettledSets { items, rows, plans, slots, ids, now: tree.now })
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

/// A fleet's set rows once settled: every finding's place in the report's order, and what a
/// set row's findings are made of when they are read.
pub(super) struct SettledSets {
    /// Every finding, the tree's and the set rows', in the report's order.
    items: Vec<Item>,
    rows: Vec<SetRow>,
    plans: Vec<Plan>,
    /// By set row.
    slots: Vec<RowSlots>,
    /// By set row: its node's id, shared by its findings and its groups (where ids are not
    /// inline, one allocation per row, not per finding).
    ids: Vec<NodeId>,
    now: Option<f64>,
}

impl SettledSets {
    /// With the evidence their rows are read from: the settled findings.
    pub(super) fn with(self, ev: Arc<Evidence>) -> SetFindings {
        SetFindings { sets: self, ev }
    }
}

/// The settled findings with a fleet's set rows: the tree's findings are held made; a set row's
/// are made from its row when they are read, and what a group or a node's verdict needs of one
/// (its code, role, node, region, slots, values) is read from its row and its plan without
/// making it. A fleet's 440,000 findings are never held together.
pub(crate) struct SetFindings {
    sets: SettledSets,
    ev: Arc<Evidence>,
}

/// Set row `row`'s `k`-th kept finding.
#[derive(Clone, Copy)]
pub(super) struct SetAt {
    row: usize,
    k: usize,
}

impl SetFindings {
    /// How many findings, the tree's and the set rows'.
    pub(super) fn len(&self) -> usize {
        self.sets.items.len()
    }

    /// Where the `i`-th finding in the report's order is.
    pub(super) fn at(&self, i: usize) -> Place {
        self.sets.items[i].place()
    }

    fn row(&self, at: SetAt) -> PatchStateRow<'_> {
        self.ev.patch_states.get(self.sets.rows[at.row].row as usize).expect("a set's row")
    }

    fn kept(&self, at: SetAt) -> &Kept {
        &self.sets.plans[self.sets.rows[at.row].plan as usize].kept[at.k]
    }

    fn scope(&self) -> RowScope<'_> {
        RowScope { ev: &self.ev, now: self.sets.now }
    }

    /// The slots its finding of `code` holds: its node's, or its P7 check's.
    fn slots_of(&self, row: usize, code: RowCode) -> &NodeSlots {
        let slots = &self.sets.slots[row];
        match (code, &slots.check) {
            (RowCode::BaselineCheck, Some(check)) => check,
            _ => &slots.node,
        }
    }

    pub(super) fn code(&self, at: SetAt) -> Code {
        self.kept(at).member.code()
    }

    pub(super) fn role(&self, at: SetAt) -> Role {
        self.kept(at).role
    }

    pub(super) fn node(&self, at: SetAt) -> &str {
        self.row(at).instance_id().value
    }

    pub(super) fn node_id(&self, at: SetAt) -> &NodeId {
        &self.sets.ids[at.row]
    }

    /// The symbol the rows hold `node` as (a set row's node symbol when it is that row's).
    pub(super) fn sym_of(&self, node: &str) -> Option<Sym> {
        self.ev.patch_states.find(node)
    }

    pub(super) fn node_sym(&self, at: SetAt) -> Sym {
        self.sets.rows[at.row].node
    }

    /// The region its commands target: every set row's slots name the inputs' (what it
    /// explains fills none in).
    pub(super) fn region(&self, at: SetAt) -> Option<&Region> {
        self.slots_of(at.row, self.kept(at).member).shared.region.as_ref()
    }

    /// Its values, as its finding holds them (what it explains adds none).
    pub(super) fn vars(&self, at: SetAt) -> Vars {
        patch::row_finding(self.scope(), self.row(at), self.kept(at).member).vars
    }

    /// The first line its finding cites: its own first (what it explains is cited after it).
    pub(super) fn first_cite(&self, at: SetAt) -> Option<Cite> {
        patch::row_finding(self.scope(), self.row(at), self.kept(at).member).cites.first().copied()
    }

    /// Keeps in `slots` only the values its finding's commands share ([`Finding::keep_common`]).
    pub(super) fn keep_common(&self, at: SetAt, slots: &mut Slots) {
        let kept = self.kept(at);
        if kept.fills_slots {
            // What it explains may have filled its slots: read them from it.
            return self.finding(at).keep_common(slots);
        }
        let own = self.slots_of(at.row, kept.member);
        let instance = (own.instance_is_node.then(|| self.node(at))).or(own
            .shared
            .instance
            .as_ref()
            .map(crate::ids::InstanceId::as_str));
        super::keep_common(slots, &own.shared, instance, kept.member.state());
    }

    /// Its finding, made: what the row's finding of its code is, given what it explains as
    /// compose gives it.
    pub(super) fn finding(&self, at: SetAt) -> Finding {
        let row = self.row(at);
        let kept = self.kept(at);
        let mut cause = self.made(at, row, kept.member);
        if !kept.explained.is_empty() {
            let mut list = cause.take_supporting();
            for &code in &kept.explained {
                let symptom = self.made(at, row, code);
                compose::give(&mut cause, &symptom);
                compose::support(&mut list, symptom);
            }
            cause.set_supporting(list);
        }
        cause
    }

    /// The finding of `code` of the row, as [`patch::patch_state`] adds it.
    fn made(&self, at: SetAt, row: PatchStateRow, code: RowCode) -> Finding {
        let RowFinding { code: finding_code, vars, cites, state } = patch::row_finding(self.scope(), row, code);
        let slots = self.slots_of(at.row, code);
        let new = New {
            code: finding_code,
            node_sym: Some(self.sets.rows[at.row].node),
            compliance_type: None,
            evidence: cites,
            strength: Strength::Proven,
            state,
        };
        made(new, Some(self.node_id(at).clone()), vars.into(), Arc::clone(&slots.shared), slots.instance_is_node)
    }
}

/// A set row's slots: its node's, and its P7 check's (which name its baseline and patch group).
struct RowSlots {
    node: NodeSlots,
    check: Option<NodeSlots>,
}
