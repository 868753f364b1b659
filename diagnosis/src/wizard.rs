//! The guided walk through the decision tree for one instance (data in knowledge/wizard.toml):
//! which steps the evidence, or the person's answers, already answer (with what answers them)
//! and, for the first that nothing answers, the question, its choices, and the command whose
//! output answers it. Once a cause is proven, the walk asks nothing that could not change it and
//! ends with the check after the fix.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::commands::{render, Command, Settings, Slots};
use crate::ids::{InstanceId, Region};
use crate::knowledge::{Branch, Lang, Role, Template, Text};
use crate::model::Platform;
use crate::redact::Pass;
use crate::report::{EvidenceLine, Report};

#[derive(Deserialize)]
struct WizardFile {
    step: Vec<StepDef>,
    verify: Vec<VerifyDef>,
}

/// What a step is for, which the walk and the page treat each in its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    /// Which node and region (N0): answered by knowing the node, never blocking the walk.
    Identify,
    /// Which branch of the tree (N1): its answer is the compliance type, and the branch the
    /// inputs point to overrides it.
    Branch,
    /// A question of the tree, answered by evidence or by the person.
    #[default]
    Question,
    /// The check after the fix, which ends a walk once a cause is proven (`[[verify]]`).
    Verify,
}

/// The person's answer to a step in their own words ("You answered “Missing” · Patch state"):
/// what a finding that rests on the answer quotes, instead of the output the answer stands for.
pub fn said(step: &str, value: &str, lang: Lang) -> Option<String> {
    let def = data().step.iter().find(|s| s.id == step)?;
    let choice = def.choices.iter().find(|c| c.value == value)?;
    let words = crate::knowledge::hint(crate::knowledge::Hint::AnswerWords).get(lang);
    Some(crate::knowledge::fill(words, &[("choice", choice.label.get(lang)), ("step", def.title.get(lang))]))
}

/// The id of the step of kind `branch` in the answers (and the URL): a constant, so the page
/// can name it without reading wizard.toml (a test checks the file agrees).
pub const BRANCH_STEP: &str = "N1";

#[derive(Deserialize)]
struct StepDef {
    id: String,
    #[serde(default)]
    kind: StepKind,
    title: Text,
    question: Text,
    #[serde(default)]
    branch: Option<String>,
    #[serde(default)]
    optional: bool,
    /// Its answer can refine a proven cause (why the patches failed): asked even then.
    #[serde(default)]
    refines: bool,
    answered_by: Vec<String>,
    command: Template,
    /// The command for a Windows or a macOS node, where it differs (an on-node command).
    #[serde(default)]
    command_windows: Option<Template>,
    #[serde(default)]
    command_macos: Option<Template>,
    #[serde(default)]
    choices: Vec<ChoiceDef>,
    /// Shown only when a finding with one of these refs exists (P3: only after a failure).
    #[serde(default)]
    only_if: Vec<String>,
    /// Not shown once a finding with one of these refs exists (a stopped instance makes its
    /// network path moot).
    #[serde(default)]
    unless: Vec<String>,
    /// Only for this kind of node, when the node's id says which.
    #[serde(default)]
    node: Option<NodeKind>,
}

/// The two kinds of managed node, told apart by their ids.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum NodeKind {
    /// An EC2 instance (`i-…`).
    Ec2,
    /// A hybrid-activated server or VM (`mi-…`).
    Hybrid,
}

impl StepDef {
    /// The step's command for the node's platform (Linux when it is not known).
    fn command_for(&self, platform: Option<Platform>) -> Template {
        match platform {
            Some(Platform::Windows) => self.command_windows.unwrap_or(self.command),
            Some(Platform::MacOs) => self.command_macos.unwrap_or(self.command),
            _ => self.command,
        }
    }
}

impl NodeKind {
    fn of(id: &InstanceId) -> NodeKind {
        if id.is_hybrid() {
            NodeKind::Hybrid
        } else {
            NodeKind::Ec2
        }
    }
}

#[derive(Deserialize)]
struct ChoiceDef {
    value: String,
    label: Text,
    /// Evidence the choice states, as the output it stands for.
    #[serde(default)]
    asserts: Option<String>,
}

/// The check after the fix, for one branch.
#[derive(Deserialize)]
struct VerifyDef {
    branch: String,
    title: Text,
    question: Text,
    command: Template,
}

/// A possible answer to a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// The output this answer stands for (added to the inputs when chosen); None for a choice
    /// that only answers the step (the branch, "yes").
    pub asserts: Option<String>,
}

fn data() -> &'static WizardFile {
    static DATA: OnceLock<WizardFile> = OnceLock::new();
    DATA.get_or_init(|| {
        serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/wizard.json"))).expect("wizard.toml is valid")
    })
}

/// A step of the walk, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    pub kind: StepKind,
    pub title: String,
    pub status: StepStatus,
    /// The findings that answer it (answered steps), each with its evidence lines; or the
    /// person's answer.
    pub answers: Vec<Answer>,
    /// Answered by the person's choice, not by pasted evidence.
    pub by_you: bool,
    pub question: String,
    pub choices: Vec<Choice>,
    /// The command whose output answers the step, with the instance and region filled in.
    pub command: Option<Command>,
}

/// What answered a step: a finding's title and the lines that prove it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub title: String,
    pub evidence: Vec<EvidenceLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    Answered,
    /// The first step nothing answers: ask the person.
    Ask,
    /// After the first unanswered step.
    Later,
    /// Unanswered, and not needed to go on (the instance's id: commands keep a placeholder).
    Optional,
}

fn matches(pattern: &str, reference: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => reference.starts_with(prefix),
        None => pattern == reference,
    }
}

/// The branch the findings point to (patch, association, inventory, custom), if any: a custom
/// type first (nothing else changes it), then patch, then inventory, then association.
pub fn detected_branch(report: &Report, node: Option<&str>) -> Option<&'static str> {
    let branches: Vec<Branch> = report
        .findings
        .iter()
        .filter(|f| (f.node.as_deref() == node || f.node.is_none()) && f.role != Role::Note)
        .map(|f| f.branch)
        .collect();
    let has = |b: Branch| branches.contains(&b);
    if has(Branch::Custom) {
        Some("custom")
    } else if has(Branch::Patch) {
        Some("patch")
    } else if has(Branch::Inventory) {
        Some("inventory")
    } else if has(Branch::Association) {
        Some("association")
    } else {
        None
    }
}

/// The branch of the decision tree a proven cause belongs to, for its check after the fix.
fn cause_branch(report: &Report, node: Option<&str>) -> Option<&'static str> {
    let cause =
        report.findings.iter().find(|f| (f.node.as_deref() == node || f.node.is_none()) && f.role == Role::Cause)?;
    Some(match cause.branch {
        Branch::Patch => "patch",
        Branch::Association => "association",
        Branch::Inventory => "inventory",
        Branch::Custom => "custom",
        Branch::Node => "node",
    })
}

/// `{instance}` filled in with the id; without one, the JSON member that holds it is left out
/// (`"InstanceId": "{instance}", ` and the like), never a guessed id.
fn fill_instance(template: &str, instance: Option<&str>) -> String {
    const SLOT: &str = "\"{instance}\"";
    if let Some(id) = instance {
        return template.replace("{instance}", id);
    }
    let mut out = template.to_string();
    while let Some(at) = out.find(SLOT) {
        // Back to the key's opening quote: `"Key": "{instance}"`.
        let before = &out[..at];
        let colon = before.trim_end().strip_suffix(':').map_or(at, str::len);
        let key_start = out[..colon].trim_end().rfind('"').and_then(|close| out[..close].rfind('"')).unwrap_or(colon);
        let mut start = key_start;
        let mut end = at + SLOT.len();
        let rest = &out[end..];
        let skipped = rest.len() - rest.trim_start().len();
        if out[end + skipped..].starts_with(',') {
            // A member before others: it goes with the comma after it.
            end += skipped + 1;
            end += out[end..].len() - out[end..].trim_start().len();
        } else if let Some(comma) = out[..start].trim_end().strip_suffix(',').map(str::len) {
            // The last member: it goes with the comma before it.
            start = comma;
        }
        out.replace_range(start..end, "");
    }
    out
}

/// The walk for `node`. `answers` holds the person's choices by step id (N1's is the branch).
pub fn steps(
    report: &Report,
    node: Option<&str>,
    answers: &BTreeMap<String, String>,
    slots: &Slots,
    lang: Lang,
) -> Vec<Step> {
    let chosen = answers.get(BRANCH_STEP).map(String::as_str);
    let branch = detected_branch(report, node).or(match chosen {
        Some(b @ ("patch" | "association" | "inventory" | "custom" | "detector")) => Some(b),
        _ => None,
    });
    let findings: Vec<_> = report.findings.iter().filter(|f| f.node.as_deref() == node || f.node.is_none()).collect();
    let instance = slots.instance.as_ref().map(|i| i.as_str());
    let proven = cause_branch(report, node);
    // Without a known node, an EC2 instance is the likelier (and the commands say i-).
    let kind = node.and_then(InstanceId::parse).map_or(NodeKind::Ec2, |id| NodeKind::of(&id));
    let mut out = Vec::new();
    let mut asked = false;
    for def in &data().step {
        if def.branch.as_deref().is_some_and(|b| Some(b) != branch) {
            continue;
        }
        if !def.only_if.is_empty() && !findings.iter().any(|f| def.only_if.iter().any(|p| matches(p, &f.reference))) {
            continue;
        }
        if findings.iter().any(|f| def.unless.iter().any(|p| matches(p, &f.reference))) {
            continue;
        }
        if def.node.is_some_and(|wanted| wanted != kind) {
            continue;
        }
        let plain = |title: &str| Answer { title: title.to_string(), evidence: Vec::new() };
        let picked = answers.get(&def.id).and_then(|v| def.choices.iter().find(|c| &c.value == v));
        let mut by_you = false;
        let found: Vec<Answer> = match def.kind {
            // N0 is answered by knowing the instance (the region is then a setting).
            StepKind::Identify => node.map(|n| vec![plain(n)]).unwrap_or_default(),
            _ => findings
                .iter()
                .filter(|f| def.answered_by.iter().any(|p| matches(p, &f.reference)))
                .map(|f| Answer { title: f.title.clone(), evidence: f.evidence.iter().take(3).cloned().collect() })
                .collect(),
        };
        // The person's answer stands where no evidence does (N1 "patch", P0 "yes").
        let found = if found.is_empty() {
            match picked {
                // N1's choice stands unless the evidence names another branch.
                Some(choice)
                    if def.kind != StepKind::Branch
                        || detected_branch(report, node).is_none_or(|b| Some(b) == chosen) =>
                {
                    by_you = true;
                    vec![plain(choice.label.get(lang))]
                }
                _ => found,
            }
        } else {
            found
        };
        let status = if !found.is_empty() {
            StepStatus::Answered
        } else if proven.is_some() && !def.refines && (!def.optional || def.branch.is_some()) {
            // A cause is proven: this step's answer could not change it (the instance and
            // region, optional and of no branch, still fill the commands).
            continue;
        } else if def.optional {
            StepStatus::Optional
        } else if !asked {
            asked = true;
            StepStatus::Ask
        } else {
            StepStatus::Later
        };
        out.push(Step {
            id: def.id.clone(),
            kind: def.kind,
            title: def.title.get(lang).to_string(),
            status,
            answers: found,
            by_you,
            question: def.question.get(lang).to_string(),
            choices: def
                .choices
                .iter()
                .map(|c| Choice {
                    value: c.value.clone(),
                    label: c.label.get(lang).to_string(),
                    asserts: c.asserts.as_deref().map(|t| fill_instance(t, instance)),
                })
                .collect(),
            command: Some(render(def.command_for(slots.platform), slots, lang)),
        });
    }
    // With a cause proven, the last step is the check after the fix.
    if let Some(verify) = proven.and_then(|b| data().verify.iter().find(|v| v.branch == b)) {
        out.push(Step {
            id: "V".to_string(),
            kind: StepKind::Verify,
            title: verify.title.get(lang).to_string(),
            status: if asked { StepStatus::Later } else { StepStatus::Ask },
            answers: Vec::new(),
            by_you: false,
            question: verify.question.get(lang).to_string(),
            choices: Vec::new(),
            command: Some(render(verify.command, slots, lang)),
        });
    }
    out
}

/// The walk the page shows for a report: about its first node, with the commands naming that
/// node and the region typed in (else the one the inputs name). It reads the report's findings,
/// its first node and its region, nothing else (the worker walks a fleet's with just those).
pub fn walk(report: &Report, answers: &BTreeMap<String, String>, settings: &Settings, lang: Lang) -> Vec<Step> {
    // The inputs' first node, else the instance typed in.
    let node = report.nodes.first().map(|n| n.node.as_str()).or(settings.instance.as_ref().map(InstanceId::as_str));
    let mut slots = Slots {
        instance: node.and_then(InstanceId::parse),
        platform: report.nodes.first().and_then(|n| n.platform),
        region: settings.region.clone().or_else(|| report.region.as_deref().and_then(Region::parse)),
        ..Slots::default()
    };
    slots.set_profile(settings.profile.clone());
    steps(report, node, answers, &slots, lang)
}

impl Step {
    /// Its texts with the identifying values replaced (see [`crate::redact`]).
    pub fn redact(&mut self, pass: &mut Pass) {
        for answer in &mut self.answers {
            pass.apply(&mut answer.title);
            answer.evidence.iter_mut().for_each(|e| e.redact(pass));
        }
        for choice in &mut self.choices {
            if let Some(asserts) = &mut choice.asserts {
                pass.apply(asserts);
            }
        }
        if let Some(command) = &mut self.command {
            command.redact(pass);
        }
    }
}

/// The decision path as a Markdown section for a report: each step answered so far, by the
/// inputs (what answered it) or by the person (their choice), then the question to answer next.
pub fn path_markdown(walk: &[Step], lang: Lang) -> String {
    let (heading, by_inputs, by_you, next) = match lang {
        Lang::En => ("Decision path", " (answered by the inputs): ", " (your answer): ", " (next): "),
        Lang::ZhCn => ("决策路径", "（由输入回答）：", "（您的回答）：", "（下一步）："),
    };
    let and = if lang == Lang::ZhCn { "；" } else { "; " };
    let mut out = format!("\n## {heading}\n\n");
    let mut n = 0;
    for step in walk {
        match step.status {
            StepStatus::Answered => {
                n += 1;
                let how = if step.by_you { by_you } else { by_inputs };
                let titles: Vec<&str> = step.answers.iter().map(|a| a.title.as_str()).collect();
                out.push_str(&format!("{n}. **{}**{how}{}\n", step.title, titles.join(and)));
            }
            StepStatus::Ask => {
                n += 1;
                out.push_str(&format!("{n}. **{}**{next}{}\n", step.title, step.question));
                if let Some(command) = &step.command {
                    out.push_str(&format!("\n   ```\n   {}\n   ```\n", command.text.replace('\n', "\n   ")));
                }
            }
            StepStatus::Later | StepStatus::Optional => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{diagnose, Source};

    fn report(text: &str) -> Report {
        diagnose(&[Source { name: "x", bytes: text.as_bytes() }], Lang::En)
    }

    const NODE: &str = "i-0123456789abcdef0";

    fn slots(node: Option<&str>) -> Slots {
        Slots { instance: node.and_then(crate::ids::InstanceId::parse), ..Slots::default() }
    }

    fn ids(walk: &[Step]) -> Vec<(&str, StepStatus)> {
        walk.iter().map(|s| (s.id.as_str(), s.status)).collect()
    }

    #[test]
    fn a_proven_cause_asks_nothing_that_could_not_change_it_and_ends_with_the_check_after_the_fix() {
        let r = report(
            r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "InstalledPendingRebootCount": 2, "Operation": "Install", "RebootOption": "NoReboot"}]}"#,
        );
        let walk = steps(&r, Some(NODE), &BTreeMap::new(), &slots(Some(NODE)), Lang::En);
        // M0 (managed and online?) would not change "waiting for a reboot": not asked.
        assert_eq!(
            ids(&walk),
            [
                ("N0", StepStatus::Answered),
                ("N1", StepStatus::Answered),
                ("P0", StepStatus::Answered),
                ("P2", StepStatus::Answered),
                ("V", StepStatus::Ask)
            ]
        );
        let verify = walk.last().unwrap();
        assert!(verify.command.as_ref().unwrap().text.contains("Operation=Scan --instance-ids i-0123456789abcdef0"));
        let p2 = walk[3].answers.iter().find(|a| a.title.contains("wait for a reboot")).expect("P4 answers P2");
        // A one-line paste: the cited line is the document, and it holds the count.
        assert!(p2.evidence[0].text.contains("\"InstalledPendingRebootCount\": 2"), "{:?}", p2.evidence);
        assert!(!walk[3].by_you);
    }

    #[test]
    fn failed_patches_still_ask_why_they_failed() {
        let r = report(
            r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "FailedCount": 2, "Operation": "Install"}]}"#,
        );
        let walk = steps(&r, Some(NODE), &BTreeMap::new(), &slots(Some(NODE)), Lang::En);
        let p3 = walk.iter().find(|s| s.id == "P3").expect("the run's output can refine the cause");
        assert_eq!(p3.status, StepStatus::Ask);
        assert_eq!(walk.last().unwrap().status, StepStatus::Later, "the check after the fix comes after");
    }

    #[test]
    fn without_evidence_the_person_chooses_the_branch_and_the_instance_is_optional() {
        let empty = report("");
        let walk = steps(&empty, None, &BTreeMap::new(), &slots(None), Lang::En);
        assert_eq!(ids(&walk)[..3], [("N0", StepStatus::Optional), ("N1", StepStatus::Ask), ("M0", StepStatus::Later)]);
        let n1 = &walk[1];
        let values: Vec<&str> = n1.choices.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["detector", "patch", "association", "inventory", "custom"]);
        assert!(n1.choices.iter().all(|c| c.asserts.is_none()), "N1 choices only pick the branch");
        let answers = BTreeMap::from([("N1".to_string(), "association".to_string())]);
        let chosen = steps(&empty, None, &answers, &slots(None), Lang::En);
        let ids: Vec<&str> = chosen.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["N0", "N1", "M0", "AS0", "AS2"]);
        assert!(chosen[1].by_you && chosen[1].status == StepStatus::Answered);
        assert_eq!(chosen[2].status, StepStatus::Ask);
    }

    /// Answering alone reaches the cause of each main branch, with the branch's commands: the
    /// asserted outputs are diagnosed like pastes.
    #[test]
    fn answering_alone_reaches_a_cause_on_each_main_branch() {
        for (branch, step, value, cause) in [
            ("patch", "P2", "pending-reboot", "P4"),
            ("patch", "P2", "missing", "P6"),
            ("patch", "P0", "empty", "P0"),
            ("association", "AS0", "failed", "AS2"),
            ("inventory", "INV0", "multiple", "I1"),
            ("custom", "CU0", "custom-item", "CU0"),
        ] {
            let answers = BTreeMap::from([("N1".to_string(), branch.to_string())]);
            let walk = steps(&report(""), None, &answers, &slots(None), Lang::En);
            let asking = walk.iter().find(|s| s.id == step).unwrap_or_else(|| panic!("{branch}: no {step}"));
            let asserted = asking.choices.iter().find(|c| c.value == value).and_then(|c| c.asserts.clone()).unwrap();
            assert!(!asserted.contains("{instance}") && !asserted.contains("InstanceId\": \"\""), "{asserted}");
            let answered = diagnose(&[Source { name: "your answer", bytes: asserted.as_bytes() }], Lang::En);
            let found = answered.findings.iter().find(|f| f.role == Role::Cause).map(|f| f.reference.as_str());
            assert_eq!(
                found,
                Some(cause),
                "{branch}/{value}: {:?}",
                answered.findings.iter().map(|f| &f.reference).collect::<Vec<_>>()
            );
            let mut answers = answers.clone();
            answers.insert(step.to_string(), value.to_string());
            let walk = steps(&answered, None, &answers, &slots(None), Lang::En);
            assert_eq!(walk.last().unwrap().id, "V", "{branch}: ends with the check after the fix");
            // What the person said stays on the path, marked as theirs.
            let n1 = walk.iter().find(|s| s.id == "N1").unwrap_or_else(|| panic!("{branch}/{value}: N1 dropped"));
            assert_eq!(n1.status, StepStatus::Answered, "{branch}/{value}");
        }
        // The node gate: a lost connection is G3, about the instance named when there is one.
        let walk = steps(&report(""), Some(NODE), &BTreeMap::new(), &slots(Some(NODE)), Lang::En);
        let lost =
            walk.iter().find(|s| s.id == "M0").unwrap().choices.iter().find(|c| c.value == "connection-lost").unwrap();
        let asserted = lost.asserts.clone().unwrap();
        assert!(asserted.contains("\"InstanceId\": \"i-0123456789abcdef0\""));
        let answered = diagnose(&[Source { name: "you", bytes: asserted.as_bytes() }], Lang::En);
        assert!(answered.findings.iter().any(|f| f.reference == "G3" && f.node.as_deref() == Some(NODE)));
    }

    /// A node that is not Online leads through what Systems Manager's diagnosis of unmanaged
    /// nodes checks: the instance in EC2, the network path, the agent log, the console; a hybrid
    /// node through its registration instead of EC2's.
    #[test]
    fn an_unreachable_node_is_walked_through_the_unmanaged_node_checks() {
        let lost = |id: &str| {
            format!(r#"{{"InstanceInformationList": [{{"InstanceId": "{id}", "PingStatus": "ConnectionLost"}}]}}"#)
        };
        let walk = steps(&report(&lost(NODE)), Some(NODE), &BTreeMap::new(), &slots(Some(NODE)), Lang::En);
        let path: Vec<_> = ids(&walk).into_iter().filter(|(id, _)| id.starts_with(['M', 'H', 'V'])).collect();
        assert_eq!(
            path,
            [
                ("M0", StepStatus::Answered),
                ("M1", StepStatus::Ask),
                ("M2", StepStatus::Later),
                ("M3", StepStatus::Later),
                ("M4", StepStatus::Optional),
                ("V", StepStatus::Later)
            ]
        );
        let m1 = walk.iter().find(|s| s.id == "M1").unwrap();
        assert_eq!(
            m1.command.as_ref().unwrap().text,
            "aws ec2 describe-instances --instance-ids i-0123456789abcdef0 --region '<region>'"
        );
        // describe-instances says the instance is stopped: that is the answer, its network is moot.
        let stopped = format!(
            "{}\n{}",
            lost(NODE),
            r#"{"Reservations": [{"Instances": [{"InstanceId": "i-0123456789abcdef0", "State": {"Name": "stopped"}}]}]}"#
        );
        let walk = steps(&report(&stopped), Some(NODE), &BTreeMap::new(), &slots(Some(NODE)), Lang::En);
        let path: Vec<_> = walk.iter().map(|s| s.id.as_str()).filter(|id| id.starts_with(['M', 'H'])).collect();
        assert_eq!(path, ["M0", "M1"]);
        assert_eq!(walk.iter().find(|s| s.id == "M1").unwrap().status, StepStatus::Answered);
        // A hybrid node: its registration, no EC2 step.
        const HYBRID: &str = "mi-0123456789abcdef0";
        let walk = steps(&report(&lost(HYBRID)), Some(HYBRID), &BTreeMap::new(), &slots(Some(HYBRID)), Lang::En);
        let path: Vec<_> = walk.iter().map(|s| s.id.as_str()).filter(|id| id.starts_with(['M', 'H'])).collect();
        assert_eq!(path, ["M0", "M2", "M3", "H1"]);
        // A Windows node gets the Windows commands on the node.
        let windows = Slots { platform: Some(Platform::Windows), ..slots(Some(NODE)) };
        let walk = steps(&report(&lost(NODE)), Some(NODE), &BTreeMap::new(), &windows, Lang::En);
        let m2 = walk.iter().find(|s| s.id == "M2").unwrap().command.as_ref().unwrap();
        assert!(m2.text.contains("ssm-cli.exe"), "{}", m2.text);
        let m3 = walk.iter().find(|s| s.id == "M3").unwrap().command.as_ref().unwrap();
        assert!(m3.text.contains("ProgramData"), "{}", m3.text);
        // An Online node is not walked through any of it.
        let online = r#"{"InstanceInformationList": [{"InstanceId": "i-0123456789abcdef0", "PingStatus": "Online", "AgentVersion": "3.3.1000.0", "IsLatestVersion": true}]}"#;
        let walk = steps(&report(online), Some(NODE), &BTreeMap::new(), &slots(Some(NODE)), Lang::En);
        assert!(walk.iter().all(|s| !matches!(s.id.as_str(), "M1" | "M2" | "M3" | "M4" | "H1")));
    }

    /// Starting from a detector: the walk asks for the finding, and the finding leads to the
    /// branch its control is about.
    #[test]
    fn a_detector_finding_is_a_first_choice_and_leads_to_its_branch() {
        let answers = BTreeMap::from([("N1".to_string(), "detector".to_string())]);
        let walk = steps(&report(""), None, &answers, &slots(None), Lang::En);
        let d0 = walk.iter().find(|s| s.id == "D0").expect("D0 asks for the finding");
        assert_eq!(d0.status, StepStatus::Ask);
        assert!(d0.command.as_ref().unwrap().text.starts_with("aws securityhub get-findings"));
        let finding = r#"{"Findings": [{"SchemaVersion": "2018-10-08", "ProductArn": "arn:aws:securityhub:eu-west-1::product/aws/securityhub", "AwsAccountId": "123456789012", "Resources": [{"Type": "AwsEc2Instance", "Id": "arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0"}], "Compliance": {"Status": "FAILED", "SecurityControlId": "SSM.2"}}]}"#;
        let walk = steps(&report(finding), Some(NODE), &answers, &slots(Some(NODE)), Lang::En);
        let n1 = walk.iter().find(|s| s.id == "N1").unwrap();
        assert_eq!(n1.status, StepStatus::Answered);
        assert!(n1.answers[0].title.contains("SSM.2"), "{:?}", n1.answers);
        // The patch branch, after the managed-node gate; no more asking for the finding.
        assert!(walk.iter().any(|s| s.id == "P0"), "{:?}", ids(&walk));
        assert!(walk.iter().all(|s| s.id != "D0"), "{:?}", ids(&walk));
    }

    #[test]
    fn an_unknown_instance_leaves_its_member_out() {
        let t =
            r#"{"L": [{"InstanceId": "{instance}", "MissingCount": 1}], "R": [{"A": 1, "ResourceId": "{instance}"}]}"#;
        assert_eq!(fill_instance(t, None), r#"{"L": [{"MissingCount": 1}], "R": [{"A": 1}]}"#);
        assert!(fill_instance(t, Some(NODE)).contains("\"ResourceId\": \"i-0123456789abcdef0\""));
    }

    #[test]
    fn the_branch_step_is_the_one_step_of_kind_branch() {
        let branches: Vec<&str> =
            data().step.iter().filter(|s| s.kind == StepKind::Branch).map(|s| s.id.as_str()).collect();
        assert_eq!(branches, [BRANCH_STEP]);
        assert_eq!(data().step.iter().filter(|s| s.kind == StepKind::Identify).count(), 1);
    }
}
