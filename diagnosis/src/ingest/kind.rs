//! What a pasted part is. Names are the `kind` values of the report contract.

use super::json::Node;

macro_rules! kinds {
    ($($variant:ident => $name:literal, $command:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum InputKind { $($variant,)* }
        impl InputKind {
            pub const ALL: &'static [InputKind] = &[$(InputKind::$variant,)*];
            /// The stable `kind` name used in reports.
            pub fn name(self) -> &'static str { match self { $(InputKind::$variant => $name,)* } }
            /// The command (or file) that produces this kind, for messages.
            pub fn source(self) -> &'static str { match self { $(InputKind::$variant => $command,)* } }
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.name() == name)
            }
        }
    };
}

kinds! {
    ComplianceItems => "compliance-items", "aws ssm list-compliance-items";
    ResourceComplianceSummaries => "resource-compliance-summaries", "aws ssm list-resource-compliance-summaries";
    ComplianceSummaries => "compliance-summaries", "aws ssm list-compliance-summaries";
    InstancePatchStates => "instance-patch-states", "aws ssm describe-instance-patch-states";
    InstancePatches => "instance-patches", "aws ssm describe-instance-patches";
    AvailablePatches => "available-patches", "aws ssm describe-available-patches";
    PatchGroupState => "patch-group-state", "aws ssm describe-patch-group-state";
    InstanceInformation => "instance-information", "aws ssm describe-instance-information";
    InstanceAssociationsStatus => "instance-associations-status", "aws ssm describe-instance-associations-status";
    AssociationDescription => "association-description", "aws ssm describe-association";
    AssociationExecutions => "association-executions", "aws ssm describe-association-executions";
    AssociationExecutionTargets => "association-execution-targets", "aws ssm describe-association-execution-targets";
    CommandInvocations => "command-invocations", "aws ssm list-command-invocations";
    Commands => "commands", "aws ssm list-commands";
    CommandInvocation => "command-invocation", "aws ssm get-command-invocation";
    PatchBaseline => "patch-baseline", "aws ssm get-patch-baseline";
    PatchBaselines => "patch-baselines", "aws ssm describe-patch-baselines";
    PatchGroups => "patch-groups", "aws ssm describe-patch-groups";
    InventoryEntries => "inventory-entries", "aws ssm list-inventory-entries";
    SsmCliDiagnostics => "ssm-cli-diagnostics", "ssm-cli get-diagnostics";
    EventBridgeComplianceEvent => "eventbridge-compliance-event", "an EventBridge Configuration Compliance State Change event";
    EventBridgeAssociationEvent => "eventbridge-association-event", "an EventBridge State Manager association state change event";
    CloudTrailRecords => "cloudtrail-records", "aws cloudtrail lookup-events";
    PatchReportCsv => "patch-report-csv", "the Patch Manager compliance report CSV";
    AgentLog => "agent-log", "amazon-ssm-agent.log / errors.log";
    PatchLinuxOutput => "patch-linux-output", "AWS-RunPatchBaseline output (Linux/macOS)";
    PatchWindowsOutput => "patch-windows-output", "AWS-RunPatchBaseline output (Windows)";
    WindowsUpdateOutput => "windows-update-output", "AWS-InstallWindowsUpdates output";
    WindowsServiceEvents => "windows-service-events", "Service Control Manager events";
    CliCommand => "cli-command", "an AWS CLI command line";
    Ec2Instances => "ec2-instances", "aws ec2 describe-instances";
    Activations => "activations", "aws ssm describe-activations";
    VpcEndpoints => "vpc-endpoints", "aws ec2 describe-vpc-endpoints";
    SecurityGroups => "security-groups", "aws ec2 describe-security-groups";
    NetworkAcls => "network-acls", "aws ec2 describe-network-acls";
    InstanceStatus => "instance-status", "aws ec2 describe-instance-status";
    ConsoleOutput => "console-output", "aws ec2 get-console-output";
    SecurityHubFindings => "securityhub-findings", "aws securityhub get-findings (ASFF), its EventBridge event, or an export";
    OcsfFindings => "ocsf-findings", "Security Hub or Prowler findings in OCSF JSON";
    ConfigCompliance => "config-compliance", "aws configservice get-compliance-details-by-config-rule / describe-compliance-by-resource";
    ProwlerCsv => "prowler-csv", "a Prowler CSV report";
    SteampipeResults => "steampipe-results", "Steampipe or Powerpipe AWS compliance results (CSV or JSON)";
    FleetVerdicts => "fleet-verdicts", "the ssm_doctor_node_causes query result (Athena, DuckDB, or ssm-doctor sync --format csv)";
}

/// What a whole input is, for the report: one kind, several (`mixed`), or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    Known(InputKind),
    Mixed,
    Unrecognized,
}

impl ReportKind {
    pub fn name(self) -> &'static str {
        match self {
            ReportKind::Known(kind) => kind.name(),
            ReportKind::Mixed => "mixed",
            ReportKind::Unrecognized => "unrecognized",
        }
    }
    pub fn from_name(name: &str) -> Option<ReportKind> {
        match name {
            "mixed" => Some(ReportKind::Mixed),
            "unrecognized" => Some(ReportKind::Unrecognized),
            other => InputKind::from_name(other).map(ReportKind::Known),
        }
    }
}

crate::serde_by_name!(InputKind, ReportKind);

/// Recognises a JSON document by its top-level keys (domain.md §A.1b), never by file name.
pub fn json_kind(root: &Node) -> Option<InputKind> {
    use InputKind::*;
    let has = |key: &str| root.get(key).is_some();
    // CloudTrail `lookup-events` and raw trail files are arrays/objects of records.
    if has("Records") || has("Events") {
        let records = root.get("Records").or_else(|| root.get("Events"))?;
        let first = records.as_array().first();
        if first.is_none_or(|r| {
            r.get("eventSource").is_some() || r.get("CloudTrailEvent").is_some() || r.get("EventName").is_some()
        }) {
            return Some(CloudTrailRecords);
        }
    }
    if has("eventSource") && has("eventName") {
        return Some(CloudTrailRecords);
    }
    // Detector exports that are bare arrays: ASFF findings, OCSF findings.
    if let Some(first) = root.as_array().first() {
        if first.get("SchemaVersion").is_some() && first.get("ProductArn").is_some() {
            return Some(SecurityHubFindings);
        }
        if first.get("class_uid").is_some() && first.get("finding_info").is_some() {
            return Some(OcsfFindings);
        }
        return None;
    }
    if has("class_uid") && has("finding_info") {
        return Some(OcsfFindings);
    }
    match root.get("detail-type").and_then(Node::as_str) {
        Some("Security Hub Findings - Imported") => return Some(SecurityHubFindings),
        Some("Configuration Compliance State Change") => return Some(EventBridgeComplianceEvent),
        Some(t) if t.starts_with("EC2 State Manager") && t.contains("Association State Change") => {
            return Some(EventBridgeAssociationEvent)
        }
        _ => {}
    }
    let by_key: &[(&str, InputKind)] = &[
        ("ComplianceItems", ComplianceItems),
        ("ResourceComplianceSummaryItems", ResourceComplianceSummaries),
        ("ComplianceSummaryItems", ComplianceSummaries),
        ("InstancePatchStates", InstancePatchStates),
        ("InstanceInformationList", InstanceInformation),
        ("InstanceAssociationStatusInfos", InstanceAssociationsStatus),
        ("AssociationDescription", AssociationDescription),
        ("AssociationExecutions", AssociationExecutions),
        ("AssociationExecutionTargets", AssociationExecutionTargets),
        ("CommandInvocations", CommandInvocations),
        ("BaselineIdentities", PatchBaselines),
        ("DiagnosticsOutput", SsmCliDiagnostics),
        ("Reservations", Ec2Instances),
        ("ActivationList", Activations),
        ("VpcEndpoints", VpcEndpoints),
        ("SecurityGroups", SecurityGroups),
        ("NetworkAcls", NetworkAcls),
        ("InstanceStatuses", InstanceStatus),
        ("EvaluationResults", ConfigCompliance),
        ("ComplianceByResources", ConfigCompliance),
        ("ComplianceByConfigRules", ConfigCompliance),
    ];
    if let Some((_, kind)) = by_key.iter().find(|(key, _)| has(key)) {
        return Some(*kind);
    }
    if let Some(patches) = root.get("Patches") {
        let first = patches.as_array().first();
        let catalogue = first.is_some_and(|p| {
            p.get("ReleaseDate").is_some() || p.get("MsrcSeverity").is_some() || p.get("Product").is_some()
        });
        return Some(if catalogue && first.is_some_and(|p| p.get("State").is_none()) {
            AvailablePatches
        } else {
            InstancePatches
        });
    }
    if has("Commands") {
        return Some(Commands);
    }
    if has("Mappings") {
        return Some(PatchGroups);
    }
    if has("Instances") && root.keys().any(|k| k.starts_with("InstancesWith")) {
        return Some(PatchGroupState);
    }
    if has("StandardOutputContent")
        || (has("CommandId") && has("PluginName"))
        || (has("CommandId") && has("ResponseCode"))
    {
        return Some(CommandInvocation);
    }
    if has("BaselineId") && (has("ApprovalRules") || has("OperatingSystem") || has("RejectedPatchesAction")) {
        return Some(PatchBaseline);
    }
    if has("TypeName") && has("Entries") {
        return Some(InventoryEntries);
    }
    if root
        .get("Findings")
        .and_then(|f| f.as_array().first())
        .is_some_and(|f| f.get("SchemaVersion").is_some() || f.get("ProductArn").is_some())
    {
        return Some(SecurityHubFindings);
    }
    // Powerpipe / Steampipe `--output json`: a benchmark of groups and controls with results.
    if (has("groups") || has("controls")) && (has("group_id") || has("summary")) {
        return Some(SteampipeResults);
    }
    // get-console-output: the instance's serial console, as one string.
    if has("Output") && has("InstanceId") && root.keys().all(|k| matches!(k, "InstanceId" | "Output" | "Timestamp")) {
        return Some(ConsoleOutput);
    }
    None
}
