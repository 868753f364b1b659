//! The person's inputs and their diagnosis. The inputs stay on the page as blobs (a file is one;
//! a paste or an example becomes one), so the worker can be restarted at any time and fed them
//! again: to cancel a diagnosis, or to give back the memory of a large input that was removed.
//! The engine runs in the worker; its answers arrive as signals.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use diagnosis::redact::Category;
use diagnosis::report::{FindingReport, NodeVerdict, Report};
use diagnosis::wizard::Step;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use web_sys::Blob;
use worker::protocol::{ExportView, NodeSort, ReportView, Request, Response, Stage};

use crate::app::Ui;
use crate::browser::worker::EngineWorker;
use crate::browser::{self, blob_of_text};
use crate::state::{empty_report, Inputs, Keeping, PasteCounter, Shared, Typed};

/// An input as the page keeps it: a file, or text made a blob. A file that turns out to be
/// unreadable is reported by the worker, with the browser's reason.
type Source = Blob;

/// Removing an input larger than this restarts the worker, so its memory is given back
/// (WebAssembly memory grows but never shrinks).
const RESTART_ABOVE: f64 = 16.0 * 1024.0 * 1024.0;

/// What the worker is busy with, for the progress bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub name: String,
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

#[derive(Clone, Copy)]
pub struct Workspace {
    inputs: StoredValue<Inputs<Source>, LocalStorage>,
    /// The inputs' ids and names, for the list (the report says what each was read as).
    pub listed: RwSignal<Vec<(u32, String)>>,
    pastes: RwSignal<PasteCounter>,
    worker: StoredValue<Option<Rc<EngineWorker>>, LocalStorage>,
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
    /// The guided path's steps, as the worker walked them.
    pub guide: RwSignal<Vec<Step>>,
    /// The person's answers to the guided path, by step id, and the step they moved to: in the
    /// URL fragment (see `state::Route`).
    pub answers: RwSignal<BTreeMap<String, String>>,
    pub step: RwSignal<Option<String>>,
    /// Set by a paste, a file or an example: the verdict is scrolled into view when it arrives
    /// (on a phone it is below the paste box).
    pub reveal: StoredValue<bool>,
    /// The redacted report and path, as the worker last wrote them for the share panel.
    pub export: RwSignal<Option<ExportView>>,
    /// A reply with the pseudonyms turned back into the real values.
    pub restored: RwSignal<Option<String>>,
    /// What a share link this page was opened from says: its version and the titles of the
    /// findings its sender saw ((code, ref, title)), until the person dismisses it.
    pub shared: RwSignal<Option<Shared>>,
    pub shared_titles: RwSignal<Vec<(String, String, String)>>,
    /// The session's pseudonyms: a restarted worker is given them, so a value keeps its
    /// pseudonym for the whole tab, and a reply can be restored after a cancel.
    mapping: StoredValue<Vec<(Category, String, String)>>,
    /// Whether the inputs are kept in the tab (the person's opt-in; see `keep`).
    pub keeping: RwSignal<Keeping>,
    /// The input the worker is reading or diagnosing now (from its Busy messages).
    reading: StoredValue<Option<u32>>,
    /// Inputs the engine crashed on, set aside: (name, what it said).
    pub failed: RwSignal<Vec<(String, String)>>,
    ui: Ui,
}

impl Workspace {
    pub fn new(ui: Ui) -> Workspace {
        let view = RwSignal::new(None::<ReportView>);
        let report = Memo::new(move |_| view.with(|v| v.as_ref().map_or_else(empty_report, |v| v.report.clone())));
        let workspace = Workspace {
            inputs: StoredValue::new_local(Inputs::default()),
            listed: RwSignal::new(Vec::new()),
            pastes: RwSignal::new(PasteCounter::default()),
            worker: StoredValue::new_local(None),
            in_flight: RwSignal::new(Vec::new()),
            view,
            report,
            progress: RwSignal::new(None),
            nodes: RwSignal::new(None),
            epoch: RwSignal::new(0),
            detail: RwSignal::new(None),
            guide: RwSignal::new(Vec::new()),
            answers: RwSignal::new(BTreeMap::new()),
            step: RwSignal::new(None),
            reveal: StoredValue::new(false),
            export: RwSignal::new(None),
            restored: RwSignal::new(None),
            shared: RwSignal::new(None),
            shared_titles: RwSignal::new(Vec::new()),
            mapping: StoredValue::new(Vec::new()),
            keeping: RwSignal::new(Keeping::Off),
            reading: StoredValue::new(None),
            failed: RwSignal::new(Vec::new()),
            ui,
        };
        // The language re-writes the report at once; the typed settings after a pause in typing.
        Effect::new(move |first: Option<()>| {
            ui.lang.track();
            if first.is_some() {
                workspace.send_view();
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
                        if workspace.worker.with_value(Option::is_some) {
                            workspace.send_view();
                        } else {
                            workspace.warm_up();
                        }
                    }
                },
                Duration::from_millis(250),
            );
        });
        workspace
    }

    /// The number of nodes of the current report (a fleet's rows stay in the worker).
    pub fn node_total(&self) -> usize {
        self.view.with(|v| v.as_ref().map_or(0, |v| v.node_total))
    }

    /// How many of the report's nodes have a cause (the worker counts: the page holds no nodes).
    pub fn with_cause(&self) -> usize {
        self.view.with(|v| v.as_ref().map_or(0, |v| v.with_cause))
    }

    /// Starts the worker if it is not running (the first input, or a focus on the paste area,
    /// asks for it: the first visit does not download the engine).
    pub fn warm_up(&self) {
        if self.worker.with_value(Option::is_none) {
            self.start();
        }
    }

    fn start(&self) -> Option<Rc<EngineWorker>> {
        let this = *self;
        let worker = Rc::new(EngineWorker::spawn(move |response| this.receive(response))?);
        self.worker.set_value(Some(worker.clone()));
        let mapping = self.mapping.get_value();
        if !mapping.is_empty() {
            worker.send(&Request::Pseudonyms { mapping });
        }
        // The guided path, walked from what there is (nothing yet, or the answers of a link);
        // before the view, whose reply walks it again in the right language and region.
        let node = self.detail.with_untracked(|d| d.as_ref().map(|(node, _)| node.clone()));
        worker.send(&Request::Guide { node, answers: self.answers.get_untracked() });
        self.send_view();
        Some(worker)
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

    fn receive(&self, response: Response) {
        match response {
            // Handled by the worker glue, which holds messages until then.
            Response::Ready => {}
            Response::Busy(stage) => {
                if let Stage::Reading { name } = &stage {
                    let id = self.listed.with_untracked(|l| l.iter().find(|(_, n)| n == name).map(|(id, _)| *id));
                    self.reading.set_value(id);
                }
                self.busy(stage)
            }
            Response::Report(view) => {
                self.reading.set_value(None);
                self.show(*view)
            }
            Response::Crashed(message) => self.crashed(message),
            Response::Nodes { filter, sort, total, offset, rows } => {
                self.nodes.set(Some(NodePage { filter, sort, total, offset, rows }))
            }
            Response::Node { node, findings } => self.detail.set(Some((node, findings))),
            Response::Guide(steps) => self.guide.set(steps),
            Response::Export(export) => {
                self.mapping.set_value(export.mapping.clone());
                self.export.set(Some(*export));
            }
            Response::Restored(text) => self.restored.set(Some(text)),
            Response::Titles(titles) => self.shared_titles.set(titles),
            Response::NodeFile { name, text } => {
                browser::download(&name, &text, "text/plain;charset=utf-8");
            }
        }
    }

    fn busy(&self, stage: Stage) {
        self.progress.update(|p| match p {
            Some(p) => p.stage = Some(stage),
            None => {
                let name = match &stage {
                    Stage::Reading { name } => name.clone(),
                    Stage::Diagnosing => String::new(),
                };
                *p = Some(Progress { name, sent: 0.0, total: 0.0, stage: Some(stage) })
            }
        });
    }

    fn show(&self, view: ReportView) {
        self.view.set(Some(view));
        self.nodes.set(None);
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
            let name = self.listed.with_untracked(|l| l.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()));
            self.inputs.update_value(|inputs| {
                inputs.remove(id);
            });
            self.failed.update(|f| f.push((name.unwrap_or_default(), message)));
            self.relist();
        }
        self.restart();
    }

    /// Adds pasted text (left in JavaScript) as "paste N". Blank pastes are ignored (false).
    pub fn add_paste(&self, text: &JsValue) -> bool {
        // Checked in JavaScript: the text is not copied into Rust to see that it is blank.
        let blank = js_sys::JsString::from(text.clone()).trim().length() == 0;
        if !text.is_string() || blank {
            return false;
        }
        let name = self.pastes.try_update(PasteCounter::next_name).unwrap_or_default();
        if let Some(blob) = blob_of_text(text) {
            self.add(&name, blob);
        }
        true
    }

    /// Adds text the page itself has (an example, an answer typed in the guide).
    pub fn add_text(&self, name: &str, text: &str) {
        if let Some(blob) = blob_of_text(&JsValue::from_str(text)) {
            self.add(name, blob);
        }
    }

    /// Adds an input brought back from the tab's storage, under its own name.
    pub fn add_kept(&self, name: &str, text: &str) {
        self.pastes.update(|p| p.saw(name));
        self.add_text(name, text);
    }

    /// Every input's name and bytes (to keep them in the tab).
    pub fn sources(&self) -> Vec<(String, Blob)> {
        self.inputs.with_value(|inputs| inputs.iter().map(|(_, name, blob)| (name.to_string(), blob.clone())).collect())
    }

    /// Replaces every input by the file served at `url` (an example), shown as busy from the
    /// click on.
    pub fn load(&self, name: &str, url: &str) {
        self.clear();
        self.warm_up();
        self.progress.set(Some(Progress { name: name.to_string(), sent: 0.0, total: 0.0, stage: None }));
        let (this, name, url) = (*self, name.to_string(), url.to_string());
        spawn_local(async move {
            match browser::fetch_blob(&url).await {
                Some(blob) => this.add(&name, blob),
                None => this.progress.set(None),
            }
        });
    }

    /// Adds a blob under its own name; one with the same name replaces the earlier one.
    pub fn add(&self, name: &str, blob: Blob) {
        let id = self.inputs.try_update_value(|inputs| inputs.put(name, blob.clone())).unwrap_or(0);
        self.relist();
        self.feed(id, name.to_string(), blob);
    }

    fn feed(&self, id: u32, name: String, blob: Blob) {
        let Some(worker) = self.worker() else { return };
        self.in_flight.update(|f| f.push(id));
        let progress = self.progress;
        let total = blob.size();
        progress.set(Some(Progress { name: name.clone(), sent: 0.0, total, stage: None }));
        spawn_local(async move {
            let show = move |sent, total| {
                progress.update(|p| {
                    if let Some(p) = p {
                        p.sent = sent;
                        p.total = total;
                    }
                })
            };
            // The step an answer stands for travels typed: the engine never reads it from a name.
            let answer = crate::state::answer_step(&name).map(str::to_string);
            worker.feed(id, name, answer, blob, show).await;
        });
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
        self.answers.set(BTreeMap::new());
        self.step.set(None);
        self.relist();
        self.restart();
    }

    /// Removes the input of that name, if there is one (an answer taken back).
    pub fn remove_named(&self, name: &str) {
        let id = self.listed.with_untracked(|l| l.iter().find(|(_, n)| n == name).map(|(id, _)| *id));
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
        let remaining: Vec<(u32, String, Blob)> = self
            .inputs
            .with_value(|inputs| inputs.iter().map(|(id, name, b)| (id, name.to_string(), b.clone())).collect());
        if remaining.is_empty() {
            self.view.set(None);
            self.guide.set(Vec::new());
            return;
        }
        for (id, name, blob) in remaining {
            self.feed(id, name, blob);
        }
    }

    fn relist(&self) {
        let listed =
            self.inputs.with_value(|inputs| inputs.iter().map(|(id, name, _)| (id, name.to_string())).collect());
        self.listed.set(listed);
    }

    pub fn is_empty(&self) -> bool {
        self.listed.with(Vec::is_empty)
    }

    /// A page of the fleet's nodes.
    pub fn request_nodes(&self, filter: String, sort: NodeSort, offset: usize, limit: usize) {
        if let Some(worker) = self.worker.with_value(Clone::clone) {
            worker.send(&Request::Nodes { filter, sort, offset, limit });
        }
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
        if let Some(worker) = self.worker.with_value(Clone::clone) {
            worker.send(&Request::Export { keep });
        }
    }

    /// Asks for `text` with the session's pseudonyms turned back into the real values.
    pub fn restore(&self, text: String) {
        if let Some(worker) = self.worker() {
            worker.send(&Request::Restore { text });
        }
    }

    /// Asks for the titles of the findings a share link names.
    pub fn request_titles(&self, codes: Vec<String>) {
        if let Some(worker) = self.worker() {
            worker.send(&Request::Titles { codes });
        }
    }

    /// Asks for a fleet group's node file, which arrives as a download.
    pub fn download_node_file(&self, name: String) {
        if let Some(worker) = self.worker() {
            worker.send(&Request::NodeFile { name });
        }
    }

    /// Asks for one node's findings in full.
    pub fn open_node(&self, node: &str) {
        if let Some(worker) = self.worker.with_value(Clone::clone) {
            worker.send(&Request::Node { node: node.to_string() });
        }
    }
}
