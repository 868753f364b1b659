//! An input arriving from the page slice by slice, proven UTF-8 as it comes. The worker waits
//! for the page between a file's slices, so proving each one then costs the diagnosis nothing;
//! proving a 150 MB export whole once it had arrived took the worker 54 ms before it could read
//! it. A slice that is not UTF-8 (UTF-16, a binary file) turns the input back into bytes, which
//! the session decodes as before.

use diagnosis::evidence::scan::FreeTextScan;
use diagnosis::ingest::Arrived;
use diagnosis::session::Origin;

/// From this size on, the JSON document a text starts with is presumed strict to its last
/// bracket, and proven as it is read (`diagnosis::ingest::Grammar::Presumed`), instead of being
/// skimmed whole to prove it first: the skim of a 150 MB export took this worker 130 ms of its
/// 1.1 s. Below it the skim costs under a millisecond.
const PRESUME_FROM_BYTES: usize = 1 << 20;

/// What has arrived of an input.
#[derive(Debug, PartialEq)]
pub enum Received {
    /// Every byte so far is UTF-8; `tail` holds the first bytes of a character the last slice
    /// cut, which the next slice completes.
    Text { text: String, tail: Vec<u8> },
    /// Bytes that are not all UTF-8.
    Bytes(Vec<u8>),
}

/// An input arriving in slices: its name, where it comes from, the size announced and what has
/// arrived.
pub struct Arriving {
    name: String,
    origin: Origin,
    size: usize,
    received: Received,
    /// Free text's literals, found in each slice of a text as it is proven (in the wait for the
    /// next), not in the whole text once it is all there. (Proving its JSON strict the same way
    /// was measured too: the slices already keep the worker busy, so it only moved the time.)
    scan: Option<FreeTextScan>,
}

impl Arriving {
    pub fn new(name: String, origin: Origin, size: usize) -> Arriving {
        let received = Received::Text { text: String::new(), tail: Vec::new() };
        Arriving { name, origin, size, received, scan: None }
    }

    /// Adds a slice. A first slice that is the whole input (a paste comes in one) is proven
    /// where it is, not copied; a larger input is given its whole size once, not grown slice by
    /// slice.
    pub fn take(&mut self, slice: Vec<u8>) {
        match &mut self.received {
            Received::Text { text, tail } if text.is_empty() && tail.is_empty() && slice.len() >= self.size => {
                match String::from_utf8(slice) {
                    Ok(whole) => *text = whole,
                    // Cut inside a character: more is coming than was announced.
                    Err(e) if e.utf8_error().error_len().is_none() => self.append(&e.into_bytes()),
                    Err(e) => self.received = Received::Bytes(e.into_bytes()),
                }
            }
            _ => self.append(&slice),
        }
    }

    /// Adds a slice after what has arrived, proving it while every byte so far was UTF-8.
    fn append(&mut self, slice: &[u8]) {
        let size = self.size;
        match &mut self.received {
            Received::Text { text, tail } => {
                text.reserve_exact(size.saturating_sub(text.len()));
                match prove(text, tail, slice) {
                    Ok(()) => self.scan.get_or_insert_default().advance(text.as_bytes()),
                    Err(rest) => {
                        let mut bytes = std::mem::take(text).into_bytes();
                        bytes.reserve_exact(size.saturating_sub(bytes.len()));
                        bytes.extend_from_slice(tail);
                        bytes.extend_from_slice(&slice[rest..]);
                        self.received = Received::Bytes(bytes);
                    }
                }
            }
            Received::Bytes(bytes) => {
                bytes.reserve_exact(size.saturating_sub(bytes.len()));
                bytes.extend_from_slice(slice);
            }
        }
    }

    /// Its name, its origin and what arrived: a text when every byte was UTF-8 and no
    /// character was left cut, with the places of free text's literals when it arrived in
    /// several slices (else they are found when the text is read).
    pub fn into_parts(self) -> (String, Origin, Received, Arrived) {
        let (received, arrived) = match self.received {
            Received::Text { text, tail } if !tail.is_empty() => {
                let mut bytes = text.into_bytes();
                bytes.extend_from_slice(&tail);
                (Received::Bytes(bytes), Arrived::default())
            }
            Received::Text { text, tail } => {
                let free_text = self.scan.map(|scan| scan.finish(text.as_bytes()));
                let presume_strict = text.len() >= PRESUME_FROM_BYTES;
                let arrived = Arrived { free_text, presume_strict, ..Arrived::default() };
                (Received::Text { text, tail }, arrived)
            }
            received => (received, Arrived::default()),
        };
        (self.name, self.origin, received, arrived)
    }
}

/// Appends `slice` to `text` once proven UTF-8: first the character `tail` began, then the
/// slice's whole characters; the start of a character it cuts becomes the new tail. Err(at):
/// the bytes from `at` on are not UTF-8 (`text` and `tail` hold everything before them).
fn prove(text: &mut String, tail: &mut Vec<u8>, slice: &[u8]) -> Result<(), usize> {
    let mut at = 0;
    if let Some(&lead) = tail.first() {
        let width = char_width(lead).ok_or(0usize)?;
        let taken = (width - tail.len()).min(slice.len());
        tail.extend_from_slice(&slice[..taken]);
        at = taken;
        if tail.len() < width {
            return Ok(());
        }
        text.push_str(std::str::from_utf8(tail).map_err(|_| at)?);
        tail.clear();
    }
    let rest = &slice[at..];
    let whole = whole_characters(rest);
    // `at` in the error: the tail is in `text` now, and the rest is read from where it starts.
    text.push_str(std::str::from_utf8(&rest[..whole]).map_err(|_| at)?);
    tail.extend_from_slice(&rest[whole..]);
    Ok(())
}

/// How many bytes a character starting with `lead` has (None: not a first byte).
fn char_width(lead: u8) -> Option<usize> {
    match lead {
        0x00..=0x7F => Some(1),
        0xC0..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF7 => Some(4),
        _ => None,
    }
}

/// How many of `bytes`' first bytes end on a character's end: all of them unless the last three
/// hold the start of a character that needs more.
fn whole_characters(bytes: &[u8]) -> usize {
    let from = bytes.len().saturating_sub(3);
    for at in (from..bytes.len()).rev() {
        if bytes[at] & 0xC0 != 0x80 {
            return match char_width(bytes[at]) {
                Some(width) if at + width > bytes.len() => at,
                _ => bytes.len(),
            };
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrive(size: usize, slices: &[&[u8]]) -> Received {
        let mut arriving = Arriving::new(String::new(), Origin::Data, size);
        slices.iter().for_each(|s| arriving.take(s.to_vec()));
        arriving.into_parts().2
    }

    fn text(text: &str) -> Received {
        Received::Text { text: text.to_string(), tail: Vec::new() }
    }

    /// Cut anywhere, into slices of any size, a text arrives whole; the size announced only
    /// reserves room.
    #[test]
    fn a_text_cut_anywhere_arrives_whole() {
        let whole = "aé日本😀b\r\nÿ€ 𝄞z".repeat(3);
        for size in 1..=whole.len() {
            let slices: Vec<&[u8]> = whole.as_bytes().chunks(size).collect();
            for announced in [0, size, whole.len(), whole.len() + 9] {
                assert_eq!(arrive(announced, &slices), text(&whole), "slices of {size}, {announced} announced");
            }
        }
        assert_eq!(arrive(6, &[b"abcdef"]), text("abcdef"));
        assert_eq!(arrive(0, &[b"", b"abc"]), text("abc"));
    }

    /// A text that arrives in several slices, of any size, brings the places of free text's
    /// literals in the whole text (literals and characters cut by slices); one that arrives in
    /// one slice leaves them to be found when it is read.
    #[test]
    fn a_text_in_slices_brings_its_literals_places() {
        use diagnosis::evidence::scan::free_text_hits;
        let whole = "日本 RunCommandId=1/ é execution id: 2 patch group: g,\n".repeat(4);
        for size in 1..whole.len() {
            let mut arriving = Arriving::new(String::new(), Origin::Data, whole.len());
            whole.as_bytes().chunks(size).for_each(|s| arriving.take(s.to_vec()));
            let (.., received, arrived) = arriving.into_parts();
            assert_eq!(received, text(&whole));
            assert_eq!(arrived.free_text, Some(free_text_hits(whole.as_bytes())), "slices of {size}");
        }
        let mut arriving = Arriving::new(String::new(), Origin::Data, whole.len());
        arriving.take(whole.as_bytes().to_vec());
        assert_eq!(arriving.into_parts().3, Arrived::default());
    }

    /// Bytes that are not UTF-8, wherever a slice ends, arrive as they were sent.
    #[test]
    fn bytes_that_are_not_utf8_arrive_as_sent() {
        let mut sent = "café ".as_bytes().to_vec();
        sent.extend_from_slice(&[0xFF, 0xFE, b'x', 0xC3]);
        sent.extend_from_slice("日本".as_bytes());
        let cut = &"日本".as_bytes()[..2];
        for bad in [sent.clone(), [b"ab".as_slice(), cut].concat(), vec![0xFF, 0xFE, b'a', 0], vec![0x80]] {
            for size in 1..=bad.len() {
                let slices: Vec<&[u8]> = bad.chunks(size).collect();
                assert_eq!(arrive(bad.len(), &slices), Received::Bytes(bad.clone()), "{bad:?} in slices of {size}");
            }
        }
    }
}
