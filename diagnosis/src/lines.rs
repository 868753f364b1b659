//! Where a fact was read, and the one line index that turns byte offsets into line numbers and
//! line numbers back into the quoted text. A leaf: it depends on nothing in the crate.

/// Where a fact was read: input index (in the order given) and 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cite {
    /// 32-bit, as the line: a cite is 12 bytes, and a fleet's findings hold a million of them.
    pub input: u32,
    pub line: u32,
    /// A line inside the quoted string on that line (1-based; 0: the whole line): a command's
    /// output is one JSON string on one line, and what proves a failure is one of its lines.
    pub within: u32,
}

impl Cite {
    /// The whole of a line.
    pub fn new(input: usize, line: u32) -> Cite {
        // Inputs are counted in the dozens: an index past u32 never occurs.
        Cite { input: input as u32, line, within: 0 }
    }

    /// The input's index, to look it up.
    pub fn input(self) -> usize {
        self.input as usize
    }

    /// The `within`-th line (1-based) of the string value quoted on this line.
    pub fn within(self, within: u32) -> Cite {
        Cite { within, ..self }
    }
}

/// How many line ends (`\n`) `text` holds: the one count of lines. memchr counts with SIMD,
/// where `str::matches('\n').count()` stops at each line end (in the worker, 76 ms for a 150 MB
/// export's 3.6 million lines against 18 ms).
pub fn newlines(text: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', text).count()
}

/// Where every [`LINES_PER_MARK`]-th line of a text starts. Built once per input (on first use),
/// so finding the line of an offset, or quoting a line, is a binary search and then a scan of at
/// most `LINES_PER_MARK` line ends (a few hundred bytes), and a fleet export with a million
/// cited values costs one pass over its text.
///
/// Offsets are 32-bit: an input is at most `MAX_INPUT_BYTES` (512 MiB, 768 MiB once UTF-16 is
/// decoded). A mark per line held 17 MB for a 150 MB export's four million lines, alive at the
/// run's peak; one per 16 lines holds 1 MB, and the scans cost less than the misses of the
/// larger index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineIndex {
    /// The start of lines 1, 1 + LINES_PER_MARK, 1 + 2·LINES_PER_MARK, …
    marks: Vec<u32>,
    /// How many lines the text has.
    lines: usize,
}

/// How many lines one mark of a [`LineIndex`] covers.
const LINES_PER_MARK: usize = 16;

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut marks = vec![0];
        let mut lines = 1;
        // Past 4 GiB (never an input) the marks end: a later offset is on the last line marked.
        for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
            if lines % LINES_PER_MARK == 0 {
                match u32::try_from(end + 1) {
                    Ok(start) => marks.push(start),
                    Err(_) => break,
                }
            }
            lines += 1;
        }
        LineIndex { marks, lines }
    }

    /// The 1-based line of `text` holding byte `offset`.
    pub fn line_of(&self, text: &str, offset: usize) -> u32 {
        // The last mark at or before the offset (the first is 0), then the line ends between.
        let mark = self.marks.partition_point(|start| *start as usize <= offset) - 1;
        let from = self.marks[mark] as usize;
        let to = offset.min(text.len()).max(from);
        let ends = newlines(&text.as_bytes()[from..to]);
        (mark * LINES_PER_MARK + 1 + ends) as u32
    }

    /// The byte range of 1-based `line`, without its line end.
    pub fn range(&self, text: &str, line: u32) -> Option<(usize, usize)> {
        let index = (line as usize).checked_sub(1).filter(|&i| i < self.lines)?;
        let bytes = text.as_bytes();
        let mut start = *self.marks.get(index / LINES_PER_MARK)? as usize;
        for _ in 0..index % LINES_PER_MARK {
            start += memchr::memchr(b'\n', &bytes[start..])? + 1;
        }
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(text.len(), |at| start + at);
        Some((start, end))
    }

    /// The text of 1-based `line`, without its line end (nor a `\r` before it).
    pub fn line<'t>(&self, text: &'t str, line: u32) -> Option<&'t str> {
        let (start, end) = self.range(text, line)?;
        text.get(start..end).map(|l| l.strip_suffix('\r').unwrap_or(l))
    }

    pub fn count(&self) -> usize {
        self.lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The count is the count of line ends, whatever the text: what `str::matches` counted.
    #[test]
    fn newlines_are_the_line_ends_of_any_text() {
        let long: String = (0..5000).map(|i| if i % 7 == 0 { "δ\r\n" } else { "x" }).collect();
        for text in ["", "\n", "one", "one\n", "a\r\nb\r\n\r\nc", "\n\n\n", "日本\n語", long.as_str()] {
            assert_eq!(newlines(text.as_bytes()), text.matches('\n').count(), "{text:?}");
        }
        assert_eq!(newlines(long.as_bytes()), 715);
    }

    #[test]
    fn offsets_and_lines_agree() {
        let text = "first\nsecond\r\n\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.count(), 4);
        assert_eq!([0, 5, 6, 13, 14, 15].map(|o| index.line_of(text, o)), [1, 1, 2, 2, 3, 4]);
        assert_eq!(index.line(text, 2), Some("second"));
        assert_eq!(index.line(text, 3), Some(""));
        assert_eq!(index.line(text, 4), Some("last"));
        assert_eq!(index.line(text, 5), None);
        assert_eq!(index.line(text, 0), None);
    }

    /// Every offset and every line of texts longer than a mark, against counting from the start.
    #[test]
    fn marks_find_the_lines_counting_would() {
        for text in [
            "a\n".repeat(40),
            (0..100).map(|i| format!("line {i}{}", if i % 3 == 0 { "\r\n" } else { "\n" })).collect::<String>(),
            format!("{}last without end", "\n".repeat(33)),
            "é\n\n".repeat(17),
        ] {
            let index = LineIndex::new(&text);
            let lines: Vec<&str> = text.split('\n').collect();
            assert_eq!(index.count(), lines.len());
            for offset in 0..=text.len() + 2 {
                let counted = 1 + text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count();
                assert_eq!(index.line_of(&text, offset) as usize, counted, "offset {offset}");
            }
            for (i, line) in lines.iter().enumerate() {
                assert_eq!(index.line(&text, i as u32 + 1), Some(line.strip_suffix('\r').unwrap_or(line)));
            }
            assert_eq!(index.line(&text, lines.len() as u32 + 1), None);
        }
    }
}
