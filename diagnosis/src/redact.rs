//! Stable pseudonyms for identifying values, so a report can leave the person's hands: account
//! ids, instance and other resource ids, ids of any shape (a length that is off included: a
//! redactor errs on the side of hiding), IP and MAC addresses, host names, ARNs, bucket names,
//! e-mail addresses, access key ids and secrets. Each value becomes `ACCOUNT-1`, `INSTANCE-2`, …
//! and keeps that pseudonym for the whole session (every input, every export), so correlations
//! stay readable and a reply written with pseudonyms can be [restored](Redactor::restore).
//!
//! One linear scan, no regex: text is cut into tokens at whitespace, quotes and brackets; a
//! token is checked whole (ARN, URL, e-mail, host, address, secret), then in pieces (ids inside
//! paths, file names, `key=value`). A key that names a secret, a bucket, a host or an account
//! (`"SecretAccessKey": "…"`, `--output-s3-bucket-name x`) hides its value whatever it looks like.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::Ipv6Addr;

use serde::{Deserialize, Serialize};

/// What can be hidden. Each category can be left in clear on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Account,
    Instance,
    Resource,
    Id,
    Ip,
    Host,
    Arn,
    Bucket,
    Email,
    AccessKey,
    Secret,
}

impl Category {
    pub const ALL: [Category; 11] = [
        Category::Account,
        Category::Instance,
        Category::Resource,
        Category::Id,
        Category::Ip,
        Category::Host,
        Category::Arn,
        Category::Bucket,
        Category::Email,
        Category::AccessKey,
        Category::Secret,
    ];

    /// The name in the report contract and on the command line (`--keep ip`).
    pub fn name(self) -> &'static str {
        match self {
            Category::Account => "account",
            Category::Instance => "instance",
            Category::Resource => "resource",
            Category::Id => "id",
            Category::Ip => "ip",
            Category::Host => "host",
            Category::Arn => "arn",
            Category::Bucket => "bucket",
            Category::Email => "email",
            Category::AccessKey => "access-key",
            Category::Secret => "secret",
        }
    }

    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The word a pseudonym starts with: `INSTANCE-2`.
    fn prefix(self) -> &'static str {
        match self {
            Category::Account => "ACCOUNT",
            Category::Instance => "INSTANCE",
            Category::Resource => "RESOURCE",
            Category::Id => "ID",
            Category::Ip => "IP",
            Category::Host => "HOST",
            Category::Arn => "ARN",
            Category::Bucket => "BUCKET",
            Category::Email => "EMAIL",
            Category::AccessKey => "KEY",
            Category::Secret => "SECRET",
        }
    }
}

/// The pseudonyms of a session: the same value always gets the same one, numbered per category
/// in the order values are first seen.
#[derive(Debug, Default, Clone)]
pub struct Redactor {
    /// original → (category, pseudonym)
    seen: HashMap<String, (Category, String)>,
    /// pseudonym → original, for restoring a reply.
    back: HashMap<String, String>,
    counts: BTreeMap<Category, usize>,
}

/// What one redaction found: per category, the distinct values hidden, and those found but left
/// in clear because their category was switched off.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub hidden: BTreeMap<Category, usize>,
    pub kept: BTreeMap<Category, usize>,
}

/// Which categories a redaction hides, and what it met.
pub struct Pass<'r> {
    redactor: &'r mut Redactor,
    hide: BTreeSet<Category>,
    hidden: BTreeMap<Category, BTreeSet<String>>,
    kept: BTreeMap<Category, BTreeSet<String>>,
}

impl Redactor {
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// A pass that hides every category but those in `keep`.
    pub fn pass(&mut self, keep: &[Category]) -> Pass<'_> {
        let hide = Category::ALL.into_iter().filter(|c| !keep.contains(c)).collect();
        Pass { redactor: self, hide, hidden: BTreeMap::new(), kept: BTreeMap::new() }
    }

    /// Every category hidden: `text` with each identifying value replaced.
    pub fn text(&mut self, text: &str) -> String {
        self.pass(&[]).text(text)
    }

    fn pseudonym(&mut self, category: Category, value: &str) -> String {
        if let Some((_, p)) = self.seen.get(value) {
            return p.clone();
        }
        let n = self.counts.entry(category).or_insert(0);
        *n += 1;
        let p = format!("{}-{n}", category.prefix());
        self.seen.insert(value.to_string(), (category, p.clone()));
        self.back.insert(p.clone(), value.to_string());
        p
    }

    /// A text written with this session's pseudonyms (a support reply), with the real values
    /// back. Unknown pseudonyms are left as they are.
    pub fn restore(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // (A pseudonym may touch `_` or `.`: `INSTANCE-1_stdout`.)
            if bytes[i].is_ascii_uppercase() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
                // Pseudonyms are short: the scan is bounded, so a long run costs linear time.
                let mut end = i;
                while end < bytes.len()
                    && end - i < MAX_PSEUDONYM
                    && (bytes[end].is_ascii_uppercase() || bytes[end] == b'-' || bytes[end].is_ascii_digit())
                {
                    end += 1;
                }
                // The longest candidate that is a pseudonym and ends at a word boundary
                // (`INSTANCE-12` is not `INSTANCE-1`).
                let boundary = |cut: usize| cut == bytes.len() || !bytes[cut].is_ascii_alphanumeric();
                match (i + 1..=end).rev().find(|&cut| boundary(cut) && self.back.contains_key(&text[i..cut])) {
                    Some(cut) => {
                        out.push_str(&self.back[&text[i..cut]]);
                        i = cut;
                    }
                    // Not one here: go on one letter, so a pseudonym later in the run (after a
                    // `-`: `PAS1-2-ACCOUNT-1`) is still found.
                    None => {
                        out.push(bytes[i] as char);
                        i += 1;
                    }
                }
                continue;
            }
            let c = text[i..].chars().next().expect("in bounds");
            out.push(c);
            i += c.len_utf8();
        }
        out
    }

    /// A redactor that goes on from an earlier one's [`mapping`](Redactor::mapping) (the page
    /// keeps it when its worker restarts): the same values keep their pseudonyms, new ones are
    /// numbered after them.
    pub fn seeded(mapping: Vec<(Category, String, String)>) -> Redactor {
        let mut redactor = Redactor::new();
        for (category, pseudonym, original) in mapping {
            let n = pseudonym.rsplit('-').next().and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
            let count = redactor.counts.entry(category).or_insert(0);
            *count = (*count).max(n);
            redactor.back.insert(pseudonym.clone(), original.clone());
            redactor.seen.insert(original, (category, pseudonym));
        }
        redactor
    }

    /// Every (category, pseudonym, original) of the session, by category and number.
    pub fn mapping(&self) -> Vec<(Category, String, String)> {
        let mut all: Vec<_> = self.seen.iter().map(|(original, (c, p))| (*c, p.clone(), original.clone())).collect();
        all.sort_by_key(|(c, p, _)| (*c, p.len(), p.clone()));
        all
    }
}

impl Pass<'_> {
    /// `text` with the values of the hidden categories replaced.
    pub fn text(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (start, end, category) in spans(text) {
            let value = &text[start..end];
            if !self.hide.contains(&category) {
                self.kept.entry(category).or_default().insert(value.to_string());
                continue;
            }
            out.push_str(&text[last..start]);
            let pseudonym = self.redactor.pseudonym(category, value);
            out.push_str(&pseudonym);
            self.hidden.entry(category).or_default().insert(pseudonym);
            last = end;
        }
        out.push_str(&text[last..]);
        out
    }

    /// Replaces a text in place.
    pub fn apply(&mut self, text: &mut String) {
        if !text.is_empty() {
            *text = self.text(text);
        }
    }

    /// What this pass hid and kept (distinct values per category).
    pub fn found(&self) -> Found {
        let count = |m: &BTreeMap<Category, BTreeSet<String>>| m.iter().map(|(c, v)| (*c, v.len())).collect();
        Found { hidden: count(&self.hidden), kept: count(&self.kept) }
    }
}

/// Bytes that end a token: whitespace, quotes, brackets and the like (and any non-ASCII byte:
/// an id inside Chinese text is a token of its own).
/// Longer than any pseudonym (`INSTANCE-` and a count): how far restore looks for one.
const MAX_PSEUDONYM: usize = 40;

fn is_separator(b: u8) -> bool {
    b.is_ascii_whitespace() || !b.is_ascii() || b"\"'`,;()[]{}<>|\\*!?#$&^~".contains(&b)
}

/// Keys whose value is hidden whatever it looks like (compared lower-case, without `-` and `_`):
/// `Some(Some(category))`; keys whose value is a version, never data (`"AgentVersion":
/// "3.1.192.0"` is not an address): `Some(None)`.
fn key_rule(key: &str) -> Option<Option<Category>> {
    let key: String = key.chars().filter(|c| *c != '-' && *c != '_').flat_map(char::to_lowercase).collect();
    if key.ends_with("version") {
        return Some(None);
    }
    key_category(&key).map(Some)
}

fn key_category(key: &str) -> Option<Category> {
    Some(match key {
        "secretaccesskey" | "awssecretaccesskey" | "sessiontoken" | "awssessiontoken" | "secretkey" | "password"
        | "token" | "privatekey" => Category::Secret,
        "accesskeyid" | "awsaccesskeyid" => Category::AccessKey,
        "outputs3bucketname" | "s3bucketname" | "bucketname" | "bucket" | "outputs3bucket" => Category::Bucket,
        "computername" | "hostname" | "host" | "privatednsname" | "publicdnsname" => Category::Host,
        "accountid" | "account" | "ownerid" | "recipientaccountid" => Category::Account,
        "ipaddress" | "privateipaddress" | "publicipaddress" | "sourceipaddress" => Category::Ip,
        _ => return None,
    })
}

/// The identifying values of `text`: (start, end, category), in order, not overlapping.
pub fn spans(text: &str) -> Vec<(usize, usize, Category)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if is_separator(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !is_separator(bytes[i]) {
            i += 1;
        }
        if let Some((category, value)) = key_value(text, start, i) {
            if let Some((from, to)) = value {
                if let Some(category) = category.filter(|_| !is_literal(&text[from..to])) {
                    out.push((from, to, category));
                }
                i = to;
            }
            continue;
        }
        let token = &text[start..i];
        // `key=value` in one token (credentials files, `--filters Key=…,Values=…`).
        if let Some((key, value)) = token.split_once('=') {
            if let Some(category) = key_rule(key.trim_start_matches('-')) {
                if let Some(category) = category.filter(|_| !is_literal(value)) {
                    out.push((start + key.len() + 1, i, category));
                }
                continue;
            }
        }
        whole_token(token, start, &mut out);
    }
    out
}

/// A token that names a sensitive value (`"SecretAccessKey":`, `ComputerName:`, `--host`), and
/// the span of that value: a quoted string whole (spaces included), else the next token. The
/// key must be used as one (followed by `:` or `=`, or a `--flag`): "the host is down" hides
/// nothing.
#[allow(clippy::type_complexity)]
fn key_value(text: &str, start: usize, end: usize) -> Option<(Option<Category>, Option<(usize, usize)>)> {
    let bytes = text.as_bytes();
    let token = &text[start..end];
    let flag = token.starts_with("--");
    let attached = token.ends_with(':') || token.ends_with('=');
    let category = key_rule(token.trim_end_matches([':', '=']).trim_start_matches('-'))?;
    let mut j = end;
    if matches!(bytes.get(j), Some(b'"' | b'\'')) && !attached && !flag {
        j += 1; // the key's closing quote
    }
    let skip_blanks = |mut j: usize| {
        while matches!(bytes.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        j
    };
    j = skip_blanks(j);
    match bytes.get(j) {
        Some(b':' | b'=') => j = skip_blanks(j + 1),
        _ if attached || flag => {}
        _ => return None,
    }
    let value = match bytes.get(j) {
        Some(&quote @ (b'"' | b'\'')) => {
            let close = bytes[j + 1..].iter().position(|&b| b == quote || b == b'\n').map(|p| j + 1 + p);
            close.filter(|&c| bytes[c] == quote).map(|c| (j + 1, c))
        }
        Some(b) if !is_separator(*b) => {
            let to = bytes[j..].iter().position(|&b| is_separator(b)).map_or(bytes.len(), |p| j + p);
            Some((j, to))
        }
        _ => None,
    };
    Some((category, value))
}

/// Values that are never data: null, booleans, empty.
fn is_literal(value: &str) -> bool {
    matches!(value, "" | "null" | "true" | "false" | "None" | "-")
}

/// A token checked whole, then in pieces.
fn whole_token(token: &str, at: usize, out: &mut Vec<(usize, usize, Category)>) {
    let lower = token.to_ascii_lowercase();
    // Trailing sentence punctuation is not part of a value.
    let trimmed = token.trim_end_matches(['.', ':']);
    if lower.starts_with("arn:") {
        out.push((at, at + trimmed.len(), Category::Arn));
        return;
    }
    if let Some(rest) = lower.strip_prefix("s3://") {
        let name = rest.split('/').next().unwrap_or("");
        if !name.is_empty() && !name.contains('{') {
            out.push((at + 5, at + 5 + name.len(), Category::Bucket));
        }
        pieces(&token[(5 + name.len()).min(token.len())..], at + 5 + name.len(), out);
        return;
    }
    if let Some(category) = whole_category(trimmed) {
        out.push((at, at + trimmed.len(), category));
        return;
    }
    // A bucket named in a virtual-hosted S3 address: `my-bucket.s3.eu-west-1.amazonaws.com`.
    if let Some(dot) = lower.find(".s3.").or_else(|| lower.find(".s3-")) {
        if lower.contains("amazonaws.com") && dot > 0 {
            let host_start = lower[..dot].rfind('/').map_or(0, |p| p + 1);
            out.push((at + host_start, at + dot, Category::Bucket));
            pieces(&token[dot..], at + dot, out);
            return;
        }
    }
    pieces(token, at, out);
}

fn whole_category(token: &str) -> Option<Category> {
    if is_email(token) {
        return Some(Category::Email);
    }
    if is_host(token) {
        return Some(Category::Host);
    }
    if is_ip(token) {
        return Some(Category::Ip);
    }
    if is_secret(token) {
        return Some(Category::Secret);
    }
    None
}

/// The pieces of a token (split at `/ : = , @ .` and `_`) that are ids.
fn pieces(token: &str, at: usize, out: &mut Vec<(usize, usize, Category)>) {
    let mut offset = 0;
    for part in token.split(['/', ':', '=', '@']) {
        // An address or a host inside a path or after a scheme: `10.0.0.1`, `//repo.acme.io/`.
        if is_ip(part) {
            out.push((at + offset, at + offset + part.len(), Category::Ip));
        } else if is_host(part) {
            out.push((at + offset, at + offset + part.len(), Category::Host));
        } else {
            let mut inner = 0;
            for piece in part.split(['.', '_', '+']) {
                let start = at + offset + inner;
                if let Some(category) = id_category(piece) {
                    out.push((start, start + piece.len(), category));
                } else if piece.matches('-').count() >= 2 {
                    embedded(piece, start, out);
                }
                inner += piece.len() + 1;
            }
        }
        offset += part.len() + 1;
    }
}

/// Ids joined into a longer name with `-` (Prowler's finding uid
/// `prowler-aws-<check>-<account>-<region>-<instance>`): an account's digits, an instance id.
fn embedded(piece: &str, at: usize, out: &mut Vec<(usize, usize, Category)>) {
    let mut segments = Vec::new();
    let mut offset = 0;
    for segment in piece.split('-') {
        segments.push((offset, segment));
        offset += segment.len() + 1;
    }
    // Spans in order and never overlapping: an instance id takes its number segment with it.
    let mut k = 0;
    while k < segments.len() {
        let (o, segment) = segments[k];
        if let (true, Some(&(o2, id))) = (matches!(segment, "i" | "mi"), segments.get(k + 1)) {
            if id.len() >= 8 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
                out.push((at + o, at + o2 + id.len(), Category::Instance));
                k += 2;
                continue;
            }
        }
        if (11..=13).contains(&segment.len()) && segment.bytes().all(|b| b.is_ascii_digit()) {
            out.push((at + o, at + o + segment.len(), Category::Account));
        }
        k += 1;
    }
}

/// An id of any shape, its length off included.
fn id_category(piece: &str) -> Option<Category> {
    let b = piece.as_bytes();
    if b.len() < 6 {
        return None;
    }
    // (`i-0123` is six: an instance id cut short is still hidden.)
    if b.iter().all(u8::is_ascii_digit) {
        // 12 digits is an account id; 11 or 13 is one mistyped (or a reporter's placeholder).
        return (11..=13).contains(&b.len()).then_some(Category::Account);
    }
    if is_access_key(piece) {
        return Some(Category::AccessKey);
    }
    if is_uuid_like(piece) {
        return Some(Category::Id);
    }
    let (prefix, rest) = piece.split_once('-')?;
    if rest.is_empty() || !rest.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let digit = rest.bytes().any(|c| c.is_ascii_digit());
    let hex = rest.bytes().all(|c| c.is_ascii_hexdigit());
    // A reporter's placeholder (`i-xxxx`) is hidden too: it may stand beside the real id.
    let placeholder = rest.bytes().all(|c| c == b'x' || c == b'X');
    if matches!(prefix, "i" | "mi") && rest.len() >= 4 && (digit || hex || placeholder) {
        return Some(Category::Instance);
    }
    let prefix_ok = (1..=12).contains(&prefix.len())
        && prefix.as_bytes()[0].is_ascii_lowercase()
        && prefix.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let letter = rest.bytes().any(|c| c.is_ascii_alphabetic());
    let id_like = digit && (letter || rest.len() >= 8);
    (prefix_ok && rest.len() >= 6 && id_like).then_some(Category::Resource)
}

/// `8-4-4-4-12` groups of letters and digits (a UUID, or a documentation example's
/// `…-4c5dEXAMPLE`), the last group's length off by a few included.
fn is_uuid_like(piece: &str) -> bool {
    let groups: Vec<&str> = piece.split('-').collect();
    groups.len() == 5
        && groups.iter().all(|g| !g.is_empty() && g.bytes().all(|c| c.is_ascii_alphanumeric()))
        && groups[0].len() == 8
        && groups[1].len() == 4
        && groups[2].len() == 4
        && groups[3].len() == 4
        && (8..=16).contains(&groups[4].len())
}

fn is_access_key(piece: &str) -> bool {
    const PREFIXES: [&str; 9] = ["AKIA", "ASIA", "AIDA", "AROA", "AGPA", "ANPA", "ANVA", "AIPA", "APKA"];
    piece.len() >= 16
        && PREFIXES.iter().any(|p| piece.starts_with(p))
        && piece.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn is_email(token: &str) -> bool {
    let Some((local, domain)) = token.split_once('@') else { return false };
    !local.is_empty()
        && local.bytes().all(|c| c.is_ascii_alphanumeric() || b"._+-".contains(&c))
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-')
}

/// Domains that name public services, never a customer's hosts: kept, so a report still says
/// which endpoint or repository was unreachable.
const PUBLIC_DOMAINS: [&str; 24] = [
    "amazonaws.com",
    "amazonaws.com.cn",
    "amazon.com",
    "amazontrust.com",
    "aws.dev",
    "microsoft.com",
    "windowsupdate.com",
    "windows.com",
    "ubuntu.com",
    "canonical.com",
    "debian.org",
    "redhat.com",
    "fedoraproject.org",
    "centos.org",
    "suse.com",
    "opensuse.org",
    "oracle.com",
    "apple.com",
    "github.com",
    "python.org",
    "pypi.org",
    "example.com",
    "example.org",
    "example.net",
];

/// Labels that make a dotted name a file or a package, not a host (`patch.baseline.json`,
/// `operations-1.75.tar.gz.failed`, `awscli-1.18.amzn2.noarch`).
const FILE_LABELS: [&str; 28] = [
    "log", "json", "txt", "csv", "yaml", "yml", "xml", "conf", "cfg", "ini", "py", "sh", "ps1", "psm1", "exe", "dll",
    "msu", "msi", "cab", "rpm", "deb", "gz", "zip", "tar", "noarch", "x86_64", "aarch64", "i686",
];

/// A fully qualified name of three labels or more (`yum.corp.example.io`), outside the public
/// services' domains; no label all digits (a version) or naming a file type or package.
fn is_fqdn(lower: &str) -> bool {
    let labels: Vec<&str> = lower.split('.').collect();
    let Some(last) = labels.last() else { return false };
    labels.len() >= 3
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
                && !l.bytes().all(|c| c.is_ascii_digit())
                && !FILE_LABELS.contains(l)
        })
        && (2..=6).contains(&last.len())
        && last.bytes().all(|c| c.is_ascii_lowercase())
        && !PUBLIC_DOMAINS.iter().any(|d| lower == *d || lower.ends_with(&format!(".{d}")))
}

/// Host names: `ip-10-0-0-1(.…)`, anything under `.internal`, `.local` or `.corp`, Windows'
/// generated `EC2AMAZ-…`, and any other fully qualified name but the public services'.
fn is_host(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("ip-") {
        let quad = rest.split('.').next().unwrap_or("");
        let octets: Vec<&str> = quad.split('-').collect();
        if octets.len() == 4
            && octets.iter().all(|o| !o.is_empty() && o.len() <= 3 && o.bytes().all(|c| c.is_ascii_digit()))
        {
            return true;
        }
    }
    if lower.starts_with("ec2amaz-") && lower.len() > 8 {
        return true;
    }
    let hosty = lower.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-');
    hosty
        && lower.contains('.')
        && ([".internal", ".local", ".corp", ".lan", ".localdomain"].iter().any(|s| lower.ends_with(s))
            || is_fqdn(&lower))
}

/// IPv4 (with a port or a prefix length), IPv6, MAC addresses.
fn is_ip(token: &str) -> bool {
    let t = token.trim_start_matches('[');
    let v4 = t.split([':', '/']).next().unwrap_or("");
    let octets: Vec<&str> = v4.split('.').collect();
    if octets.len() == 4
        && octets.iter().all(|o| !o.is_empty() && o.len() <= 3 && o.bytes().all(|c| c.is_ascii_digit()))
        && octets.iter().all(|o| o.parse::<u16>().is_ok_and(|n| n <= 255))
    {
        return true;
    }
    let v6 = t.split([']', '/', '%']).next().unwrap_or("");
    if v6.contains(':') && v6.bytes().any(|c| c.is_ascii_hexdigit()) && v6.parse::<Ipv6Addr>().is_ok() {
        // `::` alone or a time like `12::` is not worth hiding; a real address has groups.
        return v6.matches(':').count() >= 2 && v6.len() >= 6;
    }
    let groups: Vec<&str> = t.split([':', '-']).collect();
    groups.len() == 6 && groups.iter().all(|g| g.len() == 2 && g.bytes().all(|c| c.is_ascii_hexdigit()))
}

/// A secret access key or token: 30+ characters of base64 with upper, lower case and digits,
/// not a path.
fn is_secret(token: &str) -> bool {
    let b = token.as_bytes();
    b.len() >= 30
        && !token.starts_with('/')
        && b.iter().filter(|&&c| c == b'/').count() <= 3
        && b.iter().all(|c| c.is_ascii_alphanumeric() || b"/+=".contains(c))
        && b.iter().any(u8::is_ascii_uppercase)
        && b.iter().any(u8::is_ascii_lowercase)
        && b.iter().any(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hide(text: &str) -> String {
        Redactor::new().text(text)
    }

    #[test]
    fn every_category_is_hidden_with_a_stable_pseudonym() {
        let cases = [
            ("account 123456789012 owns it", "account ACCOUNT-1 owns it"),
            ("node i-0123456789abcdef0 and mi-0123456789abcdef0", "node INSTANCE-1 and INSTANCE-2"),
            ("baseline pb-0c10e65780EXAMPLE, sg-0a1b2c3d", "baseline RESOURCE-1, RESOURCE-2"),
            ("association 8dfe3659-4309-493a-8755-0123456789ab ran", "association ID-1 ran"),
            ("from 10.0.0.1:443 and 2001:db8::8a2e:370:7334 (eni 0a:1b:2c:3d:4e:5f)", "from IP-1 and IP-2 (eni IP-3)"),
            ("on ip-10-0-1-23.eu-west-1.compute.internal or EC2AMAZ-7KQ2M1B", "on HOST-1 or HOST-2"),
            ("repo https://yum.acme-corp.io/el8/ and mirror.acme-corp.io.", "repo https://HOST-1/el8/ and HOST-2."),
            ("role arn:aws:iam::123456789012:role/Ops.", "role ARN-1."),
            ("output s3://my-logs-bucket/ssm/i-0123456789abcdef0/stdout", "output s3://BUCKET-1/ssm/INSTANCE-1/stdout"),
            ("mail ops.team+ssm@example.com now", "mail EMAIL-1 now"),
            ("key AKIAIOSFODNN7EXAMPLE used", "key KEY-1 used"),
            ("secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end", "secret SECRET-1 end"),
        ];
        for (text, want) in cases {
            assert_eq!(hide(text), want, "{text}");
        }
    }

    #[test]
    fn sensitive_keys_hide_their_values_whatever_they_look_like() {
        let json = r#"{"ComputerName": "web 01", "OutputS3BucketName": "acme", "SecretAccessKey": "x", "PingStatus": "Online"}"#;
        assert_eq!(
            hide(json),
            r#"{"ComputerName": "HOST-1", "OutputS3BucketName": "BUCKET-1", "SecretAccessKey": "SECRET-1", "PingStatus": "Online"}"#
        );
        assert_eq!(
            hide("aws_secret_access_key = abc\n--output-s3-bucket-name logs x"),
            "aws_secret_access_key = SECRET-1\n--output-s3-bucket-name BUCKET-1 x"
        );
        assert_eq!(hide(r#""Password": null"#), r#""Password": null"#, "nothing to hide");
    }

    #[test]
    fn near_miss_ids_are_hidden_too() {
        // A reporter's partial placeholder (11 digits), an id with its length off, example ids.
        for id in [
            "i-11111111111",
            "i-02573cafcfEXAMPLE",
            "i-0123",
            "i-deadbeef",
            "i-xxxx",
            "12345678901",
            "4e5f6a7b-8c9d-0e1f-2a3b-4c5dEXAMPLE",
            "mw-0c50858d01EXAMPLE",
        ] {
            let out = hide(&format!("value {id} here"));
            assert!(!out.contains(id), "{id} survived: {out}");
        }
    }

    #[test]
    fn ordinary_words_versions_and_aws_names_stay() {
        for text in [
            "AWS-RunPatchBaseline Operation=Install RebootOption=NoReboot",
            "amazon-ssm-agent 3.3.1142.0 on amazon-linux-2023, kernel-5.10.205",
            "Installed 2024-01-01T10:30:00Z exit code 194, KB5005565, CVE-2021-44228",
            "see /var/lib/amazon/ssm/packages/AWSPatchBaselineDocs and https://docs.aws.amazon.com/systems-manager/",
            "the i-node table and python3-apt",
            "ssm.eu-west-1.amazonaws.com, https://docs.aws.amazon.com/x, www.python.org, amazon-ssm-agent.log",
            "kernel-5.10.205-195.807.amzn2.x86_64 and patch.baseline.operations.json, v1.2.3",
            "patch-baseline-operations-1.75.tar.gz.failed awscli-1.18.107-1.amzn2.0.1.noarch",
            "aws ssm describe-instance-patches --instance-id <instance-id> --region eu-west-1",
        ] {
            assert_eq!(hide(text), text);
        }
    }

    #[test]
    fn the_same_value_keeps_its_pseudonym_across_texts_and_restores() {
        let mut r = Redactor::new();
        let a = r.text("i-0123456789abcdef0 in 123456789012 at 10.0.0.1");
        let b = r.text("again 10.0.0.1 and i-0fedcba9876543210, then i-0123456789abcdef0");
        assert_eq!(a, "INSTANCE-1 in ACCOUNT-1 at IP-1");
        assert_eq!(b, "again IP-1 and INSTANCE-2, then INSTANCE-1");
        // A support reply written with the pseudonyms gets the real values back, locally.
        let reply = "Reboot INSTANCE-2 (not INSTANCE-1), ACCOUNT-1's role; INSTANCE-12 is unknown.";
        assert_eq!(
            r.restore(reply),
            "Reboot i-0fedcba9876543210 (not i-0123456789abcdef0), 123456789012's role; INSTANCE-12 is unknown."
        );
        assert_eq!(r.restore(&r.clone().text("10.0.0.1 i-0123456789abcdef0")), "10.0.0.1 i-0123456789abcdef0");
        assert_eq!(r.mapping()[0].0, Category::Account);
        // Seeded from its mapping (a restarted worker), a redactor goes on where it was.
        let mut again = Redactor::seeded(r.mapping());
        assert_eq!(again.text("i-0fedcba9876543210 i-0aaaaaaaaaaaaaaaa"), "INSTANCE-2 INSTANCE-3");
        assert_eq!(again.restore("ACCOUNT-1"), "123456789012");
    }

    #[test]
    fn a_category_switched_off_is_kept_and_counted() {
        let mut r = Redactor::new();
        let mut pass = r.pass(&[Category::Ip]);
        let out = pass.text("i-0123456789abcdef0 at 10.0.0.1 and 10.0.0.2, i-0123456789abcdef0");
        assert_eq!(out, "INSTANCE-1 at 10.0.0.1 and 10.0.0.2, INSTANCE-1");
        let found = pass.found();
        assert_eq!(found.hidden.get(&Category::Instance), Some(&1));
        assert_eq!(found.kept.get(&Category::Ip), Some(&2));
    }

    #[test]
    fn versions_stay_whatever_they_look_like() {
        assert_eq!(
            hide(r#""AgentVersion": "3.1.192.0", "IPAddress": "3.1.192.7""#),
            r#""AgentVersion": "3.1.192.0", "IPAddress": "IP-1""#
        );
        assert_eq!(hide("PlatformVersion=10.0.0.1"), "PlatformVersion=10.0.0.1");
    }

    #[test]
    fn a_piece_that_starts_with_a_dash_is_no_id_and_no_panic() {
        // Found while building: an empty prefix (`-a1b2c3d4`) indexed an empty string.
        assert_eq!(hide("flag -a1b2c3d4e5 and /x/-0123abcd/ end"), "flag -a1b2c3d4e5 and /x/-0123abcd/ end");
    }

    #[test]
    fn an_instance_id_joined_to_more_digits_is_one_span() {
        // Found by the fuzzer: `i-` and an 11-digit segment were an instance and an account at
        // once, overlapping.
        let text = "\"resource-id\": \"i-01234567823-0123-012345678901\"";
        let mut r = Redactor::new();
        let hidden = r.text(text);
        assert!(!hidden.contains("012345678901"), "{hidden}");
        assert_eq!(r.restore(&hidden), text);
    }

    #[test]
    fn a_pseudonym_after_a_dash_in_an_upper_case_run_is_restored() {
        let text = "\"Status\": \"PAS11111111-2222-4333-8444-555555555555\"";
        let mut r = Redactor::new();
        let hidden = r.text(text);
        assert!(!hidden.contains("555555555555"), "{hidden}");
        assert_eq!(r.restore(&hidden), text);
    }

    #[test]
    fn ids_joined_into_a_longer_name_are_hidden() {
        let out = hide("prowler-aws-ssm_managed_compliant_patching-123456789012-eu-west-1-i-0a1b2c3d4e5f60718;aws");
        assert!(!out.contains("123456789012") && !out.contains("0a1b2c3d4e5f60718"), "{out}");
        assert!(out.contains("eu-west-1") && out.contains(";aws"), "{out}");
        // Dates and package versions joined with dashes stay.
        assert_eq!(hide("2026-11-20 kernel-5.14.0-427.13.1.el9_4"), "2026-11-20 kernel-5.14.0-427.13.1.el9_4");
    }

    #[test]
    fn chinese_text_around_an_id() {
        assert_eq!(hide("实例i-0123456789abcdef0的补丁"), "实例INSTANCE-1的补丁");
    }
}
