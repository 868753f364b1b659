//! The one regex engine: the regex crate, read in regex-lite's dialect.
//!
//! Why not regex-lite any more: its only engine is a PikeVM, which reads a few MB a second.
//! Which kind of log a pasted text is (twelve signals over its first 256 KB) took 520-600 ms of
//! a 1 MB log natively; the regex crate's lazy DFA counts the same matches in 10 ms, and the
//! whole 1 MB log is diagnosed in 90 ms instead of 630-790. The worker is loaded when the page
//! idles, so its size (153 KB gzip more) is not the first visit's.
//!
//! Why a dialect: every pattern (signatures.toml, the text signals, the CLI prompt) was written
//! and tested for regex-lite, where `\d`, `\s`, `\w` and `\b` are ASCII and case folding is
//! ASCII. Unicode-aware classes would let `\b` fail between a word and a CJK character of a zh-CN
//! log. [`compile`] rewrites the Perl classes to their ASCII forms, so each pattern matches
//! exactly what it matched before; a test compares both engines over every pattern.

pub use regex::Regex;

/// `pattern` in regex-lite's syntax, compiled with the regex crate's engines.
pub fn compile(pattern: &str) -> Result<Regex, String> {
    Regex::new(&ascii_classes(pattern)?).map_err(|e| e.to_string())
}

/// `pattern` with each Perl class and word boundary in its ASCII form, inside and outside
/// bracketed classes. In a bracketed class, `\b` is a backspace and is left as it is.
///
/// Case-insensitive matching is ASCII in regex-lite but Unicode in the regex crate (`(?i)s`
/// matches `ſ` there), so a pattern that starts with `(?i)` has each ASCII letter written as
/// both of its cases instead (`[sS]`). A flag anywhere else, or a bracketed class in such a
/// pattern, is refused: no pattern needs one, and refusing keeps the rewrite exact.
fn ascii_classes(pattern: &str) -> Result<String, String> {
    let (fold, pattern) = match pattern.strip_prefix("(?i)") {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    if pattern.contains("(?i") {
        return Err(format!("`{pattern}`: case-insensitivity is only read from the pattern's start"));
    }
    const DIGIT: &str = "0-9";
    const WORD: &str = "0-9A-Za-z_";
    const SPACE: &str = r"\t\n\x0B\x0C\r\x20";
    let mut out = String::with_capacity(pattern.len() + 16);
    // Depth of bracketed classes (`[[:alpha:]x]` nests).
    let mut depth = 0usize;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push(c);
                    break;
                };
                let class = match e {
                    'd' | 'D' => Some(DIGIT),
                    'w' | 'W' => Some(WORD),
                    's' | 'S' => Some(SPACE),
                    _ => None,
                };
                match (class, depth > 0) {
                    (Some(set), true) if e.is_ascii_lowercase() => out.push_str(set),
                    (Some(set), _) if e.is_ascii_lowercase() => {
                        out.push('[');
                        out.push_str(set);
                        out.push(']');
                    }
                    // A negated class is every character but those (regex-lite's \D is any
                    // Unicode scalar value that is not an ASCII digit); nested in a class too.
                    (Some(set), _) => {
                        out.push_str("[^");
                        out.push_str(set);
                        out.push(']');
                    }
                    (None, false) if e == 'b' || e == 'B' => {
                        out.push_str("(?-u:\\");
                        out.push(e);
                        out.push(')');
                    }
                    _ => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            '[' if fold => return Err(format!("`{pattern}`: a class in a case-insensitive pattern")),
            // Group syntax (`(?:`, `(?P<name>`) is copied as it is: a name is not folded.
            '(' if chars.peek() == Some(&'?') => {
                out.push(c);
                for g in chars.by_ref() {
                    out.push(g);
                    if matches!(g, ':' | '>' | ')') {
                        break;
                    }
                }
            }
            c if fold && c.is_ascii_alphabetic() => {
                out.push('[');
                out.push(c.to_ascii_lowercase());
                out.push(c.to_ascii_uppercase());
                out.push(']');
            }
            '[' => {
                out.push(c);
                depth += 1;
                // `[]…]` and `[^]…]`: a `]` first in a class is a literal.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().expect("peeked"));
                }
                if depth == 1 && chars.peek() == Some(&']') {
                    out.push(chars.next().expect("peeked"));
                }
            }
            ']' if depth > 0 => {
                out.push(c);
                depth -= 1;
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn perl_classes_become_ascii_sets() {
        let ascii = |p: &str| ascii_classes(p).unwrap();
        assert_eq!(ascii(r"exit status 1\d\b"), r"exit status 1[0-9](?-u:\b)");
        assert_eq!(ascii(r"[\w.-]+\S"), r"[0-9A-Za-z_.-]+[^\t\n\x0B\x0C\r\x20]");
        assert_eq!(ascii(r"[^\]\d]\\d[\b]"), r"[^\]0-9]\\d[\b]");
        assert_eq!(ascii(r"[[:alpha:]\W]"), r"[[:alpha:][^0-9A-Za-z_]]");
    }

    #[test]
    fn case_insensitive_patterns_fold_ascii_letters_only() {
        assert_eq!(ascii_classes(r"(?i)no (?:ok|x\d)").unwrap(), r"[nN][oO] (?:[oO][kK]|[xX][0-9])");
        let re = compile(r"(?i)no (?:valid|active) subscription").unwrap();
        assert!(re.is_match("No Valid SUBSCRIPTION"));
        assert!(!re.is_match("no valid \u{17f}ubscription"), "the long s is not an s in ASCII folding");
        assert!(compile(r"(?i)[a-z]").is_err());
        assert!(compile(r"x(?i)y").is_err());
        assert!(compile(r"(?P<Name>a)").unwrap().capture_names().any(|n| n == Some("Name")));
    }

    /// A word next to a CJK character ends at an ASCII word boundary, as regex-lite reads it.
    #[test]
    fn word_boundaries_stay_ascii() {
        let re = compile(r"exit status 126\b").unwrap();
        assert!(re.is_match("exit status 126错误"));
        assert!(!compile(r"\d").unwrap().is_match("٣"));
        assert!(!compile(r"\s").unwrap().is_match("\u{a0}"));
        assert!(compile(r"\S").unwrap().is_match("\u{a0}"));
    }

    /// Every pattern the crate compiles, with what the engines must agree on.
    fn patterns() -> Vec<String> {
        let mut all: Vec<String> = Vec::new();
        for entry in &crate::knowledge::Knowledge::get().entries {
            all.extend(entry.patterns.iter().chain(&entry.weak).chain(&entry.cancelled_by).cloned());
        }
        assert!(all.len() > 100, "{} signature patterns", all.len());
        all.extend(crate::ingest::signals::TEXT_SIGNALS.iter().map(|s| format!("(?m){}", s.pattern)));
        all.push(crate::ingest::split::CLI_PATTERN.to_string());
        all.push(crate::evidence::scan::ACCOUNT_PATTERN.to_string());
        all
    }

    /// Where each engine finds each pattern in `text`, with each capture group's span.
    fn agree(text: &str) -> Result<(), TestCaseError> {
        for pattern in patterns() {
            let lite = regex_lite::Regex::new(&pattern).expect("a regex-lite pattern");
            let ours = compile(&pattern).expect("the same pattern");
            let spans_lite: Vec<Vec<Option<(usize, usize)>>> =
                lite.captures_iter(text).map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()).collect();
            let spans_ours: Vec<Vec<Option<(usize, usize)>>> =
                ours.captures_iter(text).map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()).collect();
            prop_assert_eq!(spans_ours, spans_lite, "pattern {:?} on {:?}", pattern, text);
        }
        Ok(())
    }

    /// Every sample and near miss of the knowledge base, every fixture and corpus file.
    #[test]
    fn both_engines_agree_on_every_sample_fixture_and_corpus_file() {
        // The samples are not in the built knowledge base (build.rs leaves them out): read them
        // from the file.
        let file = include_str!("../knowledge/signatures.toml").parse::<toml::Table>().unwrap();
        let mut texts: Vec<String> = Vec::new();
        for entry in file["entry"].as_array().unwrap() {
            for key in ["samples", "near_misses"] {
                let lines = entry.get(key).and_then(|v| v.as_array()).into_iter().flatten();
                texts.extend(lines.map(|l| l.as_str().unwrap().to_string()));
            }
        }
        assert!(texts.len() > 150, "{} samples and near misses", texts.len());
        texts.extend(crate::test_texts());
        for text in &texts {
            agree(text).unwrap();
        }
    }

    proptest! {
        /// Texts of the characters the classes are about: ASCII words and digits, spaces of
        /// both kinds, CJK, Arabic-Indic digits, case pairs outside ASCII (K and the Kelvin sign).
        #[test]
        fn both_engines_agree_on_mixed_scripts(
            text in "(exit status 1[0-9]{2}|Error|error|ERROR|no valid subscription|[a-zA-Z0-9_]{1,6}|[ \t\n\u{a0}\u{3000}]|错误|٣|K|\u{212a}|\u{17f}|[-:/.=]){0,24}",
        ) {
            agree(&text)?;
        }
    }
}
