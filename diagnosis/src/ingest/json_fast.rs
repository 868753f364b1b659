//! The fast path for well-formed JSON: what the AWS CLI prints, read at memory speed.
//!
//! The tolerant reader (`json.rs`) checks at every token whether it must repair something; on
//! clean CLI output that care is wasted. Here the grammar is strict: strings are found with
//! `memchr` and borrowed when they hold no escape, numbers take an integer fast path, keys are
//! never copied, and only whitespace is walked byte by byte (to count lines). The splitter has
//! proven a small document strict already (serde_json, with `IgnoredAny`), so a deviation is not
//! expected there; if one is met anyway, what was read is kept and the error says where.
//!
//! A large document is only presumed strict (`split::Grammar::Presumed`) and read *proving*
//! ([`parse_proving`]): then this reader accepts exactly what serde_json's skim accepts
//! (`strict.rs` holds it to that), so reading it whole, to where it was presumed to end, is its
//! proof.
//!
//! It produces the same `Node`s, and streams the same rows, as `json::parse_streaming`.

use std::borrow::Cow;

use super::json::{JsonError, Node, Parsed, Value, MAX_DEPTH};

enum Frame<'a> {
    Array { line: u32, items: Vec<Node<'a>> },
    Object { line: u32, entries: Vec<(Cow<'a, str>, Node<'a>)>, key: Option<Cow<'a, str>> },
}

struct Reader<'a, 's> {
    text: &'a str,
    src: &'a [u8],
    pos: usize,
    line: u32,
    sink: &'s mut dyn FnMut(&str, Node<'a>) -> Option<Node<'a>>,
    /// Strings are also searched for control characters, which strict JSON refuses: a proven
    /// document needs no second proof of its strings, a presumed one does.
    proving: bool,
}

/// Reads the strict JSON document at `start` (line `first_line`), giving every element of a list
/// directly under the root object to `sink`, like [`super::json::parse_streaming`].
pub fn parse_streaming<'a>(
    text: &'a str,
    start: usize,
    first_line: u32,
    sink: &mut dyn FnMut(&str, Node<'a>) -> Option<Node<'a>>,
) -> Result<Parsed<'a>, JsonError> {
    read(text, start, first_line, sink, false)
}

/// [`parse_streaming`], proving the document strict as it is read: Ok only when serde_json's
/// skim would have found it strict, ending where it ends (`strict_end`). What was given to
/// `sink` before an error is for the caller to drop.
pub fn parse_proving<'a>(
    text: &'a str,
    start: usize,
    first_line: u32,
    sink: &mut dyn FnMut(&str, Node<'a>) -> Option<Node<'a>>,
) -> Result<Parsed<'a>, JsonError> {
    read(text, start, first_line, sink, true)
}

fn read<'a>(
    text: &'a str,
    start: usize,
    first_line: u32,
    sink: &mut dyn FnMut(&str, Node<'a>) -> Option<Node<'a>>,
    proving: bool,
) -> Result<Parsed<'a>, JsonError> {
    let mut r = Reader { text, src: text.as_bytes(), pos: start, line: first_line, sink, proving };
    let root = r.document()?;
    Ok(Parsed { root, end: r.pos, repairs: Vec::new() })
}

/// Where a strict JSON document starting at `start` ends, or None when it is not strict JSON
/// (then the tolerant reader takes it, and says what it repaired). serde_json validates at over
/// a gigabyte a second without building anything.
pub fn strict_end(text: &str, start: usize) -> Option<usize> {
    // serde_json's own recursion limit keeps this safe on hostile nesting; deeper documents go
    // to the tolerant reader, which refuses them with a message.
    let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<serde::de::IgnoredAny>();
    match stream.next() {
        Some(Ok(_)) => Some(start + stream.byte_offset()),
        _ => None,
    }
}

fn error(line: u32, message: &str) -> JsonError {
    JsonError { line, message: message.to_string() }
}

impl<'a> Reader<'a, '_> {
    #[inline]
    fn skip_ws(&mut self) {
        while let Some(&b) = self.src.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                }
                _ => break,
            }
        }
    }

    fn document(&mut self) -> Result<Node<'a>, JsonError> {
        let mut stack: Vec<Frame<'a>> = Vec::new();
        // By depth: how many entries the last object closed there had. A list's rows have the
        // same keys, so each row's entries are given their room at once, not grown by doubling
        // (four allocations and copies a row).
        let mut room: Vec<usize> = Vec::new();
        loop {
            self.skip_ws();
            let line = self.line;
            let Some(&b) = self.src.get(self.pos) else {
                return Err(error(line, "the input ended inside the JSON"));
            };
            // A value (or the close of an empty container).
            let node = match b {
                b'{' | b'[' => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(error(line, "brackets nest too deep"));
                    }
                    self.pos += 1;
                    self.skip_ws();
                    let empty = self.src.get(self.pos) == Some(&if b == b'{' { b'}' } else { b']' });
                    if empty {
                        self.pos += 1;
                        let value = if b == b'{' { Value::Object(Vec::new()) } else { Value::Array(Vec::new()) };
                        Node { line, value }
                    } else if b == b'{' {
                        let key = self.key()?;
                        let entries = Vec::with_capacity(room.get(stack.len()).copied().unwrap_or(0));
                        stack.push(Frame::Object { line, entries, key: Some(key) });
                        continue;
                    } else {
                        stack.push(Frame::Array { line, items: Vec::new() });
                        continue;
                    }
                }
                b'"' => Node { line, value: Value::String(self.string()?) },
                b'-' | b'0'..=b'9' => Node { line, value: Value::Number(self.number()?) },
                b't' if self.src[self.pos..].starts_with(b"true") => {
                    self.pos += 4;
                    Node { line, value: Value::Bool(true) }
                }
                b'f' if self.src[self.pos..].starts_with(b"false") => {
                    self.pos += 5;
                    Node { line, value: Value::Bool(false) }
                }
                b'n' if self.src[self.pos..].starts_with(b"null") => {
                    self.pos += 4;
                    Node { line, value: Value::Null }
                }
                _ => return Err(error(line, "not strict JSON")),
            };
            // Put the value in its container; close containers as long as they end here.
            let mut node = node;
            loop {
                // An element of a list directly under the root object goes to the sink.
                let list_key = match stack.as_slice() {
                    [Frame::Object { key: Some(key), .. }, Frame::Array { .. }] => Some(key.clone()),
                    _ => None,
                };
                let Some(frame) = stack.last_mut() else { return Ok(node) };
                match frame {
                    Frame::Array { items, .. } => match list_key {
                        Some(key) => items.extend((self.sink)(&key, node)),
                        None => items.push(node),
                    },
                    Frame::Object { entries, key, .. } => {
                        let key = key.take().unwrap_or_default();
                        entries.push((key, node));
                    }
                }
                self.skip_ws();
                match self.src.get(self.pos) {
                    Some(b',') => {
                        self.pos += 1;
                        if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                            self.skip_ws();
                            *key = Some(self.key()?);
                        }
                        break;
                    }
                    Some(&close @ (b'}' | b']')) => {
                        self.pos += 1;
                        let frame = stack.pop().expect("a frame");
                        node = match (frame, close) {
                            (Frame::Object { line, entries, .. }, b'}') => {
                                if room.len() <= stack.len() {
                                    room.resize(stack.len() + 1, 0);
                                }
                                room[stack.len()] = entries.len();
                                Node { line, value: Value::Object(entries) }
                            }
                            (Frame::Array { line, items }, b']') => Node { line, value: Value::Array(items) },
                            _ => return Err(error(self.line, "mismatched bracket")),
                        };
                    }
                    _ => return Err(error(self.line, "expected `,` or a closing bracket")),
                }
            }
        }
    }

    /// An object key and its colon.
    fn key(&mut self) -> Result<Cow<'a, str>, JsonError> {
        if self.src.get(self.pos) != Some(&b'"') {
            return Err(error(self.line, "expected a key"));
        }
        let key = self.string()?;
        self.skip_ws();
        if self.src.get(self.pos) != Some(&b':') {
            return Err(error(self.line, "expected `:`"));
        }
        self.pos += 1;
        Ok(key)
    }

    /// A string at its opening quote: borrowed unless it holds an escape.
    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        let first = self.pos + 1;
        let Some(at) = self.special(first) else {
            return Err(error(self.line, "unclosed string"));
        };
        if self.src[first + at] == b'"' {
            self.pos = first + at + 1;
            return Ok(Cow::Borrowed(&self.text[first..first + at]));
        }
        // Escapes: the rare case, decoded into an owned string.
        let mut out = String::with_capacity(at + 16);
        let mut pos = first;
        loop {
            let Some(at) = self.special(pos) else {
                return Err(error(self.line, "unclosed string"));
            };
            out.push_str(&self.text[pos..pos + at]);
            pos += at;
            if self.src[pos] == b'"' {
                self.pos = pos + 1;
                return Ok(Cow::Owned(out));
            }
            let esc = *self.src.get(pos + 1).ok_or_else(|| error(self.line, "unclosed string"))?;
            pos += 2;
            match esc {
                b'n' => out.push('\n'),
                b't' => out.push('\t'),
                b'r' => out.push('\r'),
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'"' | b'\\' | b'/' => out.push(esc as char),
                b'u' => {
                    // Four hex digits, exactly (`from_str_radix` alone would take a sign).
                    let hex = |at: usize| {
                        let digits = self.src.get(at..at + 4).filter(|h| h.iter().all(u8::is_ascii_hexdigit))?;
                        digits.iter().try_fold(0, |n, d| Some(n * 16 + char::from(*d).to_digit(16)?))
                    };
                    let first_unit = hex(pos).ok_or_else(|| error(self.line, "bad \\u escape"))?;
                    pos += 4;
                    let code = if (0xD800..0xDC00).contains(&first_unit) && self.src[pos..].starts_with(b"\\u") {
                        match hex(pos + 2).filter(|s| (0xDC00..0xE000).contains(s)) {
                            Some(second) => {
                                pos += 6;
                                0x10000 + ((first_unit - 0xD800) << 10) + (second - 0xDC00)
                            }
                            None => first_unit,
                        }
                    } else {
                        first_unit
                    };
                    out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                }
                _ => return Err(error(self.line, "bad escape")),
            }
        }
    }

    /// Where the string's next special byte is, from `from` on, relative to `from`: a quote or
    /// a backslash; proving, a control character too (`Some` then, and refused by the caller).
    fn special(&self, from: usize) -> Option<usize> {
        if !self.proving {
            return memchr::memchr2(b'"', b'\\', &self.src[from..]);
        }
        let at = super::strict::plain_run_end(self.src, from);
        match self.src.get(at) {
            Some(b'"' | b'\\') => Some(at - from),
            _ => None,
        }
    }

    /// A number, in JSON's grammar exactly (`-`, no leading zero, digits after `.` and after
    /// the exponent): digits only (counts, epoch seconds) without going through a float parser.
    fn number(&mut self) -> Result<f64, JsonError> {
        let start = self.pos;
        let digits_from = |pos: usize| self.src[pos..].iter().take_while(|d| d.is_ascii_digit()).count();
        let negative = self.src[start] == b'-';
        let mut pos = start + usize::from(negative);
        let (digits_start, mut integer) = (pos, 0u64);
        while let Some(&d @ b'0'..=b'9') = self.src.get(pos) {
            integer = integer.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
            pos += 1;
        }
        let digits = pos - digits_start;
        if digits == 0 || (digits > 1 && self.src[digits_start] == b'0') {
            return Err(error(self.line, "bad number"));
        }
        let fraction = matches!(self.src.get(pos), Some(b'.' | b'e' | b'E'));
        if !fraction && digits <= 15 {
            self.pos = pos;
            let n = integer as f64;
            return Ok(if negative { -n } else { n });
        }
        if self.src.get(pos) == Some(&b'.') {
            let decimals = digits_from(pos + 1);
            if decimals == 0 {
                return Err(error(self.line, "bad number"));
            }
            pos += 1 + decimals;
        }
        if let Some(b'e' | b'E') = self.src.get(pos) {
            pos += 1 + usize::from(matches!(self.src.get(pos + 1), Some(b'+' | b'-')));
            let exponent = digits_from(pos);
            if exponent == 0 {
                return Err(error(self.line, "bad number"));
            }
            pos += exponent;
        }
        let n = self.text[start..pos].parse::<f64>().map_err(|_| error(self.line, "bad number"))?;
        self.pos = pos;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::json;

    /// The fast path reads exactly what the tolerant reader reads from strict JSON.
    fn same_as_tolerant(text: &str) {
        let mut fast_rows = Vec::new();
        let fast = parse_streaming(text, 0, 1, &mut |key, node| {
            fast_rows.push((key.to_string(), node.into_owned()));
            None
        })
        .unwrap();
        let mut slow_rows = Vec::new();
        let slow = json::parse_streaming(text, 0, 1, &mut |key, node| {
            slow_rows.push((key.to_string(), node.into_owned()));
            None
        })
        .unwrap();
        assert_eq!(fast_rows, slow_rows);
        assert_eq!(fast.root, slow.root);
        assert_eq!(fast.end, slow.end);
        assert_eq!(strict_end(text, 0), Some(slow.end));
    }

    #[test]
    fn strict_documents_read_the_same_both_ways() {
        same_as_tolerant("{\n  \"Items\": [\n    {\"a\": 1, \"b\": \"x\\u00e9\\n\\\"q\\\"\", \"c\": [true, false, null]},\n    {\"a\": -2.5e3, \"d\": {}}\n  ],\n  \"NextToken\": \"t\",\n  \"Nested\": {\"L\": [1, 2, []]}\n}");
        same_as_tolerant("[1, \"two\", {\"three\": 3}]");
        same_as_tolerant("{\"Emoji\": \"\\ud83d\\ude00\", \"Big\": 12345678901234567890, \"Zero\": 0}");
    }

    #[test]
    fn the_end_is_found_before_what_follows() {
        let text = "{\"a\": [1, 2]}\n$ aws ssm next\n{\"b\": 1}";
        assert_eq!(strict_end(text, 0), Some(13));
        assert_eq!(&text[..13], "{\"a\": [1, 2]}");
        assert_eq!(strict_end("{\"a\": 1,}", 0), None, "a trailing comma is for the tolerant reader");
        assert_eq!(strict_end("{\"a\": ...}", 0), None);
    }
}
