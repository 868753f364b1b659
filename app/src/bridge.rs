//! The engine bridge: the person's inputs and their diagnosis. The inputs stay on the page as
//! blobs (a file is one; a paste or an example becomes one), so the worker can be restarted at
//! any time and fed them again: to cancel a diagnosis, or to give back the memory of a large
//! input that was removed. The engine runs in the worker; its answers arrive as signals, those
//! for the guide and the share panel in their own state. Every request that is answered once
//! (an export, a restored reply, titles, a page of nodes, a node, a node file) is numbered, and
//! only the answer to the latest of its kind is taken.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use diagnosis::redact::Category;
use diagnosis::report::{FindingReport, NodeVerdict, Report};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use web_sys::Blob;
use worker::protocol::{NodeSort, ReportView, Request, Response, Seq, Stage};

use crate::browser;
use crate::browser::worker::EngineWorker;
use crate::guided::GuideState;
use crate::sharing::ShareState;
use crate::state::{empty_report, InputOrigin, Inputs, Typed};
use crate::ui::Ui;

/// An input as the page keeps it: a file, or text made a blob. A file that turns out to be
/// unreadable is reported by the worker, with the browser's reason.
type Source = Blob;

/// Removing an input larger than this restarts the worker, so its memory is given back
/// (WebAssembly memory grows but never shrinks).
const RESTART_ABOVE: f64 = 16.0 * 1024.0 * 1024.0;

/// What the worker is busy with, for the progress bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// The input on its way or being read (None: every input is being diagnosed).
    pub input: Option<InputOrigin>,
    /// Bytes sent to the worker so far, of `total`.
    pub sent: f64,
    pub total: f64,
    pub stage: Option<Stage>,
}

/// A page of the fleet's node table, for the filter and order it was asked with.
#[derive(Debug, Clone, PartialEq)]
pub struct NodePage {
    pub filter: String,
    pub sort: NodeSort,
    pub total: usize,
    pub offset: usize,
    pub rows: Vec<NodeVerdict>,
}

/// The kinds of request answered once, by the number of the latest one sent.
#[derive(Debug, Clone, Copy, Default)]
struct Latest {
    nodes: Seq,
    node: Seq,
    export: Seq,
    restore: Seq,
    titles: Seq,
    node_file: Seq,
}

/// An input as listed: the page's id and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    pub id: u32,
    pub origin: InputOrigin,
}

#[derive(Clone, Copy)]
pub struct Engine {
    inputs: StoredValue<Inputs<Source>, LocalStorage>,
    /// The inputs' ids and origins, for the list (the report says what each was read as).
    pub listed: RwSignal<Vec<Listed>>,
    worker: StoredValue<Option<Rc<EngineWorker>>, LocalStorage>,
    latest: StoredValue<Latest>,
    /// Inputs whose bytes are on their way, or being read or diagnosed.
    in_flight: RwSignal<Vec<u32>>,
    view: RwSignal<Option<ReportView>>,
    pub report: Memo<Report>,
    pub progress: RwSignal<Option<Progress>>,
    pub nodes: RwSignal<Option<NodePage>>,
    /// Counts the reports received: the node table asks its rows again for a new one.
    pub epoch: RwSignal<u32>,
    /// The node opened from a fleet's table, with its findings in full.
    pub detail: RwSignal<Option<(String, Vec<FindingReport>)>>,
    /// Set by a paste, a file or an example: the verdict is scrolled into view when it arrives
    /// (on a phone it is below the paste box).
    pub reveal: StoredValue<bool>,
    /// The input the worker is reading or diagnosing now (from its Busy messages).
    reading: StoredValue<Option<u32>>,
    /// Inputs the engine crashed on, set aside: (where it came from, what it said).
    pub failed: RwSignal<Vec<(InputOrigin, String)>>,
    ui: Ui,
    guide: GuideState,
    share: ShareState,
}

impl Engine {
    pub fn new(ui: Ui, guide: GuideState, share: ShareState) -> Engine {
        let view = RwSignal::new(None::<ReportView>);
        let report = Memo::new(move |_| view.with(|v| v.as_ref().map_or_else(empty_report, |v| v.report.clone())));
        let engine = Engine {
            inputs: StoredValue::new_local(Inputs::default()),
            listed: RwSignal::new(Vec::new()),
            worker: StoredValue::new_local(None),
            latest: StoredValue::new(Latest::default()),
            in_flight: RwSignal::new(Vec::new()),
            view,
            report,
            progress: RwSignal::new(None),
            nodes: RwSignal::new(None),
            epoch: RwSignal::new(0),
            detail: RwSignal::new(None),
            reveal: StoredValue::new(false),
            reading: StoredValue::new(None),
            failed: RwSignal::new(Vec::new()),
            ui,
            guide,
            share,
        };
        // The language re-writes the report at once; the typed settings after a pause in typing.
        Effect::new(move |first: Option<()>| {
            ui.lang.track();
            if first.is_some() {
                engine.send_view();
            }
        });
        let typed_at = StoredValue::new(0u32);
        Effect::new(move |first: Option<()>| {
            ui.typed.track();
            if first.is_none() {
                return;
            }
            let now = typed_at.get_value().wrapping_add(1);
            typed_at.set_value(now);
            set_timeout(
                move || {
                    if typed_at.get_value() == now {
                        // The guide's commands take the region too, and the engine writes them:
                        // typing one starts it (which sends the view) on the empty page.
                        if engine.worker.with_value(Option::is_some) {
                            engine.send_view();
                        } else {
                            engine.warm_up();
                        }
                    }
                },
                Duration::from_millis(250),
            );
        });
        engine
    }

    /// The number of nodes of the current report (a fleet's rows stay in the worker).
    pub fn node_total(&self) -> usize {
        self.view.with(|v| v.as_ref().map_or(0, |v| v.node_total))
    }

    /// How many of the report's nodes have a cause (the worker counts: the page holds no nodes).
    pub fn with_cause(&self) -> usize {
        self.view.with(|v| v.as_ref().map_or(0, |v| v.with_cause))
    }

    /// Starts the worker if it is not running (the page idling after its first paint, a focus on
    /// the paste area, or the first input asks for it: never before the page is drawn).
    pub fn warm_up(&self) {
        if self.worker.with_value(Option::is_none) {
            self.start();
        }
    }

    fn start(&self) -> Option<Rc<EngineWorker>> {
        let this = *self;
        let worker = Rc::new(EngineWorker::spawn(move |seq, response| this.receive(seq, response))?);
        self.worker.set_value(Some(worker.clone()));
        let mapping = self.share.mapping.get_value();
        if !mapping.is_empty() {
            worker.send(&Request::Pseudonyms { mapping });
        }
        // The guided path, walked from what there is (nothing yet, or the answers of a link);
        // before the view, whose reply walks it again in the right language and region.
        let node = self.detail.with_untracked(|d| d.as_ref().map(|(node, _)| node.clone()));
        worker.send(&Request::Guide { node, answers: self.guide.answers.get_untracked() });
        self.send_view();
        Some(worker)
    }

    /// Sends a request answered once, remembering it as the latest of its kind.
    fn ask(&self, request: Request, kind: fn(&mut Latest) -> &mut Seq, start: bool) {
        let worker = if start { self.worker() } else { self.worker.with_value(Clone::clone) };
        if let Some(worker) = worker {
            let seq = worker.send(&request);
            self.latest.update_value(|latest| *kind(latest) = seq);
        }
    }

    /// Whether `seq` is the latest request of its kind (an older one's answer is dropped).
    fn is_latest(&self, seq: Seq, kind: fn(&mut Latest) -> &mut Seq) -> bool {
        self.latest.try_update_value(|latest| *kind(latest) == seq).unwrap_or(false)
    }

    fn worker(&self) -> Option<Rc<EngineWorker>> {
        self.worker.with_value(Clone::clone).or_else(|| self.start())
    }

    fn send_view(&self) {
        let Some(worker) = self.worker.with_value(Clone::clone) else { return };
        let Typed { region, profile, instance } = self.ui.typed.get_untracked();
        worker.send(&Request::View {
            lang: self.ui.lang.get_untracked(),
            region,
            profile,
            instance,
            now: browser::now(),
        });
    }

    fn receive(&self, seq: Seq, response: Response) {
        let latest = |kind| self.is_latest(seq, kind);
        match response {
            // Handled by the worker glue, which holds messages until then.
            Response::Ready => {}
            Response::Busy(stage) => {
                if let Stage::Reading { id, .. } = &stage {
                    self.reading.set_value(Some(*id));
                }
                self.busy(stage)
            }
            Response::Report(view) => {
                self.reading.set_value(None);
                self.show(*view)
            }
            Response::Crashed(message) => self.crashed(message),
            Response::Nodes { filter, sort, total, offset, rows } if latest(|l| &mut l.nodes) => {
                self.nodes.set(Some(NodePage { filter, sort, total, offset, rows }))
            }
            Response::Node { node, findings } if latest(|l| &mut l.node) => self.detail.set(Some((node, findings))),
            Response::Guide(steps) => self.guide.steps.set(steps),
            Response::Export(export) if latest(|l| &mut l.export) => {
                self.share.mapping.set_value(export.mapping.clone());
                self.share.export.set(Some(*export));
            }
            Response::Restored(text) if latest(|l| &mut l.restore) => self.share.restored.set(Some(text)),
            Response::Titles(titles) if latest(|l| &mut l.titles) => self.share.titles.set(titles),
            Response::NodeFile { name, text } if latest(|l| &mut l.node_file) => {
                browser::download(&name, &text, "text/plain;charset=utf-8");
            }
            // The answer to a request since replaced by a newer one of its kind.
            Response::Nodes { .. }
            | Response::Node { .. }
            | Response::Export(_)
            | Response::Restored(_)
            | Response::Titles(_)
            | Response::NodeFile { .. } => {}
        }
    }

    fn busy(&self, stage: Stage) {
        self.progress.update(|p| match p {
            Some(p) => p.stage = Some(stage),
            None => {
                let input = match &stage {
                    Stage::Reading { id, .. } => self.origin_of(*id),
                    Stage::Diagnosing => None,
                };
                *p = Some(Progress { input, sent: 0.0, total: 0.0, stage: Some(stage) })
            }
        });
    }

    fn show(&self, mut view: ReportView) {
        // A fleet's first page of nodes comes with its report: the table shows with the summary.
        let first = std::mem::take(&mut view.first_nodes);
        let total = view.node_total;
        let page = (!first.is_empty()).then(|| NodePage {
            filter: String::new(),
            sort: NodeSort::default(),
            total,
            offset: 0,
            rows: first,
        });
        self.view.set(Some(view));
        self.nodes.set(page);
        self.epoch.update(|e| *e += 1);
        self.detail.update(|d| {
            // An opened node is asked for again: its findings may have changed.
            if let Some((node, _)) = d.take() {
                self.open_node(&node);
            }
        });
        if self.progress.with_untracked(|p| p.as_ref().is_none_or(|p| p.sent >= p.total)) {
            self.in_flight.set(Vec::new());
            self.progress.set(None);
        }
    }

    /// The engine crashed: the input it was reading (else the last one still on its way) is set
    /// aside and named, and a new worker diagnoses the others. Answers and settings are
    /// untouched.
    fn crashed(&self, message: String) {
        // Not reading anything (an export, a node opened): no input is to blame.
        let culprit = self.reading.get_value().or_else(|| self.in_flight.with_untracked(|f| f.last().copied()));
        self.reading.set_value(None);
        if let Some(id) = culprit {
            let origin = self.origin_of(id);
            self.inputs.update_value(|inputs| {
                inputs.remove(id);
            });
            if let Some(origin) = origin {
                self.failed.update(|f| f.push((origin, message)));
            }
            self.relist();
        }
        self.restart();
    }

    /// Adds pasted text (left in JavaScript) as the next paste. Blank pastes are ignored (false).
    pub fn add_paste(&self, text: &JsValue) -> bool {
        // Checked in JavaScript: the text is not copied into Rust to see that it is blank.
        let blank = js_sys::JsString::from(text.clone()).trim().length() == 0;
        if !text.is_string() || blank {
            return false;
        }
        let Some(origin) = self.inputs.try_update_value(Inputs::next_paste) else { return false };
        self.add_text_value(origin, text);
        true
    }

    /// Adds text the page itself has (an answer of the guide, an input kept in the tab).
    pub fn add_text(&self, origin: InputOrigin, text: &str) {
        self.add_text_value(origin, &JsValue::from_str(text));
    }

    /// Adds a text the page holds in JavaScript: its UTF-8 bytes go to the worker at once,
    /// within this task, and a blob of them is kept for a restart. Sending the blob meant reading
    /// it back first, a round trip to the browser's blob store (10 ms for a pasted megabyte).
    fn add_text_value(&self, origin: InputOrigin, text: &JsValue) {
        let bytes = browser::utf8_of(text);
        let Some(blob) = browser::blob_of_bytes(&bytes) else { return };
        let id = self.inputs.try_update_value(|inputs| inputs.put(origin.clone(), blob)).unwrap_or(0);
        self.relist();
        let total = f64::from(bytes.length());
        let Some(worker) = self.feeding(id, &origin, total) else { return };
        worker.feed_bytes(id, origin.name(), answer_of(&origin), &bytes.buffer());
        self.show_sent()(total, total);
    }

    /// Every input's origin and bytes (to keep them in the tab).
    pub fn sources(&self) -> Vec<(InputOrigin, Blob)> {
        self.inputs.with_value(|inputs| inputs.iter().map(|(_, origin, blob)| (origin.clone(), blob.clone())).collect())
    }

    /// Where the report's input of that name came from (evidence names its input).
    pub fn origin_named(&self, name: &str) -> Option<InputOrigin> {
        let id = self.view.with(|v| {
            let v = v.as_ref()?;
            let at = v.report.inputs.iter().position(|i| i.name == name)?;
            v.input_ids.get(at).copied()
        })?;
        self.listed.with(|l| l.iter().find(|i| i.id == id).map(|i| i.origin.clone()))
    }

    fn origin_of(&self, id: u32) -> Option<InputOrigin> {
        self.listed.with_untracked(|l| l.iter().find(|i| i.id == id).map(|i| i.origin.clone()))
    }

    /// The page's id of each of the report's inputs, in the report's order.
    pub fn input_ids(&self) -> Vec<u32> {
        self.view.with(|v| v.as_ref().map(|v| v.input_ids.clone()).unwrap_or_default())
    }

    /// Replaces every input by the file served at `url` (an example), shown as busy from the
    /// click on.
    pub fn load(&self, name: &str, url: &str) {
        self.clear();
        self.warm_up();
        let input = Some(InputOrigin::File(name.to_string()));
        self.progress.set(Some(Progress { input, sent: 0.0, total: 0.0, stage: None }));
        let (this, name, url) = (*self, name.to_string(), url.to_string());
        spawn_local(async move {
            match browser::fetch_blob(&url).await {
                Some(blob) => this.add(InputOrigin::File(name), blob),
                None => this.progress.set(None),
            }
        });
    }

    /// Adds a blob; one of the same origin (a file of that name, an answer to that step)
    /// replaces the earlier one.
    pub fn add(&self, origin: InputOrigin, blob: Blob) {
        let id = self.inputs.try_update_value(|inputs| inputs.put(origin.clone(), blob.clone())).unwrap_or(0);
        self.relist();
        self.feed(id, origin, blob);
    }

    fn feed(&self, id: u32, origin: InputOrigin, blob: Blob) {
        let Some(worker) = self.feeding(id, &origin, blob.size()) else { return };
        let (answer, show) = (answer_of(&origin), self.show_sent());
        spawn_local(async move {
            worker.feed(id, origin.name(), answer, blob, show).await;
        });
    }

    /// Input `id` is on its way to the worker, which is started if need be: it is in flight,
    /// and the progress shows it.
    fn feeding(&self, id: u32, origin: &InputOrigin, total: f64) -> Option<Rc<EngineWorker>> {
        let worker = self.worker()?;
        self.in_flight.update(|f| f.push(id));
        self.progress.set(Some(Progress { input: Some(origin.clone()), sent: 0.0, total, stage: None }));
        Some(worker)
    }

    /// Shows how many of an input's bytes are sent.
    fn show_sent(&self) -> impl Fn(f64, f64) + 'static {
        let progress = self.progress;
        move |sent, total| {
            progress.update(|p| {
                if let Some(p) = p {
                    p.sent = sent;
                    p.total = total;
                }
            })
        }
    }

    pub fn remove(&self, id: u32) {
        let Some(source) = self.inputs.try_update_value(|inputs| inputs.remove(id)).flatten() else { return };
        self.relist();
        if source.size() > RESTART_ABOVE {
            self.restart();
        } else if let Some(worker) = self.worker.with_value(Clone::clone) {
            worker.send(&Request::Remove { id });
        }
    }

    /// Removes every input and every answer; the worker restarts, empty.
    pub fn clear(&self) {
        self.inputs.update_value(Inputs::clear);
        self.failed.set(Vec::new());
        self.guide.clear();
        self.relist();
        self.restart();
    }

    /// Removes the input of that origin, if there is one (an answer taken back).
    pub fn remove_origin(&self, origin: &InputOrigin) {
        let id = self.listed.with_untracked(|l| l.iter().find(|i| i.origin == *origin).map(|i| i.id));
        if let Some(id) = id {
            self.remove(id);
        }
    }

    /// Stops what the worker is doing: the inputs still on their way (or being read) are
    /// dropped, and the others are diagnosed again in a new worker.
    pub fn cancel(&self) {
        let cancelled = self.in_flight.get_untracked();
        self.inputs.update_value(|inputs| {
            for id in cancelled {
                inputs.remove(id);
            }
        });
        self.relist();
        self.restart();
    }

    /// A new worker, fed the inputs the page keeps.
    fn restart(&self) {
        if let Some(old) = self.worker.try_update_value(Option::take).flatten() {
            old.terminate();
        }
        self.in_flight.set(Vec::new());
        self.progress.set(None);
        self.nodes.set(None);
        self.detail.set(None);
        let remaining: Vec<(u32, InputOrigin, Blob)> = self
            .inputs
            .with_value(|inputs| inputs.iter().map(|(id, origin, b)| (id, origin.clone(), b.clone())).collect());
        if remaining.is_empty() {
            self.view.set(None);
            self.guide.steps.set(Vec::new());
            // Started now, as the first is once the page idles after loading: one started only
            // when the next input comes compiles the engine while it reads that input (a 150 MB
            // export took 2.2 s after "clear", 1.45 s on a fresh page).
            self.start();
            return;
        }
        for (id, origin, blob) in remaining {
            self.feed(id, origin, blob);
        }
    }

    fn relist(&self) {
        let listed = self
            .inputs
            .with_value(|inputs| inputs.iter().map(|(id, origin, _)| Listed { id, origin: origin.clone() }).collect());
        self.listed.set(listed);
    }

    pub fn is_empty(&self) -> bool {
        self.listed.with(Vec::is_empty)
    }

    /// A page of the fleet's nodes.
    pub fn request_nodes(&self, filter: String, sort: NodeSort, offset: usize, limit: usize) {
        self.ask(Request::Nodes { filter, sort, offset, limit }, |l| &mut l.nodes, false);
    }

    /// Asks for the guided path for `node` (None: the report's first) with the person's
    /// answers. With answers, the worker is started if it is not running yet.
    pub fn request_guide(&self, node: Option<String>, answers: BTreeMap<String, String>) {
        let worker = if answers.is_empty() { self.worker.with_value(Clone::clone) } else { self.worker() };
        if let Some(worker) = worker {
            worker.send(&Request::Guide { node, answers });
        }
    }

    /// Asks for the redacted report, every category hidden but those in `keep`.
    pub fn request_export(&self, keep: Vec<Category>) {
        self.ask(Request::Export { keep }, |l| &mut l.export, false);
    }

    /// Asks for `text` with the session's pseudonyms turned back into the real values.
    pub fn restore(&self, text: String) {
        self.ask(Request::Restore { text }, |l| &mut l.restore, true);
    }

    /// Asks for the titles of the findings a share link names.
    pub fn request_titles(&self, codes: Vec<String>) {
        self.ask(Request::Titles { codes }, |l| &mut l.titles, true);
    }

    /// Asks for a fleet group's node file, which arrives as a download.
    pub fn download_node_file(&self, name: String) {
        self.ask(Request::NodeFile { name }, |l| &mut l.node_file, true);
    }

    /// Asks for one node's findings in full.
    pub fn open_node(&self, node: &str) {
        self.ask(Request::Node { node: node.to_string() }, |l| &mut l.node, false);
    }
}

/// The step an answer stands for: it travels typed, and the engine never reads it from a name.
fn answer_of(origin: &InputOrigin) -> Option<String> {
    origin.answer_step().map(str::to_string)
}
