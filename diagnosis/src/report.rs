//! The report: the stable JSON contract of shared/report-contract.md, plus Markdown and text
//! renderings of the same content. Evidence lines are quoted from the inputs here.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::commands::Command;
use crate::ingest::{Input, Status};
use crate::knowledge::Lang;
use crate::redact::Redactor;
use crate::tree::Finding;

#[derive(Debug, Clone, PartialEq, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingGroup {
    pub code: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub role: &'static str,
    /// The title of the group's first finding (titles differ by counts between nodes).
    pub title: String,
    pub count: usize,
    pub nodes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputReport {
    pub name: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub messages: Vec<String>,
    pub size: usize,
    /// The parts of a paste holding several outputs, with their line ranges.
    pub parts: Vec<PartReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartReport {
    pub kind: &'static str,
    pub first_line: u32,
    pub last_line: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingReport {
    pub code: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub role: &'static str,
    pub node: Option<String>,
    pub title: String,
    pub why: String,
    pub fix: String,
    pub evidence: Vec<EvidenceLine>,
    pub commands: Vec<Command>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceLine {
    pub input: String,
    pub line: Option<u32>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeVerdict {
    pub node: String,
    pub verdict: String,
    pub causes: usize,
    pub refs: Vec<String>,
    /// The verdict so far is only the branch (N0/N1); a later specific cause replaces it.
    #[serde(skip)]
    generic: bool,
}

impl Report {
    /// `notes` are value-level remarks (an impossible date) by input index; they join that
    /// input's messages and mark it repaired.
    pub fn build(inputs: &[Input], findings: &[Finding], notes: &[(usize, String)], lang: Lang) -> Report {
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
                let cited = findings.iter().any(|f| f.evidence.iter().any(|c| c.input == index));
                if status == Status::Unrecognized && cited {
                    messages.push(
                        "Not recognised as a known output, but lines of it match known failure signatures (see the findings)."
                            .to_string(),
                    );
                }
                (input, messages, status)
            })
            .map(|(input, messages, status)| InputReport {
                name: input.name.clone(),
                kind: input.kind_name(),
                status: status.name(),
                messages,
                size: input.size,
                parts: input
                    .parts
                    .iter()
                    .map(|p| PartReport {
                        kind: p.kind.map_or("unrecognized", |k| k.name()),
                        first_line: p.first_line,
                        last_line: p.last_line,
                    })
                    .collect(),
            })
            .collect();
        // Line starts of each cited input, built on first use: quoting is O(1) per line.
        let lines: Vec<std::cell::OnceCell<LineIndex>> = inputs.iter().map(|_| std::cell::OnceCell::new()).collect();
        let findings_report: Vec<FindingReport> = findings
            .iter()
            .map(|f| FindingReport {
                code: f.code.clone(),
                reference: f.reference.clone(),
                role: f.role.name(),
                node: f.node.clone(),
                title: f.title.clone(),
                why: f.why.clone(),
                fix: f.fix.clone(),
                evidence: f
                    .evidence
                    .iter()
                    .map(|c| {
                        let input = &inputs[c.input];
                        let text = lines[c.input].get_or_init(|| LineIndex::new(&input.text)).line(&input.text, c.line);
                        EvidenceLine {
                            input: input.name.clone(),
                            line: Some(c.line),
                            text: text.unwrap_or("").trim().chars().take(400).collect(),
                        }
                    })
                    .collect(),
                commands: f.commands.clone(),
            })
            .collect();
        let nodes = verdicts(&findings_report, lang);
        let groups = groups(&findings_report);
        Report { inputs: inputs_report, findings: findings_report, nodes, groups, region: None }
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
                i.kind,
                i.status,
                i.messages.join("<br>").replace('|', "\\|")
            ));
        }
        for f in &self.findings {
            out.push_str(&format!("\n## [{}] {} ({})\n\n", f.role, f.title, f.reference));
            if let Some(node) = &f.node {
                out.push_str(&format!("{}: `{node}`\n\n", l.node));
            }
            out.push_str(&format!("{}\n\n**{}:** {}\n\n", f.why, l.fix, f.fix));
            for e in &f.evidence {
                out.push_str(&format!("> `{}:{}` {}\n", e.input, e.line.unwrap_or(0), e.text));
            }
            if !f.commands.is_empty() {
                out.push('\n');
                for c in &f.commands {
                    out.push_str(&format!(
                        "- {}\n\n  ```{}\n  {}\n  ```\n",
                        c.label,
                        if c.shell == "powershell" { "powershell" } else { "bash" },
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
            out.push_str(&format!("{} {}: {} ({})\n", l.input, i.name, i.kind, i.status));
            for m in &i.messages {
                out.push_str(&format!("    {m}\n"));
            }
        }
        for f in &self.findings {
            out.push_str(&format!(
                "\n[{}] {} {}{}\n",
                f.role.to_uppercase(),
                f.reference,
                f.title,
                f.node.as_deref().map(|n| format!(" ({n})")).unwrap_or_default()
            ));
            out.push_str(&format!("    {}\n    {}: {}\n", f.why, l.fix, f.fix));
            for e in &f.evidence {
                out.push_str(&format!("    {}:{}: {}\n", e.input, e.line.unwrap_or(0), e.text));
            }
            for c in &f.commands {
                out.push_str(&format!("    $ {}\n", c.text));
            }
        }
        out
    }
}

/// Byte offsets where each line starts.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        LineIndex(starts)
    }

    /// The text of 1-based `line`, without its line end.
    fn line<'t>(&self, text: &'t str, line: u32) -> Option<&'t str> {
        let start = *self.0.get(line.checked_sub(1)? as usize)?;
        let end = self.0.get(line as usize).map_or(text.len(), |next| next - 1);
        text.get(start..end.max(start))
    }
}

fn groups(findings: &[FindingReport]) -> Vec<FindingGroup> {
    let mut groups: Vec<FindingGroup> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut members: HashSet<(&str, &str)> = HashSet::new();
    for f in findings {
        let node = f.node.clone().unwrap_or_default();
        match at.get(f.code.as_str()).map(|i| &mut groups[*i]) {
            Some(g) => {
                g.count += 1;
                if !node.is_empty() && members.insert((f.code.as_str(), f.node.as_deref().unwrap_or(""))) {
                    g.nodes.push(node);
                }
            }
            None => {
                at.insert(f.code.as_str(), groups.len());
                members.insert((f.code.as_str(), f.node.as_deref().unwrap_or("")));
                groups.push(FindingGroup {
                    code: f.code.clone(),
                    reference: f.reference.clone(),
                    role: f.role,
                    title: f.title.clone(),
                    count: 1,
                    nodes: if node.is_empty() { Vec::new() } else { vec![node] },
                })
            }
        }
    }
    let rank = |role: &str| match role {
        "cause" => 0,
        "check" => 1,
        _ => 2,
    };
    groups.sort_by(|a, b| {
        rank(a.role).cmp(&rank(b.role)).then(b.nodes.len().cmp(&a.nodes.len())).then(b.count.cmp(&a.count))
    });
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
            if f.role == "cause" && n.generic && !f.reference.starts_with('N') {
                n.verdict = f.title.clone();
                n.generic = false;
            }
            n.causes += usize::from(f.role == "cause");
            if !n.refs.contains(&f.reference) {
                n.refs.push(f.reference.clone());
            }
            continue;
        }
        at.insert(node.as_str(), nodes.len());
        // Findings are sorted causes first, so a node's first finding is its worst.
        let verdict = match (f.role, lang) {
            ("cause", _) => f.title.clone(),
            (_, Lang::En) => format!("No cause found yet. Next: {}", f.title),
            (_, Lang::ZhCn) => format!("尚未发现原因。下一步:{}", f.title),
        };
        nodes.push(NodeVerdict {
            node: node.clone(),
            verdict,
            causes: usize::from(f.role == "cause"),
            refs: vec![f.reference.clone()],
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
            },
            Lang::ZhCn => Labels {
                heading: "SSM 合规性诊断报告",
                inputs: "输入",
                input: "输入",
                name: "名称",
                messages: "消息",
                node: "节点",
                fix: "修复",
            },
        }
    }
}
