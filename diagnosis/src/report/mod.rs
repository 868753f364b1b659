//! The report: the stable JSON contract of docs/report-contract.md, plus Markdown and text
//! renderings of the same content (`render`). Findings are written here, in the chosen language
//! and with the chosen settings, and evidence lines are quoted from the inputs. A report about
//! many nodes takes the fleet form (`fleet`): each cause once, with its nodes and its commands.

mod filter;
mod fleet;
mod render;

pub use filter::FleetFilter;
pub use fleet::NodeTable;

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};

use crate::commands::{render, Command, Settings};
use crate::ids::{InstanceId, Region};
use crate::ingest::{Input, InputKind, ReportKind, Status};
use crate::knowledge::{fill, Branch, Code, CommandTemplate, Entry, Hint, Knowledge, Lang, Role, Shell, Template};
use crate::model::Platform;
use crate::redact::{Found, Pass};
use crate::tree::{Finding, Findings, NodeFacts, Strength, Var};

/// What the tree concluded, before it is written in any language: the findings, the value
/// notes of the evidence, and what the rendering needs to know about the nodes.
#[derive(Debug, Clone, Default)]
pub struct Diagnosis {
    /// In the report's order, each with its node as the tree interned it: the node table
    /// groups a fleet's findings by these small numbers instead of hashing their ids again.
    pub findings: Findings,
    /// Remarks about individual values (an impossible date), by input index.
    pub notes: Vec<(usize, crate::notice::Message)>,
    /// The region the inputs name.
    pub region: Option<Region>,
    /// What each node runs: only its own on-node commands are offered.
    pub nodes: FxHashMap<String, NodeFacts>,
    /// What the inputs as a whole say (findings tied to no node).
    pub default_facts: NodeFacts,
    /// Inputs with a log that could not be tied to one of several nodes.
    pub unattributed: Vec<usize>,
    /// Text parts recognised by a line that proves a known failure: (input, first line, kind).
    pub recognised_by_lines: Vec<(usize, u32, InputKind)>,
    /// Inputs with a document presumed strict JSON that is not (`ingest::Grammar::Presumed`):
    /// to be read again with nothing presumed, and diagnosed again (`Session::diagnose`).
    pub unproven: Vec<usize>,
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
    /// `single`: `findings` holds every finding in full. `fleet` (more than [`FLEET_NODES`]
    /// nodes): `findings` holds only the findings tied to no node; each node's findings are in
    /// `nodes[].findings`, compact, and each cause is written once in `groups`.
    #[serde(default)]
    pub form: Form,
    /// Set when the report was redacted: per category, how many distinct values were replaced
    /// by pseudonyms (`hidden`) or found and left in clear on request (`kept`). An addition to
    /// the contract; null for a report in clear.
    #[serde(default)]
    pub redacted: Option<Found>,
}

/// Above this many nodes a report takes the fleet form: writing every finding of 150,000 nodes
/// with its texts and commands made a report seven times the size of its input.
pub const FLEET_NODES: usize = 50;

/// How a report carries the findings of its nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    #[default]
    Single,
    Fleet,
}

/// One finding code across all nodes: written once, with the nodes it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingGroup {
    pub code: Code,
    #[serde(rename = "ref")]
    pub reference: String,
    pub role: Role,
    pub branch: Branch,
    /// What the group's findings share (their own titles differ by counts and items).
    pub title: String,
    #[serde(default)]
    pub why: String,
    #[serde(default)]
    pub fix: String,
    /// How many findings the group holds.
    pub count: usize,
    pub nodes: Vec<crate::tree::NodeId>,
    /// How many nodes the group concerns (`nodes` may be shortened for display; this is not).
    #[serde(default)]
    pub node_count: usize,
    /// A few evidence lines, from the group's first findings.
    #[serde(default)]
    pub evidence: Vec<EvidenceLine>,
    /// The group's commands, rendered once: the values every node of the group shares are
    /// filled in; a command that takes several instance ids lists them, or, past
    /// [`IDS_PER_CALL`](crate::commands::IDS_PER_CALL), loops over `node_file`.
    #[serde(default)]
    pub commands: Vec<Command>,
    /// How many instance ids those commands act on.
    #[serde(default)]
    pub command_nodes: usize,
    /// The file those commands read the group's ids from (50 to a line), when there are more
    /// than one call takes: `ssm-doctor --node-files DIR` writes it, the page downloads it.
    /// Always written (null when none): the worker's postcard needs every field.
    #[serde(default)]
    pub node_file: Option<String>,
}

impl FindingGroup {
    /// A copy that lists only its first `nodes` nodes (`node_count` keeps the total); the
    /// others, a fleet's whole list perhaps, are not copied.
    pub fn shortened(&self, nodes: usize) -> FindingGroup {
        let FindingGroup {
            code,
            reference,
            role,
            branch,
            title,
            why,
            fix,
            count,
            nodes: all,
            node_count,
            evidence,
            commands,
            command_nodes,
            node_file,
        } = self;
        FindingGroup {
            code: *code,
            reference: reference.clone(),
            role: *role,
            branch: *branch,
            title: title.clone(),
            why: why.clone(),
            fix: fix.clone(),
            count: *count,
            nodes: all[..all.len().min(nodes)].to_vec(),
            node_count: *node_count,
            evidence: evidence.clone(),
            commands: commands.clone(),
            command_nodes: *command_nodes,
            node_file: node_file.clone(),
        }
    }

    /// The group's node file, named and written: every id of the group, 50 to a line (what the
    /// CLI's `--node-files` writes and the page downloads).
    pub fn node_file_text(&self) -> Option<(&str, String)> {
        let name = self.node_file.as_deref()?;
        let ids: Vec<InstanceId> = self.nodes.iter().filter_map(|n| InstanceId::parse(n)).collect();
        Some((name, crate::commands::NodeFile::text(&ids)))
    }
}

/// A node's finding in the fleet form: enough to list and filter it, with the lines it rests on
/// (`input` is an index into `inputs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeFinding {
    pub code: Code,
    #[serde(rename = "ref")]
    pub reference: String,
    pub role: Role,
    pub title: String,
    pub lines: Vec<CitedLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedLine {
    pub input: usize,
    pub line: u32,
}

impl CitedLine {
    fn of(cite: &crate::lines::Cite) -> CitedLine {
        CitedLine { input: cite.input(), line: cite.line }
    }
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
    #[serde(default)]
    pub compliance_type: Option<String>,
    /// What this finding explains: the symptoms and weaker explanations of the same failure,
    /// whose lines are part of its evidence (an addition to the contract).
    #[serde(default)]
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
    /// The fleet form only: the node's findings, compact (an addition to the contract).
    #[serde(default)]
    pub findings: Vec<NodeFinding>,
}

impl FindingReport {
    pub fn redact(&mut self, pass: &mut Pass) {
        if let Some(node) = &mut self.node {
            pass.apply(node);
        }
        pass.apply(&mut self.title);
        pass.apply(&mut self.why);
        pass.apply(&mut self.fix);
        self.supporting.iter_mut().for_each(|s| pass.apply(&mut s.title));
        self.evidence.iter_mut().for_each(|e| e.redact(pass));
        self.commands.iter_mut().for_each(|c| c.redact(pass));
    }
}

/// A line of the JSON string that is the value on `line` (`"StandardOutputContent": "…\n…"`):
/// the `within`-th (1-based), the line of a command's output a signature matched; for the whole
/// field (0), its first line with text, which is the error of an error output. Never the whole
/// output with its `\n`s. None when the line holds no string of several lines.
fn quoted_line(line: &str, within: u32) -> Option<String> {
    // The value follows the key's colon; a JSON string's escapes are read by serde_json.
    let value = line.split_once("\":")?.1.trim_start();
    let decoded = serde_json::Deserializer::from_str(value).into_iter::<String>().next()?.ok()?;
    if !decoded.trim().contains('\n') {
        return None;
    }
    match (within as usize).checked_sub(1) {
        Some(index) => decoded.split('\n').nth(index).map(str::to_string),
        None => decoded.lines().find(|l| !l.trim().is_empty()).map(str::to_string),
    }
}

impl EvidenceLine {
    pub fn redact(&mut self, pass: &mut Pass) {
        pass.apply(&mut self.input);
        pass.apply(&mut self.text);
    }
}

impl Report {
    /// Writes the diagnosis of `inputs` in `lang`, with the person's settings (a region and a
    /// profile typed in) applied to every command.
    pub fn build(inputs: &[Input], diagnosis: &Diagnosis, lang: Lang, settings: &Settings) -> Report {
        Report::assemble(inputs, diagnosis, lang, settings).into_report()
    }

    /// The report with its node verdicts still to write: [`Assembled::into_report`] writes them
    /// all; [`Assembled::write_json`] writes each as it goes, so a fleet's 150,000 verdicts are
    /// never held together (the same bytes as `build` then `write_json`).
    pub fn assemble<'a>(
        inputs: &'a [Input],
        diagnosis: &'a Diagnosis,
        lang: Lang,
        settings: &'a Settings,
    ) -> Assembled<'a> {
        Report::assemble_with(inputs, diagnosis, lang, settings, Cow::Owned(NodeTable::of(diagnosis)))
    }

    /// [`Report::assemble`] with the diagnosis' node table made already (a session keeps one).
    pub(crate) fn assemble_with<'a>(
        inputs: &'a [Input],
        diagnosis: &'a Diagnosis,
        lang: Lang,
        settings: &'a Settings,
        nodes: Cow<'a, NodeTable>,
    ) -> Assembled<'a> {
        let notes = &diagnosis.notes;
        let findings = &diagnosis.findings;
        let knowledge = Knowledge::get();
        let inputs_report = inputs
            .iter()
            .enumerate()
            .map(|(index, input)| {
                let mut messages: Vec<String> = input.messages.iter().map(|m| m.render(lang)).collect();
                messages.extend(notes.iter().filter(|(i, _)| *i == index).map(|(_, m)| m.render(lang)));
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
        // A region typed in answers "which region?" (N0).
        let shown: Vec<u32> = (0..findings.len())
            .filter(|&i| !(findings.code(i) == Code::RegionUnknown && settings.region.is_some()))
            .map(|i| i as u32)
            .collect();
        let form = if nodes.len() > FLEET_NODES { Form::Fleet } else { Form::Single };
        let writer = Writer { inputs, diagnosis, lang, settings };
        let findings_report: Vec<FindingReport> = (shown.iter().map(|&i| i as usize))
            .filter(|&i| form == Form::Single || findings.node(i).is_none())
            .map(|i| writer.finding(&findings.get(i)))
            .collect();
        let mut titles = Titles::default();
        let groups = fleet::groups(findings, &shown, &mut titles, &writer);
        let region = settings.region.clone().or_else(|| diagnosis.region.clone()).map(String::from);
        let report = Report {
            inputs: inputs_report,
            findings: findings_report,
            nodes: Vec::new(),
            groups,
            region,
            form,
            redacted: None,
        };
        // Last: the nodes' verdicts, each title written as it is needed (a fleet's are hundreds of
        // thousands, never held together).
        Assembled { report, verdicts: Verdicts { nodes, titles: Mutex::new(titles), writer } }
    }

    /// The findings of one node, written in full: what the fleet form leaves out of `findings`,
    /// asked for when a person opens that node.
    pub fn findings_of(
        inputs: &[Input],
        diagnosis: &Diagnosis,
        node: &str,
        lang: Lang,
        settings: &Settings,
    ) -> Vec<FindingReport> {
        let writer = Writer { inputs, diagnosis, lang, settings };
        let findings = &diagnosis.findings;
        findings.of_node(node).map(|i| writer.finding(&findings.get(i))).collect()
    }

    /// Every identifying value of the report replaced by its session pseudonym (the
    /// categories `pass` hides; what it found is `pass.found()`, which
    /// [`Export`](crate::export::Export) records in `redacted`). Every text a rendering shows
    /// goes through here, so no export format can carry an original value.
    pub fn redact(&mut self, pass: &mut Pass) {
        for input in &mut self.inputs {
            pass.apply(&mut input.name);
            input.messages.iter_mut().for_each(|m| pass.apply(m));
        }
        for f in &mut self.findings {
            f.redact(pass);
        }
        for n in &mut self.nodes {
            pass.apply(&mut n.node);
            pass.apply(&mut n.verdict);
            for f in &mut n.findings {
                pass.apply(&mut f.title);
            }
        }
        for g in &mut self.groups {
            pass.apply(&mut g.title);
            pass.apply(&mut g.why);
            pass.apply(&mut g.fix);
            g.nodes.iter_mut().for_each(|n| {
                let mut text = n.to_string();
                pass.apply(&mut text);
                *n = text.into();
            });
            g.evidence.iter_mut().for_each(|e| e.redact(pass));
            g.commands.iter_mut().for_each(|c| c.redact(pass));
        }
    }

    /// Pretty JSON; a fleet report is written compact (it is for programs, and indentation
    /// doubled its size).
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        self.write_json(&mut out).expect("a report serialises into memory");
        String::from_utf8(out).expect("serde_json writes UTF-8")
    }

    /// How many nodes have at least one cause: the fleet summary's one rule (the CLI's reports
    /// and the page's summary line).
    pub fn nodes_with_cause(&self) -> usize {
        self.nodes.iter().filter(|n| n.causes > 0).count()
    }

    /// Like [`Report::to_json`], written as it is produced (a fleet report is not held twice).
    pub fn write_json(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        write_json(self.form, self, out)
    }
}

/// Pretty for one node's report; compact for a fleet's (it is for programs, and indentation
/// doubled its size).
fn write_json(form: Form, report: &impl Serialize, out: &mut impl std::io::Write) -> std::io::Result<()> {
    match form {
        Form::Single => serde_json::to_writer_pretty(&mut *out, report)?,
        Form::Fleet => serde_json::to_writer(&mut *out, report)?,
    }
    out.write_all(b"\n")
}

/// A report whose node verdicts are written on demand (see [`Report::assemble`]).
pub struct Assembled<'a> {
    /// Everything but `nodes`, which is empty.
    pub report: Report,
    verdicts: Verdicts<'a>,
}

/// The node verdicts still to write: each node's findings, and the titles written so far.
struct Verdicts<'a> {
    nodes: Cow<'a, NodeTable>,
    /// The titles written so far that others share. Behind a lock, not a cell, so that parts
    /// of the list may be written in other threads ([`Assembled::nodes_json`], which keep
    /// titles of their own: a title is the same text whoever writes it).
    titles: Mutex<Titles>,
    writer: Writer<'a>,
}

impl<'a> Verdicts<'a> {
    /// Node `i`'s verdict.
    fn verdict(&self, i: usize, form: Form) -> NodeVerdict {
        self.verdict_of(i, form).into_owned()
    }

    /// Node `i`'s verdict, borrowed: written, then dropped.
    fn verdict_of(&self, i: usize, form: Form) -> fleet::VerdictOf<'a> {
        let mut titles = self.titles.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.nodes.verdict_of(i, &mut titles, &self.writer, form)
    }
}

impl Assembled<'_> {
    /// The report with every node's verdict.
    pub fn into_report(self) -> Report {
        let Assembled { mut report, verdicts } = self;
        report.nodes = (0..verdicts.nodes.len()).map(|i| verdicts.verdict(i, report.form)).collect();
        report
    }

    /// The report as [`Report::write_json`] writes it, each node's verdict written and dropped
    /// in turn.
    pub fn write_json(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        write_json(self.report.form, self, out)
    }

    /// How many node verdicts the report lists.
    pub fn node_count(&self) -> usize {
        self.verdicts.nodes.len()
    }

    /// The verdicts of the nodes in `range` as a fleet report's `nodes` list holds them,
    /// separated by commas: the parts of the list, joined by commas in order, are the list's
    /// items. Each part keeps titles of its own, so parts may be written in several threads.
    pub fn nodes_json(&self, range: std::ops::Range<usize>) -> Vec<u8> {
        let mut out = Vec::new();
        self.nodes_json_into(range, &mut out);
        out
    }

    /// [`Assembled::nodes_json`], written at the end of `out` (given the room a part takes, it
    /// is not grown by doubling: a 2,048 nodes' part is over a megabyte).
    pub fn nodes_json_into(&self, range: std::ops::Range<usize>, out: &mut Vec<u8>) {
        let Verdicts { nodes, writer, .. } = &self.verdicts;
        let mut titles = Titles::default();
        let start = out.len();
        for i in range {
            if out.len() > start {
                out.push(b',');
            }
            let verdict = nodes.verdict_of(i, &mut titles, writer, Form::Fleet);
            serde_json::to_writer(&mut *out, &verdict).expect("a verdict serialises into memory");
        }
    }

    /// The report's `groups` as its JSON holds them (what [`Assembled::write_fleet_json`] writes
    /// after the nodes, unless its `nodes` wrote them beside the verdicts).
    pub fn groups_json(&self) -> Vec<u8> {
        serde_json::to_vec(&self.report.groups).expect("groups serialise into memory")
    }

    /// A fleet report as [`Assembled::write_json`] writes it, the items of its `nodes` list
    /// written by `nodes` (from [`Assembled::nodes_json`]), which may give the groups' JSON
    /// ([`Assembled::groups_json`]) written beside them; a single node's report is written whole.
    pub fn write_fleet_json<W: std::io::Write>(
        &self,
        out: &mut W,
        nodes: impl FnOnce(&Self, &mut W) -> std::io::Result<Option<Vec<u8>>>,
    ) -> std::io::Result<()> {
        if self.report.form != Form::Fleet {
            return self.write_json(out);
        }
        // The frame serde writes for the report, compact, field by field in `Report`'s order.
        let r = &self.report;
        out.write_all(b"{\"inputs\":")?;
        serde_json::to_writer(&mut *out, &r.inputs)?;
        out.write_all(b",\"findings\":")?;
        serde_json::to_writer(&mut *out, &r.findings)?;
        out.write_all(b",\"nodes\":[")?;
        let groups = nodes(self, out)?;
        out.write_all(b"],\"region\":")?;
        serde_json::to_writer(&mut *out, &r.region)?;
        out.write_all(b",\"groups\":")?;
        match groups {
            Some(groups) => out.write_all(&groups)?,
            None => serde_json::to_writer(&mut *out, &r.groups)?,
        }
        out.write_all(b",\"form\":")?;
        serde_json::to_writer(&mut *out, &r.form)?;
        out.write_all(b",\"redacted\":")?;
        serde_json::to_writer(&mut *out, &r.redacted)?;
        out.write_all(b"}\n")
    }
}

impl Serialize for Assembled<'_> {
    /// Field by field as `Report` derives it, with `nodes` from the verdicts.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let r = &self.report;
        let mut out = serializer.serialize_struct("Report", 7)?;
        out.serialize_field("inputs", &r.inputs)?;
        out.serialize_field("findings", &r.findings)?;
        out.serialize_field("nodes", &NodesOf(self))?;
        out.serialize_field("region", &r.region)?;
        out.serialize_field("groups", &r.groups)?;
        out.serialize_field("form", &r.form)?;
        out.serialize_field("redacted", &r.redacted)?;
        out.end()
    }
}

/// The `nodes` of an [`Assembled`] report, written one verdict at a time.
struct NodesOf<'r, 'a>(&'r Assembled<'a>);

impl Serialize for NodesOf<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let Assembled { report, verdicts } = self.0;
        let mut out = serializer.serialize_seq(Some(verdicts.nodes.len()))?;
        for i in 0..verdicts.nodes.len() {
            out.serialize_element(&verdicts.verdict_of(i, report.form))?;
        }
        out.end()
    }
}

/// The finding's values as text in `lang`: phrases of the knowledge base are written out (and
/// may use the finding's text values, as `{time}`); a value the finding lacks takes the entry's
/// default, so a title never shows a bare `{items}`.
fn text_vars<'v>(
    entry: &'static Entry,
    vars: &'v [(&'static str, Var)],
    lang: Lang,
) -> Vec<(&'static str, Cow<'v, str>)> {
    // Each text written once (a time from its packed form: a fleet's titles each quote one);
    // a phrase's place stays empty until the phrases are filled from the texts.
    let is_text = |v: &Var| matches!(v, Var::Text(_) | Var::Time(_));
    let mut out: Vec<(&'static str, Cow<'v, str>)> = Vec::with_capacity(vars.len() + entry.defaults.len());
    out.extend(vars.iter().map(|(k, v)| (*k, v.text().unwrap_or_default())));
    let mut defaults = entry.defaults.iter().filter(|(name, _)| !vars.iter().any(|(k, _)| k == name)).peekable();
    if vars.iter().all(|(_, v)| is_text(v)) && defaults.peek().is_none() {
        return out;
    }
    let knowledge = Knowledge::get();
    let texts: Vec<(&str, &str)> =
        out.iter().zip(vars).filter(|(_, (_, v))| is_text(v)).map(|((k, t), _)| (*k, t.as_ref())).collect();
    let phrases: Vec<(usize, String)> = vars
        .iter()
        .enumerate()
        .filter(|(_, (_, v))| !is_text(v))
        .map(|(at, (_, v))| {
            let each: Vec<String> = v.hints().iter().map(|h| fill(knowledge.hint(*h).get(lang), &texts)).collect();
            (at, each.join(" "))
        })
        .collect();
    let defaulted: Vec<(&'static str, String)> =
        defaults.map(|(name, value)| (name.as_str(), fill(value, &texts))).collect();
    for (at, text) in phrases {
        out[at].1 = Cow::Owned(text);
    }
    out.extend(defaulted.into_iter().map(|(name, text)| (name, Cow::Owned(text))));
    out
}

/// The finding's why, and what its strength adds: a finding that rests on lines that only
/// hint says so and names what would confirm it; a recovered one says it recovered.
fn why(f: &Finding, vars: &[(&'static str, Cow<'_, str>)], lang: Lang) -> String {
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
    let node_fits = if facts.hybrid { !template.ec2_only } else { !template.hybrid_only };
    let windows_fits = match (template.windows_legacy, facts.windows_legacy) {
        (Some(wanted), Some(known)) => wanted == known,
        _ => true,
    };
    shell_fits && os_fits && family_fits && node_fits && windows_fits
}

/// Writes findings in one language with one set of settings: the texts, the quoted evidence
/// lines and the commands that fit the node.
pub(crate) struct Writer<'a> {
    inputs: &'a [Input],
    diagnosis: &'a Diagnosis,
    lang: Lang,
    settings: &'a Settings,
}

impl Writer<'_> {
    /// A text written with the finding's values, its punctuation the report language's.
    fn in_language(&self, text: String) -> String {
        match self.lang {
            Lang::ZhCn => crate::knowledge::full_width_brackets(&text).into_owned(),
            Lang::En => text,
        }
    }

    fn finding(&self, f: &Finding) -> FindingReport {
        let knowledge = Knowledge::get();
        let entry = knowledge.entry(f.code);
        let vars = text_vars(entry, &f.vars, self.lang);
        FindingReport {
            code: f.code,
            reference: entry.reference.clone(),
            role: f.role(),
            branch: f.branch,
            compliance_type: f.compliance_type().map(String::from),
            supporting: f
                .supporting()
                .iter()
                .map(|s| {
                    let supporting = knowledge.entry(s.code);
                    SupportingReport {
                        code: s.code,
                        reference: supporting.reference.clone(),
                        title: self.in_language(fill(
                            supporting.title.get(self.lang),
                            &text_vars(supporting, &s.vars, self.lang),
                        )),
                    }
                })
                .collect(),
            node: f.node.as_deref().map(String::from),
            title: self.in_language(fill(entry.title.get(self.lang), &vars)),
            why: self.in_language(why(f, &vars, self.lang)),
            fix: self.in_language(fill(entry.fix.get(self.lang), &vars)),
            evidence: self.evidence(&f.evidence),
            commands: self.commands(f, self.facts(f.node.as_deref()), f.slots()),
        }
    }

    /// The finding's title alone (what a node's verdict and the fleet form need).
    fn title(&self, f: &Finding) -> String {
        let entry = Knowledge::get().entry(f.code);
        self.in_language(fill(entry.title.get(self.lang), &text_vars(entry, &f.vars, self.lang)))
    }

    fn facts(&self, node: Option<&str>) -> NodeFacts {
        node.and_then(|n| self.diagnosis.nodes.get(n)).unwrap_or(&self.diagnosis.default_facts).clone()
    }

    /// The cited lines, quoted from their inputs.
    fn evidence(&self, cites: &[crate::lines::Cite]) -> Vec<EvidenceLine> {
        cites
            .iter()
            .map(|c| {
                let input = &self.inputs[c.input()];
                let line = input.line(c.line).unwrap_or("");
                let inner = quoted_line(line, c.within);
                EvidenceLine {
                    input: input.name.clone(),
                    line: Some(c.line),
                    text: inner.as_deref().unwrap_or(line).trim().chars().take(400).collect(),
                }
            })
            .collect()
    }

    /// The entry's commands that fit the node, rendered with `slots` (a weak finding leads with
    /// what would confirm it). Borrowed slots are copied once, to take the person's settings.
    fn commands(&self, f: &Finding, mut facts: NodeFacts, slots: Cow<'_, crate::commands::Slots>) -> Vec<Command> {
        let knowledge = Knowledge::get();
        let entry = knowledge.entry(f.code);
        let slots = slots.into_owned().with_settings(self.settings);
        // The id alone tells a hybrid node: an `mi-` id in the finding or its slots is enough,
        // whatever else is (not) known about it. A group with any hybrid node gets no EC2 call.
        facts.hybrid = facts.hybrid
            || f.node.as_deref().is_some_and(|n| n.starts_with("mi-"))
            || slots.instance.as_ref().is_some_and(InstanceId::is_hybrid)
            || slots.more().instances.iter().any(InstanceId::is_hybrid);
        let confirm = (f.strength == Strength::Weak).then_some(entry.confirm).flatten();
        let mut templates: Vec<Template> = confirm
            .into_iter()
            .chain(entry.commands_for(f.branch).iter().copied().filter(|t| Some(*t) != confirm))
            .filter(|t| for_the_node(knowledge.command(*t), &facts))
            .collect();
        // What to run first: the command that confirms a weak finding, then the fix itself (the
        // first of the entry's that fits the node), then read-only checks, then what changes
        // the system (a paid runbook never before the checks).
        let fix = entry.fix_commands.iter().find(|t| templates.contains(t)).copied();
        templates.sort_by_key(|t| match () {
            _ if Some(*t) == confirm => 0,
            _ if Some(*t) == fix => 1,
            _ if knowledge.command(*t).changes.is_none() => 2,
            _ => 3,
        });
        templates.into_iter().map(|t| render(t, &slots, self.lang)).collect()
    }
}

/// A finding's title as a verdict or a group holds it: shared with every finding of the same
/// title (a count taken, where a copy was an allocation per finding of a fleet), or written for
/// this finding alone (a title that names the node's own time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Title {
    Shared(Arc<str>),
    Own(String),
}

impl std::ops::Deref for Title {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Title::Shared(text) => text,
            Title::Own(text) => text,
        }
    }
}

impl From<Title> for String {
    fn from(title: Title) -> String {
        match title {
            Title::Shared(text) => text.to_string(),
            Title::Own(text) => text,
        }
    }
}

impl Serialize for Title {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

/// Findings' titles, written when a verdict or a group needs one, each distinct title once: a
/// title follows from the code and the values alone, and most of a fleet's hundreds of
/// thousands of findings share a few hundred (a count, an operation, a state). A code whose
/// titles keep differing (each names a node's own time) is written directly: remembering those
/// would only cost memory. Nothing is written for a finding no verdict shows (a node's notes).
/// The values are held with the title (a fleet's set rows' findings are made, read and dropped).
#[derive(Default)]
pub(crate) struct Titles {
    /// Per code, by the values.
    written: FxHashMap<Code, FxHashMap<crate::tree::SharedVars, Arc<str>>>,
    /// Per code: how many titles were found written, and how many had to be written.
    tally: FxHashMap<Code, (u32, u32)>,
}

impl Titles {
    pub fn of(&mut self, f: &Finding, writer: &Writer) -> Title {
        const TRIAL: u32 = 256;
        let (found, new) = self.tally.entry(f.code).or_default();
        if *new >= TRIAL && *found < *new {
            return Title::Own(writer.title(f));
        }
        let written = self.written.entry(f.code).or_default();
        if let Some(title) = written.get(&*f.vars) {
            *found += 1;
            return Title::Shared(title.clone());
        }
        *new += 1;
        let title: Arc<str> = writer.title(f).into();
        written.insert(Arc::clone(&f.vars), Arc::clone(&title));
        Title::Shared(title)
    }
}
