//! Evidence: every typed fact read from the inputs, each with the line that proves it.
//! Built once from all inputs, so facts from different pastes can be correlated by id.
//!
//! - `rows`: one function per output kind, registered with the key of the list it reads;
//! - `text`: command lines and the diagnostics table;
//! - `logs`: log lines as leveled events;
//! - `scan`: ids and regions named anywhere;
//! - `platform`: the node's operating system and package manager.

mod detector;
mod logs;
mod patch_states;
pub mod platform;
mod rows;
pub mod scan;
mod text;

pub use logs::log_prefix;
pub use patch_states::{BaselineOf, PatchStateRow, PatchStates, Time};
pub use platform::{PackageManager, Platform};
pub use text::package_manager_of;

use crate::beside::beside;
use crate::ingest::json::{self, Node, Value};
use crate::ingest::json_fast;
use crate::ingest::{Body, CliCommand, Grammar, Input, InputKind};
use crate::knowledge::Knowledge;
use crate::lines::Cite;
use crate::model::*;
use rows::{rows_of, Reader, Streamed};

#[derive(Debug, Default)]
pub struct Evidence {
    pub patch_states: PatchStates,
    pub patches: Vec<InstancePatch>,
    pub compliance_items: Vec<ComplianceItem>,
    pub resource_summaries: Vec<ResourceComplianceSummary>,
    pub compliance_summaries: Vec<ComplianceSummary>,
    pub nodes: Vec<ManagedNode>,
    pub ec2_instances: Vec<Ec2Instance>,
    pub activations: Vec<Activation>,
    pub vpc_endpoints: Vec<VpcEndpoint>,
    pub security_groups: Vec<SecurityGroup>,
    pub network_acls: Vec<NetworkAcl>,
    pub instance_status_checks: Vec<InstanceStatusCheck>,
    pub console_outputs: Vec<ConsoleOutput>,
    pub detector_findings: Vec<DetectorFinding>,
    pub fleet_verdicts: Vec<FleetVerdict>,
    pub association_statuses: Vec<InstanceAssociationStatus>,
    pub associations: Vec<Association>,
    pub association_runs: Vec<AssociationRun>,
    pub command_runs: Vec<CommandRun>,
    pub baselines: Vec<PatchBaseline>,
    pub compliance_events: Vec<ComplianceEvent>,
    pub diagnostics: Vec<DiagnosticCheck>,
    pub cli_commands: Vec<CliCommand>,
    pub trail_events: Vec<TrailEvent>,
    pub association_events: Vec<AssociationEvent>,
    pub log_events: Vec<LogEvent>,
    pub patch_group_mappings: Vec<PatchGroupMapping>,
    pub patch_group_states: Vec<PatchGroupState>,
    pub inventory: Vec<InventoryEntries>,
    /// The patch payload's own summaries of its runs.
    pub payload_summaries: Vec<PayloadSummary>,
    /// Text parts nothing recognised whose lines prove a known failure, and the kind of log
    /// those lines come from (input, part's first line, kind).
    pub recognised_by_lines: Vec<(usize, u32, InputKind)>,
    /// Default baselines from `describe-patch-baselines` (id, OS).
    pub default_baselines: Vec<(String, String)>,
    /// Package-manager names seen in patch output text (dpkg, apt, yum, dnf, rpm, zypper).
    pub package_words: Vec<String>,
    pub text_blocks: Vec<TextBlock>,
    /// Lists that came back empty (a fact: e.g. no patch state was ever reported).
    pub empty_lists: Vec<(Cite, InputKind)>,
    /// Lists with a NextToken: only the first page was pasted.
    pub truncated_lists: Vec<(Cite, InputKind)>,
    /// Ids and context found anywhere in the inputs. Scanned beside the reading of the parts
    /// and joined once every input is read: while parts are read it is empty, so reading a part
    /// must never look here (`collect`).
    pub context: Context,
    /// Notes about individual values (impossible dates, truncated output), by input.
    pub notes: Vec<(usize, crate::notice::Message)>,
    /// Inputs with a JSON document presumed strict that is not ([`Grammar::Presumed`]): read as
    /// they are split when nothing is presumed.
    pub unproven: Vec<usize>,
}

/// A document presumed strict JSON was not, in the input of this index: the evidence is read
/// again, that input as it is split when nothing is presumed.
struct Unproven(usize);

/// Ids pulled from anywhere they appear, with the first place each was seen.
#[derive(Debug, Default)]
pub struct Context {
    pub instance_ids: Vec<Field<String>>,
    /// The distinct instance ids each input names (by input index; at most a few each).
    pub ids_by_input: Vec<Vec<String>>,
    pub regions: Vec<Field<String>>,
    pub accounts: Vec<Field<String>>,
    pub platform: Option<Platform>,
    /// Run Command ids named in free text (runbook links, payload lines, orchestration paths).
    pub command_ids: Vec<Field<String>>,
    /// Association ids named in agent logs (`[<id>.<timestamp>]`, `associationId=<id>`).
    pub association_ids: Vec<Field<String>>,
    /// Patch baseline ids (or baseline ARNs) named anywhere.
    pub baseline_ids: Vec<Field<String>>,
    /// Snapshot ids from the payload output (`snapshot ID: …`, `snapshot id = …`).
    pub snapshot_ids: Vec<Field<String>>,
    /// Patch groups named in the payload output (`patch group: …,`).
    pub patch_groups: Vec<Field<String>>,
    /// The node's package manager, when the inputs tell.
    pub package_manager: Option<PackageManager>,
}

impl Context {
    pub fn region(&self) -> Option<&str> {
        self.regions.first().map(|f| f.value.as_str())
    }
}

impl Evidence {
    pub fn collect(inputs: &[Input]) -> Evidence {
        Evidence::collect_on(inputs, crate::beside::THREADS)
    }

    /// [`Evidence::collect`], with a second thread where the work is large enough only when
    /// `threads`.
    fn collect_on(inputs: &[Input], threads: bool) -> Evidence {
        // Each input whose presumed document is not strict is split again, and everything read
        // again: a rare case (a hand-edited export), so nothing read from it needs undoing.
        let mut split_again: Vec<(usize, Vec<crate::ingest::Part>)> = Vec::new();
        loop {
            match Evidence::collect_split(inputs, &split_again, threads) {
                Ok(mut ev) => {
                    ev.unproven = split_again.into_iter().map(|(index, _)| index).collect();
                    return ev;
                }
                Err(Unproven(index)) => split_again.push((index, inputs[index].split_unpresumed())),
            }
        }
    }

    /// The evidence of the inputs, those in `split_again` read as split there.
    fn collect_split(
        inputs: &[Input],
        split_again: &[(usize, Vec<crate::ingest::Part>)],
        threads: bool,
    ) -> Result<Evidence, Unproven> {
        let mut ev = Evidence::default();
        let mut context = Context::default();
        for (index, input) in inputs.iter().enumerate() {
            let parts = split_again.iter().find(|(at, _)| *at == index).map_or(&input.parts[..], |(_, parts)| parts);
            // The facts of its parts and the ids named anywhere in it are read from the same
            // text into different places: beside each other where there are threads.
            let mut read = Ok(());
            beside(
                threads && input.text.len() >= BESIDE_FROM_BYTES,
                || read = ev.read_parts(index, input, parts, threads),
                || context.scan_ids(index, input),
            );
            read?;
        }
        ev.context = context;
        // The payload summarises a patch run in its output, wherever that output was pasted.
        for at in 0..ev.command_runs.len() {
            let run = &ev.command_runs[at];
            if crate::model::is_patch_document(&run.document.value) {
                if let Some(output) = run.output.clone() {
                    ev.read_payload_summaries(Origin::Command(at), &output.value, |at| {
                        output.cite.within(1 + crate::lines::newlines(&output.value.as_bytes()[..at]) as u32)
                    });
                }
            }
        }
        ev.infer_platform();
        Ok(ev)
    }

    /// Reads every part of an input (`parts`, its own unless it is split again): JSON rows, and
    /// the text blocks' logs, lines and summaries.
    fn read_parts(
        &mut self,
        index: usize,
        input: &Input,
        parts: &[crate::ingest::Part],
        threads: bool,
    ) -> Result<(), Unproven> {
        for part in parts {
            match (&part.body, part.kind) {
                (Body::Json { span: Some(span), grammar, .. }, Some(kind)) => {
                    let beside = threads && span.1 - span.0 >= ROWS_BESIDE_FROM_BYTES;
                    self.read_streamed(index, kind, &input.text, *span, part.first_line, (*grammar, beside))?
                }
                (Body::Json { root, span: None, .. }, Some(kind)) => self.read_whole(index, kind, root),
                // Nothing is read from a document of no known kind, but one presumed strict must
                // be proven: unproven, the input may split otherwise.
                (Body::Json { span: Some(span), grammar: Grammar::Presumed, .. }, None) => {
                    skim(index, &input.text, *span)?
                }
                (Body::Json { .. }, None) => {}
                (Body::Text { start, end }, kind) => {
                    let text = &input.text[*start..*end];
                    // An excerpt nothing recognised, with a line that proves a known
                    // failure, is read as the kind of log that line comes from.
                    let kind = kind.or_else(|| {
                        let found = Knowledge::get().log_kind_of(text)?;
                        self.recognised_by_lines.push((index, part.first_line, found));
                        Some(found)
                    });
                    if let Some(kind) = kind {
                        self.read_text(index, kind, part.first_line, text);
                        self.read_log_events(index, kind, part.first_line, *start, text);
                    }
                    let said = text::Said::of(text);
                    self.note_package_words(said);
                    let block = self.text_blocks.len();
                    self.text_blocks.push(text::block(index, kind, part.first_line, *start, *end, text, said));
                    if matches!(kind, Some(InputKind::PatchLinuxOutput | InputKind::PatchWindowsOutput)) {
                        self.read_payload_summaries(Origin::Block(block), text, |at| {
                            Cite::new(index, input.line_of(start + at))
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads a JSON document from the input text, taking the rows of its lists one at a time as
    /// they are parsed (a 500 MB fleet export never exists as a tree).
    fn read_streamed<'a>(
        &mut self,
        input: usize,
        kind: InputKind,
        text: &'a str,
        (start, end): (usize, usize),
        line: u32,
        (grammar, beside): (Grammar, bool),
    ) -> Result<(), Unproven> {
        let Some(rows) = rows_of(kind) else {
            return match grammar {
                Grammar::Presumed => skim(input, text, (start, end)),
                _ => Ok(()),
            };
        };
        let reader = Reader { input };
        let mut streamed = Streamed::default();
        let parse = |sink: &mut dyn FnMut(&str, Node<'a>) -> Option<Node<'a>>| match grammar {
            Grammar::Strict => Ok(json_fast::parse_streaming(text, start, line, sink)),
            Grammar::Tolerant => Ok(json::parse_streaming(text, start, line, sink)),
            Grammar::Presumed => prove(input, text, (start, end), line, sink).map(Ok),
        };
        let parsed = if beside {
            self.read_rows_beside(rows, &reader, &mut streamed, parse)?
        } else {
            parse(&mut rows_of_lists(rows, &mut streamed, |read, row| read(self, &reader, &row)))?
        };
        if let Ok(parsed) = parsed {
            self.read_document(&reader, kind, &parsed.root, &streamed);
        }
        Ok(())
    }

    /// [`Evidence::read_streamed`]'s rows, a large document's, where there are threads: the JSON
    /// is parsed on this thread while a second one reads the rows it gives into their columns,
    /// in batches and in order. Parsing a 150 MB export and reading its rows are each about half
    /// of the 275 ms they took one after the other.
    fn read_rows_beside<'a, P>(
        &mut self,
        rows: &'static rows::KindRows,
        reader: &Reader,
        streamed: &mut Streamed,
        parse: impl FnOnce(&mut dyn FnMut(&str, Node<'a>) -> Option<Node<'a>>) -> Result<P, Unproven>,
    ) -> Result<P, Unproven> {
        const BATCH: usize = 512;
        type Batch<'a> = Vec<(rows::RowFn, Node<'a>)>;
        std::thread::scope(|scope| {
            let (send, batches) = std::sync::mpsc::sync_channel::<Batch<'a>>(8);
            // Read batches come back to be dropped here: freed by the thread that allocated
            // them, the allocator's lock is not fought over (that made two threads slower than
            // one).
            let (give_back, read_batches) = std::sync::mpsc::channel::<Batch<'a>>();
            let ev = &mut *self;
            scope.spawn(move || {
                for batch in batches {
                    batch.iter().for_each(|(read, row)| read(ev, reader, row));
                    let _ = give_back.send(batch);
                }
            });
            let mut batch: Batch<'a> = Vec::with_capacity(BATCH);
            let parsed = parse(&mut rows_of_lists(rows, streamed, |read, row| {
                batch.push((read, row));
                if batch.len() == BATCH {
                    let mut next = read_batches.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH));
                    next.clear();
                    // The reader stops only when this thread lets it: a send cannot fail before.
                    let _ = send.send(std::mem::replace(&mut batch, next));
                }
            }));
            let _ = send.send(batch);
            // The reader ends with the last sender; what it gives back is dropped here.
            drop(send);
            read_batches.into_iter().for_each(drop);
            parsed
        })
    }

    /// Reads a document that was built whole (`--output text`, CSV), row by row.
    fn read_whole(&mut self, input: usize, kind: InputKind, root: &Node) {
        let Some(rows) = rows_of(kind) else { return };
        let reader = Reader { input };
        for (key, read) in rows.lists {
            for row in rows::list(root, key) {
                read(self, &reader, row);
            }
        }
        self.read_document(&reader, kind, root, &Streamed::default());
    }

    /// What a document says besides its rows: a NextToken (only a first page), an empty main
    /// list (a fact), and its kind's document-level facts.
    fn read_document(&mut self, r: &Reader, kind: InputKind, root: &Node, streamed: &Streamed) {
        if let Some(token) = root.get("NextToken").filter(|t| t.as_str().is_some_and(|s| !s.is_empty())) {
            self.truncated_lists.push((r.cite(token), kind));
        }
        if let Some((key, list)) =
            root.entries().iter().find(|(k, v)| k != "NextToken" && matches!(v.value, Value::Array(_)))
        {
            if list.as_array().is_empty() && streamed.rows(key) == 0 && root.entries().len() <= 2 {
                self.empty_lists.push((r.cite(list), kind));
            }
        }
        if let Some(document) = rows_of(kind).and_then(|rows| rows.document) {
            document(self, r, root, streamed);
        }
    }
}

/// The sink of a streamed document: each element of a list the kind reads (`rows`) is counted
/// and given to `take` with the function that reads it; anything else stays in the document's
/// tree.
fn rows_of_lists<'a, 's>(
    rows: &'static rows::KindRows,
    streamed: &'s mut Streamed,
    mut take: impl FnMut(rows::RowFn, Node<'a>) + 's,
) -> impl FnMut(&str, Node<'a>) -> Option<Node<'a>> + 's {
    move |key, row| {
        let Some((list, read)) = rows.lists.iter().find(|(list, _)| *list == key) else { return Some(row) };
        streamed.add(list);
        take(*read, row);
        None
    }
}

/// Reads the document presumed strict JSON at `span` of input `input`, its rows given to `sink`:
/// read whole to where it was presumed to end, it is proven; else the input is read again.
fn prove<'a>(
    input: usize,
    text: &'a str,
    (start, end): (usize, usize),
    line: u32,
    sink: &mut dyn FnMut(&str, Node<'a>) -> Option<Node<'a>>,
) -> Result<json::Parsed<'a>, Unproven> {
    match json_fast::parse_proving(text, start, line, sink) {
        Ok(parsed) if parsed.end == end => Ok(parsed),
        _ => Err(Unproven(input)),
    }
}

/// Proves the document presumed strict JSON at `span` of input `input` without reading it (no
/// rows of it are read): serde_json's skim, which builds nothing, where reading it would build
/// whatever is not a row.
fn skim(input: usize, text: &str, (start, end): (usize, usize)) -> Result<(), Unproven> {
    match json_fast::strict_end(text, start) {
        Some(skimmed) if skimmed == end => Ok(()),
        _ => Err(Unproven(input)),
    }
}

/// Inputs smaller than this are read on one thread: a thread costs more than it saves.
const BESIDE_FROM_BYTES: usize = 1 << 20;

/// A document at least this large has its rows read beside its parsing where there are
/// threads ([`Evidence::read_rows_beside`]).
const ROWS_BESIDE_FROM_BYTES: usize = 8 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    /// A large document's rows read beside its parsing, on a second thread, are the rows read
    /// as they are parsed: the same evidence, on one thread and on two; and so is one presumed
    /// strict that is not (a trailing comma: read again, as the tolerant reader reads it).
    #[test]
    fn rows_read_beside_their_parsing_are_those_read_as_parsed() {
        let export = crate::generate::generate("instance-patch-states", 10_000, 5).expect("a generated export");
        assert!(export.len() >= ROWS_BESIDE_FROM_BYTES, "{} bytes: read beside", export.len());
        let last = export.rfind(']').expect("a list");
        let trailing_comma = format!("{},{}", &export[..last], &export[last..]);
        let presumed = || crate::ingest::Arrived { presume_strict: true, ..crate::ingest::Arrived::default() };
        let inputs = [
            crate::ingest::read("proven.json", export.as_bytes()),
            crate::ingest::read_text("presumed.json", export.clone(), presumed()),
            crate::ingest::read_text("not-strict.json", trailing_comma, presumed()),
        ];
        let (one, two) = (Evidence::collect_on(&inputs, false), Evidence::collect_on(&inputs, true));
        assert_eq!(one.patch_states.len(), 30_000);
        assert_eq!((&one.unproven, &two.unproven), (&vec![2], &vec![2]));
        assert_eq!(format!("{one:?}"), format!("{two:?}"));
    }

    /// An input over the threshold is scanned on another thread, beside the reading of its
    /// parts: the context is the one the scan finds alone, in the same order, and the rows are
    /// read whole.
    #[test]
    fn a_large_input_scanned_beside_its_parts_gives_the_context_of_a_scan_alone() {
        let export = crate::generate::generate("instance-patch-states", 2000, 3).expect("a generated export");
        // Free text after the export names ids only a scan finds: a command, a region, an account.
        let text = format!(
            "{export}\nRunCommandId=0b9a1c53-7e2f-4d61-9a4e-4f0f1b2c3d4e/ arn:aws:ssm:eu-west-3:123456789012:document/x\n"
        );
        assert!(text.len() >= BESIDE_FROM_BYTES);
        let inputs = [
            crate::ingest::read("small.log", b"i-0123456789abcdef0 in ap-south-1"),
            crate::ingest::read("fleet.txt", text.as_bytes()),
        ];
        let ev = Evidence::collect(&inputs);
        let mut alone = Context::default();
        for (index, input) in inputs.iter().enumerate() {
            alone.scan_ids(index, input);
        }
        assert_eq!(format!("{:?}", ev.context.instance_ids), format!("{:?}", alone.instance_ids));
        assert_eq!(format!("{:?}", ev.context.ids_by_input), format!("{:?}", alone.ids_by_input));
        for (found, alone) in [
            (&ev.context.regions, &alone.regions),
            (&ev.context.accounts, &alone.accounts),
            (&ev.context.command_ids, &alone.command_ids),
            (&ev.context.baseline_ids, &alone.baseline_ids),
        ] {
            assert_eq!(format!("{found:?}"), format!("{alone:?}"));
        }
        assert_eq!(ev.context.regions[0].value, "ap-south-1");
        assert!(ev.context.command_ids.iter().any(|c| c.value == "0b9a1c53-7e2f-4d61-9a4e-4f0f1b2c3d4e"));
        assert_eq!(ev.patch_states.len(), 2000);
    }
}
