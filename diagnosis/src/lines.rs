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

/// The line every [`BYTES_PER_MARK`]-th byte of a text is on. Built once per input (on first
/// use) with one count of line ends per mark, so finding the line of an offset is a count over at
/// most `BYTES_PER_MARK` bytes, and quoting a line a binary search and then a scan of at most as
/// many; a fleet export with a million cited values costs one pass over its text.
///
/// The marks are by bytes, not by lines: marking every 16th line's start stopped at each of a
/// 150 MB export's 3.6 million line ends (57 ms in the worker, 35 ms natively), where counting
/// them block by block goes at memchr's SIMD speed. 512 bytes to a mark: 1 MB of marks for
/// 150 MB, as the line marks held (a mark per line held 17 MB, alive at the run's peak).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineIndex {
    /// How many line ends come before byte 0, `BYTES_PER_MARK`, 2·`BYTES_PER_MARK`, … (32-bit:
    /// an input is at most `MAX_INPUT_BYTES`, 768 MiB once UTF-16 is decoded).
    marks: Vec<u32>,
    /// How many lines the text has.
    lines: usize,
}

/// How many bytes one mark of a [`LineIndex`] covers.
pub const BYTES_PER_MARK: usize = 512;

/// A [`LineIndex`] made piece by piece as a text arrives (the CLI marks a large file's pieces as
/// it reads them): the same index as the whole text's.
#[derive(Debug, Default)]
pub struct LineMarks {
    marks: Vec<u32>,
    ends: usize,
    bytes: usize,
}

impl LineMarks {
    /// Marks `piece`, the text's bytes after those marked so far. Every piece but the last is
    /// a whole number of [`BYTES_PER_MARK`] bytes.
    pub fn push(&mut self, piece: &[u8]) {
        debug_assert_eq!(self.bytes % BYTES_PER_MARK, 0, "only the last piece ends inside a mark");
        let blocks = piece.chunks(BYTES_PER_MARK);
        self.marks.reserve(blocks.len());
        for block in blocks {
            self.marks.push(self.ends as u32);
            self.ends += newlines(block);
        }
        self.bytes += piece.len();
    }

    /// The index of the text marked.
    pub fn finish(self) -> LineIndex {
        let mut marks = self.marks;
        if marks.is_empty() {
            marks.push(0);
        }
        LineIndex { marks, lines: self.ends + 1 }
    }
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut marks = LineMarks::default();
        marks.push(text.as_bytes());
        marks.finish()
    }

    /// The 1-based line of `text` holding byte `offset`.
    pub fn line_of(&self, text: &str, offset: usize) -> u32 {
        let to = offset.min(text.len());
        // The mark at or before the offset (the last one when the offset ends the text).
        let mark = (to / BYTES_PER_MARK).min(self.marks.len() - 1);
        let from = mark * BYTES_PER_MARK;
        (self.marks[mark] as usize + 1 + newlines(&text.as_bytes()[from..to])) as u32
    }

    /// The byte range of 1-based `line`, without its line end.
    pub fn range(&self, text: &str, line: u32) -> Option<(usize, usize)> {
        // The line starts after the `ends`-th line end (the text's start for the first line).
        let ends = (line as usize).checked_sub(1).filter(|&i| i < self.lines)?;
        let bytes = text.as_bytes();
        let mut start = 0;
        if ends > 0 {
            // That line end is in the last mark's block with fewer line ends before it (the
            // first mark has none, so there is one): the how-many-th of that block's.
            let mark = self.marks.partition_point(|&before| (before as usize) < ends) - 1;
            start = mark * BYTES_PER_MARK;
            for _ in self.marks[mark] as usize..ends {
                start += memchr::memchr(b'\n', &bytes[start..])? + 1;
            }
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

    /// Marked in pieces of whole marks (the last one short), a text has the index of the whole.
    #[test]
    fn marks_made_piece_by_piece_are_the_whole_texts() {
        let text = "line\n\nlonger line é 日本\r\n".repeat(200);
        for marks_per_piece in 1..6 {
            let mut marks = LineMarks::default();
            text.as_bytes().chunks(marks_per_piece * BYTES_PER_MARK).for_each(|piece| marks.push(piece));
            assert_eq!(marks.finish(), LineIndex::new(&text), "{marks_per_piece} marks a piece");
        }
        assert_eq!(LineMarks::default().finish(), LineIndex::new(""));
    }

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

    /// Every offset and every line of texts longer than a mark, against counting from the start:
    /// lines shorter and longer than a mark, runs of empty lines, a block with no line end, a
    /// line end on a mark's first and last byte, and a text that ends on a mark.
    #[test]
    fn marks_find_the_lines_counting_would() {
        let mixed: String = (0..300)
            .map(|i| format!("{}{}", "x".repeat((i * 37) % 1300), if i % 5 == 0 { "\r\n" } else { "\n" }))
            .collect();
        let on_edges = format!(
            "{}\n{}\n{}",
            "a".repeat(BYTES_PER_MARK - 1),
            "b".repeat(BYTES_PER_MARK - 1),
            "c".repeat(BYTES_PER_MARK - 1)
        );
        for text in [
            mixed,
            on_edges,
            "\n".repeat(3 * BYTES_PER_MARK + 7),
            "y".repeat(2 * BYTES_PER_MARK),
            format!("{}\n", "z".repeat(2 * BYTES_PER_MARK - 1)),
            "a\n".repeat(40),
            (0..100).map(|i| format!("line {i}{}", if i % 3 == 0 { "\r\n" } else { "\n" })).collect::<String>(),
            format!("{}last without end", "\n".repeat(33)),
            "é\n\n".repeat(17),
        ] {
            let index = LineIndex::new(&text);
            let lines: Vec<&str> = text.split('\n').collect();
            assert_eq!(index.count(), lines.len());
            // Counted from the start: one more line after each line end.
            let mut counted = 1;
            for offset in 0..=text.len() + 2 {
                if offset > 0 && text.as_bytes().get(offset - 1) == Some(&b'\n') {
                    counted += 1;
                }
                assert_eq!(index.line_of(&text, offset) as usize, counted, "offset {offset}");
            }
            for (i, line) in lines.iter().enumerate() {
                assert_eq!(index.line(&text, i as u32 + 1), Some(line.strip_suffix('\r').unwrap_or(line)));
            }
            assert_eq!(index.line(&text, lines.len() as u32 + 1), None);
        }
    }
}
