//! Evidence: every typed fact read from the inputs, each with the line that proves it.
//! Built once from all inputs, so facts from different pastes can be correlated by id.

use std::sync::OnceLock;

use std::collections::HashMap;

use regex_lite::Regex;

use crate::ingest::json::{Node, Value};
use crate::ingest::{Body, Input, InputKind};
use crate::model::*;
use crate::time;

#[derive(Debug, Default)]
pub struct Evidence {
    pub patch_states: Vec<InstancePatchState>,
    pub patches: Vec<InstancePatch>,
    pub compliance_items: Vec<ComplianceItem>,
    pub resource_summaries: Vec<ResourceComplianceSummary>,
    pub compliance_summaries: Vec<ComplianceSummary>,
    pub nodes: Vec<ManagedNode>,
    pub association_status_lists: Vec<AssociationStatusList>,
    pub associations: Vec<Association>,
    pub association_runs: Vec<AssociationRun>,
    pub command_runs: Vec<CommandRun>,
    pub baselines: Vec<PatchBaseline>,
    pub compliance_events: Vec<ComplianceEvent>,
    pub diagnostics: Vec<DiagnosticCheck>,
    pub cli_commands: Vec<CliCommand>,
    pub trail_events: Vec<TrailEvent>,
    pub association_events: Vec<AssociationEvent>,
    pub log_events: Vec<LogEvent>,
    pub patch_group_mappings: Vec<PatchGroupMapping>,
    pub patch_group_states: Vec<PatchGroupState>,
    pub inventory: Vec<InventoryEntries>,
    /// Default baselines from `describe-patch-baselines` (id, OS).
    pub default_baselines: Vec<(String, String)>,
    /// Package-manager names seen in patch output text (dpkg, apt, yum, dnf, rpm, zypper).
    pub package_words: Vec<String>,
    pub text_blocks: Vec<TextBlock>,
    /// Lists that came back empty (a fact: e.g. no patch state was ever reported).
    pub empty_lists: Vec<(Cite, InputKind)>,
    /// Lists with a NextToken: only the first page was pasted.
    pub truncated_lists: Vec<(Cite, InputKind)>,
    /// Ids and context found anywhere in the inputs.
    pub context: Context,
    /// Notes about individual values (impossible dates, truncated output), by input.
    pub notes: Vec<(usize, String)>,
}

/// Ids pulled from anywhere they appear, with the first place each was seen.
#[derive(Debug, Default)]
pub struct Context {
    pub instance_ids: Vec<Field<String>>,
    pub regions: Vec<Field<String>>,
    pub accounts: Vec<Field<String>>,
    pub platform: Option<Platform>,
    /// Run Command ids named in free text (runbook links, payload lines, orchestration paths).
    pub command_ids: Vec<Field<String>>,
    /// Association ids named in agent logs (`[<id>.<timestamp>]`, `associationId=<id>`).
    pub association_ids: Vec<Field<String>>,
    /// Patch baseline ids (or baseline ARNs) named anywhere.
    pub baseline_ids: Vec<Field<String>>,
    /// Snapshot ids from the payload output (`snapshot ID: …`, `snapshot id = …`).
    pub snapshot_ids: Vec<Field<String>>,
    /// Patch groups named in the payload output (`patch group: …,`).
    pub patch_groups: Vec<Field<String>>,
    /// `yum` (also dnf), `apt`, `zypper` or `macos`, when the inputs tell.
    pub package_family: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Linux,
    Windows,
    MacOs,
}

impl Context {
    pub fn region(&self) -> Option<&str> {
        self.regions.first().map(|f| f.value.as_str())
    }
}

impl Evidence {
    pub fn collect(inputs: &[Input]) -> Evidence {
        let mut ev = Evidence::default();
        for (index, input) in inputs.iter().enumerate() {
            for part in &input.parts {
                match (&part.body, part.kind) {
                    (Body::Json { span: Some((start, _)), .. }, Some(kind)) => {
                        ev.read_streamed(index, kind, &input.text, *start, part.first_line)
                    }
                    (Body::Json { root, span: None }, Some(kind)) => ev.read_json(index, kind, root),
                    (Body::Json { .. }, None) => {}
                    (Body::Text { start, end }, kind) => {
                        let text = &input.text[*start..*end];
                        if let Some(kind) = kind {
                            ev.read_text(index, kind, part.first_line, text);
                            ev.read_log_events(index, kind, part.first_line, *start, text);
                        }
                        ev.note_package_words(text);
                        ev.text_blocks.push(TextBlock {
                            input: index,
                            kind,
                            first_line: part.first_line,
                            start: *start,
                            end: *end,
                        });
                    }
                }
            }
            ev.scan_ids(index, &input.text);
        }
        ev.infer_platform();
        ev
    }

    /// Reads a JSON document from the input text, taking the rows of its main list one at a
    /// time as they are parsed (a 500 MB fleet export never exists as a tree).
    fn read_streamed(&mut self, input: usize, kind: InputKind, text: &str, start: usize, line: u32) {
        let lists = main_lists(kind);
        let mut counts: HashMap<&'static str, usize> = HashMap::new();
        let parsed = crate::ingest::json::parse_streaming(text, start, line, &mut |key, row| {
            let Some(list) = lists.iter().find(|k| **k == key) else { return Some(row) };
            *counts.entry(list).or_default() += 1;
            if kind != InputKind::InventoryEntries {
                // Each row is read as a one-row list of the same output.
                let line = row.line;
                let one = Node {
                    line,
                    value: Value::Object(vec![(list.to_string(), Node { line, value: Value::Array(vec![row]) })]),
                };
                self.read_json_counted(input, kind, &one, None);
            }
            None
        });
        if let Ok(parsed) = parsed {
            self.read_json_counted(input, kind, &parsed.root, Some(&counts));
        }
    }

    fn read_json(&mut self, input: usize, kind: InputKind, root: &Node) {
        self.read_json_counted(input, kind, root, None);
    }

    /// `streamed`: how many rows of each main list were already read by [`Self::read_streamed`]
    /// (their lists are empty in `root`, which must not read as "the list was empty").
    fn read_json_counted(
        &mut self,
        input: usize,
        kind: InputKind,
        root: &Node,
        streamed: Option<&HashMap<&'static str, usize>>,
    ) {
        let streamed_rows =
            |key: &str| streamed.and_then(|c| c.iter().find(|(k, _)| **k == key).map(|(_, n)| *n)).unwrap_or(0);
        let r = Reader { input };
        if let Some(token) = root.get("NextToken").filter(|t| t.as_str().is_some_and(|s| !s.is_empty())) {
            self.truncated_lists.push((r.cite(token), kind));
        }
        if let Some((key, list)) =
            root.entries().iter().find(|(k, v)| k != "NextToken" && matches!(v.value, Value::Array(_)))
        {
            if list.as_array().is_empty() && streamed_rows(key) == 0 && root.entries().len() <= 2 {
                self.empty_lists.push((r.cite(list), kind));
            }
        }
        match kind {
            InputKind::InstancePatchStates => {
                for row in list(root, "InstancePatchStates") {
                    let Some(instance_id) = r.string(row, "InstanceId") else {
                        continue;
                    };
                    let counts = PatchState::ALL
                        .into_iter()
                        .filter_map(|state| r.int(row, state.count_key()).map(|f| (state, f)))
                        .collect();
                    let operation_end = r.time(row, "OperationEndTime");
                    self.note_bad_time(input, "OperationEndTime", &operation_end);
                    let start = r.time(row, "OperationStartTime");
                    self.note_bad_time(input, "OperationStartTime", &start);
                    self.patch_states.push(InstancePatchState {
                        cite: r.cite(row),
                        instance_id,
                        patch_group: r.string(row, "PatchGroup"),
                        baseline_id: r
                            .string(row, "BaselineId")
                            .map(|f| Field { value: f.value.trim().to_string(), ..f }),
                        operation: r.string(row, "Operation"),
                        reboot_option: r.string(row, "RebootOption"),
                        operation_end,
                        last_no_reboot_install: r.time(row, "LastNoRebootInstallOperationTime"),
                        install_override_list: r.string(row, "InstallOverrideList").filter(|f| !f.value.is_empty()),
                        counts,
                        critical_non_compliant: r.int(row, "CriticalNonCompliantCount"),
                    });
                }
            }
            InputKind::InstancePatches => {
                for row in list(root, "Patches") {
                    let state_text = text(row, "State");
                    self.patches.push(InstancePatch {
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
            }
            InputKind::ComplianceItems => {
                for row in list(root, "ComplianceItems") {
                    let Some(status) = r.string(row, "Status") else {
                        continue;
                    };
                    let details = row.get("Details");
                    self.compliance_items.push(ComplianceItem {
                        cite: r.cite(row),
                        compliance_type: text(row, "ComplianceType"),
                        resource_id: text(row, "ResourceId"),
                        id: text(row, "Id"),
                        title: text(row, "Title"),
                        status,
                        severity: text(row, "Severity"),
                        document_name: details
                            .and_then(|d| r.string(d, "DocumentName"))
                            .filter(|f| !f.value.is_empty()),
                        patch_baseline_id: details.map(|d| text(d, "PatchBaselineId")).filter(|s| !s.is_empty()),
                        patch_state: details.and_then(|d| PatchState::parse(&text(d, "PatchState"))),
                    });
                }
            }
            InputKind::ResourceComplianceSummaries => {
                for row in list(root, "ResourceComplianceSummaryItems") {
                    let Some(status) = r.string(row, "Status") else {
                        continue;
                    };
                    self.resource_summaries.push(ResourceComplianceSummary {
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
            }
            InputKind::ComplianceSummaries => {
                for row in list(root, "ComplianceSummaryItems") {
                    let nc = row.get("NonCompliantSummary");
                    let Some(non_compliant) = nc.and_then(|n| r.int(n, "NonCompliantCount")) else {
                        continue;
                    };
                    self.compliance_summaries.push(ComplianceSummary {
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
            }
            InputKind::InstanceInformation => {
                for row in list(root, "InstanceInformationList") {
                    self.nodes.push(ManagedNode {
                        cite: r.cite(row),
                        instance_id: text(row, "InstanceId"),
                        ping_status: r.string(row, "PingStatus"),
                        agent_version: r.string(row, "AgentVersion"),
                        is_latest_version: row.get("IsLatestVersion").and_then(Node::as_bool),
                        platform_type: opt_text(row, "PlatformType"),
                        platform_name: opt_text(row, "PlatformName"),
                        platform_version: opt_text(row, "PlatformVersion"),
                        association_status: r.string(row, "AssociationStatus"),
                    });
                }
            }
            InputKind::InstanceAssociationsStatus => {
                let rows: Vec<InstanceAssociationStatus> = list(root, "InstanceAssociationStatusInfos")
                    .iter()
                    .filter_map(|row| {
                        Some(InstanceAssociationStatus {
                            cite: r.cite(row),
                            association_id: text(row, "AssociationId"),
                            document: text(row, "Name"),
                            instance_id: text(row, "InstanceId"),
                            status: r.string(row, "Status")?,
                            error_code: r.string(row, "ErrorCode").filter(|f| !f.value.is_empty()),
                            execution_summary: r.string(row, "ExecutionSummary"),
                        })
                    })
                    .collect();
                let cite = root.get("InstanceAssociationStatusInfos").map_or(r.cite(root), |n| r.cite(n));
                if !(rows.is_empty() && streamed_rows("InstanceAssociationStatusInfos") > 0) {
                    self.association_status_lists.push(AssociationStatusList { cite, rows });
                }
            }
            InputKind::AssociationDescription => {
                if let Some(row) = root.get("AssociationDescription") {
                    let overview = row.get("Overview");
                    self.associations.push(Association {
                        cite: r.cite(row),
                        association_id: text(row, "AssociationId"),
                        document: text(row, "Name"),
                        instance_id: opt_text(row, "InstanceId"),
                        overview_status: overview.and_then(|o| r.string(o, "Status")),
                        detailed_status: overview.and_then(|o| r.string(o, "DetailedStatus")),
                        last_execution: row.get("LastExecutionDate").and_then(time::from_node),
                        last_successful_execution: row.get("LastSuccessfulExecutionDate").and_then(time::from_node),
                        sync_compliance: opt_text(row, "SyncCompliance"),
                        aggregated: overview
                            .and_then(|o| o.get("AssociationStatusAggregatedCount"))
                            .map(|c| c.entries().iter().filter_map(|(k, v)| Some((k.clone(), v.as_i64()?))).collect())
                            .unwrap_or_default(),
                    });
                }
            }
            InputKind::AssociationExecutions | InputKind::AssociationExecutionTargets => {
                let key = if kind == InputKind::AssociationExecutions {
                    "AssociationExecutions"
                } else {
                    "AssociationExecutionTargets"
                };
                for row in list(root, key) {
                    let Some(status) = r.string(row, "Status") else {
                        continue;
                    };
                    let source = row.get("OutputSource");
                    let command_id = source
                        .filter(|s| text(s, "OutputSourceType") == "RunCommand")
                        .and_then(|s| r.string(s, "OutputSourceId"));
                    self.association_runs.push(AssociationRun {
                        cite: r.cite(row),
                        association_id: text(row, "AssociationId"),
                        execution_id: text(row, "ExecutionId"),
                        resource_id: opt_text(row, "ResourceId"),
                        status,
                        command_id,
                        resource_counts: resource_counts(&text(row, "ResourceCountByStatus")),
                    });
                }
            }
            InputKind::Commands => {
                for row in list(root, "Commands") {
                    self.push_command(
                        &r,
                        kind,
                        row,
                        row.get("InstanceIds")
                            .map(|ids| ids.as_array().iter().filter_map(Node::as_str).map(str::to_string).collect())
                            .unwrap_or_default(),
                    );
                }
            }
            InputKind::CommandInvocations => {
                for row in list(root, "CommandInvocations") {
                    let ids = opt_text(row, "InstanceId").into_iter().collect();
                    self.push_command(&r, kind, row, ids);
                }
            }
            InputKind::CommandInvocation => {
                let ids = opt_text(root, "InstanceId").into_iter().collect();
                self.push_command(&r, kind, root, ids);
            }
            InputKind::PatchBaseline => {
                let rules = root.get("ApprovalRules").and_then(|a| a.get("PatchRules"));
                self.baselines.push(PatchBaseline {
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
                });
            }
            InputKind::EventBridgeComplianceEvent => {
                if let Some(detail) = root.get("detail") {
                    if let Some(status) = r.string(detail, "compliance-status") {
                        self.compliance_events.push(ComplianceEvent {
                            cite: r.cite(detail),
                            resource_id: text(detail, "resource-id"),
                            compliance_type: text(detail, "compliance-type"),
                            status,
                            severity: opt_text(detail, "severity"),
                            baseline_id: opt_text(detail, "patch-baseline-id"),
                        });
                    }
                }
            }
            InputKind::CloudTrailRecords => self.read_trail(&r, root),
            InputKind::PatchReportCsv => {
                // The CSV reader produced the shapes of these outputs.
                self.read_json(input, InputKind::ResourceComplianceSummaries, root);
                self.read_json(input, InputKind::InstancePatches, root);
                for row in list(root, "CsvNodes") {
                    self.nodes.push(ManagedNode {
                        cite: r.cite(row),
                        instance_id: text(row, "InstanceId"),
                        ping_status: None,
                        agent_version: r.string(row, "AgentVersion"),
                        is_latest_version: None,
                        platform_type: None,
                        platform_name: opt_text(row, "PlatformName"),
                        platform_version: opt_text(row, "PlatformVersion"),
                        association_status: None,
                    });
                }
            }
            InputKind::PatchGroups => {
                for row in list(root, "Mappings") {
                    let identity = row.get("BaselineIdentity");
                    self.patch_group_mappings.push(PatchGroupMapping {
                        cite: r.cite(row),
                        patch_group: text(row, "PatchGroup"),
                        baseline_id: identity.map(|i| text(i, "BaselineId")).unwrap_or_default(),
                        operating_system: identity.map(|i| text(i, "OperatingSystem")).unwrap_or_default(),
                    });
                }
            }
            InputKind::PatchBaselines => {
                for row in list(root, "BaselineIdentities") {
                    if row.get("DefaultBaseline").and_then(Node::as_bool) == Some(true) {
                        self.default_baselines.push((text(row, "BaselineId"), text(row, "OperatingSystem")));
                    }
                }
            }
            InputKind::PatchGroupState => {
                let counts = root
                    .entries()
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), Field { value: v.as_i64()?, cite: r.cite(v) })))
                    .collect();
                self.patch_group_states.push(PatchGroupState { cite: r.cite(root), counts });
            }
            InputKind::InventoryEntries => {
                self.inventory.push(InventoryEntries {
                    cite: r.cite(root),
                    instance_id: text(root, "InstanceId"),
                    type_name: text(root, "TypeName"),
                    entries: list(root, "Entries").len() + streamed_rows("Entries"),
                    capture_time: opt_text(root, "CaptureTime"),
                });
            }
            InputKind::EventBridgeAssociationEvent => {
                if let Some(detail) = root.get("detail") {
                    if let Some(status) = r.string(detail, "status") {
                        self.association_events.push(AssociationEvent {
                            cite: r.cite(detail),
                            association_id: text(detail, "association-id"),
                            instance_id: opt_text(detail, "instance-id"),
                            document: text(detail, "document-name"),
                            status,
                        });
                    }
                }
            }
            InputKind::SsmCliDiagnostics => {
                for row in list(root, "DiagnosticsOutput") {
                    self.diagnostics.push(DiagnosticCheck {
                        cite: r.cite(row),
                        check: text(row, "Check"),
                        status: text(row, "Status"),
                        note: text(row, "Note"),
                    });
                }
            }
            _ => {}
        }
    }

    /// Raw trail files (`Records`), `lookup-events` (`Events` with an embedded JSON string),
    /// or a single record.
    fn read_trail(&mut self, r: &Reader, root: &Node) {
        let mut push = |record: &Node, cite_line: Option<u32>| {
            let Some(name) = record.get("eventName").and_then(Node::as_str) else { return };
            let at = |node: &Node| Cite { input: r.input, line: cite_line.unwrap_or(node.line) };
            let principal =
                record.get("userIdentity").and_then(|u| u.get("arn")).and_then(Node::as_str).map(str::to_string);
            let instance_id = principal
                .as_deref()
                .and_then(|arn| arn.rsplit('/').next())
                .filter(|s| (s.starts_with("i-") || s.starts_with("mi-")) && s.len() >= 10)
                .map(str::to_string);
            self.trail_events.push(TrailEvent {
                cite: at(record),
                event_name: name.to_string(),
                error_code: record
                    .get("errorCode")
                    .and_then(|e| e.as_str().map(|s| Field { value: s.to_string(), cite: at(e) })),
                error_message: opt_text(record, "errorMessage"),
                principal,
                instance_id,
                time: record.get("eventTime").and_then(time::from_node),
            });
        };
        if root.get("eventName").is_some() {
            push(root, None);
        }
        for record in list(root, "Records") {
            push(record, None);
        }
        for event in list(root, "Events") {
            // lookup-events wraps each record as a JSON string; its lines are not the paste's.
            if let Some(embedded) = event.get("CloudTrailEvent").and_then(Node::as_str) {
                if let Ok(parsed) = crate::ingest::json::parse(embedded) {
                    push(&parsed.root, Some(event.line));
                }
            }
        }
    }

    fn push_command(&mut self, r: &Reader, source: InputKind, row: &Node, instance_ids: Vec<String>) {
        let Some(status) = r.string(row, "Status") else {
            return;
        };
        let Some(document) = r.string(row, "DocumentName") else {
            return;
        };
        let params = row.get("Parameters");
        let param = |name: &str| {
            params.and_then(|p| p.get(name)).and_then(|v| {
                let first = v.as_array().first().unwrap_or(v);
                first
                    .as_str()
                    .filter(|s| !s.is_empty())
                    .map(|s| Field { value: s.to_string(), cite: Cite { input: r.input, line: first.line } })
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
            requested: row
                .get("RequestedDateTime")
                .or_else(|| row.get("ExecutionStartDateTime"))
                .and_then(time::from_node),
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

    fn read_text(&mut self, input: usize, kind: InputKind, first_line: u32, text: &str) {
        match kind {
            InputKind::CliCommand => {
                if let Some(command) = parse_cli(text, Cite { input, line: first_line }) {
                    self.cli_commands.push(command);
                }
            }
            InputKind::SsmCliDiagnostics => self.read_diagnostics_table(input, first_line, text),
            _ => {}
        }
    }

    /// Box-drawn `ssm-cli get-diagnostics --output table`: rows continue over several lines.
    fn read_diagnostics_table(&mut self, input: usize, first_line: u32, text: &str) {
        let mut current: Option<DiagnosticCheck> = None;
        for (i, line) in text.lines().enumerate() {
            let cells: Vec<&str> = line.split(['│', '|']).collect();
            if cells.len() < 5 {
                if let Some(done) = current.take() {
                    self.diagnostics.push(done);
                }
                continue;
            }
            let (check, status, note) = (cells[1].trim(), cells[2].trim(), cells[3].trim());
            if check == "Check" && status == "Status" {
                continue;
            }
            match (&mut current, check.is_empty()) {
                (Some(row), true) => {
                    row.note.push(' ');
                    row.note.push_str(note);
                }
                _ => {
                    if let Some(done) = current.take() {
                        self.diagnostics.push(done);
                    }
                    current = Some(DiagnosticCheck {
                        cite: Cite { input, line: first_line + i as u32 },
                        check: check.to_string(),
                        status: status.to_string(),
                        note: note.to_string(),
                    });
                }
            }
        }
        if let Some(done) = current {
            self.diagnostics.push(done);
        }
    }

    /// Agent log (`2024-01-01 10:00:00[.0000] ERROR msg`), payload output
    /// (`07/07/2022 15:52:29 root [ERROR]: msg`) and Windows events (`Level : Error`) as typed
    /// events.
    fn read_log_events(&mut self, input: usize, kind: InputKind, first_line: u32, offset: usize, text: &str) {
        let logs = [
            InputKind::AgentLog,
            InputKind::PatchLinuxOutput,
            InputKind::PatchWindowsOutput,
            InputKind::WindowsServiceEvents,
        ];
        if !logs.contains(&kind) {
            return;
        }
        let mut at = 0usize;
        for (i, line) in text.split('\n').enumerate() {
            let (start, end) = (offset + at, offset + at + line.len());
            at += line.len() + 1;
            let Some((time, level)) = log_prefix(line) else { continue };
            if self.log_events.len() >= 1_000_000 {
                break;
            }
            self.log_events.push(LogEvent {
                cite: Cite { input, line: first_line + i as u32 },
                time,
                level,
                start,
                end,
            });
        }
    }

    fn note_package_words(&mut self, text: &str) {
        for word in ["dpkg", "apt-get", "apt.cache", "Apt requires", "yum", "dnf", "rpm -", "zypper"] {
            if !self.package_words.iter().any(|w| w == word) && text.contains(word) {
                self.package_words.push(word.to_ascii_lowercase());
            }
        }
    }

    fn note_bad_time(&mut self, input: usize, key: &str, value: &Option<Field<Timestamp>>) {
        if let Some(f) = value {
            if f.value.epoch.is_none() {
                self.notes.push((
                    input,
                    format!("line {}: {key} `{}` is not a real date; it was kept as text", f.cite.line, f.value.text),
                ));
            }
        }
    }

    /// Instance ids, regions and accounts from anywhere in the text (ARNs, endpoints, S3 URLs,
    /// runbook links, host names).
    fn scan_ids(&mut self, input: usize, text: &str) {
        static RE: OnceLock<[Regex; 3]> = OnceLock::new();
        let [instance, region, account] = RE.get_or_init(|| {
            [
                Regex::new(r"\b(?:i-[0-9a-zA-Z]{17}|i-[0-9a-f]{8}|mi-[0-9a-zA-Z]{17})\b").expect("instance re"),
                Regex::new(r"\b((?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest|isob-east|iso-east|iso-west)-\d)\b").expect("region re"),
                Regex::new(r"arn:aws[\w-]*:[\w-]+:[\w-]*:(\d{12}):").expect("account re"),
            ]
        });
        // Matches come in order, so line numbers are counted incrementally: linear overall.
        let mut counter = LineCounter::default();
        let mut seen: std::collections::HashSet<&str> =
            self.context.instance_ids.iter().map(|f| f.value.as_str()).collect();
        let mut found = Vec::new();
        for (start, end) in crate::prefilter::lines_containing(text, &["i-".to_string()]) {
            for m in instance.find_iter(&text[start..end]) {
                if seen.insert(m.as_str()) {
                    let line = counter.line_at(text, start + m.start());
                    found.push(Field { value: m.as_str().to_string(), cite: Cite { input, line } });
                }
            }
        }
        drop(seen);
        self.context.instance_ids.extend(found);
        let mut counter = LineCounter::default();
        let region_words: Vec<String> =
            ["north", "south", "east", "west", "central"].iter().map(|w| format!("{w}-")).collect();
        for (start, end) in crate::prefilter::lines_containing(text, &region_words) {
            for c in region.captures_iter(&text[start..end]).take(100) {
                let m = c.get(1).expect("group");
                if !self.context.regions.iter().any(|f| f.value == m.as_str()) {
                    let line = counter.line_at(text, start + m.start());
                    self.context.regions.push(Field { value: m.as_str().to_string(), cite: Cite { input, line } });
                }
            }
        }
        self.scan_text_ids(input, text);
        let mut counter = LineCounter::default();
        for (start, end) in crate::prefilter::lines_containing(text, &["arn:aws".to_string()]) {
            for c in account.captures_iter(&text[start..end]).take(100) {
                let m = c.get(1).expect("group");
                if !self.context.accounts.iter().any(|f| f.value == m.as_str()) {
                    let line = counter.line_at(text, start + m.start());
                    self.context.accounts.push(Field { value: m.as_str().to_string(), cite: Cite { input, line } });
                }
            }
        }
    }

    /// The node's package-manager family, from what the agent reports, the baseline's OS, or the
    /// package manager named in the logs.
    /// Command, association and baseline ids in free text: the runbook link newer payloads print
    /// (`RunCommandId=<id>`), `execution id: <id>` from the payload summary, orchestration paths
    /// (`/orchestration/<id>/` is a command; `[<id>.<timestamp>]` is an association run).
    fn scan_text_ids(&mut self, input: usize, text: &str) {
        static RE: OnceLock<[Regex; 5]> = OnceLock::new();
        let [command, association, baseline, snapshot, group] = RE.get_or_init(|| {
            let uuid = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-zA-Z]{12}";
            [
                Regex::new(&format!(r"(?:RunCommandId=|execution id: |orchestration[\\/])({uuid})[\\/&\s]"))
                    .expect("command re"),
                Regex::new(&format!(r"(?:\[|associationId=)({uuid})(?:\.\d{{4}}-|\])")).expect("association re"),
                Regex::new(
                    r"\b(arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:patchbaseline/pb-[0-9a-fA-F]{17}|pb-[0-9a-fA-F]{17})\b",
                )
                .expect("baseline re"),
                Regex::new(r"(?i)snapshot id(?::| =) *([0-9a-zA-Z-]{8,64})").expect("snapshot re"),
                Regex::new(r"patch group: ([^,\s][^,]{0,127}),").expect("group re"),
            ]
        });
        let literals = [
            "RunCommandId=",
            "execution id: ",
            "orchestration",
            "associationId=",
            "pb-",
            "napshot id",
            "patch group: ",
        ]
        .map(String::from);
        let mut counter = LineCounter::default();
        for (start, end) in crate::prefilter::lines_containing(text, &literals) {
            let line = &text[start..end];
            for (re, list) in [(command, 0), (association, 1), (baseline, 2), (snapshot, 3), (group, 4)] {
                for c in re.captures_iter(line).take(20) {
                    let m = c.get(1).expect("group");
                    let target = match list {
                        0 => &mut self.context.command_ids,
                        1 => &mut self.context.association_ids,
                        2 => &mut self.context.baseline_ids,
                        3 => &mut self.context.snapshot_ids,
                        _ => &mut self.context.patch_groups,
                    };
                    if !target.iter().any(|f| f.value == m.as_str()) && target.len() < 1000 {
                        let cite = Cite { input, line: counter.line_at(text, start + m.start()) };
                        target.push(Field { value: m.as_str().to_string(), cite });
                    }
                }
            }
        }
    }

    fn infer_family(&self) -> Option<&'static str> {
        let by_name = |name: &str| {
            let n = name.to_ascii_lowercase();
            if ["ubuntu", "debian", "raspbian"].iter().any(|d| n.contains(d)) {
                Some("apt")
            } else if n.contains("suse") || n.contains("sles") {
                Some("zypper")
            } else if n.contains("mac") {
                Some("macos")
            } else if ["amazon", "red hat", "redhat", "rhel", "centos", "rocky", "alma", "oracle"]
                .iter()
                .any(|d| n.contains(d))
            {
                Some("yum")
            } else {
                None
            }
        };
        if self.context.platform == Some(Platform::Windows) {
            return None;
        }
        self.nodes
            .iter()
            .find_map(|n| n.platform_name.as_deref().and_then(by_name))
            .or_else(|| self.baselines.iter().find_map(|b| by_name(&b.operating_system.replace('_', " "))))
            .or_else(|| {
                let words = self.text_words();
                if words.iter().any(|w| w.contains("dpkg") || w.contains("apt")) {
                    Some("apt")
                } else if words.iter().any(|w| w.contains("zypper")) {
                    Some("zypper")
                } else if words.iter().any(|w| w.contains("yum") || w.contains("dnf") || w.contains("rpm")) {
                    Some("yum")
                } else {
                    None
                }
            })
    }

    /// Package-manager words seen in patch outputs (cheap: only the first lines of each block).
    fn text_words(&self) -> Vec<String> {
        self.package_words.clone()
    }

    fn infer_platform(&mut self) {
        let from_nodes =
            self.nodes.iter().find_map(|n| n.platform_type.as_deref()).map(|p| match p.to_ascii_lowercase().as_str() {
                "windows" => Platform::Windows,
                "macos" => Platform::MacOs,
                _ => Platform::Linux,
            });
        let from_text = || {
            let kinds: Vec<InputKind> = self.text_blocks.iter().filter_map(|b| b.kind).collect();
            if kinds.contains(&InputKind::PatchWindowsOutput) || kinds.contains(&InputKind::WindowsServiceEvents) {
                Some(Platform::Windows)
            } else if kinds.contains(&InputKind::PatchLinuxOutput) {
                Some(Platform::Linux)
            } else if self.baselines.iter().any(|b| b.operating_system == "WINDOWS")
                || self.patches.iter().any(|p| p.kb_id.starts_with("KB"))
            {
                Some(Platform::Windows)
            } else {
                None
            }
        };
        self.context.platform = from_nodes.or_else(from_text);
        self.context.package_family = self.infer_family();
    }
}

struct Reader {
    input: usize,
}

/// 1-based line numbers for increasing byte offsets, counting each newline once.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: u32,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, offset: usize) -> u32 {
        if offset < self.offset {
            *self = LineCounter::default();
        }
        self.line += text[self.offset..offset].bytes().filter(|b| *b == b'\n').count() as u32;
        self.offset = offset;
        self.line + 1
    }
}

impl Reader {
    fn cite(&self, node: &Node) -> Cite {
        Cite { input: self.input, line: node.line }
    }
    fn string(&self, node: &Node, key: &str) -> Option<Field<String>> {
        let v = node.get(key)?;
        v.as_str().map(|s| Field { value: s.to_string(), cite: self.cite(v) })
    }
    fn int(&self, node: &Node, key: &str) -> Option<Field<i64>> {
        let v = node.get(key)?;
        v.as_i64().map(|n| Field { value: n, cite: self.cite(v) })
    }
    fn time(&self, node: &Node, key: &str) -> Option<Field<Timestamp>> {
        let v = node.get(key)?;
        time::from_node(v).map(|t| Field { value: t, cite: self.cite(v) })
    }
}

/// The time and level of a log line, in the agent's or the patch payload's format.
fn log_prefix(line: &str) -> Option<(Option<f64>, LogLevel)> {
    let level_of = |word: &str| match word.trim_matches(|c| c == '[' || c == ']' || c == ':') {
        "DEBUG" | "TRACE" => Some(LogLevel::Debug),
        "INFO" => Some(LogLevel::Info),
        "WARN" | "WARNING" => Some(LogLevel::Warning),
        "ERROR" | "CRITICAL" => Some(LogLevel::Error),
        _ => None,
    };
    let b = line.as_bytes();
    if b.len() > 20 && b[4] == b'-' && b[7] == b'-' && b[10] == b' ' && b[13] == b':' {
        // 2024-01-01 10:00:00[.0000] LEVEL msg
        let mut words = line.splitn(4, ' ');
        let (date, clock, level) = (words.next()?, words.next()?, words.next()?);
        let time = time::parse_iso(&format!("{date}T{}Z", clock.split(['.', ',']).next()?));
        return Some((time, level_of(level)?));
    }
    if b.len() > 20 && b[2] == b'/' && b[5] == b'/' && b[10] == b' ' {
        // 07/07/2022 15:52:29 root [ERROR]: msg
        let mut words = line.splitn(5, ' ');
        let (date, clock, _logger, level) = (words.next()?, words.next()?, words.next()?, words.next()?);
        let (m, rest) = date.split_once('/')?;
        let (d, y) = rest.split_once('/')?;
        let time = time::parse_iso(&format!("{y}-{m}-{d}T{clock}Z"));
        return Some((time, level_of(level)?));
    }
    let trimmed = line.trim_start();
    let level = trimmed.strip_prefix("LevelDisplayName").or_else(|| trimmed.strip_prefix("Level"));
    if let Some(level) = level.map(|r| r.trim_start_matches([' ', ':']).trim()) {
        // Get-WinEvent | Format-List: "Level : Error"
        return match level {
            "Error" | "Critical" | "2" | "1" => Some((None, LogLevel::Error)),
            "Warning" | "3" => Some((None, LogLevel::Warning)),
            _ => None,
        };
    }
    None
}

/// The top-level lists that hold a kind's rows (streamed one row at a time).
fn main_lists(kind: InputKind) -> &'static [&'static str] {
    use InputKind::*;
    match kind {
        InstancePatchStates => &["InstancePatchStates"],
        InstancePatches | AvailablePatches => &["Patches"],
        ComplianceItems => &["ComplianceItems"],
        ResourceComplianceSummaries => &["ResourceComplianceSummaryItems"],
        ComplianceSummaries => &["ComplianceSummaryItems"],
        InstanceInformation => &["InstanceInformationList"],
        InstanceAssociationsStatus => &["InstanceAssociationStatusInfos"],
        AssociationExecutions => &["AssociationExecutions"],
        AssociationExecutionTargets => &["AssociationExecutionTargets"],
        CommandInvocations => &["CommandInvocations"],
        Commands => &["Commands"],
        PatchBaselines => &["BaselineIdentities"],
        PatchGroups => &["Mappings"],
        CloudTrailRecords => &["Records", "Events"],
        SsmCliDiagnostics => &["DiagnosticsOutput"],
        InventoryEntries => &["Entries"],
        _ => &[],
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

fn list<'a>(root: &'a Node, key: &str) -> &'a [Node] {
    root.get(key).map(Node::as_array).unwrap_or(&[])
}
fn text(node: &Node, key: &str) -> String {
    node.get(key).and_then(Node::as_str).unwrap_or("").to_string()
}
fn opt_text(node: &Node, key: &str) -> Option<String> {
    node.get(key).and_then(Node::as_str).filter(|s| !s.is_empty()).map(str::to_string)
}
fn strings(node: &Node, key: &str) -> Vec<String> {
    node.get(key)
        .map(|l| l.as_array().iter().filter_map(Node::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

/// Parses `aws ssm put-compliance-items --resource-id i-... --items Id=...` (continuations and
/// quotes included) into service, operation and options.
pub fn parse_cli(text: &str, cite: Cite) -> Option<CliCommand> {
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
            (name.clone(), Cite { input: cite.input, line: cite.line + text[..offset].matches('\n').count() as u32 })
        })
        .collect();
    Some(CliCommand { cite, service, operation, options, option_lines })
}

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
