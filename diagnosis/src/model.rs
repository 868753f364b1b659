//! Domain types: the facts the diagnosis reasons about, named as AWS names them.

use compact_str::CompactString;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::ingest::cli::CliCommand;
pub use crate::lines::Cite;
pub use crate::time::Timestamp;

/// A value with the line it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T> {
    pub value: T,
    pub cite: Cite,
}

/// Patch compliance states (domain.md §A.3.7). Parsed case-insensitively, ignoring `_`, so
/// `InstalledPendingReboot`, `INSTALLED_PENDING_REBOOT` and `installed pending reboot` agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PatchState {
    Failed,
    InstalledPendingReboot,
    InstalledRejected,
    Missing,
    AvailableSecurityUpdate,
    Installed,
    InstalledOther,
    NotApplicable,
}

impl PatchState {
    pub const ALL: [PatchState; 8] = [
        PatchState::Failed,
        PatchState::InstalledPendingReboot,
        PatchState::InstalledRejected,
        PatchState::Missing,
        PatchState::AvailableSecurityUpdate,
        PatchState::Installed,
        PatchState::InstalledOther,
        PatchState::NotApplicable,
    ];

    pub fn parse(text: &str) -> Option<Self> {
        let norm: String = text.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        Self::ALL.into_iter().find(|s| s.wire().to_ascii_lowercase() == norm)
    }

    /// The PascalCase spelling AWS uses on the wire and in `--filters Key=State,Values=...`.
    pub fn wire(self) -> &'static str {
        match self {
            PatchState::Installed => "Installed",
            PatchState::InstalledOther => "InstalledOther",
            PatchState::InstalledPendingReboot => "InstalledPendingReboot",
            PatchState::InstalledRejected => "InstalledRejected",
            PatchState::Missing => "Missing",
            PatchState::Failed => "Failed",
            PatchState::NotApplicable => "NotApplicable",
            PatchState::AvailableSecurityUpdate => "AvailableSecurityUpdate",
        }
    }

    /// The `describe-instance-patch-states` count field for this state.
    pub fn count_key(self) -> &'static str {
        match self {
            PatchState::Installed => "InstalledCount",
            PatchState::InstalledOther => "InstalledOtherCount",
            PatchState::InstalledPendingReboot => "InstalledPendingRebootCount",
            PatchState::InstalledRejected => "InstalledRejectedCount",
            PatchState::Missing => "MissingCount",
            PatchState::Failed => "FailedCount",
            PatchState::NotApplicable => "NotApplicableCount",
            PatchState::AvailableSecurityUpdate => "AvailableSecurityUpdateCount",
        }
    }

    /// States that make a node NON_COMPLIANT by themselves (payload `non_compliant_pkgs`).
    /// AvailableSecurityUpdate depends on the baseline and is handled separately.
    pub fn is_non_compliant(self) -> bool {
        matches!(
            self,
            PatchState::Failed
                | PatchState::InstalledPendingReboot
                | PatchState::InstalledRejected
                | PatchState::Missing
        )
    }
}

impl fmt::Display for PatchState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire())
    }
}

// `describe-instance-patch-states` rows are columns: `evidence::PatchStates`.

/// `describe-instance-patches` row. The output has no instance id; it comes from the command
/// line or the other inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct InstancePatch {
    pub cite: Cite,
    /// Only in the CSV detail report; describe-instance-patches output has no instance id.
    pub instance_id: Option<String>,
    pub kb_id: String,
    pub title: String,
    pub state: Option<PatchState>,
    pub state_text: String,
    pub severity: String,
    pub classification: String,
}

/// `list-compliance-items` row.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplianceItem {
    pub cite: Cite,
    pub compliance_type: String,
    pub resource_id: String,
    pub id: String,
    pub title: String,
    pub status: Field<String>,
    pub severity: String,
    pub document_name: Option<Field<String>>,
    pub patch_baseline_id: Option<String>,
    pub patch_state: Option<PatchState>,
}

/// `list-resource-compliance-summaries` row (one per resource and compliance type).
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceComplianceSummary {
    pub cite: Cite,
    pub compliance_type: String,
    pub resource_id: String,
    pub status: Field<String>,
    pub overall_severity: String,
    pub non_compliant_count: i64,
}

/// `list-compliance-summaries` row (account roll-up, no resource ids).
#[derive(Debug, Clone, PartialEq)]
pub struct ComplianceSummary {
    pub cite: Cite,
    pub compliance_type: String,
    pub compliant: i64,
    pub non_compliant: Field<i64>,
}

/// `describe-instance-information` row.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedNode {
    pub cite: Cite,
    pub instance_id: CompactString,
    pub ping_status: Option<Field<CompactString>>,
    pub agent_version: Option<Field<CompactString>>,
    pub is_latest_version: Option<bool>,
    pub platform_type: Option<CompactString>,
    pub platform_name: Option<CompactString>,
    pub platform_version: Option<CompactString>,
    pub association_status: Option<Field<CompactString>>,
    /// `ComputerName` and `IPAddress`: logs name their node by host name.
    pub computer_name: Option<CompactString>,
    pub ip_address: Option<CompactString>,
}

/// An instance of `aws ec2 describe-instances`: what EC2 says of a node Systems Manager may not
/// reach (its state, its instance profile, its metadata service).
#[derive(Debug, Clone, PartialEq)]
pub struct Ec2Instance {
    pub cite: Cite,
    pub instance_id: String,
    /// `State.Name`: pending, running, stopping, stopped, shutting-down, terminated.
    pub state: Option<Field<String>>,
    /// `IamInstanceProfile.Arn`; None when the instance has none.
    pub instance_profile: Option<Field<String>>,
    /// `MetadataOptions.HttpEndpoint`: enabled or disabled.
    pub metadata_endpoint: Option<Field<String>>,
    /// `SubnetId`: ties the instance to its network ACL.
    pub subnet: Option<Field<String>>,
    /// `SecurityGroups[].GroupId`: ties the instance to its security groups.
    pub security_groups: Vec<String>,
}

/// An endpoint of `aws ec2 describe-vpc-endpoints`: the private path to a service.
#[derive(Debug, Clone, PartialEq)]
pub struct VpcEndpoint {
    pub cite: Cite,
    pub id: String,
    pub vpc: String,
    /// The service's last name part: `ssm`, `ec2messages`, `ssmmessages`, `s3`, …
    pub service: Field<String>,
    pub state: Option<Field<String>>,
    pub private_dns: Option<Field<bool>>,
}

/// A group of `aws ec2 describe-security-groups`, with whether its egress allows TCP 443.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityGroup {
    pub cite: Cite,
    pub id: String,
    pub egress_443: bool,
}

/// A network ACL of `aws ec2 describe-network-acls`, evaluated the way EC2 does: rules in
/// number order, the first that matches decides. NACLs are stateless, so the agent needs both
/// outbound TCP 443 and inbound return traffic on the ephemeral ports.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkAcl {
    pub cite: Cite,
    pub id: String,
    pub vpc: String,
    /// `Associations[].SubnetId`.
    pub subnets: Vec<String>,
    /// The rule that denies outbound TCP 443 to everywhere before any rule allows it.
    pub egress_443_denied: Option<AclRule>,
    /// The rule that denies inbound return traffic on an ephemeral port before any allows it.
    pub ingress_ephemeral_denied: Option<AclRule>,
}

/// One rule of a network ACL, as the report names it.
#[derive(Debug, Clone, PartialEq)]
pub struct AclRule {
    pub cite: Cite,
    /// `RuleNumber` (32767 is the `*` rule every ACL ends with).
    pub number: i64,
    /// The port the rule was evaluated for.
    pub port: i64,
}

/// A row of `aws ec2 describe-instance-status`: the EC2 status checks.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceStatusCheck {
    pub cite: Cite,
    pub instance_id: String,
    /// `InstanceState.Name`.
    pub state: Option<Field<String>>,
    /// `InstanceStatus.Status`: ok, impaired, insufficient-data, not-applicable, initializing.
    pub instance_status: Option<Field<String>>,
    /// `SystemStatus.Status`, the same values, for the host AWS runs the instance on.
    pub system_status: Option<Field<String>>,
}

/// `aws ec2 get-console-output`: the serial console of one instance.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleOutput {
    pub instance_id: String,
    pub output: Field<String>,
}

/// A tool that reports a node non-compliant without saying why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detector {
    SecurityHub,
    Config,
    Prowler,
    Steampipe,
}

/// What a detector's control looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetectorAspect {
    /// Whether the instance is a managed node (Security Hub SSM.1, Prowler
    /// ec2_instance_managed_by_ssm, Steampipe ec2_instance_ssm_managed).
    Managed,
    /// Its Patch compliance (SSM.2, ec2-managedinstance-patch-compliance-status-check).
    Patch,
    /// Its Association compliance (SSM.3, ec2-managedinstance-association-compliance-status-check).
    Association,
    /// Its overall compliance summary, whatever the type (Prowler's ssm_managed_compliant_patching
    /// reads ListResourceComplianceSummaries' Status).
    Overall,
}

/// A detector's verdict, in its own words reduced to four.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetectorStatus {
    Failed,
    Passed,
    /// Evaluated with nothing to evaluate (CONFIG_EVALUATIONS_EMPTY, INSUFFICIENT_DATA,
    /// NOT_APPLICABLE, a skipped control): no data, not compliant.
    NoData,
}

/// One finding of a detector about a node's Systems Manager compliance.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectorFinding {
    pub cite: Cite,
    pub detector: Detector,
    /// The control or rule as the detector names it (`SSM.2`, the Config rule, the check id).
    pub control: String,
    pub aspect: DetectorAspect,
    pub status: DetectorStatus,
    pub node: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// When the detector evaluated it.
    pub evaluated: Option<Field<Timestamp>>,
    /// The detector's own reason (a StatusReasons code, an annotation, Prowler's or Steampipe's
    /// text).
    pub reason: Option<String>,
    /// Steampipe's rows are per compliance item: the item (a patch) it flags.
    pub item: Option<String>,
    /// The instance's state as the finding itself tells it (stopped, terminated).
    pub instance_state: Option<String>,
    /// Security Hub archived it (the resource is gone, or the control passes again).
    pub archived: bool,
}

/// A row of the organisation views' result (`ssm_doctor_node_causes`): a node and the
/// catalogue code the fleet rules gave it, in its account and region.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetVerdict {
    pub cite: Cite,
    pub account: String,
    pub region: String,
    pub node: String,
    pub code: crate::knowledge::Code,
    /// `state` (the node is gone or silent) or `cause`.
    pub state: bool,
    pub detail: String,
}

/// A hybrid activation (`aws ssm describe-activations`): what registers `mi-` nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Activation {
    pub cite: Cite,
    pub activation_id: String,
    pub expired: Option<Field<bool>>,
    pub registration_limit: Option<i64>,
    pub registrations: Option<Field<i64>>,
}

/// `describe-instance-associations-status` row. (An empty list is a fact too: see
/// `Evidence::empty_lists`.)
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceAssociationStatus {
    pub cite: Cite,
    pub association_id: String,
    pub document: String,
    pub instance_id: String,
    pub status: Field<String>,
    pub detailed_status: Option<String>,
    pub error_code: Option<Field<String>>,
    pub execution_summary: Option<Field<String>>,
}

/// `describe-association`.
#[derive(Debug, Clone, PartialEq)]
pub struct Association {
    pub cite: Cite,
    pub association_id: String,
    pub document: String,
    pub instance_id: Option<String>,
    pub overview_status: Option<Field<String>>,
    pub detailed_status: Option<Field<String>>,
    pub last_execution: Option<Timestamp>,
    pub last_successful_execution: Option<Timestamp>,
    pub sync_compliance: Option<String>,
    /// `Overview.AssociationStatusAggregatedCount`, e.g. [("Failed", 2), ("Success", 8)].
    pub aggregated: Vec<(String, i64)>,
}

/// `describe-association-executions` / `-execution-targets` row.
#[derive(Debug, Clone, PartialEq)]
pub struct AssociationRun {
    pub cite: Cite,
    pub association_id: String,
    pub execution_id: String,
    pub resource_id: Option<String>,
    pub status: Field<String>,
    /// Run Command id when the output source is RunCommand.
    pub command_id: Option<Field<String>>,
    /// `ResourceCountByStatus` (`"{Success=1, Failed=2}"`, a string, not JSON).
    pub resource_counts: Vec<(String, i64)>,
}

/// `list-commands` row or a `get-command-invocation`/`list-command-invocations` result.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandRun {
    pub cite: Cite,
    pub command_id: String,
    pub document: Field<String>,
    pub instance_ids: Vec<String>,
    pub status: Field<String>,
    pub status_details: Option<String>,
    pub operation: Option<Field<String>>,
    pub reboot_option: Option<Field<String>>,
    pub requested: Option<Timestamp>,
    pub response_code: Option<Field<i64>>,
    /// `ExecutionElapsedTime` in seconds (an ISO 8601 duration on the wire).
    pub elapsed: Option<f64>,
    pub plugin: Option<String>,
    /// Standard output/error as pasted (first 24,000/8,000 characters at most, per AWS).
    pub output: Option<Field<String>>,
    pub error_output: Option<Field<String>>,
    /// Which output it came from: a history (`list-commands`) or one invocation.
    pub source: crate::ingest::InputKind,
}

/// `get-patch-baseline`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchBaseline {
    pub cite: Cite,
    pub baseline_id: String,
    pub name: String,
    pub operating_system: String,
    pub rejected_patches: Vec<String>,
    pub rejected_patches_action: Option<Field<String>>,
    pub compliance_levels: Vec<Field<String>>,
    pub patch_groups: Vec<String>,
    /// One summary per approval rule, e.g. `PRODUCT=WindowsServer2016, +0d`.
    pub rules: Vec<String>,
    /// `AvailableSecurityUpdatesComplianceStatus`: whether available, unapproved security
    /// updates make a node NON_COMPLIANT (Windows baselines; absent means COMPLIANT).
    pub available_security_updates_status: Option<Field<String>>,
}

/// EventBridge "Configuration Compliance State Change".
#[derive(Debug, Clone, PartialEq)]
pub struct ComplianceEvent {
    pub cite: Cite,
    pub resource_id: String,
    pub compliance_type: String,
    pub status: Field<String>,
    pub severity: Option<String>,
    pub baseline_id: Option<String>,
}

/// A row of `ssm-cli get-diagnostics`.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagnosticCheck {
    pub cite: Cite,
    pub check: String,
    pub status: String,
    pub note: String,
}

/// Text lines of a log or command output, kept for signature matching.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBlock {
    pub input: usize,
    /// None for text that was not recognised: it is still matched against failure signatures,
    /// so a single pasted error line is diagnosed.
    pub kind: Option<crate::ingest::InputKind>,
    pub first_line: u32,
    pub start: usize,
    pub end: usize,
    /// The instance ids the block names (orchestration paths, runbook links, ARNs), distinct,
    /// at most a few: a log is attributed to its node by them.
    pub ids: Vec<String>,
    /// Host names the block names (`Patch Summary for EC2AMAZ-…`, `ip-10-0-1-17`).
    pub hosts: Vec<String>,
    /// The package manager the block's own words name.
    pub package_manager: Option<PackageManager>,
    /// The block is a macOS patch run (`Product: MacOS…`, `PatchMacOS`).
    pub macos: bool,
}

/// The patch payload's summary of a run (`Installed count: 392, …, Missing count: 2, …`, or the
/// Windows `Patch Summary` fields), where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct PayloadSummary {
    pub cite: Cite,
    pub counts: Vec<(PatchState, Field<i64>)>,
    /// `Scan` or `Install`, from the run's own `operation = …` line.
    pub operation: Option<String>,
    pub origin: Origin,
}

/// Which text a fact was read from: a block of an input, or the output of a command run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    Block(usize),
    Command(usize),
}

/// A CloudTrail record of a Systems Manager call (raw trail or `lookup-events`).
#[derive(Debug, Clone, PartialEq)]
pub struct TrailEvent {
    pub cite: Cite,
    pub event_name: String,
    pub error_code: Option<Field<String>>,
    pub error_message: Option<String>,
    /// `userIdentity.arn`, e.g. `arn:aws:sts::123456789012:assumed-role/SSMRole/i-0123...`.
    pub principal: Option<String>,
    /// The node whose role made the call (the role session name), if it is one.
    pub instance_id: Option<String>,
    pub time: Option<Timestamp>,
}

/// EventBridge "EC2 State Manager (Instance) Association State Change".
#[derive(Debug, Clone, PartialEq)]
pub struct AssociationEvent {
    pub cite: Cite,
    pub association_id: String,
    pub instance_id: Option<String>,
    pub document: String,
    pub status: Field<String>,
}

/// `describe-patch-groups` mapping: a patch group and the baseline registered for it.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchGroupMapping {
    pub cite: Cite,
    pub patch_group: String,
    pub baseline_id: String,
    pub operating_system: String,
}

/// `describe-patch-group-state`: how many nodes of a group are in each state.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchGroupState {
    pub cite: Cite,
    pub counts: Vec<(String, Field<i64>)>,
}

/// `list-inventory-entries`.
#[derive(Debug, Clone, PartialEq)]
pub struct InventoryEntries {
    pub cite: Cite,
    pub instance_id: String,
    pub type_name: String,
    pub entries: usize,
    pub capture_time: Option<String>,
}

/// A log line with a level (agent log, patch payload output, Windows service events); the
/// message stays in the input text (`start..end`) rather than being copied.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEvent {
    pub cite: Cite,
    pub time: Option<f64>,
    pub level: LogLevel,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Debug,
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Linux,
    Windows,
    #[serde(rename = "macos")]
    MacOs,
}

impl Platform {
    /// `PlatformType` of describe-instance-information (`Linux`, `Windows`, `MacOS`).
    pub fn from_platform_type(value: &str) -> Platform {
        match value.to_ascii_lowercase().as_str() {
            "windows" => Platform::Windows,
            "macos" => Platform::MacOs,
            _ => Platform::Linux,
        }
    }

    /// The AWS-RunPatchBaseline step (plugin) name on this platform.
    pub fn patch_plugin(self) -> &'static str {
        match self {
            Platform::Linux => "PatchLinux",
            Platform::Windows => "PatchWindows",
            Platform::MacOs => "PatchMacOS",
        }
    }
}

/// The package-manager family of on-node commands. `Yum` covers dnf, whose commands are the
/// same; `MacOs` is softwareupdate and Homebrew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageManager {
    Yum,
    Apt,
    Zypper,
    #[serde(rename = "macos")]
    MacOs,
}

impl PackageManager {
    /// From an operating-system name: `PlatformName` (`Ubuntu`, `Red Hat Enterprise Linux`) or a
    /// baseline's `OperatingSystem` with `_` read as spaces (`AMAZON_LINUX_2023`).
    pub fn from_os_name(name: &str) -> Option<PackageManager> {
        let n = name.to_ascii_lowercase().replace('_', " ");
        if ["ubuntu", "debian", "raspbian"].iter().any(|d| n.contains(d)) {
            Some(PackageManager::Apt)
        } else if n.contains("suse") || n.contains("sles") {
            Some(PackageManager::Zypper)
        } else if n.contains("mac") {
            Some(PackageManager::MacOs)
        } else if ["amazon", "red hat", "redhat", "rhel", "centos", "rocky", "alma", "oracle"]
            .iter()
            .any(|d| n.contains(d))
        {
            Some(PackageManager::Yum)
        } else {
            None
        }
    }
}

/// Documents whose runs update Patch compliance (domain.md §B.5): a fact of the domain, which
/// the evidence (payload summaries) and the tree (runs, signatures) both ask.
pub fn is_patch_document(name: &str) -> bool {
    matches!(
        name,
        "AWS-RunPatchBaseline"
            | "AWS-RunPatchBaselineWithHooks"
            | "AWS-RunPatchBaselineAssociation"
            | "AWS-ApplyPatchBaseline"
    )
}
