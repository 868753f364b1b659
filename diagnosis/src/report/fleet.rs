//! What a report says per node and per finding code: each node's verdict (with, in the fleet
//! form, its findings in compact form), and the groups that write each finding once for all the
//! nodes it concerns, with commands that list those nodes where a command takes several.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use smallvec::SmallVec;

use super::{CitedLine, Diagnosis, FindingGroup, Form, NodeFinding, NodeVerdict, Title, Titles, Writer};
use crate::commands::{NodeFile, Settings, IDS_PER_CALL};
use crate::grouped::Grouped;
use crate::ids::{InstanceId, Region};
use crate::ingest::Input;
use crate::intern::Sym;
use crate::knowledge::{slot_names, Code, Entry, Hint, Knowledge, Lang, Role};
use crate::model::Platform;
use crate::tree::{Findings, NodeFacts, NodeId, Var, VarList};

/// A node's verdict as [`NodeVerdict`] has it, borrowing what the diagnosis and the knowledge
/// hold and sharing the titles others have: what the report's JSON writes for each of a fleet's
/// nodes, serialised as `NodeVerdict` (the same bytes), where owning each id, reference and
/// title was a dozen allocations per node.
#[derive(Serialize)]
pub(super) struct VerdictOf<'d> {
    node: &'d str,
    verdict: Title,
    causes: usize,
    refs: Inline<[&'static str; 4]>,
    platform: Option<Platform>,
    findings: Inline<[FindingOf; 4]>,
}

/// A node's finding as [`NodeFinding`] has it, borrowed.
#[derive(Serialize)]
struct FindingOf {
    code: Code,
    #[serde(rename = "ref")]
    reference: &'static str,
    role: Role,
    title: Title,
    lines: LinesOf,
}

/// A finding's lines as [`CitedLine`]s, read from its cites as they are written.
struct LinesOf(crate::tree::Cites);

impl Serialize for LinesOf {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(CitedLine::of))
    }
}

/// A short list, written as a JSON list, held inline (a node has a few findings and refs).
struct Inline<A: smallvec::Array>(SmallVec<A>);

impl<A: smallvec::Array> Serialize for Inline<A>
where
    A::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter())
    }
}

impl VerdictOf<'_> {
    /// The verdict, owned (what a report holds and the page is sent).
    pub(super) fn into_owned(self) -> NodeVerdict {
        NodeVerdict {
            node: self.node.to_string(),
            verdict: self.verdict.into(),
            causes: self.causes,
            refs: self.refs.0.iter().map(|r| r.to_string()).collect(),
            platform: self.platform,
            findings: (self.findings.0.into_iter())
                .map(|f| NodeFinding {
                    code: f.code,
                    reference: f.reference.to_string(),
                    role: f.role,
                    title: f.title.into(),
                    lines: f.lines.0.iter().map(CitedLine::of).collect(),
                })
                .collect(),
        }
    }
}

/// A node's verdict from its findings (`members`, indices into `findings`): its first cause
/// (findings come causes first), or what to check next; in the fleet form, its findings in
/// compact form, with their titles. A finding is made only where its title or lines are
/// written (a fleet's set rows' are made from their rows).
fn verdict_of<'f>(
    node: &'f str,
    members: &[u32],
    findings: &'f Findings,
    titles: &mut Titles,
    writer: &Writer,
    form: Form,
) -> VerdictOf<'f> {
    let knowledge = Knowledge::get();
    // Notes (what is fine, context) are listed by their groups; a node's own list keeps what
    // is wrong and what to check.
    let listed = |role: Role| form == Form::Fleet && role != Role::Note;
    let mut verdict = VerdictOf {
        node,
        verdict: Title::Own(String::new()),
        causes: 0,
        refs: Inline(SmallVec::new()),
        platform: writer.facts(Some(node)).platform,
        findings: Inline(SmallVec::new()),
    };
    // The verdict so far only names the branch (N0/N1): a later specific cause replaces it.
    let mut generic = false;
    for (k, &at) in members.iter().enumerate() {
        let (code, role) = (findings.code(at as usize), findings.role(at as usize));
        let reference = knowledge.entry(code).reference.as_str();
        let listed = listed(role);
        // Written only where the verdict says it: first, replacing a generic verdict, listed.
        let replaces = k > 0 && role == Role::Cause && generic && !reference.starts_with('N');
        let f = (k == 0 || replaces || listed).then(|| findings.get(at as usize));
        let title = f.as_ref().map_or(Title::Own(String::new()), |f| titles.of(f, writer));
        if k == 0 {
            // A cause or a note (what is fine) is the verdict as it stands; a check says it is
            // what to look at next.
            verdict.verdict = match (role, writer.lang) {
                (Role::Cause | Role::Note, _) => title.clone(),
                (Role::Check, Lang::En) => Title::Own(format!("No cause found yet. Next: {}", &*title)),
                (Role::Check, Lang::ZhCn) => Title::Own(format!("尚未发现原因。下一步：{}", &*title)),
            };
            verdict.refs.0.push(reference);
            generic = reference.starts_with('N');
        } else {
            if replaces {
                verdict.verdict = title.clone();
                generic = false;
            }
            if !verdict.refs.0.contains(&reference) {
                verdict.refs.0.push(reference);
            }
        }
        verdict.causes += usize::from(role == Role::Cause);
        if let Some(f) = f.filter(|_| listed) {
            verdict.findings.0.push(FindingOf { code, reference, role, title, lines: LinesOf(f.evidence.clone()) });
        }
    }
    verdict
}

/// Which findings each node has, and how many causes: the nodes in the order first seen, each
/// with its findings in their order, as indices into the diagnosis' findings. Each node's
/// verdict is written on its own, when it is asked for: the CLI writes a report's one by one
/// and never holds them all, and the page's worker writes those of the rows in view (writing
/// every verdict of a fleet, a title per finding, was a tenth of its time to the first row).
/// A report leaves out only findings tied to no node, so its nodes are the table's.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeTable {
    /// Node `i`'s findings; its key, the first of them (whose node it is).
    nodes: Grouped<u32>,
    causes: Vec<u32>,
}

impl NodeTable {
    /// The nodes of `diagnosis`. A finding tied to no node (the only kind a report's settings
    /// leave out) is in none.
    pub fn of(diagnosis: &Diagnosis) -> NodeTable {
        let findings = &diagnosis.findings;
        let all = 0..findings.len();
        // By the symbols the tree interned the ids as (equal ids, equal symbols): the same
        // groups, without hashing a fleet's ids again.
        let nodes = if findings.has_node_syms() {
            Grouped::by_index(all.map(|i| findings.node_sym(i).map(Sym::index))).rekeyed(|_, items| items[0])
        } else {
            Grouped::by(all.map(|i| findings.node(i))).rekeyed(|_, items| items[0])
        };
        let causes = nodes
            .iter()
            .map(|(_, items)| items.iter().filter(|&&k| findings.role(k as usize) == Role::Cause).count() as u32)
            .collect();
        NodeTable { nodes, causes }
    }

    /// How many nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// How many nodes have at least one cause (the rule of [`super::Report::nodes_with_cause`]).
    pub fn with_cause(&self) -> usize {
        self.causes.iter().filter(|&&c| c > 0).count()
    }

    /// How many causes node `i` has (its verdict's `causes`).
    pub fn causes(&self, i: usize) -> usize {
        self.causes[i] as usize
    }

    /// Node `i`'s id.
    pub fn node<'d>(&self, i: usize, diagnosis: &'d Diagnosis) -> &'d str {
        diagnosis.findings.node(*self.nodes.key(i) as usize).unwrap_or_default()
    }

    /// Node `i`'s verdict (see [`verdict_of`]), by `writer`, whose diagnosis is the table's.
    pub(super) fn verdict<'d>(&self, i: usize, titles: &mut Titles, writer: &Writer<'d>, form: Form) -> NodeVerdict {
        self.verdict_of(i, titles, writer, form).into_owned()
    }

    /// Node `i`'s verdict, borrowed: what is written to JSON and dropped.
    pub(super) fn verdict_of<'d>(
        &self,
        i: usize,
        titles: &mut Titles,
        writer: &Writer<'d>,
        form: Form,
    ) -> VerdictOf<'d> {
        let diagnosis = writer.diagnosis;
        verdict_of(self.node(i, diagnosis), self.nodes.items(i), &diagnosis.findings, titles, writer, form)
    }

    /// The verdicts of the nodes `nodes`, in the fleet form, written in `lang` with `settings`.
    pub fn verdicts(
        &self,
        nodes: impl IntoIterator<Item = usize>,
        inputs: &[Input],
        diagnosis: &Diagnosis,
        lang: Lang,
        settings: &Settings,
    ) -> Vec<NodeVerdict> {
        let writer = Writer { inputs, diagnosis, lang, settings };
        let mut titles = Titles::default();
        nodes.into_iter().map(|i| self.verdict(i, &mut titles, &writer, Form::Fleet)).collect()
    }
}

/// How many roles there are (a group's key numbers them).
const ROLES: usize = 3;
const _: () = assert!(Role::Note as usize + 1 == ROLES, "Note is the last role");

/// A report of at least this many findings writes its groups on two threads where there are
/// threads: below it, a thread costs more than it saves.
const GROUPS_BESIDE_FROM: usize = 4096;

/// One group per finding code and role: causes first, then by how many nodes they concern.
/// `shown` are the findings the report shows, as indices into `findings`.
pub(super) fn groups(findings: &Findings, shown: &[u32], titles: &mut Titles, writer: &Writer) -> Vec<FindingGroup> {
    groups_on(findings, shown, titles, writer, crate::beside::THREADS)
}

/// [`groups`], on one thread or, for a fleet, on two when `threads`. A member is read through
/// the findings' accessors: a fleet's set rows' findings are made only for the few a group
/// writes (its first, its evidence, its text variants).
fn groups_on(
    findings: &Findings,
    shown: &[u32],
    titles: &mut Titles,
    writer: &Writer,
    threads: bool,
) -> Vec<FindingGroup> {
    let knowledge = Knowledge::get();
    let at = |j: u32| shown[j as usize] as usize;
    // A group's commands must target one region: nodes of one finding in several regions (an
    // organisation's result) are a group per region. A fleet from one region is grouped by code.
    // Grouped through a list by a number for the key, not a hash table of keys (a fleet's
    // 440,000 findings hashed a region's name each): the regions are few, one for most fleets,
    // each numbered where first seen. The same groups, in the same order.
    let mut regions: Vec<Option<&Region>> = Vec::new();
    let members = Grouped::by_index(shown.iter().map(|&i| {
        let i = i as usize;
        let region = findings.region(i);
        let known = regions.iter().position(|&r| r == region).unwrap_or_else(|| {
            regions.push(region);
            regions.len() - 1
        });
        Some((known * Code::ALL.len() + findings.code(i) as usize) * ROLES + findings.role(i) as usize)
    }))
    .rekeyed(|_, items| {
        let first = at(items[0]);
        (findings.code(first), findings.role(first), findings.region(first))
    });
    let split: FxHashSet<(Code, Role)> = {
        let mut regions: FxHashMap<(Code, Role), usize> = FxHashMap::default();
        for (code, role, _) in members.iter().map(|(key, _)| key) {
            *regions.entry((*code, *role)).or_default() += 1;
        }
        regions.into_iter().filter(|(_, n)| *n > 1).map(|(k, _)| k).collect()
    };
    let group = |(key, list): (&(Code, Role, Option<&Region>), &[u32]), titles: &mut Titles| {
        let list: Vec<usize> = list.iter().map(|&j| at(j)).collect();
        let first = findings.get(list[0]);
        let entry = knowledge.entry(first.code);
        // A node has one finding per code (the tree merges a repeated one), so the members
        // name distinct nodes. Each id is checked once here: how many a command can take, and
        // whether one is hybrid (the id alone tells: no EC2 call for the group).
        // The findings' own ids, shared, not copied (a fleet's groups name 440,000 members).
        let mut nodes: Vec<NodeId> = Vec::with_capacity(list.len());
        let (mut valid, mut hybrid) = (0, false);
        for &i in &list {
            if let Some(node) = findings.node_id(i) {
                if let Some(id) = InstanceId::valid(node) {
                    valid += 1;
                    hybrid |= crate::ids::is_hybrid(id);
                }
                nodes.push(node.clone());
            }
        }
        debug_assert_eq!(nodes.iter().collect::<FxHashSet<_>>().len(), nodes.len(), "a group names a node once");
        // Titles differ by counts and items between nodes: the group of several nodes says
        // what they share ("1 rejected patch" is one node's count, not the group's); one
        // node's, or findings of no node, their title when they all read the same.
        let title = match nodes.len() {
            0 | 1 => {
                let first = titles.of(&first, writer);
                let same = list[1..].iter().all(|&i| titles.of(&findings.get(i), writer) == first);
                if same {
                    first.into()
                } else {
                    entry.name(writer.lang).to_string()
                }
            }
            _ => entry.name(writer.lang).to_string(),
        };
        let title = match (&key.2, split.contains(&(key.0, key.1))) {
            (Some(region), true) => format!("{title} ({region})"),
            _ => title,
        };
        // Commands once: the values every member shares, the node list where a command
        // takes several ids, and only the commands that fit every member's platform.
        let mut slots = first.slots().into_owned();
        let mut facts = writer.facts(first.node.as_deref());
        for &i in &list[1..] {
            findings.keep_common(i, &mut slots);
            if facts != NodeFacts::default() && writer.facts(findings.node(i)) != facts {
                facts = NodeFacts::default();
            }
        }
        // Every node of the group: listed where one call takes them all, else read from the
        // group's node file 50 at a time.
        let command_nodes = if nodes.len() > 1 { valid } else { 0 };
        facts.hybrid |= hybrid;
        if valid > IDS_PER_CALL {
            let role = (key.1 != entry.role).then_some(key.1);
            slots.more_mut().node_file = Some(NodeFile::for_group(key.0, role, key.2));
        } else if nodes.len() > 1 {
            slots.more_mut().instances = nodes.iter().filter_map(|n| InstanceId::parse(n)).collect();
        }
        let written = writer.finding(&first);
        let (why, fix) = group_texts(&list, findings, writer).unwrap_or((written.why, written.fix));
        let evidence: Vec<_> = list.iter().take(3).filter_map(|&i| findings.first_cite(i)).collect();
        FindingGroup {
            code: key.0,
            reference: entry.reference.clone(),
            role: key.1,
            branch: first.branch,
            title,
            why,
            fix,
            count: list.len(),
            node_count: nodes.len(),
            command_nodes,
            node_file: slots.more().node_file.as_ref().map(|f| f.name().to_string()),
            commands: writer.commands(&first, facts, std::borrow::Cow::Owned(slots)),
            evidence: writer.evidence(&evidence),
            nodes,
        }
    };
    let mut groups: Vec<FindingGroup> = if threads && shown.len() >= GROUPS_BESIDE_FROM {
        in_two_shares(members.iter().collect(), titles, group)
    } else {
        members.iter().map(|g| group(g, titles)).collect()
    };
    groups.sort_by(|a, b| a.role.cmp(&b.role).then(b.nodes.len().cmp(&a.nodes.len())).then(b.count.cmp(&a.count)));
    groups
}

/// Writes the groups on two threads, each taking groups in turn while its share of their
/// members is the smaller, then puts them back in their order. Titles are looked up in a cache
/// of each thread's own: the same texts either way.
fn in_two_shares<K: Sync, G: Send>(
    all: Vec<(&K, &[u32])>,
    titles: &mut Titles,
    group: impl Fn((&K, &[u32]), &mut Titles) -> G + Sync,
) -> Vec<G> {
    let mut shares = [Vec::new(), Vec::new()];
    let mut members_of = [0usize; 2];
    for (at, (_, list)) in all.iter().enumerate() {
        let share = usize::from(members_of[1] < members_of[0]);
        shares[share].push(at);
        members_of[share] += list.len();
    }
    let [mine, theirs] = shares;
    let (mut written, mut other, mut other_titles) = (Vec::new(), Vec::new(), Titles::default());
    crate::beside::beside(
        true,
        || written = mine.into_iter().map(|at| (at, group(all[at], titles))).collect(),
        || other = theirs.into_iter().map(|at| (at, group(all[at], &mut other_titles))).collect(),
    );
    written.extend(other);
    written.sort_unstable_by_key(|(at, _)| *at);
    written.into_iter().map(|(_, g)| g).collect()
}

/// How many variants of its why and fix a group tells apart, each with its count; more (a text
/// naming each node's own time) and the values that differ are said to differ.
const TEXT_VARIANTS: usize = 3;

/// The group's why and fix where its members' differ (an Install or a Scan before the same
/// state): each variant with how many of the group's findings it concerns, so the group never
/// says of all its nodes what is true of its first. None when they all read the same.
fn group_texts(list: &[usize], findings: &Findings, writer: &Writer) -> Option<(String, String)> {
    let entry = Knowledge::get().entry(findings.code(list[0]));
    // Only the values the texts name, and how strong the finding is (a hint says so), set
    // members apart: counts and items belong to the titles. The names are read once per group
    // (a group may hold a hundred thousand findings), and a member's values only when the
    // texts name any.
    let mut names = slot_names(entry.why.get(writer.lang));
    names.extend(slot_names(entry.fix.get(writer.lang)));
    let named = |name: &&str| names.contains(name);
    let none: &VarList = &[];
    let vars_of = |i: usize| if names.is_empty() { std::borrow::Cow::Borrowed(none) } else { findings.vars(i) };
    // Each variant: its first member, that member's values, and how many members read alike.
    let mut variants: Vec<(usize, std::borrow::Cow<VarList>, usize)> = Vec::new();
    for &i in list {
        let (strength, vars) = (findings.strength(i), vars_of(i));
        let same = |(j, theirs, _): &&mut (usize, std::borrow::Cow<VarList>, usize)| {
            findings.strength(*j) == strength
                && theirs.iter().filter(|(n, _)| named(n)).eq(vars.iter().filter(|(n, _)| named(n)))
        };
        if let Some(v) = variants.iter_mut().find(same) {
            v.2 += 1;
        } else if variants.len() == TEXT_VARIANTS {
            return Some(shared_texts(list, findings, writer, entry, &names));
        } else {
            variants.push((i, vars, 1));
        }
    }
    if variants.len() < 2 {
        return None;
    }
    variants.sort_by_key(|v| std::cmp::Reverse(v.2));
    let written: Vec<(usize, super::FindingReport)> =
        variants.iter().map(|(i, _, n)| (*n, writer.finding(&findings.get(*i)))).collect();
    let join = |text: &dyn Fn(&super::FindingReport) -> &str| {
        let mut parts: Vec<String> = Vec::new();
        for (n, f) in &written {
            let part = match writer.lang {
                Lang::En => format!("({n} {}) {}", if *n == 1 { "node" } else { "nodes" }, text(f)),
                Lang::ZhCn => format!("（{n} 个节点）{}", text(f)),
            };
            if !parts.iter().any(|p| p.ends_with(text(f))) {
                parts.push(part);
            }
        }
        // One text for every variant (the fix often is): written once, without counts.
        if parts.len() == 1 {
            text(&written[0].1).to_string()
        } else {
            parts.join(" ")
        }
    };
    Some((join(&|f| f.why.as_str()), join(&|f| f.fix.as_str())))
}

/// The why and fix of a group whose members' differ in too many ways to list (a time of each
/// node's own): the entry's `fleet_why` where it has one, else the first member's with every
/// value that is not the same for the whole group written as differing, so the group never
/// states one node's time for all of them.
fn shared_texts(
    list: &[usize],
    findings: &Findings,
    writer: &Writer,
    entry: &Entry,
    names: &[&str],
) -> (String, String) {
    let mut shared = findings.get(list[0]).into_owned();
    let vars = std::sync::Arc::make_mut(&mut shared.vars);
    // Which of the first member's named values every member has too: each member's values
    // read once, until every value is known to differ (a node's own time does at once).
    let mut same: Vec<bool> = vars.iter().map(|(n, _)| names.contains(n)).collect();
    for &i in list {
        if !same.contains(&true) {
            break;
        }
        let theirs = findings.vars(i);
        for ((name, value), same) in vars.iter().zip(same.iter_mut()).filter(|(_, same)| **same) {
            *same = theirs.iter().find(|(n, _)| n == name).map(|(_, v)| v) == Some(value);
        }
    }
    for ((name, value), same) in vars.iter_mut().zip(&same) {
        if names.contains(name) && !same {
            *value = Var::Hint(Hint::DiffersByNode);
        }
    }
    let written = writer.finding(&shared);
    let why = entry.fleet_why.as_ref().map_or(written.why, |why| writer.in_language(why.get(writer.lang).to_string()));
    (why, written.fix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Report, FLEET_NODES};
    use crate::{Diagnosis, Settings};

    /// A fleet's groups written on two threads are those written on one: the same groups, in
    /// the same order, with the same titles, texts, commands and node lists.
    #[test]
    fn a_fleets_groups_written_on_two_threads_are_those_of_one() {
        let export = crate::generate::generate("instance-patch-states", 3000, 5).expect("a generated export");
        let inputs = [crate::ingest::read("states.json", export.as_bytes())];
        let diagnosis = Diagnosis::of(&inputs, Some(1_796_083_200.0));
        let settings = Settings::default();
        let findings = &diagnosis.findings;
        let shown: Vec<u32> = (0..findings.len() as u32).collect();
        assert!(shown.len() >= GROUPS_BESIDE_FROM, "the groups are split: {}", shown.len());
        let writer = Writer { inputs: &inputs, diagnosis: &diagnosis, lang: Lang::En, settings: &settings };
        let one = groups_on(findings, &shown, &mut Titles::default(), &writer, false);
        let two = groups_on(findings, &shown, &mut Titles::default(), &writer, true);
        assert!(one.len() >= 4, "several groups: {}", one.len());
        assert_eq!(one, two);
    }

    /// The node table made from the symbols the tree interned the nodes as is the one made by
    /// reading their ids: the same nodes, in the same order, with the same findings. The
    /// fleet's nodes each have several findings, and some findings have no node.
    #[test]
    fn the_node_table_by_symbols_is_the_table_by_ids() {
        let export = crate::generate::generate("instance-patch-states", 600, 7).expect("a generated export");
        let inputs = [crate::ingest::read("states.json", export.as_bytes())];
        let diagnosis = Diagnosis::of(&inputs, Some(1_796_083_200.0));
        assert!(diagnosis.findings.has_node_syms(), "the tree's symbols come with the findings");
        assert!(diagnosis.findings.iter().any(|f| f.node.is_none()), "a finding of no node");
        let by_symbols = NodeTable::of(&diagnosis);
        let without = diagnosis.findings.without_node_syms();
        assert!(!without.has_node_syms());
        let by_ids = NodeTable::of(&Diagnosis { findings: without, ..diagnosis.clone() });
        assert_eq!(by_symbols.len(), 600);
        assert!(by_symbols.nodes.items(0).len() > 1, "a node has several findings");
        assert_eq!(by_symbols, by_ids);
    }

    /// What the report's JSON writes for a node (borrowed, titles shared) is the bytes of its
    /// owned verdict, which the page is sent and a report holds: in both languages and both
    /// forms, for nodes whose first finding is a cause, a check (the verdict's "Next:") and a
    /// note, with titles found written and written directly (a node's own time).
    #[test]
    fn a_borrowed_verdict_is_written_as_its_owned_one() {
        let export = crate::generate::generate("instance-patch-states", 1200, 3).expect("a generated export");
        let inputs = [crate::ingest::read("states.json", export.as_bytes())];
        let diagnosis = Diagnosis::of(&inputs, Some(1_796_083_200.0));
        let table = NodeTable::of(&diagnosis);
        let settings = Settings::default();
        let mut firsts = FxHashSet::default();
        for lang in [Lang::En, Lang::ZhCn] {
            let writer = Writer { inputs: &inputs, diagnosis: &diagnosis, lang, settings: &settings };
            for form in [Form::Fleet, Form::Single] {
                let (mut borrowed, mut owned) = (Titles::default(), Titles::default());
                for i in 0..table.len() {
                    firsts.insert(diagnosis.findings.role(table.nodes.items(i)[0] as usize));
                    let written = serde_json::to_string(&table.verdict_of(i, &mut borrowed, &writer, form)).unwrap();
                    let verdict = table.verdict(i, &mut owned, &writer, form);
                    assert_eq!(written, serde_json::to_string(&verdict).unwrap());
                    assert!(!verdict.verdict.is_empty() && !verdict.refs.is_empty(), "{written}");
                    if form == Form::Fleet {
                        assert!(verdict.findings.iter().all(|f| !f.title.is_empty()), "{written}");
                    }
                }
            }
        }
        assert_eq!(firsts.len(), 3, "first findings of every role: {firsts:?}");
    }

    /// A fleet's report is the same bytes whether its rows are kept as sets (their findings
    /// made only where the report writes one, and read without making them for its groups) or
    /// decided one by one, each finding made and held: its groups, their commands and node
    /// files, every node's verdict, and a node's findings when it is opened. In both languages,
    /// with and without a region typed in; and a fleet small enough for the single form, which
    /// writes every finding.
    #[test]
    fn a_fleets_report_is_the_same_with_its_rows_kept_as_sets() {
        let now = Some(1_796_083_200.0);
        for rows in [3000, 40] {
            let fleet = crate::test_mixed_fleet(rows, 5);
            let inputs = [crate::ingest::read("states.json", fleet.as_bytes())];
            let (sets, one_by_one) = (Diagnosis::of(&inputs, now), Diagnosis::of_rows_one_by_one(&inputs, now));
            assert!(sets.findings.has_sets() && !one_by_one.findings.has_sets());
            let typed = Settings { region: crate::ids::Region::parse("ap-southeast-2"), ..Settings::default() };
            for (lang, settings) in [(Lang::En, Settings::default()), (Lang::ZhCn, typed)] {
                let report = Report::build(&inputs, &sets, lang, &settings);
                assert_eq!(report.form, if rows > FLEET_NODES { Form::Fleet } else { Form::Single });
                assert_eq!(report.to_json(), Report::build(&inputs, &one_by_one, lang, &settings).to_json());
                assert!(report.groups.iter().any(|g| g.node_file.is_some()) || rows < IDS_PER_CALL);
                for node in report.nodes.iter().step_by(97).map(|n| n.node.as_str()) {
                    let opened = Report::findings_of(&inputs, &sets, node, lang, &settings);
                    assert!(!opened.is_empty());
                    assert_eq!(opened, Report::findings_of(&inputs, &one_by_one, node, lang, &settings));
                }
            }
        }
    }

    /// Shared out by their members, the groups come back in their order, each written once.
    #[test]
    fn groups_in_two_shares_come_back_in_their_order() {
        let lists: Vec<Vec<u32>> = [9, 1, 1, 5, 2, 2, 7, 1].iter().map(|&n| (0..n).collect()).collect();
        let keys: Vec<usize> = (0..lists.len()).collect();
        let all: Vec<(&usize, &[u32])> = keys.iter().zip(&lists).map(|(k, l)| (k, l.as_slice())).collect();
        let written = in_two_shares(all, &mut Titles::default(), |(key, list), _| (*key, list.len()));
        let expected: Vec<(usize, usize)> = keys.iter().map(|&k| (k, lists[k].len())).collect();
        assert_eq!(written, expected);
    }
}
