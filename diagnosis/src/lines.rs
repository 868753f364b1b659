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

/// Byte offsets where each line of a text starts. Built once per input (on first use), so
/// quoting a line and finding the line of an offset are O(log n), and a fleet export with a
/// million cited values costs one pass over its text.
///
/// Offsets are 32-bit: an input is at most `MAX_INPUT_BYTES` (512 MiB, 768 MiB once UTF-16 is
/// decoded), and a 150 MB export has four million lines, so half the index is 17 MB saved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineIndex(Vec<u32>);

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        // Past 4 GiB (never an input) the index ends: a later offset is on its last line.
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map_while(|i| u32::try_from(i + 1).ok()));
        LineIndex(starts)
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> u32 {
        self.0.partition_point(|start| *start as usize <= offset) as u32
    }

    /// The byte range of 1-based `line`, without its line end.
    pub fn range(&self, text: &str, line: u32) -> Option<(usize, usize)> {
        let start = *self.0.get(line.checked_sub(1)? as usize)? as usize;
        let end = self.0.get(line as usize).map_or(text.len(), |next| *next as usize - 1);
        Some((start, end.max(start)))
    }

    /// The text of 1-based `line`, without its line end (nor a `\r` before it).
    pub fn line<'t>(&self, text: &'t str, line: u32) -> Option<&'t str> {
        let (start, end) = self.range(text, line)?;
        text.get(start..end).map(|l| l.strip_suffix('\r').unwrap_or(l))
    }

    pub fn count(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_lines_agree() {
        let text = "first\nsecond\r\n\nlast";
        let index = LineIndex::new(text);
        assert_eq!(index.count(), 4);
        assert_eq!([0, 5, 6, 13, 14, 15].map(|o| index.line_of(o)), [1, 1, 2, 2, 3, 4]);
        assert_eq!(index.line(text, 2), Some("second"));
        assert_eq!(index.line(text, 3), Some(""));
        assert_eq!(index.line(text, 4), Some("last"));
        assert_eq!(index.line(text, 5), None);
        assert_eq!(index.line(text, 0), None);
    }
}
