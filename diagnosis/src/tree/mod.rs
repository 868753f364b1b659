//! The decision tree (domain.md §C.2): evidence → findings. Each submodule owns one branch;
//! this module holds the shared finding builder. Words, refs and commands come from the
//! knowledge base; the rules here only decide which entry applies and fill its slots. A finding
//! holds no rendered text: the report writes it in the chosen language with the chosen settings,
//! so changing either does not re-run the tree.

mod association;
mod baseline;
mod command;
mod compliance;
mod compose;
mod context;
mod detector;
mod findings;
mod fleet_verdicts;
mod managed_node;
mod nodes;
mod patch;
mod sets;
mod shows;
mod signature;
mod trail;

use std::borrow::Cow;
use std::sync::Arc;

use compact_str::CompactString;
use rustc_hash::{FxHashMap, FxHashSet};

pub use findings::Findings;
pub use nodes::NodeFacts;

use crate::commands::{MoreSlots, Slots};
use crate::evidence::{BaselineOf, Evidence, PatchStateRow, PatchStates};
use crate::ids::{BaselineId, InstanceId, Region, Uuid};
use crate::ingest::Input;
use crate::intern::{Layered, Sym};
use crate::knowledge::{Branch, Code, Hint, Knowledge, Role};
use crate::model::{Cite, CommandRun, PatchState};
use crate::time::PackedTime;

/// A value for an entry's `{slot}`: text from the evidence, or phrases of the knowledge base
/// (written in the report's language, joined by spaces).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Var {
    /// Inline up to 24 bytes (a count, a state, an operation, an id, a time): no allocation
    /// for most of a fleet's values.
    Text(CompactString),
    /// One phrase (most values that are phrases): no list to allocate.
    Hint(Hint),
    /// Several phrases (rare): boxed, so a value is no larger than its inline text.
    Hints(Box<[Hint]>),
    /// An ISO time's text, packed (longer than an inline text, and one in most of a fleet's
    /// findings): read as the same text.
    Time(PackedTime),
}

// Every variant fits beside the inline text: a value is 24 bytes where pointers are 64-bit (a
// fleet holds millions). In 32-bit wasm the inline text is 12 bytes and a packed time 15: 16.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Var>() == 24);

impl From<String> for Var {
    fn from(text: String) -> Var {
        Var::Text(text.into())
    }
}

impl From<CompactString> for Var {
    fn from(text: CompactString) -> Var {
        Var::Text(text)
    }
}

impl From<&str> for Var {
    fn from(text: &str) -> Var {
        Var::Text(text.into())
    }
}

impl Var {
    /// A count, written without allocating.
    pub fn count(n: impl compact_str::ToCompactString) -> Var {
        Var::Text(n.to_compact_string())
    }

    /// A fixed word of the code (a patch state's wire name): no copy at all.
    pub fn word(text: &'static str) -> Var {
        Var::Text(CompactString::const_new(text))
    }

    /// A time's text: packed when it is an ISO time, else as it is.
    pub fn time(text: &str) -> Var {
        PackedTime::pack(text).map_or_else(|| Var::from(text), Var::Time)
    }

    /// The value's text, if it is one (a time's written back).
    pub fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Var::Text(text) => Some(Cow::Borrowed(text)),
            Var::Time(time) => Some(Cow::Owned(time.to_string())),
            Var::Hint(_) | Var::Hints(_) => None,
        }
    }

    /// The phrases the value is made of (none for a text): one or several, read alike.
    pub fn hints(&self) -> &[Hint] {
        match self {
            Var::Text(_) | Var::Time(_) => &[],
            Var::Hint(hint) => std::slice::from_ref(hint),
            Var::Hints(hints) => hints,
        }
    }
}

impl From<Hint> for Var {
    fn from(hint: Hint) -> Var {
        Var::Hint(hint)
    }
}

pub type Vars = Vec<(&'static str, Var)>;

/// A finding's values once it is added: shared by every finding with the same ones (a fleet's
/// counts, operations, states and hints repeat from node to node). Never changed in place: a
/// finding that gains a value gets a list of its own.
pub type SharedVars = Arc<VarList>;

/// A finding's values, read.
pub type VarList = [(&'static str, Var)];

/// The lines a finding cites: the first two inline.
pub type Cites = smallvec::SmallVec<[Cite; 2]>;

/// How strongly the evidence speaks for a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// Only lines that hint at it: a check, naming the input that would confirm it.
    Weak,
    /// Proven, then a later line (or an Online node) shows it recovered: a note.
    Recovered,
    /// Proven by a line or a fact.
    Proven,
}

/// A finding's node id: inline where an id fits (64-bit: 24 bytes, no allocation), and where it
/// does not (the worker's wasm, 32-bit: 12 inline bytes, where a copy per finding was an
/// allocation per finding) one id shared by the node's findings.
#[cfg(target_pointer_width = "64")]
pub type NodeId = CompactString;
#[cfg(not(target_pointer_width = "64"))]
pub type NodeId = Arc<str>;

/// A finding of the same failure that another explains, kept under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Supporting {
    pub code: Code,
    pub vars: SharedVars,
}

/// One conclusion, with the lines that prove it and the values its texts and commands need.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: Code,
    /// Managed node (`i-...`, `mi-...`) the finding is about, if any.
    pub node: Option<NodeId>,
    pub branch: Branch,
    pub vars: SharedVars,
    pub evidence: Cites,
    /// Read whole with [`Finding::slots`]: the instance is left out when it is the node
    /// (`instance_is_node`), so a fleet's findings do not each hold a copy of their node's id,
    /// and the patch state is held beside them (`state`). Shared, like `vars`, by the findings
    /// with the same: a node's findings of every state share one, and nodes with the same
    /// baseline, region and platform share one.
    slots: Arc<Slots>,
    state: Option<PatchState>,
    instance_is_node: bool,
    pub strength: Strength,
    /// What few findings have, behind one pointer (a fleet holds hundreds of thousands).
    rare: Option<Box<Rare>>,
}

/// A finding's values that few findings have.
#[derive(Debug, Clone, Default, PartialEq)]
struct Rare {
    /// The compliance type a branch-level finding is about (`Patch`, `Custom:AVCheck`).
    compliance_type: Option<Box<str>>,
    /// The findings it explains (symptoms, weaker explanations), whose evidence it now cites.
    supporting: Vec<Supporting>,
}

impl Finding {
    /// The compliance type a branch-level finding is about (`Patch`, `Custom:AVCheck`).
    pub fn compliance_type(&self) -> Option<&str> {
        self.rare.as_ref().and_then(|r| r.compliance_type.as_deref())
    }

    /// The findings it explains (symptoms, weaker explanations), whose evidence it now cites.
    pub fn supporting(&self) -> &[Supporting] {
        self.rare.as_ref().map_or(&[], |r| &r.supporting)
    }

    /// What it explains, taken out of it.
    fn take_supporting(&mut self) -> Vec<Supporting> {
        self.rare.as_mut().map(|r| std::mem::take(&mut r.supporting)).unwrap_or_default()
    }

    /// What it explains, held at its size.
    fn set_supporting(&mut self, mut supporting: Vec<Supporting>) {
        supporting.shrink_to_fit();
        self.rare.get_or_insert_default().supporting = supporting;
    }

    /// Its node, when that is the instance its commands name (left out of its slots).
    fn node_instance(&self) -> Option<&str> {
        self.node.as_deref().filter(|_| self.instance_is_node)
    }

    /// The values its commands fill in.
    pub fn slots(&self) -> Cow<'_, Slots> {
        let node = self.node_instance();
        if node.is_none() && self.state.is_none() {
            return Cow::Borrowed(&*self.slots);
        }
        Cow::Owned(made_whole(&self.slots, node, self.state))
    }

    /// The instance its commands name, without copying it.
    pub fn instance(&self) -> Option<&str> {
        self.node_instance().or(self.slots.instance.as_ref().map(InstanceId::as_str))
    }

    /// The region its commands target.
    pub fn region(&self) -> Option<&Region> {
        self.slots.region.as_ref()
    }

    /// Keeps in `slots` only the values this finding's commands share (a group's commands,
    /// written once for all its members), without copying this finding's.
    pub fn keep_common(&self, slots: &mut Slots) {
        keep_common(slots, &self.slots, self.instance(), self.state);
    }

    /// Fills the slots it lacks from `other` (what another input, or a symptom it explains,
    /// names). Its instance stays its node when that is what it names. The slots it shares are
    /// replaced by its own only when `other` adds to them.
    pub(crate) fn fill_slots_from(&mut self, other: &Slots) {
        let mut filled = Slots { state: self.state, ..(*self.slots).clone() };
        filled.fill_from(other);
        self.state = filled.state.take();
        if self.instance_is_node {
            filled.instance = None;
        }
        if filled != *self.slots {
            self.slots = Arc::new(filled);
        }
    }

    /// The role it earned: its entry's when proven; `alone` (a check) when it rests on weak
    /// lines; a note when it recovered.
    pub fn role(&self) -> Role {
        role_of(self.code, self.strength)
    }
}

/// Keeps in `slots` only the values shared with a finding's: its `shared` slots, the `instance`
/// its commands name and its `state` ([`Finding::keep_common`]).
fn keep_common(slots: &mut Slots, shared: &Slots, instance: Option<&str>, state: Option<PatchState>) {
    let (kept_instance, kept_state) = (slots.instance.take(), slots.state.take());
    slots.keep_common(shared);
    slots.instance = kept_instance.filter(|i| Some(i.as_str()) == instance);
    slots.state = kept_state.filter(|s| Some(*s) == state);
}

/// The role a finding of `code` earns with evidence of `strength` ([`Finding::role`]).
fn role_of(code: Code, strength: Strength) -> Role {
    let entry = Knowledge::get().entry(code);
    match strength {
        Strength::Proven => entry.role,
        Strength::Weak => entry.alone.unwrap_or(Role::Check),
        Strength::Recovered => Role::Note,
    }
}

/// Where a finding of `code` with `role` goes in the report's order: causes first, then what
/// to check, then notes; within a role the deepest first (a node's own log before the state it
/// explains), and the branch-level findings (N0/N1: "Patch is NON_COMPLIANT") last.
type OrderKey = (Role, std::cmp::Reverse<u8>, bool);

fn order_key(code: Code, role: Role) -> OrderKey {
    let entry = Knowledge::get().entry(code);
    (role, std::cmp::Reverse(entry.depth()), entry.reference.starts_with('N'))
}

/// What the tree concluded, and what it learned about the nodes on the way.
pub struct Conclusions {
    /// In the report's order, each with its node interned (equal ids, equal symbols).
    pub findings: Findings,
    /// What each node runs (platform, package manager, hybrid), for its commands.
    pub nodes: FxHashMap<String, NodeFacts>,
    /// What the inputs as a whole say, for findings tied to no node.
    pub default_facts: NodeFacts,
    /// Inputs with a log that names no node while the inputs are about several.
    pub unattributed: Vec<usize>,
}

/// What the branches found, before one cause per failure is settled ([`Found::settle`]). It
/// holds nothing of the evidence: settling needs none, so the evidence can go first (a fleet's
/// columns are tens of megabytes).
pub struct Found {
    findings: Vec<Finding>,
    /// A fleet's rows kept as sets, with the tree's findings already composed and put in the
    /// report's order among theirs ([`sets`]).
    sets: Option<sets::SettledSets>,
    /// Each finding's node, interned: compose groups by node without hashing ids again.
    node_syms: Vec<Option<Sym>>,
    facts: nodes::Facts,
    unattributed: Vec<usize>,
}

/// Runs every branch of the tree over the evidence. `now` (seconds since the epoch) enables
/// age checks.
pub fn diagnose(ev: &Evidence, inputs: &[Input], now: Option<f64>) -> Found {
    diagnose_on(ev, inputs, now, crate::beside::THREADS, true)
}

/// [`diagnose`], with a fleet's rows decided one by one, never kept as sets.
#[cfg(test)]
pub(crate) fn diagnose_rows_one_by_one(ev: &Evidence, inputs: &[Input], now: Option<f64>) -> Found {
    diagnose_on(ev, inputs, now, crate::beside::THREADS, false)
}

/// [`diagnose`], on one thread or, where a branch gains from it, on two; with `sets`, a fleet's
/// patch-state rows are kept as sets where the evidence allows it ([`sets::allowed`]).
fn diagnose_on(ev: &Evidence, inputs: &[Input], now: Option<f64>, threads: bool, sets: bool) -> Found {
    let (index, facts) = (Index::build(ev), nodes::facts(ev));
    let mut tree = Tree {
        ev,
        inputs,
        now,
        findings: Vec::new(),
        node_syms: Vec::new(),
        shared: Shared::default(),
        seen: Seen::over(&ev.patch_states),
        index: &index,
        region: region(ev),
        facts: &facts,
        unattributed: Vec::new(),
        deferred: None,
        sets: (sets && sets::allowed(ev)).then(sets::RowSets::default),
    };
    compliance::run(&mut tree);
    managed_node::run(&mut tree);
    patch::run(&mut tree, threads);
    association::run(&mut tree);
    baseline::run(&mut tree);
    command::run(&mut tree);
    trail::run(&mut tree);
    let known_lines = signature::run(&mut tree);
    signature::unrecognised_errors(&mut tree, &known_lines);
    detector::run(&mut tree);
    fleet_verdicts::run(&mut tree);
    context::run(&mut tree);
    shows::run(&mut tree);
    let settled = match tree.sets.take() {
        // Another branch added a finding for a node a set holds: its rows are decided again,
        // one by one (the sets' findings would not be merged with it).
        Some(sets) if sets.touched => {
            drop(tree);
            return diagnose_on(ev, inputs, now, threads, false);
        }
        Some(sets) => {
            let (findings, node_syms) = (std::mem::take(&mut tree.findings), std::mem::take(&mut tree.node_syms));
            let (findings, node_syms, settled) = sets.settle(&tree, findings, node_syms, threads);
            (tree.findings, tree.node_syms) = (findings, node_syms);
            Some(settled)
        }
        None => None,
    };
    let Tree { findings, node_syms, unattributed, .. } = tree;
    Found { findings, sets: settled, node_syms, facts, unattributed }
}

impl Found {
    /// One cause per failure (compose), in the order the report reads them. `ev` is the
    /// evidence the tree read: a fleet's set rows' findings are made from it when they are read;
    /// without sets, it is dropped first (a fleet's columns are tens of megabytes).
    pub fn settle(self, ev: Arc<Evidence>) -> Conclusions {
        let Found { mut findings, sets, mut node_syms, facts, mut unattributed } = self;
        unattributed.sort_unstable();
        unattributed.dedup();
        let (nodes, default_facts) = (facts.nodes, facts.default);
        if let Some(sets) = sets {
            let findings = Findings::with_sets(findings, node_syms, sets.with(ev));
            return Conclusions { findings, nodes, default_facts, unattributed };
        }
        drop(ev);
        compose::compose(&mut findings, &mut node_syms);
        // The list grew by doubling: up to half of it is room no finding will use, held
        // while the report is written (a fleet's 435,000 findings left 90,000 places empty).
        findings.shrink_to_fit();
        node_syms.shrink_to_fit();
        // In the report's order ([`order_key`]). Stable: equal keys keep their order (the
        // index decides). The key is read once per finding, not at every comparison (a
        // fleet has 400,000), and the findings and their nodes' symbols are put in that
        // order together.
        let order = stable_order(findings.iter().map(|f| order_key(f.code, f.role())));
        put_in_order(&mut findings, &mut node_syms, order);
        Conclusions { findings: Findings::made(findings, node_syms), nodes, default_facts, unattributed }
    }
}

/// The places of `keys` in the order of their keys, equal keys in their own order: what a stable
/// sort by key gives, without comparing items. For keys with few distinct values (a finding's
/// role, depth and branch-level mark take a dozen): each item goes straight to its key's
/// bucket, in two passes, where sorting a fleet's 440,000 findings was 4% of the worker's time
/// to its result.
fn stable_order<K: Ord + Copy>(keys: impl Iterator<Item = K>) -> Vec<u32> {
    // The distinct keys and how many items have each; each item's bucket. An item's key is
    // most often the one before it, else found in the short list.
    let mut distinct: Vec<(K, u32)> = Vec::new();
    let mut last = 0;
    let bucket_of: Vec<u32> = keys
        .map(|key| {
            if distinct.get(last).is_none_or(|(k, _)| *k != key) {
                last = distinct.iter().position(|(k, _)| *k == key).unwrap_or_else(|| {
                    distinct.push((key, 0));
                    distinct.len() - 1
                });
            }
            distinct[last].1 += 1;
            last as u32
        })
        .collect();
    // Where each bucket starts, the buckets taken in their keys' order.
    let mut buckets: Vec<usize> = (0..distinct.len()).collect();
    buckets.sort_unstable_by_key(|&b| distinct[b].0);
    let mut next = vec![0u32; distinct.len()];
    let mut start = 0;
    for b in buckets {
        next[b] = start;
        start += distinct[b].1;
    }
    let mut order = vec![0u32; bucket_of.len()];
    for (at, &b) in bucket_of.iter().enumerate() {
        order[next[b as usize] as usize] = at as u32;
        next[b as usize] += 1;
    }
    order
}

/// Puts `findings` and their `node_syms` in `order` (a permutation of their places: the one
/// that goes first, then the next), in place: no second list of a fleet's findings is made.
fn put_in_order(findings: &mut [Finding], node_syms: &mut [Option<Sym>], mut order: Vec<u32>) {
    debug_assert_eq!(findings.len(), node_syms.len());
    for i in 0..order.len() {
        // Where the finding that goes at `i` is now: earlier places have been filled by swaps,
        // which moved what was there to where the one that went there had been.
        let mut from = order[i] as usize;
        while from < i {
            from = order[from] as usize;
        }
        order[i] = from as u32;
        findings.swap(i, from);
        node_syms.swap(i, from);
    }
}

pub(crate) struct Tree<'a> {
    pub ev: &'a Evidence,
    pub inputs: &'a [Input],
    pub now: Option<f64>,
    pub findings: Vec<Finding>,
    /// Each finding's node as interned by `seen`: compose groups findings by node without
    /// hashing their ids again.
    node_syms: Vec<Option<Sym>>,
    /// The values and slots findings hold, each distinct one stored once.
    shared: Shared,
    /// Where each (code, node) finding is in `findings`, so merging a repeated finding is O(1)
    /// for fleets.
    seen: Seen<'a>,
    index: &'a Index<'a>,
    /// The region the inputs name (the person's setting, if any, is applied when rendering).
    region: Option<Region>,
    facts: &'a nodes::Facts,
    /// Inputs with a log that could not be tied to one node.
    pub unattributed: Vec<usize>,
    /// In a part ([`Tree::part`]): the findings added again for a (code, node) the part already
    /// has, kept as they came, for [`Tree::absorb`] to add in their turn.
    deferred: Option<Vec<Deferred>>,
    /// A fleet's patch-state rows kept as sets of codes, where the evidence allows it.
    sets: Option<sets::RowSets>,
}

/// A node's slots shared by the findings of its row ([`Tree::node_slots`]): its id left out
/// when it is the instance they name, as a finding holds them.
#[derive(Clone)]
pub(crate) struct NodeSlots {
    shared: Arc<Slots>,
    instance_is_node: bool,
    /// The node's symbol, when the slots are a row's ([`Tree::row_node_slots`]).
    row_node: Option<Sym>,
}

impl NodeSlots {
    /// The slots whole, as a finding of `node` about `state` is given them.
    fn whole(&self, node: Option<&str>, state: Option<PatchState>) -> Slots {
        made_whole(&self.shared, node.filter(|_| self.instance_is_node), state)
    }

    /// The slots whole with no state, to be changed for a finding of their own.
    pub(crate) fn to_slots(&self, node: &str) -> Slots {
        self.whole(Some(node), None)
    }
}

/// The branch a finding of `code` belongs to: its entry's, or its compliance type's.
fn branch_of(code: Code, compliance_type: Option<&str>) -> Branch {
    let entry = Knowledge::get().entry(code);
    entry.branch.unwrap_or_else(|| Branch::of_compliance_type(compliance_type.unwrap_or("")))
}

/// The finding `new` makes, about `node` (its symbol's id), with its values and slots shared.
fn made(new: New, node: Option<NodeId>, vars: SharedVars, slots: Arc<Slots>, instance_is_node: bool) -> Finding {
    let New { code, node_sym: _, compliance_type, mut evidence, strength, state } = new;
    evidence.dedup();
    Finding {
        code,
        node,
        branch: branch_of(code, compliance_type),
        vars,
        evidence,
        slots,
        state,
        instance_is_node,
        strength,
        rare: compliance_type.map(|t| Box::new(Rare { compliance_type: Some(t.into()), ..Rare::default() })),
    }
}

/// A node's slots (with no state), shared in `shared` ([`Tree::node_slots`]).
fn node_slots_in(shared: &mut Shared, node: Option<&str>, slots: Slots) -> NodeSlots {
    let mut slots = slots;
    debug_assert!(slots.state.is_none(), "a finding's state is held beside its slots");
    // The node's own id is read back from the node (a fleet's findings are nearly all
    // about their node: one allocation fewer each).
    let node = named(node);
    let instance_is_node = node.is_some() && slots.instance.as_ref().map(InstanceId::as_str) == node;
    if instance_is_node {
        slots.instance = None;
    }
    NodeSlots { shared: shared.slots(slots), instance_is_node, row_node: None }
}

/// A patch-state row's node slots ([`Tree::row_node_slots`]), from the row's `slots`.
fn row_node_slots_in(shared: &mut Shared, row: PatchStateRow, slots: Slots) -> NodeSlots {
    NodeSlots { row_node: row.node_sym(), ..node_slots_in(shared, Some(row.instance_id().value), slots) }
}

/// Slots a finding holds, made whole: `instance`, the node they left out as their instance,
/// put back, and the finding's `state` put in.
fn made_whole(shared: &Slots, instance: Option<&str>, state: Option<PatchState>) -> Slots {
    let mut whole = Slots { state, ..shared.clone() };
    if let Some(node) = instance {
        whole.instance = InstanceId::parse(node);
    }
    whole
}

/// The node a finding is about: an empty id (a row that names no node, as an answer given
/// without an instance id) ties it to none.
fn named(node: Option<&str>) -> Option<&str> {
    node.filter(|n| !n.is_empty())
}

/// What a new finding is made of, besides its values and slots.
struct New<'n> {
    code: Code,
    node_sym: Option<Sym>,
    compliance_type: Option<&'n str>,
    evidence: Cites,
    strength: Strength,
    state: Option<PatchState>,
}

/// How many findings a part's list gives back at a time as it is absorbed.
const GIVE_BACK_EVERY: usize = 4096;

/// A finding added to a part for a (code, node) the part already holds: merged only when the
/// part is absorbed, after every finding the tree had before it (merging is not associative:
/// a value a text fills may be one a phrase kept).
struct Deferred {
    code: Code,
    node: Option<CompactString>,
    vars: Vars,
    evidence: Cites,
    slots: Slots,
    strength: Strength,
}

/// The findings added so far, by node and code: each node's id stored once (interned), and
/// each node's findings linked into a chain through the list. A node has a handful of findings,
/// so finding one walks a few entries and hashes nothing but the node's id (a table keyed by
/// node and code grew by rehashing through a fleet's 440,000 findings). Looking one up
/// allocates nothing.
#[derive(Default)]
struct Seen<'a> {
    /// Over the rows' texts: a row's node is the symbol it was read with.
    nodes: Layered<'a>,
    /// By node symbol: the node's latest finding + 1 (0: none yet).
    latest: Vec<u32>,
    /// By finding: its code, and its node's finding before it + 1 (0: its node's first).
    chain: Vec<(Code, u32)>,
    /// The findings of no node, by code.
    unnamed: FxHashMap<Code, u32>,
    /// The last node looked up: a row's findings come one after another, for the same node,
    /// and its id is then not hashed again.
    last: Option<Sym>,
    /// By node symbol: its id, as its findings share it (where they do not hold it inline).
    #[cfg(not(target_pointer_width = "64"))]
    ids: Vec<Option<NodeId>>,
}

impl<'a> Seen<'a> {
    /// Nodes named by their ids, a row's by the symbol `rows` hold its id as.
    fn over(rows: &'a PatchStates) -> Seen<'a> {
        Seen { nodes: Layered::over(rows.texts()), ..Seen::default() }
    }

    /// One lookup: the place of the finding already added for `code` and `node` (`Ok`), or,
    /// when there is none, the node's symbol, the new finding now registered at `next` (`Err`).
    /// `next` is the list's length: every finding is registered once, in the list's order.
    fn place(&mut self, code: Code, node: Option<&str>, next: usize) -> Result<usize, Option<Sym>> {
        let sym = node.map(|n| self.sym(n));
        self.place_sym(code, sym, next)
    }

    /// [`Seen::place`], by `known` when it is a symbol the rows hold (the same in every tree over
    /// them) for `node`: the id is then not looked up again.
    fn place_known(
        &mut self,
        code: Code,
        node: Option<&str>,
        known: Option<Sym>,
        next: usize,
    ) -> Result<usize, Option<Sym>> {
        match known.filter(|s| s.index() < self.nodes.shared_len()) {
            Some(sym) => {
                debug_assert_eq!(Some(self.nodes.get(sym)), node, "the symbol is the node's");
                self.place_sym(code, Some(sym), next)
            }
            None => self.place(code, node, next),
        }
    }

    /// [`Seen::place`] of a node by its symbol (one of the rows', or one this lookup gave).
    fn place_sym(&mut self, code: Code, sym: Option<Sym>, next: usize) -> Result<usize, Option<Sym>> {
        debug_assert_eq!(next, self.chain.len(), "findings are registered in their order");
        let Some(sym) = sym else {
            if let Some(&at) = self.unnamed.get(&code) {
                return Ok(at as usize);
            }
            self.unnamed.insert(code, next as u32);
            self.chain.push((code, 0));
            return Err(None);
        };
        if sym.index() >= self.latest.len() {
            self.latest.resize(sym.index() + 1, 0);
        }
        self.last = Some(sym);
        let latest = &mut self.latest[sym.index()];
        let mut link = *latest;
        while let Some(at) = link.checked_sub(1) {
            let (its, before) = self.chain[at as usize];
            if its == code {
                return Ok(at as usize);
            }
            link = before;
        }
        self.chain.push((code, *latest));
        *latest = next as u32 + 1;
        Err(Some(sym))
    }

    /// Whether a finding about the node `sym` has been added.
    fn has_findings(&self, sym: Sym) -> bool {
        self.latest.get(sym.index()).is_some_and(|&latest| latest != 0)
    }

    /// The symbol of `node`, its id stored if it is new.
    fn sym(&mut self, node: &str) -> Sym {
        match self.last {
            Some(last) if self.nodes.get(last) == node => last,
            // Placing it makes it the last.
            _ => self.nodes.intern(node),
        }
    }

    /// The id of the node `sym`, as a finding holds it.
    #[cfg(target_pointer_width = "64")]
    fn id(&mut self, sym: Sym) -> NodeId {
        NodeId::from(self.nodes.get(sym))
    }

    /// The id of the node `sym`, as a finding holds it: made once, for the node's first finding.
    #[cfg(not(target_pointer_width = "64"))]
    fn id(&mut self, sym: Sym) -> NodeId {
        if sym.index() >= self.ids.len() {
            self.ids.resize(sym.index() + 1, None);
        }
        Arc::clone(self.ids[sym.index()].get_or_insert_with(|| Arc::from(self.nodes.get(sym))))
    }

    /// Room for `more` findings.
    fn reserve(&mut self, more: usize) {
        self.chain.reserve(more);
    }

    /// Room for every node the rows name: their symbols are the rows' (nothing is stored).
    fn reserve_rows(&mut self) {
        let rows = self.nodes.shared_len();
        self.latest.resize(self.latest.len().max(rows), 0);
        #[cfg(not(target_pointer_width = "64"))]
        self.ids.resize(self.ids.len().max(rows), None);
    }
}

/// The distinct values and slots of the findings added so far, each held once and shared by
/// every finding that has it (hash-consed). A fleet's findings differ mostly by their node,
/// which neither holds. In a generated export of 164,000 nodes, each with a baseline of its own
/// (the worst case: an account has a few), 442,000 findings hold 200,000 slots and 50,000 lists
/// of values (the lists with a time are not looked up), for 38 MB less at the run's peak.
#[derive(Default)]
struct Shared {
    vars: FxHashSet<SharedVars>,
    slots: FxHashSet<Arc<Slots>>,
    /// The slots shared last: a row's findings come one after another with the same slots
    /// (their state is held beside them), and comparing them costs less than hashing them.
    last_slots: Option<Arc<Slots>>,
}

impl Shared {
    fn vars(&mut self, vars: Vars) -> SharedVars {
        // A time is one node's own (when its operation ended): values that hold one are
        // rarely another's, and looking them up would only cost the set its room.
        if vars.iter().any(|(_, v)| matches!(v, Var::Time(_))) {
            return vars.into();
        }
        share(&mut self.vars, vars)
    }

    fn slots(&mut self, slots: Slots) -> Arc<Slots> {
        if let Some(last) = self.last_slots.as_ref().filter(|last| ***last == slots) {
            return Arc::clone(last);
        }
        let shared = share(&mut self.slots, slots);
        self.last_slots = Some(Arc::clone(&shared));
        shared
    }
}

/// The one stored value equal to `value`, stored if it is new.
fn share<T, V>(set: &mut FxHashSet<Arc<T>>, value: V) -> Arc<T>
where
    T: std::hash::Hash + Eq + ?Sized,
    V: std::borrow::Borrow<T> + Into<Arc<T>>,
{
    if let Some(shared) = set.get(value.borrow()) {
        return Arc::clone(shared);
    }
    let shared: Arc<T> = value.into();
    set.insert(Arc::clone(&shared));
    shared
}

/// Per-node lookups built once, so a fleet of N nodes costs O(N), not O(N²).
struct Index<'a> {
    /// The run that best explains a node: patch documents first, then unsuccessful ones.
    command_by_node: FxHashMap<&'a str, &'a CommandRun>,
    command_any: Option<&'a CommandRun>,
    baseline_by_node: BaselineOf<'a>,
}

impl<'a> Index<'a> {
    fn build(ev: &'a Evidence) -> Index<'a> {
        let rank = |c: &CommandRun| (is_patch_document(&c.document.value), c.status.value != "Success");
        let mut command_by_node: FxHashMap<&str, &CommandRun> = FxHashMap::default();
        for run in &ev.command_runs {
            for id in &run.instance_ids {
                let slot = command_by_node.entry(id.as_str()).or_insert(run);
                if rank(run) > rank(slot) {
                    *slot = run;
                }
            }
        }
        let command_any = ev.command_runs.iter().max_by_key(|c| rank(c));
        let baseline_by_node = BaselineOf::new(&ev.patch_states);
        Index { command_by_node, command_any, baseline_by_node }
    }
}

impl<'a> Tree<'a> {
    /// What a patch-state row's findings read besides the row.
    fn row_scope(&self) -> patch::RowScope<'a> {
        patch::RowScope { ev: self.ev, now: self.now }
    }

    /// Slots every command can use: the node, the region, and a command id the evidence ties
    /// to the node (most recent patch command first).
    pub fn slots(&self, node: Option<&str>) -> Slots {
        let node = named(node);
        self.slots_with(node, |n| self.index.baseline_by_node.get(n))
    }

    /// [`Tree::slots`] of a patch-state row's node: its baseline read by the symbol the row
    /// was read with (hashing a fleet's ids again to find it was a tenth of deciding its rows).
    fn row_slots(&self, row: PatchStateRow) -> Slots {
        let node = named(Some(row.instance_id().value));
        self.slots_with(node, |_| self.index.baseline_by_node.of_row(row))
    }

    /// The slots of `node` (named), with `baseline_of` the baseline a row of a node names.
    fn slots_with<'s>(&'s self, node: Option<&'s str>, baseline_of: impl FnOnce(&str) -> Option<&'s str>) -> Slots {
        let ev = self.ev;
        // Each value is borrowed from the evidence where it has one (a fleet asks for the slots
        // of every row: no copy before the id's own).
        let cli_value = |names: &[&str]| cli_option(ev, names).map(Cow::Owned);
        fn borrowed(text: &str) -> Cow<'_, str> {
            Cow::Borrowed(text)
        }
        let command = match node {
            Some(n) => self.index.command_by_node.get(n).copied().or_else(|| {
                // A run listed without instance ids (get-command-invocation of another node
                // aside) may still be this node's.
                self.index.command_any.filter(|c| c.instance_ids.is_empty())
            }),
            None => self.index.command_any,
        }
        .map(|c| borrowed(&c.command_id))
        .or_else(|| ev.association_runs.iter().find_map(|r| r.command_id.as_ref().map(|c| borrowed(&c.value))))
        .or_else(|| cli_value(&["command-id"]))
        .or_else(|| ev.context.command_ids.first().map(|c| borrowed(&c.value)));
        let instance = node.map(Cow::Borrowed).or_else(|| match ev.context.instance_ids.as_slice() {
            [only] => Some(borrowed(&only.value)),
            _ => cli_value(&["instance-id", "instance-ids", "resource-id"]),
        });
        let baseline = match node {
            Some(n) => baseline_of(n).map(Cow::Borrowed),
            None => ev.patch_states.iter().find_map(|s| s.baseline_id().map(|b| Cow::Borrowed(b.value))),
        }
        .or_else(|| ev.baselines.first().map(|b| borrowed(&b.baseline_id)))
        .or_else(|| ev.context.baseline_ids.first().map(|b| borrowed(&b.value)));
        let association = ev
            .association_runs
            .first()
            .map(|r| borrowed(&r.association_id))
            .or_else(|| cli_value(&["association-id", "association-ids"]))
            .or_else(|| ev.context.association_ids.first().map(|a| borrowed(&a.value)));
        let association = association.as_deref().and_then(Uuid::parse);
        let execution = ev.association_runs.first().and_then(|r| Uuid::parse(&r.execution_id));
        let command = command.as_deref().and_then(Uuid::parse);
        // Most findings name no command or association (a fleet's): they carry no room for one.
        let more = (command.is_some() || association.is_some() || execution.is_some())
            .then(|| Box::new(MoreSlots { command, association, execution, ..MoreSlots::default() }));
        Slots {
            instance: instance.as_deref().and_then(InstanceId::parse),
            region: self.region.clone(),
            more,
            baseline: baseline.as_deref().and_then(BaselineId::parse),
            platform: self.facts_of(node).platform,
            patch_group: ev.context.patch_groups.first().map(|g| g.value.as_str().into()),
            ..Slots::default()
        }
    }

    /// What a node runs, as far as the inputs tell (the inputs' overall answer for no node).
    pub fn facts_of(&self, node: Option<&str>) -> &NodeFacts {
        node.and_then(|n| self.facts.nodes.get(n)).unwrap_or(&self.facts.default)
    }

    /// Whether a node is reported Online by describe-instance-information (for no node: the
    /// only node listed).
    pub fn is_online(&self, node: Option<&str>) -> bool {
        let online = |n: &crate::model::ManagedNode| {
            n.ping_status.as_ref().is_some_and(|p| p.value.eq_ignore_ascii_case("Online"))
        };
        match node {
            Some(id) => self.ev.nodes.iter().any(|n| n.instance_id == id && online(n)),
            None => self.ev.nodes.len() == 1 && online(&self.ev.nodes[0]),
        }
    }

    /// Adds the finding for catalogue entry `code`. A second finding with the same code for the
    /// same node merges its evidence into the first, so one cause is reported once.
    pub fn add(
        &mut self,
        code: Code,
        node: Option<&str>,
        vars: &[(&'static str, String)],
        evidence: impl Into<Cites>,
        slots: Slots,
    ) {
        let vars = vars.iter().map(|(k, v)| (*k, Var::from(v.as_str()))).collect();
        self.add_vars(code, node, vars, evidence, slots);
    }

    /// Like [`Tree::add`], with values that may be phrases of the knowledge base.
    pub fn add_vars(&mut self, code: Code, node: Option<&str>, vars: Vars, evidence: impl Into<Cites>, slots: Slots) {
        self.push(code, node, None, vars, evidence.into(), slots, Strength::Proven);
    }

    /// Adds a finding whose evidence is of `strength` (a signature's weak or recovered lines).
    pub fn add_with_strength(
        &mut self,
        code: Code,
        node: Option<&str>,
        vars: Vars,
        evidence: impl Into<Cites>,
        slots: Slots,
        strength: Strength,
    ) {
        self.push(code, node, None, vars, evidence.into(), slots, strength);
    }

    /// Adds a branch-level finding about compliance type `compliance_type` (its branch follows
    /// the type: `Patch`, `Association`, `Custom:…`).
    pub fn add_for_type(
        &mut self,
        code: Code,
        node: Option<&str>,
        compliance_type: &str,
        vars: &[(&'static str, String)],
        evidence: impl Into<Cites>,
        slots: Slots,
    ) {
        let vars = vars.iter().map(|(k, v)| (*k, Var::from(v.as_str()))).collect();
        self.push(code, node, Some(compliance_type), vars, evidence.into(), slots, Strength::Proven);
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        code: Code,
        node: Option<&str>,
        compliance_type: Option<&str>,
        vars: Vars,
        evidence: Cites,
        slots: Slots,
        strength: Strength,
    ) {
        let node = named(node);
        let node_sym = match self.seen.place(code, node, self.findings.len()) {
            Ok(at) => return self.add_again(at, code, node, vars, evidence, slots, strength),
            Err(node_sym) => node_sym,
        };
        let mut slots = slots;
        let state = slots.state.take();
        let slots = self.node_slots(node, slots);
        let new = New { code, node_sym, compliance_type, evidence, strength, state };
        self.insert(new, vars, Arc::clone(&slots.shared), slots.instance_is_node);
    }

    /// Room for the nodes and slots of `rows` rows of a node each (a fleet's patch states): the
    /// tables that find them grow once, not by rehashing them again and again (in the worker,
    /// growing the set of slots took 37 ms of a 150 MB export's run).
    pub(crate) fn reserve_rows(&mut self, rows: usize) {
        self.seen.reserve_rows();
        self.shared.slots.reserve(rows);
    }

    /// A node's slots (with no state), shared, for the findings of one of its rows to be added
    /// with [`Tree::add_for_node`]: shared once, not per finding.
    pub(crate) fn node_slots(&mut self, node: Option<&str>, slots: Slots) -> NodeSlots {
        node_slots_in(&mut self.shared, node, slots)
    }

    /// [`Tree::node_slots`] of a patch-state row's node, with [`Tree::row_slots`]: its findings
    /// are then added by the symbol the row holds its node as.
    pub(crate) fn row_node_slots(&mut self, row: PatchStateRow) -> NodeSlots {
        let slots = self.row_slots(row);
        row_node_slots_in(&mut self.shared, row, slots)
    }

    /// Like [`Tree::add_vars`], with slots made by [`Tree::node_slots`] for the same node, and the
    /// patch state the finding is about.
    pub(crate) fn add_for_node(
        &mut self,
        code: Code,
        node: &str,
        vars: Vars,
        evidence: Cites,
        slots: &NodeSlots,
        state: Option<PatchState>,
    ) {
        let node = named(Some(node));
        let node_sym = match self.seen.place_known(code, node, slots.row_node, self.findings.len()) {
            Ok(at) => {
                let whole = slots.whole(node, state);
                return self.add_again(at, code, node, vars, evidence, whole, Strength::Proven);
            }
            Err(node_sym) => node_sym,
        };
        let new = New { code, node_sym, compliance_type: None, evidence, strength: Strength::Proven, state };
        self.insert(new, vars, Arc::clone(&slots.shared), slots.instance_is_node);
    }

    /// A finding for a (code, node) the tree has (at `at`): merged, or, in a part, kept for
    /// [`Tree::absorb`].
    #[allow(clippy::too_many_arguments)]
    fn add_again(
        &mut self,
        at: usize,
        code: Code,
        node: Option<&str>,
        vars: Vars,
        evidence: Cites,
        slots: Slots,
        strength: Strength,
    ) {
        match &mut self.deferred {
            Some(deferred) => {
                let node = node.map(CompactString::from);
                deferred.push(Deferred { code, node, vars, evidence, slots, strength });
            }
            None => self.merge(at, vars, evidence, slots, strength),
        }
    }

    /// Adds a finding new to the tree (its place registered by `seen`).
    fn insert(&mut self, new: New, vars: Vars, slots: Arc<Slots>, instance_is_node: bool) {
        let node_sym = new.node_sym;
        if let Some(sets) = &mut self.sets {
            sets.note_node(node_sym);
        }
        let node = node_sym.map(|sym| self.seen.id(sym));
        self.node_syms.push(node_sym);
        self.findings.push(made(new, node, self.shared.vars(vars), slots, instance_is_node));
    }

    /// Merges a finding added again for the same code and node into the one at `at`.
    fn merge(&mut self, at: usize, vars: Vars, evidence: Cites, slots: Slots, strength: Strength) {
        let existing = &mut self.findings[at];
        for cite in evidence {
            if !existing.evidence.contains(&cite) {
                existing.evidence.push(cite);
            }
        }
        // Proof from one input outweighs a hint or a recovery seen in another.
        if strength > existing.strength {
            existing.strength = strength;
            existing.vars = self.shared.vars(vars);
        } else {
            // What another input adds is kept: the patch list names the items a count
            // only counts, a log names the bucket a state does not.
            let mut merged = existing.vars.to_vec();
            for (name, value) in vars {
                match merged.iter_mut().find(|(k, _)| *k == name) {
                    Some((_, Var::Text(old))) if old.is_empty() => {
                        if let Var::Text(new) = &value {
                            old.clone_from(new);
                        }
                    }
                    Some(_) => {}
                    None => merged.push((name, value)),
                }
            }
            if *merged != *existing.vars {
                existing.vars = self.shared.vars(merged);
            }
        }
        existing.fill_slots_from(&slots);
    }

    /// An empty tree over the same evidence, for rows to be decided on another thread: what it
    /// finds is added to this tree by [`Tree::absorb`], exactly as if this tree had found it.
    pub(crate) fn part(&self) -> Tree<'a> {
        Tree {
            ev: self.ev,
            inputs: self.inputs,
            now: self.now,
            findings: Vec::new(),
            node_syms: Vec::new(),
            shared: Shared::default(),
            seen: Seen::over(&self.ev.patch_states),
            index: self.index,
            region: self.region.clone(),
            facts: self.facts,
            unattributed: Vec::new(),
            deferred: Some(Vec::new()),
            sets: None,
        }
    }

    /// Adds what a part found after everything this tree found so far: the same findings, in
    /// the same order, with the same values, as adding them here one by one. A finding the part
    /// added first is new here or merged into this tree's; the part's repeats are then merged
    /// in the order they came (each (code, node)'s additions keep their order, and additions to
    /// different findings do not touch each other).
    pub(crate) fn absorb(&mut self, part: Tree<'_>) {
        // Only the findings are kept: the part's lookups go first (a fleet's run is at its peak
        // here).
        let Tree { mut findings, deferred, unattributed, seen, shared, mut node_syms, .. } = part;
        drop((seen, shared));
        self.findings.reserve(findings.len());
        self.seen.reserve(findings.len());
        // Taken from the end of the reversed list, in their order: the list gives its memory
        // back as it empties (a copy of half a fleet's findings would be the run's peak).
        findings.reverse();
        node_syms.reverse();
        while let (Some(finding), Some(sym)) = (findings.pop(), node_syms.pop()) {
            if findings.len() % GIVE_BACK_EVERY == 0 {
                findings.shrink_to_fit();
                node_syms.shrink_to_fit();
            }
            // A node the rows name has the same symbol in both trees (both look the rows' texts
            // up first): it is placed by that, not by its id hashed again.
            match self.seen.place_known(finding.code, finding.node.as_deref(), sym, self.findings.len()) {
                Ok(at) => {
                    let slots = finding.slots().into_owned();
                    self.merge(at, finding.vars.to_vec(), finding.evidence, slots, finding.strength);
                }
                Err(node_sym) => {
                    self.node_syms.push(node_sym);
                    self.findings.push(finding);
                }
            }
        }
        for d in deferred.into_iter().flatten() {
            self.push(d.code, d.node.as_deref(), None, d.vars, d.evidence, d.slots, d.strength);
        }
        self.unattributed.extend(unattributed);
    }
}

/// The first value of the first of `names` given on a pasted AWS CLI command line.
fn cli_option(ev: &Evidence, names: &[&str]) -> Option<String> {
    ev.cli_commands.iter().find_map(|c| {
        names.iter().find_map(|n| c.option(n)).map(|v| v.split([' ', ',']).next().unwrap_or(v).to_string())
    })
}

/// The region the inputs name: the first found in ARNs, endpoints, S3 URLs or host names, else
/// a `--region` on a pasted command line.
pub use crate::model::is_patch_document;

pub fn region(ev: &Evidence) -> Option<Region> {
    ev.context
        .region()
        .and_then(Region::parse)
        .or_else(|| cli_option(ev, &["region"]).as_deref().and_then(Region::parse))
}

/// Documents people run to patch that do NOT report Patch compliance.
pub fn is_non_compliance_patch_document(name: &str) -> bool {
    matches!(
        name,
        "AWS-InstallWindowsUpdates"
            | "AWS-FindWindowsUpdates"
            | "AWS-InstallMissingWindowsUpdates"
            | "AWS-InstallSpecificWindowsUpdates"
            | "AWS-ConfigureWindowsUpdate"
    )
}

/// Compares dotted agent versions (`2.3.842.0` < `3.0.1209.0`).
pub fn version_lt(a: &str, b: &str) -> bool {
    let parse = |v: &str| v.split('.').map(|p| p.trim().parse::<u64>().unwrap_or(0)).collect::<Vec<_>>();
    parse(a) < parse(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Ordering by few distinct keys gives the order a stable sort by key gives.
        #[test]
        fn the_stable_order_is_a_stable_sorts(keys in proptest::collection::vec((0u8..3, 0u8..4, proptest::bool::ANY), 0..300)) {
            let mut sorted: Vec<u32> = (0..keys.len() as u32).collect();
            sorted.sort_by_key(|&at| keys[at as usize]);
            proptest::prop_assert_eq!(stable_order(keys.iter().copied()), sorted);
        }
    }

    /// A node keeps one symbol however it is named: by the row it was read with (on either
    /// thread), or by its id, in an input read before the rows (compliance items) or after them
    /// (a failed patch run). Its findings from all three are then one node's, on one thread or
    /// two, so compose and the node table see them together.
    #[test]
    fn a_node_named_by_a_row_and_by_its_id_elsewhere_has_one_symbol() {
        let export = crate::generate::generate("instance-patch-states", 5000, 11).expect("a generated export");
        let ids: Vec<&str> =
            export.match_indices("\"InstanceId\": \"").map(|(at, m)| &export[at + m.len()..][..19]).collect();
        let named = [ids[10], ids[ids.len() - 10]]; // one in each thread's half of the rows
        let items: Vec<String> = named
            .iter()
            .map(|n| format!(r#"{{"ComplianceType": "Patch", "ResourceId": "{n}", "Id": "KB5005565", "Status": "NON_COMPLIANT", "Severity": "CRITICAL", "Details": {{"PatchState": "Missing"}}}}"#))
            .collect();
        let items = format!(r#"{{"ComplianceItems": [{}]}}"#, items.join(","));
        let history = format!(
            r#"{{"Commands": [{{"CommandId": "11111111-2222-3333-4444-555555555555", "DocumentName": "AWS-RunPatchBaseline",
            "InstanceIds": ["{}", "{}"], "Status": "Failed", "Parameters": {{"Operation": ["Install"]}}}}]}}"#,
            named[0], named[1]
        );
        let inputs = [
            crate::ingest::read("items.json", items.as_bytes()),
            crate::ingest::read("states.json", export.as_bytes()),
            crate::ingest::read("history.json", history.as_bytes()),
        ];
        let ev = Evidence::collect(&inputs);
        let now = Some(1_796_083_200.0);
        let (one, two) = (diagnose_on(&ev, &inputs, now, false, false), diagnose_on(&ev, &inputs, now, true, false));
        assert_eq!(one.findings, two.findings);
        assert_eq!(one.node_syms, two.node_syms);
        for node in named {
            let inputs_cited: FxHashSet<usize> = two
                .findings
                .iter()
                .filter(|f| f.node.as_deref() == Some(node))
                .flat_map(|f| f.evidence.iter().map(|c| c.input()))
                .collect();
            assert_eq!(inputs_cited.len(), 3, "{node}'s findings cite all three inputs: {inputs_cited:?}");
        }
        // One symbol per id, and one id per symbol.
        let mut sym_of: FxHashMap<&str, Sym> = FxHashMap::default();
        let mut id_of: FxHashMap<Sym, &str> = FxHashMap::default();
        for (f, sym) in two.findings.iter().zip(&two.node_syms) {
            let (Some(node), Some(sym)) = (f.node.as_deref(), *sym) else { continue };
            assert_eq!(*sym_of.entry(node).or_insert(sym), sym, "{node} has one symbol");
            assert_eq!(*id_of.entry(sym).or_insert(node), node, "a symbol names one node");
        }
        assert!(sym_of.len() >= 5000, "every row's node: {}", sym_of.len());
    }

    /// A fleet's rows decided on two threads give exactly the findings of deciding them one by
    /// one: the same findings in the same order, with the same values, cites and slots. The
    /// fleet is listed three times, differently (other counts, other operations): the second
    /// listing's first rows are merged into the first's while its last rows and the third
    /// listing are decided on the other thread, whose repeats of its own findings and of the
    /// first thread's are merged when it is absorbed.
    #[test]
    fn a_fleet_decided_on_two_threads_gives_the_findings_of_one() {
        let export = crate::generate::generate("instance-patch-states", 2500, 3).expect("a generated export");
        let more_missing = export.replace("\"MissingCount\": 0,", "\"MissingCount\": 2,");
        let installs = export
            .replace("\"Operation\": \"Scan\"", "\"Operation\": \"Install\"")
            .replace("\"FailedCount\": 0,", "\"FailedCount\": 1,");
        let inputs = [
            crate::ingest::read("states.json", export.as_bytes()),
            crate::ingest::read("again.json", more_missing.as_bytes()),
            crate::ingest::read("installs.json", installs.as_bytes()),
        ];
        let ev = Evidence::collect(&inputs);
        assert!(ev.patch_states.len() >= patch::SPLIT_FROM_ROWS, "the rows are split");
        let now = Some(1_796_083_200.0); // 2026-12-01: the generated runs are stale by then
        let (one, two) = (diagnose_on(&ev, &inputs, now, false, false), diagnose_on(&ev, &inputs, now, true, false));
        assert!(one.findings.len() > 7500, "every row gives findings: {}", one.findings.len());
        assert!(one.findings.iter().any(|f| f.evidence.len() >= 3), "a finding merged from the three listings");
        assert_eq!(one.node_syms, two.node_syms);
        for (a, b) in one.findings.iter().zip(&two.findings) {
            assert_eq!(a, b);
        }
        assert_eq!(one.findings.len(), two.findings.len());
    }

    /// The conclusions of diagnosing `inputs` with the rows kept as sets where they may be, and
    /// of deciding them one by one, on `threads`.
    fn with_and_without_sets(inputs: &[Input], now: Option<f64>, threads: bool) -> (Conclusions, Conclusions) {
        let ev = Arc::new(Evidence::collect(inputs));
        let sets = diagnose_on(&ev, inputs, now, threads, true).settle(Arc::clone(&ev));
        let rows = diagnose_on(&ev, inputs, now, threads, false).settle(ev);
        (sets, rows)
    }

    fn assert_same(sets: &Conclusions, rows: &Conclusions, what: &str) {
        assert_eq!(sets.findings.len(), rows.findings.len(), "{what}: as many findings");
        for (at, (a, b)) in sets.findings.iter().zip(rows.findings.iter()).enumerate() {
            assert_eq!(a, b, "{what}: finding {at}");
        }
        assert_eq!(sets.findings.node_syms(), rows.findings.node_syms(), "{what}: the nodes' symbols");
        assert_eq!(sets.unattributed, rows.unattributed, "{what}");
    }

    /// Every fixture and corpus file settles to the same findings, in the same order, whether
    /// its rows are kept as sets or decided one by one (most are not fleets: their rows share
    /// their node with other inputs' findings, or the evidence is not only patch states).
    #[test]
    fn every_sample_settles_alike_with_rows_kept_as_sets() {
        for (at, text) in crate::test_texts().iter().enumerate() {
            let inputs = [crate::ingest::read("sample", text.as_bytes())];
            let (sets, rows) = with_and_without_sets(&inputs, Some(1_796_083_200.0), false);
            assert_same(&sets, &rows, &format!("text {at}"));
        }
    }

    /// Fleets whose rows are kept as sets settle to the findings of deciding them one by one:
    /// stale and fresh rows; Scans and Installs with every non-compliant count; rows with and
    /// without a baseline; a baseline that counts security updates as non-compliant, beside
    /// one that does not; a node listed twice (decided one by one, among the sets); a row of
    /// no node; a region named or not; on one thread and on two.
    #[test]
    fn fleets_kept_as_sets_settle_as_rows_decided_one_by_one() {
        let export = crate::generate::generate("instance-patch-states", 4200, 7).expect("a generated export");
        let mixed = crate::test_mixed_fleet(4200, 7);
        let ids: Vec<&str> =
            export.match_indices("\"InstanceId\": \"").map(|(at, m)| &export[at + m.len()..][..19]).collect();
        let baseline = |row: usize| {
            let at = export.match_indices("\"BaselineId\": \"").nth(row).expect("a row's baseline").0;
            export[at..].split('"').nth(3).expect("its id").to_string()
        };
        let baseline_says = |row: usize, status: &str| {
            format!(
                r#"{{"BaselineId": "{}", "Name": "fleet", "OperatingSystem": "AMAZON_LINUX_2",
                    "ApprovalRules": {{"PatchRules": []}}, "AvailableSecurityUpdatesComplianceStatus": "{status}"}}"#,
                baseline(row)
            )
        };
        let (counts, ignores) = (baseline_says(5, "NON_COMPLIANT"), baseline_says(12, "COMPLIANT"));
        let twice = format!(
            r#"{{"InstancePatchStates": [{{"InstanceId": "{}", "BaselineId": "pb-0123456789abcdef0", "Operation": "Install",
                "MissingCount": 1, "FailedCount": 1, "OperationEndTime": "2026-11-30T01:02:03+00:00"}},
               {{"InstanceId": "", "Operation": "Scan", "MissingCount": 2}}]}}"#,
            ids[100]
        );
        // The first row's node again, before the fleet: an Install whose missing patches W5
        // explains, so compose removes a finding that comes before every set row.
        let first = format!(
            r#"{{"InstancePatchStates": [{{"InstanceId": "{}", "Operation": "Install", "MissingCount": 1, "FailedCount": 1,
                "OperationEndTime": "2026-11-30T01:02:03+00:00"}}]}}"#,
            ids[0]
        );
        let region = "aws ssm describe-instance-patch-states --region eu-west-1 --instance-ids i-0123456789abcdef0";
        let read = |name: &str, text: &str| crate::ingest::read(name, text.as_bytes());
        let cases: Vec<(&str, Vec<Input>)> = vec![
            ("a generated fleet", vec![read("states.json", &export)]),
            ("every state", vec![read("states.json", &mixed)]),
            (
                "with baselines",
                vec![read("states.json", &mixed), read("counts.json", &counts), read("ignores.json", &ignores)],
            ),
            ("a node twice", vec![read("first.json", &first), read("states.json", &mixed), read("twice.json", &twice)]),
            ("a region", vec![read("command.txt", region), read("states.json", &mixed)]),
        ];
        for (what, inputs) in &cases {
            for threads in [false, true] {
                for now in [None, Some(1_796_083_200.0)] {
                    let (sets, rows) = with_and_without_sets(inputs, now, threads);
                    assert!(rows.findings.len() > 4200, "{what}: every row's findings: {}", rows.findings.len());
                    assert_same(&sets, &rows, &format!("{what}, threads {threads}, now {now:?}"));
                }
            }
        }
        // The rows were kept as sets (a region named, where no finding of the tree's own cites
        // the rows: the sets' cites keep X0 away), and compose had causes to settle among them.
        for (what, inputs) in &cases {
            let ev = Evidence::collect(inputs);
            assert!(sets::allowed(&ev), "{what}");
        }
        let ev = Arc::new(Evidence::collect(&cases[2].1));
        assert!(sets::allowed(&ev));
        let settled = diagnose_on(&ev, &cases[2].1, Some(1_796_083_200.0), true, true).settle(Arc::clone(&ev));
        assert!(settled.findings.iter().any(|f| !f.supporting().is_empty()), "a row's cause explains its symptoms");
        for code in
            [Code::PatchAvailableSecurityUpdate, Code::PatchAvailableSecurityUpdateUnconfirmed, Code::PatchDataStale]
        {
            assert!(settled.findings.iter().any(|f| f.code == code), "{code:?}");
        }
    }

    /// A branch that adds a finding about a node a set holds, after the rows (P0's "no patch
    /// state" of an empty listing, for the one node the inputs name): the rows are decided
    /// again one by one, and the node's findings are one node's.
    #[test]
    fn a_finding_about_a_set_rows_node_decides_the_rows_again() {
        let one = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "Operation": "Scan", "MissingCount": 2,
            "BaselineId": "pb-0123456789abcdef0"}]}"#;
        let inputs = [
            crate::ingest::read("one.json", one.as_bytes()),
            crate::ingest::read("empty.json", br#"{"InstancePatchStates": []}"#),
        ];
        let ev = Evidence::collect(&inputs);
        assert!(sets::allowed(&ev));
        let (sets, rows) = with_and_without_sets(&inputs, None, false);
        assert_same(&sets, &rows, "an empty listing beside a row");
        let of_node = |code: Code| {
            rows.findings.iter().any(|f| f.code == code && f.node.as_deref() == Some("i-0123456789abcdef0"))
        };
        assert!(of_node(Code::PatchDataMissing) && of_node(Code::PatchMissing), "{:?}", rows.findings);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Small fleets of any rows settle alike with and without sets: nodes from a pool of
        /// five (so some are listed twice) or none; Scans, Installs or no operation; every
        /// count from 0 to 2; a baseline from a pool of three or none, one of which counts
        /// security updates as non-compliant; old and recent runs; and, beside them or not, an
        /// empty listing (whose P0 names the inputs' only node, if they name one).
        #[test]
        fn any_small_fleet_settles_alike_with_sets(
            rows in proptest::collection::vec(
                (0usize..6, 0usize..3, proptest::collection::vec(0u8..3, 5), 0usize..4, proptest::bool::ANY),
                1..24,
            ),
            baseline_says in proptest::bool::ANY,
            empty_listing in proptest::bool::ANY,
        ) {
            let nodes = ["i-0123456789abcdef0", "i-0fedcba9876543210", "i-00000000000000001", "i-0aaaaaaaaaaaaaaaa", "mi-0123456789abcdef0"];
            let baselines = ["pb-0123456789abcdef0", "pb-0fedcba9876543210", "pb-00000000000000001"];
            let written: Vec<String> = rows
                .iter()
                .map(|(node, operation, counts, baseline, recent)| {
                    let mut fields = vec![format!(r#""InstanceId": "{}""#, nodes.get(*node).copied().unwrap_or(""))];
                    if let Some(op) = ["Scan", "Install"].get(*operation) {
                        fields.push(format!(r#""Operation": "{op}""#));
                    }
                    let names = ["FailedCount", "InstalledPendingRebootCount", "InstalledRejectedCount", "MissingCount", "AvailableSecurityUpdateCount"];
                    fields.extend(names.iter().zip(counts).map(|(name, n)| format!(r#""{name}": {n}"#)));
                    if let Some(b) = baselines.get(*baseline) {
                        fields.push(format!(r#""BaselineId": "{b}", "PatchGroup": "web""#));
                    }
                    let end = if *recent { "2026-11-30T10:00:00.5+00:00" } else { "2026-03-01T10:00:00+00:00" };
                    fields.push(format!(r#""OperationEndTime": "{end}", "RebootOption": "NoReboot""#));
                    format!("{{{}}}", fields.join(", "))
                })
                .collect();
            let states = format!(r#"{{"InstancePatchStates": [{}]}}"#, written.join(",\n"));
            let baseline = format!(
                r#"{{"BaselineId": "{}", "Name": "b", "OperatingSystem": "WINDOWS", "AvailableSecurityUpdatesComplianceStatus": "NON_COMPLIANT"}}"#,
                baselines[0]
            );
            let mut inputs = vec![crate::ingest::read("states.json", states.as_bytes())];
            if baseline_says {
                inputs.push(crate::ingest::read("baseline.json", baseline.as_bytes()));
            }
            if empty_listing {
                inputs.push(crate::ingest::read("empty.json", br#"{"InstancePatchStates": []}"#));
            }
            let ev = Evidence::collect(&inputs);
            proptest::prop_assert!(sets::allowed(&ev));
            let (sets, rows) = with_and_without_sets(&inputs, Some(1_796_083_200.0), false);
            proptest::prop_assert_eq!(&sets.findings, &rows.findings);
            proptest::prop_assert_eq!(sets.findings.node_syms(), rows.findings.node_syms());
        }
    }
}
