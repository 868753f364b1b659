//! What each node runs (its platform, package manager, whether it is hybrid), and which node a
//! log belongs to. Commands are chosen per node, and a log's findings are tied to the node it
//! names, so a fleet's inputs never lend one node's facts to another.

use rustc_hash::FxHashMap;

use crate::evidence::Evidence;
use crate::ingest::InputKind;
use crate::model::{ManagedNode, PackageManager, Platform, TextBlock};

/// What a node runs, as far as the inputs tell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeFacts {
    pub platform: Option<Platform>,
    pub package_manager: Option<PackageManager>,
    /// A hybrid (`mi-`) node: no EC2 API applies to it.
    pub hybrid: bool,
    /// Windows Server 2012 R2 or older (true), 2016 or newer (false).
    pub windows_legacy: Option<bool>,
    /// The patch baseline operating system it reports (`AMAZON_LINUX_2023`, `WINDOWS`).
    pub os: Option<&'static str>,
}

pub(super) struct Facts {
    pub nodes: FxHashMap<String, NodeFacts>,
    pub default: NodeFacts,
}

/// Which node a log is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Attribution {
    Node(String),
    /// The inputs are about several nodes and the log names none of them.
    Ambiguous,
    /// Nothing names any node.
    Unknown,
}

impl Attribution {
    pub fn node(&self) -> Option<&str> {
        match self {
            Attribution::Node(n) => Some(n),
            _ => None,
        }
    }
}

pub(super) fn facts(ev: &Evidence) -> Facts {
    let default = NodeFacts {
        platform: ev.context.platform,
        package_manager: ev.context.package_manager,
        ..NodeFacts::default()
    };
    let mut nodes: FxHashMap<String, NodeFacts> = FxHashMap::default();
    for node in &ev.nodes {
        let facts = nodes.entry(node.instance_id.to_string()).or_default();
        facts.platform = facts.platform.or(node.platform_type.as_deref().map(Platform::from_platform_type));
        facts.package_manager =
            facts.package_manager.or(node.platform_name.as_deref().and_then(PackageManager::from_os_name));
        facts.windows_legacy = facts.windows_legacy.or(windows_legacy(node));
        facts.os = facts.os.or(baseline_os(node));
    }
    // A node's patch state names its baseline, and a baseline its operating system.
    for state in ev.patch_states.iter() {
        let Some(baseline) = state.baseline_id() else { continue };
        let Some(b) = ev.baselines.iter().find(|b| b.baseline_id == baseline.value) else { continue };
        if b.operating_system.is_empty() {
            continue;
        }
        let facts = nodes.entry(state.instance_id().value.to_string()).or_default();
        let platform = match b.operating_system.as_str() {
            "WINDOWS" => Platform::Windows,
            "MACOS" => Platform::MacOs,
            _ => Platform::Linux,
        };
        facts.platform = facts.platform.or(Some(platform));
        facts.package_manager = facts.package_manager.or(PackageManager::from_os_name(&b.operating_system));
    }
    for block in &ev.text_blocks {
        let Attribution::Node(id) = block_node(ev, block) else { continue };
        let facts = nodes.entry(id).or_default();
        let platform = match block.kind {
            Some(InputKind::PatchWindowsOutput | InputKind::WindowsServiceEvents) => Some(Platform::Windows),
            Some(InputKind::PatchLinuxOutput) if block.macos => Some(Platform::MacOs),
            Some(InputKind::PatchLinuxOutput) => Some(Platform::Linux),
            _ => None,
        };
        facts.platform = facts.platform.or(platform);
        facts.package_manager = facts.package_manager.or(block.package_manager);
    }
    for (id, facts) in nodes.iter_mut() {
        facts.hybrid = id.starts_with("mi-");
        if facts.platform.is_none() {
            facts.platform = default.platform;
        }
        if facts.package_manager.is_none() && facts.platform != Some(Platform::Windows) {
            facts.package_manager = default.package_manager;
        }
    }
    Facts { nodes, default }
}

/// The node a text block is about: the one id it names; else the node whose host name it names;
/// else the one id its input names; else the one id all inputs name.
pub(super) fn block_node(ev: &Evidence, block: &TextBlock) -> Attribution {
    match block.ids.as_slice() {
        [one] => return Attribution::Node(one.clone()),
        [_, _, ..] => return Attribution::Ambiguous,
        [] => {}
    }
    if let Some(node) = block.hosts.iter().find_map(|h| ev.nodes.iter().find(|n| names_host(n, h))) {
        return Attribution::Node(node.instance_id.to_string());
    }
    if let Some([one]) = ev.context.ids_by_input.get(block.input).map(Vec::as_slice) {
        return Attribution::Node(one.clone());
    }
    the_only_node(ev)
}

/// The one node all inputs are about, if there is one.
pub(super) fn the_only_node(ev: &Evidence) -> Attribution {
    match ev.context.instance_ids.as_slice() {
        [one] => Attribution::Node(one.value.clone()),
        [] => Attribution::Unknown,
        _ => Attribution::Ambiguous,
    }
}

/// `EC2AMAZ-7K1D3QF` or `ip-10-0-2-44` is this node's computer name or address.
fn names_host(node: &ManagedNode, host: &str) -> bool {
    let by_name = node
        .computer_name
        .as_deref()
        .is_some_and(|c| c.split('.').next().is_some_and(|first| first.eq_ignore_ascii_case(host)));
    let by_ip =
        node.ip_address.as_deref().is_some_and(|ip| host.eq_ignore_ascii_case(&format!("ip-{}", ip.replace('.', "-"))));
    by_name || by_ip
}

/// Windows Server 2012 R2 and older have no `Get-WindowsUpdateLog`: their log is read directly.
fn windows_legacy(node: &ManagedNode) -> Option<bool> {
    let name = node.platform_name.as_deref()?;
    if !name.contains("Windows") {
        return None;
    }
    let legacy = ["2008", "2012"].iter().any(|v| name.contains(v));
    let modern = ["2016", "2019", "2022", "2025"].iter().any(|v| name.contains(v));
    match (legacy, modern) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// The patch baseline `OperatingSystem` of what the agent reports (`Amazon Linux` + `2023` →
/// `AMAZON_LINUX_2023`).
fn baseline_os(node: &ManagedNode) -> Option<&'static str> {
    let name = node.platform_name.as_deref()?.to_ascii_lowercase();
    let version = node.platform_version.as_deref().unwrap_or("");
    let os = if name.contains("windows") {
        "WINDOWS"
    } else if name.contains("amazon linux") {
        match version.split('.').next().unwrap_or("") {
            "2023" => "AMAZON_LINUX_2023",
            "2022" => "AMAZON_LINUX_2022",
            "2" => "AMAZON_LINUX_2",
            _ => "AMAZON_LINUX",
        }
    } else if name.contains("ubuntu") {
        "UBUNTU"
    } else if name.contains("debian") {
        "DEBIAN"
    } else if name.contains("red hat") || name.contains("rhel") {
        "REDHAT_ENTERPRISE_LINUX"
    } else if name.contains("suse") || name.contains("sles") {
        "SUSE"
    } else if name.contains("centos") {
        "CENTOS"
    } else if name.contains("oracle") {
        "ORACLE_LINUX"
    } else if name.contains("rocky") {
        "ROCKY_LINUX"
    } else if name.contains("alma") {
        "ALMA_LINUX"
    } else if name.contains("mac") {
        "MACOS"
    } else if name.contains("raspbian") {
        "RASPBIAN"
    } else {
        return None;
    };
    Some(os)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cite;

    fn node(id: &str, name: &str, version: &str) -> ManagedNode {
        ManagedNode {
            cite: Cite::new(0, 1),
            instance_id: id.into(),
            ping_status: None,
            agent_version: None,
            is_latest_version: None,
            platform_type: None,
            platform_name: Some(name.into()),
            platform_version: Some(version.into()),
            association_status: None,
            computer_name: Some("EC2AMAZ-7K1D3QF.example.local".into()),
            ip_address: Some("10.0.2.44".into()),
        }
    }

    #[test]
    fn operating_systems_and_host_names() {
        assert_eq!(baseline_os(&node("i-1234abcd", "Amazon Linux", "2023")), Some("AMAZON_LINUX_2023"));
        assert_eq!(
            baseline_os(&node("i-1234abcd", "Microsoft Windows Server 2022 Datacenter", "10.0")),
            Some("WINDOWS")
        );
        assert_eq!(
            windows_legacy(&node("i-1234abcd", "Microsoft Windows Server 2012 R2 Datacenter", "6.3")),
            Some(true)
        );
        let n = node("i-1234abcd", "Ubuntu", "22.04");
        assert!(names_host(&n, "ec2amaz-7k1d3qf") && names_host(&n, "ip-10-0-2-44") && !names_host(&n, "ip-10-0-2-45"));
    }
}
