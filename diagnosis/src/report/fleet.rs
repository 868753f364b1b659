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
use crate::lines::Cite;
use crate::model::Platform;
use crate::tree::{Finding, NodeFacts, NodeId, Var};

/// Whether a finding counts as one of its node's causes (`NodeVerdict::causes`).
fn is_cause(f: &Finding) -> bool {
    f.role() == Role::Cause
}

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
    findings: Inline<[FindingOf<'d>; 4]>,
}

/// A node's finding as [`NodeFinding`] has it, borrowed.
#[derive(Serialize)]
struct FindingOf<'d> {
    code: Code,
    #[serde(rename = "ref")]
    reference: &'static str,
    role: Role,
    title: Title,
    lines: LinesOf<'d>,
}

/// A finding's lines as [`CitedLine`]s, read from its cites as they are written.
struct LinesOf<'d>(&'d [Cite]);

impl Serialize for LinesOf<'_> {
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
/// compact form, with their titles.
fn verdict_of<'f>(
    node: &'f str,
    members: &[u32],
    findings: &'f [Finding],
    titles: &mut Titles<'f>,
    writer: &Writer,
    form: Form,
) -> VerdictOf<'f> {
    let knowledge = Knowledge::get();
    // Notes (what is fine, context) are listed by their groups; a node's own list keeps what
    // is wrong and what to check.
    let listed = |f: &Finding| form == Form::Fleet && f.role() != Role::Note;
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
        let f = &findings[at as usize];
        let role = f.role();
        let reference = knowledge.entry(f.code).reference.as_str();
        let listed = listed(f);
        // Written only where the verdict says it: first, replacing a generic verdict, listed.
        let replaces = k > 0 && role == Role::Cause && generic && !reference.starts_with('N');
        let title = if k == 0 || replaces || listed { titles.of(f, writer) } else { Title::Own(String::new()) };
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
        verdict.causes += usize::from(is_cause(f));
        if listed {
            verdict.findings.0.push(FindingOf { code: f.code, reference, role, title, lines: LinesOf(&f.evidence) });
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
        // By the symbols the tree interned the ids as (equal ids, equal symbols): the same
        // groups, without hashing a fleet's ids again.
        let nodes = match &diagnosis.node_syms {
            syms if syms.len() == findings.len() => {
                Grouped::by_index(syms.iter().map(|s| s.map(Sym::index))).rekeyed(|_, items| items[0])
            }
            _ => Grouped::by(findings.iter().map(|f| f.node.as_deref())).rekeyed(|_, items| items[0]),
        };
        let causes = nodes
            .iter()
            .map(|(_, items)| items.iter().filter(|&&k| is_cause(&findings[k as usize])).count() as u32)
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
        diagnosis.findings[*self.nodes.key(i) as usize].node.as_deref().unwrap_or_default()
    }

    /// Node `i`'s verdict (see [`verdict_of`]), by `writer`, whose diagnosis is the table's.
    pub(super) fn verdict<'d>(
        &self,
        i: usize,
        titles: &mut Titles<'d>,
        writer: &Writer<'d>,
        form: Form,
    ) -> NodeVerdict {
        self.verdict_of(i, titles, writer, form).into_owned()
    }

    /// Node `i`'s verdict, borrowed: what is written to JSON and dropped.
    pub(super) fn verdict_of<'d>(
        &self,
        i: usize,
        titles: &mut Titles<'d>,
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
pub(super) fn groups<'f>(findings: &[&'f Finding], titles: &mut Titles<'f>, writer: &Writer) -> Vec<FindingGroup> {
    groups_on(findings, titles, writer, crate::beside::THREADS)
}

/// [`groups`], on one thread or, for a fleet, on two when `threads`.
fn groups_on<'f>(
    findings: &[&'f Finding],
    titles: &mut Titles<'f>,
    writer: &Writer,
    threads: bool,
) -> Vec<FindingGroup> {
    let knowledge = Knowledge::get();
    // A group's commands must target one region: nodes of one finding in several regions (an
    // organisation's result) are a group per region. A fleet from one region is grouped by code.
    // Grouped through a list by a number for the key, not a hash table of keys (a fleet's
    // 440,000 findings hashed a region's name each): the regions are few, one for most fleets,
    // each numbered where first seen. The same groups, in the same order.
    let mut regions: Vec<Option<&Region>> = Vec::new();
    let members = Grouped::by_index(findings.iter().map(|f| {
        let region = f.region();
        let known = regions.iter().position(|&r| r == region).unwrap_or_else(|| {
            regions.push(region);
            regions.len() - 1
        });
        Some((known * Code::ALL.len() + f.code as usize) * ROLES + f.role() as usize)
    }))
    .rekeyed(|_, items| {
        let first = findings[items[0] as usize];
        (first.code, first.role(), first.region())
    });
    let split: FxHashSet<(Code, Role)> = {
        let mut regions: FxHashMap<(Code, Role), usize> = FxHashMap::default();
        for (code, role, _) in members.iter().map(|(key, _)| key) {
            *regions.entry((*code, *role)).or_default() += 1;
        }
        regions.into_iter().filter(|(_, n)| *n > 1).map(|(k, _)| k).collect()
    };
    let group = |(key, list): (&(Code, Role, Option<&Region>), &[u32]), titles: &mut Titles<'f>| {
        let first = findings[list[0] as usize];
        let entry = knowledge.entry(first.code);
        // A node has one finding per code (the tree merges a repeated one), so the members
        // name distinct nodes. Each id is checked once here: how many a command can take, and
        // whether one is hybrid (the id alone tells: no EC2 call for the group).
        // The findings' own ids, shared, not copied (a fleet's groups name 440,000 members).
        let mut nodes: Vec<NodeId> = Vec::with_capacity(list.len());
        let (mut valid, mut hybrid) = (0, false);
        for &i in list {
            if let Some(node) = &findings[i as usize].node {
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
                let first = titles.of(first, writer);
                let same = list[1..].iter().all(|&i| titles.of(findings[i as usize], writer) == first);
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
            let f = findings[i as usize];
            f.keep_common(&mut slots);
            if facts != NodeFacts::default() && writer.facts(f.node.as_deref()) != facts {
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
        let written = writer.finding(first);
        let (why, fix) = group_texts(list, findings, writer).unwrap_or((written.why, written.fix));
        let evidence: Vec<_> =
            list.iter().take(3).filter_map(|&i| findings[i as usize].evidence.first().copied()).collect();
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
            commands: writer.commands(first, facts, std::borrow::Cow::Owned(slots)),
            evidence: writer.evidence(&evidence),
            nodes,
        }
    };
    let mut groups: Vec<FindingGroup> = if threads && findings.len() >= GROUPS_BESIDE_FROM {
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
fn in_two_shares<'f, K: Sync, G: Send>(
    all: Vec<(&K, &[u32])>,
    titles: &mut Titles<'f>,
    group: impl Fn((&K, &[u32]), &mut Titles<'f>) -> G + Sync,
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
fn group_texts(list: &[u32], findings: &[&Finding], writer: &Writer) -> Option<(String, String)> {
    let entry = Knowledge::get().entry(findings[list[0] as usize].code);
    // Only the values the texts name, and how strong the finding is (a hint says so), set
    // members apart: counts and items belong to the titles. The names are read once per group
    // (a group may hold a hundred thousand findings).
    let mut names = slot_names(entry.why.get(writer.lang));
    names.extend(slot_names(entry.fix.get(writer.lang)));
    let named = |name: &&str| names.contains(name);
    let same = |a: &Finding, b: &Finding| {
        a.strength == b.strength && a.vars.iter().filter(|(n, _)| named(n)).eq(b.vars.iter().filter(|(n, _)| named(n)))
    };
    let mut variants: Vec<(usize, usize)> = Vec::new();
    for i in list.iter().map(|&i| i as usize) {
        if let Some(v) = variants.iter_mut().find(|(j, _)| same(findings[*j], findings[i])) {
            v.1 += 1;
        } else if variants.len() == TEXT_VARIANTS {
            return Some(shared_texts(list, findings, writer, entry, &names));
        } else {
            variants.push((i, 1));
        }
    }
    if variants.len() < 2 {
        return None;
    }
    variants.sort_by_key(|v| std::cmp::Reverse(v.1));
    let written: Vec<(usize, super::FindingReport)> =
        variants.iter().map(|&(i, n)| (n, writer.finding(findings[i]))).collect();
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
    list: &[u32],
    findings: &[&Finding],
    writer: &Writer,
    entry: &Entry,
    names: &[&str],
) -> (String, String) {
    let first = findings[list[0] as usize];
    let mut shared = first.clone();
    for (name, value) in std::sync::Arc::make_mut(&mut shared.vars).iter_mut().filter(|(n, _)| names.contains(n)) {
        let same = |f: &&Finding| f.vars.iter().find(|(n, _)| n == name).map(|(_, v)| v) == Some(&*value);
        if !list.iter().map(|&i| findings[i as usize]).all(|f| same(&f)) {
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
    use crate::{Diagnosis, Settings};

    /// A fleet's groups written on two threads are those written on one: the same groups, in
    /// the same order, with the same titles, texts, commands and node lists.
    #[test]
    fn a_fleets_groups_written_on_two_threads_are_those_of_one() {
        let export = crate::generate::generate("instance-patch-states", 3000, 5).expect("a generated export");
        let inputs = [crate::ingest::read("states.json", export.as_bytes())];
        let diagnosis = Diagnosis::of(&inputs, Some(1_796_083_200.0));
        let settings = Settings::default();
        let findings: Vec<&Finding> = diagnosis.findings.iter().collect();
        assert!(findings.len() >= GROUPS_BESIDE_FROM, "the groups are split: {}", findings.len());
        let writer = Writer { inputs: &inputs, diagnosis: &diagnosis, lang: Lang::En, settings: &settings };
        let one = groups_on(&findings, &mut Titles::default(), &writer, false);
        let two = groups_on(&findings, &mut Titles::default(), &writer, true);
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
        assert_eq!(diagnosis.node_syms.len(), diagnosis.findings.len(), "the tree's symbols come with the findings");
        assert!(diagnosis.findings.iter().any(|f| f.node.is_none()), "a finding of no node");
        let by_symbols = NodeTable::of(&diagnosis);
        let by_ids = NodeTable::of(&Diagnosis { node_syms: Vec::new(), ..diagnosis.clone() });
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
                    let first = &diagnosis.findings[table.nodes.items(i)[0] as usize];
                    firsts.insert(first.role());
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
