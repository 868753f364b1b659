//! Several inputs about one node are correlated into one verdict that cites all of them, and a
//! fleet export is grouped by cause. Also the facts naive tools get wrong (domain.md §E).

use diagnosis::{diagnose, diagnose_with, Lang, Options, Report, Source};

fn run(inputs: &[(&str, &str)]) -> Report {
    let sources: Vec<Source> = inputs.iter().map(|(name, text)| Source { name, bytes: text.as_bytes() }).collect();
    diagnose(&sources, Lang::En)
}

const NODE: &str = "i-0123456789abcdef0";

#[test]
fn pending_reboot_and_a_noreboot_install_are_one_cause_citing_both_inputs() {
    let states = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "BaselineId": "pb-0123456789abcdef0",
        "InstalledPendingRebootCount": 3, "MissingCount": 0, "FailedCount": 0, "InstalledRejectedCount": 0,
        "Operation": "Install", "RebootOption": "RebootIfNeeded"}]}"#;
    let history = r#"{"Commands": [{"CommandId": "11111111-2222-3333-4444-555555555555", "DocumentName": "AWS-RunPatchBaseline",
        "InstanceIds": ["i-0123456789abcdef0"], "RequestedDateTime": "2026-11-01T02:00:00Z", "Status": "Success",
        "Parameters": {"Operation": ["Install"], "RebootOption": ["NoReboot"]}}]}"#;
    let report = run(&[("states.json", states), ("history.json", history)]);
    let p4: Vec<_> = report.findings.iter().filter(|f| f.reference == "P4").collect();
    assert_eq!(p4.len(), 1, "one cause, not one per input");
    let inputs: Vec<&str> = p4[0].evidence.iter().map(|e| e.input.as_str()).collect();
    assert!(inputs.contains(&"states.json") && inputs.contains(&"history.json"), "{inputs:?}");
    assert!(p4[0].evidence.iter().any(|e| e.text.contains("NoReboot")));
    assert_eq!(report.nodes[0].node, NODE);
    assert!(report.nodes[0].verdict.contains("wait for a reboot"), "{}", report.nodes[0].verdict);
    // The Install's command id fills the commands that need one.
    let cmd = "11111111-2222-3333-4444-555555555555";
    assert!(report.findings.iter().flat_map(|f| &f.commands).any(|c| c.text.contains(cmd)));
}

#[test]
fn failed_patches_cite_the_failed_patch_run_and_its_output_signature() {
    let states = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "FailedCount": 2, "MissingCount": 0,
        "Operation": "Install", "BaselineId": "pb-0123456789abcdef0"}]}"#;
    let invocation = r#"{"CommandId": "11111111-2222-3333-4444-555555555555", "InstanceId": "i-0123456789abcdef0",
        "DocumentName": "AWS-RunPatchBaseline", "PluginName": "PatchLinux", "ResponseCode": 2, "Status": "Failed",
        "StandardOutputContent": "install errors: dpkg: error: dpkg frontend is locked by another process\nfailed to run commands: exit status 2",
        "StandardErrorContent": ""}"#;
    let report = run(&[("states.json", states), ("invocation.json", invocation)]);
    // The deepest cause leads: one L10 cause (the node's own output), the Failed count under it.
    let causes: Vec<_> = report.findings.iter().filter(|f| f.role == "cause").collect();
    let refs: Vec<&str> = causes.iter().map(|f| f.reference.as_str()).collect();
    assert_eq!(refs, ["L10"]);
    let l10 = causes[0];
    assert_eq!(l10.node.as_deref(), Some(NODE));
    for input in ["states.json", "invocation.json"] {
        assert!(l10.evidence.iter().any(|e| e.input == input), "{input} not cited: {:?}", l10.evidence);
    }
    assert!(l10.supporting.iter().any(|s| s.code == "patch-failed" && s.title.starts_with("2 patches failed")));
    assert!(report.findings.iter().all(|f| f.code != "patch-failed"), "the symptom is not a second finding");
}

#[test]
fn not_applicable_and_empty_status_never_count() {
    let items = r#"{"ComplianceItems": [
        {"ComplianceType": "Patch", "ResourceId": "i-0123456789abcdef0", "Id": "KB2305420", "Status": "", "Details": {"PatchState": "NotApplicable"}},
        {"ComplianceType": "Patch", "ResourceId": "i-0123456789abcdef0", "Id": "KB4010320", "Status": "COMPLIANT", "Details": {"PatchState": "Installed"}}]}"#;
    let report = run(&[("items.json", items)]);
    assert!(
        report.findings.iter().all(|f| f.role != "cause"),
        "{:?}",
        report.findings.iter().map(|f| &f.code).collect::<Vec<_>>()
    );
}

#[test]
fn a_successful_run_command_is_not_patched_and_an_install_that_left_patches_missing_is_w5() {
    let states = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "MissingCount": 4, "Operation": "Install", "BaselineId": "pb-0123456789abcdef0"}]}"#;
    let history = r#"{"Commands": [{"CommandId": "11111111-2222-3333-4444-555555555555", "DocumentName": "AWS-RunPatchBaseline",
        "InstanceIds": ["i-0123456789abcdef0"], "Status": "Success", "Parameters": {"Operation": ["Install"]}}]}"#;
    let report = run(&[("s.json", states), ("h.json", history)]);
    let refs: Vec<&str> = report.findings.iter().map(|f| f.reference.as_str()).collect();
    assert!(refs.contains(&"W5") && refs.contains(&"P1"), "{refs:?}");
    // One cause per failure: the Missing count is W5's supporting evidence, not a second cause
    // (a fleet counted these nodes in two groups).
    assert!(!refs.contains(&"P6"), "{refs:?}");
    let w5 = report.findings.iter().find(|f| f.reference == "W5").unwrap();
    assert!(w5.supporting.iter().any(|s| s.reference == "P6"), "{:?}", w5.supporting);
}

#[test]
fn stale_patch_data_is_flagged_relative_to_now() {
    let states = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "MissingCount": 0, "Operation": "Scan", "OperationEndTime": "2026-10-01T00:00:00Z"}]}"#;
    let at = |now: f64| {
        diagnose_with(
            &[Source { name: "s.json", bytes: states.as_bytes() }],
            &Options { now: Some(now), ..Options::default() },
        )
    };
    let stale = at(1_795_651_200.0); // 2026-11-26
    let f = stale.findings.iter().find(|f| f.reference == "P0").expect("P0");
    assert!(f.title.contains("56 days"), "{}", f.title);
    let fresh = at(1_759_363_200.0 + 86_400.0); // 2026-10-02
    assert!(fresh.findings.iter().all(|f| f.reference != "P0"));
}

#[test]
fn a_fleet_export_is_grouped_by_cause_worst_first() {
    let text = diagnosis::generate::generate("instance-patch-states", 300, 7).unwrap();
    let report = run(&[("fleet.json", &text)]);
    assert_eq!(report.inputs[0].status, "ok");
    let first = &report.groups[0];
    assert_eq!(first.role, "cause");
    let causes: Vec<_> = report.groups.iter().filter(|g| g.role == "cause").collect();
    assert!(causes.windows(2).all(|w| w[0].nodes.len() >= w[1].nodes.len()));
    // Every NON_COMPLIANT node of the export appears in some cause group, and only those.
    let noncompliant = report.nodes.iter().filter(|n| n.causes > 0).count();
    assert!(noncompliant > 50 && noncompliant < 300, "{noncompliant}");
    let grouped: std::collections::BTreeSet<&str> = causes.iter().flat_map(|g| g.nodes.iter().map(|n| &**n)).collect();
    assert_eq!(grouped.len(), noncompliant);
}

#[test]
fn the_region_and_profile_the_user_typed_rewrite_every_aws_command() {
    let states =
        r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "MissingCount": 1, "Operation": "Scan"}]}"#;
    let settings = diagnosis::Settings {
        region: diagnosis::ids::Region::parse("ap-northeast-1"),
        profile: diagnosis::ids::Profile::parse("support"),
        // Typed in, but the input names its node: the node's commands keep the input's id.
        instance: diagnosis::ids::InstanceId::parse("i-0fedcba9876543210"),
    };
    let options = Options { settings, ..Options::default() };
    let report = diagnose_with(&[Source { name: "s.json", bytes: states.as_bytes() }], &options);
    let aws: Vec<&str> = report
        .findings
        .iter()
        .flat_map(|f| &f.commands)
        .filter(|c| c.shell == "aws-cli")
        .map(|c| c.text.as_str())
        .collect();
    assert!(!aws.is_empty());
    assert!(
        aws.iter().filter(|t| t.contains("{instance}") || t.contains("--region")).all(|t| !t.contains("<region>")),
        "{aws:#?}"
    );
    assert!(aws.iter().all(|t| t.ends_with("--profile support")), "{aws:#?}");
    assert!(report.findings.iter().all(|f| f.code != "region-unknown"));
    let node_commands = report.findings.iter().filter(|f| f.node.is_some()).flat_map(|f| &f.commands);
    assert!(node_commands.clone().all(|c| !c.text.contains("i-0fedcba9876543210")));
    assert!(node_commands.clone().any(|c| c.text.contains("i-0123456789abcdef0")));
}

#[test]
fn on_node_commands_follow_the_package_manager_of_the_node() {
    let info = r#"{"InstanceInformationList": [{"InstanceId": "i-0123456789abcdef0", "PingStatus": "Online", "AgentVersion": "3.3.1000.0",
        "PlatformType": "Linux", "PlatformName": "Ubuntu", "PlatformVersion": "22.04"}]}"#;
    let states = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "FailedCount": 1, "InstalledRejectedCount": 1, "Operation": "Install"}]}"#;
    let report = run(&[("info.json", info), ("states.json", states)]);
    let texts: Vec<&str> = report.findings.iter().flat_map(|f| &f.commands).map(|c| c.text.as_str()).collect();
    assert!(texts.iter().any(|t| t.starts_with("sudo apt-get remove")), "{texts:#?}");
    assert!(texts.iter().all(|t| !t.contains("yum ") && !t.contains("zypper ")), "{texts:#?}");
    assert!(texts.iter().all(|t| !t.starts_with("Get-") && !t.starts_with("wusa")), "no Windows commands for Ubuntu");
}

#[test]
fn the_console_csv_report_is_read_per_node() {
    let summary = "Index,Instance ID,Instance name,Instance IP,Platform name,Platform version,SSM Agent version,Patch baseline,Patch group,Compliance status,Compliance severity,Noncompliant Critical severity patch count,Noncompliant High severity patch count,Noncompliant Medium severity patch count,Noncompliant Low severity patch count,Noncompliant Informational severity patch count,Noncompliant Unspecified severity patch count
1,i-0123456789abcdef0,web-1,10.0.0.1,Ubuntu,22.04,3.3.1000.0,pb-0123456789abcdef0,web,Non-Compliant,CRITICAL,2,1,0,0,0,0
2,i-0fedcba9876543210,web-2,10.0.0.2,Ubuntu,22.04,3.3.1000.0,pb-0123456789abcdef0,web,Compliant,UNSPECIFIED,0,0,0,0,0,0
";
    let detail = "Index,Instance ID,Instance name,Patch name,KB ID/Patch ID,Patch state,Last report time,Compliance level,Patch severity,Patch classification,CVE ID,Patch baseline,Logs URL,Instance IP,Platform name,Platform version,SSM Agent version
1,i-0123456789abcdef0,web-1,openssl,openssl,Missing,2026-11-20,CRITICAL,Important,Security,CVE-2026-0001,pb-0123456789abcdef0,,10.0.0.1,Ubuntu,22.04,3.3.1000.0
2,i-0123456789abcdef0,web-1,curl,curl,Installed,2026-11-20,CRITICAL,Important,Security,,pb-0123456789abcdef0,,10.0.0.1,Ubuntu,22.04,3.3.1000.0
";
    let report = run(&[("summary.csv", summary), ("detail.csv", detail)]);
    assert_eq!(report.inputs[0].kind, "patch-report-csv");
    assert_eq!(report.inputs[1].kind, "patch-report-csv");
    // The summary row's Non-Compliant (N1) is the symptom; the detail's Missing row (P6) explains
    // it. One cause, citing the row of each report, names the package.
    let causes: Vec<_> = report.findings.iter().filter(|f| f.role == "cause").collect();
    assert_eq!(causes.len(), 1, "{:?}", causes.iter().map(|f| &f.code).collect::<Vec<_>>());
    let p6 = causes[0];
    assert_eq!(p6.reference, "P6");
    assert_eq!(p6.node.as_deref(), Some(NODE));
    assert_eq!(p6.title, "1 approved patch is missing (openssl)");
    assert!(p6.evidence.iter().any(|e| e.input == "summary.csv" && e.line == Some(2)), "{:?}", p6.evidence);
    assert!(p6.evidence.iter().any(|e| e.input == "detail.csv" && e.line == Some(2)), "{:?}", p6.evidence);
    assert!(p6.supporting.iter().any(|s| s.reference == "N1"));
    // Ubuntu in the report: apt commands only.
    let texts: Vec<&str> = report.findings.iter().flat_map(|f| &f.commands).map(|c| c.text.as_str()).collect();
    assert!(texts.iter().all(|t| !t.contains("sudo yum")), "{texts:#?}");
}

#[test]
fn the_verdict_names_the_specific_cause_not_just_the_branch() {
    let summary = r#"{"ResourceComplianceSummaryItems": [{"ComplianceType": "Patch", "ResourceId": "i-0123456789abcdef0", "Status": "NON_COMPLIANT", "OverallSeverity": "CRITICAL", "NonCompliantSummary": {"NonCompliantCount": 6}}]}"#;
    let states =
        r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "MissingCount": 6, "Operation": "Scan"}]}"#;
    let report = run(&[("summary.json", summary), ("states.json", states)]);
    assert_eq!(report.nodes[0].verdict, "6 approved patches are missing");
    // The summary's NON_COMPLIANT is explained by the Missing count: one cause, citing both.
    assert_eq!(report.nodes[0].causes, 1);
    let p6 = report.findings.iter().find(|f| f.reference == "P6").expect("P6");
    let inputs: std::collections::BTreeSet<&str> = p6.evidence.iter().map(|e| e.input.as_str()).collect();
    assert_eq!(inputs.into_iter().collect::<Vec<_>>(), ["states.json", "summary.json"]);
    assert!(p6.supporting.iter().any(|s| s.reference == "N1"));
}

#[test]
fn every_output_format_marks_the_commands_that_change_something() {
    let states = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "InstalledPendingRebootCount": 2, "Operation": "Install"}]}"#;
    let report = run(&[("states.json", states)]);
    let commands: Vec<_> = report.findings.iter().flat_map(|f| &f.commands).collect();
    let reboot = commands.iter().find(|c| c.text.contains("reboot-instances")).expect("a reboot command");
    assert_eq!(reboot.changes.as_deref(), Some("reboots the instance"));
    let read_only =
        commands.iter().find(|c| c.text.contains("describe-instance-patches")).expect("a read-only listing");
    assert_eq!(read_only.changes, None);

    let markdown = report.to_markdown(Lang::En);
    let marked = |label: &str| {
        markdown
            .lines()
            .find(|l| l.starts_with(&format!("- {label}")))
            .unwrap_or_else(|| panic!("{label} in {markdown}"))
            .contains("⚠")
    };
    assert!(marked(&reboot.label), "the reboot is marked");
    assert!(!marked(&read_only.label), "a read-only command is not");

    let text = report.to_text(Lang::En);
    let before_reboot = text.lines().take_while(|l| !l.contains("reboot-instances")).last().unwrap();
    assert_eq!(before_reboot.trim(), "! Changes the system: reboots the instance");
    let zh = report_zh(&[("states.json", states)]).to_markdown(Lang::ZhCn);
    assert!(zh.contains("⚠ 会更改系统：重启实例"), "{zh}");
    // The verdict line takes the full-width colon too.
    assert!(zh.contains("- **i-0123456789abcdef0**："), "{zh}");
}

fn report_zh(inputs: &[(&str, &str)]) -> Report {
    let sources: Vec<Source> = inputs.iter().map(|(name, text)| Source { name, bytes: text.as_bytes() }).collect();
    diagnose(&sources, Lang::ZhCn)
}

#[test]
fn the_baseline_of_the_node_tells_its_os_and_the_patch_list_names_the_rejected_package() {
    let states = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "BaselineId": "pb-0fe1dc2ba3f4e5d6c", "InstalledRejectedCount": 1, "Operation": "Scan"}]}"#;
    let patches = r#"{"Patches": [{"Title": "openssl11-libs.x86_64:1:1.1.1g-12.amzn2.0.20", "KBId": "openssl11-libs.x86_64", "Classification": "Security", "Severity": "Important", "State": "InstalledRejected", "InstalledTime": "2026-11-01T00:00:00Z"}]}"#;
    let baseline = r#"{"BaselineId": "pb-0fe1dc2ba3f4e5d6c", "Name": "legacy", "OperatingSystem": "AMAZON_LINUX_2", "RejectedPatches": ["openssl11-libs*"], "RejectedPatchesAction": "BLOCK"}"#;
    let report = run(&[("states.json", states), ("patches.json", patches), ("baseline.json", baseline)]);
    let p5 = report.findings.iter().find(|f| f.reference == "P5" && f.role == "cause").expect("P5");
    assert_eq!(p5.title, "1 rejected patch is installed (openssl11-libs.x86_64)");
    let texts: Vec<&str> = p5.commands.iter().map(|c| c.text.as_str()).collect();
    // yum, downgrade before remove; nothing for Windows, apt or zypper.
    let downgrade = texts.iter().position(|t| t.starts_with("sudo yum downgrade openssl11-libs.x86_64"));
    let remove = texts.iter().position(|t| t.starts_with("sudo yum remove openssl11-libs.x86_64"));
    assert!(downgrade.is_some() && downgrade < remove, "{texts:#?}");
    assert!(
        texts.iter().all(|t| !t.contains("wusa")
            && !t.contains("Get-HotFix")
            && !t.contains("apt-get")
            && !t.contains("zypper")),
        "{texts:#?}"
    );
}

#[test]
fn a_fleet_report_writes_each_cause_once_and_each_node_compactly() {
    let text = diagnosis::generate::generate("instance-patch-states", 2000, 11).unwrap();
    let report = run(&[("fleet.json", &text)]);
    assert_eq!(report.form, diagnosis::report::Form::Fleet);
    // Per-node findings are not repeated in full: only what concerns no node stays there.
    assert!(report.findings.iter().all(|f| f.node.is_none()));
    assert_eq!(report.nodes.len(), 2000);
    let failed = report.groups.iter().find(|g| g.reference == "P3" && g.role == "cause").expect("a P3 group");
    assert_eq!(failed.title, "Patches failed to install");
    assert!(failed.nodes.len() > 50);
    assert!(failed.commands.iter().any(|c| c.text.contains("Key=State,Values=Failed")), "the state all members share");
    // Commands are written once per group: one that takes several ids acts on all of them, 50
    // a call, from the group's node file (cli/tests/fleet_commands.rs runs it).
    let reboot = report.groups.iter().find(|g| g.reference == "P4" && g.role == "cause").expect("a P4 group");
    let file = reboot.node_file.as_deref().expect("a node file");
    let command = reboot.commands.iter().find(|c| c.text.contains("aws ec2 reboot-instances")).expect("reboot");
    assert!(command.text.ends_with(&format!("done 3< '{file}'")), "{}", command.text);
    assert!(!command.text.contains(&*reboot.nodes[0]));
    assert_eq!(reboot.command_nodes, reboot.nodes.len());
    assert!(reboot.command_nodes > 50);
    // One cause per failure: a node whose Install left patches Missing is counted by W5 alone,
    // and each group's why is true of its nodes (a Scan group does not say an Install ran).
    let w5 = report.groups.iter().find(|g| g.reference == "W5" && g.role == "cause").expect("a W5 group");
    let p6 = report.groups.iter().find(|g| g.reference == "P6" && g.role == "cause").expect("a P6 group");
    assert!(w5.nodes.iter().all(|n| !p6.nodes.contains(n)), "a node in both W5 and P6");
    assert!(!p6.why.contains("An Install ran"), "{}", p6.why);
    // Members whose whys differ are told apart, with counts that add up to the group.
    let counts: Vec<usize> = regex_lite::Regex::new(r"\((\d+) nodes?\) ")
        .unwrap()
        .captures_iter(&failed.why)
        .map(|c| c[1].parse().unwrap())
        .collect();
    assert!(counts.len() >= 2, "{}", failed.why);
    assert_eq!(counts.iter().sum::<usize>(), failed.count, "{}", failed.why);
    // Each node keeps its own findings, compact, with the lines they rest on.
    let node = report.nodes.iter().find(|n| failed.nodes.iter().any(|f| **f == *n.node)).unwrap();
    let p3 = node.findings.iter().find(|f| f.reference == "P3").expect("P3 on the node");
    assert!(
        p3.title.ends_with("patch failed to install") || p3.title.ends_with("patches failed to install"),
        "{}",
        p3.title
    );
    assert!(!p3.lines.is_empty() && p3.lines.iter().all(|l| l.input == 0 && l.line > 0));
    // The whole report is smaller than its input (it was seven times larger, one finding at a time).
    assert!(report.to_json().len() < text.len(), "{} >= {}", report.to_json().len(), text.len());
    // Markdown names the group's nodes, shortened.
    let markdown = report.to_markdown(Lang::En);
    assert!(markdown.contains(&format!("{} nodes: ", failed.nodes.len())), "group nodes in markdown");
    // The Markdown (a support case) lists 200 nodes, those with a cause first, and says how many
    // more the JSON has.
    assert!(markdown.contains("1800 more nodes are not listed"), "{}", &markdown[markdown.len() - 300..]);
    let nodes_table = &markdown[markdown.rfind("## Nodes").unwrap()..];
    let listed = nodes_table.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(listed, 200);
}

/// A fleet's titles are written once per distinct value, and written directly for a code whose
/// values keep differing: every node's titles, late in a large fleet too, are still its own.
#[test]
fn every_node_of_a_fleet_keeps_its_own_titles() {
    use diagnosis::report::Diagnosis;
    let text = diagnosis::generate::generate("instance-patch-states", 3000, 7).unwrap();
    let inputs = [diagnosis::ingest::read("fleet.json", text.as_bytes())];
    // A year after the export: each node's patch data is old by its own number of days.
    let now = Some(1_800_000_000.0);
    let found = Diagnosis::of(&inputs, now);
    let settings = diagnosis::Settings::default();
    let report = Report::build(&inputs, &found, Lang::En, &settings);
    let mut stale = std::collections::BTreeSet::new();
    for node in report.nodes.iter().step_by(37) {
        let full = Report::findings_of(&inputs, &found, &node.node, Lang::En, &settings);
        for compact in &node.findings {
            let written = full.iter().find(|f| f.code == compact.code).expect("the node's finding");
            assert_eq!(compact.title, written.title, "{}", node.node);
            if compact.title.contains("days old") {
                stale.insert(compact.title.clone());
            }
        }
    }
    // Sampled past the first few hundred titles of a code: many differing values, each kept.
    assert!(stale.len() > 40, "{}", stale.len());
}

#[test]
fn a_few_nodes_keep_the_single_form() {
    let text = diagnosis::generate::generate("instance-patch-states", 50, 11).unwrap();
    let report = run(&[("few.json", &text)]);
    assert_eq!(report.form, diagnosis::report::Form::Single);
    assert!(report.findings.iter().filter(|f| f.node.is_some()).count() >= 50);
    assert!(report.nodes.iter().all(|n| n.findings.is_empty()));
}

/// A detector finding and the output that explains it: one cause citing both, in both languages;
/// and a Security Hub export of 5,000 findings is a fleet view grouped by what each finding is.
#[test]
fn a_detector_finding_joins_the_cause_and_a_fleet_export_is_grouped() {
    let finding = r#"{"Findings": [{"SchemaVersion": "2018-10-08", "Id": "arn:aws:securityhub:eu-west-1:123456789012:security-control/SSM.2/finding/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f70819", "ProductArn": "arn:aws:securityhub:eu-west-1::product/aws/securityhub", "AwsAccountId": "123456789012", "Region": "eu-west-1", "UpdatedAt": "2026-11-20T06:00:12.345Z", "Resources": [{"Type": "AwsEc2Instance", "Id": "arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0"}], "Compliance": {"Status": "FAILED", "SecurityControlId": "SSM.2"}, "RecordState": "ACTIVE"}]}"#;
    let states = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "BaselineId": "pb-0123456789abcdef0", "InstalledPendingRebootCount": 4, "MissingCount": 0, "FailedCount": 0, "InstalledRejectedCount": 0, "Operation": "Install", "RebootOption": "NoReboot"}]}"#;
    for lang in [Lang::En, Lang::ZhCn] {
        let sources = [
            Source { name: "finding.json", bytes: finding.as_bytes() },
            Source { name: "states.json", bytes: states.as_bytes() },
        ];
        let report = diagnose(&sources, lang);
        let causes: Vec<_> = report.findings.iter().filter(|f| f.role.name() == "cause").collect();
        assert_eq!(causes.len(), 1, "{:?}", causes.iter().map(|f| &f.reference).collect::<Vec<_>>());
        assert_eq!(causes[0].reference, "P4");
        let inputs: Vec<&str> = causes[0].evidence.iter().map(|e| e.input.as_str()).collect();
        assert!(inputs.contains(&"finding.json") && inputs.contains(&"states.json"), "{inputs:?}");
        assert!(report.findings.iter().all(|f| f.reference != "D1"), "the detector's finding is part of the cause");
    }
    // Alone, the finding says what the detector cannot see, and the command that shows it.
    let alone = run(&[("finding.json", finding)]);
    let d1 = alone.findings.iter().find(|f| f.reference == "D1").expect("D1");
    assert_eq!(d1.role.name(), "check");
    assert!(d1.commands.iter().any(|c| c.text.contains("describe-instance-patch-states")));
    // 5,000 findings: the fleet form, grouped by what each one is, with its counts.
    let export = diagnosis::generate::generate("securityhub-findings", 5000, 3).unwrap();
    let report = run(&[("findings.json", &export)]);
    assert_eq!(report.form, diagnosis::report::Form::Fleet);
    let patch = report.groups.iter().find(|g| g.code.name() == "detector-flags-patch").expect("SSM.2 group");
    let association =
        report.groups.iter().find(|g| g.code.name() == "detector-flags-association").expect("SSM.3 group");
    let managed = report.groups.iter().find(|g| g.code.name() == "detector-flags-managed").expect("SSM.1 group");
    let no_data = report.groups.iter().find(|g| g.code.name() == "detector-no-data").expect("no-data group");
    // The generator's split: 60 % SSM.2, 15 % SSM.3, 10 % SSM.1 failures, 5 % no data.
    for (g, share) in [(patch, 0.60), (association, 0.15), (managed, 0.10), (no_data, 0.05)] {
        let n = g.node_count as f64 / 5000.0;
        assert!((n - share).abs() < 0.03, "{}: {n}", g.code.name());
    }
    assert!(report.groups.iter().all(|g| g.role.name() != "cause"), "a detector alone proves no cause");
}

/// The detector scenarios of the corpus, in both languages: the association rule joins the
/// association's cause, a stopped instance makes the alarm an artefact note, and no placeholder
/// is left in any title.
#[test]
fn detector_scenarios_hold_in_both_languages() {
    let dir = |name: &str| {
        std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus/faulty")).join(name)
    };
    let read = |name: &str| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = std::fs::read_dir(dir(name)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        files
            .iter()
            .map(|p| (p.file_name().unwrap().to_string_lossy().to_string(), std::fs::read(p).unwrap()))
            .collect()
    };
    for lang in [Lang::En, Lang::ZhCn] {
        for (scenario, cause, note) in [
            ("detector-config-association-rule-with-statuses", Some("A7"), None),
            ("detector-securityhub-ssm2-stopped-instance", Some("G12"), Some("D2")),
            ("detector-steampipe-notapplicable-patch", None, Some("D4")),
        ] {
            let files = read(scenario);
            let sources: Vec<Source> = files.iter().map(|(n, b)| Source { name: n, bytes: b }).collect();
            let report = diagnose(&sources, lang);
            let causes: Vec<&str> =
                report.findings.iter().filter(|f| f.role.name() == "cause").map(|f| f.reference.as_str()).collect();
            assert_eq!(causes, cause.into_iter().collect::<Vec<_>>(), "{scenario} {lang:?}");
            if let Some(c) = cause.filter(|_| scenario.contains("association")) {
                let f = report.findings.iter().find(|f| f.reference == c).unwrap();
                let inputs: std::collections::BTreeSet<&str> = f.evidence.iter().map(|e| e.input.as_str()).collect();
                assert_eq!(inputs.len(), 2, "{scenario} {lang:?}: one cause citing both inputs");
            }
            if let Some(n) = note {
                assert!(
                    report.findings.iter().any(|f| f.reference == n && f.role.name() == "note"),
                    "{scenario} {lang:?}"
                );
            }
            assert!(report.findings.iter().all(|f| !f.title.contains('{')), "{scenario} {lang:?}");
        }
    }
}

/// An organisation's result: one code in two regions is a group per region, each with commands
/// for its own region (a command never targets nodes of two regions).
#[test]
fn an_organisation_result_groups_a_cause_per_region_with_its_commands() {
    let csv = "accountid,region,resourceid,code,ref,kind,detail\n\
        111111111111,eu-west-1,i-0a1b2c3d4e5f60718,patch-failed,P3,cause,2\n\
        111111111111,eu-west-1,i-0b2c3d4e5f6071829,patch-failed,P3,cause,1\n\
        222222222222,us-east-1,i-0c3d4e5f607182930,patch-failed,P3,cause,4\n";
    let report = run(&[("results.csv", csv)]);
    let p3: Vec<_> = report.groups.iter().filter(|g| g.reference == "P3").collect();
    assert_eq!(p3.len(), 2, "{:?}", p3.iter().map(|g| &g.title).collect::<Vec<_>>());
    for (region, nodes) in [("eu-west-1", 2), ("us-east-1", 1)] {
        let g = p3.iter().find(|g| g.title.ends_with(&format!("({region})"))).expect(region);
        assert_eq!(g.node_count, nodes);
        assert!(g
            .commands
            .iter()
            .filter(|c| c.text.starts_with("aws "))
            .all(|c| c.text.contains(&format!("--region {region}"))));
    }
    // A fleet from one region is grouped by code alone, its titles unchanged.
    let one = run(&[("results.csv", &csv.lines().take(3).collect::<Vec<_>>().join("\n"))]);
    let g: Vec<_> = one.groups.iter().filter(|g| g.reference == "P3").collect();
    assert_eq!(g.len(), 1);
    assert!(!g[0].title.contains("(eu-west-1)"));
}

/// A fleet group's why and fix are true of every node in it: a value only some of its nodes
/// have (each node's own time) is never stated for all. In a generated fleet every time is a
/// node's own, so no group text may hold one; in both languages.
#[test]
fn a_fleet_group_never_states_one_node_s_time_for_all() {
    let date = regex_lite::Regex::new(r"\d{4}-\d{2}-\d{2}").unwrap();
    let mut groups = 0;
    for kind in diagnosis::generate::KINDS {
        let text = diagnosis::generate::generate(kind, 400, 5).unwrap();
        for lang in [Lang::En, Lang::ZhCn] {
            let report = diagnose(&[Source { name: "fleet.json", bytes: text.as_bytes() }], lang);
            for g in report.groups.iter().filter(|g| g.node_count > 3) {
                groups += 1;
                for (what, text) in [("why", &g.why), ("fix", &g.fix)] {
                    assert!(!date.is_match(text), "{kind} {} {what} ({lang:?}): {text}", g.reference);
                }
            }
        }
    }
    assert!(groups >= 20, "{groups} groups");
}

#[test]
fn two_scan_sources_for_one_node_are_p8_and_one_source_is_not() {
    // Node 0: patch states from AWS-RunPatchBaseline and items from the association document.
    // Node 1: two records, two baselines. Node 2: two records, one baseline. Node 3: one record.
    let states = r#"{"InstancePatchStates": [
        {"InstanceId": "i-0000000000000000a", "BaselineId": "pb-0123456789abcdef0", "MissingCount": 1, "Operation": "Scan"},
        {"InstanceId": "i-0000000000000000b", "BaselineId": "pb-0123456789abcdef0", "MissingCount": 1, "Operation": "Scan"},
        {"InstanceId": "i-0000000000000000c", "BaselineId": "pb-0123456789abcdef0", "MissingCount": 1, "Operation": "Scan"},
        {"InstanceId": "i-0000000000000000d", "BaselineId": "pb-0123456789abcdef0", "MissingCount": 1, "Operation": "Scan"},
        {"InstanceId": "i-0000000000000000b", "BaselineId": "pb-0fedcba9876543210", "MissingCount": 1, "Operation": "Scan"},
        {"InstanceId": "i-0000000000000000c", "BaselineId": "pb-0123456789abcdef0", "MissingCount": 1, "Operation": "Scan"}]}"#;
    let items = r#"{"ComplianceItems": [
        {"ComplianceType": "Patch", "ResourceId": "i-0000000000000000a", "Id": "KB5034439", "Status": "NON_COMPLIANT",
         "Details": {"DocumentName": "AWS-RunPatchBaselineAssociation", "PatchBaselineId": "pb-0aaaaaaaaaaaaaaaa", "PatchState": "Missing"}},
        {"ComplianceType": "Patch", "ResourceId": "i-0000000000000000d", "Id": "KB5034439", "Status": "NON_COMPLIANT",
         "Details": {"DocumentName": "AWS-RunPatchBaseline", "PatchBaselineId": "pb-0123456789abcdef0", "PatchState": "Missing"}}]}"#;
    let report = run(&[("states.json", states), ("items.json", items)]);
    let p8: Vec<_> = report.findings.iter().filter(|f| f.reference == "P8").collect();
    let nodes: Vec<&str> = p8.iter().filter_map(|f| f.node.as_deref()).collect();
    assert_eq!(nodes, ["i-0000000000000000a", "i-0000000000000000b"], "{p8:#?}");
    // Each names its two sources and cites the lines of both.
    let a = p8[0];
    assert!(a.title.contains("AWS-RunPatchBaseline (pb-0123456789abcdef0)"), "{}", a.title);
    assert!(a.title.contains("AWS-RunPatchBaselineAssociation (pb-0aaaaaaaaaaaaaaaa)"), "{}", a.title);
    for input in ["states.json", "items.json"] {
        assert!(a.evidence.iter().any(|e| e.input == input), "{input} not cited: {:?}", a.evidence);
    }
    let b = p8[1];
    assert!(b.title.contains("pb-0123456789abcdef0") && b.title.contains("pb-0fedcba9876543210"), "{}", b.title);
    assert_eq!(b.evidence.len(), 2, "{:?}", b.evidence);
}

#[test]
fn a_report_written_as_it_is_made_is_the_report_built_whole() {
    use diagnosis::report::{Diagnosis, Form};
    // A fleet (compact, each node's verdict written in turn, never all held) and one node
    // (pretty): the same bytes as the report built whole and then written.
    let fleet = diagnosis::generate::generate("instance-patch-states", 3000, 11).unwrap();
    let one =
        r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "MissingCount": 2, "Operation": "Scan"}]}"#;
    for (text, form) in [(fleet.as_str(), Form::Fleet), (one, Form::Single)] {
        let inputs = [diagnosis::ingest::read("states.json", text.as_bytes())];
        let found = Diagnosis::of(&inputs, Some(1_800_000_000.0));
        for lang in [Lang::En, Lang::ZhCn] {
            let settings = diagnosis::Settings::default();
            let whole = Report::build(&inputs, &found, lang, &settings);
            assert_eq!(whole.form, form);
            let mut built = Vec::new();
            whole.write_json(&mut built).unwrap();
            let mut streamed = Vec::new();
            Report::assemble(&inputs, &found, lang, &settings).write_json(&mut streamed).unwrap();
            assert!(built == streamed, "{form:?} {lang:?}: {} vs {} bytes", built.len(), streamed.len());
            let read: Report = serde_json::from_slice(&streamed).unwrap();
            assert_eq!(read.nodes.len(), whole.nodes.len());
            // The node verdicts written in parts (as the CLI's threads write them, each part
            // with titles of its own), the parts joined in order, and the groups written apart
            // or after them: the same bytes again.
            for groups_apart in [false, true] {
                let mut parted = Vec::new();
                Report::assemble(&inputs, &found, lang, &settings)
                    .write_fleet_json(&mut parted, |report, out| {
                        let groups = groups_apart.then(|| report.groups_json());
                        let count = report.node_count();
                        let parts: Vec<Vec<u8>> =
                            (0..count).step_by(7).map(|at| report.nodes_json(at..(at + 7).min(count))).collect();
                        std::io::Write::write_all(out, &parts.join(&b","[..])).map(|()| groups)
                    })
                    .unwrap();
                assert!(built == parted, "{form:?} {lang:?} in parts: {} vs {} bytes", built.len(), parted.len());
            }
        }
    }
}

#[test]
fn nodes_with_the_same_values_share_them_and_one_nodes_additions_stay_its_own() {
    use diagnosis::knowledge::Code;
    use diagnosis::report::Diagnosis;
    // Three nodes missing two patches after a Scan. A patch list for node a names its patches:
    // a's finding takes them, b's and c's must not, and theirs, the same, are held once. (The
    // patch list keeps the rows from being sets, whose findings are made when read, never held.)
    let states = r#"{"InstancePatchStates": [
        {"InstanceId": "i-0000000000000000a", "BaselineId": "pb-0123456789abcdef0", "MissingCount": 2, "Operation": "Scan"},
        {"InstanceId": "i-0000000000000000b", "BaselineId": "pb-0123456789abcdef0", "MissingCount": 2, "Operation": "Scan"},
        {"InstanceId": "i-0000000000000000c", "BaselineId": "pb-0123456789abcdef0", "MissingCount": 2, "Operation": "Scan"}]}"#;
    let patches = r#"{"Patches": [
        {"InstanceId": "i-0000000000000000a", "KBId": "KB5034439", "Title": "Update", "State": "Missing"},
        {"InstanceId": "i-0000000000000000a", "KBId": "KB5034440", "Title": "Update", "State": "Missing"}]}"#;
    let inputs = [
        diagnosis::ingest::read("states.json", states.as_bytes()),
        diagnosis::ingest::read("patches.json", patches.as_bytes()),
    ];
    let missing = |d: &Diagnosis, node: &str| {
        let found = d.findings.iter().find(|f| f.code == Code::PatchMissing && f.node.as_deref() == Some(node));
        found.map(std::borrow::Cow::into_owned).unwrap()
    };
    let found = Diagnosis::of(&inputs, None);
    let (b, c) = (missing(&found, "i-0000000000000000b"), missing(&found, "i-0000000000000000c"));
    assert!(std::sync::Arc::ptr_eq(&b.vars, &c.vars), "{:?} / {:?}", b.vars, c.vars);
    assert!(!std::sync::Arc::ptr_eq(&missing(&found, "i-0000000000000000a").vars, &b.vars));

    let report = run(&[("states.json", states), ("patches.json", patches)]);
    let title = |node: &str| {
        let f = report.findings.iter().find(|f| f.code == Code::PatchMissing && f.node.as_deref() == Some(node));
        f.map(|f| f.title.clone()).unwrap_or_default()
    };
    assert!(title("i-0000000000000000a").contains("KB5034439"), "{}", title("i-0000000000000000a"));
    assert!(!title("i-0000000000000000b").contains("KB5034439"), "{}", title("i-0000000000000000b"));
    assert!(!title("i-0000000000000000b").is_empty());
}
