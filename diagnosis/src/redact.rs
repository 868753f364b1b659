//! Stable pseudonyms for identifying values (account ids, resource ids, IPs, host names, ARNs,
//! buckets, e-mail addresses, keys), so a report can be shared. The same value always gets the
//! same pseudonym within one report, so correlations stay readable.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex_lite::{Captures, Regex};

#[derive(Default)]
pub struct Redactor {
    seen: HashMap<String, String>,
    counters: HashMap<&'static str, usize>,
}

fn patterns() -> &'static [(&'static str, Regex)] {
    static RES: OnceLock<Vec<(&'static str, Regex)>> = OnceLock::new();
    RES.get_or_init(|| {
        [
            ("arn", r"arn:aws[\w-]*:[\w-]+:[\w-]*:\d{12}:[\w\-/.:*]+"),
            ("email", r"[\w.+-]+@[\w-]+\.[\w.-]+"),
            ("key", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
            ("bucket", r"s3://[a-z0-9.-]{3,63}"),
            ("host", r"\bip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}[\w.-]*|\b[\w-]+\.(?:ec2|compute)\.internal\b"),
            ("ip", r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b"),
            ("node", r"\b(?:i-[0-9a-zA-Z]{17}|i-[0-9a-f]{8}|mi-[0-9a-zA-Z]{17})\b"),
            ("account", r"\b\d{12}\b"),
            ("id", r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-zA-Z]{12}\b"),
            ("baseline", r"\bpb-[0-9a-zA-Z]{17}\b"),
        ]
        .into_iter()
        .map(|(name, p)| (name, Regex::new(p).expect("redact regex")))
        .collect()
    })
}

impl Redactor {
    pub fn text(&mut self, text: &str) -> String {
        let mut out = text.to_string();
        for (kind, re) in patterns() {
            out = re
                .replace_all(&out, |c: &Captures| {
                    let value = c.get(0).expect("match").as_str();
                    if value.starts_with("REDACTED-") {
                        return value.to_string();
                    }
                    self.pseudonym(kind, value)
                })
                .into_owned();
        }
        out
    }

    fn pseudonym(&mut self, kind: &'static str, value: &str) -> String {
        if let Some(p) = self.seen.get(value) {
            return p.clone();
        }
        let n = self.counters.entry(kind).or_insert(0);
        *n += 1;
        let p = match kind {
            // Keep the shape of ids so commands still look like commands.
            "node" => format!("i-REDACTED{:07}", n),
            "baseline" => format!("pb-REDACTED{:06}", n),
            _ => format!("REDACTED-{kind}-{n}"),
        };
        self.seen.insert(value.to_string(), p.clone());
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_value_same_pseudonym_and_nothing_leaks() {
        let mut r = Redactor::default();
        let a = r.text("i-0123456789abcdef0 in 123456789012 at 10.0.0.1 arn:aws:iam::123456789012:role/x");
        let b = r.text("again i-0123456789abcdef0");
        assert!(!a.contains("0123456789abcdef0") && !a.contains("123456789012") && !a.contains("10.0.0.1"), "{a}");
        assert_eq!(a.split(' ').next(), b.split(' ').nth(1));
    }
}
