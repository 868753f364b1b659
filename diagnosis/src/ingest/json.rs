//! A tolerant JSON reader that remembers the line of every value.
//!
//! Why not serde_json: users paste documentation samples that are not JSON (`...` placeholder
//! lines, objects with no comma between them, trailing commas, a tail cut off by the terminal),
//! and every finding must cite the line it came from. This reader recovers every object it can,
//! records each repair in plain words, and never recurses, so 100k nested brackets cannot
//! overflow the stack. Work is linear in the input.

use std::borrow::Cow;

use crate::notice::{Message, Notice};

/// Deeper than this is not AWS CLI output (real outputs nest < 15 levels). Refusing it also keeps
/// the recursive `Drop` of the tree bounded.
pub const MAX_DEPTH: usize = 256;

/// A JSON value with its line. Strings and keys borrow from the input when they hold no escape,
/// so reading a row allocates one vector per object, not one string per key.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    /// 1-based line of the value's first character in the whole input.
    pub line: u32,
    pub value: Value<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Number(f64),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
}

impl<'a> Node<'a> {
    /// The same value, owning its strings (to be kept after the input text is gone).
    pub fn into_owned(self) -> Node<'static> {
        let value = match self.value {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Number(n) => Value::Number(n),
            Value::String(s) => Value::String(Cow::Owned(s.into_owned())),
            Value::Array(items) => Value::Array(items.into_iter().map(Node::into_owned).collect()),
            Value::Object(entries) => {
                Value::Object(entries.into_iter().map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned())).collect())
            }
        };
        Node { line: self.line, value }
    }

    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        match &self.value {
            Value::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            Value::Number(n) => Some(*n),
            // Text output and some tools quote numbers.
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
    pub fn as_i64(&self) -> Option<i64> {
        self.as_f64().filter(|n| n.fract() == 0.0 && n.abs() < 9.0e15).map(|n| n as i64)
    }
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }
    pub fn as_array(&self) -> &[Node<'a>] {
        match &self.value {
            Value::Array(items) => items,
            _ => &[],
        }
    }
    pub fn entries(&self) -> &[(Cow<'a, str>, Node<'a>)] {
        match &self.value {
            Value::Object(entries) => entries,
            _ => &[],
        }
    }
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries().iter().map(|(k, _)| k.as_ref())
    }
}

/// One JSON document read from a larger text.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub root: Node<'a>,
    /// Byte offset just past the document's last character.
    pub end: usize,
    /// What had to be repaired, with line numbers. Empty for strict JSON.
    pub repairs: Vec<(u32, Repair)>,
}

/// What the tolerant reader repaired to read a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repair {
    Placeholder,
    Comment,
    MissingColon,
    ObjectClosedByBracket,
    StrayComma,
    UnquotedKey(String),
    UnclosedContainer {
        object: bool,
        before: char,
    },
    MissingComma,
    TrailingComma,
    KeyWithoutValue(String),
    /// The input ended inside the document, with this many brackets open.
    Truncated {
        open: usize,
    },
    /// Unreadable text was skipped where a value of the kind `wanted` was expected.
    Skipped {
        shown: String,
        wanted: Notice,
    },
    SingleQuoted,
    PythonLiteral(String),
    UnclosedString {
        at_end: bool,
    },
    /// Members pasted without the object around them (`"InstancePatchStates": [...]`).
    MissingBraces,
}

impl Repair {
    /// What was repaired, as the input's messages say it (with its line: [`repair_message`]).
    pub fn message(&self) -> Message {
        let notice = |n| Message::new(n);
        match self {
            Repair::Placeholder => notice(Notice::RepairPlaceholder),
            Repair::Comment => notice(Notice::RepairComment),
            Repair::MissingColon => notice(Notice::RepairMissingColon),
            Repair::ObjectClosedByBracket => notice(Notice::RepairObjectClosedByBracket),
            Repair::StrayComma => notice(Notice::RepairStrayComma),
            Repair::UnquotedKey(key) => notice(Notice::RepairUnquotedKey).with("key", key),
            Repair::UnclosedContainer { object: true, before } => {
                notice(Notice::RepairUnclosedObject).with("before", before)
            }
            Repair::UnclosedContainer { object: false, before } => {
                notice(Notice::RepairUnclosedArray).with("before", before)
            }
            Repair::MissingComma => notice(Notice::RepairMissingComma),
            Repair::TrailingComma => notice(Notice::RepairTrailingComma),
            Repair::KeyWithoutValue(key) => notice(Notice::RepairKeyWithoutValue).with("key", key),
            Repair::Truncated { open } => notice(Notice::RepairTruncated).with("n", open),
            Repair::Skipped { shown, wanted } => {
                notice(Notice::RepairSkipped).with("shown", shown).nest("wanted", notice(*wanted))
            }
            Repair::SingleQuoted => notice(Notice::RepairSingleQuoted),
            Repair::PythonLiteral(word) => notice(Notice::RepairPythonLiteral).with("word", word),
            Repair::UnclosedString { at_end: true } => notice(Notice::RepairUnclosedStringAtEnd),
            Repair::UnclosedString { at_end: false } => notice(Notice::RepairUnclosedStringOnLine),
            Repair::MissingBraces => notice(Notice::RepairMissingBraces),
        }
    }
}

/// A repair and its line, as the input's messages say it.
pub fn repair_message(line: u32, repair: &Repair) -> Message {
    repair.message().at_line(line)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub line: u32,
    pub message: String,
}

enum Frame<'a> {
    Array { line: u32, items: Vec<Node<'a>> },
    Object { line: u32, entries: Vec<(Cow<'a, str>, Node<'a>)>, key: Option<Cow<'a, str>> },
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Expect {
    /// A value, or the close of the array it would be in (also after a trailing comma).
    ValueOrClose,
    /// An object key, or the close of the object.
    KeyOrClose,
    Colon,
    /// A value that must come (after a colon or at the top).
    Value,
    /// A comma or the close of the current container.
    CommaOrClose,
}

/// What to do with the elements of arrays.
enum Mode<'a, 's> {
    /// Keep everything.
    Full,
    /// Keep only the first N elements of each array: enough to recognise a document and check
    /// its syntax without holding a copy of a huge list.
    Skim(usize),
    /// Hand each element of a list directly under the root object to the sink (with the list's
    /// key) instead of keeping it: evidence is taken one element at a time.
    /// The sink returns the element when it does not want it, and it is kept.
    Stream(&'s mut dyn FnMut(&str, Node<'a>) -> Option<Node<'a>>),
}

struct Reader<'a, 's> {
    mode: Mode<'a, 's>,
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    line: u32,
    repairs: Vec<(u32, Repair)>,
    max_skips: Option<usize>,
    skips: usize,
    /// The text starts inside an object whose `{` was not pasted.
    fragment: bool,
    /// The document is quoted Markdown-style: a `>` that starts a line is not part of it.
    quoted: bool,
}

/// Reads the JSON document that starts at byte `start` of `text` (which must be at `{` or `[`
/// after optional whitespace). `first_line` is the line number of `start`.
pub fn parse_at(text: &str, start: usize, first_line: u32) -> Result<Parsed<'_>, JsonError> {
    let mut r = Reader::new(text, start, first_line, Mode::Full, None);
    let root = r.document()?;
    Ok(Parsed { root, end: r.pos, repairs: r.repairs })
}

/// Like [`parse_at`], but gives up after `max_skips` unreadable tokens. The splitter probes every
/// line that starts with a bracket; stopping early keeps a log full of `[INFO]` lines linear.
/// Arrays keep only their first two elements (enough to recognise the output).
pub fn probe_at(text: &str, start: usize, first_line: u32, max_skips: usize) -> Result<Parsed<'_>, JsonError> {
    let mut r = Reader::new(text, start, first_line, Mode::Skim(2), Some(max_skips));
    let root = r.document()?;
    Ok(Parsed { root, end: r.pos, repairs: r.repairs })
}

/// Reads the document at `start` like [`parse_at`], but gives every element of a list directly
/// under the root object to `sink` (with the list's key); what the sink takes is not kept in the
/// tree, so memory stays that of one element, however long the list.
pub fn parse_streaming<'a>(
    text: &'a str,
    start: usize,
    first_line: u32,
    sink: &mut dyn FnMut(&str, Node<'a>) -> Option<Node<'a>>,
) -> Result<Parsed<'a>, JsonError> {
    let mut r = Reader::new(text, start, first_line, Mode::Stream(sink), None);
    let root = r.document()?;
    Ok(Parsed { root, end: r.pos, repairs: r.repairs })
}

/// Reads object members pasted without their braces (`"InstancePatchStates": [ ... ]`), as the
/// object they came from: `start` is at the first key's quote.
pub fn parse_fragment_at(text: &str, start: usize, first_line: u32, max_skips: usize) -> Result<Parsed<'_>, JsonError> {
    let mut r = Reader::new(text, start, first_line, Mode::Full, Some(max_skips));
    r.fragment = true;
    let root = r.document()?;
    Ok(Parsed { root, end: r.pos, repairs: r.repairs })
}

/// Reads a document quoted Markdown-style (every line behind `> `), starting at its bracket.
pub fn parse_quoted_at(text: &str, start: usize, first_line: u32, max_skips: usize) -> Result<Parsed<'_>, JsonError> {
    let mut r = Reader::new(text, start, first_line, Mode::Full, Some(max_skips));
    r.quoted = true;
    let root = r.document()?;
    Ok(Parsed { root, end: r.pos, repairs: r.repairs })
}

/// Reads a whole text as one document (trailing text is an error).
pub fn parse(text: &str) -> Result<Parsed<'_>, JsonError> {
    let parsed = parse_at(text, 0, 1)?;
    let rest = &text[parsed.end..];
    if let Some(offset) = rest.find(|c: char| !c.is_whitespace()) {
        let line = 1 + crate::lines::newlines(&text.as_bytes()[..parsed.end + offset]) as u32;
        return Err(JsonError { line, message: "unexpected text after the JSON document".into() });
    }
    Ok(parsed)
}

impl<'a, 's> Reader<'a, 's> {
    fn new(text: &'a str, start: usize, first_line: u32, mode: Mode<'a, 's>, max_skips: Option<usize>) -> Self {
        Reader {
            mode,
            src: text.as_bytes(),
            text,
            pos: start,
            line: first_line,
            repairs: Vec::new(),
            max_skips,
            skips: 0,
            fragment: false,
            quoted: false,
        }
    }

    fn repair(&mut self, line: u32, repair: Repair) {
        self.repairs.push((line, repair));
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                    if self.quoted {
                        // `> ` (or `>>`, after indentation) at the start of the next line.
                        while matches!(self.peek(), Some(b' ' | b'\t')) {
                            self.pos += 1;
                        }
                        while self.peek() == Some(b'>') {
                            self.pos += 1;
                        }
                    }
                }
                b' ' | b'\t' | b'\r' => self.pos += 1,
                _ => break,
            }
        }
    }

    /// Skips documentation placeholders (`...`, `…`) and `//` comments where a value, key or comma
    /// could stand. Returns true when something was skipped.
    fn skip_filler(&mut self) -> bool {
        let rest = &self.src[self.pos..];
        if rest.starts_with(b"...") || rest.starts_with("…".as_bytes()) {
            let line = self.line;
            while matches!(self.peek(), Some(b'.')) {
                self.pos += 1;
            }
            if self.src[self.pos..].starts_with("…".as_bytes()) {
                self.pos += "…".len();
            }
            self.repair(line, Repair::Placeholder);
            return true;
        }
        if rest.starts_with(b"//") {
            let line = self.line;
            while !matches!(self.peek(), None | Some(b'\n')) {
                self.pos += 1;
            }
            self.repair(line, Repair::Comment);
            return true;
        }
        false
    }

    fn skip_ws_and_filler(&mut self) {
        loop {
            self.skip_ws();
            if !self.skip_filler() {
                break;
            }
        }
    }

    fn document(&mut self) -> Result<Node<'a>, JsonError> {
        let mut stack: Vec<Frame<'a>> = Vec::new();
        let mut expect = Expect::Value;
        if self.fragment {
            self.repair(self.line, Repair::MissingBraces);
            stack.push(Frame::Object { line: self.line, entries: Vec::new(), key: None });
            expect = Expect::KeyOrClose;
        }
        loop {
            if self.max_skips.is_some_and(|max| self.skips > max) {
                return Err(JsonError { line: self.line, message: "too much text that is not JSON".into() });
            }
            self.skip_ws_and_filler();
            let Some(b) = self.peek() else {
                return self.truncated(stack);
            };
            match expect {
                Expect::Colon => {
                    if b == b':' {
                        self.pos += 1;
                    } else {
                        self.repair(self.line, Repair::MissingColon);
                    }
                    expect = Expect::Value;
                    continue;
                }
                Expect::KeyOrClose => {
                    match b {
                        b'}' => {
                            self.pos += 1;
                            let node = close(stack.pop().expect("object frame"));
                            match self.finish(&mut stack, node) {
                                Some(done) => return Ok(done),
                                None => expect = Expect::CommaOrClose,
                            }
                        }
                        b'"' | b'\'' => {
                            let key = self.string(b)?;
                            set_key(&mut stack, key);
                            expect = Expect::Colon;
                        }
                        b']' => {
                            // `{ ... ]`: the object was never closed.
                            self.repair(self.line, Repair::ObjectClosedByBracket);
                            let node = close(stack.pop().expect("object frame"));
                            match self.finish(&mut stack, node) {
                                Some(done) => return Ok(done),
                                None => expect = Expect::CommaOrClose,
                            }
                        }
                        b',' => {
                            self.repair(self.line, Repair::StrayComma);
                            self.pos += 1;
                        }
                        _ if is_ident_start(b) => {
                            let line = self.line;
                            let key = self.bare_word();
                            self.repair(line, Repair::UnquotedKey(key.to_string()));
                            set_key(&mut stack, Cow::Borrowed(key));
                            expect = Expect::Colon;
                        }
                        _ => self.skip_garbage(Notice::WantedKey),
                    }
                }
                // A fragment ends where its members do: the text after them is not JSON.
                Expect::CommaOrClose if self.fragment && stack.len() == 1 && !matches!(b, b',' | b'}' | b'"') => {
                    return Ok(close(stack.pop().expect("the fragment's object")));
                }
                Expect::CommaOrClose => match b {
                    b',' => {
                        self.pos += 1;
                        expect = match stack.last() {
                            Some(Frame::Object { .. }) => Expect::KeyOrClose,
                            _ => Expect::ValueOrClose,
                        };
                    }
                    b'}' | b']' => {
                        let frame = stack.pop().expect("container frame");
                        let matches = matches!((&frame, b), (Frame::Object { .. }, b'}') | (Frame::Array { .. }, b']'));
                        if matches {
                            self.pos += 1;
                        } else {
                            // Leave the mismatched bracket for the enclosing container.
                            let object = matches!(frame, Frame::Object { .. });
                            self.repair(self.line, Repair::UnclosedContainer { object, before: b as char });
                            if stack.is_empty() {
                                self.pos += 1;
                            }
                        }
                        let node = close(frame);
                        if let Some(done) = self.finish(&mut stack, node) {
                            return Ok(done);
                        }
                    }
                    b'{' | b'[' | b'"' => {
                        self.repair(self.line, Repair::MissingComma);
                        expect = match stack.last() {
                            Some(Frame::Object { .. }) => Expect::KeyOrClose,
                            _ => Expect::ValueOrClose,
                        };
                    }
                    _ => self.skip_garbage(Notice::WantedComma),
                },
                Expect::Value | Expect::ValueOrClose => {
                    if b == b']' && expect == Expect::ValueOrClose {
                        if let Some(Frame::Array { items, .. }) = stack.last() {
                            if !items.is_empty() {
                                // `[1, 2, ]`
                                self.repair(self.line, Repair::TrailingComma);
                            }
                        }
                        self.pos += 1;
                        let node = close(stack.pop().expect("array frame"));
                        match self.finish(&mut stack, node) {
                            Some(done) => return Ok(done),
                            None => expect = Expect::CommaOrClose,
                        }
                        continue;
                    }
                    if b == b'}' {
                        if let Some(Frame::Object { key: Some(key), .. }) = stack.last() {
                            // `"Key": }` — keep the key with a null value.
                            self.repair(self.line, Repair::KeyWithoutValue(key.to_string()));
                            let line = self.line;
                            if let Some(done) = self.finish(&mut stack, Node { line, value: Value::Null }) {
                                return Ok(done);
                            }
                            expect = Expect::CommaOrClose;
                            continue;
                        }
                    }
                    let line = self.line;
                    match b {
                        b'{' | b'[' => {
                            if stack.len() >= MAX_DEPTH {
                                return Err(JsonError {
                                    line,
                                    message: format!(
                                        "brackets nest deeper than {MAX_DEPTH} levels; this is not AWS CLI output"
                                    ),
                                });
                            }
                            self.pos += 1;
                            if b == b'{' {
                                stack.push(Frame::Object { line, entries: Vec::new(), key: None });
                                expect = Expect::KeyOrClose;
                            } else {
                                stack.push(Frame::Array { line, items: Vec::new() });
                                expect = Expect::ValueOrClose;
                            }
                        }
                        _ => {
                            let Some(value) = self.scalar(b)? else {
                                if stack.is_empty() {
                                    return Err(JsonError { line, message: "no JSON value here".into() });
                                }
                                self.skip_garbage(Notice::WantedValue);
                                continue;
                            };
                            match self.finish(&mut stack, Node { line, value }) {
                                Some(done) => return Ok(done),
                                None => expect = Expect::CommaOrClose,
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds a finished value to its container; returns it when it was the whole document.
    fn finish(&mut self, stack: &mut [Frame<'a>], node: Node<'a>) -> Option<Node<'a>> {
        let depth = stack.len();
        let Some((last, outer)) = stack.split_last_mut() else { return Some(node) };
        match last {
            Frame::Array { items, .. } => {
                match &mut self.mode {
                    Mode::Stream(sink) if depth == 2 => {
                        let kept = match outer {
                            [Frame::Object { key: Some(key), .. }] => sink(key, node),
                            _ => Some(node),
                        };
                        items.extend(kept);
                    }
                    Mode::Skim(keep) if items.len() >= *keep => {}
                    _ => items.push(node),
                }
                None
            }
            Frame::Object { entries, key, .. } => {
                let key = key.take().unwrap_or_default();
                entries.push((key, node));
                None
            }
        }
    }

    /// Input ended inside the document: close what is open so the data read so far is kept.
    fn truncated(&mut self, mut stack: Vec<Frame<'a>>) -> Result<Node<'a>, JsonError> {
        if stack.is_empty() {
            return Err(JsonError { line: self.line, message: "the input ended before any JSON value".into() });
        }
        // A fragment's own object has no `}` to wait for.
        if !(self.fragment && stack.len() == 1) {
            self.repair(self.line, Repair::Truncated { open: stack.len() });
        }
        let mut node = close(stack.pop().expect("frame"));
        while let Some(frame) = stack.pop() {
            let mut frame = frame;
            match &mut frame {
                Frame::Array { items, .. } => items.push(node),
                Frame::Object { entries, key, .. } => {
                    if let Some(key) = key.take() {
                        entries.push((key, node));
                    }
                }
            }
            node = close(frame);
        }
        Ok(node)
    }

    /// Skips one unexpected token (to the next structural character or line end), noting it.
    fn skip_garbage(&mut self, wanted: Notice) {
        self.skips += 1;
        let start = self.pos;
        let line = self.line;
        while let Some(b) = self.peek() {
            if matches!(b, b',' | b'{' | b'}' | b'[' | b']' | b'"' | b'\n') && self.pos > start {
                break;
            }
            self.pos += 1;
        }
        if self.pos == start {
            self.pos += 1;
        }
        let skipped = self.text.get(start..self.pos).unwrap_or("?").trim();
        let shown: String = skipped.chars().take(40).collect();
        self.repair(line, Repair::Skipped { shown, wanted });
    }

    fn bare_word(&mut self) -> &'a str {
        let start = self.pos;
        while matches!(self.peek(), Some(b) if is_ident_char(b)) {
            self.pos += 1;
        }
        &self.text[start..self.pos]
    }

    fn scalar(&mut self, b: u8) -> Result<Option<Value<'a>>, JsonError> {
        match b {
            b'"' => Ok(Some(Value::String(self.string(b'"')?))),
            b'\'' => {
                let line = self.line;
                let s = self.string(b'\'')?;
                self.repair(line, Repair::SingleQuoted);
                Ok(Some(Value::String(s)))
            }
            b'-' | b'0'..=b'9' => Ok(self.number()),
            _ if is_ident_start(b) => {
                let line = self.line;
                let start = self.pos;
                let word = self.bare_word();
                Ok(match word {
                    "true" => Some(Value::Bool(true)),
                    "false" => Some(Value::Bool(false)),
                    "null" => Some(Value::Null),
                    "True" | "False" | "None" => {
                        self.repair(line, Repair::PythonLiteral(word.to_string()));
                        Some(match word {
                            "True" => Value::Bool(true),
                            "False" => Value::Bool(false),
                            _ => Value::Null,
                        })
                    }
                    _ => {
                        self.pos = start;
                        None
                    }
                })
            }
            _ => Ok(None),
        }
    }

    fn number(&mut self) -> Option<Value<'a>> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        while matches!(self.peek(), Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')) {
            self.pos += 1;
        }
        match self.text[start..self.pos].parse::<f64>() {
            Ok(n) => Some(Value::Number(n)),
            Err(_) => {
                self.pos = start;
                None
            }
        }
    }

    /// Reads a string starting at its opening quote: borrowed from the input when it holds no
    /// escape. A raw line break inside a string ends it (with a note), so one missing quote
    /// cannot swallow the rest of the document.
    fn string(&mut self, quote: u8) -> Result<Cow<'a, str>, JsonError> {
        let line = self.line;
        self.pos += 1;
        let first = self.pos;
        let end = memchr::memchr3(quote, b'\\', b'\n', &self.src[first..]).map_or(self.src.len(), |i| first + i);
        if self.src.get(end) == Some(&quote) {
            self.pos = end + 1;
            return Ok(Cow::Borrowed(&self.text[first..end]));
        }
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(b) = self.peek() {
                if b == quote || b == b'\\' || b == b'\n' {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[start..self.pos]);
            match self.peek() {
                None => {
                    self.repair(line, Repair::UnclosedString { at_end: true });
                    return Ok(Cow::Owned(out));
                }
                Some(b'\n') => {
                    self.repair(line, Repair::UnclosedString { at_end: false });
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let Some(esc) = self.peek() else { continue };
                    self.pos += 1;
                    match esc {
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'r' => out.push('\r'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'u' => out.push(self.unicode_escape()),
                        b'\n' => self.line += 1,
                        other => {
                            // `\"`, `\\`, `\/` and lenient anything-else: keep the character.
                            let ch = self.text[self.pos - 1..].chars().next().unwrap_or(other as char);
                            self.pos += ch.len_utf8() - 1;
                            out.push(ch);
                        }
                    }
                }
                Some(_) => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        let value = u32::from_str_radix(digits, 16).ok()?;
        self.pos += 4;
        Some(value)
    }

    fn unicode_escape(&mut self) -> char {
        let Some(first) = self.hex4() else {
            return '\u{FFFD}';
        };
        if (0xD800..0xDC00).contains(&first) && self.src[self.pos..].starts_with(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            if let Some(second) = self.hex4().filter(|s| (0xDC00..0xE000).contains(s)) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return char::from_u32(code).unwrap_or('\u{FFFD}');
            }
            self.pos = save;
        }
        char::from_u32(first).unwrap_or('\u{FFFD}')
    }
}

fn set_key<'a>(stack: &mut [Frame<'a>], new_key: Cow<'a, str>) {
    if let Some(Frame::Object { key, .. }) = stack.last_mut() {
        *key = Some(new_key);
    }
}

fn close(frame: Frame<'_>) -> Node<'_> {
    match frame {
        Frame::Array { line, items } => Node { line, value: Value::Array(items) },
        Frame::Object { line, entries, .. } => Node { line, value: Value::Object(entries) },
    }
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$'
}
fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'-' | b':' | b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_without_their_braces_are_read_as_their_object() {
        let text = "\"InstancePatchStates\": [{\"InstanceId\": \"i-1\", \"FailedCount\": 2}]\n";
        let parsed = parse_fragment_at(text, 0, 1, 3).unwrap();
        let rows = parsed.root.get("InstancePatchStates").unwrap().as_array();
        assert_eq!(rows[0].get("FailedCount").and_then(Node::as_i64), Some(2));
        assert_eq!(parsed.repairs, vec![(1, Repair::MissingBraces)]);
    }

    #[test]
    fn strict_json_has_lines_and_no_repairs() {
        let p = parse("{\n  \"A\": [1,\n 2],\n  \"B\": \"x\\u00e9\\n\"\n}").unwrap();
        assert!(p.repairs.is_empty(), "{:?}", p.repairs);
        assert_eq!(p.root.get("A").unwrap().line, 2);
        assert_eq!(p.root.get("A").unwrap().as_array()[1].line, 3);
        assert_eq!(p.root.get("B").unwrap().as_str(), Some("xé\n"));
    }

    #[test]
    fn docs_placeholder_and_missing_commas_are_repaired() {
        let p = parse("{\"L\": [\n {\"a\": 1}\n {\"a\": 2},\n\t...\n ],\n \"N\": 1,}").unwrap();
        assert_eq!(p.root.get("L").unwrap().as_array().len(), 2);
        assert!(p.repairs.iter().any(|(_, r)| *r == Repair::MissingComma), "{:?}", p.repairs);
        assert!(p.repairs.iter().any(|(line, r)| *line == 4 && *r == Repair::Placeholder));
        assert_eq!(p.root.get("N").unwrap().as_i64(), Some(1));
    }

    #[test]
    fn truncated_tail_keeps_what_was_read() {
        let p = parse("{\"L\": [{\"a\": 1}, {\"a\": 2, \"b\": \"cut").unwrap();
        let items = p.root.get("L").unwrap().as_array();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].get("b").unwrap().as_str(), Some("cut"));
        assert!(p.repairs.iter().any(|(_, r)| matches!(r, Repair::Truncated { .. })));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let text = "[".repeat(100_000);
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("deeper"));
    }

    #[test]
    fn surrogate_pairs_decode() {
        assert_eq!(parse("\"\\ud83d\\ude00\"").unwrap().root.as_str(), Some("😀"));
    }

    #[test]
    fn parse_at_stops_at_the_end_of_the_document() {
        let text = "$ aws ssm x\n{\"a\": 1}\n{\"b\": 2}\n";
        let first = parse_at(text, 12, 2).unwrap();
        assert_eq!(&text[first.end..first.end + 1], "\n");
        let second = parse_at(text, first.end + 1, 3).unwrap();
        assert_eq!(second.root.get("b").unwrap().line, 3);
    }
}

#[cfg(test)]
mod streaming_tests {
    use super::*;

    #[test]
    fn streaming_hands_out_list_elements_and_keeps_the_rest() {
        let text = "{\"Items\": [{\"a\": 1},\n {\"a\": 2}], \"NextToken\": \"t\", \"Nested\": {\"L\": [1, 2]}}";
        let mut seen = Vec::new();
        let parsed = parse_streaming(text, 0, 1, &mut |key, node| {
            seen.push((key.to_string(), node.line));
            None
        })
        .unwrap();
        assert_eq!(seen, vec![("Items".to_string(), 1), ("Items".to_string(), 2)]);
        assert!(parsed.root.get("Items").unwrap().as_array().is_empty());
        assert_eq!(
            parsed.root.get("Nested").unwrap().get("L").unwrap().as_array().len(),
            2,
            "only top-level lists stream"
        );
        assert_eq!(parsed.root.get("NextToken").unwrap().as_str(), Some("t"));
    }

    #[test]
    fn skimming_keeps_two_elements_and_finds_the_end() {
        let text = "{\"L\": [1, 2, 3, 4, 5]} tail";
        let parsed = probe_at(text, 0, 1, 3).unwrap();
        assert_eq!(parsed.root.get("L").unwrap().as_array().len(), 2);
        assert_eq!(&text[parsed.end..], " tail");
    }
}
