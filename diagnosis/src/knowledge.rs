//! The knowledge base, loaded from the TOML files in `knowledge/` (compiled in, parsed once).
//! Signatures, decision-tree findings, command templates and their texts in both languages are
//! data: adding a failure signature means adding an entry, not code.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex_lite::Regex;
use serde::Deserialize;

/// A language of the human texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code.to_ascii_lowercase().as_str() {
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            "zh-cn" | "zh" | "zh-hans" => Some(Lang::ZhCn),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }
}

/// A text in both languages.
#[derive(Debug, Clone, Deserialize)]
pub struct Text {
    pub en: String,
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::ZhCn => &self.zh_cn,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Cause,
    Check,
    Note,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Cause => "cause",
            Role::Check => "check",
            Role::Note => "note",
        }
    }
}

/// One catalogue entry: a decision-tree outcome or a failure signature.
#[derive(Debug, Clone, Deserialize)]
pub struct Entry {
    pub code: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub role: Role,
    pub title: Text,
    pub why: Text,
    pub fix: Text,
    pub commands: Vec<String>,
    /// Regexes (any of them) for signatures; empty for tree outcomes.
    #[serde(default, rename = "match")]
    pub patterns: Vec<String>,
    #[serde(default)]
    pub samples: Vec<String>,
    /// Codes of more generic entries this one replaces when both apply to the same node
    /// (0x80072EE2 is a Windows Update search failure, but the specific diagnosis is better).
    #[serde(default)]
    pub overrides: Vec<String>,
    /// Catalogue ids of domain.md that name the same fact as this entry (A1 is the catalogue's
    /// name for the tree's AS0 outcome).
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shell {
    /// An AWS CLI call, rendered for both bash and PowerShell.
    AwsCli,
    /// A command to run on a Linux or macOS node.
    Bash,
    /// A command to run on a Windows node.
    Powershell,
}

impl Shell {
    pub fn name(self) -> &'static str {
        match self {
            Shell::AwsCli => "aws-cli",
            Shell::Bash => "bash",
            Shell::Powershell => "powershell",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct CommandTemplate {
    pub shell: Shell,
    /// Package-manager family of an on-node command (`yum`, `apt`, `zypper`, `macos`); shown
    /// only when the node's family is that one or unknown.
    #[serde(default)]
    pub family: Option<String>,
    pub text: String,
    /// The PowerShell form, when the bash text is not valid PowerShell (loops, pipes).
    #[serde(default)]
    pub powershell: Option<String>,
    pub label: Text,
}

#[derive(Deserialize)]
struct EntryFile {
    entry: Vec<Entry>,
}

/// A signature regex and the literals it cannot match without (None: try every line).
pub struct Pattern {
    pub regex: Regex,
    pub literals: Option<Vec<String>>,
}

pub struct Knowledge {
    pub entries: Vec<Entry>,
    pub commands: BTreeMap<String, CommandTemplate>,
    /// Compiled signature patterns by entry index, each with the literals a match needs.
    pub signatures: Vec<(usize, Vec<Pattern>)>,
}

// The TOML files, converted to JSON by build.rs (no TOML parser in the wasm bundle).
const TREE: &str = include_str!(concat!(env!("OUT_DIR"), "/tree.json"));
const SIGNATURES: &str = include_str!(concat!(env!("OUT_DIR"), "/signatures.json"));
const COMMANDS: &str = include_str!(concat!(env!("OUT_DIR"), "/commands.json"));

impl Knowledge {
    /// The knowledge base. The files are part of the binary and checked by tests, so a parse
    /// error here is a build defect, not a user error.
    pub fn get() -> &'static Knowledge {
        static KNOWLEDGE: OnceLock<Knowledge> = OnceLock::new();
        KNOWLEDGE.get_or_init(|| Knowledge::load().unwrap_or_else(|e| panic!("knowledge base: {e}")))
    }

    pub fn load() -> Result<Knowledge, String> {
        let mut entries = serde_json::from_str::<EntryFile>(TREE).map_err(|e| format!("tree.toml: {e}"))?.entry;
        entries
            .extend(serde_json::from_str::<EntryFile>(SIGNATURES).map_err(|e| format!("signatures.toml: {e}"))?.entry);
        let commands: BTreeMap<String, CommandTemplate> =
            serde_json::from_str(COMMANDS).map_err(|e| format!("commands.toml: {e}"))?;
        let mut signatures = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            if let Some(unknown) = entry.overrides.iter().find(|o| !entries.iter().any(|e| &e.code == *o)) {
                return Err(format!("{}: overrides unknown entry `{unknown}`", entry.code));
            }
            if let Some(missing) = entry.commands.iter().find(|c| !commands.contains_key(*c)) {
                return Err(format!("{}: unknown command template `{missing}`", entry.code));
            }
            if !entry.patterns.is_empty() {
                let compiled = entry
                    .patterns
                    .iter()
                    .map(|p| {
                        let regex = Regex::new(p).map_err(|e| format!("{}: bad pattern `{p}`: {e}", entry.code))?;
                        Ok(Pattern { regex, literals: crate::prefilter::required_literals(p) })
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                signatures.push((index, compiled));
            }
        }
        Ok(Knowledge { entries, commands, signatures })
    }

    pub fn entry(&self, code: &str) -> &Entry {
        self.entries.iter().find(|e| e.code == code).unwrap_or_else(|| panic!("no catalogue entry `{code}`"))
    }
}

/// Fills `{name}` slots from `vars`; unknown slots are left as they are.
pub fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && close > 0 => {
                let name = &after[..close];
                match vars.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
