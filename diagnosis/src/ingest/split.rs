//! Splits one paste into parts: JSON documents, AWS CLI command lines, and blocks of text (logs,
//! `--output text`, tables), and classifies each part. A terminal session with several commands
//! and their outputs therefore reads as several inputs of known kinds.

use std::sync::OnceLock;

use crate::lines::LineIndex;
use crate::regexes::{self, Regex};

use super::json::{self, Node};
use super::json_fast;
use super::kind::{json_kind, InputKind};
use crate::notice::{Message, Notice};

/// One classified part of an input.
#[derive(Debug)]
pub struct Part {
    /// None when the part could not be recognised.
    pub kind: Option<InputKind>,
    pub first_line: u32,
    pub last_line: u32,
    pub body: Body,
    /// Repairs and hints for this part, in plain words.
    pub messages: Vec<Message>,
    /// True when the part was read after repairing broken syntax.
    pub repaired: bool,
}

#[derive(Debug)]
pub enum Body {
    /// A JSON document. `span` (byte range in the input) is set when it was read from the
    /// input's text: `root` is then only a skim (long lists cut to their first elements) and
    /// the evidence reader streams the document from `span`. Trees built from CSV or
    /// `--output text` have no span and are complete.
    Json {
        root: Node<'static>,
        span: Option<(usize, usize)>,
        /// How the evidence reader reads it from `span`.
        grammar: Grammar,
    },
    /// Byte range of the part in the input text.
    Text { start: usize, end: usize },
}

/// How a JSON document is read from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grammar {
    /// With repairs (`json.rs`), each one said.
    Tolerant,
    /// Proven strict JSON, what the AWS CLI prints (serde_json's skim): read on the fast path
    /// (`json_fast`).
    Strict,
    /// Presumed strict JSON running to the text's last bracket, unproven: a large text (in the
    /// page's worker, and a large file in the CLI), where proving a 150 MB export before reading
    /// it took a tenth of its time. The fast path reads its rows proving it
    /// (`json_fast::parse_proving`); one with no rows to read is skimmed. If it is not strict,
    /// or ends before that bracket, the text is split again as if nothing had been presumed
    /// (`Input::split_unpresumed`), and read as that split says (`Evidence::collect`).
    Presumed,
}

pub fn split(text: &str) -> Vec<Part> {
    split_with(text, false, &OnceLock::new())
}

/// Like [`split`]. With `presume`, the document the text starts with is presumed strict to the
/// text's last bracket ([`Grammar::Presumed`]), not skimmed to prove it. A large document's
/// lines are counted with the text's line index (`lines`, built here if it is not yet), which
/// the input keeps: its lines are counted once, not once more for the index.
pub fn split_with(text: &str, presume: bool, lines: &OnceLock<LineIndex>) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut pos = 0usize;
    let mut line = 1u32;
    // Start (byte, line) of the text block being collected.
    let mut block: Option<(usize, u32)> = None;
    let flush = |parts: &mut Vec<Part>, block: &mut Option<(usize, u32)>, end: usize, end_line: u32| {
        if let Some((start, first)) = block.take() {
            if text[start..end].trim().is_empty() {
                return;
            }
            parts.push(text_part(text, start, end, first, end_line.saturating_sub(1).max(first)));
        }
    };
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let current = &text[pos..line_end];
        let indent = current.len() - current.trim_start().len();
        let whole = quoted_json_here(text, pos + indent, line).or_else(|| fragment_here(text, pos + indent, line));
        if let Some((part, end)) = whole {
            flush(&mut parts, &mut block, pos, line);
            line = part.last_line;
            pos = end;
            parts.push(part);
            let rest_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            if text[pos..rest_end].trim().is_empty() {
                pos = (rest_end + 1).min(text.len());
                line += 1;
            }
            continue;
        }
        if let Some((doc, grammar)) = json_here(text, pos + indent, line, presume) {
            flush(&mut parts, &mut block, pos, line);
            let last_line = line + lines_in(text, pos, doc.end, lines);
            let repaired = !doc.repairs.is_empty();
            let kind = json_kind(&doc.root);
            let mut messages: Vec<Message> =
                doc.repairs.iter().map(|(line, r)| json::repair_message(*line, r)).collect();
            if kind.is_none() {
                messages.push(unknown_json_message(&doc.root));
            }
            let body = Body::Json { root: doc.root.into_owned(), span: Some((pos + indent, doc.end)), grammar };
            parts.push(Part { kind, first_line: line, last_line, body, messages, repaired });
            // Continue after the document; the rest of its last line is ignored when blank.
            line = last_line;
            pos = doc.end;
            let rest_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            if text[pos..rest_end].trim().is_empty() {
                pos = (rest_end + 1).min(text.len());
                line += 1;
            }
            continue;
        }
        if let Some(end) = command_line_end(text, pos) {
            flush(&mut parts, &mut block, pos, line);
            let last_line = line + crate::lines::newlines(text[pos..end].trim_end().as_bytes()) as u32;
            parts.push(Part {
                kind: Some(InputKind::CliCommand),
                first_line: line,
                last_line,
                body: Body::Text { start: pos, end },
                messages: Vec::new(),
                repaired: false,
            });
            line = last_line + 1;
            pos = (end + 1).min(text.len()).max(end);
            continue;
        }
        if block.is_none() {
            block = Some((pos, line));
        }
        pos = line_end + 1;
        line += 1;
    }
    flush(&mut parts, &mut block, text.len(), line + 1);
    read_query_answers(text, &mut parts);
    parts
}

/// Documents from this size on have their lines counted with the text's line index.
const INDEXED_FROM_BYTES: usize = 1 << 20;

/// How many line ends `text[start..end]` holds.
fn lines_in(text: &str, start: usize, end: usize, lines: &OnceLock<LineIndex>) -> u32 {
    if end - start < INDEXED_FROM_BYTES {
        return crate::lines::newlines(&text.as_bytes()[start..end]) as u32;
    }
    let index = lines.get_or_init(|| LineIndex::new(text));
    index.line_of(text, end) - index.line_of(text, start)
}

/// A block nothing recognised right after a command with `--query … --output text` holds that
/// command's rows with no header: its `--query` names the columns.
fn read_query_answers(text: &str, parts: &mut [Part]) {
    for at in 1..parts.len() {
        let (before, rest) = parts.split_at_mut(at);
        let (command, block) = (&before[at - 1], &mut rest[0]);
        let (Some(InputKind::CliCommand), Body::Text { start: c_start, end: c_end }) = (command.kind, &command.body)
        else {
            continue;
        };
        let (None, Body::Text { start, end }) = (block.kind, &block.body) else { continue };
        let Some(projection) = super::query_text::projection(&text[*c_start..*c_end]) else { continue };
        let Some(root) = super::query_text::read(&projection, &text[*start..*end], block.first_line) else { continue };
        let Some(kind) = json_kind(&root) else { continue };
        block.kind = Some(kind);
        block.body = Body::Json { root, span: None, grammar: Grammar::Tolerant };
        block.messages = vec![Message::new(Notice::ReadThroughQuery).with("kind", kind.name())];
    }
}

/// A JSON document starting at `at`, if one plausibly does. Log lines such as `[INFO] ...` or
/// `{Success=1}` must not be swallowed, so a document is only accepted when it parsed without
/// skipping unknown text, or was recognised despite a few skips.
fn json_here(text: &str, at: usize, line: u32, presume: bool) -> Option<(json::Parsed<'_>, Grammar)> {
    let bytes = text.as_bytes();
    let open = *bytes.get(at)?;
    if open != b'{' && open != b'[' {
        return None;
    }
    let next = text[at + 1..].trim_start().bytes().next().unwrap_or(b'}');
    let plausible = match open {
        // `{` then a key, the end, or a `//` comment before them.
        b'{' => matches!(next, b'"' | b'}' | b'\'') || text[at + 1..].trim_start().starts_with("//"),
        _ => matches!(next, b'{' | b'[' | b'"' | b']' | b'0'..=b'9' | b'-'),
    };
    if !plausible {
        return None;
    }
    // A one-line value with more text after it on that line is a log line that starts with a
    // bracket (`[ 8123.456789] Out of memory: …`, the kernel's timestamps), not a document.
    let log_line = |end: usize, root: &Node| {
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        !text[at..end].contains('\n') && !text[end..line_end].trim().is_empty() && json_kind(root).is_none()
    };
    let (strict_end, grammar) = match presume.then(|| presumed_end(text, at)).flatten() {
        Some(end) => (Some(end), Grammar::Presumed),
        None => (json_fast::strict_end(text, at), Grammar::Strict),
    };
    if let Some(end) = strict_end {
        // Strict JSON: its kind shows in its first part (the top-level keys come first), and
        // the evidence reader streams the rest; skimming 150 MB twice was a third of the time.
        let mut head_end = (at + HEAD_BYTES).min(end);
        while !text.is_char_boundary(head_end) {
            head_end -= 1;
        }
        let head = json::probe_at(&text[..head_end], at, line, 3).ok()?;
        if log_line(end, &head.root) {
            return None;
        }
        return Some((json::Parsed { root: head.root, end, repairs: Vec::new() }, grammar));
    }
    let doc = json::probe_at(text, at, line, 3).ok()?;
    if log_line(doc.end, &doc.root) {
        return None;
    }
    let skips = doc.repairs.iter().filter(|(_, r)| matches!(r, json::Repair::Skipped { .. })).count();
    let lines = crate::lines::newlines(&text.as_bytes()[at..doc.end]);
    let recognised = json_kind(&doc.root).is_some();
    (skips == 0 || (recognised && skips <= 3 && lines >= 10)).then_some((doc, Grammar::Tolerant))
}

/// Where the document at `at` ends if the text is that document (whitespace around it): at the
/// text's last byte that is not whitespace, when that is the bracket closing the one at `at`.
fn presumed_end(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let space = |b: &u8| matches!(b, b' ' | b'\n' | b'\t' | b'\r');
    let closing = match bytes.get(at)? {
        b'{' => b'}',
        b'[' => b']',
        _ => return None,
    };
    let end = bytes.iter().rposition(|b| !space(b))? + 1;
    (bytes[..at].iter().all(space) && end > at + 1 && bytes[end - 1] == closing).then_some(end)
}

/// A known output quoted Markdown-style (`> {"InstancePatchStates": …`, every line behind `>`),
/// as it is copied out of a ticket or a chat: read whole, the quote markers skipped.
fn quoted_json_here(text: &str, at: usize, line: u32) -> Option<(Part, usize)> {
    let rest = text.get(at..)?.strip_prefix('>')?;
    let inner = rest.len() - rest.trim_start_matches(['>', ' ', '\t']).len();
    let start = at + 1 + inner;
    if !text[start..].starts_with(['{', '[']) {
        return None;
    }
    let doc = json::parse_quoted_at(text, start, line, 3).ok()?;
    // The rest of its last line is quoting too.
    let end = text[doc.end..].find('\n').map_or(text.len(), |i| doc.end + i);
    let part = whole_part(text, start, doc.end, line, doc, Some(Message::new(Notice::QuotedJson).at_line(line)))?;
    Some((part, end))
}

/// Members of a known output pasted without their braces (`"InstancePatchStates": [ ... ]`,
/// as copied out of a larger answer): read as the object they came from, when that object is a
/// kind we know and nothing had to be skipped. Read whole (a paste, not an export), so the
/// evidence takes its rows from the tree, which keeps every line.
fn fragment_here(text: &str, at: usize, line: u32) -> Option<(Part, usize)> {
    let rest = text.get(at..)?;
    let key_end = rest.strip_prefix('"')?.find('"')? + 1;
    let key = &rest[1..key_end];
    if key.is_empty()
        || !key.bytes().all(|b| b.is_ascii_alphanumeric())
        || !key.starts_with(|c: char| c.is_ascii_uppercase())
    {
        return None;
    }
    let after = rest[key_end + 1..].trim_start_matches([' ', '\t']);
    let value = after.strip_prefix(':')?.trim_start_matches([' ', '\t', '\r', '\n']);
    if !value.starts_with(['[', '{']) {
        return None;
    }
    let doc = json::parse_fragment_at(text, at, line, 3).ok()?;
    // The reader stops at the text after the members; the fragment ends with its last member.
    let end = at + text[at..doc.end].trim_end().len();
    Some((whole_part(text, at, end, line, doc, None)?, end))
}

/// A document a repairing reader read whole from `start` to `end` (no span: the tree keeps
/// every row and line), as a part when it is a known kind and nothing had to be skipped.
fn whole_part(
    text: &str,
    start: usize,
    end: usize,
    line: u32,
    doc: json::Parsed,
    note: Option<Message>,
) -> Option<Part> {
    let kind = json_kind(&doc.root)?;
    if doc.repairs.iter().any(|(_, r)| matches!(r, json::Repair::Skipped { .. })) {
        return None;
    }
    let mut messages: Vec<Message> = doc.repairs.iter().map(|(line, r)| json::repair_message(*line, r)).collect();
    messages.extend(note);
    Some(Part {
        kind: Some(kind),
        first_line: line,
        last_line: line + crate::lines::newlines(&text.as_bytes()[start..end]) as u32,
        body: Body::Json { root: doc.root.into_owned(), span: None, grammar: Grammar::Tolerant },
        messages,
        repaired: true,
    })
}

/// How much of a strict document is read to recognise it.
const HEAD_BYTES: usize = 256 * 1024;

fn unknown_json_message(root: &Node) -> Message {
    let keys: Vec<&str> = root.keys().take(5).collect();
    if keys.is_empty() {
        Message::new(Notice::BareJson)
    } else {
        Message::new(Notice::UnknownJson).with("keys", keys.join(", "))
    }
}

/// If an AWS CLI command line starts at `pos` (optionally after a shell prompt), returns the end
/// of the command including `\` (bash) or backtick (PowerShell) continuation lines.
fn command_line_end(text: &str, pos: usize) -> Option<usize> {
    let first_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    let line = &text[pos..first_end];
    if !line.contains("aws") || !cli_regex().is_match(line) {
        return None;
    }
    let mut end = first_end;
    while end < text.len() {
        let line = text[..end].rsplit('\n').next().unwrap_or("").trim_end();
        if !(line.ends_with('\\') || line.ends_with('`') || line.ends_with('^')) {
            break;
        }
        end = text[end + 1..].find('\n').map_or(text.len(), |i| end + 1 + i);
    }
    Some(end)
}

/// An AWS CLI command line, after an optional prompt: `$ `, `# `, `> `, `[user@host dir]$ `,
/// `PS C:\> `, `C:\> `.
pub(crate) const CLI_PATTERN: &str = r"^\s*(?:(?:\[[^\]]*\]|[\w.@:~/-]+)?[$#>%]\s+|PS [^>]*>\s*|[A-Za-z]:\\[^>]*>\s*)?(?:aws(?:\.exe)?|aws2)\s+[a-z0-9-]+\s+[a-z0-9-]+";

fn cli_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| regexes::compile(CLI_PATTERN).expect("cli regex"))
}

/// `--output text` rows start with the upper-cased name of the list they came from.
const TEXT_OUTPUT_ROWS: &[(&str, InputKind)] = &[
    ("COMPLIANCEITEMS", InputKind::ComplianceItems),
    ("RESOURCECOMPLIANCESUMMARYITEMS", InputKind::ResourceComplianceSummaries),
    ("COMPLIANCESUMMARYITEMS", InputKind::ComplianceSummaries),
    ("INSTANCEPATCHSTATES", InputKind::InstancePatchStates),
    ("PATCHES", InputKind::InstancePatches),
    ("INSTANCEINFORMATIONLIST", InputKind::InstanceInformation),
    ("INSTANCEASSOCIATIONSTATUSINFOS", InputKind::InstanceAssociationsStatus),
    ("ASSOCIATIONDESCRIPTION", InputKind::AssociationDescription),
    ("ASSOCIATIONEXECUTIONS", InputKind::AssociationExecutions),
    ("ASSOCIATIONEXECUTIONTARGETS", InputKind::AssociationExecutionTargets),
    ("COMMANDINVOCATIONS", InputKind::CommandInvocations),
    ("COMMANDS", InputKind::Commands),
];

/// `--output table` titles are the operation names.
const TABLE_TITLES: &[(&str, InputKind)] = &[
    ("ListComplianceItems", InputKind::ComplianceItems),
    ("ListResourceComplianceSummaries", InputKind::ResourceComplianceSummaries),
    ("ListComplianceSummaries", InputKind::ComplianceSummaries),
    ("DescribeInstancePatchStates", InputKind::InstancePatchStates),
    ("DescribeInstancePatches", InputKind::InstancePatches),
    ("DescribeInstanceInformation", InputKind::InstanceInformation),
    ("DescribeInstanceAssociationsStatus", InputKind::InstanceAssociationsStatus),
    ("DescribeAssociation", InputKind::AssociationDescription),
    ("ListCommandInvocations", InputKind::CommandInvocations),
    ("ListCommands", InputKind::Commands),
    ("GetCommandInvocation", InputKind::CommandInvocation),
    ("GetPatchBaseline", InputKind::PatchBaseline),
];

fn text_part(text: &str, start: usize, end: usize, first_line: u32, last_line: u32) -> Part {
    let block = &text[start..end];
    if let Some(kind) = super::detector_csv::kind(block) {
        if let Some(root) = super::detector_csv::read(kind, block, first_line) {
            let body = Body::Json { root, span: None, grammar: Grammar::Tolerant };
            return Part { kind: Some(kind), first_line, last_line, body, messages: Vec::new(), repaired: false };
        }
    }
    if classify_text(block, &mut Vec::new()) == Some(InputKind::PatchReportCsv) {
        if let Some(root) = super::csv::read(block, first_line) {
            return Part {
                kind: Some(InputKind::PatchReportCsv),
                first_line,
                last_line,
                body: Body::Json { root, span: None, grammar: Grammar::Tolerant },
                messages: Vec::new(),
                repaired: false,
            };
        }
    }
    // `--output text` becomes the same tree as the JSON output.
    if text_output_kind(block).is_some() {
        if let Some((kind, root, messages)) = super::text_output::read(block, first_line) {
            let repaired = !messages.is_empty();
            return Part {
                kind: Some(kind),
                first_line,
                last_line,
                body: Body::Json { root, span: None, grammar: Grammar::Tolerant },
                messages,
                repaired,
            };
        }
    }
    let mut messages = Vec::new();
    let kind = classify_text(block, &mut messages);
    if kind.is_none() && messages.is_empty() {
        messages.push(Message::new(Notice::NotRecognised));
    }
    Part { kind, first_line, last_line, body: Body::Text { start, end }, messages, repaired: false }
}

/// Classifies a block of text lines; table/YAML outputs are recognised and explained.
pub fn classify_text(block: &str, messages: &mut Vec<Message>) -> Option<InputKind> {
    let first = block.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    let header = first.trim_start_matches('\u{FEFF}').replace('"', "");
    if header.to_ascii_lowercase().starts_with("index,instance id") {
        return Some(InputKind::PatchReportCsv);
    }
    if let Some(kind) = super::detector_csv::kind(block) {
        return Some(kind);
    }
    if let Some(kind) = text_output_kind(block) {
        return Some(kind);
    }
    if let Some((title, kind)) = TABLE_TITLES
        .iter()
        .find(|(title, _)| block.lines().take(3).any(|l| l.trim().trim_matches('|').trim() == *title))
    {
        messages.push(Message::new(Notice::TableOutput).with("title", title).with("command", kind.source()));
        return None;
    }
    if let Some(kind) = yaml_kind(block) {
        messages.push(Message::new(Notice::YamlOutput).with("command", kind.source()));
        return None;
    }
    // What a block is shows in its first and last lines; a bounded sample keeps this linear.
    super::signals::likeliest_kind(&sample(block))
}

/// The first 256 KiB and the last 64 KiB of a block (cut at line ends).
fn sample(block: &str) -> std::borrow::Cow<'_, str> {
    const HEAD: usize = 256 * 1024;
    const TAIL: usize = 64 * 1024;
    if block.len() <= HEAD + TAIL {
        return block.into();
    }
    let head_end = block[..HEAD].rfind('\n').unwrap_or(HEAD);
    let tail_start = block[block.len() - TAIL..].find('\n').map_or(block.len() - TAIL, |n| block.len() - TAIL + n);
    let (head_end, tail_start) = (floor_char(block, head_end), floor_char(block, tail_start));
    format!("{}\n{}", &block[..head_end], &block[tail_start..]).into()
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn text_output_kind(block: &str) -> Option<InputKind> {
    block.lines().take(10_000).filter(|l| l.contains('\t')).find_map(|l| {
        let head = l.split('\t').next().unwrap_or("");
        TEXT_OUTPUT_ROWS.iter().find(|(name, _)| *name == head).map(|(_, kind)| *kind)
    })
}

fn yaml_kind(block: &str) -> Option<InputKind> {
    let first = block.lines().find(|l| !l.trim().is_empty())?.trim_end();
    let key = first.strip_suffix(':')?;
    let keys: &[(&str, InputKind)] = &[
        ("ComplianceItems", InputKind::ComplianceItems),
        ("ResourceComplianceSummaryItems", InputKind::ResourceComplianceSummaries),
        ("ComplianceSummaryItems", InputKind::ComplianceSummaries),
        ("InstancePatchStates", InputKind::InstancePatchStates),
        ("Patches", InputKind::InstancePatches),
        ("InstanceInformationList", InputKind::InstanceInformation),
        ("InstanceAssociationStatusInfos", InputKind::InstanceAssociationsStatus),
        ("AssociationDescription", InputKind::AssociationDescription),
        ("CommandInvocations", InputKind::CommandInvocations),
        ("Commands", InputKind::Commands),
    ];
    keys.iter().find(|(k, _)| *k == key).map(|(_, kind)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Option<&'static str>> {
        split(text).iter().map(|p| p.kind.map(InputKind::name)).collect()
    }

    /// A document large enough to have its lines counted with the line index ends on the line
    /// counting its line ends gives, and what follows it starts on the next; the index built
    /// for it is the text's.
    #[test]
    fn a_large_documents_lines_are_counted_with_the_index() {
        let row = "    {\n        \"InstanceId\": \"i-0123456789abcdef0\",\n        \"MissingCount\": 1\n    },\n";
        let rows = row.repeat(INDEXED_FROM_BYTES / row.len() + 1);
        let document = format!("{{\"InstancePatchStates\": [\n{rows}    {{}}\n]}}");
        for before in ["", "$ aws ssm describe-instance-patch-states\n\n"] {
            let text = format!("{before}{document}\nWARN something after it\n");
            let lines = OnceLock::new();
            let parts = split_with(&text, false, &lines);
            let json = parts.iter().find(|p| matches!(p.body, Body::Json { .. })).expect("the document");
            let start = text.find('{').unwrap();
            let first_line = 1 + crate::lines::newlines(&text.as_bytes()[..start]) as u32;
            assert_eq!(json.first_line, first_line);
            assert_eq!(json.last_line, first_line + crate::lines::newlines(document.as_bytes()) as u32);
            let after = parts.last().expect("the text after it");
            assert_eq!(after.first_line, json.last_line + 1, "{:?}", after.body);
            assert_eq!(lines.get(), Some(&LineIndex::new(&text)));
        }
    }

    #[test]
    fn terminal_session_splits_into_commands_and_outputs() {
        let text = "$ aws ssm describe-instance-patch-states --instance-ids i-0123456789abcdef0 \\\n   --region eu-west-1\n{\n  \"InstancePatchStates\": []\n}\nPS C:\\> aws ssm list-commands --instance-id i-0123456789abcdef0\n{\"Commands\": []}\n";
        assert_eq!(
            kinds(text),
            vec![Some("cli-command"), Some("instance-patch-states"), Some("cli-command"), Some("commands")]
        );
        let parts = split(text);
        assert_eq!((parts[0].first_line, parts[0].last_line), (1, 2));
        assert_eq!((parts[1].first_line, parts[1].last_line), (3, 5));
        assert_eq!(parts[3].first_line, 7);
    }

    #[test]
    fn log_lines_starting_with_brackets_stay_text() {
        let text = "[root@host]# ssm-cli get-diagnostics --output table\n│ Check │ Status │ Note │\n";
        assert_eq!(kinds(text), vec![Some("ssm-cli-diagnostics")]);
    }

    #[test]
    fn members_without_braces_and_commented_json_are_read() {
        let fragment = "Output:\n  \"InstancePatchStates\": [\n    {\"InstanceId\": \"i-0123456789abcdef0\", \"FailedCount\": 2}\n  ]\nthat is all\n";
        assert_eq!(kinds(fragment), [None, Some("instance-patch-states"), None]);
        let parts = split(fragment);
        assert_eq!((parts[1].first_line, parts[1].last_line), (2, 4));
        assert!(parts[1].messages[0].to_string().contains("without the `{ }`"), "{:?}", parts[1].messages);
        let commented = "{\n  // the node\n  \"InstanceInformationList\": []\n}\n";
        assert_eq!(kinds(commented), [Some("instance-information")]);
        // A key/value line of a log is no fragment.
        assert_eq!(kinds("\"Status\": \"Failed\",\n\"Code\": 1\n"), [None]);
    }

    #[test]
    fn json_quoted_with_markdown_markers_is_read() {
        let quoted = "Customer wrote:\n> {\"InstancePatchStates\": [\n>   {\"InstanceId\": \"i-0123456789abcdef0\", \"FailedCount\": 2}\n> ]}\nthanks\n";
        assert_eq!(kinds(quoted), [None, Some("instance-patch-states"), None]);
        let parts = split(quoted);
        assert_eq!((parts[1].first_line, parts[1].last_line), (2, 4));
        // A quoted log line stays text.
        assert_eq!(kinds("> [INFO] starting\n"), [None]);
    }

    #[test]
    fn two_json_documents_back_to_back() {
        assert_eq!(
            kinds("{\"InstancePatchStates\": []}{\"Patches\": [{\"KBId\": \"KB1\", \"State\": \"Missing\"}]}"),
            vec![Some("instance-patch-states"), Some("instance-patches")]
        );
    }

    #[test]
    fn table_output_is_explained() {
        let parts = split("-------------------------------\n|  DescribeInstancePatchStates  |\n+-----+\n");
        assert_eq!(parts[0].kind, None);
        assert!(parts[0].messages[0].to_string().contains("--output json"), "{:?}", parts[0].messages);
    }
}
