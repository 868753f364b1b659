//! A working session, as the browser keeps it: inputs are read once, when they are added, and
//! kept; the diagnosis runs again only when the inputs change; a change of language or settings
//! only writes the report again.

use std::sync::OnceLock;

use crate::commands::Settings;
use crate::ingest::{self, Input, ReportKind};
use crate::knowledge::Lang;
use crate::report::{Diagnosis, FindingReport, Report};

/// Where an input comes from: data (a file, a paste, an example), or the person's answer to a
/// guided step, written as the output it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Origin {
    #[default]
    Data,
    Answer(String),
}

/// An answer is what the person told us, nothing more: it is diagnosed only while no data is
/// recognised (real data replaces it), and never beside data (it never enters a comparison
/// between sources, such as two patch scan sources for one node). Answers are kept after the
/// data, so the inputs diagnosed are always a prefix of the list.
#[derive(Debug, Default)]
pub struct Session {
    /// The inputs in the order added, and beside them the id each was given.
    inputs: Vec<Input>,
    ids: Vec<u32>,
    /// Where each input stands in the list: the order the person chose them in (the page's
    /// own ids), whatever order their bytes finished arriving in.
    keys: Vec<u64>,
    /// How many of the inputs (the first ones) are data, not answers.
    data: usize,
    next_id: u32,
    /// The diagnosis of the current inputs, made on the first report after they changed.
    diagnosis: OnceLock<Diagnosis>,
}

impl Session {
    /// The inputs with their ids, in the order added.
    pub fn inputs(&self) -> impl Iterator<Item = (u32, &Input)> {
        self.ids.iter().copied().zip(&self.inputs)
    }

    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// Reads `bytes` now and keeps the result; returns the input's id. An input with the same
    /// name replaces the earlier one (a re-exported log, a changed answer) and keeps its id.
    pub fn add(&mut self, name: &str, bytes: Vec<u8>) -> u32 {
        self.add_ordered(name, bytes, u64::MAX)
    }

    /// Like [`Session::add`], placed among the inputs by `key` (lower first; equal keys in the
    /// order added): several files chosen at once are listed in the order chosen, though they
    /// are read as each one arrives.
    pub fn add_ordered(&mut self, name: &str, bytes: Vec<u8>, key: u64) -> u32 {
        self.add_from(name, bytes, key, Origin::Data)
    }

    /// Like [`Session::add_ordered`], for an input of `origin`.
    pub fn add_from(&mut self, name: &str, bytes: Vec<u8>, key: u64, origin: Origin) -> u32 {
        let input = ingest::read_owned(name, bytes);
        self.diagnosis = OnceLock::new();
        let answer = origin != Origin::Data;
        if let Some(at) = self.inputs.iter().position(|i| i.name == name) {
            if (at >= self.data) == answer {
                self.inputs[at] = input;
                return self.ids[at];
            }
            self.remove(self.ids[at]);
        }
        // Data before answers, each in the order the page chose.
        let key = if answer { u64::MAX } else { key.min(u64::MAX - 1) };
        self.data += usize::from(!answer);
        self.keep(input, key)
    }

    /// Keeps an input that could not be read (its status says why).
    pub fn add_unreadable(&mut self, name: &str, why: &str) -> u32 {
        self.diagnosis = OnceLock::new();
        self.data += 1;
        self.keep(Input::unreadable(name, why), u64::MAX - 1)
    }

    fn keep(&mut self, input: Input, key: u64) -> u32 {
        self.next_id += 1;
        let at = self.keys.iter().position(|k| *k > key).unwrap_or(self.keys.len());
        self.inputs.insert(at, input);
        self.ids.insert(at, self.next_id);
        self.keys.insert(at, key);
        self.next_id
    }

    pub fn remove(&mut self, id: u32) {
        if let Some(at) = self.ids.iter().position(|i| *i == id) {
            self.data -= usize::from(at < self.data);
            self.inputs.remove(at);
            self.ids.remove(at);
            self.keys.remove(at);
            self.diagnosis = OnceLock::new();
        }
    }

    pub fn clear(&mut self) {
        self.inputs.clear();
        self.ids.clear();
        self.keys.clear();
        self.data = 0;
        self.diagnosis = OnceLock::new();
    }

    /// The inputs diagnosed: the data once any of it is recognised, else the data and the
    /// answers.
    fn diagnosed(&self) -> &[Input] {
        let data = &self.inputs[..self.data];
        if data.iter().any(|i| i.kind() != ReportKind::Unrecognized) {
            data
        } else {
            &self.inputs
        }
    }

    /// The report in `lang` with `settings`. The diagnosis is made only when the inputs changed
    /// since the last report; `now` (seconds since the epoch) is the clock it is made with.
    pub fn report(&self, lang: Lang, settings: &Settings, now: Option<f64>) -> Report {
        let inputs = self.diagnosed();
        let diagnosis = self.diagnosis.get_or_init(|| Diagnosis::of(inputs, now));
        Report::build(inputs, diagnosis, lang, settings)
    }

    /// The findings of one node in full (a fleet report carries them compact).
    pub fn findings_of(&self, node: &str, lang: Lang, settings: &Settings, now: Option<f64>) -> Vec<FindingReport> {
        let inputs = self.diagnosed();
        let diagnosis = self.diagnosis.get_or_init(|| Diagnosis::of(inputs, now));
        Report::findings_of(inputs, diagnosis, node, lang, settings)
    }

    /// Whether the current inputs were diagnosed already (a report would only re-render).
    pub fn is_diagnosed(&self) -> bool {
        self.diagnosis.get().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATES: &str =
        r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "MissingCount": 2, "Operation": "Scan"}]}"#;

    #[test]
    fn settings_and_language_re_render_without_a_new_diagnosis() {
        let mut session = Session::default();
        let id = session.add("states.json", STATES.as_bytes().to_vec());
        let en = session.report(Lang::En, &Settings::default(), None);
        assert!(en.findings.iter().any(|f| f.reference == "P6"));
        assert!(session.is_diagnosed());
        let made: *const Diagnosis = session.diagnosis.get().unwrap();
        let settings = Settings { region: crate::ids::Region::parse("eu-west-3"), ..Settings::default() };
        let zh = session.report(Lang::ZhCn, &settings, None);
        assert!(std::ptr::eq(made, session.diagnosis.get().unwrap()), "the same diagnosis, re-rendered");
        assert_ne!(en.findings[0].title, zh.findings[0].title);
        assert!(zh.findings.iter().flat_map(|f| &f.commands).any(|c| c.text.ends_with("--region eu-west-3")));
        session.remove(id);
        assert!(!session.is_diagnosed());
        assert!(session.report(Lang::En, &Settings::default(), None).findings.is_empty());
    }

    #[test]
    fn an_answer_is_diagnosed_only_while_no_data_is_recognised() {
        let answered = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "MissingCount": 1}]}"#;
        let failed = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "FailedCount": 2, "Operation": "Install"}]}"#;
        let refs = |s: &Session| -> Vec<String> {
            s.report(Lang::En, &Settings::default(), None).findings.iter().map(|f| f.reference.clone()).collect()
        };
        let names = |s: &Session| -> Vec<String> {
            s.report(Lang::En, &Settings::default(), None).inputs.iter().map(|i| i.name.clone()).collect()
        };
        let mut session = Session::default();
        session.add_from("your answer (P2)", answered.as_bytes().to_vec(), 1, Origin::Answer("P2".into()));
        assert!(refs(&session).contains(&"P6".to_string()), "{:?}", refs(&session));
        // Text nothing recognises does not replace it.
        session.add_from("paste 1", b"hello".to_vec(), 2, Origin::Data);
        assert!(refs(&session).contains(&"P6".to_string()));
        assert_eq!(names(&session), ["paste 1", "your answer (P2)"], "data first");
        // Real data does: its cause alone, no comparison with what was said, the answer unlisted.
        session.add_from("states.json", failed.as_bytes().to_vec(), 3, Origin::Data);
        let found = refs(&session);
        assert!(found.contains(&"P3".to_string()) && !found.contains(&"P6".to_string()), "{found:?}");
        let report = session.report(Lang::En, &Settings::default(), None);
        assert!(report.findings.iter().all(|f| f.code != crate::knowledge::Code::CompetingScanners));
        assert_eq!(names(&session), ["paste 1", "states.json"]);
        // Taking the data back brings the answer back.
        let id = session.inputs().find(|(_, i)| i.name == "states.json").map(|(id, _)| id).unwrap();
        session.remove(id);
        assert!(refs(&session).contains(&"P6".to_string()));
    }

    #[test]
    fn a_file_with_the_same_name_replaces_the_old_one() {
        let mut session = Session::default();
        let a = session.add("a.log", b"one".to_vec());
        let b = session.add("a.log", b"two".to_vec());
        assert_eq!((a, session.inputs().count()), (b, 1));
        assert_eq!(session.inputs().next().unwrap().1.text, "two");
    }

    #[test]
    fn files_chosen_together_are_listed_in_the_order_chosen_whatever_order_they_arrive_in() {
        let mut session = Session::default();
        session.add_ordered("third.log", b"c".to_vec(), 3);
        session.add_ordered("first.log", b"a".to_vec(), 1);
        session.add_ordered("second.log", b"b".to_vec(), 2);
        session.add("pasted later", b"d".to_vec());
        let names: Vec<&str> = session.inputs().map(|(_, i)| i.name.as_str()).collect();
        assert_eq!(names, ["first.log", "second.log", "third.log", "pasted later"]);
    }
}
