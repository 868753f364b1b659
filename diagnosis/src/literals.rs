//! Many literals found in one pass over a text: Wu–Manber's shift table over two-byte blocks.
//!
//! Each literal's occurrences are exactly what `memchr::memmem::find_iter` gives for it alone
//! (left to right, not overlapping each other), so a caller that ran one pass per literal gets
//! the same answer from one pass. The window moves by up to the shortest literal's length at a
//! step and looks at only two bytes, so a text that names none of them is read in a fraction
//! of one pass.
//!
//! Why not the aho-corasick crate: in the worker (wasm: its Teddy prefilter is for x86-64 and
//! aarch64 only, so even with wasm's SIMD it runs without one) its automaton read a 137 MB
//! export in 390 ms for nine literals, and was 15% of the page's time to a fleet's result.
//!
//! A few long literals are searched faster a memmem pass each, with SIMD, than in one pass
//! ([`LiteralSet::per_literal`]: free text's nine ids, 0.8 of the time natively and in V8,
//! `benches/ingest.rs`); the one pass is for sets of many literals (a log's signatures).

/// A set of literals, ready to be searched for.
pub struct LiteralSet {
    literals: Vec<Box<[u8]>>,
    search: Search,
}

enum Search {
    /// Every literal has at least two bytes: the shift table.
    Shift {
        /// The shortest literal's length (at most 255): the window.
        window: usize,
        /// How far the window can move when its last two bytes are this block (`hi << 8 | lo`);
        /// 0 when they end the window's part of some literal.
        shift: Box<[u8; 1 << 16]>,
        /// (block, literal) for each literal, by the block that ends its window's part.
        ends: Vec<(u16, u32)>,
    },
    /// One memmem pass per literal (a literal shorter than two bytes, or a set asked for so).
    PerLiteral(Vec<memchr::memmem::Finder<'static>>),
}

/// Where a [`LiteralSet`]'s literals occur in one text: by literal, then in the text's order (as
/// two columns; a text with none allocates nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hits {
    literal: Vec<u32>,
    at: Vec<usize>,
}

impl Hits {
    /// The hits at `found`, (literal, offset) pairs in any order.
    pub fn from_found(mut found: Vec<(u32, usize)>) -> Hits {
        found.sort_unstable();
        Hits { literal: found.iter().map(|f| f.0).collect(), at: found.iter().map(|f| f.1).collect() }
    }

    /// The places of literal `index` (its place in the set), in order.
    pub fn of(&self, index: usize) -> &[usize] {
        let index = index as u32;
        let first = self.literal.partition_point(|&l| l < index);
        let end = self.literal.partition_point(|&l| l <= index);
        &self.at[first..end]
    }
}

/// The place of `literal` in `literals` (the list a [`LiteralSet`] is built from), added if it
/// is new: patterns that need the same literal share its place.
pub(crate) fn place_of(literals: &mut Vec<String>, literal: String) -> usize {
    literals.iter().position(|l| *l == literal).unwrap_or_else(|| {
        literals.push(literal);
        literals.len() - 1
    })
}

/// Every place of each literal, a memmem pass each, given in the order of the places (and of
/// the literals at the same place).
fn per_literal(finders: &[memchr::memmem::Finder<'static>], text: &[u8], mut found: impl FnMut(usize, usize)) {
    let mut all: Vec<(usize, usize)> = Vec::new();
    for (index, finder) in finders.iter().enumerate() {
        all.extend(finder.find_iter(text).map(|at| (at, index)));
    }
    all.sort_unstable();
    all.into_iter().for_each(|(at, index)| found(index, at));
}

/// The literals, each held as bytes of its own.
fn owned<S: AsRef<[u8]>>(literals: impl IntoIterator<Item = S>) -> Vec<Box<[u8]>> {
    literals.into_iter().map(|l| Box::from(l.as_ref())).collect()
}

fn block(hi: u8, lo: u8) -> u16 {
    u16::from(hi) << 8 | u16::from(lo)
}

impl LiteralSet {
    pub fn new<S: AsRef<[u8]>>(literals: impl IntoIterator<Item = S>) -> LiteralSet {
        let literals = owned(literals);
        let shortest = literals.iter().map(|l| l.len()).min().unwrap_or(0);
        if shortest < 2 {
            return LiteralSet::searched_per_literal(literals);
        }
        let window = shortest.min(usize::from(u8::MAX));
        // A block seen nowhere lets the window move past it: only a window that starts after
        // its first byte can hold a literal.
        let mut shift: Box<[u8; 1 << 16]> =
            vec![(window - 1) as u8; 1 << 16].into_boxed_slice().try_into().expect("65,536 blocks");
        let mut ends = Vec::with_capacity(literals.len());
        for (index, literal) in literals.iter().enumerate() {
            let part = &literal[..window];
            for end in 1..window {
                let at = &mut shift[usize::from(block(part[end - 1], part[end]))];
                *at = (*at).min((window - 1 - end) as u8);
            }
            ends.push((block(part[window - 2], part[window - 1]), index as u32));
        }
        ends.sort_unstable();
        LiteralSet { literals, search: Search::Shift { window, shift, ends } }
    }

    /// A set searched one memmem pass per literal: for a few long literals, memchr's SIMD
    /// passes read a text faster than one pass of the shift table (`benches/ingest.rs` prints
    /// both for the ids of free text).
    pub fn per_literal<S: AsRef<[u8]>>(literals: impl IntoIterator<Item = S>) -> LiteralSet {
        LiteralSet::searched_per_literal(owned(literals))
    }

    fn searched_per_literal(literals: Vec<Box<[u8]>>) -> LiteralSet {
        let finders = literals.iter().map(|l| memchr::memmem::Finder::new(l).into_owned()).collect();
        LiteralSet { literals, search: Search::PerLiteral(finders) }
    }

    /// The longest literal's length.
    pub fn longest(&self) -> usize {
        self.literals.iter().map(|l| l.len()).max().unwrap_or(0)
    }

    /// Every occurrence in `text`, by literal.
    pub fn hits(&self, text: &[u8]) -> Hits {
        let mut found: Vec<(u32, usize)> = Vec::new();
        self.find(text, |literal, at| found.push((literal as u32, at)));
        Hits::from_found(found)
    }

    /// Calls `found(literal, offset)` for each occurrence, in the order of the offsets (and of
    /// the literals at the same offset).
    pub fn find(&self, text: &[u8], mut found: impl FnMut(usize, usize)) {
        let (window, shift, ends) = match &self.search {
            Search::Shift { window, shift, ends } => (window, shift, ends),
            Search::PerLiteral(finders) => return per_literal(finders, text, found),
        };
        // Where each literal may next start: an occurrence that overlaps the one before it is
        // not reported (as a memmem pass would not).
        let mut next = vec![0usize; self.literals.len()];
        let mut end = window - 1;
        while let Some(&[hi, lo]) = text.get(end - 1..=end) {
            let last = block(hi, lo);
            let by = shift[usize::from(last)];
            if by > 0 {
                end += usize::from(by);
                continue;
            }
            let start = end + 1 - window;
            let first = ends.partition_point(|&(b, _)| b < last);
            for &(_, index) in ends[first..].iter().take_while(|&&(b, _)| b == last) {
                let index = index as usize;
                let literal = &self.literals[index];
                if start >= next[index] && text[start..].starts_with(literal) {
                    found(index, start);
                    next[index] = start + literal.len();
                }
            }
            end += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What one memmem pass per literal finds, in the order `find` promises.
    fn per_literal(literals: &[&str], text: &str) -> Vec<(usize, usize)> {
        let mut all: Vec<(usize, usize)> = Vec::new();
        for (index, literal) in literals.iter().enumerate() {
            all.extend(memchr::memmem::find_iter(text.as_bytes(), literal.as_bytes()).map(|at| (at, index)));
        }
        all.sort_unstable();
        all
    }

    fn one_pass(literals: &[&str], text: &str) -> Vec<(usize, usize)> {
        let mut all = Vec::new();
        LiteralSet::new(literals).find(text.as_bytes(), |index, at| all.push((at, index)));
        all
    }

    #[test]
    fn overlapping_repeats_and_shared_ends_are_found_as_memmem_finds_them() {
        let literals = ["aaa", "aab", "ab", "orchestration/", "orchestration\\", "ration/x"];
        let text = "aaaaab aab aaaab orchestration/ orchestration\\ orchestration/x orchestratio/ ab";
        assert_eq!(one_pass(&literals, text), per_literal(&literals, text));
        assert_eq!(one_pass(&literals, text).len(), 13);
    }

    #[test]
    fn hits_are_each_literals_places_in_order() {
        let literals = ["ab", "ba", "zz"];
        let hits = LiteralSet::new(literals).hits(b"abab ba zzz");
        assert_eq!(hits.of(0), [0, 2]);
        assert_eq!(hits.of(1), [1, 5]);
        assert_eq!(hits.of(2), [8]);
        assert_eq!(hits.of(3), [] as [usize; 0]);
    }

    #[test]
    fn short_texts_and_single_bytes() {
        assert_eq!(one_pass(&["abc"], "ab"), []);
        assert_eq!(one_pass(&["abc"], "abc"), [(0, 0)]);
        // A one-byte literal is searched on its own.
        let literals = ["[", "pb-"];
        let text = "[x] pb-1 [";
        assert_eq!(one_pass(&literals, text), per_literal(&literals, text));
        assert_eq!(one_pass(&literals, text).len(), 3);
    }

    proptest! {
        /// Texts made of the literals' own pieces, where near misses and overlaps are common.
        #[test]
        fn one_pass_finds_what_a_pass_per_literal_finds(
            literals in prop::collection::vec("[ab:= ]{2,6}", 1..8),
            pieces in prop::collection::vec("[ab:= \n]{0,5}", 0..40),
        ) {
            let literals: Vec<&str> = literals.iter().map(String::as_str).collect();
            let text = pieces.concat();
            prop_assert_eq!(one_pass(&literals, &text), per_literal(&literals, &text));
            // And a set searched a pass per literal gives them in the same order.
            let mut each = Vec::new();
            LiteralSet::per_literal(&literals).find(text.as_bytes(), |index, at| each.push((at, index)));
            prop_assert_eq!(each, per_literal(&literals, &text));
        }
    }
}
