//! Literal prefilters for the signature regexes, which are matched line by line: running ~150
//! patterns on every line of a 100k-line log costs a search start per line and pattern. Each
//! pattern usually contains a literal it cannot match without ("exit status 156", "dpkg frontend
//! is locked"); substring search for those is fast, and only the lines that contain one are
//! given to the regex.

/// The literals a pattern cannot match without: one per top-level alternative. None when some
/// alternative has no literal of at least 3 characters (then every line must be tried).
pub fn required_literals(pattern: &str) -> Option<Vec<String>> {
    // A case-insensitive pattern matches text its literals (searched case-sensitively) miss.
    if pattern.contains("(?i") {
        return None;
    }
    split_alternatives(pattern)
        .iter()
        .map(|branch| longest_literal(branch).filter(|l| l.chars().count() >= 3))
        .collect()
}

/// The top-level alternatives of a pattern (`a|(b|c)` has two).
pub(crate) fn split_alternatives(pattern: &str) -> Vec<&str> {
    let mut branches = Vec::new();
    let (mut depth, mut in_class, mut escaped, mut start) = (0i32, false, false, 0usize);
    for (i, c) in pattern.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => depth -= 1,
            '|' if !in_class && depth == 0 => {
                branches.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    branches.push(&pattern[start..]);
    branches
}

fn longest_literal(branch: &str) -> Option<String> {
    let chars: Vec<char> = branch.chars().collect();
    let mut best = String::new();
    let mut run = String::new();
    let mut i = 0;
    let end_run = |run: &mut String, best: &mut String| {
        if run.chars().count() > best.chars().count() {
            *best = run.clone();
        }
        run.clear();
    };
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                let next = chars.get(i + 1).copied().unwrap_or('\\');
                if next.is_ascii_alphanumeric() {
                    // \d \w \s \b …: a class or an assertion, not a literal.
                    end_run(&mut run, &mut best);
                } else {
                    run.push(next);
                }
                i += 2;
                continue;
            }
            '(' | '[' => {
                end_run(&mut run, &mut best);
                let (open, close) = if chars[i] == '(' { ('(', ')') } else { ('[', ']') };
                let mut depth = 0;
                while i < chars.len() {
                    match chars[i] {
                        '\\' => i += 1,
                        c if c == open && open == '(' => depth += 1,
                        c if c == close => {
                            depth -= 1;
                            if depth <= 0 {
                                break;
                            }
                        }
                        '[' if open == '[' => depth += 1,
                        _ => {}
                    }
                    i += 1;
                }
            }
            '*' | '?' => {
                // The previous character may be absent.
                run.pop();
                end_run(&mut run, &mut best);
            }
            '{' => {
                run.pop();
                end_run(&mut run, &mut best);
                while i < chars.len() && chars[i] != '}' {
                    i += 1;
                }
            }
            '+' | '.' | '^' | '$' => end_run(&mut run, &mut best),
            c => run.push(c),
        }
        i += 1;
    }
    end_run(&mut run, &mut best);
    (!best.is_empty()).then_some(best)
}

/// Every line of `text`, as byte ranges without the line end.
pub fn all_lines(text: &str) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push((start, i));
        start = i + 1;
    }
    if start < text.len() {
        lines.push((start, text.len()));
    }
    lines
}

/// Byte ranges of the lines of `text` that contain any of `literals`, in order, each once.
pub fn lines_containing(text: &str, literals: &[String]) -> Vec<(usize, usize)> {
    let places: Vec<Vec<usize>> =
        literals.iter().map(|l| memchr::memmem::find_iter(text.as_bytes(), l.as_bytes()).collect()).collect();
    lines_at(text, places.iter().map(Vec::as_slice))
}

/// Byte ranges of the lines of `text` that hold one of `places` (each list in order), in order,
/// each once.
pub fn lines_at<'p>(text: &str, places: impl Iterator<Item = &'p [usize]>) -> Vec<(usize, usize)> {
    let mut starts: Vec<usize> = Vec::new();
    for places in places {
        // Occurrences come in order: search back only to the previous one, so a huge line
        // with many occurrences is still scanned once.
        let (mut prev_at, mut prev_start) = (0usize, 0usize);
        for &at in places {
            let start = text[prev_at..at].rfind('\n').map_or(prev_start, |n| prev_at + n + 1);
            if starts.last() != Some(&start) {
                starts.push(start);
            }
            (prev_at, prev_start) = (at, start);
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts.into_iter().map(|s| (s, text[s..].find('\n').map_or(text.len(), |n| s + n))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_what_a_match_cannot_do_without() {
        assert_eq!(required_literals(r"exit status 156\b"), Some(vec!["exit status 156".into()]));
        assert_eq!(required_literals(r"HRESULT: 0x8024[0-9A-Fa-f]{4}"), Some(vec!["HRESULT: 0x8024".into()]));
        assert_eq!(
            required_literals(r"(?:ssm|ec2messages)\.[\w-]+\.amazonaws\.com(?:\.cn)? is not reachable"),
            Some(vec![" is not reachable".into()])
        );
        assert_eq!(required_literals(r"Ap|Yum requires"), None, "`Ap` is too short to filter on");
        assert_eq!(required_literals(r"plugins? processed"), Some(vec![" processed".into()]));
        assert_eq!(required_literals(r"^\s*(?:InstalledCount|MissingCount)\s*:\s*-1\s*$"), None);
    }

    #[test]
    fn candidate_lines_are_whole_lines_once() {
        let text = "a exit status 1\nnothing\nexit status 2 and exit status 3\n";
        let lines = lines_containing(text, &["exit status".to_string()]);
        let got: Vec<&str> = lines.iter().map(|(s, e)| &text[*s..*e]).collect();
        assert_eq!(got, ["a exit status 1", "exit status 2 and exit status 3"]);
    }
}
