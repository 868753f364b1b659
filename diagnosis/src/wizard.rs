//! The guided walk through the decision tree for one instance (data in knowledge/wizard.toml):
//! which steps the evidence already answers (with the findings that answer them) and, for the
//! first that it does not, the question, its choices, and the command whose output answers it.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::commands::{render, Command, Slots};
use crate::knowledge::{Branch, Lang, Template, Text};
use crate::report::{EvidenceLine, Report};

#[derive(Deserialize)]
struct WizardFile {
    step: Vec<StepDef>,
}

#[derive(Deserialize)]
struct StepDef {
    id: String,
    title: Text,
    question: Text,
    #[serde(default)]
    branch: Option<String>,
    answered_by: Vec<String>,
    command: Template,
    #[serde(default)]
    choices: Vec<ChoiceDef>,
    /// Shown only when a finding with one of these refs exists (P3: only after a failure).
    #[serde(default)]
    only_if: Vec<String>,
}

#[derive(Deserialize)]
struct ChoiceDef {
    value: String,
    label: Text,
    /// Evidence the choice states, as the output it stands for.
    #[serde(default)]
    asserts: Option<String>,
}

/// A possible answer to a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// The output this answer stands for (added to the inputs when chosen); None for a choice
    /// that only picks the branch.
    pub asserts: Option<String>,
}

fn steps_data() -> &'static [StepDef] {
    static DATA: OnceLock<WizardFile> = OnceLock::new();
    &DATA
        .get_or_init(|| {
            serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/wizard.json"))).expect("wizard.toml is valid")
        })
        .step
}

/// A step of the walk, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub status: StepStatus,
    /// The findings that answer it (answered steps), each with its evidence lines.
    pub answers: Vec<Answer>,
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
    /// The first step the evidence does not answer: ask the person.
    Ask,
    /// After the first unanswered step.
    Later,
}

fn matches(pattern: &str, reference: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => reference.starts_with(prefix),
        None => pattern == reference,
    }
}

/// The branch the findings point to (patch, association, custom), if any: a custom type first
/// (nothing else changes it), then patch, then association or inventory.
pub fn detected_branch(report: &Report, node: Option<&str>) -> Option<&'static str> {
    let branches: Vec<Branch> = report
        .findings
        .iter()
        .filter(|f| f.node.as_deref() == node && f.role != crate::Role::Note)
        .map(|f| f.branch)
        .collect();
    let has = |b: Branch| branches.contains(&b);
    if has(Branch::Custom) {
        Some("custom")
    } else if has(Branch::Patch) {
        Some("patch")
    } else if has(Branch::Association) || has(Branch::Inventory) {
        Some("association")
    } else {
        None
    }
}

/// The walk for `node`. `chosen` is the person's answer to N1 when the evidence has none.
pub fn steps(report: &Report, node: Option<&str>, chosen: Option<&str>, slots: &Slots, lang: Lang) -> Vec<Step> {
    let branch = detected_branch(report, node).or(match chosen {
        Some("patch") => Some("patch"),
        Some("association") => Some("association"),
        Some("custom") => Some("custom"),
        _ => None,
    });
    let findings: Vec<_> = report.findings.iter().filter(|f| f.node.as_deref() == node || f.node.is_none()).collect();
    let mut out = Vec::new();
    let mut asked = false;
    for def in steps_data() {
        if def.branch.as_deref().is_some_and(|b| Some(b) != branch) {
            continue;
        }
        if !def.only_if.is_empty() && !findings.iter().any(|f| def.only_if.iter().any(|p| matches(p, &f.reference))) {
            continue;
        }
        let plain = |title: &str| Answer { title: title.to_string(), evidence: Vec::new() };
        let answers: Vec<Answer> = match def.id.as_str() {
            // N0 is answered by knowing the instance (the region is then a setting).
            "N0" => node.map(|n| vec![plain(n)]).unwrap_or_default(),
            // A choice the person made answers N1 too.
            "N1" if branch.is_some() && detected_branch(report, node).is_none() => {
                vec![plain(chosen.unwrap_or_default())]
            }
            _ => findings
                .iter()
                .filter(|f| def.answered_by.iter().any(|p| matches(p, &f.reference)))
                .map(|f| Answer { title: f.title.clone(), evidence: f.evidence.iter().take(3).cloned().collect() })
                .collect(),
        };
        let status = if !answers.is_empty() {
            StepStatus::Answered
        } else if !asked {
            asked = true;
            StepStatus::Ask
        } else {
            StepStatus::Later
        };
        out.push(Step {
            id: def.id.clone(),
            title: def.title.get(lang).to_string(),
            status,
            answers,
            question: def.question.get(lang).to_string(),
            choices: def
                .choices
                .iter()
                .filter_map(|c| {
                    // An assertion names the instance: only with a valid id, never a guess.
                    let asserts = match &c.asserts {
                        Some(template) if template.contains("{instance}") => {
                            Some(template.replace("{instance}", slots.instance.as_ref()?.as_str()))
                        }
                        other => other.clone(),
                    };
                    Some(Choice { value: c.value.clone(), label: c.label.get(lang).to_string(), asserts })
                })
                .collect(),
            command: Some(render(def.command, slots, lang)),
        });
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

    #[test]
    fn patch_evidence_answers_the_patch_path_and_asks_the_first_gap() {
        let r = report(
            r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "InstalledPendingRebootCount": 2, "Operation": "Install", "RebootOption": "NoReboot"}]}"#,
        );
        let slots = Slots { instance: crate::ids::InstanceId::parse(NODE), ..Slots::default() };
        let walk = steps(&r, Some(NODE), None, &slots, Lang::En);
        let ids: Vec<(&str, StepStatus)> = walk.iter().map(|s| (s.id.as_str(), s.status)).collect();
        assert_eq!(
            ids,
            [
                ("N0", StepStatus::Answered),
                ("N1", StepStatus::Answered),
                ("M0", StepStatus::Ask),
                ("P0", StepStatus::Answered),
                ("P2", StepStatus::Answered)
            ]
        );
        let m0 = &walk[2];
        assert!(m0.command.as_ref().unwrap().text.contains("Values=i-0123456789abcdef0"));
        let p2 = walk[4].answers.iter().find(|a| a.title.contains("wait for a reboot")).expect("P4 answers P2");
        // A one-line paste: the cited line is the document, and it holds the count.
        assert!(p2.evidence[0].text.contains("\"InstalledPendingRebootCount\": 2"), "{:?}", p2.evidence);
        assert_eq!(p2.evidence[0].line, Some(1));
    }

    #[test]
    fn an_asserting_choice_is_output_that_answers_its_step() {
        let r = report(
            r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "MissingCount": 1, "Operation": "Scan"}]}"#,
        );
        let slots = Slots { instance: crate::ids::InstanceId::parse(NODE), ..Slots::default() };
        let walk = steps(&r, Some(NODE), None, &slots, Lang::En);
        let m0 = walk.iter().find(|s| s.id == "M0").unwrap();
        let lost = m0.choices.iter().find(|c| c.value == "connection-lost").unwrap();
        let asserted = lost.asserts.clone().unwrap();
        assert!(asserted.contains("\"InstanceId\": \"i-0123456789abcdef0\""));
        let both = diagnose(
            &[Source { name: "states", bytes: br#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "MissingCount": 1, "Operation": "Scan"}]}"# }, Source { name: "you", bytes: asserted.as_bytes() }],
            Lang::En,
        );
        let walk = steps(&both, Some(NODE), None, &slots, Lang::En);
        assert_eq!(walk.iter().find(|s| s.id == "M0").unwrap().status, StepStatus::Answered);
        assert!(both.findings.iter().any(|f| f.reference == "G3"));
        // Without a valid instance id, no choice asserts anything about "some" instance.
        let bad = Slots { instance: crate::ids::InstanceId::parse("i-123; x"), ..Slots::default() };
        let walk = steps(&r, Some(NODE), None, &bad, Lang::En);
        assert!(walk.iter().find(|s| s.id == "M0").unwrap().choices.iter().all(|c| !c
            .asserts
            .as_deref()
            .unwrap_or("")
            .contains("{instance}")));
    }

    #[test]
    fn without_evidence_of_the_type_the_person_chooses_the_branch() {
        let r = report(
            r#"{"InstanceInformationList": [{"InstanceId": "i-0123456789abcdef0", "PingStatus": "Online", "AgentVersion": "3.3.1000.0"}]}"#,
        );
        let slots = Slots { instance: crate::ids::InstanceId::parse(NODE), ..Slots::default() };
        let walk = steps(&r, Some(NODE), None, &slots, Lang::En);
        let n1 = walk.iter().find(|s| s.id == "N1").unwrap();
        assert_eq!(n1.status, StepStatus::Ask);
        assert_eq!(n1.choices.len(), 3);
        assert!(n1.choices.iter().all(|c| c.asserts.is_none()), "N1 choices only pick the branch");
        assert!(walk.iter().all(|s| s.id != "P0" && s.id != "AS0"), "no branch before the choice");
        let chosen = steps(&r, Some(NODE), Some("association"), &slots, Lang::En);
        let ids: Vec<&str> = chosen.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["N0", "N1", "M0", "AS0", "AS2"]);
        assert_eq!(chosen[1].status, StepStatus::Answered);
        assert_eq!(chosen[3].status, StepStatus::Ask);
    }
}
