//! The messages between the page and the diagnosis worker. Plain data in postcard, a compact
//! binary whose code costs the page's bundle far less than JSON's for the report's many types;
//! the bytes of a large input travel beside a [`Request::Slice`] as a transferred `ArrayBuffer`,
//! never copied into a JavaScript string.

use std::collections::BTreeMap;

use diagnosis::knowledge::Lang;
use diagnosis::redact::{Category, Found};
use diagnosis::report::{FindingReport, NodeVerdict, Report};
use diagnosis::wizard::Step;
use serde::{Deserialize, Serialize};

/// Every message carries a sequence number: the page numbers its requests, and each answer
/// carries the number of the request it answers (0: none, as `Ready`), so a reply to a request
/// the page has since replaced (an export for other categories, the titles of an older link)
/// is recognised and dropped.
pub type Seq = u32;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// An input is coming in slices: its name and its size in bytes.
    Begin {
        id: u32,
        name: String,
        size: u64,
        /// The guided step this input answers (the output the answer stands for); None for
        /// data. An answer is diagnosed only while no data is recognised.
        answer: Option<String>,
    },
    /// The next slice of input `id`; its bytes are the message's second element.
    Slice {
        id: u32,
    },
    /// Every slice of `id` was sent: read it, then diagnose.
    End {
        id: u32,
    },
    /// A file the page could not read, with the reason.
    Unreadable {
        id: u32,
        name: String,
        why: String,
    },
    Remove {
        id: u32,
    },
    /// How reports are written from now on: the language, what was typed in the region and
    /// profile fields (invalid values are ignored, as on the page), and the clock.
    View {
        lang: Lang,
        region: String,
        profile: String,
        /// The instance typed in: the node of the commands when the inputs name none.
        instance: String,
        now: f64,
    },
    /// A page of the nodes of a fleet report, filtered by a text and sorted.
    Nodes {
        filter: String,
        sort: NodeSort,
        offset: usize,
        limit: usize,
    },
    /// One node's findings in full.
    Node {
        node: String,
    },
    /// The guided path for a node (None: the report's first), with the person's answers by
    /// step id (N1's is the branch).
    Guide {
        node: Option<String>,
        answers: BTreeMap<String, String>,
    },
    /// The report and the decision path taken, redacted (every category but those in `keep`)
    /// with the session's pseudonyms, for the person to check and send.
    Export {
        keep: Vec<Category>,
    },
    /// A text written with the session's pseudonyms (a support reply), to restore.
    Restore {
        text: String,
    },
    /// The pseudonyms of the session so far (a restarted worker goes on with them).
    Pseudonyms {
        mapping: Vec<(Category, String, String)>,
    },
    /// The titles of finding codes a share link names, in the current language.
    Titles {
        codes: Vec<String>,
    },
    /// A fleet group's node file (its `node_file` name), to download: the page holds only the
    /// first ids of a group.
    NodeFile {
        name: String,
    },
}

/// How the fleet's node table is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum NodeSort {
    /// Nodes with the most causes first (then as the report lists them).
    #[default]
    Worst,
    /// By node id.
    Node,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The worker listens: messages sent before this would have been lost, so the page holds
    /// them until it comes.
    Ready,
    /// What the worker is doing now (the page shows it, with a way to cancel).
    Busy(Stage),
    /// The report of the current inputs (a fleet's nodes are asked for page by page).
    Report(Box<ReportView>),
    /// A page of the node table, for the filter and order it was asked with.
    Nodes {
        filter: String,
        sort: NodeSort,
        total: usize,
        offset: usize,
        rows: Vec<NodeVerdict>,
    },
    Node {
        node: String,
        findings: Vec<FindingReport>,
    },
    /// The guided path's steps, sent with each report and when asked.
    Guide(Vec<Step>),
    Export(Box<ExportView>),
    Restored(String),
    /// (code, ref, title) of the codes asked for that exist.
    Titles(Vec<(String, String, String)>),
    /// A group's node file: every id of the group, 50 to a line (empty when no group has it).
    NodeFile {
        name: String,
        text: String,
    },
    /// The engine panicked (the worker is gone): what it said. The page marks the input it was
    /// reading as failed and starts a new worker with the others.
    Crashed(String),
}

/// What leaves the page when the person sends a report: exactly this Markdown (the preview
/// shows it), or the same content printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportView {
    pub markdown: String,
    pub report: Report,
    pub walk: Vec<Step>,
    pub found: Found,
    /// Every pseudonym of the session with its value: the page keeps it, so a new worker (after
    /// a cancel, or a large input removed) numbers values as the last one did.
    pub mapping: Vec<(Category, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Stage {
    /// Reading (decoding, splitting) an input: the page's id and its name.
    Reading { id: u32, name: String },
    /// Diagnosing every input together.
    Diagnosing,
}

/// A report as the page receives it. Small reports come whole. A fleet report comes without its
/// `nodes` (the page asks for the rows it shows; the first page of them, in the table's first
/// order, comes with it) and with each group's node list shortened to [`GROUP_NODES_SENT`] (its
/// `node_count` keeps the total), so the page never holds, nor parses, a list of 150,000 nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub report: Report,
    /// The page's id of each of the report's inputs, in the same order.
    pub input_ids: Vec<u32>,
    /// How many nodes the report has (its `nodes` may have been left out).
    pub node_total: usize,
    /// How many of them have a cause (`NodeTable::with_cause`, [`Report::nodes_with_cause`]'s rule).
    pub with_cause: usize,
    /// A fleet's first [`NODE_PAGE_ROWS`] nodes, unfiltered, in the default [`NodeSort`]: the
    /// table shows with the summary, without asking (empty for a report that lists its nodes).
    pub first_nodes: Vec<NodeVerdict>,
}

/// How many rows of the node table the page asks for at once, and gets with a fleet's report.
pub const NODE_PAGE_ROWS: usize = 120;

/// How many node ids of each group reach the page.
pub const GROUP_NODES_SENT: usize = 100;
