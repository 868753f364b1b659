//! One cause per failure: when a node has a symptom ("3 patches failed", "Patch is
//! NON_COMPLIANT", "the association failed") and a deeper cause that explains it (the dpkg lock
//! in its patch log), the cause leads and the symptom becomes its supporting evidence, so the
//! cause cites the lines of every input that speaks of the failure. An entry's `explains` does
//! the same for a weaker explanation of the same failure (0x80072EE2 explains a Windows Update
//! search error).

use std::mem::take;
use std::sync::Arc;

use super::{Finding, Supporting};
use crate::grouped::Grouped;
use crate::intern::Sym;
use crate::knowledge::{Branch, Code};
use crate::knowledge::{Knowledge, Role};

/// What compose reads of a finding: its code, the role it earned and its branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Member {
    pub code: Code,
    pub role: Role,
    pub branch: Branch,
}

impl Member {
    pub(super) fn of(finding: &Finding) -> Member {
        Member { code: finding.code, role: finding.role(), branch: finding.branch }
    }
}

/// The codes some entry `explains`: only those, and symptoms, are looked for among a node's
/// others.
pub(super) fn explained_codes(knowledge: &Knowledge) -> Vec<bool> {
    let mut explained = vec![false; knowledge.entries.len()];
    knowledge.entries.iter().flat_map(|e| &e.explains).for_each(|&code| explained[code as usize] = true);
    explained
}

/// For one node's findings, in their order: the place among them of the finding that explains
/// each, if one does. The one rule of which finding explains which: compose runs it node by
/// node, and a fleet's rows kept as sets run it once for each set of codes (`sets.rs`).
pub(super) fn explainers(members: &[Member], explained: &[bool], knowledge: &Knowledge, out: &mut Vec<Option<u32>>) {
    out.clear();
    out.resize(members.len(), None);
    for (s, symptom) in members.iter().enumerate() {
        let entry = knowledge.entry(symptom.code);
        if !explained[symptom.code as usize] && !entry.symptom {
            continue;
        }
        // An explicit `explains` of a finding at least as strong.
        let explicit = (0..members.len()).find(|&c| {
            c != s
                && members[c].role <= symptom.role
                && knowledge.entry(members[c].code).explains.contains(&symptom.code)
        });
        // A symptom: the deepest cause of a branch that explains it.
        let deeper = entry
            .symptom
            .then(|| {
                (0..members.len())
                    .filter(|&c| {
                        let cause = knowledge.entry(members[c].code);
                        c != s
                            && members[c].role == Role::Cause
                            && cause.depth() > entry.depth()
                            && entry.explained_by(symptom.branch, members[c].branch)
                    })
                    // The deepest; the first of equals.
                    .min_by_key(|&c| (std::cmp::Reverse(knowledge.entry(members[c].code).depth()), c))
            })
            .flatten();
        out[s] = explicit.or(deeper).map(|c| c as u32);
    }
}

/// Each finding's root: followed from what explains it to the finding explained by nothing (a
/// cycle keeps its members); a finding nothing explains is its own.
pub(super) fn roots(explainer: &[Option<u32>]) -> Vec<u32> {
    let root = |mut i: usize| {
        for _ in 0..explainer.len() {
            match explainer[i] {
                Some(next) if next as usize != i => i = next as usize,
                _ => return i as u32,
            }
        }
        i as u32
    };
    // Only an explained finding has a root other than itself.
    explainer.iter().enumerate().map(|(i, e)| if e.is_some() { root(i) } else { i as u32 }).collect()
}

/// Whether a finding stays, given its root and whether something explains it.
pub(super) fn is_kept(index: usize, root: u32, explained: bool) -> bool {
    root as usize == index || !explained
}

/// What a symptom gives the cause that explains it: the lines it cites that the cause does not,
/// and the slots it adds.
pub(super) fn give(cause: &mut Finding, symptom: &Finding) {
    for cite in &symptom.evidence {
        if !cause.evidence.contains(cite) {
            cause.evidence.push(*cite);
        }
    }
    if adds_to_slots(symptom, cause) {
        cause.fill_slots_from(&symptom.slots());
    }
}

/// A symptom, once given, kept under its cause: its code and values, then what it explained.
pub(super) fn support(list: &mut Vec<Supporting>, mut symptom: Finding) {
    let explained = symptom.take_supporting();
    list.push(Supporting { code: symptom.code, vars: symptom.vars });
    list.extend(explained);
}

/// `nodes[i]` is finding `i`'s node (interned: equal ids, equal symbols).
/// The findings explained are taken out of both lists. Gives, for each place the findings had,
/// whether its finding was kept.
pub(super) fn compose(findings: &mut Vec<Finding>, nodes: &mut Vec<Option<Sym>>) -> Vec<bool> {
    let knowledge = Knowledge::get();
    // Each node's findings (and those of no node), read node after node in the findings' order;
    // grouped by the symbols' places in a list (no node: the first), not by hashing them.
    let by_node = Grouped::by_index(nodes.iter().map(|n| Some(n.map_or(0, |n| n.index() + 1))));
    let explained = explained_codes(knowledge);
    let mut explainer: Vec<Option<u32>> = vec![None; findings.len()];
    let (mut members, mut local) = (Vec::new(), Vec::new());
    for (_, group) in by_node.iter() {
        // A node with one finding, or none that anything could explain, has nothing to settle.
        if group.len() < 2
            || !group.iter().any(|&m| {
                let code = findings[m as usize].code;
                explained[code as usize] || knowledge.entry(code).symptom
            })
        {
            continue;
        }
        members.clear();
        members.extend(group.iter().map(|&m| Member::of(&findings[m as usize])));
        explainers(&members, &explained, knowledge, &mut local);
        for (&m, by) in group.iter().zip(&local) {
            explainer[m as usize] = by.map(|c| group[c as usize]);
        }
    }
    let roots = roots(&explainer);
    let kept: Vec<bool> = (0..findings.len()).map(|i| is_kept(i, roots[i], explainer[i].is_some())).collect();
    // What each symptom gives its cause is taken out of it, all before any is given (a symptom
    // is removed below; taken, not copied: a fleet has hundreds of thousands).
    let mut moved: Vec<(usize, Finding)> = (0..findings.len())
        .filter(|&i| !kept[i])
        .map(|i| {
            let symptom = &mut findings[i];
            // Its slots as it holds them: made whole only if they add to its cause's (a row's
            // findings share theirs, and a fleet's causes explain hundreds of thousands).
            let taken = Finding {
                vars: Arc::clone(&symptom.vars),
                evidence: take(&mut symptom.evidence),
                slots: Arc::clone(&symptom.slots),
                node: symptom.node.clone(),
                rare: symptom.rare.take(),
                ..*symptom
            };
            (roots[i] as usize, taken)
        })
        .collect();
    // Each cause's symptoms side by side, in the order of the findings explained (a stable
    // sort: the earliest first under each cause; nearly sorted already, as a node's findings
    // are). Each cause's list is gathered whole, then held at its size: no table of causes.
    moved.sort_by_key(|(r, _)| *r);
    let mut gathering: Option<(usize, Vec<Supporting>)> = None;
    for (r, symptom) in moved {
        give(&mut findings[r], &symptom);
        let list = match &mut gathering {
            Some((of, list)) if *of == r => list,
            _ => {
                if let Some((of, list)) = gathering.take() {
                    findings[of].set_supporting(list);
                }
                &mut gathering.insert((r, findings[r].take_supporting())).1
            }
        };
        support(list, symptom);
    }
    if let Some((of, list)) = gathering {
        findings[of].set_supporting(list);
    }
    retain_places(findings, |i| kept[i]);
    retain_places(nodes, |i| kept[i]);
    kept
}

/// Whether `symptom`'s slots, made whole, would fill any `cause` lacks: not when both hold the
/// same shared slots for the same node, and the symptom's state is none or the cause has one.
fn adds_to_slots(symptom: &Finding, cause: &Finding) -> bool {
    let same = Arc::ptr_eq(&symptom.slots, &cause.slots)
        && symptom.instance_is_node == cause.instance_is_node
        && symptom.node == cause.node;
    !same || (symptom.state.is_some() && cause.state.is_none())
}

/// Keeps the items of `list` whose places `kept` accepts.
fn retain_places<T>(list: &mut Vec<T>, kept: impl Fn(usize) -> bool) {
    let mut index = 0;
    list.retain(|_| {
        index += 1;
        kept(index - 1)
    });
}
