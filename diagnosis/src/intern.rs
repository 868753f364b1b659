//! Texts stored once. A fleet's ids, baselines, operations and times live in one buffer, each
//! distinct text once, and a row holds a 4-byte [`Sym`] for each: reading 150,000 rows
//! allocates nothing per row, and two rows naming the same text hold the same symbol. A leaf.

use std::hash::BuildHasher;
use std::num::NonZeroU32;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

/// A text of an [`Interner`]: equal texts have equal symbols. Never zero, so an absent text
/// (`Option<Sym>`) takes no more room than a present one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sym(NonZeroU32);

impl Sym {
    fn new(index: usize) -> Sym {
        // Fewer texts than bytes of input (at most 512 MiB each): the index fits.
        Sym(NonZeroU32::new(u32::try_from(index + 1).unwrap_or(u32::MAX)).unwrap_or(NonZeroU32::MAX))
    }

    /// Its place among its interner's texts (0 to `len() - 1`): a symbol can index a list.
    pub fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

/// Every distinct text once, in one buffer; looked up by hash (the table holds only indices,
/// so a text is never stored twice).
#[derive(Debug, Default)]
pub struct Interner {
    text: String,
    /// Where each symbol's text is in `text`: start and length (32-bit: 8 bytes a text).
    spans: Vec<(u32, u32)>,
    /// Each symbol's hash, kept: the table grows by rehashing what it holds, and hashing each
    /// text again, read from its place in the buffer, was 5% of the page's worker on a 150 MB
    /// export (the rows intern 150,000 ids, through a dozen doublings).
    hashes: Vec<u64>,
    table: HashTable<u32>,
}

fn hash(text: &str) -> u64 {
    FxBuildHasher.hash_one(text)
}

/// The text a span covers in the buffer.
fn spanned(buffer: &str, (start, len): (u32, u32)) -> &str {
    &buffer[start as usize..(start + len) as usize]
}

/// Stores `text` (of `len` bytes) at the end of the buffer and returns its index; None past
/// 4 GiB of texts (more than eight inputs of the largest size, all different), where the
/// caller stores it empty rather than at a place that does not fit.
fn append(buffer: &mut String, spans: &mut Vec<(u32, u32)>, text: &str, len: u32) -> Option<usize> {
    let start = match u32::try_from(buffer.len()).ok().filter(|s| s.checked_add(len).is_some()) {
        Some(start) => start,
        // The empty text is at any place.
        None if text.is_empty() => 0,
        None => return None,
    };
    spans.push((start, len));
    buffer.push_str(text);
    Some(spans.len() - 1)
}

impl Interner {
    /// The symbol of `text`, stored if it is new.
    pub fn intern(&mut self, text: &str) -> Sym {
        // A text of 4 GiB or more cannot come from an input (at most 512 MiB): stored empty
        // rather than with a length that does not fit.
        let Ok(len) = u32::try_from(text.len()) else { return self.intern("") };
        let Interner { text: buffer, spans, hashes, table } = self;
        let h = hash(text);
        if let Some(&i) = table.find(h, |&i| spanned(buffer, spans[i as usize]) == text) {
            return Sym::new(i as usize);
        }
        let Some(i) = append(buffer, spans, text, len) else { return self.intern("") };
        hashes.push(h);
        table.insert_unique(h, i as u32, |&j| hashes[j as usize]);
        Sym::new(i)
    }

    /// Room for `more` texts of `bytes` in all, so storing them does not grow the table by
    /// rehashing it.
    pub fn reserve(&mut self, more: usize, bytes: usize) {
        let Interner { text, spans, hashes, table } = self;
        text.reserve(bytes);
        spans.reserve(more);
        hashes.reserve(more);
        table.reserve(more, |&j| hashes[j as usize]);
    }

    /// The symbol of `text`, if it is stored.
    pub fn find(&self, text: &str) -> Option<Sym> {
        let found = self.table.find(hash(text), |&i| spanned(&self.text, self.spans[i as usize]) == text);
        found.map(|&i| Sym::new(i as usize))
    }

    /// How many distinct texts are stored.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The text of `sym`.
    pub fn get(&self, sym: Sym) -> &str {
        spanned(&self.text, self.spans[sym.index()])
    }
}

/// Texts kept in the order stored, none looked up: for texts that are nearly always distinct
/// (each node's operation times), where interning would hash and index each one for nothing.
/// Its symbols are its own: two equal texts stored twice have two.
#[derive(Debug, Default)]
pub struct TextList {
    text: String,
    spans: Vec<(u32, u32)>,
}

impl TextList {
    /// Stores `text`, and the symbol that reads it back.
    pub fn push(&mut self, text: &str) -> Sym {
        // As in an interner: a text that cannot fit is stored empty.
        let stored = u32::try_from(text.len()).ok().and_then(|len| append(&mut self.text, &mut self.spans, text, len));
        let i = stored.unwrap_or_else(|| {
            self.spans.push((0, 0));
            self.spans.len() - 1
        });
        Sym::new(i)
    }

    /// The text of `sym`.
    pub fn get(&self, sym: Sym) -> &str {
        spanned(&self.text, self.spans[sym.index()])
    }
}

/// Texts looked up first in an interner shared read-only (the rows' texts, which both threads
/// of a fleet's tree read), and stored in one of its own only when they are new there. Its
/// symbols are the shared interner's as they are, then its own after them: a row's node keeps
/// the symbol the rows were read with, so the tree never hashes a fleet's ids again.
#[derive(Debug, Default)]
pub struct Layered<'a> {
    base: Option<&'a Interner>,
    own: Interner,
}

impl<'a> Layered<'a> {
    pub fn over(base: &'a Interner) -> Layered<'a> {
        Layered { base: Some(base), own: Interner::default() }
    }

    /// How many symbols the shared interner has: a symbol below it is the same in every
    /// `Layered` over it.
    pub fn shared_len(&self) -> usize {
        self.base.map_or(0, Interner::len)
    }

    /// The symbol of `text`, stored in its own interner if the shared one does not have it.
    pub fn intern(&mut self, text: &str) -> Sym {
        if let Some(sym) = self.base.and_then(|b| b.find(text)) {
            return sym;
        }
        Sym::new(self.shared_len() + self.own.intern(text).index())
    }

    /// The text of `sym`.
    pub fn get(&self, sym: Sym) -> &str {
        match sym.index().checked_sub(self.shared_len()) {
            Some(own) => self.own.get(Sym::new(own)),
            None => self.base.map_or("", |b| b.get(sym)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_symbol_and_read_back() {
        let mut texts = Interner::default();
        let a = texts.intern("i-0123456789abcdef0");
        let b = texts.intern("Install");
        let c = texts.intern("i-0123456789abcdef0");
        let empty = texts.intern("");
        assert_eq!(a, c);
        assert_ne!(a, b);
        assert_eq!(texts.get(a), "i-0123456789abcdef0");
        assert_eq!(texts.get(b), "Install");
        assert_eq!(texts.get(empty), "");
        assert_eq!(texts.find("Install"), Some(b));
        assert_eq!(texts.find("Scan"), None);
        // Stored once: the buffer holds each distinct text one time.
        assert_eq!(texts.text.len(), "i-0123456789abcdef0".len() + "Install".len());
    }

    #[test]
    fn a_text_list_reads_back_what_it_stored_in_order() {
        let mut list = TextList::default();
        let a = list.push("2026-11-02T10:00:00Z");
        let b = list.push("");
        let c = list.push("2026-11-02T10:00:00Z");
        assert_ne!(a, c, "stored twice, two symbols");
        assert_eq!(list.get(a), "2026-11-02T10:00:00Z");
        assert_eq!(list.get(b), "");
        assert_eq!(list.get(c), "2026-11-02T10:00:00Z");
    }

    #[test]
    fn a_layered_interner_keeps_the_shared_symbols_and_adds_its_own_after_them() {
        let mut shared = Interner::default();
        let (a, b) = (shared.intern("i-0123456789abcdef0"), shared.intern("Install"));
        let mut layered = Layered::over(&shared);
        assert_eq!(layered.shared_len(), 2);
        assert_eq!(layered.intern("Install"), b, "a shared text keeps its symbol");
        let c = layered.intern("mi-0123456789abcdef0");
        assert_eq!(c.index(), 2, "a text of its own comes after the shared ones");
        assert_eq!(layered.intern("mi-0123456789abcdef0"), c);
        assert_eq!(
            (layered.get(a), layered.get(b), layered.get(c)),
            ("i-0123456789abcdef0", "Install", "mi-0123456789abcdef0")
        );
        assert_eq!(shared.len(), 2, "the shared interner is only read");
        let mut alone = Layered::default();
        let scan = alone.intern("Scan");
        assert_eq!((scan.index(), alone.get(scan)), (0, "Scan"));
    }

    #[test]
    fn many_texts_keep_their_own_symbols() {
        let mut texts = Interner::default();
        let syms: Vec<Sym> = (0..10_000).map(|n| texts.intern(&format!("i-{n:017x}"))).collect();
        for (n, sym) in syms.iter().enumerate() {
            assert_eq!(texts.get(*sym), format!("i-{n:017x}"));
            assert_eq!(texts.intern(&format!("i-{n:017x}")), *sym);
        }
    }
}
