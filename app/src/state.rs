//! The app's state as plain data, and the pure functions over it. Components only connect
//! signals to these (the todomvc split): nothing here touches the browser.

use std::collections::{BTreeMap, HashMap};

use diagnosis::commands::Command;
use diagnosis::knowledge::{Branch, Shell};
use diagnosis::report::{FindingGroup, FindingReport, Report};
use diagnosis::{Role, Settings};

/// Where an input came from. The page decides from this, never from a name: what is listed,
/// what is kept in the tab, what the guide's answers are, what the engine is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputOrigin {
    /// A file chosen or dropped, or an example (by its file name).
    File(String),
    /// The n-th text pasted in this tab.
    Paste(u32),
    /// The output the person's answer to a guided step stands for.
    Answer(String),
}

impl InputOrigin {
    /// The name the report gives the input ("paste 2", "your answer (P2)", a file's name).
    pub fn name(&self) -> String {
        match self {
            InputOrigin::File(name) => name.clone(),
            InputOrigin::Paste(n) => format!("paste {n}"),
            InputOrigin::Answer(step) => format!("your answer ({step})"),
        }
    }

    /// The step an answer stands for.
    pub fn answer_step(&self) -> Option<&str> {
        match self {
            InputOrigin::Answer(step) => Some(step),
            _ => None,
        }
    }

    pub fn is_answer(&self) -> bool {
        self.answer_step().is_some()
    }

    /// How the page names the input: "Pasted text 1", "Your answer (P2)"; a file keeps its name.
    pub fn label(&self, lang: diagnosis::knowledge::Lang) -> String {
        use diagnosis::knowledge::Lang;
        match (self, lang) {
            (InputOrigin::File(name), _) => name.clone(),
            (InputOrigin::Paste(n), Lang::En) => format!("Pasted text {n}"),
            (InputOrigin::Paste(n), Lang::ZhCn) => format!("粘贴的文本 {n}"),
            (InputOrigin::Answer(step), Lang::En) => format!("Your answer ({step})"),
            (InputOrigin::Answer(step), Lang::ZhCn) => format!("您的回答（{step}）"),
        }
    }

    /// How the tab's storage records it (answers are not kept there: the URL brings them back).
    pub fn key(&self) -> Option<String> {
        match self {
            InputOrigin::File(name) => Some(format!("file:{}", name.replace('\n', " "))),
            InputOrigin::Paste(n) => Some(format!("paste:{n}")),
            InputOrigin::Answer(_) => None,
        }
    }

    pub fn from_key(key: &str) -> Option<InputOrigin> {
        match key.split_once(':')? {
            ("file", name) if !name.is_empty() => Some(InputOrigin::File(name.to_string())),
            ("paste", n) => n.parse().ok().map(InputOrigin::Paste),
            _ => None,
        }
    }
}

/// Whether the inputs are kept in the tab's session storage (the person's opt-in), and how
/// that went.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Keeping {
    #[default]
    Off,
    On,
    /// Over what session storage holds (bytes): kept on the page only.
    TooLarge(f64),
    /// The browser refused (a private window, storage turned off).
    Refused,
}

/// What a tab's session storage holds: about 5 MB.
pub const KEEP_LIMIT: f64 = 5_000_000.0;

/// A size for people: "512 B", "3.4 KiB", "12.0 MiB". Integer arithmetic: formatting a float
/// would add Rust's float printing (11 KB) to the page's bundle.
pub fn size_words(bytes: usize) -> String {
    let tenths = |unit: usize| {
        let t = (bytes * 10 + unit / 2) / unit;
        format!("{}.{}", t / 10, t % 10)
    };
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{} KiB", tenths(1024)),
        _ => format!("{} MiB", tenths(1024 * 1024)),
    }
}

/// The page's inputs, in the order added, each with the id the page gave it (ids follow the
/// order added). An input of an origin already listed replaces that one and keeps its id (a file
/// dropped again, a changed answer): the engine, told the same id, replaces it too.
#[derive(Debug, Clone)]
pub struct Inputs<S> {
    list: Vec<(u32, InputOrigin, S)>,
    next_id: u32,
    /// The last paste's number: pastes are numbered over the whole tab.
    pastes: u32,
}

impl<S> Default for Inputs<S> {
    fn default() -> Self {
        Inputs { list: Vec::new(), next_id: 0, pastes: 0 }
    }
}

impl<S> Inputs<S> {
    /// Adds (or replaces) and returns the input's id.
    pub fn put(&mut self, origin: InputOrigin, source: S) -> u32 {
        if let InputOrigin::Paste(n) = origin {
            // A paste brought back from the tab's storage: the next one counts on from it.
            self.pastes = self.pastes.max(n);
        }
        if let Some(entry) = self.list.iter_mut().find(|(_, o, _)| *o == origin) {
            entry.2 = source;
            return entry.0;
        }
        self.next_id += 1;
        self.list.push((self.next_id, origin, source));
        self.next_id
    }

    /// The origin of the next paste.
    pub fn next_paste(&mut self) -> InputOrigin {
        self.pastes += 1;
        InputOrigin::Paste(self.pastes)
    }

    pub fn remove(&mut self, id: u32) -> Option<S> {
        let at = self.list.iter().position(|(i, _, _)| *i == id)?;
        Some(self.list.remove(at).2)
    }

    pub fn clear(&mut self) {
        self.list.clear();
    }

    pub fn iter(&self) -> impl Iterator<Item = (u32, &InputOrigin, &S)> {
        self.list.iter().map(|(id, origin, s)| (*id, origin, s))
    }
}

/// The guided path's place in the URL fragment (`#step=P2&answers=N1:patch,P2:missing`): the
/// person's answers and the step they moved to, never anything pasted. Back and forward move
/// through it, and a link opens the same step. A share link adds the knowledge base's version
/// and the codes of the findings its sender saw (`&v=1a2b3c4d&f=patch-pending-reboot`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Route {
    pub answers: BTreeMap<String, String>,
    pub step: Option<String>,
    pub shared: Option<Shared>,
}

/// What a share link says beyond the path: never data, only names of the knowledge base.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shared {
    pub version: String,
    pub findings: Vec<String>,
}

/// A share link names at most this many findings (the causes first).
pub const SHARED_FINDINGS: usize = 12;

/// The answers a share link carries: the person's, and the branch the inputs pointed to (the
/// link carries no inputs: without it, the receiver's walk would not reach the branch's steps).
pub fn shared_answers(report: &Report, answers: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut shared = answers.clone();
    let node = report.nodes.first().map(|n| n.node.as_str());
    if let Some(branch) = diagnosis::wizard::detected_branch(report, node) {
        shared.entry(diagnosis::wizard::BRANCH_STEP.to_string()).or_insert_with(|| branch.to_string());
    }
    shared
}

/// The codes a share link names for a report: its causes, then its checks and notes, each once.
pub fn shared_codes(report: &Report) -> Vec<String> {
    let mut codes: Vec<(diagnosis::Role, diagnosis::knowledge::Code)> = report
        .findings
        .iter()
        .map(|f| (f.role, f.code))
        .chain(report.groups.iter().map(|g| (g.role, g.code)))
        .collect();
    codes.sort_by_key(|(role, _)| *role != diagnosis::Role::Cause);
    let mut out: Vec<String> = Vec::new();
    for (_, code) in codes {
        let name = code.name().to_string();
        if !out.contains(&name) && out.len() < SHARED_FINDINGS {
            out.push(name);
        }
    }
    out
}

impl Route {
    pub fn fragment(&self) -> String {
        let mut parts = Vec::new();
        if let Some(step) = &self.step {
            parts.push(format!("step={step}"));
        }
        if !self.answers.is_empty() {
            let answers: Vec<String> = self.answers.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            parts.push(format!("answers={}", answers.join(",")));
        }
        if let Some(shared) = &self.shared {
            parts.push(format!("v={}", shared.version));
            if !shared.findings.is_empty() {
                parts.push(format!("f={}", shared.findings.join(",")));
            }
        }
        parts.join("&")
    }

    /// Reads a fragment; anything that is not a step id or an answer (letters, digits, `-`) is
    /// ignored, so a crafted link can set nothing else.
    pub fn parse(fragment: &str) -> Route {
        let word =
            |w: &str| !w.is_empty() && w.len() <= 40 && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let mut route = Route::default();
        for part in fragment.trim_start_matches('#').split('&') {
            match part.split_once('=') {
                Some(("step", step)) if word(step) => route.step = Some(step.to_string()),
                Some(("answers", list)) => {
                    for pair in list.split(',') {
                        if let Some((k, v)) = pair.split_once(':').filter(|(k, v)| word(k) && word(v)) {
                            route.answers.insert(k.to_string(), v.to_string());
                        }
                    }
                }
                Some(("v", version)) if word(version) => {
                    route.shared.get_or_insert_with(Shared::default).version = version.to_string()
                }
                Some(("f", list)) => {
                    let codes = list.split(',').filter(|c| word(c)).take(SHARED_FINDINGS).map(str::to_string);
                    route.shared.get_or_insert_with(Shared::default).findings = codes.collect();
                }
                _ => {}
            }
        }
        route
    }
}

/// Splits a text at its backticks: (text, is code). The knowledge base writes commands, paths
/// and API names in backticks; the page shows them as code, never the backticks.
pub fn code_spans(text: &str) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    let mut code = false;
    for (i, part) in text.split('`').enumerate() {
        code = i % 2 == 1;
        if !part.is_empty() {
            parts.push((part.to_string(), code));
        }
    }
    // An odd backtick is shown as it is, not as the start of code.
    if code && text.matches('`').count() % 2 == 1 {
        return vec![(text.to_string(), false)];
    }
    parts
}

/// The report before any input: nothing read, nothing found.
pub fn empty_report() -> Report {
    Report {
        inputs: Vec::new(),
        findings: Vec::new(),
        nodes: Vec::new(),
        region: None,
        groups: Vec::new(),
        form: diagnosis::report::Form::Single,
        redacted: None,
    }
}

/// What the person typed for every command, as typed: the fields show it unchanged, and only
/// the valid values reach the commands.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Typed {
    pub region: String,
    pub profile: String,
    /// The instance the commands are about when the inputs name none (also the collector's).
    pub instance: String,
}

/// A field typed once for every command; `Typed::invalid` names those holding a value that is
/// not empty and not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Region,
    Profile,
    Instance,
}

impl Field {
    /// The field's name (its test id; `region-error` says what is wrong with it).
    pub fn name(self) -> &'static str {
        match self {
            Field::Region => "region",
            Field::Profile => "profile",
            Field::Instance => "instance",
        }
    }
}

impl Typed {
    /// What was typed in `field`.
    pub fn value(&self, field: Field) -> &str {
        match field {
            Field::Region => &self.region,
            Field::Profile => &self.profile,
            Field::Instance => &self.instance,
        }
    }

    pub fn value_mut(&mut self, field: Field) -> &mut String {
        match field {
            Field::Region => &mut self.region,
            Field::Profile => &mut self.profile,
            Field::Instance => &mut self.instance,
        }
    }

    /// The settings the commands get: each valid value, nothing for an empty or invalid one.
    pub fn settings(&self) -> Settings {
        Settings::typed(&self.region, &self.profile, &self.instance)
    }

    /// The fields whose text is neither empty nor valid, to say so beside them.
    pub fn invalid(&self) -> Vec<Field> {
        let settings = self.settings();
        let mut out = Vec::new();
        if !self.region.trim().is_empty() && settings.region.is_none() {
            out.push(Field::Region);
        }
        if !self.profile.trim().is_empty() && settings.profile.is_none() {
            out.push(Field::Profile);
        }
        if !self.instance.trim().is_empty() && settings.instance.is_none() {
            out.push(Field::Instance);
        }
        out
    }
}

/// Light, dark, or whatever the system prefers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn parse(value: &str) -> Theme {
        match value {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// Which shell the AWS CLI commands are shown for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShellChoice {
    #[default]
    Bash,
    PowerShell,
}

/// Findings grouped for display: one group per node (in the report's node order), then the
/// findings not tied to a node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeGroup {
    pub node: Option<String>,
    pub verdict: Option<String>,
    pub findings: Vec<FindingReport>,
}

/// One pass over the findings, each placed by a lookup of its node: linear in the report.
pub fn group_by_node(report: &Report) -> Vec<NodeGroup> {
    let mut groups: Vec<NodeGroup> = report
        .nodes
        .iter()
        .map(|n| NodeGroup { node: Some(n.node.clone()), verdict: Some(n.verdict.clone()), findings: Vec::new() })
        .collect();
    let at: HashMap<&str, usize> = report.nodes.iter().enumerate().map(|(i, n)| (n.node.as_str(), i)).collect();
    let mut general = NodeGroup { node: None, verdict: None, findings: Vec::new() };
    for f in &report.findings {
        match f.node.as_deref().and_then(|n| at.get(n)) {
            Some(&i) => groups[i].findings.push(f.clone()),
            None => general.findings.push(f.clone()),
        }
    }
    if !general.findings.is_empty() {
        groups.push(general);
    }
    groups
}

/// How the fleet table is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FleetSort {
    /// Causes first, then by how many nodes (the report's order).
    #[default]
    Worst,
    Nodes,
    Ref,
}

/// The fleet table: the report's groups, filtered by a text (ref, title or node id) and sorted.
pub fn fleet_rows(report: &Report, filter: &str, sort: FleetSort) -> Vec<FindingGroup> {
    // The node table (in the worker) reads the filter with the same rule.
    let filter = diagnosis::report::FleetFilter::new(filter);
    let mut rows: Vec<FindingGroup> = report.groups.iter().filter(|g| filter.group(g)).cloned().collect();
    match sort {
        FleetSort::Worst => {}
        FleetSort::Nodes => rows.sort_by_key(|g| std::cmp::Reverse(g.nodes.len())),
        FleetSort::Ref => rows.sort_by(|a, b| a.reference.cmp(&b.reference)),
    }
    rows
}

/// The compliance types a node's findings involve (Patch, Association, Custom:…), from the
/// branch each finding carries.
/// A finding's commands as the page lays them out: those shown, and the on-node commands for
/// several operating systems at once (the node's OS is unknown), folded away together so one
/// finding does not list yum, apt, zypper and Windows forms in a row.
pub fn split_commands(commands: &[Command]) -> (Vec<Command>, Vec<Command>) {
    let on_node = |c: &&Command| c.shell != Shell::AwsCli;
    let mut kinds: Vec<(Shell, Option<diagnosis::evidence::PackageManager>)> = Vec::new();
    for c in commands.iter().filter(on_node) {
        if !kinds.contains(&(c.shell, c.family)) {
            kinds.push((c.shell, c.family));
        }
    }
    if kinds.len() < 2 {
        return (commands.to_vec(), Vec::new());
    }
    commands.iter().cloned().partition(|c| c.shell == Shell::AwsCli)
}

/// The compliance types a node's findings are about, in the interface language: AWS's own
/// types by their console names (Patch is 补丁 in the zh-CN console), a custom type as written.
pub fn compliance_types(findings: &[FindingReport], lang: diagnosis::Lang) -> Vec<String> {
    use crate::texts::{t, Text};
    let mut types: Vec<String> = Vec::new();
    for f in findings.iter().filter(|f| f.role != Role::Note) {
        let name = match (f.branch, f.compliance_type.as_deref()) {
            (_, Some("Patch")) | (Branch::Patch, None) => t(Text::CompliancePatch, lang),
            (_, Some("Association")) | (Branch::Association | Branch::Inventory, None) => {
                t(Text::ComplianceAssociation, lang)
            }
            (_, Some(named)) => named.to_string(),
            (Branch::Custom | Branch::Node, None) => continue,
        };
        if !types.contains(&name) {
            types.push(name);
        }
    }
    types
}

/// Counts of causes, checks and notes, for a group's summary line.
pub fn role_counts(findings: &[FindingReport]) -> (usize, usize, usize) {
    let count = |role: Role| findings.iter().filter(|f| f.role == role).count();
    (count(Role::Cause), count(Role::Check), count(Role::Note))
}

/// "2 problems · 1 to check": the counts of a node's findings in words, the empty ones left out.
pub fn counts_line(findings: &[FindingReport], lang: diagnosis::knowledge::Lang) -> String {
    let (causes, checks, notes) = role_counts(findings);
    [(causes, "count_cause"), (checks, "count_check"), (notes, "count_note")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, key)| {
            let key = if n == 1 { format!("{key}_one") } else { format!("{key}_many") };
            crate::texts::t_named(&key, lang).replace("{n}", &n.to_string())
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use diagnosis::{Lang, Session};

    const STATES: &str = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "PatchGroup": "", "BaselineId": "pb-0123456789abcdef0", "MissingCount": 2, "FailedCount": 0, "InstalledPendingRebootCount": 0, "InstalledRejectedCount": 0, "Operation": "Scan", "OperationStartTime": "2024-01-01T00:00:00Z", "OperationEndTime": "2024-01-01T00:01:00Z"}]}"#;

    fn report(inputs: &[&str], typed: &Typed) -> Report {
        let mut session = Session::default();
        let mut pastes = Inputs::<()>::default();
        for text in inputs {
            session.add(&pastes.next_paste().name(), text.as_bytes().to_vec());
        }
        session.report(Lang::En, &typed.settings(), None)
    }

    #[test]
    fn the_route_round_trips_and_ignores_what_is_not_a_step_or_an_answer() {
        let route = Route {
            answers: [("N1", "patch"), ("P2", "missing")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            step: Some("P2".into()),
            shared: None,
        };
        assert_eq!(route.fragment(), "step=P2&answers=N1:patch,P2:missing");
        assert_eq!(Route::parse(&format!("#{}", route.fragment())), route);
        let crafted = Route::parse("#step=<script>&answers=N1:patch,P2:<b>,x&data=i-0123456789abcdef0");
        assert_eq!(crafted.step, None);
        assert_eq!(crafted.answers.len(), 1);
        assert_eq!(Route::parse(""), Route::default());
    }

    #[test]
    fn a_share_link_carries_the_path_the_version_and_finding_codes_and_no_data() {
        let states = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "InstalledPendingRebootCount": 2, "Operation": "Install", "RebootOption": "NoReboot"}]}"#;
        let report = report(&[states], &Typed::default());
        let codes = shared_codes(&report);
        assert_eq!(codes.first().map(String::as_str), Some("patch-pending-reboot"), "causes first: {codes:?}");
        // The branch the inputs proved travels as an answer; the person's own answers win.
        let answers = shared_answers(&report, &BTreeMap::new());
        assert_eq!(answers.get("N1").map(String::as_str), Some("patch"));
        let chosen = BTreeMap::from([("N1".to_string(), "custom".to_string())]);
        assert_eq!(shared_answers(&report, &chosen), chosen);
        let route = Route {
            answers: BTreeMap::from([("N1".to_string(), "patch".to_string())]),
            step: Some("P2".into()),
            shared: Some(Shared { version: diagnosis::knowledge::VERSION.to_string(), findings: codes.clone() }),
        };
        let fragment = route.fragment();
        assert!(
            fragment.starts_with(&format!(
                "step=P2&answers=N1:patch&v={}&f=patch-pending-reboot",
                diagnosis::knowledge::VERSION
            )),
            "{fragment}"
        );
        assert!(!fragment.contains("i-0123456789abcdef0"), "no data: {fragment}");
        assert_eq!(Route::parse(&format!("#{fragment}")), route);
        // A crafted link sets nothing but words, and names at most a dozen findings.
        let many: Vec<String> = (0..40).map(|i| format!("c{i}")).collect();
        let crafted = Route::parse(&format!("#v=<x>&f={},<img>", many.join(",")));
        let shared = crafted.shared.unwrap();
        assert_eq!(shared.version, "");
        assert_eq!(shared.findings.len(), SHARED_FINDINGS);
        assert!(shared.findings.iter().all(|c| c.starts_with('c')));
    }

    #[test]
    fn backticks_become_code_and_inputs_get_human_names() {
        assert_eq!(
            code_spans("Run `yum check` then `apt-get -s`."),
            [
                ("Run ".into(), false),
                ("yum check".into(), true),
                (" then ".into(), false),
                ("apt-get -s".into(), true),
                (".".into(), false)
            ]
        );
        assert_eq!(code_spans("a stray ` tick"), [("a stray ` tick".to_string(), false)]);
        assert_eq!(InputOrigin::Paste(3).label(Lang::En), "Pasted text 3");
        assert_eq!(InputOrigin::Answer("P2".into()).label(Lang::ZhCn), "您的回答（P2）");
        assert_eq!(InputOrigin::File("agent.log".into()).label(Lang::En), "agent.log");
        // The names the page gives inputs use Chinese punctuation in Chinese.
        let named = InputOrigin::Answer("P2".into()).label(Lang::ZhCn);
        assert_eq!(diagnosis::knowledge::half_width_in_chinese(&named), None, "{named}");
        // A file named like an answer is a file.
        assert!(!InputOrigin::File("your answer (P2)".into()).is_answer());
    }

    #[test]
    fn counts_are_words_without_empty_ones() {
        // Two missing patches: the cause (P6) and what to check next; no note, so none is named.
        let groups = group_by_node(&report(&[STATES], &Typed::default()));
        assert_eq!(role_counts(&groups[0].findings), (1, 1, 0));
        assert_eq!(counts_line(&groups[0].findings, Lang::En), "1 problem · 1 to check");
        assert_eq!(counts_line(&groups[0].findings, Lang::ZhCn), "1 个问题 · 1 项待检查");
        let twice: Vec<_> = groups[0].findings.iter().chain(&groups[0].findings).cloned().collect();
        assert_eq!(counts_line(&twice, Lang::En), "2 problems · 2 to check");
    }

    #[test]
    fn pastes_brought_back_are_counted_on_from_and_sizes_are_words() {
        let mut inputs = Inputs::default();
        for key in ["paste:3", "file:states.json", "paste:2"] {
            inputs.put(InputOrigin::from_key(key).unwrap(), ());
        }
        assert_eq!(inputs.next_paste(), InputOrigin::Paste(4));
        assert_eq!(InputOrigin::from_key("answer:P2"), None, "answers are not kept");
        assert_eq!(InputOrigin::Answer("P2".into()).key(), None);
        assert_eq!(size_words(12_345_678), "11.8 MiB");
        assert_eq!(size_words(840_001), "820.3 KiB");
        assert_eq!(size_words(512), "512 B");
    }

    #[test]
    fn pastes_are_numbered_and_an_origin_put_again_keeps_its_id() {
        let mut inputs = Inputs::default();
        let (a, b) = (inputs.next_paste(), inputs.next_paste());
        assert_eq!([a.name(), b.name()], ["paste 1", "paste 2"]);
        let file = inputs.put(InputOrigin::File("a.log".into()), 1);
        let answer = inputs.put(InputOrigin::Answer("P2".into()), 2);
        assert_eq!(inputs.put(InputOrigin::File("a.log".into()), 3), file);
        assert_eq!(inputs.put(InputOrigin::Answer("P2".into()), 4), answer);
        assert_eq!(inputs.iter().map(|(_, _, s)| *s).collect::<Vec<_>>(), [3, 4]);
    }

    #[test]
    fn on_node_commands_for_several_systems_fold_away_together() {
        let pending =
            r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "InstalledPendingRebootCount": 1}]}"#;
        let report = report(&[pending], &Typed::default());
        let p4 = report.findings.iter().find(|f| f.reference == "P4").unwrap();
        let (shown, per_os) = split_commands(&p4.commands);
        // The OS is unknown: yum, apt, zypper and Windows forms are folded, the AWS CLI shown.
        assert!(shown.iter().all(|c| c.shell == Shell::AwsCli) && !shown.is_empty());
        assert!(per_os.iter().any(|c| c.shell == Shell::Powershell) && per_os.iter().any(|c| c.shell == Shell::Bash));
        assert_eq!(shown.len() + per_os.len(), p4.commands.len());
        // One system's commands stay in view.
        let one: Vec<Command> =
            p4.commands.iter().filter(|c| c.shell != Shell::Powershell && c.family.is_none()).cloned().collect();
        assert_eq!(split_commands(&one), (one.clone(), Vec::new()));
    }

    #[test]
    fn findings_group_under_their_node() {
        let groups = group_by_node(&report(&[STATES], &Typed::default()));
        assert_eq!(groups[0].node.as_deref(), Some("i-0123456789abcdef0"));
        assert!(groups[0].findings.iter().any(|f| f.reference == "P6"));
        assert_eq!(role_counts(&groups[0].findings).0, 1);
    }

    #[test]
    fn the_region_typed_in_rewrites_the_commands_and_an_invalid_one_is_named() {
        let typed = Typed { region: " eu-west-3 ".into(), ..Typed::default() };
        let report = report(&[STATES], &typed);
        let texts: Vec<&str> = report.findings.iter().flat_map(|f| &f.commands).map(|c| c.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.ends_with("--region eu-west-3")), "{texts:?}");
        assert!(texts.iter().all(|t| !t.contains("<region>")));
        assert!(typed.invalid().is_empty());
        let bad = Typed { region: "europe".into(), profile: "a b".into(), instance: "i-123; rm -rf /".into() };
        assert_eq!(bad.invalid(), [Field::Region, Field::Profile, Field::Instance]);
        assert_eq!(bad.settings(), Settings::default());
    }

    #[test]
    fn the_fleet_table_filters_and_sorts_groups() {
        let fleet = diagnosis::generate::generate("instance-patch-states", 60, 3).unwrap();
        let report = report(&[&fleet], &Typed::default());
        let all = fleet_rows(&report, "", FleetSort::Worst);
        assert!(all.len() > 3);
        assert_eq!(all[0].role, Role::Cause);
        let reboot = fleet_rows(&report, "p4", FleetSort::Worst);
        assert!(!reboot.is_empty() && reboot.iter().all(|g| g.reference == "P4"));
        let node = &all[0].nodes[0];
        assert!(fleet_rows(&report, node, FleetSort::Worst).iter().all(|g| g.nodes.contains(node)));
        let by_nodes = fleet_rows(&report, "", FleetSort::Nodes);
        assert!(by_nodes.windows(2).all(|w| w[0].nodes.len() >= w[1].nodes.len()));
    }

    #[test]
    fn compliance_types_name_the_branches_of_a_node() {
        let custom = r#"{"ComplianceItems": [{"ComplianceType": "Custom:AVCheck", "ResourceId": "i-0123456789abcdef0", "Id": "Scan", "Status": "NON_COMPLIANT", "Severity": "HIGH"}]}"#;
        let groups = group_by_node(&report(&[STATES, custom], &Typed::default()));
        assert_eq!(compliance_types(&groups[0].findings, Lang::En), ["Custom:AVCheck", "Patch"]);
        assert_eq!(compliance_types(&groups[0].findings, Lang::ZhCn), ["Custom:AVCheck", "补丁"]);
    }

    #[test]
    fn every_finding_of_a_fleet_lands_in_its_nodes_group() {
        let fleet = diagnosis::generate::generate("instance-patch-states", 500, 7).unwrap();
        let report = report(&[&fleet], &Typed::default());
        let groups = group_by_node(&report);
        assert_eq!(groups.iter().filter(|g| g.node.is_some()).count(), report.nodes.len());
        assert_eq!(groups.iter().map(|g| g.findings.len()).sum::<usize>(), report.findings.len());
        for group in groups.iter().filter(|g| g.node.is_some()) {
            assert!(group.findings.iter().all(|f| f.node == group.node));
        }
    }
}
