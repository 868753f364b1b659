//! The decision tree (domain.md §C.2): evidence → findings. Each submodule owns one branch;
//! this module holds the shared finding builder. Words, refs and commands come from the
//! knowledge base; the rules here only decide which entry applies and fill its slots.

mod association;
mod baseline;
mod command;
mod compliance;
mod context;
mod managed_node;
mod patch;
mod signature;
mod trail;

use crate::commands::{render, Command, Slots};
use crate::evidence::{Evidence, Platform};
use std::collections::{HashMap, HashSet};

use crate::knowledge::{fill, Knowledge, Lang, Role};
use crate::model::Cite;
use crate::model::CommandRun;
use crate::Options;

/// One conclusion, with the lines that prove it and what to run next.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: String,
    pub reference: String,
    pub role: Role,
    /// Managed node (`i-...`, `mi-...`) the finding is about, if any.
    pub node: Option<String>,
    pub title: String,
    pub why: String,
    pub fix: String,
    pub evidence: Vec<Cite>,
    pub commands: Vec<Command>,
}

/// Runs every branch of the tree over the evidence.
/// `texts` are the decoded inputs, in the order of the evidence's input indexes.
pub fn diagnose(ev: &Evidence, texts: &[&str], options: &Options) -> Vec<Finding> {
    let mut tree = Tree {
        ev,
        texts: texts.to_vec(),
        lang: options.lang,
        options,
        findings: Vec::new(),
        seen: HashMap::new(),
        index: Index::build(ev),
    };
    compliance::run(&mut tree);
    managed_node::run(&mut tree);
    patch::run(&mut tree);
    association::run(&mut tree);
    baseline::run(&mut tree);
    command::run(&mut tree);
    trail::run(&mut tree);
    signature::run(&mut tree);
    signature::unrecognised_errors(&mut tree);
    context::run(&mut tree);
    let mut findings = tree.findings;
    drop_overridden(&mut findings);
    // Causes first, then what to check, then notes; within a role, the branch-level findings
    // (N0/N1: "Patch is NON_COMPLIANT") after the specific ones that explain them. Stable.
    findings.sort_by_key(|f| (f.role, f.reference.starts_with('N')));
    findings
}

/// Removes findings that a more specific finding for the same node overrides.
fn drop_overridden(findings: &mut Vec<Finding>) {
    let knowledge = Knowledge::get();
    let overridden: HashSet<(String, Option<String>)> = findings
        .iter()
        .flat_map(|f| knowledge.entry(&f.code).overrides.iter().map(|o| (o.clone(), f.node.clone())))
        .collect();
    if !overridden.is_empty() {
        findings.retain(|f| !overridden.contains(&(f.code.clone(), f.node.clone())));
    }
}

pub(crate) struct Tree<'a> {
    pub ev: &'a Evidence,
    pub texts: Vec<&'a str>,
    pub lang: Lang,
    pub options: &'a Options,
    pub findings: Vec<Finding>,
    /// (code, node) → index in `findings`, so merging a repeated finding is O(1) for fleets.
    seen: HashMap<(String, Option<String>), usize>,
    index: Index<'a>,
}

/// Per-node lookups built once, so a fleet of N nodes costs O(N), not O(N²).
struct Index<'a> {
    /// The run that best explains a node: patch documents first, then unsuccessful ones.
    command_by_node: HashMap<&'a str, &'a CommandRun>,
    command_any: Option<&'a CommandRun>,
    baseline_by_node: HashMap<&'a str, &'a str>,
}

impl<'a> Index<'a> {
    fn build(ev: &'a Evidence) -> Index<'a> {
        let rank = |c: &CommandRun| (is_patch_document(&c.document.value), c.status.value != "Success");
        let mut command_by_node: HashMap<&str, &CommandRun> = HashMap::new();
        for run in &ev.command_runs {
            for id in &run.instance_ids {
                let slot = command_by_node.entry(id.as_str()).or_insert(run);
                if rank(run) > rank(slot) {
                    *slot = run;
                }
            }
        }
        let command_any = ev.command_runs.iter().max_by_key(|c| rank(c));
        let mut baseline_by_node = HashMap::new();
        for state in &ev.patch_states {
            if let Some(b) = &state.baseline_id {
                baseline_by_node.entry(state.instance_id.value.as_str()).or_insert(b.value.as_str());
            }
        }
        Index { command_by_node, command_any, baseline_by_node }
    }
}

impl Tree<'_> {
    /// Slots every command can use: the node, the region, and a command id the evidence ties
    /// to the node (most recent patch command first).
    pub fn slots(&self, node: Option<&str>) -> Slots {
        let ev = self.ev;
        let cli_value = |names: &[&str]| cli_option(ev, names);
        let command = match node {
            Some(n) => self.index.command_by_node.get(n).copied().or_else(|| {
                // A run listed without instance ids (get-command-invocation of another node
                // aside) may still be this node's.
                self.index.command_any.filter(|c| c.instance_ids.is_empty())
            }),
            None => self.index.command_any,
        }
        .map(|c| c.command_id.clone())
        .or_else(|| ev.association_runs.iter().find_map(|r| r.command_id.as_ref().map(|c| c.value.clone())))
        .or_else(|| cli_value(&["command-id"]))
        .or_else(|| ev.context.command_ids.first().map(|c| c.value.clone()));
        let instance = node.map(str::to_string).or_else(|| match ev.context.instance_ids.as_slice() {
            [only] => Some(only.value.clone()),
            _ => cli_value(&["instance-id", "instance-ids", "resource-id"]),
        });
        let region = region(ev, self.options);
        let platform_plugin = match ev.context.platform {
            Some(Platform::Windows) => Some("PatchWindows".to_string()),
            Some(Platform::MacOs) => Some("PatchMacOS".to_string()),
            Some(Platform::Linux) => Some("PatchLinux".to_string()),
            None => None,
        };
        let baseline = match node {
            Some(n) => self.index.baseline_by_node.get(n).map(|b| b.to_string()),
            None => ev.patch_states.iter().find_map(|s| s.baseline_id.as_ref().map(|b| b.value.clone())),
        }
        .or_else(|| ev.baselines.first().map(|b| b.baseline_id.clone()))
        .or_else(|| ev.context.baseline_ids.first().map(|b| b.value.clone()));
        Slots {
            instance,
            region,
            command,
            association: ev
                .association_runs
                .first()
                .map(|r| r.association_id.clone())
                .or_else(|| cli_value(&["association-id", "association-ids"]))
                .or_else(|| ev.context.association_ids.first().map(|a| a.value.clone())),
            execution: ev.association_runs.first().map(|r| r.execution_id.clone()),
            baseline,
            plugin: platform_plugin,
            patch_group: ev.context.patch_groups.first().map(|g| g.value.clone()),
            profile: self.options.profile.clone(),
            ..Slots::default()
        }
    }

    /// Adds the finding for catalogue entry `code`. A second finding with the same code for the
    /// same node merges its evidence into the first, so one cause is reported once.
    pub fn add(&mut self, code: &str, node: Option<&str>, vars: &[(&str, String)], evidence: Vec<Cite>, slots: Slots) {
        let entry = Knowledge::get().entry(code);
        let key = (code.to_string(), node.map(str::to_string));
        if let Some(existing) = self.seen.get(&key).map(|i| &mut self.findings[*i]) {
            for cite in evidence {
                if !existing.evidence.contains(&cite) {
                    existing.evidence.push(cite);
                }
            }
            return;
        }
        let platform = self.ev.context.platform;
        let commands = entry
            .commands
            .iter()
            .filter_map(|name| render(name, &slots, self.lang))
            // A node runs one shell: drop the other platform's on-node commands once it is known.
            .filter(|c| {
                !matches!(
                    (c.shell, platform),
                    ("bash", Some(Platform::Windows)) | ("powershell", Some(Platform::Linux | Platform::MacOs))
                )
            })
            // …and only its package manager's commands once that is known.
            .filter(|c| match (&c.family, self.ev.context.package_family) {
                (Some(family), Some(known)) => family == known,
                _ => true,
            })
            .collect();
        let mut evidence = evidence;
        evidence.dedup();
        self.seen.insert(key, self.findings.len());
        self.findings.push(Finding {
            code: entry.code.clone(),
            reference: entry.reference.clone(),
            role: entry.role,
            node: node.map(str::to_string),
            title: fill(entry.title.get(self.lang), vars),
            why: fill(entry.why.get(self.lang), vars),
            fix: fill(entry.fix.get(self.lang), vars),
            evidence,
            commands,
        });
    }

    pub fn t<'s>(&self, en: &'s str, zh: &'s str) -> &'s str {
        match self.lang {
            Lang::En => en,
            Lang::ZhCn => zh,
        }
    }
}

/// The first value of the first of `names` given on a pasted AWS CLI command line.
fn cli_option(ev: &Evidence, names: &[&str]) -> Option<String> {
    ev.cli_commands.iter().find_map(|c| {
        names.iter().find_map(|n| c.option(n)).map(|v| v.split([' ', ',']).next().unwrap_or(v).to_string())
    })
}

/// The region every command targets: the one typed in, else the first the inputs name (ARNs,
/// endpoints, S3 URLs, host names), else a `--region` on a pasted command line.
pub fn region(ev: &Evidence, options: &Options) -> Option<String> {
    options.region.clone().or_else(|| ev.context.region().map(str::to_string)).or_else(|| cli_option(ev, &["region"]))
}

/// Documents whose runs update Patch compliance (domain.md §B.5).
pub fn is_patch_document(name: &str) -> bool {
    matches!(
        name,
        "AWS-RunPatchBaseline"
            | "AWS-RunPatchBaselineWithHooks"
            | "AWS-RunPatchBaselineAssociation"
            | "AWS-ApplyPatchBaseline"
    )
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
