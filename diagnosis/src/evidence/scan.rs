//! Ids and regions named anywhere in an input's text: ARNs, endpoints, S3 URLs, host names,
//! runbook links, orchestration paths, payload summaries. Each candidate is validated by the
//! rule of its type in `ids`, never by a second pattern here.

use std::sync::OnceLock;

use super::Context;
use crate::ids::{self, is_baseline_id, is_region, is_uuid};
use crate::ingest::Input;
use crate::lines::Cite;
use crate::literals::{Hits, LiteralSet};
use crate::model::Field;
use crate::prefilter::lines_containing;
use crate::regexes::{self, Regex};

/// At most this many distinct values of one kind are kept (a fleet export names thousands of
/// baselines and commands; the context only needs to know which ones the text ties together).
const MAX_PER_KIND: usize = 64;

/// The ids an input names are kept to tell whether it is about one node; a few say it is not.
const MAX_IDS_PER_INPUT: usize = 4;

/// Regions and accounts are looked for in this much of each input.
const CONTEXT_HEAD_BYTES: usize = 4 << 20;

/// The account in an ARN.
pub(crate) const ACCOUNT_PATTERN: &str = r"arn:aws[\w-]*:[\w-]+:[\w-]*:(\d{12}):";

/// Node ids kept for the context of all inputs (the one node they are about, or several).
const MAX_NODE_IDS: usize = 256;

impl Context {
    /// Instance ids, regions and accounts from anywhere in the text, then the ids of free text.
    /// Reads nothing but the text and what the inputs before it named: it may run beside the
    /// reading of the input's parts.
    pub(super) fn scan_ids(&mut self, input: usize, of: &Input) {
        let text = of.text.as_str();
        let cite = |offset: usize| Cite::new(input, of.line_of(offset));
        let mut here: Vec<String> = Vec::new();
        // Which nodes the text names: the first few of the input (is it about one node?), and
        // up to MAX_NODE_IDS of all inputs; a fleet export names 150,000, and which ones is the
        // rows' business, not the context's.
        for (at, id) in instance_ids(text) {
            if !here.iter().any(|h| h == id) && here.len() < MAX_IDS_PER_INPUT {
                here.push(id.to_string());
            }
            let ids = &mut self.instance_ids;
            if ids.len() < MAX_NODE_IDS && !ids.iter().any(|f| f.value == id) {
                ids.push(Field { value: id.to_string(), cite: cite(at) });
            }
            if here.len() >= MAX_IDS_PER_INPUT && self.instance_ids.len() >= MAX_NODE_IDS {
                break;
            }
        }
        if self.ids_by_input.len() <= input {
            self.ids_by_input.resize(input + 1, Vec::new());
        }
        self.ids_by_input[input] = here;
        // Regions and accounts: the context wants the first ones named, and a fleet export
        // repeats the same few on every row, so only the head of a large input is searched.
        let mut head_end = text.len().min(CONTEXT_HEAD_BYTES);
        while !text.is_char_boundary(head_end) {
            head_end -= 1;
        }
        let head = &text[..head_end];
        let words: Vec<String> =
            ["north", "south", "east", "west", "central"].iter().map(|w| format!("{w}-")).collect();
        for (start, end) in lines_containing(head, &words) {
            for (at, region) in regions(&text[start..end]).take(100) {
                if !self.regions.iter().any(|f| f.value == region) {
                    self.regions.push(Field { value: region.to_string(), cite: cite(start + at) });
                }
            }
            if self.regions.len() >= MAX_PER_KIND {
                break;
            }
        }
        self.scan_text_ids(input, of);
        static ACCOUNT: OnceLock<Regex> = OnceLock::new();
        let account = ACCOUNT.get_or_init(|| regexes::compile(ACCOUNT_PATTERN).expect("account re"));
        for (start, end) in lines_containing(head, &["arn:aws".to_string()]) {
            for c in account.captures_iter(&text[start..end]).take(100) {
                let m = c.get(1).expect("group");
                if !self.accounts.iter().any(|f| f.value == m.as_str()) {
                    self.accounts.push(Field { value: m.as_str().to_string(), cite: cite(start + m.start()) });
                }
            }
        }
    }

    /// Command, association and baseline ids in free text: the runbook link newer payloads print
    /// (`RunCommandId=<id>`), `execution id: <id>` from the payload summary, orchestration paths
    /// (`/orchestration/<id>/` is a command; `[<id>.<timestamp>]` is an association run),
    /// snapshot ids and patch groups from the payload summary.
    ///
    /// Each finder looks for its literal and reads the token after it by hand: a fleet export
    /// names a baseline on every row, and a regex per line made this scan the slowest part of
    /// reading one. What is an id is the `ids` rule's call.
    fn scan_text_ids(&mut self, input: usize, of: &Input) {
        let text = of.text.as_str();
        let bytes = text.as_bytes();
        let cite = |at: usize| Cite::new(input, of.line_of(at));
        // A token of id characters starting at `at`.
        let token = |at: usize, max: usize| -> &str {
            let len = bytes[at.min(bytes.len())..]
                .iter()
                .take(max + 1)
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
                .count();
            &text[at..at + len]
        };
        let context = self;
        let found = Literals(of.free_text(free_text_hits));
        // Commands: after `RunCommandId=`, `execution id: ` or `orchestration/`, a UUID that ends
        // at `/`, `\`, `&` or a space.
        for literal in
            [Literal::RunCommandId, Literal::ExecutionId, Literal::Orchestration, Literal::OrchestrationWindows]
        {
            for at in found.after(literal) {
                let id = token(at, 36);
                let ends = bytes
                    .get(at + id.len())
                    .is_some_and(|b| matches!(b, b'/' | b'\\' | b'&' | b' ' | b'\t' | b'\n' | b'\r'));
                if ends && is_uuid(id) && !push(&mut context.command_ids, id, || cite(at)) {
                    break;
                }
            }
        }
        // Association runs: `[<id>.<yyyy>-` or `associationId=<id>` (then `]` or `.yyyy-`).
        let runs = memchr::memchr_iter(b'[', bytes).map(|at| at + 1);
        for at in runs.chain(found.after(Literal::AssociationId)) {
            let id = token(at, 36);
            let after = &bytes[(at + id.len()).min(bytes.len())..];
            let run = after.first() == Some(&b']')
                || (after.len() > 5
                    && after[0] == b'.'
                    && after[1..5].iter().all(u8::is_ascii_digit)
                    && after[5] == b'-');
            if run && is_uuid(id) && !push(&mut context.association_ids, id, || cite(at)) {
                break;
            }
        }
        // Baselines: `pb-` + 17 characters as a word, or the ARN that ends with it.
        for at in memchr::memmem::find_iter(bytes, b"pb-") {
            if at > 0 && word(bytes[at - 1]) {
                continue;
            }
            let id = token(at, 20);
            let end = at + id.len();
            if id.len() != 20 || bytes.get(end).is_some_and(|b| word(*b)) || !is_baseline_id(id) {
                continue;
            }
            let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
            let value = match text[line_start..at].rfind("arn:aws") {
                Some(arn) if text[line_start + arn..at].ends_with("patchbaseline/") => &text[line_start + arn..end],
                _ => id,
            };
            let value = if is_baseline_id(value) { value } else { id };
            if !push(&mut context.baseline_ids, value, || cite(at)) {
                break;
            }
        }
        // Snapshots: `Snapshot id: <id>` or `snapshot id = <id>`.
        for literal in [Literal::SnapshotId, Literal::SnapshotIdUpper, Literal::SnapshotIdCaps] {
            for at in found.after(literal) {
                let rest = &text[at..];
                let Some(rest) = rest.strip_prefix(':').or_else(|| rest.strip_prefix(" =")) else { continue };
                let skipped = rest.len() - rest.trim_start_matches(' ').len();
                let value_at = at + (text[at..].len() - rest.len()) + skipped;
                let id = token(value_at, 64);
                if (8..=64).contains(&id.len()) && !push(&mut context.snapshot_ids, id, || cite(value_at)) {
                    break;
                }
            }
        }
        // Patch groups: `patch group: <name>,` (up to 128 characters, not starting with a space).
        for at in found.after(Literal::PatchGroup) {
            let rest = &text[at..];
            let Some(comma) = rest.find([',', '\n']).filter(|&c| c > 0 && c <= 128 && rest.as_bytes()[c] == b',')
            else {
                continue;
            };
            let group = &rest[..comma];
            if group.starts_with(char::is_whitespace) {
                continue;
            }
            if !push(&mut context.patch_groups, group, || cite(at)) {
                break;
            }
        }
    }
}

/// The literals free text names its ids after, but for `[` (one byte: its own memchr pass) and
/// `pb-` (a fleet export names a baseline on every row, and that pass ends once enough are
/// known).
#[derive(Clone, Copy)]
enum Literal {
    RunCommandId,
    ExecutionId,
    Orchestration,
    OrchestrationWindows,
    AssociationId,
    SnapshotId,
    SnapshotIdUpper,
    SnapshotIdCaps,
    PatchGroup,
}

/// The literals free text names its ids after (`[` and `pb-` aside), in the order of
/// [`Literal`]; public for the benchmark that compares one pass with a pass per literal.
pub const FREE_TEXT_LITERALS: [&str; 9] = [
    "RunCommandId=",
    "execution id: ",
    "orchestration/",
    "orchestration\\",
    "associationId=",
    "napshot id",
    "napshot ID",
    "NAPSHOT ID",
    "patch group: ",
];

/// Where each [`Literal`] occurs, found once for all of them (`free_text_hits`), not searched for
/// by each finder.
struct Literals<'h>(&'h Hits);

/// The set of [`FREE_TEXT_LITERALS`], built once, searched a memmem pass per literal: with SIMD
/// (wasm's `simd128` too), nine passes over a fleet export that names none of them took 0.8 of
/// the time of one pass of the shift table, natively (61 against 74 ms at 150 MB) and in V8
/// (2.2 against 2.7 ms at 4 MB); `benches/ingest.rs` prints both.
fn free_text_literals() -> &'static LiteralSet {
    static SET: OnceLock<LiteralSet> = OnceLock::new();
    SET.get_or_init(|| LiteralSet::per_literal(FREE_TEXT_LITERALS))
}

/// Where [`FREE_TEXT_LITERALS`] occur in `text`.
pub fn free_text_hits(text: &[u8]) -> Hits {
    free_text_literals().hits(text)
}

/// [`free_text_hits`] of a text that arrives in pieces, found piece by piece while the rest is
/// on its way (the worker reads a file in slices, waiting between them): each call finds the
/// literals that start in what arrived since and end in it; `finish` those left at the end.
/// The same places as finding them in the whole text, because no literal can overlap another
/// place of itself (a test holds the list to it).
#[derive(Debug, Default)]
pub struct FreeTextScan {
    found: Vec<(u32, usize)>,
    /// Every literal that starts before this is found.
    done: usize,
    /// The text's bytes from `done` on, too few to tell what starts there (a literal may end in
    /// the next piece): kept, since the pieces may not be kept together.
    pending: Vec<u8>,
}

impl FreeTextScan {
    /// Finds what starts in `text` (all that has arrived so far) after what was found before,
    /// where the literal ends inside `text`: what arrived since, read as the next piece.
    pub fn advance(&mut self, text: &[u8]) {
        let seen = self.done + self.pending.len();
        if text.len() > seen {
            self.read(&text[seen..], seen);
        }
    }

    /// Finds what starts in `piece`, the text's bytes from `at` on, the next after those given
    /// before, where the literal ends in what was given: also for a text whose pieces are not
    /// kept together as they arrive (the CLI's, read into pieces of its room while this runs on
    /// another thread). A piece's last bytes wait for the next one; [`FreeTextScan::hits`]
    /// gives the places once the last piece is read.
    pub fn read(&mut self, piece: &[u8], at: usize) {
        let set = free_text_literals();
        let reach = set.longest() - 1;
        debug_assert_eq!(at, self.done + self.pending.len(), "pieces are read in order");
        let waiting = self.pending.len();
        let given = waiting + piece.len();
        if given <= reach {
            self.pending.extend_from_slice(piece);
            return;
        }
        // What is decided now: the places that start before the last `reach` bytes given.
        let until = given - reach;
        let (done, found) = (self.done, &mut self.found);
        // Those starting in what waited: they end in the piece's first bytes.
        if waiting > 0 {
            let mut joint = Vec::with_capacity(waiting + reach);
            joint.extend_from_slice(&self.pending);
            joint.extend_from_slice(&piece[..piece.len().min(reach)]);
            let decided = waiting.min(until);
            set.find(&joint, |literal, start| {
                if start < decided {
                    found.push((literal as u32, done + start));
                }
            });
        }
        // Those starting in the piece: they end in it.
        if until > waiting {
            let in_piece = until - waiting;
            set.find(piece, |literal, start| {
                if start < in_piece {
                    found.push((literal as u32, at + start));
                }
            });
        }
        // The last `reach` bytes wait for the next piece.
        let keep = reach.min(piece.len());
        self.pending.drain(..waiting - (reach - keep));
        self.pending.extend_from_slice(&piece[piece.len() - keep..]);
        self.done = done + until;
    }

    /// The places in the text given in pieces to [`FreeTextScan::read`], every piece read.
    pub fn hits(mut self) -> Hits {
        let (done, found) = (self.done, &mut self.found);
        free_text_literals().find(&self.pending, |literal, at| found.push((literal as u32, done + at)));
        Hits::from_found(self.found)
    }

    /// The places in the whole `text`, of which every earlier call saw a beginning.
    pub fn finish(mut self, text: &[u8]) -> Hits {
        self.advance(text);
        self.hits()
    }
}

impl Literals<'_> {
    /// The offsets just after each place `literal` occurs, in the text's order.
    fn after(&self, literal: Literal) -> impl Iterator<Item = usize> + '_ {
        let len = FREE_TEXT_LITERALS[literal as usize].len();
        self.0.of(literal as usize).iter().map(move |at| at + len)
    }
}

/// Adds `value` to `list` once; false when the list is full (the rest of the text adds nothing
/// the context needs: it only tells which ids a text ties together, and the first of each).
fn push(list: &mut Vec<Field<String>>, value: &str, cite: impl FnOnce() -> Cite) -> bool {
    if list.len() >= MAX_PER_KIND {
        return false;
    }
    if !list.iter().any(|f| f.value == value) {
        list.push(Field { value: value.to_string(), cite: cite() });
    }
    true
}

/// A character that can be part of a word (`\b` semantics).
fn word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Instance ids in `line`, as (offset, id): `i-`/`mi-` after a non-word character, then a run of
/// letters and digits that `ids::is_instance_id` accepts and that ends the word.
pub fn instance_ids(line: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let bytes = line.as_bytes();
    memchr::memmem::find_iter(bytes, b"i-").filter_map(move |at| {
        let start = if at > 0 && bytes[at - 1] == b'm' { at - 1 } else { at };
        if start > 0 && word(bytes[start - 1]) {
            return None;
        }
        let body = at + 2;
        let end = body + bytes[body..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        let id = &line[start..end];
        (end == bytes.len() || !word(bytes[end])).then_some(()).filter(|_| ids::is_instance_id(id)).map(|_| (start, id))
    })
}

/// Regions in `line`, as (offset, region): `xx[-gov|-iso…]-direction-N` after a non-word
/// character (a `-` is not one: `aws-ssm-eu-west-1` names eu-west-1) and ending the word.
pub fn regions(line: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let bytes = line.as_bytes();
    (0..bytes.len()).filter_map(move |start| {
        if !bytes[start].is_ascii_lowercase() || (start > 0 && word(bytes[start - 1])) {
            return None;
        }
        // Up to four `-`-separated parts, the last of them digits.
        let mut end = start;
        let mut dashes = 0;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'-') {
            if bytes[end] == b'-' {
                dashes += 1;
                if dashes == 4 {
                    break;
                }
            }
            end += 1;
        }
        // The longest prefix of the run that is a region and ends a word.
        (start + 4..=end).rev().find_map(|stop| {
            let candidate = &line[start..stop];
            let ends_word = stop == bytes.len() || !word(bytes[stop]);
            (ends_word && is_region(candidate)).then_some((start, candidate))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finding the literals piece by piece is exact only because no literal overlaps another
    /// place of itself (a proper prefix that is also its suffix).
    #[test]
    fn no_free_text_literal_overlaps_itself() {
        for literal in FREE_TEXT_LITERALS {
            for len in 1..literal.len() {
                assert_ne!(literal[..len], literal[literal.len() - len..], "{literal:?} overlaps itself");
            }
        }
    }

    /// A text that arrives in pieces of any size, with literals cut by the pieces' ends, has
    /// its literals found where finding them in the whole text finds them.
    #[test]
    fn literals_found_as_a_text_arrives_are_those_of_the_whole_text() {
        let text = format!(
            "{}RunCommandId=1 orchestration/x execution id: 2\npatch group: a, napshot id: 3 NAPSHOT ID{}associationId=9 orchestration\\",
            "x".repeat(37),
            "y".repeat(21)
        );
        let whole = free_text_hits(text.as_bytes());
        assert_eq!(whole.of(Literal::Orchestration as usize).len(), 1);
        for size in 1..=text.len() {
            let mut scan = FreeTextScan::default();
            let mut arrived = 0;
            while arrived < text.len() {
                arrived = (arrived + size).min(text.len());
                scan.advance(&text.as_bytes()[..arrived]);
            }
            assert_eq!(scan.finish(text.as_bytes()), whole, "pieces of {size}");
        }
        assert_eq!(FreeTextScan::default().finish(text.as_bytes()), whole, "nothing seen before the end");
    }

    /// The same, the pieces given one by one and not kept together, of any size, and of sizes
    /// that change from piece to piece.
    #[test]
    fn literals_found_in_pieces_not_kept_together_are_those_of_the_whole_text() {
        let text = format!(
            "{}RunCommandId=1 orchestration/x execution id: 2\npatch group: a, napshot id: 3 NAPSHOT ID{}associationId=9 orchestration\\RunCommandId=",
            "x".repeat(37),
            "y".repeat(21)
        );
        let bytes = text.as_bytes();
        let whole = free_text_hits(bytes);
        let in_pieces = |sizes: &mut dyn Iterator<Item = usize>| {
            let mut scan = FreeTextScan::default();
            let mut at = 0;
            while at < bytes.len() {
                let end = (at + sizes.next().unwrap_or(1).max(1)).min(bytes.len());
                scan.read(&bytes[at..end], at);
                at = end;
            }
            scan.hits()
        };
        for size in 1..=bytes.len() {
            assert_eq!(in_pieces(&mut std::iter::repeat(size)), whole, "pieces of {size}");
            assert_eq!(in_pieces(&mut [size, 1, 2, 3, 31].into_iter().cycle()), whole, "pieces of {size}, 1, 2, 3, 31");
        }
        assert_eq!(FreeTextScan::default().hits(), free_text_hits(b""));
    }

    #[test]
    fn instance_ids_follow_word_boundaries() {
        let line = "foo-i-0123456789abcdef0 /ssm/i-1234abcd/doc xi-0123456789abcdef0 i-0123456789abcdef0x mi-0123456789abcdef0.";
        let found: Vec<&str> = instance_ids(line).map(|(_, id)| id).collect();
        assert_eq!(found, ["i-0123456789abcdef0", "i-1234abcd", "mi-0123456789abcdef0"]);
    }

    #[test]
    fn regions_inside_bucket_names_and_urls() {
        let line = "https://s3.dualstack.eu-west-1.amazonaws.com/aws-ssm-us-gov-west-1/x xeu-west-1 ap-southeast-5";
        let found: Vec<&str> = regions(line).map(|(_, r)| r).collect();
        assert_eq!(found, ["eu-west-1", "us-gov-west-1", "ap-southeast-5"]);
    }
}
