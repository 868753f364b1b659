//! What the worker does with each request: a [`Session`] of inputs, the report of the current
//! view, and the pages of a fleet's node table. Pure Rust, tested natively; `main.rs` only
//! carries messages between it and the page.

use diagnosis::commands::Settings;
use diagnosis::export::Export;
use diagnosis::ingest::Arrived;
use diagnosis::knowledge::{Code, Knowledge, Lang};
use diagnosis::redact::{Category, Redactor};
use diagnosis::report::{Form, NodeVerdict, Report};
use diagnosis::session::Origin;
use diagnosis::wizard::{walk, Step};
use diagnosis::Session;
use std::borrow::Cow;

use crate::arriving::{Arriving, Received};

use rustc_hash::FxHashMap;

use crate::protocol::{
    ExportView, NodeSort, ReportView, Request, Response, Seq, Stage, GROUP_NODES_SENT, NODE_PAGE_ROWS,
};

/// In the crash-test build, an input holding this makes the engine panic.
#[cfg(feature = "crash-test")]
const CRASH_MARKER: &[u8] = b"SSM-DOCTOR-CRASH-TEST";

#[derive(Default)]
pub struct Engine {
    /// The inputs, under the page's ids.
    session: Session,
    /// Inputs still arriving in slices.
    incoming: FxHashMap<u32, Arriving>,
    lang: Lang,
    settings: Settings,
    now: Option<f64>,
    /// The report of the current inputs and view: a fleet's without its node verdicts, written
    /// for the rows the page asks for ([`Session::verdicts`]).
    report: Option<Report>,
    /// A fleet's node verdicts, all written: only once a filter reads their texts.
    verdicts: Option<Vec<NodeVerdict>>,
    /// The node table's last order: (filter, sort) → indices into the report's nodes.
    order: Option<(String, NodeSort, Vec<u32>)>,
    /// What the guided path is about: a node opened from a fleet's table (the person's answers
    /// are the session's).
    guide_node: Option<String>,
    /// The session's pseudonyms: a value keeps its pseudonym in every export, and a reply
    /// written with them can be restored. Never leaves the worker.
    redactor: Redactor,
}

/// How many nodes each warm-up export has: past the fleet threshold, so the fleet's code runs too.
const WARM_UP_NODES: usize = 60;
/// How many lines the warm-up log has (about 200 KB): enough for the browser to optimise the
/// line splitting, literal search and regex scans a pasted log runs through.
const WARM_UP_LOG_LINES: usize = 2_000;
/// About how long the log of every signature's samples is made, repeated (about 200 KB, like
/// the agent log): a rule's code runs long enough to be optimised, not only compiled.
const WARM_UP_SAMPLES_BYTES: usize = 200_000;

/// The warm-up's inputs, named as a person's files would be: a small generated export of each
/// kind the generator knows, a generated agent log, and the samples of every log signature.
fn warm_up_inputs() -> impl Iterator<Item = (String, String)> {
    let exports = diagnosis::generate::KINDS.iter().map(|kind| (format!("{kind}.json"), kind, WARM_UP_NODES));
    let logs = diagnosis::generate::LOG_KINDS.iter().map(|kind| (format!("{kind}.log"), kind, WARM_UP_LOG_LINES));
    // Made when its turn comes, as the generated inputs are: not before the worker says it is
    // ready.
    let samples = std::iter::once_with(|| {
        let samples = diagnosis::knowledge::SAMPLE_LOG;
        ("signature-samples.log".to_string(), samples.repeat(WARM_UP_SAMPLES_BYTES.div_ceil(samples.len().max(1))))
    });
    exports
        .chain(logs)
        .filter_map(|(name, kind, size)| Some((name, diagnosis::generate::generate(kind, size, 1).ok()?)))
        .chain(samples)
}

/// A throwaway engine given [`warm_up_inputs`] one at a time, as the page would send them. The
/// browser compiles the engine's wasm function by function on first call and optimises what
/// runs hot; done while the page idles, a person's first input does not pay for it (a 1 MB
/// paste's first answer was 40 ms slower than the next; a 1 MB log's worker time was 140-160 ms
/// cold and 97-129 ms after a 100 KB log). One input at a time, so the worker answers the
/// page between them, and stops warming once a person's input begins. Leaves nothing behind:
/// every engine starts empty.
pub struct WarmUp {
    engine: Engine,
    inputs: Box<dyn Iterator<Item = (String, String)>>,
    next: u32,
}

impl Default for WarmUp {
    fn default() -> WarmUp {
        WarmUp { engine: Engine::default(), inputs: Box::new(warm_up_inputs()), next: 0 }
    }
}

impl WarmUp {
    /// Gives the engine the next input, and drops what it answers; false once all were given.
    pub fn step(&mut self) -> bool {
        let Some((name, text)) = self.inputs.next() else { return false };
        let (id, size) = (self.next, text.len() as u64);
        self.next += 1;
        let mut answered = |response: Response| drop(postcard::to_allocvec(&(0 as Seq, &response)));
        self.engine.handle(Request::Begin { id, name, size, answer: None }, None, &mut answered);
        self.engine.handle(Request::Slice { id }, Some(text.into_bytes()), &mut answered);
        self.engine.handle(Request::End { id }, None, &mut answered);
        true
    }
}

impl Engine {
    /// Handles one request; `bytes` is the slice a [`Request::Slice`] carries.
    pub fn handle(&mut self, request: Request, bytes: Option<Vec<u8>>, out: &mut dyn FnMut(Response)) {
        match request {
            Request::Begin { id, name, size, answer } => {
                let size = usize::try_from(size).unwrap_or(0).min(1 << 30);
                self.incoming.insert(id, Arriving::new(name, origin(answer), size));
            }
            Request::Slice { id } => {
                if let (Some(arriving), Some(bytes)) = (self.incoming.get_mut(&id), bytes) {
                    arriving.take(bytes);
                }
            }
            Request::End { id } => {
                if let Some((name, origin, received, arrived)) = self.incoming.remove(&id).map(Arriving::into_parts) {
                    self.add(id, &name, (received, arrived), origin, out);
                }
            }
            Request::Unreadable { id, name, why } => {
                self.incoming.remove(&id);
                self.session.put_unreadable(id, &name, &why);
                self.refresh(out);
            }
            Request::Remove { id } => {
                self.incoming.remove(&id);
                if self.session.inputs().any(|(i, _)| i == id) {
                    self.session.remove(id);
                    self.refresh(out);
                }
            }
            Request::View { lang, region, profile, instance, now } => {
                self.lang = lang;
                self.settings = Settings::typed(&region, &profile, &instance);
                self.now = Some(now);
                if !self.session.is_empty() {
                    self.refresh(out);
                } else {
                    // The walk of the empty page speaks the new language and names the region.
                    out(Response::Guide(self.guide()));
                }
            }
            Request::Nodes { filter, sort, offset, limit } => {
                let (total, rows) = self.nodes(&filter, sort, offset, limit);
                out(Response::Nodes { filter, sort, total, offset, rows });
            }
            Request::Node { node } => {
                let findings = self.session.findings_of(&node, self.lang, &self.settings, self.now);
                out(Response::Node { node, findings });
            }
            Request::Guide { node, answers } => {
                self.guide_node = node;
                // A finding resting on an answer quotes it in the person's words: new words
                // write the report again.
                if self.session.set_answers(answers) && self.session.diagnoses_answers() {
                    self.refresh(out);
                } else {
                    out(Response::Guide(self.guide()));
                }
            }
            Request::Export { keep } => out(Response::Export(Box::new(self.export(&keep)))),
            Request::Pseudonyms { mapping } => self.redactor = Redactor::seeded(mapping),
            Request::Restore { text } => out(Response::Restored(self.redactor.restore(&text))),
            Request::Titles { codes } => {
                let knowledge = Knowledge::get();
                let titles = codes
                    .iter()
                    .filter_map(|c| Code::from_name(c))
                    .map(|code| {
                        let entry = knowledge.entry(code);
                        (code.name().to_string(), entry.reference.to_string(), entry.name(self.lang).to_string())
                    })
                    .collect();
                out(Response::Titles(titles));
            }
            Request::NodeFile { name } => {
                let text = self.node_file(&name);
                out(Response::NodeFile { name, text });
            }
        }
    }

    /// Every id of the group whose commands read `name` (the page has only the first ones).
    fn node_file(&self, name: &str) -> String {
        let groups = self.report.as_ref().map(|r| &r.groups[..]).unwrap_or_default();
        let group = groups.iter().find(|g| g.node_file.as_deref() == Some(name));
        group.and_then(|g| g.node_file_text()).map(|(_, text)| text).unwrap_or_default()
    }

    /// Reads an input that has arrived (with what was learned of it as it arrived).
    fn add(
        &mut self,
        id: u32,
        name: &str,
        (received, arrived): (Received, Arrived),
        origin: Origin,
        out: &mut dyn FnMut(Response),
    ) {
        out(Response::Busy(Stage::Reading { id, name: name.to_string() }));
        #[cfg(feature = "crash-test")]
        {
            let bytes = match &received {
                Received::Text { text, .. } => text.as_bytes(),
                Received::Bytes(bytes) => bytes,
            };
            if bytes.windows(CRASH_MARKER.len()).any(|w| w == CRASH_MARKER) {
                panic!("deliberate crash of the crash-test build, reading {name}");
            }
        }
        // The page's ids follow the order the person chose the inputs in, and an input put
        // again keeps its id: the session lists and replaces them by it.
        match received {
            Received::Text { text, .. } => self.session.put_text(id, name, text, origin, arrived),
            Received::Bytes(bytes) => self.session.put(id, name, bytes, origin),
        }
        self.refresh(out);
    }

    /// Writes the report of the current inputs and view, and sends what the page needs of it.
    fn refresh(&mut self, out: &mut dyn FnMut(Response)) {
        if !self.session.is_diagnosed() && !self.session.is_empty() {
            out(Response::Busy(Stage::Diagnosing));
        }
        self.session.diagnose(self.now);
        let report = self.session.report_to_browse(self.lang, &self.settings, self.now);
        (self.order, self.verdicts) = (None, None);
        let ids: Vec<u32> = self.session.diagnosed_ids().collect();
        // The report's nodes, whether it lists their verdicts (one node's) or not (a fleet's).
        let table = self.session.node_table(self.now);
        let mut view = view_of(&report, ids, table.len(), table.with_cause());
        let fleet = report.form == Form::Fleet;
        self.report = Some(report);
        // A fleet's table in its first order comes with the report: asked for once the page
        // had shown the summary, its rows came a round trip later.
        if fleet {
            view.first_nodes = self.nodes("", NodeSort::default(), 0, NODE_PAGE_ROWS).1;
        }
        out(Response::Report(Box::new(view)));
        out(Response::Guide(self.guide()));
    }

    /// The guided path for the node it is about: the report's first node, or a fleet's node
    /// opened from its table (with its findings in full). Its commands name that node and the
    /// region the person typed, or else the one the inputs name.
    fn guide(&self) -> Vec<Step> {
        // Before any input, the walk starts from nothing: the person answers.
        let report = self.report();
        // The walk reads the report's findings, its first node and its region: a fleet's walk
        // is about the node opened, or its first, and reads a report of just those (a copy of
        // the whole would copy every group's list of up to 150,000 nodes at each step).
        let focus = match (&self.guide_node, report.form) {
            (node, Form::Fleet) => {
                let mut focus = Report {
                    inputs: Vec::new(),
                    findings: report.findings.clone(),
                    nodes: Vec::new(),
                    region: report.region.clone(),
                    groups: Vec::new(),
                    form: report.form,
                    redacted: None,
                };
                let first = || (!self.session.node_table(self.now).is_empty()).then_some(0);
                let at = match node {
                    Some(node) => self.node_index(node),
                    None => first(),
                };
                focus.nodes = self.session.verdicts(at, self.lang, &self.settings, self.now);
                if let Some(node) = node {
                    focus.findings.extend(self.session.findings_of(node, self.lang, &self.settings, self.now));
                }
                Cow::Owned(focus)
            }
            _ => report,
        };
        walk(&focus, self.session.answers(), &self.settings, self.lang)
    }

    /// The report of the current view (a fleet's without its node verdicts); before any input,
    /// the empty session's.
    fn report(&self) -> Cow<'_, Report> {
        match &self.report {
            Some(report) => Cow::Borrowed(report),
            None => Cow::Owned(self.session.report(self.lang, &self.settings, self.now)),
        }
    }

    /// The place of `node` in the node table.
    fn node_index(&self, node: &str) -> Option<usize> {
        (0..self.session.node_table(self.now).len()).find(|&i| self.session.node_id(i, self.now) == node)
    }

    /// The report (a fleet's in full, with every node's verdict) and the walk the person sees,
    /// redacted.
    fn export(&mut self, keep: &[Category]) -> ExportView {
        let report = match self.report().form {
            Form::Fleet => self.session.report(self.lang, &self.settings, self.now),
            Form::Single => self.report().into_owned(),
        };
        let mut export = Export { report, walk: self.guide() };
        let found = export.redact(&mut self.redactor, keep);
        let markdown = export.to_markdown(self.lang);
        ExportView { markdown, report: export.report, walk: export.walk, found, mapping: self.redactor.mapping() }
    }

    /// A page of the report's nodes, filtered by a text (node id, verdict or ref) and sorted.
    /// A fleet's verdicts are written for the rows sent; all of them only when a filter reads
    /// their texts.
    fn nodes(&mut self, filter: &str, sort: NodeSort, offset: usize, limit: usize) -> (usize, Vec<NodeVerdict>) {
        let Some(report) = &self.report else { return (0, Vec::new()) };
        let fleet = report.form == Form::Fleet;
        let matches = diagnosis::report::FleetFilter::new(filter);
        if fleet && !matches.is_empty() && self.verdicts.is_none() {
            let all = 0..self.session.node_table(self.now).len();
            self.verdicts = Some(self.session.verdicts(all, self.lang, &self.settings, self.now));
        }
        let report = self.report.as_ref().expect("checked above");
        let written: Option<&[NodeVerdict]> = if fleet { self.verdicts.as_deref() } else { Some(&report.nodes) };
        // The table orders the nodes in both forms: it is the report's list of them.
        let (session, now) = (&self.session, self.now);
        let table = session.node_table(now);
        let total = table.len();
        let causes = |i: u32| table.causes(i as usize);
        let id = |i: u32| session.node_id(i as usize, now);
        let stale = !matches!(&self.order, Some((f, s, _)) if f == filter && *s == sort);
        if stale {
            // The group table (on the page) reads the filter with the same rule.
            let mut order: Vec<u32> = match (matches.is_empty(), written) {
                (false, Some(written)) => (0..total as u32).filter(|&i| matches.node(&written[i as usize])).collect(),
                _ => (0..total as u32).collect(),
            };
            match sort {
                NodeSort::Worst => order.sort_by_key(|&i| std::cmp::Reverse(causes(i))),
                NodeSort::Node => order.sort_by(|&a, &b| id(a).cmp(id(b))),
            }
            self.order = Some((filter.to_string(), sort, order));
        }
        let order = &self.order.as_ref().expect("just set").2;
        let shown = order.iter().skip(offset).take(limit).map(|&i| i as usize);
        let rows = match written {
            Some(written) => shown.map(|i| written[i].clone()).collect(),
            None => self.session.verdicts(shown, self.lang, &self.settings, self.now),
        };
        (order.len(), rows)
    }
}

/// What the page receives of a report: all of a small one; a fleet's without its node rows and
/// with shortened group lists.
fn view_of(report: &Report, input_ids: Vec<u32>, node_total: usize, with_cause: usize) -> ReportView {
    if report.form == Form::Single {
        return ReportView { report: report.clone(), input_ids, node_total, with_cause, first_nodes: Vec::new() };
    }
    let mut view = Report {
        inputs: report.inputs.clone(),
        findings: report.findings.clone(),
        nodes: Vec::new(),
        region: report.region.clone(),
        groups: Vec::with_capacity(report.groups.len()),
        form: report.form,
        redacted: None,
    };
    view.groups.extend(report.groups.iter().map(|group| group.shortened(GROUP_NODES_SENT)));
    ReportView { report: view, input_ids, node_total, with_cause, first_nodes: Vec::new() }
}

/// The session's origin of an input the page says answers a step.
fn origin(answer: Option<String>) -> Origin {
    answer.map_or(Origin::Data, Origin::Answer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn run(engine: &mut Engine, request: Request, bytes: Option<Vec<u8>>) -> Vec<Response> {
        let mut out = Vec::new();
        engine.handle(request, bytes, &mut |r| out.push(r));
        out
    }

    /// Sends a whole input as the page does: begun, one slice, ended.
    fn text(engine: &mut Engine, id: u32, name: &str, text: &str, answer: Option<&str>) -> Vec<Response> {
        let size = text.len() as u64;
        let answer = answer.map(str::to_string);
        run(engine, Request::Begin { id, name: name.into(), size, answer }, None);
        run(engine, Request::Slice { id }, Some(text.as_bytes().to_vec()));
        run(engine, Request::End { id }, None)
    }

    fn report_of(responses: &[Response]) -> &ReportView {
        responses
            .iter()
            .find_map(|r| match r {
                Response::Report(view) => Some(view.as_ref()),
                _ => None,
            })
            .expect("a report")
    }

    const STATES: &str =
        r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "MissingCount": 2, "Operation": "Scan"}]}"#;

    #[test]
    fn warming_up_leaves_nothing_behind() {
        let mut cold = Engine::default();
        let before = text(&mut cold, 1, "states.json", STATES, None);
        let mut warm_up = WarmUp::default();
        while warm_up.step() {}
        let mut warm = Engine::default();
        assert_eq!(text(&mut warm, 1, "states.json", STATES, None), before);
        // What it runs is what people give: each kind is recognised as itself and diagnosed.
        let mut kinds = Vec::new();
        for (name, sample) in warm_up_inputs() {
            let mut engine = Engine::default();
            let responses = text(&mut engine, 1, &name, &sample, None);
            let view = &report_of(&responses).report;
            if name == "signature-samples.log" {
                // Every log signature's samples: read as logs, and most rules fire (some need
                // a context a text of every kind's lines does not give them).
                assert_ne!(view.inputs[0].kind, diagnosis::ingest::ReportKind::Unrecognized);
                let fired: std::collections::BTreeSet<_> = view.findings.iter().map(|f| f.code).collect();
                let signatures = Knowledge::get().signatures.len();
                assert!(fired.len() * 2 > signatures, "{} of {signatures} signatures fire", fired.len());
                continue;
            }
            let diagnosis::ingest::ReportKind::Known(kind) = view.inputs[0].kind else {
                panic!("{name} not recognised")
            };
            assert_eq!(format!("{}.{}", kind.name(), if name.ends_with(".log") { "log" } else { "json" }), name);
            assert!(!view.findings.is_empty() || !view.groups.is_empty(), "{name}");
            kinds.push(kind);
        }
        assert_eq!(kinds.len(), diagnosis::generate::KINDS.len() + diagnosis::generate::LOG_KINDS.len());
    }

    /// A large export, sent in slices, is presumed strict JSON and proven as it is read (no
    /// skim of it first): the page gets the report of reading it proven first, and so does one
    /// that is not strict (a trailing comma), read again as the tolerant reader reads it.
    #[test]
    fn a_large_export_presumed_strict_is_reported_as_one_proven_first() {
        use diagnosis::commands::Settings;
        use diagnosis::session::Session;
        let export = diagnosis::generate::generate("instance-patch-states", 1500, 3).expect("an export");
        assert!(export.len() >= 1 << 20, "{} bytes: presumed", export.len());
        let last = export.rfind(']').expect("a list");
        let trailing_comma = format!("{},{}", &export[..last], &export[last..]);
        for text in [export, trailing_comma] {
            let mut engine = Engine::default();
            let size = text.len() as u64;
            run(&mut engine, Request::Begin { id: 2, name: "fleet.json".into(), size, answer: None }, None);
            for piece in text.as_bytes().chunks(256 << 10) {
                run(&mut engine, Request::Slice { id: 2 }, Some(piece.to_vec()));
            }
            let view = report_of(&run(&mut engine, Request::End { id: 2 }, None)).clone();
            let mut proven = Session::default();
            proven.put(2, "fleet.json", text.into_bytes(), Origin::Data);
            let expected = proven.report_to_browse(Lang::En, &Settings::default(), None);
            assert!(expected.groups.iter().any(|g| g.reference == "P6"));
            assert_eq!(view.report, view_of(&expected, vec![2], 0, 0).report);
        }
    }

    #[test]
    fn an_input_sent_in_slices_is_read_once_and_diagnosed() {
        let mut engine = Engine::default();
        run(
            &mut engine,
            Request::Begin { id: 7, name: "states.json".into(), size: STATES.len() as u64, answer: None },
            None,
        );
        let (a, b) = STATES.as_bytes().split_at(40);
        assert!(run(&mut engine, Request::Slice { id: 7 }, Some(a.to_vec())).is_empty());
        run(&mut engine, Request::Slice { id: 7 }, Some(b.to_vec()));
        let out = run(&mut engine, Request::End { id: 7 }, None);
        assert_eq!(out[0], Response::Busy(Stage::Reading { id: 7, name: "states.json".into() }));
        assert_eq!(out[1], Response::Busy(Stage::Diagnosing));
        let view = report_of(&out);
        assert_eq!(view.report.inputs[0].name, "states.json");
        assert!(view.report.findings.iter().any(|f| f.reference == "P6"));
        // One node's report lists its verdict, and the counts say the same.
        assert_eq!((view.node_total, view.with_cause), (1, 1));
        assert_eq!((view.report.nodes.len(), view.report.nodes_with_cause()), (1, 1));
        let nodes = Request::Nodes { filter: String::new(), sort: NodeSort::Worst, offset: 0, limit: 10 };
        let [Response::Nodes { total: 1, rows, .. }] = &run(&mut engine, nodes, None)[..] else { panic!("one node") };
        assert_eq!(rows, &view.report.nodes);
        // Its verdict is in the report: no page of the node table comes with it.
        assert!(view.first_nodes.is_empty());
        // A new view re-writes the report without a new diagnosis.
        let out = run(
            &mut engine,
            Request::View {
                lang: Lang::ZhCn,
                region: "eu-west-3".into(),
                profile: "bad profile".into(),
                instance: String::new(),
                now: 0.0,
            },
            None,
        );
        assert!(!out.contains(&Response::Busy(Stage::Diagnosing)));
        let view = report_of(&out);
        let commands: Vec<&str> =
            view.report.findings.iter().flat_map(|f| &f.commands).map(|c| c.text.as_str()).collect();
        assert!(commands.iter().any(|c| c.contains("--region eu-west-3")));
        assert!(commands.iter().all(|c| !c.contains("--profile")), "an invalid profile is ignored");
        let out = run(&mut engine, Request::Remove { id: 7 }, None);
        assert!(report_of(&out).report.inputs.is_empty());
    }

    #[test]
    fn a_fleet_reaches_the_page_without_its_node_list_and_comes_back_page_by_page() {
        let mut engine = Engine::default();
        let fleet = diagnosis::generate::generate("instance-patch-states", 3000, 5).unwrap();
        let out = text(&mut engine, 1, "fleet.json", &fleet, None);
        let view = report_of(&out);
        assert_eq!(view.node_total, 3000);
        assert!(view.report.nodes.is_empty());
        // The table's first page comes with the report: what asking for it gives.
        let asked =
            Request::Nodes { filter: String::new(), sort: NodeSort::default(), offset: 0, limit: NODE_PAGE_ROWS };
        let [Response::Nodes { rows, total: 3000, .. }] = &run(&mut engine, asked, None)[..] else { panic!("a page") };
        assert_eq!(view.first_nodes.len(), NODE_PAGE_ROWS);
        assert_eq!(&view.first_nodes, rows);
        let biggest = &view.report.groups[0];
        assert!(biggest.node_count > GROUP_NODES_SENT && biggest.nodes.len() == GROUP_NODES_SENT);
        // What the page sends is small: a fraction of a full report.
        let sent = serde_json::to_string(view).unwrap().len();
        assert!(sent < 200_000, "{sent} bytes");
        // The group's node file comes whole: every one of its nodes, though the page holds 100.
        let name = biggest.node_file.clone().expect("a group of hundreds has a node file");
        let out = run(&mut engine, Request::NodeFile { name: name.clone() }, None);
        let [Response::NodeFile { name: got, text }] = &out[..] else { panic!("{out:?}") };
        assert_eq!(got, &name);
        assert_eq!(text.split_whitespace().count(), biggest.node_count);
        assert!(text.lines().all(|l| l.split(' ').count() <= 50));
        assert!(biggest.nodes.iter().all(|n| text.contains(n.as_str())));

        let page = |engine: &mut Engine, filter: &str, sort, offset| match &run(
            engine,
            Request::Nodes { filter: filter.into(), sort, offset, limit: 40 },
            None,
        )[0]
        {
            Response::Nodes { total, rows, .. } => (*total, rows.clone()),
            other => panic!("{other:?}"),
        };
        let (total, rows) = page(&mut engine, "", NodeSort::Worst, 0);
        assert_eq!((total, rows.len()), (3000, 40));
        assert!(rows.windows(2).all(|w| w[0].causes >= w[1].causes));
        let (_, by_id) = page(&mut engine, "", NodeSort::Node, 2960);
        assert!(by_id.windows(2).all(|w| w[0].node < w[1].node));
        let (p3_total, p3) = page(&mut engine, "p3", NodeSort::Worst, 0);
        assert!(p3_total > 0 && p3_total < 3000 && p3.iter().all(|n| n.refs.iter().any(|r| r == "P3")));

        // The rows, written only when asked for, are those of the whole report, in the order and
        // with the filters the whole report's verdicts give.
        let mut whole = Session::default();
        whole.add("fleet.json", fleet.clone().into_bytes());
        let nodes = whole.report(Lang::En, &Settings::default(), engine.now).nodes;
        let in_order = |filter: &str, sort| {
            let matches = diagnosis::report::FleetFilter::new(filter);
            let mut rows: Vec<NodeVerdict> = nodes.iter().filter(|n| matches.node(n)).cloned().collect();
            match sort {
                NodeSort::Worst => rows.sort_by_key(|n| std::cmp::Reverse(n.causes)),
                NodeSort::Node => rows.sort_by(|a, b| a.node.cmp(&b.node)),
            }
            rows
        };
        let title = p3[0].verdict.clone();
        for (filter, sort, offset) in [
            ("", NodeSort::Worst, 0),
            ("", NodeSort::Worst, 1234),
            ("", NodeSort::Node, 2990),
            ("P3", NodeSort::Node, 3),
            (title.as_str(), NodeSort::Worst, 0),
        ] {
            let expected = in_order(filter, sort);
            let (total, rows) = page(&mut engine, filter, sort, offset);
            assert_eq!(total, expected.len(), "{filter:?}");
            assert_eq!(rows, expected.iter().skip(offset).take(40).cloned().collect::<Vec<_>>(), "{filter:?} {offset}");
        }
        assert_eq!(view.with_cause, nodes.iter().filter(|n| n.causes > 0).count());
        // The guided path reads the fleet's first node, or the node opened, as from the whole
        // report.
        let full = whole.report(Lang::En, &Settings::default(), engine.now);
        let answers = BTreeMap::new();
        let guide = |engine: &mut Engine, node: Option<String>| match &run(
            engine,
            Request::Guide { node, answers: BTreeMap::new() },
            None,
        )[..]
        {
            [Response::Guide(steps)] => steps.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(guide(&mut engine, None), walk(&full, &answers, &Settings::default(), Lang::En));
        let opened = nodes[1777].node.clone();
        let mut focus = full.clone();
        focus.nodes.retain(|n| n.node == opened);
        focus.findings.extend(whole.findings_of(&opened, Lang::En, &Settings::default(), engine.now));
        assert_eq!(guide(&mut engine, Some(opened)), walk(&focus, &answers, &Settings::default(), Lang::En));

        // A node opened from the table gets its findings in full, with commands.
        let node = p3[0].node.clone();
        let out = run(&mut engine, Request::Node { node: node.clone() }, None);
        let Response::Node { findings, .. } = &out[0] else { panic!() };
        assert!(findings.iter().any(|f| f.reference == "P3" && !f.commands.is_empty()));
        assert!(findings.iter().all(|f| f.node.as_deref() == Some(node.as_str())));
    }

    #[test]
    fn with_no_input_the_guide_walks_the_answers_in_the_language_and_region_of_the_view() {
        let mut engine = Engine::default();
        let answers = BTreeMap::from([("N1".to_string(), "patch".to_string())]);
        let out = run(&mut engine, Request::Guide { node: None, answers }, None);
        let [Response::Guide(walk)] = &out[..] else { panic!("{out:?}") };
        let asked = walk.iter().find(|s| s.status == diagnosis::wizard::StepStatus::Ask).unwrap();
        assert_eq!(asked.id, "M0", "the branch is chosen: the node gate is next");
        // The view changes with nothing diagnosed: the walk is sent again, in Chinese, with the
        // region and the instance typed in.
        let view = Request::View {
            lang: Lang::ZhCn,
            region: "eu-west-3".into(),
            profile: String::new(),
            instance: " i-0123456789abcdef0 ".into(),
            now: 0.0,
        };
        let out = run(&mut engine, view, None);
        let [Response::Guide(walk)] = &out[..] else { panic!("{out:?}") };
        let m0 = walk.iter().find(|s| s.id == "M0").unwrap();
        assert_eq!(m0.title, "已托管且在线");
        let command = &m0.command.as_ref().unwrap().text;
        assert!(command.contains("--region eu-west-3") && command.contains("i-0123456789abcdef0"), "{command}");
        // Every command of the walk that names a node names that one: none keeps <instance-id>.
        let texts: Vec<&str> = walk.iter().filter_map(|s| s.command.as_ref()).map(|c| c.text.as_str()).collect();
        assert!(texts.iter().all(|t| !t.contains("<instance-id>")), "{texts:#?}");
        assert!(walk.iter().any(|s| s.id == "N1" && s.by_you), "the answer is kept");
    }

    fn export_of(engine: &mut Engine, keep: Vec<Category>) -> ExportView {
        let out = run(engine, Request::Export { keep }, None);
        let [Response::Export(export)] = &out[..] else { panic!("{out:?}") };
        export.as_ref().clone()
    }

    #[test]
    fn an_export_is_redacted_with_the_answers_and_a_reply_restored_even_by_a_new_worker() {
        let mut engine = Engine::default();
        text(&mut engine, 1, "states.json", STATES, None);
        let answers = BTreeMap::from([("P3".to_string(), "yes".to_string())]);
        run(&mut engine, Request::Guide { node: None, answers }, None);
        let export = export_of(&mut engine, Vec::new());
        assert!(!export.markdown.contains("i-0123456789abcdef0"), "{}", export.markdown);
        assert!(export.markdown.contains("INSTANCE-1") && export.markdown.contains("## Decision path"));
        assert_eq!(export.found.hidden.get(&Category::Instance), Some(&1));
        let nodes: Vec<_> = export.report.findings.iter().filter_map(|f| f.node.as_deref()).collect();
        assert!(!nodes.is_empty() && nodes.iter().all(|n| *n == "INSTANCE-1"), "{nodes:?}");
        // Left in clear on request.
        let clear = export_of(&mut engine, vec![Category::Instance]);
        assert!(clear.markdown.contains("i-0123456789abcdef0"));
        let out = run(&mut engine, Request::Restore { text: "Reboot INSTANCE-1.".into() }, None);
        assert_eq!(out, [Response::Restored("Reboot i-0123456789abcdef0.".into())]);
        // A restarted worker, seeded with the page's copy of the mapping, restores the same.
        let mut fresh = Engine::default();
        run(&mut fresh, Request::Pseudonyms { mapping: export.mapping.clone() }, None);
        let out = run(&mut fresh, Request::Restore { text: "Reboot INSTANCE-1.".into() }, None);
        assert_eq!(out, [Response::Restored("Reboot i-0123456789abcdef0.".into())]);
    }

    #[test]
    fn an_answer_steps_aside_when_real_data_arrives() {
        let mut engine = Engine::default();
        let said = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "MissingCount": 1}]}"#;
        let out = text(&mut engine, 1, "your answer (P2)", said, Some("P2"));
        assert!(report_of(&out).report.findings.iter().any(|f| f.reference == "P6"));
        assert_eq!(report_of(&out).input_ids, [1]);
        // The person's answers arrive with the guide: the report quotes their words, and so
        // does the report they would send; the output the answer stands for is quoted nowhere.
        let answers =
            BTreeMap::from([("N1".to_string(), "patch".to_string()), ("P2".to_string(), "missing".to_string())]);
        let out = run(&mut engine, Request::Guide { node: None, answers }, None);
        let p6 = report_of(&out).report.findings.iter().find(|f| f.reference == "P6").unwrap();
        assert!(p6.evidence.iter().all(|e| e.text == "You answered “Missing” · Patch states"), "{:?}", p6.evidence);
        let markdown = export_of(&mut engine, vec![]).markdown;
        assert!(markdown.contains("You answered “Missing”") && !markdown.contains("MissingCount"), "{markdown}");
        let out = text(&mut engine, 2, "states.json", STATES, None);
        // The page's id of each input the report is of: the answer is not one of them.
        assert_eq!(report_of(&out).input_ids, [2]);
        let report = &report_of(&out).report;
        // The data's own verdict; the answer is neither a second scan source nor an input.
        assert!(report.findings.iter().all(|f| f.code != Code::CompetingScanners), "{:?}", report.findings);
        assert_eq!(report.inputs.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), ["states.json"]);
        assert!(report.findings.iter().flat_map(|f| &f.evidence).all(|e| e.input == "states.json"));
    }

    #[test]
    fn a_share_link_s_codes_get_their_titles_and_unknown_codes_are_dropped() {
        let mut engine = Engine::default();
        let codes = vec!["patch-pending-reboot".to_string(), "no-such-code".to_string()];
        let out = run(&mut engine, Request::Titles { codes }, None);
        let [Response::Titles(titles)] = &out[..] else { panic!("{out:?}") };
        assert_eq!(titles.len(), 1);
        assert_eq!(titles[0].0, "patch-pending-reboot");
        assert_eq!(titles[0].1, "P4");
    }
}
