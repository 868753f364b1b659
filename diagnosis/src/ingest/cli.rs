//! Pasted AWS CLI command lines (`aws ssm put-compliance-items --resource-id i-… --items …`),
//! with bash `\`, PowerShell backtick and cmd `^` continuations and shell quoting, read into
//! service, operation and options. What the options mean is for the evidence to decide.

use crate::lines::Cite;

/// An AWS CLI command line the user ran, with its options.
#[derive(Debug, Clone, PartialEq)]
pub struct CliCommand {
    pub cite: Cite,
    pub service: String,
    pub operation: String,
    pub options: Vec<(String, String)>,
    /// The line of each option, so evidence can point at `--items ...Status=NON_COMPLIANT`.
    pub option_lines: Vec<(String, Cite)>,
}

impl CliCommand {
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    pub fn option_cite(&self, name: &str) -> Cite {
        self.option_lines.iter().find(|(k, _)| k == name).map_or(self.cite, |(_, c)| *c)
    }
}

/// Parses the command line in `text` (which starts at `cite`); None when it holds no `aws`
/// call.
pub fn parse(text: &str, cite: Cite) -> Option<CliCommand> {
    let joined = text.replace(['\\', '`', '^'], " ").replace('\n', " ");
    let words = shell_words(&joined);
    let start = words.iter().position(|w| matches!(w.as_str(), "aws" | "aws.exe" | "aws2"))?;
    let service = words.get(start + 1)?.clone();
    let operation = words.get(start + 2)?.clone();
    let mut options = Vec::new();
    let mut i = start + 3;
    while i < words.len() {
        if let Some(name) = words[i].strip_prefix("--") {
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (name.to_string(), None),
            };
            let mut values = Vec::new();
            if let Some(v) = inline {
                values.push(v);
            }
            while i + 1 < words.len() && !words[i + 1].starts_with("--") {
                i += 1;
                values.push(words[i].clone());
            }
            options.push((name, values.join(" ")));
        }
        i += 1;
    }
    let option_lines = options
        .iter()
        .map(|(name, _)| {
            let offset = text.find(&format!("--{name}")).unwrap_or(0);
            (
                name.clone(),
                Cite::new(cite.input(), cite.line + crate::lines::newlines(&text.as_bytes()[..offset]) as u32),
            )
        })
        .collect();
    Some(CliCommand { cite, service, operation, options, option_lines })
}

/// Splits on whitespace outside single or double quotes; quotes are removed.
fn shell_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_quotes_and_option_lines() {
        let text = "$ aws ssm put-compliance-items --resource-id i-0123456789abcdef0 \\\n  --compliance-type \"Custom:AV Check\" \\\n  --items Id=Version2.0,Status=NON_COMPLIANT";
        let c = parse(text, Cite::new(0, 10)).unwrap();
        assert_eq!((c.service.as_str(), c.operation.as_str()), ("ssm", "put-compliance-items"));
        assert_eq!(c.option("compliance-type"), Some("Custom:AV Check"));
        assert_eq!(c.option_cite("items").line, 12);
        assert!(parse("echo hello", Cite::new(0, 1)).is_none());
    }
}
