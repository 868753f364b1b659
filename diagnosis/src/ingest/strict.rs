//! The proof that the JSON document a text starts with is strict (what the AWS CLI prints), made
//! piece by piece as the text arrives.
//!
//! The splitter takes a document's fast path only when serde_json skims it without an error
//! (`json_fast::strict_end`), and that skim reads the whole document once it is all there: a
//! tenth of the CLI's run on a 150 MB export, on one core. serde_json cannot resume a skim where
//! a piece ended, so this scan is the same grammar as a machine that keeps its place between
//! pieces: the CLI runs it on a second thread while it reads the file (`cli/src/read.rs`), and
//! the splitter is handed its answer. The answer is serde_json's, byte for byte: where the
//! document ends, or that it is not strict (tests hold it to `strict_end` on every fixture and on
//! mutated documents cut into pieces of every size).
//!
//! The page's worker does not run it: the slices of a file already keep the worker busy, so
//! proving them as they came only moved the skim's time into the arrival (measured: the time to
//! a fleet's first row did not change), and a second worker proving copies of them beside it
//! slowed the engine's own work on the slices twice as much as it saved, on two cores. The
//! worker presumes a large text's document strict instead, and the fast reader proves it as it
//! reads it (`split::Grammar::Presumed`, `json_fast::parse_proving`).

/// What a scan proved about the JSON document a text starts with (after whitespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StrictProof {
    /// Where the document starts: the first byte that is not whitespace.
    pub start: usize,
    /// Where it ends when it is strict JSON (`json_fast::strict_end(text, start)`); None when it
    /// is not.
    pub end: Option<usize>,
}

/// A scan of a text's first JSON document, given the text as it grows ([`StrictScan::advance`]).
#[derive(Debug, Default)]
pub struct StrictScan {
    /// The next byte to read.
    pos: usize,
    state: State,
    start: usize,
    /// The containers open, innermost last: a set bit is an object. No depth limit: serde_json
    /// skims any depth (its skim keeps its own list, not the stack).
    open: Vec<u64>,
    depth: usize,
    outcome: Option<Outcome>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// The text does not start with `{` or `[`: nothing to prove.
    NoDocument,
    /// Strict up to here, where it ends.
    Ends(usize),
    NotStrict,
}

/// Where the scan is in the grammar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum State {
    /// Whitespace before the document.
    #[default]
    Lead,
    /// A value must come (after `:`, or `,` in a list).
    Value,
    /// After `[`: a value or `]`.
    FirstItem,
    /// After `{`: a key or `}`.
    FirstKey,
    /// After `,` in an object: a key.
    Key,
    /// After a key: `:`.
    Colon,
    /// After a value: `,` or the close of its container.
    After,
    /// In a string (a key's, or a value's).
    Str {
        key: bool,
    },
    /// After a backslash in a string.
    Escape {
        key: bool,
    },
    /// In a `\u` escape, with this many hex digits to come.
    Hex {
        key: bool,
        left: u8,
    },
    /// In `true`, `false` or `null`: the letters still to come.
    Word {
        rest: &'static [u8],
    },
    Number(Num),
}

/// Where a number is (serde_json's `ignore_integer`, `ignore_decimal`, `ignore_exponent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Num {
    /// After `-`: a digit must come.
    Minus,
    /// A leading `0`: no digit may follow it.
    Zero,
    Int,
    /// After `.`: a digit must come.
    Dot,
    Frac,
    /// After `e`: a sign or a digit.
    Exp,
    /// After the exponent's sign: a digit must come.
    ExpSign,
    ExpDigits,
}

const ONES: u64 = u64::MAX / 255;
const HIGHS: u64 = ONES << 7;

/// The first place from `from` on that ends a string's plain run (`"`, `\` or a control
/// character), or the end of `bytes`: eight bytes at a time (serde_json's own test, which finds
/// the first such byte exactly).
pub(super) fn plain_run_end(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let control = word.wrapping_sub(ONES * 0x20) & !word;
        let quote = word ^ (ONES * u64::from(b'"'));
        let quote = quote.wrapping_sub(ONES) & !quote;
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let backslash = backslash.wrapping_sub(ONES) & !backslash;
        let found = (control | quote | backslash) & HIGHS;
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while at < bytes.len() && !matches!(bytes[at], b'"' | b'\\' | 0..=0x1F) {
        at += 1;
    }
    at
}

/// The first place from `from` on that is not a space (an indentation's run), or the end.
fn spaces_end(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let other = u64::from_le_bytes(chunk.try_into().unwrap_or_default()) ^ (ONES * u64::from(b' '));
        if other != 0 {
            return at + (other.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while bytes.get(at) == Some(&b' ') {
        at += 1;
    }
    at
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\t' | b'\r')
}

impl StrictScan {
    /// Reads what `text` (all of the text that has arrived) holds beyond what was read before.
    /// Bytes cut off in the middle of a token are read when the next piece arrives.
    pub fn advance(&mut self, text: &[u8]) {
        let from = self.pos.min(text.len());
        self.read(&text[from..], from);
    }

    /// Reads `piece`, the text's bytes from `at` on: the next piece, from where the last one
    /// ended (for a text whose pieces are not kept together as it arrives).
    pub fn read(&mut self, piece: &[u8], at: usize) {
        if self.outcome.is_none() {
            debug_assert_eq!(at, self.pos, "pieces are read in order");
            self.run(piece, at);
        }
    }

    /// What the whole `text` proves, of which every earlier call saw a beginning; None when the
    /// text does not start with a document.
    pub fn finish(mut self, text: &[u8]) -> Option<StrictProof> {
        self.advance(text);
        self.proof()
    }

    /// What the text proves, every piece of it read.
    pub fn proof(self) -> Option<StrictProof> {
        let end = match self.outcome {
            Some(Outcome::NoDocument) => return None,
            // All whitespace: no document either.
            None if self.state == State::Lead => return None,
            Some(Outcome::Ends(end)) => Some(end),
            // The text ended inside the document.
            None | Some(Outcome::NotStrict) => None,
        };
        Some(StrictProof { start: self.start, end })
    }

    fn open(&mut self, object: bool) -> State {
        let (word, bit) = (self.depth / 64, self.depth % 64);
        if word == self.open.len() {
            self.open.push(0);
        }
        if object {
            self.open[word] |= 1 << bit;
        } else {
            self.open[word] &= !(1 << bit);
        }
        self.depth += 1;
        if object {
            State::FirstKey
        } else {
            State::FirstItem
        }
    }

    /// Whether the innermost open container is an object.
    fn in_object(&self) -> bool {
        let at = self.depth - 1;
        self.open[at / 64] & (1 << (at % 64)) != 0
    }

    /// Closes the innermost container with the byte at `at` (its place in the text): the
    /// document ends after it when it was the outermost (an `Err`, which stops the scan).
    fn close(&mut self, object: bool, at: usize) -> Result<State, Outcome> {
        if self.in_object() != object {
            return Err(Outcome::NotStrict);
        }
        self.depth -= 1;
        if self.depth == 0 {
            return Err(Outcome::Ends(at + 1));
        }
        Ok(State::After)
    }

    /// The state after `b`, the first byte of a value.
    fn value(&mut self, b: u8) -> Result<State, Outcome> {
        Ok(match b {
            b'{' => self.open(true),
            b'[' => self.open(false),
            b'"' => State::Str { key: false },
            b'-' => State::Number(Num::Minus),
            b'0' => State::Number(Num::Zero),
            b'1'..=b'9' => State::Number(Num::Int),
            b't' => State::Word { rest: b"rue" },
            b'f' => State::Word { rest: b"alse" },
            b'n' => State::Word { rest: b"ull" },
            _ => return Err(Outcome::NotStrict),
        })
    }

    /// Reads `bytes`, the text's from `base` on (`at` is a place in `bytes`; what is kept is a
    /// place in the text).
    fn run(&mut self, bytes: &[u8], base: usize) {
        let mut at = self.pos - base;
        let mut state = self.state;
        let outcome = loop {
            let Some(&b) = bytes.get(at) else { break None };
            let next = match state {
                State::Lead => match b {
                    _ if is_space(b) => Ok(State::Lead),
                    b'{' | b'[' => {
                        self.start = base + at;
                        Ok(self.open(b == b'{'))
                    }
                    _ => Err(Outcome::NoDocument),
                },
                // Whitespace between tokens: an indentation's spaces in one step.
                State::Value | State::FirstItem | State::FirstKey | State::Key | State::Colon | State::After
                    if is_space(b) =>
                {
                    // A line's end and the next line's indentation in one step.
                    at = if matches!(b, b' ' | b'\n') { spaces_end(bytes, at + 1) } else { at + 1 };
                    continue;
                }
                State::Value => self.value(b),
                State::FirstItem if b == b']' => self.close(false, base + at),
                State::FirstItem => self.value(b),
                State::FirstKey if b == b'}' => self.close(true, base + at),
                State::FirstKey | State::Key if b == b'"' => Ok(State::Str { key: true }),
                State::FirstKey | State::Key => Err(Outcome::NotStrict),
                State::Colon if b == b':' => Ok(State::Value),
                State::Colon => Err(Outcome::NotStrict),
                State::After => match b {
                    b',' if self.in_object() => Ok(State::Key),
                    b',' => Ok(State::Value),
                    b']' => self.close(false, base + at),
                    b'}' => self.close(true, base + at),
                    _ => Err(Outcome::NotStrict),
                },
                State::Str { key } => {
                    let end = plain_run_end(bytes, at);
                    at = end;
                    match bytes.get(end) {
                        None => continue,
                        // Most keys are followed by their colon: read on to the value.
                        Some(b'"') if key && bytes.get(end + 1) == Some(&b':') => {
                            (at, state) = (end + 2, State::Value);
                            continue;
                        }
                        Some(b'"') if key => Ok(State::Colon),
                        // And most values by a comma.
                        Some(b'"') if bytes.get(end + 1) == Some(&b',') => {
                            let next = if self.in_object() { State::Key } else { State::Value };
                            (at, state) = (end + 2, next);
                            continue;
                        }
                        Some(b'"') => Ok(State::After),
                        Some(b'\\') => Ok(State::Escape { key }),
                        Some(_) => Err(Outcome::NotStrict),
                    }
                }
                State::Escape { key } => match b {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Ok(State::Str { key }),
                    b'u' => Ok(State::Hex { key, left: 4 }),
                    _ => Err(Outcome::NotStrict),
                },
                State::Hex { key, left } if b.is_ascii_hexdigit() => {
                    Ok(if left == 1 { State::Str { key } } else { State::Hex { key, left: left - 1 } })
                }
                State::Hex { .. } => Err(Outcome::NotStrict),
                State::Word { rest } if b == rest[0] => {
                    Ok(if rest.len() == 1 { State::After } else { State::Word { rest: &rest[1..] } })
                }
                State::Word { .. } => Err(Outcome::NotStrict),
                State::Number(num) => match (num, b) {
                    (Num::Minus, b'0') => Ok(State::Number(Num::Zero)),
                    (Num::Minus, b'1'..=b'9') => Ok(State::Number(Num::Int)),
                    (Num::Zero, b'0'..=b'9') => Err(Outcome::NotStrict),
                    (Num::Int, b'0'..=b'9') => Ok(State::Number(Num::Int)),
                    (Num::Zero | Num::Int, b'.') => Ok(State::Number(Num::Dot)),
                    (Num::Zero | Num::Int | Num::Frac, b'e' | b'E') => Ok(State::Number(Num::Exp)),
                    (Num::Dot | Num::Frac, b'0'..=b'9') => Ok(State::Number(Num::Frac)),
                    (Num::Exp, b'+' | b'-') => Ok(State::Number(Num::ExpSign)),
                    (Num::Exp | Num::ExpSign | Num::ExpDigits, b'0'..=b'9') => Ok(State::Number(Num::ExpDigits)),
                    (Num::Minus | Num::Dot | Num::Exp | Num::ExpSign, _) => Err(Outcome::NotStrict),
                    // The number ended: this byte is read again after it.
                    (Num::Zero | Num::Int | Num::Frac | Num::ExpDigits, _) => {
                        state = State::After;
                        continue;
                    }
                },
            };
            match next {
                Ok(next) => state = next,
                Err(outcome) => break Some(outcome),
            }
            at += 1;
        };
        self.pos = base + at;
        self.state = state;
        self.outcome = outcome;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::json_fast::strict_end;

    /// serde_json's answer for the document `text` starts with, as a proof.
    fn serdes(text: &str) -> Option<StrictProof> {
        let start = text.bytes().position(|b| !is_space(b))?;
        if !matches!(text.as_bytes()[start], b'{' | b'[') {
            return None;
        }
        Some(StrictProof { start, end: strict_end(text, start) })
    }

    /// The scan's answer, the text given in pieces of `size` bytes.
    fn scanned(text: &str, size: usize) -> Option<StrictProof> {
        let mut scan = StrictScan::default();
        let bytes = text.as_bytes();
        let mut arrived = 0;
        while arrived < bytes.len() {
            arrived = (arrived + size).min(bytes.len());
            scan.advance(&bytes[..arrived]);
        }
        scan.finish(bytes)
    }

    /// The scan's answer, the text given in pieces of `size` bytes that are not kept together.
    fn read_in_pieces(text: &str, size: usize) -> Option<StrictProof> {
        let mut scan = StrictScan::default();
        for (n, piece) in text.as_bytes().chunks(size).enumerate() {
            scan.read(piece, n * size);
        }
        scan.proof()
    }

    fn agrees(text: &str) {
        let expected = serdes(text);
        for size in [1, 2, 3, 5, 8, 13, 64, text.len().max(1)] {
            assert_eq!(scanned(text, size), expected, "pieces of {size}: {text:?}");
            assert_eq!(read_in_pieces(text, size), expected, "pieces of {size}, apart: {text:?}");
        }
    }

    /// The grammar's corners, each against serde_json: numbers, escapes, words, commas,
    /// nesting, control characters, what follows the document, and texts with none.
    #[test]
    fn the_scan_answers_as_serde_json_does() {
        for text in [
            "{}",
            "[]",
            " \n\t\r{} x",
            "{\"a\":1}",
            "[1,2]",
            "[1,]",
            "{\"a\":1,}",
            "[,1]",
            "{,}",
            "[-0, 0.5, -1.25e+10, 1E5, 0e0, 3e-0]",
            "[01]",
            "[-]",
            "[1.]",
            "[1.e3]",
            "[.5]",
            "[1e]",
            "[1e+]",
            "[--1]",
            "[1x]",
            "[0x10]",
            "[1 2]",
            "[+1]",
            "[1.5.3]",
            "[00]",
            "[-01]",
            "[true,false,null]",
            "[tru]",
            "[truex]",
            "[nul]",
            "[True]",
            "[\"\\u00e9\\uD83D\\ude00\"]",
            "[\"\\u00g0\"]",
            "[\"\\x\"]",
            "[\"\\/\\b\\f\\n\\r\\t\\\\\\\"\"]",
            "[\"a\tb\"]",
            "[\"a\nb\"]",
            "[\"a\u{7f}b\"]",
            "[\"é日本😀\"]",
            "{\"a\" : [ { } , [ ] ] }",
            "{\"a\" 1}",
            "{1:2}",
            "{\"a\":}",
            "[}",
            "{]",
            "[[[[]]]]",
            "[[[]]",
            "{\"a\":{\"b\":{\"c\":[1,{\"d\":null}]}}}   \n\n",
            "[\"unterminated",
            "[1",
            "{\"a\"",
            "",
            "   ",
            "x{}",
            "\"text\"",
            "1",
            "{} {}",
            "[]]",
            "{\"k\":\"v\"}\n[1]",
            "[\"\\",
            "[\"\\u12",
            "{\"\\u0041\":\"\"}",
            "[\"a\\\"b\"]",
        ] {
            agrees(text);
        }
        let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
        agrees(&deep);
        agrees(&format!("{}{}", "[{\"a\":".repeat(100), "1}]".repeat(100)));
        agrees(&"[".repeat(300));
    }

    /// Every fixture and corpus file, in pieces of several sizes: the same answer as serde_json.
    #[test]
    fn every_fixture_is_proven_as_serde_json_proves_it() {
        let texts = crate::test_texts();
        assert!(texts.len() > 50, "the fixtures are found: {}", texts.len());
        let mut documents = 0;
        for text in &texts {
            documents += usize::from(serdes(text).is_some_and(|p| p.end.is_some()));
            agrees(text);
        }
        assert!(documents > 10, "fixtures that are strict JSON documents: {documents}");
    }

    /// Strings whose plain runs cross the eight-byte steps at every offset, with the byte that
    /// ends them (quote, backslash, control character, DEL, UTF-8) at each place.
    #[test]
    fn a_plain_run_ends_where_its_first_special_byte_is() {
        for len in 0..40 {
            for end in ["\"", "\\", "\u{1}", "\u{1f}"] {
                let text = format!("{}{end}", "é".repeat(len / 2) + &"a".repeat(len % 2));
                let first = text.bytes().position(|b| matches!(b, b'"' | b'\\' | 0..=0x1F)).unwrap();
                for from in 0..=first {
                    assert_eq!(plain_run_end(text.as_bytes(), from), first, "{text:?} from {from}");
                }
            }
            let plain = format!("{}\u{7f}", "x".repeat(len));
            assert_eq!(plain_run_end(plain.as_bytes(), 0), plain.len());
            let spaces = format!("{}x", " ".repeat(len));
            assert_eq!(spaces_end(spaces.as_bytes(), 0), len);
        }
    }

    mod mutated {
        use super::*;
        use proptest::prelude::*;

        /// A JSON value, written compact or pretty by serde_json.
        fn document() -> impl Strategy<Value = String> {
            let leaf = prop_oneof![
                Just(serde_json::Value::Null),
                any::<bool>().prop_map(serde_json::Value::Bool),
                any::<i64>().prop_map(Into::into),
                (-1e6f64..1e6).prop_map(Into::into),
                "[a-z\"\\\\/\u{0}-\u{1f}é😀 ]{0,12}".prop_map(serde_json::Value::String),
            ];
            let value = leaf.prop_recursive(5, 48, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                    prop::collection::btree_map("[a-zA-Z_]{1,6}", inner, 0..6)
                        .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
                ]
            });
            let container = prop_oneof![
                prop::collection::vec(value.clone(), 0..5).prop_map(serde_json::Value::Array),
                prop::collection::btree_map("[a-zA-Z_]{1,6}", value, 0..5)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ];
            (container, any::<bool>()).prop_map(|(v, pretty)| {
                if pretty {
                    serde_json::to_string_pretty(&v).unwrap_or_default()
                } else {
                    v.to_string()
                }
            })
        }

        /// The bytes an edit puts in: JSON's own, and those that break it.
        const EDITS: &[&str] = &[
            "{", "}", "[", "]", "\"", ",", ":", "\\", "\\u", " ", "\n", "\t", "0", "1", "-", ".", "e", "E", "+", "t",
            "true", "n", "x", "\u{1}", "é", "//", "'",
        ];

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(600))]
            /// A document with bytes put in, taken out or changed, before or after it, cut into
            /// pieces of any size: the same answer as serde_json.
            #[test]
            fn a_mutated_document_in_pieces_is_proven_as_serde_json_proves_it(
                doc in document(),
                edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..3, prop::sample::select(EDITS)), 0..4),
                lead in "[ \n\t\r]{0,3}",
                tail in "[ \n]{0,2}[a-z{\\[]{0,2}",
                size in 1usize..40,
            ) {
                let mut text = format!("{lead}{doc}{tail}");
                for (place, what, edit) in edits {
                    let mut at = place.index(text.len() + 1);
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    let next = text[at..].chars().next().map_or(0, char::len_utf8);
                    match what {
                        0 => text.insert_str(at, edit),
                        1 => text.replace_range(at..at + next, ""),
                        _ => text.replace_range(at..at + next, edit),
                    }
                }
                prop_assert_eq!(scanned(&text, size), serdes(&text), "{:?}", text);
                prop_assert_eq!(read_in_pieces(&text, size), serdes(&text), "{:?}", text);
                // The fast reader, proving, accepts exactly what serde_json's skim accepts, to
                // the same end: a document only presumed strict is proven by being read.
                if let Some(StrictProof { start, end }) = serdes(&text) {
                    let read = crate::ingest::json_fast::parse_proving(&text, start, 1, &mut |_, row| Some(row));
                    prop_assert_eq!(read.map(|doc| doc.end).ok(), end, "{:?}", text);
                }
            }
        }
    }
}
