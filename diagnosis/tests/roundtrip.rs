//! Property tests: any CLI-valid output reads back into the same evidence, in JSON (CLI v1 epoch
//! or v2 ISO timestamps, any indentation) and in `--output text`; arbitrary bytes never panic.

use diagnosis::evidence::Evidence;
use diagnosis::ingest;
use diagnosis::model::PatchState;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct State {
    instance: String,
    group: String,
    baseline: String,
    counts: [i64; 6], // Installed, InstalledOther, PendingReboot, Rejected, Missing, Failed
    not_applicable: i64,
    operation: &'static str,
    reboot: Option<&'static str>,
    end_epoch: i64,
}

fn state() -> impl Strategy<Value = State> {
    (
        "[0-9a-f]{17}",
        "[A-Za-z][A-Za-z0-9 _-]{0,12}",
        "[0-9a-f]{17}",
        prop::array::uniform6(0i64..5000),
        0i64..9000,
        prop::sample::select(vec!["Scan", "Install"]),
        prop::option::of(prop::sample::select(vec!["RebootIfNeeded", "NoReboot"])),
        1_500_000_000i64..1_800_000_000,
    )
        .prop_map(|(id, group, baseline, counts, na, operation, reboot, end_epoch)| State {
            instance: format!("i-{id}"),
            group,
            baseline: format!("pb-{baseline}"),
            counts,
            not_applicable: na,
            operation,
            reboot,
            end_epoch,
        })
}

const COUNT_KEYS: [&str; 6] = [
    "InstalledCount",
    "InstalledOtherCount",
    "InstalledPendingRebootCount",
    "InstalledRejectedCount",
    "MissingCount",
    "FailedCount",
];

fn iso(epoch: i64) -> String {
    diagnosis::time::format_epoch(epoch as f64).replace('Z', "+00:00")
}

/// JSON as the CLI prints it; v1 uses epoch floats for timestamps, v2 ISO strings.
fn to_json(states: &[State], v1: bool, indent: usize) -> String {
    let items: Vec<serde_json::Value> = states
        .iter()
        .map(|s| {
            let mut m = serde_json::Map::new();
            m.insert("InstanceId".into(), s.instance.clone().into());
            m.insert("PatchGroup".into(), s.group.clone().into());
            m.insert("BaselineId".into(), s.baseline.clone().into());
            for (k, v) in COUNT_KEYS.iter().zip(s.counts) {
                m.insert((*k).into(), v.into());
            }
            m.insert("NotApplicableCount".into(), s.not_applicable.into());
            let t = |e: i64| if v1 { serde_json::json!(e as f64 + 0.25) } else { serde_json::json!(iso(e)) };
            m.insert("OperationStartTime".into(), t(s.end_epoch - 60));
            m.insert("OperationEndTime".into(), t(s.end_epoch));
            m.insert("Operation".into(), s.operation.into());
            if let Some(r) = s.reboot {
                m.insert("RebootOption".into(), r.into());
            }
            serde_json::Value::Object(m)
        })
        .collect();
    let doc = serde_json::json!({ "InstancePatchStates": items });
    let pretty = serde_json::to_string_pretty(&doc).unwrap();
    // serde_json indents by 2; re-indent to show the reader does not care.
    pretty
        .lines()
        .map(|l| {
            let depth = (l.len() - l.trim_start().len()) / 2;
            format!("{}{}", " ".repeat(depth * indent), l.trim_start())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `--output text` as awscli/text.py prints it: the union of scalar keys, sorted, tab-separated.
fn to_text(states: &[State]) -> String {
    let any_reboot = states.iter().any(|s| s.reboot.is_some());
    states
        .iter()
        .map(|s| {
            let mut cols: Vec<(&str, String)> = vec![
                ("BaselineId", s.baseline.clone()),
                ("InstanceId", s.instance.clone()),
                ("NotApplicableCount", s.not_applicable.to_string()),
                ("Operation", s.operation.to_string()),
                ("OperationEndTime", iso(s.end_epoch)),
                ("OperationStartTime", iso(s.end_epoch - 60)),
                ("PatchGroup", s.group.clone()),
            ];
            cols.extend(COUNT_KEYS.iter().zip(s.counts).map(|(k, v)| (*k, v.to_string())));
            if any_reboot {
                cols.push(("RebootOption", s.reboot.map_or("None".to_string(), str::to_string)));
            }
            cols.sort_by(|a, b| a.0.cmp(b.0));
            let values: Vec<String> = cols.into_iter().map(|(_, v)| v).collect();
            format!("INSTANCEPATCHSTATES\t{}", values.join("\t"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn read(text: &str) -> Evidence {
    let input = ingest::read("gen", text.as_bytes());
    assert_eq!(input.kind().name(), "instance-patch-states", "{:?}", input.messages);
    Evidence::collect(&[input])
}

fn assert_same(states: &[State], ev: &Evidence) {
    assert_eq!(ev.patch_states.len(), states.len());
    for (s, e) in states.iter().zip(ev.patch_states.iter()) {
        assert_eq!(e.instance_id().value, s.instance);
        assert_eq!(e.baseline_id().unwrap().value, s.baseline);
        let states = [
            PatchState::Installed,
            PatchState::InstalledOther,
            PatchState::InstalledPendingReboot,
            PatchState::InstalledRejected,
            PatchState::Missing,
            PatchState::Failed,
        ];
        for (state, want) in states.iter().zip(s.counts) {
            assert_eq!(e.count(*state).map(|c| c.value), Some(want), "{state}");
        }
        assert_eq!(e.operation().unwrap().value, s.operation);
        assert_eq!(e.reboot_option().map(|r| r.value), s.reboot);
        let end = e.operation_end().unwrap().value.epoch.unwrap();
        assert!((end - s.end_epoch as f64).abs() < 1.0, "{end} vs {}", s.end_epoch);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn json_in_either_cli_version_reads_back_the_same(states in prop::collection::vec(state(), 1..6), v1 in any::<bool>(), indent in 1usize..6) {
        assert_same(&states, &read(&to_json(&states, v1, indent)));
    }

    #[test]
    fn text_output_reads_back_the_same(states in prop::collection::vec(state(), 1..6)) {
        assert_same(&states, &read(&to_text(&states)));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let report = diagnosis::diagnose(&[diagnosis::Source { name: "x", bytes: &bytes }], diagnosis::Lang::En);
        prop_assert_eq!(report.inputs.len(), 1);
    }

    #[test]
    fn json_like_noise_never_panics(tokens in prop::collection::vec(prop::sample::select(vec![
        "{", "}", "[", "]", ",", ":", "\"", "\"InstancePatchStates\"", "\"MissingCount\"", "3", "-", "...", "\n",
        "\\", "\\u12", "true", "nul", "\"i-0123456789abcdef0\"", "aws ssm x y", "\t", "INSTANCEPATCHSTATES\t", "é",
    ]), 0..200)) {
        let text: String = tokens.concat();
        let report = diagnosis::diagnose(&[diagnosis::Source { name: "x", bytes: text.as_bytes() }], diagnosis::Lang::En);
        prop_assert_eq!(report.inputs.len(), 1);
    }
}

// ---- The other JSON kinds: generated CLI outputs read back into the same evidence. ----

fn doc(key: &str, items: Vec<serde_json::Value>) -> String {
    serde_json::to_string_pretty(&serde_json::json!({ key: items })).unwrap()
}

fn evidence_of(text: &str, kind: &str) -> Evidence {
    let input = ingest::read("gen", text.as_bytes());
    assert_eq!(input.kind().name(), kind, "{:?}", input.messages);
    Evidence::collect(&[input])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn compliance_items_round_trip(rows in prop::collection::vec((
        "[0-9a-f]{17}", prop::sample::select(vec!["Patch", "Association", "Custom:AVCheck"]),
        prop::sample::select(vec!["COMPLIANT", "NON_COMPLIANT"]), "[A-Za-z0-9.-]{1,20}",
        prop::sample::select(vec!["CRITICAL", "HIGH", "UNSPECIFIED"]), prop::option::of(prop::sample::select(vec!["AWS-GatherSoftwareInventory", "AWS-RunPatchBaselineAssociation"])),
    ), 1..8)) {
        let items = rows.iter().map(|(id, ty, status, item, sev, docname)| {
            let mut v = serde_json::json!({"ComplianceType": ty, "ResourceType": "ManagedInstance", "ResourceId": format!("i-{id}"),
                "Id": item, "Title": "", "Status": status, "Severity": sev, "ExecutionSummary": {"ExecutionTime": 1550408470.0}});
            if let Some(d) = docname { v["Details"] = serde_json::json!({"DocumentName": d, "DocumentVersion": "1"}); }
            v
        }).collect();
        let ev = evidence_of(&doc("ComplianceItems", items), "compliance-items");
        prop_assert_eq!(ev.compliance_items.len(), rows.len());
        for (row, item) in rows.iter().zip(&ev.compliance_items) {
            prop_assert_eq!(&item.resource_id, &format!("i-{}", row.0));
            prop_assert_eq!(item.compliance_type.as_str(), row.1);
            prop_assert_eq!(item.status.value.as_str(), row.2);
            prop_assert_eq!(&item.id, &row.3);
            prop_assert_eq!(item.severity.as_str(), row.4);
            prop_assert_eq!(item.document_name.as_ref().map(|d| d.value.as_str()), row.5);
        }
    }

    #[test]
    fn instance_patches_round_trip(rows in prop::collection::vec((
        "KB[0-9]{6,7}", prop::sample::select(vec!["Installed", "InstalledOther", "Missing", "Failed", "NotApplicable", "InstalledPendingReboot", "InstalledRejected"]),
        "[A-Za-z ]{0,30}", prop::sample::select(vec!["Critical", "Important", "Unspecified", ""]), any::<bool>(),
    ), 1..10)) {
        let items = rows.iter().map(|(kb, state, title, sev, v1)| serde_json::json!({"Title": title, "KBId": kb,
            "Classification": "SecurityUpdates", "Severity": sev, "State": state,
            "InstalledTime": if *v1 { serde_json::json!(0.0) } else { serde_json::json!("1970-01-01T00:00:00+00:00") }})).collect();
        let ev = evidence_of(&doc("Patches", items), "instance-patches");
        prop_assert_eq!(ev.patches.len(), rows.len());
        for (row, p) in rows.iter().zip(&ev.patches) {
            prop_assert_eq!(&p.kb_id, &row.0);
            prop_assert_eq!(p.state.map(|s| s.wire()), Some(row.1));
            prop_assert_eq!(&p.title, &row.2);
        }
    }

    #[test]
    fn instance_information_round_trip(rows in prop::collection::vec((
        "[0-9a-f]{17}", prop::sample::select(vec!["Online", "ConnectionLost", "Inactive"]),
        (1u32..4, 0u32..9999), prop::sample::select(vec!["Linux", "Windows", "MacOS"]), any::<bool>(),
    ), 1..8)) {
        let items = rows.iter().map(|(id, ping, (major, minor), platform, latest)| serde_json::json!({"InstanceId": format!("i-{id}"),
            "PingStatus": ping, "LastPingDateTime": 1582221233.421, "AgentVersion": format!("{major}.{minor}.0.0"),
            "IsLatestVersion": latest, "PlatformType": platform, "PlatformName": "X", "PlatformVersion": "1"})).collect();
        let ev = evidence_of(&doc("InstanceInformationList", items), "instance-information");
        for (row, n) in rows.iter().zip(&ev.nodes) {
            prop_assert_eq!(&n.instance_id, &format!("i-{}", row.0));
            prop_assert_eq!(n.ping_status.as_ref().map(|p| p.value.as_str()), Some(row.1));
            prop_assert_eq!(n.agent_version.as_ref().map(|a| a.value.to_string()), Some(format!("{}.{}.0.0", row.2.0, row.2.1)));
            prop_assert_eq!(n.platform_type.as_deref(), Some(row.3));
            prop_assert_eq!(n.is_latest_version, Some(row.4));
        }
        prop_assert_eq!(ev.nodes.len(), rows.len());
    }

    #[test]
    fn association_statuses_and_commands_round_trip(rows in prop::collection::vec((
        "[0-9a-f]{8}", prop::sample::select(vec!["Success", "Failed", "Pending"]), prop::sample::select(vec!["", "InvalidAssoc", "ListAssocError"]),
        prop::sample::select(vec!["AWS-RunPatchBaseline", "AWS-RunShellScript"]), prop::sample::select(vec!["Success", "Failed", "InProgress"]),
    ), 1..6)) {
        let assoc: Vec<_> = rows.iter().map(|(id, status, code, _, _)| serde_json::json!({"AssociationId": format!("{id}-0000-4000-8000-000000000000"),
            "Name": "AWS-GatherSoftwareInventory", "InstanceId": "i-0123456789abcdef0", "Status": status, "DetailedStatus": status,
            "ErrorCode": code, "ExecutionSummary": "1 out of 1 plugin processed, 1 success, 0 failed, 0 timedout, 0 skipped. "})).collect();
        let ev = evidence_of(&doc("InstanceAssociationStatusInfos", assoc), "instance-associations-status");
        let got: Vec<(String, String, Option<String>)> = ev.association_statuses.iter()
            .map(|r| (r.association_id.clone(), r.status.value.clone(), r.error_code.as_ref().map(|e| e.value.clone()))).collect();
        let want: Vec<(String, String, Option<String>)> = rows.iter().map(|(id, status, code, _, _)| (format!("{id}-0000-4000-8000-000000000000"),
            status.to_string(), Some(code.to_string()).filter(|c| !c.is_empty()))).collect();
        prop_assert_eq!(got, want);

        let commands: Vec<_> = rows.iter().map(|(id, _, _, document, status)| serde_json::json!({"CommandId": format!("{id}-1111-4000-8000-000000000000"),
            "DocumentName": document, "InstanceIds": ["i-0123456789abcdef0"], "Status": status, "RequestedDateTime": "2026-11-01T02:00:00Z",
            "Parameters": {"Operation": ["Install"]}})).collect();
        let ev = evidence_of(&doc("Commands", commands), "commands");
        let got: Vec<(String, String, String)> = ev.command_runs.iter().map(|c| (c.command_id.clone(), c.document.value.clone(), c.status.value.clone())).collect();
        let want: Vec<(String, String, String)> = rows.iter().map(|(id, _, _, d, s)| (format!("{id}-1111-4000-8000-000000000000"), d.to_string(), s.to_string())).collect();
        prop_assert_eq!(got, want);
    }
}
