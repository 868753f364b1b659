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
use crate::knowledge::{Entry, Knowledge, Role};

/// `nodes[i]` is finding `i`'s node (interned: equal ids, equal symbols).
/// The findings explained are taken out of both lists.
pub(super) fn compose(findings: &mut Vec<Finding>, nodes: &mut Vec<Option<Sym>>) {
    let knowledge = Knowledge::get();
    // Each node's findings (and those of no node), read node after node in the findings' order;
    // grouped by the symbols' places in a list (no node: the first), not by hashing them.
    let by_node = Grouped::by_index(nodes.iter().map(|n| Some(n.map_or(0, |n| n.index() + 1))));
    // Each finding's role and entry, read once: each is compared with its node's others.
    let read: Vec<(Role, &Entry)> = findings.iter().map(|f| (f.role(), knowledge.entry(f.code))).collect();
    // The codes some entry `explains`: only those are looked for among a node's others.
    let mut explained = vec![false; knowledge.entries.len()];
    knowledge.entries.iter().flat_map(|e| &e.explains).for_each(|&code| explained[code as usize] = true);
    let mut explainer: Vec<Option<u32>> = vec![None; findings.len()];
    for (_, members) in by_node.iter() {
        let members = || members.iter().map(|&m| m as usize);
        for s in members() {
            let (symptom, (role, entry)) = (&findings[s], read[s]);
            if !explained[symptom.code as usize] && !entry.symptom {
                continue;
            }
            // An explicit `explains` of a finding at least as strong.
            let explicit =
                members().find(|&c| c != s && read[c].0 <= role && read[c].1.explains.contains(&symptom.code));
            // A symptom: the deepest cause of a branch that explains it.
            let deeper = entry
                .symptom
                .then(|| {
                    members()
                        .filter(|&c| {
                            let (cause_role, cause) = read[c];
                            c != s
                                && cause_role == Role::Cause
                                && cause.depth() > entry.depth()
                                && entry.explained_by(symptom.branch, findings[c].branch)
                        })
                        // The deepest; the first of equals.
                        .min_by_key(|&c| (std::cmp::Reverse(read[c].1.depth()), c))
                })
                .flatten();
            explainer[s] = explicit.or(deeper).map(|c| c as u32);
        }
    }
    drop(read);
    // Follow chains to the finding that is explained by nothing (a cycle keeps its members).
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
    let roots: Vec<u32> =
        explainer.iter().enumerate().map(|(i, e)| if e.is_some() { root(i) } else { i as u32 }).collect();
    // What each symptom gives its cause is taken out of it, all before any is given (a symptom
    // is removed below; taken, not copied: a fleet has hundreds of thousands).
    let mut moved: Vec<(usize, Finding)> = (0..findings.len())
        .filter(|&i| roots[i] as usize != i && explainer[i].is_some())
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
    for (r, mut symptom) in moved {
        let cause = &mut findings[r];
        for cite in &symptom.evidence {
            if !cause.evidence.contains(cite) {
                cause.evidence.push(*cite);
            }
        }
        if adds_to_slots(&symptom, cause) {
            cause.fill_slots_from(&symptom.slots());
        }
        let list = match &mut gathering {
            Some((of, list)) if *of == r => list,
            _ => {
                if let Some((of, list)) = gathering.take() {
                    findings[of].set_supporting(list);
                }
                &mut gathering.insert((r, findings[r].take_supporting())).1
            }
        };
        let explained = symptom.take_supporting();
        list.push(Supporting { code: symptom.code, vars: symptom.vars });
        list.extend(explained);
    }
    if let Some((of, list)) = gathering {
        findings[of].set_supporting(list);
    }
    let kept = |index: usize| roots[index] as usize == index || explainer[index].is_none();
    retain_places(findings, kept);
    retain_places(nodes, kept);
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
