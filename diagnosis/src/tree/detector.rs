//! D: what a detector reported (Security Hub, AWS Config, Prowler, Steampipe) and whether it is a
//! real failure or an artefact of the detector. A detector stops at "non-compliant": it cannot
//! see which patches, which run, which association. Its finding is
//!
//! - part of the cause, when the other outputs prove one for the same node (the cause cites it);
//! - an artefact, with its reason, when the evidence shows the detector counts what Systems
//!   Manager does not (a node that is not running, a record older than the node's compliant one,
//!   a compliant patch, another compliance type, an available security update the baseline calls
//!   compliant, no data at all, a node outside the pasted account or region): a note, never a
//!   cause;
//! - otherwise a check that says what the detector cannot see and the command that shows it.

use rustc_hash::FxHashMap;

use super::{Finding, Tree, Var, Vars};
use crate::evidence::Evidence;
use crate::ingest::InputKind;
use crate::knowledge::{Branch, Code, Role};
use crate::model::{Detector, DetectorAspect, DetectorFinding, DetectorStatus, PatchState};

fn is_detector_kind(kind: InputKind) -> bool {
    matches!(
        kind,
        InputKind::SecurityHubFindings
            | InputKind::OcsfFindings
            | InputKind::ConfigCompliance
            | InputKind::ProwlerCsv
            | InputKind::SteampipeResults
    )
}

fn detector_name(detector: Detector) -> &'static str {
    match detector {
        Detector::SecurityHub => "Security Hub",
        Detector::Config => "AWS Config",
        Detector::Prowler => "Prowler",
        Detector::Steampipe => "Steampipe",
    }
}

/// The branches whose cause a detector finding of this aspect is part of.
fn branches(aspect: DetectorAspect) -> &'static [Branch] {
    match aspect {
        DetectorAspect::Patch => &[Branch::Patch],
        DetectorAspect::Association => &[Branch::Association, Branch::Inventory],
        DetectorAspect::Managed => &[Branch::Node],
        DetectorAspect::Overall => {
            &[Branch::Patch, Branch::Association, Branch::Inventory, Branch::Custom, Branch::Node]
        }
    }
}

pub fn run(tree: &mut Tree) {
    let ev = tree.ev;
    if ev.detector_findings.is_empty() {
        return;
    }
    // The accounts and regions the other outputs name (outside the detectors' own parts): a
    // finding outside them is about a node these outputs cannot speak for.
    let in_detector = |cite: &crate::model::Cite| {
        tree.inputs.get(cite.input()).is_some_and(|input| {
            input
                .parts
                .iter()
                .any(|p| p.kind.is_some_and(is_detector_kind) && (p.first_line..=p.last_line).contains(&cite.line))
        })
    };
    let other_regions: Vec<&str> =
        ev.context.regions.iter().filter(|r| !in_detector(&r.cite)).map(|r| r.value.as_str()).collect();
    let other_accounts: Vec<&str> =
        ev.context.accounts.iter().filter(|a| !in_detector(&a.cite)).map(|a| a.value.as_str()).collect();
    let others = Others::of(ev);
    let mut causes = FindingsOfNode::default();
    for finding in &ev.detector_findings {
        let node = finding.node.as_deref();
        let mut vars: Vars = vec![
            ("detector", Var::from(detector_name(finding.detector))),
            ("control", Var::from(finding.control.as_str())),
            ("node", Var::from(node.unwrap_or("?"))),
        ];
        let slots = tree.slots(node);
        if finding.status == DetectorStatus::NoData {
            tree.add_vars(Code::DetectorNoData, node, vars, vec![finding.cite], slots);
            continue;
        }
        if finding.status != DetectorStatus::Failed {
            continue;
        }
        // Where the finding's node is out of the pasted outputs' reach.
        let outside = match (&finding.region, &finding.account) {
            (Some(region), _) if !other_regions.is_empty() && !other_regions.contains(&region.as_str()) => {
                Some(region.clone())
            }
            (_, Some(account)) if !other_accounts.is_empty() && !other_accounts.contains(&account.as_str()) => {
                Some(account.clone())
            }
            _ => None,
        };
        if let Some(scope) = outside {
            vars.push(("scope", Var::from(scope)));
            tree.add_vars(Code::DetectorOtherScope, node, vars, vec![finding.cite], slots);
            continue;
        }
        if let Some((code, extra, cites)) = artefact(tree, &others, finding) {
            vars.extend(extra);
            let mut evidence = vec![finding.cite];
            evidence.extend(cites);
            tree.add_vars(code, node, vars, evidence, slots);
            continue;
        }
        // One cause for one failure: a cause the other outputs prove for this node cites the
        // detector's line too.
        let wanted = branches(finding.aspect);
        let cause = node.and_then(|node| {
            causes.of(&tree.findings, node).find(|&i| {
                let f = &tree.findings[i];
                f.role() == Role::Cause && wanted.contains(&f.branch)
            })
        });
        if let Some(cause) = cause.map(|i| &mut tree.findings[i]) {
            if !cause.evidence.contains(&finding.cite) {
                cause.evidence.push(finding.cite);
            }
            continue;
        }
        if let Some(time) = &finding.evaluated {
            vars.push(("time", Var::from(time.value.text.as_str())));
        }
        let code = match finding.aspect {
            DetectorAspect::Patch => Code::DetectorFlagsPatch,
            DetectorAspect::Association => Code::DetectorFlagsAssociation,
            DetectorAspect::Managed => Code::DetectorFlagsManaged,
            DetectorAspect::Overall => Code::DetectorFlagsOverall,
        };
        tree.add_vars(code, node, vars, vec![finding.cite], slots);
    }
}

type Artefact = (Code, Vars, Vec<crate::model::Cite>);

/// Items by a key, each key's in their order: looked up once per detector finding instead of
/// scanning every row (a fleet's detector export names thousands of nodes, and the scans made
/// this branch quadratic: 20,000 Security Hub findings took a second, mostly comparing ids).
type ByKey<'a> = FxHashMap<&'a str, Vec<u32>>;

/// Item `i` under each of its keys, from (`i`, key) pairs in item order.
fn by_key<'a>(keyed: impl Iterator<Item = (usize, &'a str)>) -> ByKey<'a> {
    let mut by: ByKey = FxHashMap::default();
    for (i, key) in keyed {
        by.entry(key).or_default().push(i as u32);
    }
    by
}

/// What the other outputs say of each node (and of each patch, by KB id and by title).
struct Others<'a> {
    ec2_instances: ByKey<'a>,
    patch_states: ByKey<'a>,
    summaries: ByKey<'a>,
    patches: ByKey<'a>,
}

impl<'a> Others<'a> {
    fn of(ev: &'a Evidence) -> Others<'a> {
        // A patch under its KB id and, when it differs, its title: each once.
        let patch_names = ev.patches.iter().enumerate().flat_map(|(i, p)| {
            let title = (p.title != p.kb_id).then_some((i, p.title.as_str()));
            std::iter::once((i, p.kb_id.as_str())).chain(title)
        });
        Others {
            ec2_instances: by_key(ev.ec2_instances.iter().map(|i| i.instance_id.as_str()).enumerate()),
            patch_states: by_key(ev.patch_states.iter().map(|s| s.instance_id().value).enumerate()),
            summaries: by_key(ev.resource_summaries.iter().map(|r| r.resource_id.as_str()).enumerate()),
            patches: by_key(patch_names),
        }
    }
}

/// The indexes of `key`'s items, in order (none when it has none).
fn items_of<'k>(by: &'k ByKey, key: &str) -> impl Iterator<Item = usize> + 'k {
    by.get(key).into_iter().flatten().map(|&i| i as usize)
}

/// The tree's findings by node, indexed as far as they have been added (detector findings are
/// added as the branch goes).
#[derive(Default)]
struct FindingsOfNode {
    by_node: FxHashMap<super::NodeId, Vec<u32>>,
    indexed: usize,
}

impl FindingsOfNode {
    /// The indexes of `node`'s findings, in the order they were added.
    fn of<'s>(&'s mut self, findings: &[Finding], node: &str) -> impl Iterator<Item = usize> + 's {
        for (i, f) in findings.iter().enumerate().skip(self.indexed) {
            if let Some(n) = &f.node {
                self.by_node.entry(n.clone()).or_default().push(i as u32);
            }
        }
        self.indexed = findings.len();
        self.by_node.get(node).into_iter().flatten().map(|&i| i as usize)
    }
}

/// The reason a failed detector finding is an artefact, from the other outputs (or the finding's
/// own words), with the lines that show it.
fn artefact(tree: &Tree, others: &Others, finding: &DetectorFinding) -> Option<Artefact> {
    let ev = tree.ev;
    let node = finding.node.as_deref()?;
    // Not running: from describe-instances, or the detector's own text.
    let state = items_of(&others.ec2_instances, node)
        .map(|i| &ev.ec2_instances[i])
        .find_map(|i| i.state.as_ref().filter(|s| !matches!(s.value.as_str(), "running" | "pending")))
        .map(|s| (s.value.clone(), vec![s.cite]))
        .or_else(|| finding.instance_state.clone().map(|s| (s, Vec::new())));
    if let Some((state, cites)) = state {
        return Some((Code::DetectorNodeNotRunning, vec![("state", Var::from(state))], cites));
    }
    if finding.archived {
        return Some((Code::DetectorArchived, Vec::new(), Vec::new()));
    }
    let patchy = matches!(finding.aspect, DetectorAspect::Patch | DetectorAspect::Overall);
    let states: Vec<_> = items_of(&others.patch_states, node).filter_map(|i| ev.patch_states.get(i)).collect();
    let non_compliant =
        [PatchState::Missing, PatchState::Failed, PatchState::InstalledPendingReboot, PatchState::InstalledRejected];
    let count = |s: &crate::evidence::PatchStateRow, state: PatchState| s.count(state).map_or(0, |c| c.value);
    // A record newer than the detector's evaluation that says the node is compliant.
    if patchy {
        if let Some(evaluated) = finding.evaluated.as_ref().and_then(|t| t.value.epoch) {
            let newer = states.iter().find(|s| {
                s.operation_end().and_then(|t| t.value.epoch).is_some_and(|end| end > evaluated)
                    && non_compliant.iter().all(|state| count(s, *state) == 0)
                    && count(s, PatchState::AvailableSecurityUpdate) == 0
            });
            if let Some(s) = newer {
                let end = s.operation_end().expect("checked");
                let vars = vec![("record_time", Var::from(end.value.text.as_ref()))];
                return Some((Code::DetectorStale, vars, vec![end.cite]));
            }
        }
    }
    // Steampipe flags items: a patch Systems Manager lists as installed or not applicable.
    if let Some(item) = finding.item.as_deref().filter(|_| finding.aspect == DetectorAspect::Patch) {
        let compliant = items_of(&others.patches, item).map(|i| &ev.patches[i]).find(|p| {
            matches!(p.state, Some(PatchState::Installed | PatchState::InstalledOther | PatchState::NotApplicable))
        });
        if let Some(p) = compliant {
            let vars = vec![("item", Var::from(item)), ("state", Var::from(p.state_text.as_str()))];
            return Some((Code::DetectorCountsCompliantItem, vars, vec![p.cite]));
        }
    }
    // Prowler's "patching" check reads the overall status: another type is what fails.
    if finding.aspect == DetectorAspect::Overall {
        let rows: Vec<_> = items_of(&others.summaries, node).map(|i| &ev.resource_summaries[i]).collect();
        let failing = |r: &&crate::model::ResourceComplianceSummary| r.status.value == "NON_COMPLIANT";
        let patch_ok = rows.iter().any(|r| r.compliance_type == "Patch" && !failing(r));
        if let Some(other) = rows.iter().find(|r| r.compliance_type != "Patch" && failing(r)).filter(|_| patch_ok) {
            let vars = vec![("type", Var::from(other.compliance_type.as_str()))];
            return Some((Code::DetectorOverallNotPatch, vars, vec![other.status.cite]));
        }
    }
    // Only available security updates, under a baseline that calls them compliant.
    if patchy {
        for s in &states {
            let only_available = non_compliant.iter().all(|state| count(s, *state) == 0)
                && count(s, PatchState::AvailableSecurityUpdate) > 0;
            let baseline = s.baseline_id().map(|b| b.value);
            let says = ev
                .baselines
                .iter()
                .find(|b| Some(b.baseline_id.as_str()) == baseline)
                .and_then(|b| b.available_security_updates_status.as_ref())
                .filter(|v| v.value.eq_ignore_ascii_case("COMPLIANT"));
            if let (true, Some(says)) = (only_available, says) {
                let available = s.count(PatchState::AvailableSecurityUpdate).expect("counted");
                let vars = vec![("count", Var::count(available.value))];
                return Some((Code::DetectorUnapprovedSecurityUpdate, vars, vec![available.cite, says.cite]));
            }
        }
    }
    None
}
