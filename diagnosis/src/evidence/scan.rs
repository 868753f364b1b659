//! Ids and regions named anywhere in an input's text: ARNs, endpoints, S3 URLs, host names,
//! runbook links, orchestration paths, payload summaries. Each candidate is validated by the
//! rule of its type in `ids`, never by a second pattern here.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex_lite::Regex;

use super::Evidence;
use crate::ids::{self, is_baseline_id, is_region, is_uuid};
use crate::lines::{Cite, LineIndex};
use crate::model::Field;
use crate::prefilter::lines_containing;

/// At most this many distinct values of one kind are kept per input (a fleet export names
/// thousands of commands; the context only needs to know which ones the text ties together).
const MAX_PER_KIND: usize = 1000;

/// The ids an input names are kept to tell whether it is about one node; a few say it is not.
const MAX_IDS_PER_INPUT: usize = 4;

impl Evidence {
    /// Instance ids, regions and accounts from anywhere in the text, then the ids of free text.
    pub(super) fn scan_ids(&mut self, input: usize, text: &str, lines: &LineIndex) {
        let cite = |offset: usize| Cite { input, line: lines.line_of(offset) };
        let mut seen: HashSet<&str> = self.context.instance_ids.iter().map(|f| f.value.as_str()).collect();
        let mut found = Vec::new();
        let mut here: Vec<String> = Vec::new();
        for (start, end) in lines_containing(text, &["i-".to_string()]) {
            for (at, id) in instance_ids(&text[start..end]) {
                if !here.iter().any(|h| h == id) && here.len() < MAX_IDS_PER_INPUT {
                    here.push(id.to_string());
                }
                if seen.insert(id) {
                    found.push(Field { value: id.to_string(), cite: cite(start + at) });
                }
            }
        }
        drop(seen);
        self.context.instance_ids.extend(found);
        if self.context.ids_by_input.len() <= input {
            self.context.ids_by_input.resize(input + 1, Vec::new());
        }
        self.context.ids_by_input[input] = here;
        let words: Vec<String> =
            ["north", "south", "east", "west", "central"].iter().map(|w| format!("{w}-")).collect();
        for (start, end) in lines_containing(text, &words) {
            for (at, region) in regions(&text[start..end]).take(100) {
                if !self.context.regions.iter().any(|f| f.value == region) {
                    self.context.regions.push(Field { value: region.to_string(), cite: cite(start + at) });
                }
            }
        }
        self.scan_text_ids(input, text, lines);
        static ACCOUNT: OnceLock<Regex> = OnceLock::new();
        let account = ACCOUNT.get_or_init(|| Regex::new(r"arn:aws[\w-]*:[\w-]+:[\w-]*:(\d{12}):").expect("account re"));
        for (start, end) in lines_containing(text, &["arn:aws".to_string()]) {
            for c in account.captures_iter(&text[start..end]).take(100) {
                let m = c.get(1).expect("group");
                if !self.context.accounts.iter().any(|f| f.value == m.as_str()) {
                    self.context.accounts.push(Field { value: m.as_str().to_string(), cite: cite(start + m.start()) });
                }
            }
        }
    }

    /// Command, association and baseline ids in free text: the runbook link newer payloads print
    /// (`RunCommandId=<id>`), `execution id: <id>` from the payload summary, orchestration paths
    /// (`/orchestration/<id>/` is a command; `[<id>.<timestamp>]` is an association run),
    /// snapshot ids and patch groups from the payload summary.
    fn scan_text_ids(&mut self, input: usize, text: &str, lines: &LineIndex) {
        static RE: OnceLock<[Regex; 5]> = OnceLock::new();
        // The patterns find where an id is said to be; what is an id is the `ids` rule's call.
        let [command, association, baseline, snapshot, group] = RE.get_or_init(|| {
            let token = r"[0-9a-zA-Z-]{36}";
            [
                Regex::new(&format!(r"(?:RunCommandId=|execution id: |orchestration[\\/])({token})[\\/&\s]"))
                    .expect("command re"),
                Regex::new(&format!(r"(?:\[|associationId=)({token})(?:\.\d{{4}}-|\])")).expect("association re"),
                Regex::new(
                    r"\b(arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:patchbaseline/pb-[0-9a-zA-Z]{17}|pb-[0-9a-zA-Z]{17})\b",
                )
                .expect("baseline re"),
                Regex::new(r"(?i)snapshot id(?::| =) *([0-9a-zA-Z-]{8,64})").expect("snapshot re"),
                Regex::new(r"patch group: ([^,\s][^,]{0,127}),").expect("group re"),
            ]
        });
        let literals = [
            "RunCommandId=",
            "execution id: ",
            "orchestration",
            "associationId=",
            "pb-",
            "napshot id",
            "patch group: ",
        ]
        .map(String::from);
        for (start, end) in lines_containing(text, &literals) {
            let line = &text[start..end];
            for (re, list) in [(command, 0), (association, 1), (baseline, 2), (snapshot, 3), (group, 4)] {
                let valid: fn(&str) -> bool = match list {
                    0 | 1 => is_uuid,
                    2 => is_baseline_id,
                    _ => |_| true,
                };
                for c in re.captures_iter(line).take(20) {
                    let m = c.get(1).expect("group");
                    if !valid(m.as_str()) {
                        continue;
                    }
                    let target = match list {
                        0 => &mut self.context.command_ids,
                        1 => &mut self.context.association_ids,
                        2 => &mut self.context.baseline_ids,
                        3 => &mut self.context.snapshot_ids,
                        _ => &mut self.context.patch_groups,
                    };
                    if !target.iter().any(|f| f.value == m.as_str()) && target.len() < MAX_PER_KIND {
                        let cite = Cite { input, line: lines.line_of(start + m.start()) };
                        target.push(Field { value: m.as_str().to_string(), cite });
                    }
                }
            }
        }
    }
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
