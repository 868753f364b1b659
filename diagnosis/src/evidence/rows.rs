//! The rows of each output kind, read into typed facts. One function per kind (or per list of
//! a kind), registered in [`TABLE`] next to the key of the list it reads. A streamed document
//! hands the functions its rows one at a time as they are parsed; a document read whole
//! (`--output text`, CSV) goes through the same functions, row by row.

use std::borrow::Cow;

use compact_str::CompactString;

use super::patch_states::{NewPatchState, Time};
use super::{detector, Evidence};
use crate::ingest::json::{Node, Value};
use crate::ingest::InputKind;
use crate::lines::Cite;
use crate::model::*;
use crate::notice::{Message, Notice};
use crate::time::{self, Timestamp};

/// Reads one row of a list into the evidence.
pub(super) type RowFn = fn(&mut Evidence, &Reader, &Node);
/// Reads what a document says outside its lists (`streamed`: rows of each list already read).
pub(super) type DocumentFn = fn(&mut Evidence, &Reader, &Node, &Streamed);

/// How one kind of output is read: its lists, each with its row function, and what is read
/// from the document itself.
pub(super) struct KindRows {
    pub kind: InputKind,
    pub lists: &'static [(&'static str, RowFn)],
    pub document: Option<DocumentFn>,
}

/// Every kind the evidence reads. A kind not listed here is recognised but carries no facts
/// the tree uses (`describe-available-patches`).
pub(super) const TABLE: &[KindRows] = &[
    KindRows { kind: InputKind::InstancePatchStates, lists: &[("InstancePatchStates", patch_state)], document: None },
    KindRows { kind: InputKind::InstancePatches, lists: &[("Patches", patch)], document: None },
    KindRows { kind: InputKind::AvailablePatches, lists: &[("Patches", ignore)], document: None },
    KindRows { kind: InputKind::ComplianceItems, lists: &[("ComplianceItems", compliance_item)], document: None },
    KindRows {
        kind: InputKind::ResourceComplianceSummaries,
        lists: &[("ResourceComplianceSummaryItems", resource_summary)],
        document: None,
    },
    KindRows {
        kind: InputKind::ComplianceSummaries,
        lists: &[("ComplianceSummaryItems", compliance_summary)],
        document: None,
    },
    KindRows {
        kind: InputKind::InstanceInformation,
        lists: &[("InstanceInformationList", managed_node)],
        document: None,
    },
    KindRows {
        kind: InputKind::InstanceAssociationsStatus,
        lists: &[("InstanceAssociationStatusInfos", association_status)],
        document: None,
    },
    KindRows { kind: InputKind::AssociationDescription, lists: &[], document: Some(association) },
    KindRows {
        kind: InputKind::AssociationExecutions,
        lists: &[("AssociationExecutions", association_run)],
        document: None,
    },
    KindRows {
        kind: InputKind::AssociationExecutionTargets,
        lists: &[("AssociationExecutionTargets", association_run)],
        document: None,
    },
    KindRows { kind: InputKind::Commands, lists: &[("Commands", command)], document: None },
    KindRows {
        kind: InputKind::CommandInvocations,
        lists: &[("CommandInvocations", command_invocation)],
        document: None,
    },
    KindRows { kind: InputKind::CommandInvocation, lists: &[], document: Some(command_invocation_document) },
    KindRows { kind: InputKind::PatchBaseline, lists: &[], document: Some(patch_baseline) },
    KindRows { kind: InputKind::PatchBaselines, lists: &[("BaselineIdentities", baseline_identity)], document: None },
    KindRows { kind: InputKind::PatchGroups, lists: &[("Mappings", patch_group_mapping)], document: None },
    KindRows { kind: InputKind::PatchGroupState, lists: &[], document: Some(patch_group_state) },
    KindRows { kind: InputKind::VpcEndpoints, lists: &[("VpcEndpoints", vpc_endpoint)], document: None },
    KindRows { kind: InputKind::SecurityGroups, lists: &[("SecurityGroups", security_group)], document: None },
    KindRows { kind: InputKind::NetworkAcls, lists: &[("NetworkAcls", network_acl)], document: None },
    KindRows { kind: InputKind::InstanceStatus, lists: &[("InstanceStatuses", instance_status)], document: None },
    KindRows { kind: InputKind::ConsoleOutput, lists: &[], document: Some(console_output) },
    KindRows {
        kind: InputKind::SecurityHubFindings,
        lists: &[("Findings", detector::asff)],
        document: Some(detector::asff_document),
    },
    KindRows { kind: InputKind::OcsfFindings, lists: &[], document: Some(detector::ocsf_document) },
    KindRows {
        kind: InputKind::ConfigCompliance,
        lists: &[
            ("EvaluationResults", detector::config_evaluation),
            ("ComplianceByResources", detector::config_by_resource),
            ("ComplianceByConfigRules", detector::config_by_rule),
        ],
        document: None,
    },
    KindRows { kind: InputKind::FleetVerdicts, lists: &[("FleetVerdicts", fleet_verdict)], document: None },
    KindRows { kind: InputKind::ProwlerCsv, lists: &[("ProwlerFindings", detector::prowler_row)], document: None },
    KindRows {
        kind: InputKind::SteampipeResults,
        lists: &[("SteampipeResults", detector::steampipe_row)],
        document: Some(detector::steampipe_document),
    },
    KindRows { kind: InputKind::Activations, lists: &[("ActivationList", activation)], document: None },
    KindRows { kind: InputKind::Ec2Instances, lists: &[("Reservations", reservation)], document: None },
    KindRows { kind: InputKind::InventoryEntries, lists: &[("Entries", ignore)], document: Some(inventory) },
    KindRows { kind: InputKind::SsmCliDiagnostics, lists: &[("DiagnosticsOutput", diagnostic)], document: None },
    KindRows { kind: InputKind::EventBridgeComplianceEvent, lists: &[], document: Some(compliance_event) },
    KindRows { kind: InputKind::EventBridgeAssociationEvent, lists: &[], document: Some(association_event) },
    KindRows {
        kind: InputKind::CloudTrailRecords,
        lists: &[("Records", trail_record), ("Events", trail_lookup_event)],
        document: Some(trail_single),
    },
    // The CSV reader gives the report the shapes of the outputs it stands for.
    KindRows {
        kind: InputKind::PatchReportCsv,
        lists: &[("ResourceComplianceSummaryItems", resource_summary), ("Patches", patch), ("CsvNodes", csv_node)],
        document: None,
    },
];

pub(super) fn rows_of(kind: InputKind) -> Option<&'static KindRows> {
    TABLE.iter().find(|k| k.kind == kind)
}

/// How many rows of each list were streamed (their lists are empty in the document's tree,
/// which must then not read as "the list was empty").
#[derive(Default)]
pub(super) struct Streamed(Vec<(&'static str, usize)>);

impl Streamed {
    pub fn add(&mut self, key: &'static str) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => self.0.push((key, 1)),
        }
    }
    pub fn rows(&self, key: &str) -> usize {
        self.0.iter().find(|(k, _)| *k == key).map_or(0, |(_, n)| *n)
    }
}

/// Reads typed values from one input's JSON, citing their lines.
pub(super) struct Reader {
    pub input: usize,
}

impl Reader {
    pub fn cite(&self, node: &Node) -> Cite {
        Cite::new(self.input, node.line)
    }
    pub fn string(&self, node: &Node, key: &str) -> Option<Field<String>> {
        let v = node.get(key)?;
        v.as_str().map(|s| Field { value: s.to_string(), cite: self.cite(v) })
    }
    /// Like [`Reader::string`], inline up to 24 bytes (a node's status, agent version): no
    /// allocation for each of a fleet's nodes.
    pub fn compact(&self, node: &Node, key: &str) -> Option<Field<CompactString>> {
        let v = node.get(key)?;
        v.as_str().map(|s| Field { value: s.into(), cite: self.cite(v) })
    }
    /// A text borrowed from the row, for columns that store it once.
    pub fn text<'n>(&self, node: &'n Node, key: &str) -> Option<Field<&'n str>> {
        let v = node.get(key)?;
        v.as_str().map(|s| Field { value: s, cite: self.cite(v) })
    }
    pub fn int(&self, node: &Node, key: &str) -> Option<Field<i64>> {
        let v = node.get(key)?;
        v.as_i64().map(|n| Field { value: n, cite: self.cite(v) })
    }
    /// A time, borrowing the row's text.
    pub fn time<'n>(&self, node: &'n Node, key: &str) -> Option<Field<Time<'n>>> {
        let v = node.get(key)?;
        time_of(v).map(|time| Field { value: time, cite: self.cite(v) })
    }
}

/// Either CLI style: an epoch number (v1, written out in ISO form) or an ISO string (v2, as
/// written, trimmed).
fn time_of<'n>(node: &'n Node) -> Option<Time<'n>> {
    match &node.value {
        Value::Number(n) => Some(Time { epoch: Some(*n), text: Cow::Owned(time::format_epoch(*n)) }),
        Value::String(s) if !s.trim().is_empty() => {
            let (epoch, text) = time::parse_parts(s);
            Some(Time { epoch, text: Cow::Borrowed(text) })
        }
        _ => None,
    }
}

/// [`time_of`], owned.
pub(super) fn timestamp(node: &Node) -> Option<Timestamp> {
    time_of(node).map(|t| Timestamp { epoch: t.epoch, text: t.text.into_owned() })
}

fn ignore(_: &mut Evidence, _: &Reader, _: &Node) {}

fn patch_state(ev: &mut Evidence, r: &Reader, row: &Node) {
    let mut counts: [Option<Field<i64>>; PatchState::ALL.len()] = Default::default();
    for (count, state) in counts.iter_mut().zip(PatchState::ALL) {
        *count = r.int(row, state.count_key());
    }
    let operation_end = r.time(row, "OperationEndTime");
    ev.note_bad_time(r.input, "OperationEndTime", operation_end.as_ref());
    let start = r.time(row, "OperationStartTime");
    ev.note_bad_time(r.input, "OperationStartTime", start.as_ref());
    let row = NewPatchState {
        cite: r.cite(row),
        instance_id: r.text(row, "InstanceId"),
        patch_group: r.text(row, "PatchGroup"),
        baseline_id: r.text(row, "BaselineId").map(|f| Field { value: f.value.trim(), ..f }),
        operation: r.text(row, "Operation"),
        reboot_option: r.text(row, "RebootOption"),
        operation_end,
        last_no_reboot_install: r.time(row, "LastNoRebootInstallOperationTime"),
        install_override_list: r.text(row, "InstallOverrideList").filter(|f| !f.value.is_empty()),
        counts,
    };
    ev.patch_states.push(row);
}

fn patch(ev: &mut Evidence, r: &Reader, row: &Node) {
    let state_text = text(row, "State");
    ev.patches.push(InstancePatch {
        cite: r.cite(row),
        instance_id: opt_text(row, "InstanceId"),
        kb_id: text(row, "KBId"),
        title: text(row, "Title"),
        state: PatchState::parse(&state_text),
        state_text,
        severity: text(row, "Severity"),
        classification: text(row, "Classification"),
    });
}

fn compliance_item(ev: &mut Evidence, r: &Reader, row: &Node) {
    let Some(status) = r.string(row, "Status") else { return };
    let details = row.get("Details");
    ev.compliance_items.push(ComplianceItem {
        cite: r.cite(row),
        compliance_type: text(row, "ComplianceType"),
        resource_id: text(row, "ResourceId"),
        id: text(row, "Id"),
        title: text(row, "Title"),
        status,
        severity: text(row, "Severity"),
        document_name: details.and_then(|d| r.string(d, "DocumentName")).filter(|f| !f.value.is_empty()),
        patch_baseline_id: details.map(|d| text(d, "PatchBaselineId")).filter(|s| !s.is_empty()),
        patch_state: details.and_then(|d| PatchState::parse(&text(d, "PatchState"))),
    });
}

fn resource_summary(ev: &mut Evidence, r: &Reader, row: &Node) {
    let Some(status) = r.string(row, "Status") else { return };
    ev.resource_summaries.push(ResourceComplianceSummary {
        cite: r.cite(row),
        compliance_type: text(row, "ComplianceType"),
        resource_id: text(row, "ResourceId"),
        status,
        overall_severity: text(row, "OverallSeverity"),
        non_compliant_count: row
            .get("NonCompliantSummary")
            .and_then(|s| s.get("NonCompliantCount"))
            .and_then(Node::as_i64)
            .unwrap_or(0),
    });
}

fn compliance_summary(ev: &mut Evidence, r: &Reader, row: &Node) {
    let Some(non_compliant) = row.get("NonCompliantSummary").and_then(|n| r.int(n, "NonCompliantCount")) else {
        return;
    };
    ev.compliance_summaries.push(ComplianceSummary {
        cite: r.cite(row),
        compliance_type: text(row, "ComplianceType"),
        compliant: row
            .get("CompliantSummary")
            .and_then(|s| s.get("CompliantCount"))
            .and_then(Node::as_i64)
            .unwrap_or(0),
        non_compliant,
    });
}

fn vpc_endpoint(ev: &mut Evidence, r: &Reader, row: &Node) {
    let Some(service) = r.string(row, "ServiceName") else { return };
    // com.amazonaws.eu-west-1.ssm → ssm
    let short = service.value.rsplit('.').next().unwrap_or("").to_string();
    ev.vpc_endpoints.push(VpcEndpoint {
        cite: r.cite(row),
        id: text(row, "VpcEndpointId"),
        vpc: text(row, "VpcId"),
        service: Field { value: short, cite: service.cite },
        state: r.string(row, "State"),
        private_dns: row
            .get("PrivateDnsEnabled")
            .and_then(|n| n.as_bool().map(|value| Field { value, cite: r.cite(n) })),
    });
}

/// A group allows outbound HTTPS when an egress rule covers TCP 443 (all traffic, or a TCP range
/// that holds 443), whatever its destination.
fn security_group(ev: &mut Evidence, r: &Reader, row: &Node) {
    let allows = |rule: &Node| {
        let protocol = rule.get("IpProtocol").and_then(Node::as_str).unwrap_or("");
        let from = rule.get("FromPort").and_then(Node::as_i64).unwrap_or(0);
        let to = rule.get("ToPort").and_then(Node::as_i64).unwrap_or(65535);
        protocol == "-1" || (matches!(protocol, "tcp" | "6") && from <= 443 && 443 <= to)
    };
    let egress_443 = row.get("IpPermissionsEgress").map(Node::as_array).unwrap_or_default().iter().any(allows);
    ev.security_groups.push(SecurityGroup { cite: r.cite(row), id: text(row, "GroupId"), egress_443 });
}

/// The ephemeral port a node's return traffic arrives on: 49152 lies in both the Linux
/// (32768–60999) and the Windows (49152–65535) default ranges.
const EPHEMERAL_PORT: i64 = 49152;

/// What EC2 does with a network ACL's rules for TCP to or from anywhere: in number order, the
/// first rule that covers the port decides. A rule for a narrower range that allows the port
/// means some destinations (a VPC endpoint) are reachable: not denied.
fn network_acl(ev: &mut Evidence, r: &Reader, row: &Node) {
    let mut rules: Vec<&Node> = row.get("Entries").map(Node::as_array).unwrap_or_default().iter().collect();
    rules.sort_by_key(|rule| rule.get("RuleNumber").and_then(Node::as_i64).unwrap_or(i64::MAX));
    let denied = |egress: bool, port: i64| -> Option<AclRule> {
        for rule in rules.iter().filter(|rule| rule.get("Egress").and_then(Node::as_bool) == Some(egress)) {
            // IPv6 rules do not decide the agent's IPv4 traffic.
            let Some(cidr) = rule.get("CidrBlock").and_then(Node::as_str) else { continue };
            let protocol = rule.get("Protocol").and_then(Node::as_str).unwrap_or("");
            let range = rule.get("PortRange");
            let from = range.and_then(|p| p.get("From")).and_then(Node::as_i64).unwrap_or(0);
            let to = range.and_then(|p| p.get("To")).and_then(Node::as_i64).unwrap_or(65535);
            let covers =
                matches!(protocol, "-1" | "all") || (matches!(protocol, "6" | "tcp") && from <= port && port <= to);
            if !covers {
                continue;
            }
            match rule.get("RuleAction").and_then(Node::as_str) {
                Some("allow") => return None,
                Some("deny") if cidr == "0.0.0.0/0" => {
                    let number = rule.get("RuleNumber").and_then(Node::as_i64).unwrap_or(0);
                    return Some(AclRule { cite: r.cite(rule), number, port });
                }
                _ => {}
            }
        }
        None
    };
    let subnets = row
        .get("Associations")
        .map(Node::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|a| a.get("SubnetId").and_then(Node::as_str))
        .map(str::to_string)
        .collect();
    ev.network_acls.push(NetworkAcl {
        cite: r.cite(row),
        id: text(row, "NetworkAclId"),
        vpc: text(row, "VpcId"),
        subnets,
        egress_443_denied: denied(true, 443),
        ingress_ephemeral_denied: denied(false, EPHEMERAL_PORT),
    });
}

fn instance_status(ev: &mut Evidence, r: &Reader, row: &Node) {
    ev.instance_status_checks.push(InstanceStatusCheck {
        cite: r.cite(row),
        instance_id: text(row, "InstanceId"),
        state: row.get("InstanceState").and_then(|s| r.string(s, "Name")),
        instance_status: row.get("InstanceStatus").and_then(|s| r.string(s, "Status")),
        system_status: row.get("SystemStatus").and_then(|s| r.string(s, "Status")),
    });
}

fn console_output(ev: &mut Evidence, r: &Reader, root: &Node, _: &Streamed) {
    if let Some(output) = r.string(root, "Output").filter(|o| !o.value.is_empty()) {
        ev.console_outputs.push(ConsoleOutput { instance_id: text(root, "InstanceId"), output });
    }
}

/// A row of the organisation views' result; a code the catalogue does not know is noted.
fn fleet_verdict(ev: &mut Evidence, r: &Reader, row: &Node) {
    let name = text(row, "code");
    match crate::knowledge::Code::from_name(&name) {
        Some(code) => ev.fleet_verdicts.push(FleetVerdict {
            cite: r.cite(row),
            account: text(row, "accountid"),
            region: text(row, "region"),
            node: text(row, "resourceid"),
            code,
            state: text(row, "kind") == "state",
            detail: text(row, "detail"),
        }),
        None => ev.notes.push((r.input, Message::new(Notice::UnknownCode).with("name", name).at_line(row.line))),
    }
}

fn activation(ev: &mut Evidence, r: &Reader, row: &Node) {
    let field = |key: &str| row.get(key).map(|n| (n, r.cite(n)));
    ev.activations.push(Activation {
        cite: r.cite(row),
        activation_id: text(row, "ActivationId"),
        expired: field("Expired").and_then(|(n, cite)| n.as_bool().map(|value| Field { value, cite })),
        registration_limit: row.get("RegistrationLimit").and_then(Node::as_i64),
        registrations: field("RegistrationsCount").and_then(|(n, cite)| n.as_i64().map(|value| Field { value, cite })),
    });
}

/// describe-instances: a reservation holds its instances.
fn reservation(ev: &mut Evidence, r: &Reader, row: &Node) {
    for instance in row.get("Instances").map(Node::as_array).unwrap_or_default() {
        ev.ec2_instances.push(Ec2Instance {
            cite: r.cite(instance),
            instance_id: text(instance, "InstanceId"),
            state: instance.get("State").and_then(|s| r.string(s, "Name")),
            instance_profile: instance.get("IamInstanceProfile").and_then(|p| r.string(p, "Arn")),
            metadata_endpoint: instance.get("MetadataOptions").and_then(|m| r.string(m, "HttpEndpoint")),
            subnet: r.string(instance, "SubnetId"),
            security_groups: instance
                .get("SecurityGroups")
                .map(Node::as_array)
                .unwrap_or_default()
                .iter()
                .map(|g| text(g, "GroupId"))
                .filter(|g| !g.is_empty())
                .collect(),
        });
    }
}

fn managed_node(ev: &mut Evidence, r: &Reader, row: &Node) {
    ev.nodes.push(ManagedNode {
        cite: r.cite(row),
        instance_id: compact(row, "InstanceId"),
        ping_status: r.compact(row, "PingStatus"),
        agent_version: r.compact(row, "AgentVersion"),
        is_latest_version: row.get("IsLatestVersion").and_then(Node::as_bool),
        platform_type: opt_compact(row, "PlatformType"),
        platform_name: opt_compact(row, "PlatformName"),
        platform_version: opt_compact(row, "PlatformVersion"),
        association_status: r.compact(row, "AssociationStatus"),
        computer_name: opt_compact(row, "ComputerName"),
        ip_address: opt_compact(row, "IPAddress"),
    });
}

/// A row of the patch report CSV that names the node's agent and platform.
fn csv_node(ev: &mut Evidence, r: &Reader, row: &Node) {
    ev.nodes.push(ManagedNode {
        cite: r.cite(row),
        instance_id: compact(row, "InstanceId"),
        ping_status: None,
        agent_version: r.compact(row, "AgentVersion"),
        is_latest_version: None,
        platform_type: None,
        platform_name: opt_compact(row, "PlatformName"),
        platform_version: opt_compact(row, "PlatformVersion"),
        association_status: None,
        computer_name: None,
        ip_address: None,
    });
}

fn association_status(ev: &mut Evidence, r: &Reader, row: &Node) {
    let Some(status) = r.string(row, "Status") else { return };
    ev.association_statuses.push(InstanceAssociationStatus {
        cite: r.cite(row),
        association_id: text(row, "AssociationId"),
        document: text(row, "Name"),
        instance_id: text(row, "InstanceId"),
        status,
        detailed_status: opt_text(row, "DetailedStatus"),
        error_code: r.string(row, "ErrorCode").filter(|f| !f.value.is_empty()),
        execution_summary: r.string(row, "ExecutionSummary"),
    });
}

fn association(ev: &mut Evidence, r: &Reader, root: &Node, _: &Streamed) {
    let Some(row) = root.get("AssociationDescription") else { return };
    let overview = row.get("Overview");
    ev.associations.push(Association {
        cite: r.cite(row),
        association_id: text(row, "AssociationId"),
        document: text(row, "Name"),
        instance_id: opt_text(row, "InstanceId"),
        overview_status: overview.and_then(|o| r.string(o, "Status")),
        detailed_status: overview.and_then(|o| r.string(o, "DetailedStatus")),
        last_execution: row.get("LastExecutionDate").and_then(timestamp),
        last_successful_execution: row.get("LastSuccessfulExecutionDate").and_then(timestamp),
        sync_compliance: opt_text(row, "SyncCompliance"),
        aggregated: overview
            .and_then(|o| o.get("AssociationStatusAggregatedCount"))
            .map(|c| c.entries().iter().filter_map(|(k, v)| Some((k.to_string(), v.as_i64()?))).collect())
            .unwrap_or_default(),
    });
}

/// A row of describe-association-executions or describe-association-execution-targets.
fn association_run(ev: &mut Evidence, r: &Reader, row: &Node) {
    let Some(status) = r.string(row, "Status") else { return };
    let command_id = row
        .get("OutputSource")
        .filter(|s| text(s, "OutputSourceType") == "RunCommand")
        .and_then(|s| r.string(s, "OutputSourceId"));
    ev.association_runs.push(AssociationRun {
        cite: r.cite(row),
        association_id: text(row, "AssociationId"),
        execution_id: text(row, "ExecutionId"),
        resource_id: opt_text(row, "ResourceId"),
        status,
        command_id,
        resource_counts: resource_counts(&text(row, "ResourceCountByStatus")),
    });
}

fn command(ev: &mut Evidence, r: &Reader, row: &Node) {
    let ids = row
        .get("InstanceIds")
        .map(|ids| ids.as_array().iter().filter_map(Node::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    ev.push_command(r, InputKind::Commands, row, ids);
}

fn command_invocation(ev: &mut Evidence, r: &Reader, row: &Node) {
    let ids = opt_text(row, "InstanceId").into_iter().collect();
    ev.push_command(r, InputKind::CommandInvocations, row, ids);
}

fn command_invocation_document(ev: &mut Evidence, r: &Reader, root: &Node, _: &Streamed) {
    let ids = opt_text(root, "InstanceId").into_iter().collect();
    ev.push_command(r, InputKind::CommandInvocation, root, ids);
}

fn patch_baseline(ev: &mut Evidence, r: &Reader, root: &Node, _: &Streamed) {
    let rules = root.get("ApprovalRules").and_then(|a| a.get("PatchRules"));
    ev.baselines.push(PatchBaseline {
        cite: r.cite(root),
        baseline_id: text(root, "BaselineId"),
        name: text(root, "Name"),
        operating_system: text(root, "OperatingSystem"),
        rejected_patches: strings(root, "RejectedPatches"),
        rejected_patches_action: r.string(root, "RejectedPatchesAction"),
        compliance_levels: rules
            .map(|rs| rs.as_array().iter().filter_map(|rule| r.string(rule, "ComplianceLevel")).collect())
            .unwrap_or_default(),
        patch_groups: strings(root, "PatchGroups"),
        rules: rules
            .map(|rs| rs.as_array().iter().map(rule_summary).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default(),
        available_security_updates_status: r.string(root, "AvailableSecurityUpdatesComplianceStatus"),
    });
}

/// describe-patch-baselines: the default baseline of each operating system.
fn baseline_identity(ev: &mut Evidence, _: &Reader, row: &Node) {
    if row.get("DefaultBaseline").and_then(Node::as_bool) == Some(true) {
        ev.default_baselines.push((text(row, "BaselineId"), text(row, "OperatingSystem")));
    }
}

fn patch_group_mapping(ev: &mut Evidence, r: &Reader, row: &Node) {
    let identity = row.get("BaselineIdentity");
    ev.patch_group_mappings.push(PatchGroupMapping {
        cite: r.cite(row),
        patch_group: text(row, "PatchGroup"),
        baseline_id: identity.map(|i| text(i, "BaselineId")).unwrap_or_default(),
        operating_system: identity.map(|i| text(i, "OperatingSystem")).unwrap_or_default(),
    });
}

fn patch_group_state(ev: &mut Evidence, r: &Reader, root: &Node, _: &Streamed) {
    let counts = root
        .entries()
        .iter()
        .filter_map(|(k, v)| Some((k.to_string(), Field { value: v.as_i64()?, cite: r.cite(v) })))
        .collect();
    ev.patch_group_states.push(PatchGroupState { cite: r.cite(root), counts });
}

fn inventory(ev: &mut Evidence, r: &Reader, root: &Node, streamed: &Streamed) {
    ev.inventory.push(InventoryEntries {
        cite: r.cite(root),
        instance_id: text(root, "InstanceId"),
        type_name: text(root, "TypeName"),
        entries: list(root, "Entries").len() + streamed.rows("Entries"),
        capture_time: opt_text(root, "CaptureTime"),
    });
}

fn diagnostic(ev: &mut Evidence, r: &Reader, row: &Node) {
    ev.diagnostics.push(DiagnosticCheck {
        cite: r.cite(row),
        check: text(row, "Check"),
        status: text(row, "Status"),
        note: text(row, "Note"),
    });
}

fn compliance_event(ev: &mut Evidence, r: &Reader, root: &Node, _: &Streamed) {
    let Some(detail) = root.get("detail") else { return };
    let Some(status) = r.string(detail, "compliance-status") else { return };
    ev.compliance_events.push(ComplianceEvent {
        cite: r.cite(detail),
        resource_id: text(detail, "resource-id"),
        compliance_type: text(detail, "compliance-type"),
        status,
        severity: opt_text(detail, "severity"),
        baseline_id: opt_text(detail, "patch-baseline-id"),
    });
}

fn association_event(ev: &mut Evidence, r: &Reader, root: &Node, _: &Streamed) {
    let Some(detail) = root.get("detail") else { return };
    let Some(status) = r.string(detail, "status") else { return };
    ev.association_events.push(AssociationEvent {
        cite: r.cite(detail),
        association_id: text(detail, "association-id"),
        instance_id: opt_text(detail, "instance-id"),
        document: text(detail, "document-name"),
        status,
    });
}

/// A record of a raw trail file (`Records`).
fn trail_record(ev: &mut Evidence, r: &Reader, record: &Node) {
    ev.push_trail(r, record, None);
}

/// A `lookup-events` event: the record is a JSON string inside it, whose lines are not the
/// paste's, so its facts cite the event's line.
fn trail_lookup_event(ev: &mut Evidence, r: &Reader, event: &Node) {
    if let Some(embedded) = event.get("CloudTrailEvent").and_then(Node::as_str) {
        if let Ok(parsed) = crate::ingest::json::parse(embedded) {
            ev.push_trail(r, &parsed.root, Some(event.line));
        }
    }
}

/// A single record pasted on its own.
fn trail_single(ev: &mut Evidence, r: &Reader, root: &Node, _: &Streamed) {
    if root.get("eventName").is_some() {
        ev.push_trail(r, root, None);
    }
}

impl Evidence {
    fn push_trail(&mut self, r: &Reader, record: &Node, cite_line: Option<u32>) {
        let Some(name) = record.get("eventName").and_then(Node::as_str) else { return };
        let at = |node: &Node| Cite::new(r.input, cite_line.unwrap_or(node.line));
        let principal =
            record.get("userIdentity").and_then(|u| u.get("arn")).and_then(Node::as_str).map(str::to_string);
        // The role session name of a node's role is the node's id.
        let instance_id = principal
            .as_deref()
            .and_then(|arn| arn.rsplit('/').next())
            .and_then(crate::ids::InstanceId::parse)
            .map(String::from);
        self.trail_events.push(TrailEvent {
            cite: at(record),
            event_name: name.to_string(),
            error_code: record
                .get("errorCode")
                .and_then(|e| e.as_str().map(|s| Field { value: s.to_string(), cite: at(e) })),
            error_message: opt_text(record, "errorMessage"),
            principal,
            instance_id,
            time: record.get("eventTime").and_then(timestamp),
        });
    }

    fn push_command(&mut self, r: &Reader, source: InputKind, row: &Node, instance_ids: Vec<String>) {
        let Some(status) = r.string(row, "Status") else { return };
        let Some(document) = r.string(row, "DocumentName") else { return };
        let params = row.get("Parameters");
        let param = |name: &str| {
            params.and_then(|p| p.get(name)).and_then(|v| {
                let first = v.as_array().first().unwrap_or(v);
                first
                    .as_str()
                    .filter(|s| !s.is_empty())
                    .map(|s| Field { value: s.to_string(), cite: Cite::new(r.input, first.line) })
            })
        };
        let plugin = row.get("CommandPlugins").and_then(|p| p.as_array().first());
        self.command_runs.push(CommandRun {
            cite: r.cite(row),
            command_id: text(row, "CommandId"),
            document,
            instance_ids,
            status,
            status_details: opt_text(row, "StatusDetails"),
            operation: param("Operation"),
            reboot_option: param("RebootOption"),
            requested: row.get("RequestedDateTime").or_else(|| row.get("ExecutionStartDateTime")).and_then(timestamp),
            response_code: r.int(row, "ResponseCode").or_else(|| plugin.and_then(|p| r.int(p, "ResponseCode"))),
            elapsed: row.get("ExecutionElapsedTime").and_then(Node::as_str).and_then(time::parse_duration),
            plugin: opt_text(row, "PluginName").or_else(|| plugin.and_then(|p| opt_text(p, "Name"))),
            output: r
                .string(row, "StandardOutputContent")
                .or_else(|| plugin.and_then(|p| r.string(p, "Output")))
                .filter(|f| !f.value.is_empty()),
            error_output: r.string(row, "StandardErrorContent").filter(|f| !f.value.is_empty()),
            source,
        });
    }

    /// A time that is not a real date is said to be one, at its line.
    fn note_bad_time(&mut self, input: usize, key: &str, value: Option<&Field<Time>>) {
        if let Some(f) = value.filter(|f| f.value.epoch.is_none()) {
            let message = Message::new(Notice::BadTime).with("key", key).with("value", &f.value.text);
            self.notes.push((input, message.at_line(f.cite.line)));
        }
    }
}

/// `{Success=1, Failed=2}` → [("Success", 1), ("Failed", 2)].
fn resource_counts(text: &str) -> Vec<(String, i64)> {
    text.trim_matches(|c| c == '{' || c == '}' || char::is_whitespace(c))
        .split(',')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            Some((k.trim().to_string(), v.trim().parse().ok()?))
        })
        .collect()
}

/// `PRODUCT=WindowsServer2016, CLASSIFICATION=SecurityUpdates (after 7 days)`.
fn rule_summary(rule: &Node) -> String {
    let filters = rule.get("PatchFilterGroup").and_then(|g| g.get("PatchFilters")).map(Node::as_array).unwrap_or(&[]);
    let mut parts: Vec<String> =
        filters.iter().map(|f| format!("{}={}", text(f, "Key"), strings(f, "Values").join("|"))).collect();
    if let Some(days) = rule.get("ApproveAfterDays").and_then(Node::as_i64) {
        parts.push(format!("+{days}d"));
    }
    if let Some(date) = rule.get("ApproveUntilDate").and_then(Node::as_str) {
        parts.push(format!("until {date}"));
    }
    parts.join(", ")
}

pub(super) fn list<'r, 'a>(root: &'r Node<'a>, key: &str) -> &'r [Node<'a>] {
    root.get(key).map(Node::as_array).unwrap_or(&[])
}
fn text(node: &Node, key: &str) -> String {
    node.get(key).and_then(Node::as_str).unwrap_or("").to_string()
}
fn opt_text(node: &Node, key: &str) -> Option<String> {
    node.get(key).and_then(Node::as_str).filter(|s| !s.is_empty()).map(str::to_string)
}
/// Like [`text`] and [`opt_text`], inline up to 24 bytes: what a fleet holds for each node (an
/// id, a platform) allocates nothing.
fn compact(node: &Node, key: &str) -> CompactString {
    node.get(key).and_then(Node::as_str).unwrap_or("").into()
}
fn opt_compact(node: &Node, key: &str) -> Option<CompactString> {
    node.get(key).and_then(Node::as_str).filter(|s| !s.is_empty()).map(Into::into)
}
fn strings(node: &Node, key: &str) -> Vec<String> {
    node.get(key)
        .map(|l| l.as_array().iter().filter_map(Node::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_key_belongs_to_one_kind_row() {
        for kind in TABLE {
            let mut keys: Vec<&str> = kind.lists.iter().map(|(k, _)| *k).collect();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), kind.lists.len(), "{:?} lists a key twice", kind.kind);
        }
        let mut kinds: Vec<InputKind> = TABLE.iter().map(|k| k.kind).collect();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), TABLE.len(), "a kind is registered twice");
    }

    #[test]
    fn association_counts_are_read_from_their_string() {
        assert_eq!(resource_counts("{Success=1, Failed=2}"), [("Success".to_string(), 1), ("Failed".to_string(), 2)]);
    }
}
