//! The report: the stable JSON contract of docs/report-contract.md, plus Markdown and text
//! renderings of the same content. Findings are written here, in the chosen language and with
//! the chosen settings, and evidence lines are quoted from the inputs.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::commands::{render, Command, Settings};
use crate::ids::Region;
use crate::ingest::{Input, InputKind, ReportKind, Status};
use crate::knowledge::{fill, Branch, Code, CommandTemplate, Entry, Hint, Knowledge, Lang, Role, Shell};
use crate::model::Platform;
use crate::redact::Redactor;
use crate::tree::{Finding, NodeFacts, Strength, Var};

/// What the tree concluded, before it is written in any language: the findings, the value
/// notes of the evidence, and what the rendering needs to know about the nodes.
#[derive(Debug, Clone, Default)]
pub struct Diagnosis {
    pub findings: Vec<Finding>,
    /// Remarks about individual values (an impossible date), by input index.
    pub notes: Vec<(usize, String)>,
    /// The region the inputs name.
    pub region: Option<Region>,
    /// What each node runs: only its own on-node commands are offered.
    pub nodes: HashMap<String, NodeFacts>,
    /// What the inputs as a whole say (findings tied to no node).
    pub default_facts: NodeFacts,
    /// Inputs with a log that could not be tied to one of several nodes.
    pub unattributed: Vec<usize>,
    /// Text parts recognised by a line that proves a known failure: (input, first line, kind).
    pub recognised_by_lines: Vec<(usize, u32, InputKind)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub inputs: Vec<InputReport>,
    pub findings: Vec<FindingReport>,
    /// One line per managed node: its worst finding (an addition to the contract).
    pub nodes: Vec<NodeVerdict>,
    /// The region the commands target (typed in, or found in the inputs); an addition to the
    /// contract, so front-ends need not guess it.
    pub region: Option<String>,
    /// The fleet view: findings grouped by code, with the nodes in each group, causes first and
    /// then by how many nodes they concern (an addition to the contract).
    pub groups: Vec<FindingGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingGroup {
    pub code: Code,
    #[serde(rename = "ref")]
    pub reference: String,
    pub role: Role,
    /// The title of the group's first finding (titles differ by counts between nodes).
    pub title: String,
    pub count: usize,
    pub nodes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputReport {
    pub name: String,
    pub kind: ReportKind,
    pub status: Status,
    pub messages: Vec<String>,
    pub size: usize,
    /// The parts of a paste holding several outputs, with their line ranges.
    pub parts: Vec<PartReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartReport {
    pub kind: ReportKind,
    pub first_line: u32,
    pub last_line: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingReport {
    pub code: Code,
    #[serde(rename = "ref")]
    pub reference: String,
    pub role: Role,
    /// The part of the tree it belongs to (an addition to the contract).
    pub branch: Branch,
    /// The compliance type a branch-level finding names (`Patch`, `Custom:AVCheck`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compliance_type: Option<String>,
    /// What this finding explains: the symptoms and weaker explanations of the same failure,
    /// whose lines are part of its evidence (an addition to the contract).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supporting: Vec<SupportingReport>,
    pub node: Option<String>,
    pub title: String,
    pub why: String,
    pub fix: String,
    pub evidence: Vec<EvidenceLine>,
    pub commands: Vec<Command>,
}

/// A finding another one explains, named under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupportingReport {
    pub code: Code,
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceLine {
    pub input: String,
    pub line: Option<u32>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeVerdict {
    pub node: String,
    pub verdict: String,
    pub causes: usize,
    pub refs: Vec<String>,
    /// The node's operating system, when the inputs tell (an addition to the contract).
    #[serde(default)]
    pub platform: Option<Platform>,
    /// The verdict so far is only the branch (N0/N1); a later specific cause replaces it.
    #[serde(skip)]
    generic: bool,
}

impl Report {
    /// Writes the diagnosis of `inputs` in `lang`, with the person's settings (a region and a
    /// profile typed in) applied to every command.
    pub fn build(inputs: &[Input], diagnosis: &Diagnosis, lang: Lang, settings: &Settings) -> Report {
        let notes = &diagnosis.notes;
        let findings = &diagnosis.findings;
        let knowledge = Knowledge::get();
        let inputs_report = inputs
            .iter()
            .enumerate()
            .map(|(index, input)| {
                let mut messages = input.messages.clone();
                messages.extend(notes.iter().filter(|(i, _)| *i == index).map(|(_, m)| m.clone()));
                let status = match input.status {
                    Status::Ok if messages.len() > input.messages.len() => Status::Repaired,
                    other => other,
                };
                // A part nothing recognised may have been recognised by a line of a known failure.
                let kind_of = |p: &crate::ingest::Part| {
                    p.kind.or_else(|| {
                        diagnosis
                            .recognised_by_lines
                            .iter()
                            .find(|(i, line, _)| *i == index && *line == p.first_line)
                            .map(|(_, _, kind)| *kind)
                    })
                };
                let kind = crate::ingest::report_kind(input.parts.iter().map(kind_of));
                let status = match (status, kind) {
                    (Status::Unrecognized, ReportKind::Known(k)) => {
                        let hint = knowledge.hint(Hint::RecognisedByLines).get(lang);
                        messages.push(fill(hint, &[("kind", k.source().to_string())]));
                        Status::Ok
                    }
                    (other, _) => other,
                };
                if diagnosis.unattributed.contains(&index) {
                    messages.push(knowledge.hint(Hint::LogNotAttributed).get(lang).to_string());
                }
                InputReport {
                    name: input.name.clone(),
                    kind,
                    status,
                    messages,
                    size: input.size,
                    parts: input
                        .parts
                        .iter()
                        .map(|p| PartReport {
                            kind: kind_of(p).map_or(ReportKind::Unrecognized, ReportKind::Known),
                            first_line: p.first_line,
                            last_line: p.last_line,
                        })
                        .collect(),
                }
            })
            .collect();
        let findings_report: Vec<FindingReport> = findings
            .iter()
            // A region typed in answers "which region?" (N0).
            .filter(|f| !(f.code == Code::RegionUnknown && settings.region.is_some()))
            .map(|f| {
                let entry = knowledge.entry(f.code);
                let vars = text_vars(entry, &f.vars, lang);
                let slots = f.slots.clone().with_settings(settings);
                FindingReport {
                    code: f.code,
                    reference: entry.reference.clone(),
                    role: f.role(),
                    branch: f.branch,
                    compliance_type: f.compliance_type.clone(),
                    supporting: f
                        .supporting
                        .iter()
                        .map(|s| {
                            let supporting = knowledge.entry(s.code);
                            SupportingReport {
                                code: s.code,
                                reference: supporting.reference.clone(),
                                title: fill(supporting.title.get(lang), &text_vars(supporting, &s.vars, lang)),
                            }
                        })
                        .collect(),
                    node: f.node.clone(),
                    title: fill(entry.title.get(lang), &vars),
                    why: why(f, &vars, lang),
                    fix: fill(entry.fix.get(lang), &vars),
                    evidence: f
                        .evidence
                        .iter()
                        .map(|c| {
                            let input = &inputs[c.input];
                            let text = input.lines().line(&input.text, c.line);
                            EvidenceLine {
                                input: input.name.clone(),
                                line: Some(c.line),
                                text: text.unwrap_or("").trim().chars().take(400).collect(),
                            }
                        })
                        .collect(),
                    commands: {
                        let facts =
                            f.node.as_ref().and_then(|n| diagnosis.nodes.get(n)).unwrap_or(&diagnosis.default_facts);
                        // A weak finding leads with what would confirm it.
                        let confirm = (f.strength == Strength::Weak).then_some(entry.confirm).flatten();
                        confirm
                            .into_iter()
                            .chain(entry.commands_for(f.branch).iter().copied().filter(|t| Some(*t) != confirm))
                            .filter(|t| for_the_node(knowledge.command(*t), facts))
                            .map(|t| render(t, &slots, lang))
                            .collect()
                    },
                }
            })
            .collect();
        let mut nodes = verdicts(&findings_report, lang);
        for node in &mut nodes {
            node.platform = diagnosis.nodes.get(&node.node).unwrap_or(&diagnosis.default_facts).platform;
        }
        let groups = groups(&findings_report);
        let region = settings.region.clone().or_else(|| diagnosis.region.clone()).map(String::from);
        Report { inputs: inputs_report, findings: findings_report, nodes, groups, region }
    }

    pub fn redact(&mut self) {
        let mut r = Redactor::default();
        for input in &mut self.inputs {
            input.name = r.text(&input.name);
            input.messages.iter_mut().for_each(|m| *m = r.text(m));
        }
        for f in &mut self.findings {
            f.node = f.node.as_deref().map(|n| r.text(n));
            f.title = r.text(&f.title);
            f.why = r.text(&f.why);
            f.fix = r.text(&f.fix);
            for s in &mut f.supporting {
                s.title = r.text(&s.title);
            }
            for e in &mut f.evidence {
                e.input = r.text(&e.input);
                e.text = r.text(&e.text);
            }
            for c in &mut f.commands {
                c.text = r.text(&c.text);
                c.powershell = c.powershell.as_deref().map(|p| r.text(p));
            }
        }
        for n in &mut self.nodes {
            n.node = r.text(&n.node);
            n.verdict = r.text(&n.verdict);
        }
        for g in &mut self.groups {
            g.title = r.text(&g.title);
            g.nodes.iter_mut().for_each(|n| *n = r.text(n));
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("report serialises")
    }

    pub fn to_markdown(&self, lang: Lang) -> String {
        let l = Labels::of(lang);
        let mut out = format!("# {}\n\n", l.heading);
        for n in &self.nodes {
            out.push_str(&format!("- **{}**: {}\n", n.node, n.verdict));
        }
        out.push_str(&format!(
            "\n## {}\n\n| {} | kind | status | {} |\n|---|---|---|---|\n",
            l.inputs, l.name, l.messages
        ));
        for i in &self.inputs {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                i.name,
                i.kind.name(),
                i.status.name(),
                i.messages.join("<br>").replace('|', "\\|")
            ));
        }
        for f in &self.findings {
            out.push_str(&format!("\n## [{}] {} ({})\n\n", f.role.name(), f.title, f.reference));
            if let Some(node) = &f.node {
                out.push_str(&format!("{}: `{node}`\n\n", l.node));
            }
            out.push_str(&format!("{}\n\n**{}:** {}\n\n", f.why, l.fix, f.fix));
            for e in &f.evidence {
                out.push_str(&format!("> `{}:{}` {}\n", e.input, e.line.unwrap_or(0), e.text));
            }
            if !f.supporting.is_empty() {
                out.push_str(&format!("\n{}:\n", l.explains));
                for s in &f.supporting {
                    out.push_str(&format!("- {} ({})\n", s.title, s.reference));
                }
            }
            if !f.commands.is_empty() {
                out.push('\n');
                for c in &f.commands {
                    let changes =
                        c.changes.as_ref().map(|what| format!(" **⚠ {}: {what}**", l.changes)).unwrap_or_default();
                    out.push_str(&format!(
                        "- {}{changes}\n\n  ```{}\n  {}\n  ```\n",
                        c.label,
                        if c.shell == Shell::Powershell { "powershell" } else { "bash" },
                        c.text
                    ));
                }
            }
        }
        out
    }

    pub fn to_text(&self, lang: Lang) -> String {
        let l = Labels::of(lang);
        let mut out = String::new();
        for n in &self.nodes {
            out.push_str(&format!("{}: {}\n", n.node, n.verdict));
        }
        for i in &self.inputs {
            out.push_str(&format!("{} {}: {} ({})\n", l.input, i.name, i.kind.name(), i.status.name()));
            for m in &i.messages {
                out.push_str(&format!("    {m}\n"));
            }
        }
        for f in &self.findings {
            out.push_str(&format!(
                "\n[{}] {} {}{}\n",
                f.role.name().to_uppercase(),
                f.reference,
                f.title,
                f.node.as_deref().map(|n| format!(" ({n})")).unwrap_or_default()
            ));
            out.push_str(&format!("    {}\n    {}: {}\n", f.why, l.fix, f.fix));
            for e in &f.evidence {
                out.push_str(&format!("    {}:{}: {}\n", e.input, e.line.unwrap_or(0), e.text));
            }
            for s in &f.supporting {
                out.push_str(&format!("    {}: {} ({})\n", l.explains, s.title, s.reference));
            }
            for c in &f.commands {
                if let Some(what) = &c.changes {
                    out.push_str(&format!("    ! {}: {what}\n", l.changes));
                }
                out.push_str(&format!("    $ {}\n", c.text));
            }
        }
        out
    }
}

/// The finding's values as text in `lang`: phrases of the knowledge base are written out (and
/// may use the finding's text values, as `{time}`); a value the finding lacks takes the entry's
/// default, so a title never shows a bare `{items}`.
fn text_vars(entry: &'static Entry, vars: &[(&'static str, Var)], lang: Lang) -> Vec<(&'static str, String)> {
    let texts: Vec<(&'static str, String)> = vars
        .iter()
        .filter_map(|(k, v)| match v {
            Var::Text(t) => Some((*k, t.clone())),
            Var::Hints(_) => None,
        })
        .collect();
    let knowledge = Knowledge::get();
    vars.iter()
        .map(|(k, v)| match v {
            Var::Text(t) => (*k, t.clone()),
            Var::Hints(hints) => {
                let phrases: Vec<String> = hints.iter().map(|h| fill(knowledge.hint(*h).get(lang), &texts)).collect();
                (*k, phrases.join(" "))
            }
        })
        .chain(
            entry
                .defaults
                .iter()
                .filter(|(name, _)| !vars.iter().any(|(k, _)| k == name))
                .map(|(name, value)| (name.as_str(), fill(value, &texts))),
        )
        .collect()
}

/// The finding's why, and what its strength adds: a finding that rests on lines that only
/// hint says so and names what would confirm it; a recovered one says it recovered.
fn why(f: &Finding, vars: &[(&'static str, String)], lang: Lang) -> String {
    let knowledge = Knowledge::get();
    let entry = knowledge.entry(f.code);
    let why = fill(entry.why.get(lang), vars);
    let (hint, confirm) = match f.strength {
        Strength::Proven => return why,
        Strength::Weak => (Hint::RestsOnAHint, entry.confirm.map(|t| knowledge.command(t).label.get(lang))),
        Strength::Recovered => (Hint::Recovered, None),
    };
    let added = fill(knowledge.hint(hint).get(lang), &[("confirm", confirm.unwrap_or("").to_string())]);
    format!("{why} {added}")
}

/// A node runs one shell, one operating system and one package manager; a hybrid node has no
/// EC2 API. Once these are known, only the commands that fit are offered.
fn for_the_node(template: &CommandTemplate, facts: &NodeFacts) -> bool {
    let shell_fits = !matches!(
        (template.shell, facts.platform),
        (Shell::Bash, Some(Platform::Windows)) | (Shell::Powershell, Some(Platform::Linux | Platform::MacOs))
    );
    let os_fits = template.os.is_empty() || facts.platform.is_none_or(|p| template.os.contains(&p));
    let family_fits = match (template.family, facts.package_manager) {
        (Some(family), Some(known)) => family == known,
        _ => true,
    };
    let ec2_fits = !(template.ec2_only && facts.hybrid);
    let windows_fits = match (template.windows_legacy, facts.windows_legacy) {
        (Some(wanted), Some(known)) => wanted == known,
        _ => true,
    };
    shell_fits && os_fits && family_fits && ec2_fits && windows_fits
}

fn groups(findings: &[FindingReport]) -> Vec<FindingGroup> {
    let mut groups: Vec<FindingGroup> = Vec::new();
    let mut at: HashMap<Code, usize> = HashMap::new();
    let mut members: HashSet<(Code, &str)> = HashSet::new();
    for f in findings {
        let node = f.node.clone().unwrap_or_default();
        match at.get(&f.code).map(|i| &mut groups[*i]) {
            Some(g) => {
                g.count += 1;
                if !node.is_empty() && members.insert((f.code, f.node.as_deref().unwrap_or(""))) {
                    g.nodes.push(node);
                }
            }
            None => {
                at.insert(f.code, groups.len());
                members.insert((f.code, f.node.as_deref().unwrap_or("")));
                groups.push(FindingGroup {
                    code: f.code,
                    reference: f.reference.clone(),
                    role: f.role,
                    title: f.title.clone(),
                    count: 1,
                    nodes: if node.is_empty() { Vec::new() } else { vec![node] },
                })
            }
        }
    }
    groups.sort_by(|a, b| a.role.cmp(&b.role).then(b.nodes.len().cmp(&a.nodes.len())).then(b.count.cmp(&a.count)));
    groups
}

/// Per node: the first cause (findings are sorted causes first), or the first check or note.
fn verdicts(findings: &[FindingReport], lang: Lang) -> Vec<NodeVerdict> {
    let mut nodes: Vec<NodeVerdict> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for f in findings {
        let Some(node) = &f.node else { continue };
        if let Some(&i) = at.get(node.as_str()) {
            let n = &mut nodes[i];
            // "Patch is NON_COMPLIANT" (N1) only names the branch: a specific cause says more.
            if f.role == Role::Cause && n.generic && !f.reference.starts_with('N') {
                n.verdict = f.title.clone();
                n.generic = false;
            }
            n.causes += usize::from(f.role == Role::Cause);
            if !n.refs.contains(&f.reference) {
                n.refs.push(f.reference.clone());
            }
            continue;
        }
        at.insert(node.as_str(), nodes.len());
        // Findings are sorted causes first, so a node's first finding is its worst.
        let verdict = match (f.role, lang) {
            (Role::Cause, _) => f.title.clone(),
            (_, Lang::En) => format!("No cause found yet. Next: {}", f.title),
            (_, Lang::ZhCn) => format!("尚未发现原因。下一步:{}", f.title),
        };
        nodes.push(NodeVerdict {
            node: node.clone(),
            verdict,
            causes: usize::from(f.role == Role::Cause),
            refs: vec![f.reference.clone()],
            platform: None,
            generic: f.reference.starts_with('N'),
        });
    }
    nodes
}

struct Labels {
    heading: &'static str,
    inputs: &'static str,
    input: &'static str,
    name: &'static str,
    messages: &'static str,
    node: &'static str,
    fix: &'static str,
    /// Heads the symptoms a cause explains.
    explains: &'static str,
    /// Marks a command that changes something.
    changes: &'static str,
}

impl Labels {
    fn of(lang: Lang) -> Labels {
        match lang {
            Lang::En => Labels {
                heading: "SSM Compliance Doctor report",
                inputs: "Inputs",
                input: "input",
                name: "name",
                messages: "messages",
                node: "Node",
                fix: "Fix",
                explains: "Also explains",
                changes: "Changes the system",
            },
            Lang::ZhCn => Labels {
                heading: "SSM 合规性诊断报告",
                inputs: "输入",
                input: "输入",
                name: "名称",
                messages: "消息",
                node: "节点",
                fix: "修复",
                explains: "同时解释了",
                changes: "会更改系统",
            },
        }
    }
}
