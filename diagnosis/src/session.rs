//! A working session, as the browser keeps it: inputs are read once, when they are added, and
//! kept; the diagnosis runs again only when the inputs change; a change of language or settings
//! only writes the report again.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::commands::Settings;
use crate::ingest::{self, Input, ReportKind};
use crate::knowledge::Lang;
use crate::report::{Diagnosis, FindingReport, Form, NodeTable, NodeVerdict, Report};

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
    /// The inputs: data in id order, then answers in id order.
    inputs: Vec<Input>,
    /// Beside each input, its id: the caller's (the page gives one per input, and the same one
    /// again when an input is replaced), so ids follow the order the person chose the inputs
    /// in, whatever order their bytes finish arriving in.
    ids: Vec<u32>,
    /// Beside each input, where it came from: data first, then answers.
    origins: Vec<Origin>,
    /// The person's answers by step: a finding resting on an answer quotes it in their words.
    answers: BTreeMap<String, String>,
    /// The diagnosis of the current inputs, made on the first report after they changed.
    diagnosis: OnceLock<Diagnosis>,
    /// Its nodes, for verdicts written when asked for.
    nodes: OnceLock<NodeTable>,
}

impl Session {
    /// The inputs with their ids, in order.
    pub fn inputs(&self) -> impl Iterator<Item = (u32, &Input)> {
        self.ids.iter().copied().zip(&self.inputs)
    }

    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// Reads `bytes` now and keeps the result under a new id (after every other), returned.
    pub fn add(&mut self, name: &str, bytes: Vec<u8>) -> u32 {
        let id = self.ids.iter().max().map_or(1, |max| max + 1);
        self.put(id, name, bytes, Origin::Data);
        id
    }

    /// Reads `bytes` now and keeps the result as input `id` of `origin`, replacing the input
    /// that had this id (a file dropped again, a changed answer).
    pub fn put(&mut self, id: u32, name: &str, bytes: Vec<u8>, origin: Origin) {
        self.keep(id, ingest::read_owned(name, bytes), origin);
    }

    /// Like [`Session::put`], for bytes already proven UTF-8, as a text: read the same (with what
    /// was learned of it as it arrived).
    pub fn put_text(&mut self, id: u32, name: &str, text: String, origin: Origin, arrived: ingest::Arrived) {
        self.keep(id, ingest::read_text(name, text, arrived), origin);
    }

    /// Keeps input `id` that could not be read (its status says why).
    pub fn put_unreadable(&mut self, id: u32, name: &str, why: &str) {
        self.keep(id, Input::unreadable(name, why), Origin::Data);
    }

    fn keep(&mut self, id: u32, input: Input, origin: Origin) {
        self.remove(id);
        self.forget();
        // Data before answers, each in id order.
        let (from, to) = match origin {
            Origin::Data => (0, self.data()),
            Origin::Answer(_) => (self.data(), self.ids.len()),
        };
        let at = from + self.ids[from..to].iter().position(|i| *i > id).unwrap_or(to - from);
        self.inputs.insert(at, input);
        self.ids.insert(at, id);
        self.origins.insert(at, origin);
    }

    pub fn remove(&mut self, id: u32) {
        if let Some(at) = self.ids.iter().position(|i| *i == id) {
            self.inputs.remove(at);
            self.ids.remove(at);
            self.origins.remove(at);
            self.forget();
        }
    }

    pub fn clear(&mut self) {
        self.inputs.clear();
        self.ids.clear();
        self.origins.clear();
        self.forget();
    }

    /// Drops the diagnosis of inputs that changed.
    fn forget(&mut self) {
        self.diagnosis = OnceLock::new();
        self.nodes = OnceLock::new();
    }

    /// How many of the inputs (the first ones) are data, not answers.
    fn data(&self) -> usize {
        self.origins.partition_point(|o| *o == Origin::Data)
    }

    /// The inputs diagnosed: the data once any of it is recognised, else the data and the
    /// answers.
    fn diagnosed(&self) -> &[Input] {
        let data = &self.inputs[..self.data()];
        if data.iter().any(|i| i.kind() != ReportKind::Unrecognized) {
            data
        } else {
            &self.inputs
        }
    }

    /// The person's answers by step (the guided path's); whether they changed.
    pub fn set_answers(&mut self, answers: BTreeMap<String, String>) -> bool {
        let changed = self.answers != answers;
        self.answers = answers;
        changed
    }

    pub fn answers(&self) -> &BTreeMap<String, String> {
        &self.answers
    }

    /// Whether an answer is among the inputs diagnosed.
    pub fn diagnoses_answers(&self) -> bool {
        self.diagnosed().len() > self.data()
    }

    /// What each answer diagnosed now is quoted as: (its input's name, the person's words).
    fn answer_words(&self, lang: Lang) -> Vec<(&str, String)> {
        let data = self.data();
        let answers = &self.inputs[data..self.diagnosed().len()];
        answers
            .iter()
            .zip(&self.origins[data..])
            .filter_map(|(input, origin)| {
                let Origin::Answer(step) = origin else { return None };
                let words = crate::wizard::said(step, self.answers.get(step)?, lang)?;
                Some((input.name.as_str(), words))
            })
            .collect()
    }

    /// An answer is what the person told us: the lines that cite it quote their words, never
    /// the output the answer stands for.
    fn quote_answers(&self, findings: &mut [FindingReport], groups: &mut [crate::report::FindingGroup], lang: Lang) {
        let words = self.answer_words(lang);
        if words.is_empty() {
            return;
        }
        let lines =
            findings.iter_mut().flat_map(|f| &mut f.evidence).chain(groups.iter_mut().flat_map(|g| &mut g.evidence));
        for line in lines {
            if let Some((_, said)) = words.iter().find(|(name, _)| *name == line.input) {
                line.text = said.clone();
                line.line = None;
            }
        }
    }

    /// The ids of the inputs the report is of, in its order (data, or data and answers).
    pub fn diagnosed_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.ids[..self.diagnosed().len()].iter().copied()
    }

    /// The report in `lang` with `settings`. The diagnosis is made only when the inputs changed
    /// since the last report; `now` (seconds since the epoch) is the clock it is made with.
    pub fn report(&self, lang: Lang, settings: &Settings, now: Option<f64>) -> Report {
        let mut report = Report::build(self.diagnosed(), self.diagnosis(now), lang, settings);
        self.quote_answers(&mut report.findings, &mut report.groups, lang);
        report
    }

    /// The report as a page browses it: a fleet's without its node verdicts (`nodes` empty),
    /// which [`Session::verdicts`] writes for the nodes in view; a single node's whole.
    pub fn report_to_browse(&self, lang: Lang, settings: &Settings, now: Option<f64>) -> Report {
        let nodes = std::borrow::Cow::Borrowed(self.node_table(now));
        let assembled = Report::assemble_with(self.diagnosed(), self.diagnosis(now), lang, settings, nodes);
        let mut report = match assembled.report.form {
            Form::Fleet => assembled.report,
            Form::Single => assembled.into_report(),
        };
        self.quote_answers(&mut report.findings, &mut report.groups, lang);
        report
    }

    /// The nodes of the diagnosis, in the order of a report's `nodes`.
    pub fn node_table(&self, now: Option<f64>) -> &NodeTable {
        let diagnosis = self.diagnosis(now);
        self.nodes.get_or_init(|| NodeTable::of(diagnosis))
    }

    /// Node `i`'s id (of [`Session::node_table`]).
    pub fn node_id(&self, i: usize, now: Option<f64>) -> &str {
        self.node_table(now).node(i, self.diagnosis(now))
    }

    /// The verdicts of the nodes `nodes` (of [`Session::node_table`]) as a fleet report writes
    /// them.
    pub fn verdicts(
        &self,
        nodes: impl IntoIterator<Item = usize>,
        lang: Lang,
        settings: &Settings,
        now: Option<f64>,
    ) -> Vec<NodeVerdict> {
        self.node_table(now).verdicts(nodes, self.diagnosed(), self.diagnosis(now), lang, settings)
    }

    /// Makes the diagnosis of the current inputs now, if they changed, so that the reports
    /// written from it say what the inputs are. An input whose JSON document was presumed
    /// strict (`ingest::Arrived::presume_strict`: a large text in the page's worker) and is not
    /// is read again with nothing presumed, its parts, messages and status then those of the
    /// tolerant reader, and everything is diagnosed again. Call it after the inputs change,
    /// before the first report of them.
    pub fn diagnose(&mut self, now: Option<f64>) {
        if !self.diagnosed().iter().any(Input::is_presumed) {
            return;
        }
        let unproven = self.diagnosis(now).unproven.clone();
        for &at in &unproven {
            self.inputs[at].read_again_unpresumed();
        }
        if !unproven.is_empty() {
            self.forget();
        }
    }

    /// The diagnosis of the current inputs, made now if they changed; `now` (seconds since the
    /// epoch) is the clock it is made with.
    fn diagnosis(&self, now: Option<f64>) -> &Diagnosis {
        self.diagnosis.get_or_init(|| Diagnosis::of(self.diagnosed(), now))
    }

    /// The findings of one node in full (a fleet report carries them compact).
    pub fn findings_of(&self, node: &str, lang: Lang, settings: &Settings, now: Option<f64>) -> Vec<FindingReport> {
        let mut findings = Report::findings_of(self.diagnosed(), self.diagnosis(now), node, lang, settings);
        self.quote_answers(&mut findings, &mut [], lang);
        findings
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

    /// A fleet browsed node by node reads what the whole report says: the same nodes in the
    /// same order, the same causes, and each verdict (asked for in any order, in either
    /// language, with a region typed or not) the one the report writes; the report browsed is
    /// the whole one without its verdicts.
    #[test]
    fn a_fleet_browsed_node_by_node_reads_the_verdicts_of_the_whole_report() {
        let mut session = Session::default();
        for kind in ["instance-patch-states", "compliance-items", "instance-information"] {
            let export = crate::generate::generate(kind, 300, 7).expect("a generated export");
            session.add(&format!("{kind}.json"), export.into_bytes());
        }
        let now = Some(1_796_083_200.0);
        let region = Settings { region: crate::ids::Region::parse("eu-west-3"), ..Settings::default() };
        for (lang, settings) in [(Lang::En, Settings::default()), (Lang::ZhCn, region)] {
            let whole = session.report(lang, &settings, now);
            assert_eq!(whole.form, Form::Fleet);
            let table = session.node_table(now);
            assert_eq!(table.len(), whole.nodes.len());
            assert!(whole.nodes.iter().any(|n| n.causes == 0) && whole.nodes.iter().any(|n| n.causes > 1));
            let backwards: Vec<usize> = (0..table.len()).rev().collect();
            let mut verdicts = session.verdicts(backwards, lang, &settings, now);
            verdicts.reverse();
            for (i, (browsed, written)) in verdicts.iter().zip(&whole.nodes).enumerate() {
                assert_eq!(browsed, written);
                assert_eq!(session.node_id(i, now), written.node);
                assert_eq!(table.causes(i), written.causes);
            }
            let browsed = session.report_to_browse(lang, &settings, now);
            assert!(browsed.nodes.is_empty());
            assert_eq!(Report { nodes: whole.nodes.clone(), ..browsed }, whole);
        }
        // A single node's report is browsed whole.
        let mut one = Session::default();
        one.add("states.json", STATES.as_bytes().to_vec());
        assert_eq!(
            one.report_to_browse(Lang::En, &Settings::default(), None),
            one.report(Lang::En, &Settings::default(), None)
        );
    }

    /// A text whose JSON is presumed strict (a large text in the page's worker) gives the
    /// report it gives when its JSON is proven first: every fixture and corpus file, and the
    /// near-misses that are not one strict document to their last bracket, which are read
    /// again as if nothing had been presumed (the tolerant reader's repairs said, a document
    /// followed by another, or by a log line that ends in a brace).
    #[test]
    fn a_text_presumed_strict_reads_as_one_proven_first() {
        let states = include_str!("../../tests/fixtures/awscli-describe-instance-patch-states.json");
        let last = states.rfind(']').expect("a list");
        let near_misses = [
            format!("{},{}", &states[..last], &states[last..]),
            format!("{states}\n{states}"),
            format!("{states}\n2026-11-30 10:00:00 ERROR [worker] failed {{code=1}}\n"),
            states.replacen("\": \"", "\": \"\u{1}", 1),
            states.replacen("\"MissingCount\": 1", "\"MissingCount\": 01", 1),
            states.replacen("\"MissingCount\": 1", "\"MissingCount\": 1.", 1),
            states.replacen("\"InstanceId\": \"", "\"InstanceId\": \"\\u+123", 1),
            "{\"Unknown\": [1, 2,]}".to_string(),
            "{\"Unknown\": [1, 2]}\n{\"Other\": 3}".to_string(),
        ];
        let now = Some(1_796_083_200.0);
        let report = |text: &str, presume_strict: bool| {
            let mut session = Session::default();
            let arrived = ingest::Arrived { presume_strict, ..ingest::Arrived::default() };
            session.put_text(1, "t.json", text.to_string(), Origin::Data, arrived);
            let presumed = session.inputs[0].is_presumed();
            session.diagnose(now);
            assert!(!session.inputs[0].is_presumed() || session.diagnosis(now).unproven.is_empty());
            (presumed, session.inputs[0].is_presumed(), session.report(Lang::En, &Settings::default(), now).to_json())
        };
        let mut proven = 0;
        for text in crate::test_texts().iter().chain(&near_misses) {
            let (presumed, still, with) = report(text, true);
            let (_, _, without) = report(text, false);
            assert_eq!(with, without, "{}", &text[..text.len().min(300)]);
            proven += usize::from(presumed && still);
            // Every near-miss was presumed, and found not to be one strict document.
            if near_misses.contains(text) {
                assert!(presumed && !still, "{text}");
            }
        }
        // The strict fixtures were proven by being read.
        assert!(proven >= 15, "{proven} presumed and proven");
    }

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
        session.put(1, "your answer (P2)", answered.as_bytes().to_vec(), Origin::Answer("P2".into()));
        assert!(refs(&session).contains(&"P6".to_string()), "{:?}", refs(&session));
        // Text nothing recognises does not replace it.
        session.put(2, "paste 1", b"hello".to_vec(), Origin::Data);
        assert!(refs(&session).contains(&"P6".to_string()));
        assert_eq!(names(&session), ["paste 1", "your answer (P2)"], "data first");
        // The finding quotes what the person said, never the output the answer stands for.
        session.set_answers(BTreeMap::from([("P2".to_string(), "missing".to_string())]));
        let quoted = session.report(Lang::En, &Settings::default(), None);
        let p6 = quoted.findings.iter().find(|f| f.reference == "P6").unwrap();
        assert!(
            p6.evidence.iter().all(|e| e.text.starts_with("You answered “") && e.line.is_none()),
            "{:?}",
            p6.evidence
        );
        // Real data does: its cause alone, no comparison with what was said, the answer unlisted.
        session.put(3, "states.json", failed.as_bytes().to_vec(), Origin::Data);
        let found = refs(&session);
        assert!(found.contains(&"P3".to_string()) && !found.contains(&"P6".to_string()), "{found:?}");
        let report = session.report(Lang::En, &Settings::default(), None);
        assert!(report.findings.iter().all(|f| f.code != crate::knowledge::Code::CompetingScanners));
        assert_eq!(names(&session), ["paste 1", "states.json"]);
        // Taking the data back brings the answer back.
        session.remove(3);
        assert!(refs(&session).contains(&"P6".to_string()));
    }

    #[test]
    fn an_input_put_again_under_its_id_replaces_the_old_one_in_its_place() {
        let mut session = Session::default();
        session.put(1, "a.log", b"one".to_vec(), Origin::Data);
        session.put(2, "b.log", b"b".to_vec(), Origin::Data);
        session.put(1, "a.log", b"two".to_vec(), Origin::Data);
        let listed: Vec<(u32, &str)> = session.inputs().map(|(id, i)| (id, i.text.as_str())).collect();
        assert_eq!(listed, [(1, "two"), (2, "b")]);
        // An answer that becomes data (or back) moves to its part of the list.
        session.put(1, "a.log", b"said".to_vec(), Origin::Answer("P2".into()));
        assert_eq!(session.inputs().map(|(id, _)| id).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(session.data(), 1);
    }

    #[test]
    fn files_chosen_together_are_listed_in_the_order_chosen_whatever_order_they_arrive_in() {
        let mut session = Session::default();
        session.put(3, "third.log", b"c".to_vec(), Origin::Data);
        session.put(1, "first.log", b"a".to_vec(), Origin::Data);
        session.put(2, "second.log", b"b".to_vec(), Origin::Data);
        session.add("pasted later", b"d".to_vec());
        let names: Vec<&str> = session.inputs().map(|(_, i)| i.name.as_str()).collect();
        assert_eq!(names, ["first.log", "second.log", "third.log", "pasted later"]);
    }
}
