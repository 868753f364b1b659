//! What strict JSON is: what serde_json's skim (`json_fast::strict_end`) accepts. A document
//! only presumed strict (`split::Grammar::Presumed`) is proven by the fast reader as it reads it
//! (`json_fast::parse_proving`), which must then accept exactly that: its strings' plain runs are
//! found here, and the tests here hold it to serde_json's answer on the grammar's corners, on
//! every fixture and on mutated documents.
//!
//! (A machine that proved a text strict piece by piece as it arrived, `StrictScan`, lived here:
//! the CLI ran it on a second thread while it read a file, and the fast reader then read the
//! document again. Presuming the document strict and proving it as it is read does the work
//! once; the second thread now finds free text's literals.)

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::json::MAX_DEPTH;
    use crate::ingest::json_fast::{parse_proving, strict_end};

    /// serde_json's answer for the document `text` starts with (after whitespace): where it
    /// starts, and where it ends when it is strict.
    fn serdes(text: &str) -> Option<(usize, Option<usize>)> {
        let start = text.bytes().position(|b| !matches!(b, b' ' | b'\n' | b'\t' | b'\r'))?;
        if !matches!(text.as_bytes()[start], b'{' | b'[') {
            return None;
        }
        Some((start, strict_end(text, start)))
    }

    /// The fast reader's answer, proving, for the same document.
    fn proving(text: &str) -> Option<(usize, Option<usize>)> {
        let (start, _) = serdes(text)?;
        Some((start, parse_proving(text, start, 1, &mut |_, row| Some(row)).ok().map(|doc| doc.end)))
    }

    fn agrees(text: &str) {
        assert_eq!(proving(text), serdes(text), "{text:?}");
    }

    /// The grammar's corners, each against serde_json: numbers, escapes, words, commas,
    /// nesting, control characters, what follows the document, and texts with none.
    #[test]
    fn the_fast_reader_proving_answers_as_serde_json_does() {
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
        agrees(&format!("{}{}", "[{\"a\":".repeat(100), "1}]".repeat(100)));
        agrees(&"[".repeat(300));
        // Deeper than the fast reader goes, serde_json's skim still goes: refused, such a
        // document is split again and read by the tolerant reader, which says why.
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(serdes(&deep), Some((0, Some(deep.len()))));
        assert_eq!(proving(&deep), Some((0, None)));
    }

    /// Every fixture and corpus file: the same answer as serde_json.
    #[test]
    fn every_fixture_is_proven_as_serde_json_proves_it() {
        let texts = crate::test_texts();
        assert!(texts.len() > 50, "the fixtures are found: {}", texts.len());
        let mut documents = 0;
        for text in &texts {
            documents += usize::from(serdes(text).is_some_and(|(_, end)| end.is_some()));
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
            /// A document with bytes put in, taken out or changed, before or after it: the same
            /// answer as serde_json.
            #[test]
            fn a_mutated_document_is_proven_as_serde_json_proves_it(
                doc in document(),
                edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..3, prop::sample::select(EDITS)), 0..4),
                lead in "[ \n\t\r]{0,3}",
                tail in "[ \n]{0,2}[a-z{\\[]{0,2}",
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
                prop_assert_eq!(proving(&text), serdes(&text), "{:?}", text);
            }
        }
    }
}
