//! The knowledge base, loaded from the TOML files in `knowledge/` (compiled in, parsed once).
//! Signatures, decision-tree findings, command templates and their texts in both languages are
//! data: adding a failure signature means adding an entry, not code. `build.rs` checks the
//! files and generates [`Code`], [`Template`] and [`Hint`] from them, so the names a rule uses
//! are checked by the compiler.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::literals::{Hits, LiteralSet};
use crate::regexes::{self, Regex};
use serde::{Deserialize, Serialize};

use crate::ingest::InputKind;
use crate::model::{LogLevel, PackageManager, Platform};

include!(concat!(env!("OUT_DIR"), "/names.rs"));

crate::serde_by_name!(Code, Template, Hint, Notice);

/// An edge enum compares with its report name, so a test reads like the JSON it checks.
#[macro_export]
macro_rules! eq_by_name {
    ($($type:ty),*) => {$(
        impl PartialEq<&str> for $type {
            fn eq(&self, other: &&str) -> bool {
                self.name() == *other
            }
        }
        impl PartialEq<str> for $type {
            fn eq(&self, other: &str) -> bool {
                self.name() == other
            }
        }
    )*};
}
eq_by_name!(Code, Role, Branch, Shell);

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A language of the human texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
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
#[derive(Debug, Clone, PartialEq, Deserialize)]
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

/// The first half-width punctuation mark in a Simplified Chinese text, where Chinese writes the
/// full-width form (`，：；？！（）`), with its byte offset. Code (`backticked`) and placeholders
/// (`{title}`) are left alone, as are `1,000`, `10:30`, `arn:aws:s3:::` and `()`. The rule the
/// knowledge base and the page's texts are checked against.
pub fn half_width_in_chinese(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let (mut code, mut brace) = (false, 0u32);
    for (i, c) in text.char_indices() {
        let prev = i.checked_sub(1).map(|p| bytes[p]).unwrap_or(b' ');
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        match c {
            '`' => code = !code,
            '{' => brace += 1,
            '}' => brace = brace.saturating_sub(1),
            _ if code || brace > 0 => {}
            ',' if prev.is_ascii_digit() && next.is_ascii_digit() => {}
            ':' if (prev.is_ascii_alphanumeric() || prev == b':') && (next.is_ascii_alphanumeric() || next == b':') => {
            }
            '(' if next == b')' => {}
            ')' if prev == b'(' => {}
            ',' | ':' | ';' | '?' | '!' | '(' | ')' => return Some((i, c)),
            _ => {}
        }
    }
    None
}

/// A Chinese text with the half-width brackets its values brought (`关联 x (AWS-RunShellScript)不合规`)
/// made full-width where they touch Chinese (`关联 x（AWS-RunShellScript）不合规`): the knowledge
/// base writes its own brackets full-width, the values it quotes cannot know the language.
pub fn full_width_brackets(text: &str) -> std::borrow::Cow<'_, str> {
    let cjk =
        |c: Option<char>| c.is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || "，。：；！？、（）".contains(c));
    let mut out = String::new();
    let mut rest = text;
    let mut changed = false;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else { break };
        if rest[open + 1..close].contains('(') {
            out.push_str(&rest[..open + 1]);
            rest = &rest[open + 1..];
            continue;
        }
        let before = rest[..open].trim_end_matches(' ');
        let after = rest[close + 1..].chars().next();
        if cjk(before.chars().last()) || cjk(after) {
            out.push_str(before);
            out.push('（');
            out.push_str(&rest[open + 1..close]);
            out.push('）');
            changed = true;
        } else {
            out.push_str(&rest[..=close]);
        }
        rest = &rest[close + 1..];
    }
    if !changed {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// How strongly a finding speaks (report contract `role`). Ordered: causes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Explains non-compliance.
    Cause,
    /// The next thing to look at when the evidence is not there yet.
    Check,
    /// True but not a cause: benign warnings, healthy checks, context.
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

/// The part of the decision tree a finding belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Branch {
    /// Patch compliance (P0–P8, the patch documents' failures, AS1).
    Patch,
    /// State Manager association compliance (AS0, AS2, A*).
    Association,
    /// Inventory collection (INV0, I*), reported as association compliance.
    Inventory,
    /// A `Custom:` compliance type (CU0).
    Custom,
    /// The managed node itself: identity, region, agent, permissions, network (N0, M0, G*).
    Node,
}

impl Branch {
    pub fn name(self) -> &'static str {
        match self {
            Branch::Patch => "patch",
            Branch::Association => "association",
            Branch::Inventory => "inventory",
            Branch::Custom => "custom",
            Branch::Node => "node",
        }
    }

    /// The branch of a compliance type name (`Patch`, `Association`, `Custom:…`).
    pub fn of_compliance_type(name: &str) -> Branch {
        if name.eq_ignore_ascii_case("Patch") {
            Branch::Patch
        } else if name.starts_with("Custom:") {
            Branch::Custom
        } else {
            Branch::Association
        }
    }
}

/// One catalogue entry: a decision-tree outcome or a failure signature. Besides its words and
/// commands, an entry states how strong its evidence must be (`match` versus `weak`, the
/// context a line counts in, what cancels it) and how it relates to other findings of the same
/// node (what it `explains`, whether it is a `symptom` a deeper cause explains). A field the
/// program does not know is an error, not a silently ignored typo.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: Code,
    #[serde(rename = "ref")]
    pub reference: String,
    pub role: Role,
    /// None for an N1 entry about a compliance type the rule names.
    #[serde(default)]
    pub branch: Option<Branch>,
    pub title: Text,
    pub why: Text,
    pub fix: Text,
    pub commands: Vec<Template>,
    /// Other commands for a finding of another branch (an Association compliance event).
    #[serde(default)]
    pub commands_by_branch: BTreeMap<Branch, Vec<Template>>,
    /// Lines that prove the entry (regexes, any of them): they earn `role`.
    #[serde(default, rename = "match")]
    pub patterns: Vec<String>,
    /// Lines that only hint at it (an exit code, a catch-all message): alone they earn `alone`,
    /// or nothing; beside a proving line they are more evidence.
    #[serde(default)]
    pub weak: Vec<String>,
    /// The role a finding resting on `weak` lines only earns (a check naming `confirm`).
    #[serde(default)]
    pub alone: Option<Role>,
    /// Where a line counts.
    #[serde(default)]
    pub within: Within,
    /// A line that carries a level must be logged at this level or above.
    #[serde(default)]
    pub level: Option<LogLevel>,
    /// A later line of the same text matching one of these cancels the finding: the failure
    /// recovered, and it is reported as a note.
    #[serde(default)]
    pub cancelled_by: Vec<String>,
    /// The node reported Online cancels the finding (the failure is past).
    #[serde(default)]
    pub cancelled_if_online: bool,
    /// Weak lines of a run the agent stopped (timed out, cancelled: exit 137, 143) do not count:
    /// those exit codes are the signal, not the payload's code.
    #[serde(default)]
    pub unless_stopped: bool,
    /// The command whose output would confirm a finding that rests on weak lines.
    #[serde(default)]
    pub confirm: Option<Template>,
    /// The commands that are the fix itself (the Install for missing patches), in order of
    /// preference: the first that fits the node leads the list, under "What to do". Other
    /// commands follow, read-only checks before anything that changes the system.
    #[serde(default)]
    pub fix_commands: Vec<Template>,
    /// More generic findings of the same node this one explains: they become its supporting
    /// evidence instead of a second cause.
    #[serde(default)]
    pub explains: Vec<Code>,
    /// A symptom: a deeper cause of the same node (in a branch of `explained_by`, by default
    /// its own) takes it as supporting evidence.
    #[serde(default)]
    pub symptom: bool,
    #[serde(default)]
    pub explained_by: Vec<Branch>,
    /// How deep the entry explains: 0 what is non-compliant, 1 which state or run, 2 why (a
    /// node's own log, its prerequisites). Defaults: 2 for signatures, 1 for tree outcomes.
    #[serde(default)]
    pub depth: Option<u8>,
    /// The package manager whose messages these are: a text known to come from another one
    /// (libsolv's "nothing provides" in a zypper run) does not fire the entry.
    #[serde(default)]
    pub family: Option<PackageManager>,
    /// The kind of log a proving line comes from: an excerpt nothing else recognised is read as
    /// that kind.
    #[serde(default)]
    pub log_kind: Option<InputKind>,
    /// Values for `{slots}` a proving line may not capture.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
    /// The entry's title without values: a fleet group's title, where the findings' own titles
    /// differ by counts and items ("Patches failed to install"), and a share link's, which
    /// carries no values. Every title with a `{slot}` has one (build.rs checks).
    #[serde(default)]
    pub fleet_title: Option<Text>,
    /// The why of a fleet group whose members' whys differ in more ways than the group lists
    /// (each node's own time): without those values. Without one, the values that differ are
    /// written as differing.
    #[serde(default)]
    pub fleet_why: Option<Text>,
    #[serde(default)]
    pub samples: Vec<String>,
    /// Lines (or texts) that look like the entry's but must not fire it.
    #[serde(default)]
    pub near_misses: Vec<String>,
    /// Catalogue ids of domain.md that name the same fact as this entry (A1 is the catalogue's
    /// name for the tree's AS0 outcome).
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl Entry {
    /// What the entry is, without any value: its fleet title, else its title (which then has no
    /// `{slot}`).
    pub fn name(&self, lang: Lang) -> &str {
        self.fleet_title.as_ref().unwrap_or(&self.title).get(lang)
    }

    pub fn depth(&self) -> u8 {
        self.depth.unwrap_or(if self.patterns.is_empty() && self.weak.is_empty() { 1 } else { 2 })
    }

    /// Whether a deeper cause of `branch` explains this symptom, found in branch `own` (a
    /// symptom with no `explained_by` is explained by its own branch).
    pub fn explained_by(&self, own: Branch, branch: Branch) -> bool {
        if self.explained_by.is_empty() {
            branch == own
        } else {
            self.explained_by.contains(&branch)
        }
    }

    /// The commands for a finding of `branch`.
    pub fn commands_for(&self, branch: Branch) -> &[Template] {
        self.commands_by_branch.get(&branch).map_or(&self.commands, Vec::as_slice)
    }
}

/// Where a signature's lines count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Within {
    /// Anywhere: logs, outputs, status fields.
    #[default]
    Any,
    /// Inside the output of an AWS-RunPatchBaseline(-like) run: its codes mean what the patch
    /// payload says they mean only there.
    PatchRun,
    /// In the SSM Agent's own log.
    AgentLog,
    /// Inside the output of AWS-InstallWindowsUpdates (which reports no patch compliance).
    WindowsUpdateRun,
    /// In an instance's console output (get-console-output): the boot's own messages.
    ConsoleOutput,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[serde(deny_unknown_fields)]
pub struct CommandTemplate {
    pub shell: Shell,
    /// Package-manager family of an on-node command (`yum`, `apt`, `zypper`, `macos`); shown
    /// only when the node's family is that one or unknown.
    #[serde(default)]
    pub family: Option<PackageManager>,
    /// The operating systems an on-node command is for (its shell says bash or PowerShell;
    /// this says Linux or macOS when the paths differ). Empty: any of its shell's.
    #[serde(default)]
    pub os: Vec<Platform>,
    /// Only for EC2 instances: never offered for a hybrid (`mi-`) node.
    #[serde(default)]
    pub ec2_only: bool,
    /// Only for hybrid (`mi-`) nodes: the Systems Manager form of what `ec2_only` commands do
    /// for an instance (tags, a reboot through Run Command). Shown once the node is known hybrid.
    #[serde(default)]
    pub hybrid_only: bool,
    /// For Windows Server 2012 R2 and older (`true`) or 2016 and newer (`false`).
    #[serde(default)]
    pub windows_legacy: Option<bool>,
    /// What running it changes (reboots, installs, removes, runs on every target, costs
    /// money); none for a read-only command.
    #[serde(default)]
    pub changes: Option<Text>,
    /// Its `{instance}` takes a list (`--instance-ids a b c`): written once for a fleet group,
    /// it names the group's nodes.
    #[serde(default)]
    pub many: bool,
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

/// A signature regex and the literals it cannot match without (None: try every line), as
/// indices into [`Knowledge::literals`].
pub struct Pattern {
    pub regex: Regex,
    pub literals: Option<Vec<u32>>,
}

/// An entry's compiled lines: what proves it, what only hints, what cancels it.
pub struct Signature {
    pub entry: usize,
    pub proving: Vec<Pattern>,
    pub weak: Vec<Pattern>,
    pub cancelling: Vec<Pattern>,
}

/// The entries and their compiled signatures: what diagnosing needs. Commands and hints load on
/// their own ([`command`], [`hint`]), so code that only writes commands (the page's guide and
/// collect panel) carries neither the entries nor the regex engine.
pub struct Knowledge {
    /// Every entry, indexed by `Code as usize`.
    pub entries: Vec<Entry>,
    /// The compiled lines of every entry that has some.
    pub signatures: Vec<Signature>,
    /// Every literal a signature pattern cannot match without, each once: a text is searched
    /// for all of them in one pass ([`Knowledge::literal_hits`]), not once per pattern.
    literals: LiteralSet,
}

/// Every log signature's samples, a line each (written by build.rs): a log that fires every rule
/// a log can. The worker's engine runs over it when the worker starts; in a bundle that does not
/// use it (the page), it is not there.
pub const SAMPLE_LOG: &str = include_str!(concat!(env!("OUT_DIR"), "/sample_log.txt"));

// The TOML files, converted to JSON by build.rs (no TOML parser in the wasm bundle).
const TREE: &str = include_str!(concat!(env!("OUT_DIR"), "/tree.json"));
const SIGNATURES: &str = include_str!(concat!(env!("OUT_DIR"), "/signatures.json"));
const COMMANDS: &str = include_str!(concat!(env!("OUT_DIR"), "/commands.json"));
const HINTS: &str = include_str!(concat!(env!("OUT_DIR"), "/hints.json"));
const NOTICES: &str = include_str!(concat!(env!("OUT_DIR"), "/notices.json"));
const LABELS: &str = include_str!(concat!(env!("OUT_DIR"), "/labels.json"));

impl Knowledge {
    /// The knowledge base. The files are part of the binary and checked by tests, so a parse
    /// error here is a build defect, not a user error.
    pub fn get() -> &'static Knowledge {
        static KNOWLEDGE: OnceLock<Knowledge> = OnceLock::new();
        KNOWLEDGE.get_or_init(|| Knowledge::load().unwrap_or_else(|e| panic!("knowledge base: {e}")))
    }

    /// Reads the JSON build.rs wrote. The names were checked when the crate was built; what
    /// remains is the regexes (compiled here) and the order the generated enums index by.
    pub fn load() -> Result<Knowledge, String> {
        let mut entries = serde_json::from_str::<EntryFile>(TREE).map_err(|e| format!("tree.toml: {e}"))?.entry;
        entries
            .extend(serde_json::from_str::<EntryFile>(SIGNATURES).map_err(|e| format!("signatures.toml: {e}"))?.entry);
        if entries.iter().map(|e| e.code).ne(Code::ALL) {
            return Err("the knowledge files changed after the crate was built".into());
        }
        let mut signatures = Vec::new();
        let mut literals: Vec<String> = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let mut compile = |patterns: &[String]| {
                patterns
                    .iter()
                    .map(|p| {
                        let regex =
                            regexes::compile(p).map_err(|e| format!("{}: bad pattern `{p}`: {e}", entry.code))?;
                        let ids = crate::prefilter::required_literals(p).map(|needed| {
                            needed
                                .into_iter()
                                .map(|literal| crate::literals::place_of(&mut literals, literal) as u32)
                                .collect()
                        });
                        Ok(Pattern { regex, literals: ids })
                    })
                    .collect::<Result<Vec<_>, String>>()
            };
            if !entry.patterns.is_empty() || !entry.weak.is_empty() {
                signatures.push(Signature {
                    entry: index,
                    proving: compile(&entry.patterns)?,
                    weak: compile(&entry.weak)?,
                    cancelling: compile(&entry.cancelled_by)?,
                });
            }
        }
        Ok(Knowledge { entries, signatures, literals: LiteralSet::new(&literals) })
    }

    /// Where each signature literal occurs in `text`, found in one pass.
    pub fn literal_hits(&self, text: &str) -> Hits {
        self.literals.hits(text.as_bytes())
    }

    pub fn entry(&self, code: Code) -> &Entry {
        &self.entries[code as usize]
    }

    pub fn command(&self, template: Template) -> &'static CommandTemplate {
        command(template)
    }

    pub fn hint(&self, hint: Hint) -> &'static Text {
        self::hint(hint)
    }

    /// The kind of log `text` is, by a line that proves a known failure of that kind of log
    /// (for an excerpt nothing else recognised).
    pub fn log_kind_of(&self, text: &str) -> Option<InputKind> {
        let hits = self.literal_hits(text);
        self.signatures.iter().find_map(|signature| {
            let kind = self.entries[signature.entry].log_kind?;
            let proves = |p: &Pattern| p.lines(text, &hits).any(|(s, e)| p.regex.is_match(&text[s..e]));
            signature.proving.iter().any(proves).then_some(kind)
        })
    }
}

/// Every command template, indexed by `Template as usize`.
pub fn commands() -> &'static [CommandTemplate] {
    static COMMAND_LIST: OnceLock<Vec<CommandTemplate>> = OnceLock::new();
    COMMAND_LIST.get_or_init(|| {
        let list: Vec<CommandTemplate> = by_name("commands.toml", COMMANDS);
        assert_eq!(list.len(), Template::ALL.len(), "commands.toml changed after the crate was built");
        list
    })
}

pub fn command(template: Template) -> &'static CommandTemplate {
    &commands()[template as usize]
}

/// Every hint, indexed by `Hint as usize`.
pub fn hints() -> &'static [Text] {
    static HINT_LIST: OnceLock<Vec<Text>> = OnceLock::new();
    HINT_LIST.get_or_init(|| by_name("hints.toml", HINTS))
}

pub fn hint(hint: Hint) -> &'static Text {
    &hints()[hint as usize]
}

/// A word of the reports' frame (labels.toml), indexed by `Label as usize`.
pub fn label(label: Label) -> &'static Text {
    static LABEL_LIST: OnceLock<Vec<Text>> = OnceLock::new();
    &LABEL_LIST.get_or_init(|| by_name("labels.toml", LABELS))[label as usize]
}

/// The text of a notice (notices.toml), indexed by `Notice as usize`.
pub fn notice(notice: Notice) -> &'static Text {
    static NOTICE_LIST: OnceLock<Vec<Text>> = OnceLock::new();
    &NOTICE_LIST.get_or_init(|| by_name("notices.toml", NOTICES))[notice as usize]
}

/// A table of named values, in name order (the order the generated enums index by). The files
/// are part of the binary and checked when it is built: a parse error is a build defect.
fn by_name<T: serde::de::DeserializeOwned>(file: &str, json: &str) -> Vec<T> {
    let table: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{file}: {e}"));
    table.into_values().map(|v| serde_json::from_value(v).unwrap_or_else(|e| panic!("{file}: {e}"))).collect()
}

impl Pattern {
    /// The lines of `text` this pattern may match (those holding a literal it needs), as byte
    /// ranges.
    /// `hits` are the signature literals' places in `text` ([`Knowledge::literal_hits`]).
    pub fn lines<'t>(&self, text: &'t str, hits: &Hits) -> impl Iterator<Item = (usize, usize)> + 't {
        let ranges = match &self.literals {
            Some(ids) => crate::prefilter::lines_at(text, ids.iter().map(|&id| hits.of(id as usize))),
            None => crate::prefilter::all_lines(text),
        };
        ranges.into_iter()
    }
}

/// Fills `{name}` slots from `vars`; unknown slots are left as they are.
pub fn fill<S: AsRef<str>>(template: &str, vars: &[(&str, S)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    // Braces are ASCII, so a byte search finds them at character boundaries; each slot is
    // looked at once (a fleet's titles fill a few hundred thousand slots).
    let brace = |text: &str, b: u8| text.bytes().position(|c| c == b);
    while let Some(open) = brace(rest, b'{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let slot = brace(after, b'}').map(|close| (close, &after[..close]));
        // `{count:patch is|patches are}`: the form for a count of one, else the other (English
        // texts; a count that is not a number takes the other).
        if let Some((close, form)) = slot.and_then(|(close, inner)| Some((close, plural(inner, vars)?))) {
            out.push_str(form);
            rest = &after[close + 1..];
            continue;
        }
        match slot {
            Some((close, name)) if close > 0 && is_slot_name(name) => {
                match vars.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v.as_ref()),
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

/// Whether a slot's name is one (letters, digits and `_`).
fn is_slot_name(name: &str) -> bool {
    name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// The `{slot}` names of a text, in order, each once (a plural form `{count:…|…}` is not a
/// slot of its own).
pub fn slot_names(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if close > 0 && is_slot_name(&after[..close]) => {
                let name = &after[..close];
                if !out.contains(&name) {
                    out.push(name);
                }
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// A slot's text (between its braces) as a plural form whose count is among `vars`: the form
/// its count takes.
fn plural<'t, S: AsRef<str>>(inner: &'t str, vars: &[(&str, S)]) -> Option<&'t str> {
    let (name, forms) = inner.split_once(':')?;
    let (one, other) = forms.split_once('|')?;
    if name.is_empty() || !is_slot_name(name) || other.contains('|') {
        return None;
    }
    let (_, count) = vars.iter().find(|(k, _)| *k == name)?;
    Some(if count.as_ref().trim() == "1" { one } else { other })
}

#[cfg(test)]
mod tests {
    use super::half_width_in_chinese;

    /// The lines a pattern is tried on, from one pass for every literal, are those a search per
    /// pattern for its own literals finds, on every fixture and corpus text.
    #[test]
    fn one_search_for_all_literals_gives_each_pattern_its_lines() {
        let knowledge = super::Knowledge::get();
        let texts = crate::test_texts();
        let mut lines_tried = 0;
        for text in &texts {
            let hits = knowledge.literal_hits(text);
            for signature in &knowledge.signatures {
                let entry = &knowledge.entries[signature.entry];
                let sources = entry.patterns.iter().chain(&entry.weak).chain(&entry.cancelled_by);
                let compiled = signature.proving.iter().chain(&signature.weak).chain(&signature.cancelling);
                for (source, pattern) in sources.zip(compiled) {
                    let Some(literals) = crate::prefilter::required_literals(source) else { continue };
                    let alone = crate::prefilter::lines_containing(text, &literals);
                    let shared: Vec<(usize, usize)> = pattern.lines(text, &hits).collect();
                    assert_eq!(shared, alone, "{source:?}");
                    lines_tried += alone.len();
                }
            }
        }
        assert!(texts.len() > 100 && lines_tried > 300, "{} texts, {lines_tried} lines", texts.len());
    }

    #[test]
    fn brackets_a_value_brought_into_chinese_become_full_width() {
        use super::full_width_brackets as fw;
        assert_eq!(fw("关联 2b3c (Ops-HardenSshd)不合规"), "关联 2b3c（Ops-HardenSshd）不合规");
        assert_eq!(fw("已安装 1 个补丁 (openssl)"), "已安装 1 个补丁（openssl）");
        // Between ASCII, as in a command or an id, they stay.
        assert_eq!(fw("aws ssm x (y) z"), "aws ssm x (y) z");
        assert_eq!(fw("f(a (b) c)"), "f(a (b) c)");
        assert_eq!(fw("节点 (i-0123"), "节点 (i-0123");
    }

    #[test]
    fn a_count_of_one_takes_the_singular_form() {
        let text = "{count} {count:patch is|patches are} missing";
        assert_eq!(super::fill(text, &[("count", "1")]), "1 patch is missing");
        assert_eq!(super::fill(text, &[("count", "12")]), "12 patches are missing");
        // Without its count the form is left whole (a later fill may have it); a JMESPath
        // projection in a command is not a plural form.
        assert_eq!(super::fill(text, &[("other", "1")]), "{count} {count:patch is|patches are} missing");
        let query = "--query \"Commands[].{Document:DocumentName,Status:Status}\"";
        assert_eq!(super::fill(query, &[("Document", "x")]), query);
    }

    /// The fill as it was written before it looked at each slot once (a search per brace, the
    /// plural form tried first from the text after the brace): the oracle of the one below.
    fn fill_before<S: AsRef<str>>(template: &str, vars: &[(&str, S)]) -> String {
        let mut out = String::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let plural = (|| {
                let close = after.find('}')?;
                let (name, forms) = after[..close].split_once(':')?;
                let (one, other) = forms.split_once('|')?;
                if name.is_empty()
                    || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    || other.contains('|')
                {
                    return None;
                }
                let (_, count) = vars.iter().find(|(k, _)| *k == name)?;
                Some((close, if count.as_ref().trim() == "1" { one } else { other }))
            })();
            if let Some((close, form)) = plural {
                out.push_str(form);
                rest = &after[close + 1..];
                continue;
            }
            match after.find('}') {
                Some(close) if after[..close].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && close > 0 => {
                    let name = &after[..close];
                    match vars.iter().find(|(k, _)| *k == name) {
                        Some((_, v)) => out.push_str(v.as_ref()),
                        None => out.push_str(&format!("{{{name}}}")),
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

    proptest::proptest! {
        /// Any text (braces unclosed, nested, empty, plural forms well and badly made, names
        /// known and not, letters of several bytes) fills as it did.
        #[test]
        fn fill_looks_at_each_slot_once_and_fills_as_before(
            template in r"([{}:|_ ]|count|n|x1|é|中|s|\{count\}|\{count:a\|b\}|\{count:é\|b\|c\}|\{:a\|b\}|\{n:a\}|\{x1:\|\}){0,16}",
            count in "( ?1 ?|2|one|)",
        ) {
            let vars = [("count", count.as_str()), ("n", "{count}"), ("x1", "é")];
            proptest::prop_assert_eq!(super::fill(&template, &vars), fill_before(&template, &vars));
        }
    }

    #[test]
    fn every_text_of_the_knowledge_fills_as_before() {
        let knowledge = super::Knowledge::get();
        let vars = [("count", "1"), ("node", "i-0123456789abcdef0"), ("days", "12"), ("items", "(a, b)")];
        let mut texts = 0;
        for entry in &knowledge.entries {
            for text in [&entry.title, &entry.why, &entry.fix] {
                for lang in [super::Lang::En, super::Lang::ZhCn] {
                    texts += 1;
                    assert_eq!(super::fill(text.get(lang), &vars), fill_before(text.get(lang), &vars));
                }
            }
        }
        assert!(texts > 300, "{texts}");
    }

    #[test]
    fn chinese_punctuation_is_full_width_outside_code() {
        assert_eq!(half_width_in_chinese("1 个原因,1 项检查"), Some((11, ',')));
        assert_eq!(half_width_in_chinese("不合规?").map(|(_, c)| c), Some('?'));
        assert_eq!(half_width_in_chinese("按节点的合规性摘要(AWS CLI)").map(|(_, c)| c), Some('('));
        assert_eq!(half_width_in_chinese("1 个原因，1 项检查；不合规？（AWS CLI）"), None);
        // Code, placeholders, numbers, times and ARNs keep their ASCII marks.
        assert_eq!(half_width_in_chinese("运行 `yum check, update`，然后 {title}"), None);
        assert_eq!(half_width_in_chinese("共 1,000 个，10:30 开始，arn:aws:s3:::bucket 与 s3:GetObject"), None);
        assert_eq!(half_width_in_chinese("调用 main() 后"), None);
    }
}
