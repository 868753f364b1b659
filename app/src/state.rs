//! The app's state as plain data, and the pure functions over it. Components only connect
//! signals to these (the todomvc split): nothing here touches the browser.

use diagnosis::knowledge::Lang;
use diagnosis::report::{FindingGroup, FindingReport, Report};
use diagnosis::{diagnose_with, Options, Source};

/// One thing the user gave us: a paste or a file, kept as bytes so encodings are detected the
/// same way as for the CLI.
#[derive(Debug, Clone, PartialEq)]
pub struct UserInput {
    pub id: u32,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Every input the user has added, in order, with fresh ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    items: Vec<UserInput>,
    next_id: u32,
    pastes: u32,
}

impl Inputs {
    pub fn items(&self) -> &[UserInput] {
        &self.items
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds pasted text as "paste N". Blank pastes are ignored.
    pub fn add_paste(&mut self, text: &str) -> bool {
        if text.trim().is_empty() {
            return false;
        }
        self.pastes += 1;
        let name = format!("paste {}", self.pastes);
        self.add(name, text.as_bytes().to_vec());
        true
    }

    /// Adds a file; a file with the same name replaces the earlier one (a re-exported log).
    pub fn add_file(&mut self, name: String, bytes: Vec<u8>) {
        if let Some(existing) = self.items.iter_mut().find(|i| i.name == name) {
            existing.bytes = bytes;
            return;
        }
        self.add(name, bytes);
    }

    fn add(&mut self, name: String, bytes: Vec<u8>) {
        self.next_id += 1;
        self.items.push(UserInput { id: self.next_id, name, bytes });
    }

    pub fn remove(&mut self, id: u32) {
        self.items.retain(|i| i.id != id);
    }

    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// `now` (seconds since the epoch) lets the diagnosis say how old the patch data is; the
    /// settings the person typed (region, profile) rewrite every command.
    pub fn diagnose(&self, lang: Lang, now: Option<f64>, settings: &Settings) -> Report {
        let sources: Vec<Source> = self.items.iter().map(|i| Source { name: &i.name, bytes: &i.bytes }).collect();
        let typed = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let options = Options { lang, now, region: typed(&settings.region), profile: typed(&settings.profile) };
        diagnose_with(&sources, &options)
    }

    /// Adds a built-in example as if it had been pasted, named after it.
    pub fn add_example(&mut self, name: &str, text: &str) {
        self.add(name.to_string(), text.as_bytes().to_vec());
    }
}

/// What the person typed that applies to every command.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub region: String,
    pub profile: String,
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

pub fn group_by_node(report: &Report) -> Vec<NodeGroup> {
    let mut groups: Vec<NodeGroup> = report
        .nodes
        .iter()
        .map(|n| NodeGroup { node: Some(n.node.clone()), verdict: Some(n.verdict.clone()), findings: Vec::new() })
        .collect();
    let mut general = NodeGroup { node: None, verdict: None, findings: Vec::new() };
    for f in &report.findings {
        match groups.iter_mut().find(|g| g.node == f.node) {
            Some(group) => group.findings.push(f.clone()),
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
    let needle = filter.trim().to_lowercase();
    let mut rows: Vec<FindingGroup> = report
        .groups
        .iter()
        .filter(|g| {
            needle.is_empty()
                || g.reference.to_lowercase().contains(&needle)
                || g.title.to_lowercase().contains(&needle)
                || g.nodes.iter().any(|n| n.to_lowercase().contains(&needle))
        })
        .cloned()
        .collect();
    match sort {
        FleetSort::Worst => {}
        FleetSort::Nodes => rows.sort_by_key(|g| std::cmp::Reverse(g.nodes.len())),
        FleetSort::Ref => rows.sort_by(|a, b| a.reference.cmp(&b.reference)),
    }
    rows
}

/// Slots for commands the app builds itself (guide, collect): the instance, the region typed in
/// or else the one the diagnosis found, and the profile typed in.
pub fn command_slots(report: &Report, settings: &Settings, instance: Option<String>) -> diagnosis::commands::Slots {
    let typed = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    diagnosis::commands::Slots {
        instance,
        region: typed(&settings.region).or_else(|| report.region.clone()),
        profile: typed(&settings.profile),
        ..Default::default()
    }
}

/// The compliance types a node's findings involve (Patch, Association, Custom:…), from the
/// branch each finding belongs to.
pub fn compliance_types(findings: &[FindingReport]) -> Vec<String> {
    let mut types: Vec<String> = Vec::new();
    let mut add = |t: String| {
        if !types.contains(&t) {
            types.push(t);
        }
    };
    for f in findings.iter().filter(|f| f.role != "note") {
        let r = f.reference.as_str();
        if f.code == "compliance-type-noncompliant" || f.code == "custom-noncompliant" {
            // "Patch compliance is …", "Custom compliance Custom:X is …": the type is named.
            if let Some(t) = f.title.split_whitespace().find(|w| w.starts_with("Custom:")) {
                add(t.to_string());
            } else if let Some(first) = f.title.split_whitespace().next() {
                add(first.to_string());
            }
        } else if r.starts_with('P') || r.starts_with('W') || r.starts_with('L') || r == "AS1" {
            add("Patch".into());
        } else if r.starts_with("AS") || r.starts_with('A') || r.starts_with('I') {
            add("Association".into());
        }
    }
    types
}

/// Counts of causes, checks and notes, for a group's summary line.
pub fn role_counts(findings: &[FindingReport]) -> (usize, usize, usize) {
    let count = |role: &str| findings.iter().filter(|f| f.role == role).count();
    (count("cause"), count("check"), count("note"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATES: &str = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "PatchGroup": "", "BaselineId": "pb-0123456789abcdef0", "MissingCount": 2, "FailedCount": 0, "InstalledPendingRebootCount": 0, "InstalledRejectedCount": 0, "Operation": "Scan", "OperationStartTime": "2024-01-01T00:00:00Z", "OperationEndTime": "2024-01-01T00:01:00Z"}]}"#;

    #[test]
    fn pastes_are_numbered_and_blank_ones_ignored() {
        let mut inputs = Inputs::default();
        assert!(!inputs.add_paste("  \n"));
        assert!(inputs.add_paste(STATES));
        assert!(inputs.add_paste("second"));
        let names: Vec<&str> = inputs.items().iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["paste 1", "paste 2"]);
    }

    #[test]
    fn a_file_with_the_same_name_replaces_the_old_one() {
        let mut inputs = Inputs::default();
        inputs.add_file("a.log".into(), b"one".to_vec());
        inputs.add_file("a.log".into(), b"two".to_vec());
        assert_eq!(inputs.items().len(), 1);
        assert_eq!(inputs.items()[0].bytes, b"two");
    }

    #[test]
    fn findings_group_under_their_node() {
        let mut inputs = Inputs::default();
        inputs.add_paste(STATES);
        let groups = group_by_node(&inputs.diagnose(Lang::En, None, &Settings::default()));
        assert_eq!(groups[0].node.as_deref(), Some("i-0123456789abcdef0"));
        assert!(groups[0].findings.iter().any(|f| f.reference == "P6"));
        assert_eq!(role_counts(&groups[0].findings).0, 1);
    }

    #[test]
    fn the_region_typed_in_rewrites_the_commands() {
        let mut inputs = Inputs::default();
        inputs.add_paste(STATES);
        let settings = Settings { region: " eu-west-3 ".into(), profile: String::new() };
        let report = inputs.diagnose(Lang::En, None, &settings);
        let texts: Vec<&str> = report.findings.iter().flat_map(|f| &f.commands).map(|c| c.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.ends_with("--region eu-west-3")), "{texts:?}");
        assert!(texts.iter().all(|t| !t.contains("<region>")));
    }

    #[test]
    fn the_fleet_table_filters_and_sorts_groups() {
        let mut inputs = Inputs::default();
        inputs.add_file(
            "fleet.json".into(),
            diagnosis::generate::generate("instance-patch-states", 60, 3).unwrap().into_bytes(),
        );
        let report = inputs.diagnose(Lang::En, None, &Settings::default());
        let all = fleet_rows(&report, "", FleetSort::Worst);
        assert!(all.len() > 3);
        assert_eq!(all[0].role, "cause");
        let reboot = fleet_rows(&report, "p4", FleetSort::Worst);
        assert!(!reboot.is_empty() && reboot.iter().all(|g| g.reference == "P4"));
        let node = &all[0].nodes[0];
        assert!(fleet_rows(&report, node, FleetSort::Worst).iter().all(|g| g.nodes.contains(node)));
        let by_nodes = fleet_rows(&report, "", FleetSort::Nodes);
        assert!(by_nodes.windows(2).all(|w| w[0].nodes.len() >= w[1].nodes.len()));
    }

    #[test]
    fn compliance_types_name_the_branches_of_a_node() {
        let mut inputs = Inputs::default();
        inputs.add_paste(STATES);
        inputs.add_paste(r#"{"ComplianceItems": [{"ComplianceType": "Custom:AVCheck", "ResourceId": "i-0123456789abcdef0", "Id": "Scan", "Status": "NON_COMPLIANT", "Severity": "HIGH"}]}"#);
        let report = inputs.diagnose(Lang::En, None, &Settings::default());
        let groups = group_by_node(&report);
        assert_eq!(compliance_types(&groups[0].findings), ["Custom:AVCheck", "Patch"]);
    }

    #[test]
    fn removing_an_input_removes_its_findings() {
        let mut inputs = Inputs::default();
        inputs.add_paste(STATES);
        let id = inputs.items()[0].id;
        inputs.remove(id);
        assert!(inputs.diagnose(Lang::En, None, &Settings::default()).findings.is_empty());
    }
}
