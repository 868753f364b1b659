//! Ingest: input bytes → decoded text → classified parts. Nothing here decides anything about
//! compliance; it only says what each part is and reads it faithfully.

pub mod cli;
pub mod csv;
pub mod decode;
pub mod detector_csv;
pub mod json;
pub mod json_fast;
pub mod kind;
pub mod query_text;
pub mod signals;
pub mod split;
pub mod strict;
pub mod text_output;

pub use cli::CliCommand;
pub use kind::{InputKind, ReportKind};
pub use split::{Body, Grammar, Part};

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

use crate::lines::LineIndex;
use crate::notice::{Message, Notice};

/// How well an input could be read (report contract `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    /// Read after repairing broken syntax; the messages say what was repaired.
    Repaired,
    Unrecognized,
    /// Not readable at all (binary, too large, bad encoding, a file that could not be opened).
    Rejected,
}

impl Status {
    /// The report name (`ok`, `repaired`, `unrecognized`, `rejected`).
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Repaired => "repaired",
            Status::Unrecognized => "unrecognized",
            Status::Rejected => "rejected",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

crate::eq_by_name!(Status, ReportKind, InputKind);

/// What a whole input is, from the kinds of its parts: the one kind of its outputs (command
/// lines aside), `mixed` when it held several, or `unrecognized`.
pub fn report_kind(parts: impl Iterator<Item = Option<InputKind>>) -> ReportKind {
    let mut kinds: Vec<InputKind> = parts.flatten().collect();
    kinds.sort();
    kinds.dedup();
    let outputs: Vec<InputKind> = kinds.iter().copied().filter(|k| *k != InputKind::CliCommand).collect();
    match (outputs.as_slice(), kinds.as_slice()) {
        ([one], _) => ReportKind::Known(*one),
        ([], [InputKind::CliCommand]) => ReportKind::Known(InputKind::CliCommand),
        ([], _) => ReportKind::Unrecognized,
        _ => ReportKind::Mixed,
    }
}

/// One input as the user gave it (a file, or one paste), read into parts.
#[derive(Debug)]
pub struct Input {
    pub name: String,
    pub size: usize,
    pub text: String,
    pub status: Status,
    /// What reading it says, written in the report's language when the report is.
    pub messages: Vec<Message>,
    pub parts: Vec<Part>,
    lines: OnceLock<LineIndex>,
    /// Where the literals free text names ids after occur, found on first use, or as the text
    /// arrived ([`read_text`]).
    free_text: OnceLock<crate::literals::Hits>,
}

impl Input {
    /// The input's kind for the report: the one kind of its parts (command lines aside), `mixed`
    /// when a paste held several, or `unrecognized`.
    pub fn kind(&self) -> ReportKind {
        report_kind(self.parts.iter().map(|p| p.kind))
    }
    /// The line index of the text, built on first use and kept.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// Its parts as they are when nothing is presumed of its JSON ([`Grammar::Presumed`]): what
    /// its evidence is read from when a document presumed strict is not.
    pub(crate) fn split_unpresumed(&self) -> Vec<Part> {
        split::split_with(&self.text, false, &self.lines)
    }

    /// Whether a part of it was presumed strict JSON, unproven.
    pub fn is_presumed(&self) -> bool {
        self.parts.iter().any(|p| matches!(p.body, Body::Json { grammar: Grammar::Presumed, .. }))
    }

    /// Reads it again with nothing presumed of its JSON: what it is when a document
    /// presumed strict was not (its parts, messages and status say what the tolerant reader
    /// repaired).
    pub fn read_again_unpresumed(&mut self) {
        let again = read_text(&self.name, std::mem::take(&mut self.text), Arrived::default());
        *self = again;
    }

    /// Where the literals of free text occur: found by `find` on first use, unless they were
    /// found as the text arrived.
    pub(crate) fn free_text(&self, find: impl FnOnce(&[u8]) -> crate::literals::Hits) -> &crate::literals::Hits {
        self.free_text.get_or_init(|| find(self.text.as_bytes()))
    }

    /// The 1-based line holding byte `offset` of the text.
    pub fn line_of(&self, offset: usize) -> u32 {
        self.lines().line_of(&self.text, offset)
    }

    /// The text of 1-based `line`, without its line end.
    pub fn line(&self, line: u32) -> Option<&str> {
        self.lines().line(&self.text, line)
    }

    /// An input that could not be read at all (a file the CLI could not open, a read error in
    /// the browser): reported as rejected with the reason, never dropped.
    pub fn unreadable(name: &str, why: impl std::fmt::Display) -> Input {
        Input::rejected(name, 0, Message::new(Notice::UnreadableFile).with("why", why))
    }

    fn rejected(name: &str, size: usize, message: Message) -> Input {
        Input {
            name: name.to_string(),
            size,
            text: String::new(),
            status: Status::Rejected,
            messages: vec![message],
            parts: Vec::new(),
            lines: OnceLock::new(),
            free_text: OnceLock::new(),
        }
    }
}

/// Reads one input. Never fails: unreadable input comes back `rejected` with a message.
pub fn read(name: &str, bytes: &[u8]) -> Input {
    read_decoded(name, bytes.len(), decode::decode(bytes))
}

/// Like [`read`], taking the bytes so that clean UTF-8 is not copied.
pub fn read_owned(name: &str, bytes: Vec<u8>) -> Input {
    let size = bytes.len();
    read_decoded(name, size, decode::decode_owned(bytes))
}

/// Like [`read_owned`], for bytes already proven UTF-8, as a text; with what was learned of it
/// as it arrived ([`Arrived`]), kept only when reading leaves the text byte for byte as it came,
/// else found again.
pub fn read_text(name: &str, text: String, arrived: Arrived) -> Input {
    let size = text.len();
    let decoded = decode::decode_text(text, arrived.clean);
    let arrived = match decoded.as_ref().is_ok_and(|d| d.as_given) {
        true => arrived,
        false => Arrived::default(),
    };
    read_proven(name, size, decoded, arrived)
}

/// Like [`read_owned`], with what was learned of the bytes as they were read: kept, as by
/// [`read_text`], only for a text that reading leaves as it came.
pub fn read_arrived(name: &str, bytes: Vec<u8>, arrived: Arrived) -> Input {
    match String::from_utf8(bytes) {
        Ok(text) => read_text(name, text, arrived),
        Err(not_utf8) => read_owned(name, not_utf8.into_bytes()),
    }
}

/// What was learned of a text while it arrived piece by piece, and how to read it: free text's
/// literals (`evidence::scan::FreeTextScan`), found in the page's worker in the waits between a
/// file's slices, in the CLI on a second thread as the file is read; the line index, made by
/// the CLI as it reads.
#[derive(Debug, Default, PartialEq)]
pub struct Arrived {
    /// The places of free text's literals.
    pub free_text: Option<crate::literals::Hits>,
    /// Its line index (`lines::LineMarks`).
    pub lines: Option<LineIndex>,
    /// Presume the JSON document it starts with strict to its last bracket
    /// ([`Grammar::Presumed`]), and prove it as it is read: for a large text, whose proof by
    /// skimming first cost a tenth of a 150 MB export's time.
    pub presume_strict: bool,
    /// No NUL and no carriage return in it, found as it arrived (on the CLI's second thread):
    /// decoding, which has nothing to clean then, does not search the whole text for them again.
    pub clean: bool,
}

fn read_decoded(name: &str, size: usize, decoded: Result<decode::DecodedText, decode::Rejection>) -> Input {
    read_proven(name, size, decoded, Arrived::default())
}

/// [`read_decoded`], with what was learned of the text, as decoded, while it arrived.
fn read_proven(
    name: &str,
    size: usize,
    decoded: Result<decode::DecodedText, decode::Rejection>,
    arrived: Arrived,
) -> Input {
    let decoded = match decoded {
        Ok(decoded) => decoded,
        Err(rejection) => return Input::rejected(name, size, rejection.0),
    };
    let mut messages = decoded.notes;
    if decoded.text.trim().is_empty() {
        messages.push(Message::new(Notice::EmptyInput));
        return Input {
            name: name.to_string(),
            size,
            text: decoded.text,
            status: Status::Unrecognized,
            messages,
            parts: Vec::new(),
            lines: OnceLock::new(),
            free_text: OnceLock::new(),
        };
    }
    let (lines, free_text) = (known(arrived.lines), known(arrived.free_text));
    let parts = split::split_with(&decoded.text, arrived.presume_strict, &lines);
    let recognised = parts.iter().filter(|p| p.kind.is_some()).count();
    let repaired = parts.iter().any(|p| p.repaired);
    for part in &parts {
        for message in &part.messages {
            if parts.len() == 1 {
                messages.push(message.clone());
                continue;
            }
            let at = Message::new(Notice::PartAt).with("first", part.first_line).with("last", part.last_line);
            let at = match part.kind {
                Some(kind) => at.with("label", kind.name()),
                None => at.nest("label", Message::new(Notice::UnrecognisedPart)),
            };
            messages.push(at.nest("text", message.clone()));
        }
    }
    let status = if recognised == 0 {
        Status::Unrecognized
    } else if repaired {
        Status::Repaired
    } else {
        Status::Ok
    };
    Input { name: name.to_string(), size, text: decoded.text, status, messages, parts, lines, free_text }
}

/// A value found on first use, or given already.
fn known<T>(given: Option<T>) -> OnceLock<T> {
    given.map_or_else(OnceLock::new, OnceLock::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::scan::{free_text_hits, FreeTextScan};
    use crate::literals::Hits;

    /// The places found as a text arrived are kept only when reading leaves the text as it
    /// came: a text with carriage returns, NULs or a BOM has its places found again in the text
    /// read. (Given none, a kept answer shows as none.)
    #[test]
    fn places_found_as_a_text_arrived_are_kept_only_for_the_same_text() {
        let clean = "line 1\nRunCommandId=97fff367-fc5a-4299-aed8-0123456789ab/\n";
        let given = || Arrived { free_text: Some(Hits::from_found(Vec::new())), ..Arrived::default() };
        let kept = read_text("a.log", clean.to_string(), given());
        assert_eq!(kept.free_text(free_text_hits), &Hits::from_found(Vec::new()));
        for changed in [clean.replace('\n', "\r\n"), format!("\u{FEFF}{clean}"), clean.replace("line", "li\0ne")] {
            let input = read_text("a.log", changed, given());
            let hits = input.free_text(free_text_hits).clone();
            assert_eq!(hits, free_text_hits(input.text.as_bytes()));
            assert_eq!(hits.of(0).len(), 1, "{:?}", input.text);
        }
    }

    /// What a scan learned as a text arrived, in pieces, changes nothing of how it is read: the
    /// same parts, status and messages as reading it whole, for every fixture and corpus file.
    #[test]
    fn a_text_read_with_what_arrived_reads_the_same() {
        for text in crate::test_texts() {
            let mut free_text = FreeTextScan::default();
            let bytes = text.as_bytes();
            for arrived in (1..bytes.len()).step_by(777) {
                free_text.advance(&bytes[..arrived]);
            }
            let free_text = Some(free_text.finish(bytes));
            let arrived = Arrived { free_text, lines: Some(crate::lines::LineIndex::new(&text)), ..Arrived::default() };
            let (with, without) = (read_text("t", text.clone(), arrived), read("t", bytes));
            let seen = |i: &Input| format!("{:?}", (&i.parts, &i.status, &i.messages));
            assert_eq!(seen(&with), seen(&without), "{}", &text[..text.len().min(200)]);
        }
    }

    /// A document is presumed strict only when asked, and only in the text it was asked for: a
    /// text that reading changes (CRLF) has its document skimmed to prove it.
    #[test]
    fn a_document_is_presumed_strict_only_in_the_text_given() {
        use split::Body;
        let text = "{\"InstancePatchStates\": [{\"InstanceId\": \"i-0123456789abcdef0\"}]}\n";
        let presumed = || Arrived { presume_strict: true, ..Arrived::default() };
        let grammar_of = |input: &Input| match &input.parts[..] {
            [part] => match part.body {
                Body::Json { grammar, .. } => grammar,
                Body::Text { .. } => panic!("a text part"),
            },
            parts => panic!("{} parts", parts.len()),
        };
        assert_eq!(grammar_of(&read("t", text.as_bytes())), Grammar::Strict);
        assert_eq!(grammar_of(&read_text("t", text.to_string(), presumed())), Grammar::Presumed);
        assert_eq!(grammar_of(&read_text("t", text.replace('\n', "\r\n"), presumed())), Grammar::Strict);
        assert_eq!(grammar_of(&read_text("t", text.replace("]}", "],}"), Arrived::default())), Grammar::Tolerant);
    }
}
