//! Every shared fixture is recognised as the kind its SOURCES.md row implies, read with the
//! right status, and diagnosed with the refs and roles that row describes.

use diagnosis::{diagnose, Lang, Report, Source};

/// The repository's own copy of the fixtures (tests/fixtures, with SOURCES.md): a clone tests alone.
fn fixture_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures"))
}

fn run(name: &str) -> Report {
    let bytes = std::fs::read(fixture_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    diagnose(&[Source { name, bytes: &bytes }], Lang::En)
}

struct Expect {
    file: &'static str,
    kind: &'static str,
    status: &'static str,
    /// (ref, role) pairs that must be present.
    must: &'static [(&'static str, &'static str)],
    /// Refs that must NOT be present as a cause.
    no_cause: bool,
}

const EXPECTED: &[Expect] = &[
    Expect {
        file: "awscli-list-compliance-items.json",
        kind: "compliance-items",
        status: "repaired",
        must: &[("N1", "check"), ("N1", "note")],
        no_cause: true,
    },
    Expect {
        file: "awscli-list-compliance-summaries.json",
        kind: "compliance-summaries",
        status: "repaired",
        must: &[("N1", "check")],
        no_cause: true,
    },
    Expect {
        file: "awscli-list-resource-compliance-summaries.json",
        kind: "resource-compliance-summaries",
        status: "ok",
        must: &[("N1", "note")],
        no_cause: true,
    },
    Expect {
        file: "awscli-describe-instance-patch-states.json",
        kind: "instance-patch-states",
        status: "ok",
        must: &[("P3", "cause"), ("P6", "cause")],
        no_cause: false,
    },
    Expect {
        file: "awscli-describe-instance-patch-states-for-patch-group-missing-rejected.json",
        kind: "instance-patch-states",
        status: "ok",
        must: &[("P4", "cause"), ("P5", "cause"), ("P6", "cause")],
        no_cause: false,
    },
    Expect {
        file: "awscli-describe-instance-patches-windows-missing.json",
        kind: "instance-patches",
        status: "repaired",
        must: &[("P6", "cause")],
        no_cause: false,
    },
    Expect {
        file: "awscli-describe-instance-information.json",
        kind: "instance-information",
        status: "ok",
        must: &[("M0", "note")],
        no_cause: true,
    },
    Expect {
        file: "awscli-describe-association-pending-associated.json",
        kind: "association-description",
        status: "ok",
        must: &[("A8", "check")],
        no_cause: true,
    },
    Expect {
        file: "awscli-describe-association-execution-targets.json",
        kind: "association-execution-targets",
        status: "ok",
        must: &[("AS2", "note")],
        no_cause: true,
    },
    Expect {
        file: "awscli-get-command-invocation.json",
        kind: "command-invocation",
        status: "ok",
        must: &[("P1", "note")],
        no_cause: true,
    },
    Expect {
        file: "awscli-list-commands-runpatchbaseline.json",
        kind: "commands",
        status: "repaired",
        must: &[("P1", "note")],
        no_cause: true,
    },
    Expect {
        file: "awscli-get-patch-baseline-windows.json",
        kind: "patch-baseline",
        status: "ok",
        must: &[("P7", "note")],
        no_cause: true,
    },
    Expect {
        file: "docs-list-compliance-items-association-runpatchbaselineassociation.json",
        kind: "compliance-items",
        status: "ok",
        must: &[("AS1", "cause")],
        no_cause: false,
    },
    Expect {
        file: "docs-describe-instance-associations-status-empty-unregistered.json",
        kind: "instance-associations-status",
        status: "ok",
        // An empty list alone is absence, not proof: at most a check (issue 9).
        must: &[("G4", "check")],
        no_cause: true,
    },
    Expect {
        file: "docs-eventbridge-patch-noncompliant.json",
        kind: "eventbridge-compliance-event",
        status: "ok",
        must: &[("N1", "cause")],
        no_cause: false,
    },
    Expect {
        file: "docs-ssm-cli-get-diagnostics-table-linux.txt",
        kind: "ssm-cli-diagnostics",
        status: "ok",
        must: &[("M0.2", "note"), ("M0", "note")],
        no_cause: true,
    },
    Expect {
        file: "docs-linux-payload-race-or-disk-exit155-152.log",
        kind: "patch-linux-output",
        status: "ok",
        must: &[("L1", "cause")],
        no_cause: false,
    },
    Expect {
        file: "docs-linux-unable-to-download-payload-exit156.log",
        kind: "patch-linux-output",
        status: "ok",
        must: &[("L4", "cause")],
        no_cause: false,
    },
    Expect {
        file: "docs-linux-unsupported-python-apt.log",
        kind: "patch-linux-output",
        status: "ok",
        must: &[("L6", "cause")],
        no_cause: false,
    },
    Expect {
        file: "docs-ubuntu-dpkg-frontend-locked.log",
        kind: "patch-linux-output",
        status: "ok",
        must: &[("L10", "cause")],
        no_cause: false,
    },
    Expect {
        file: "docs-linux-yum-dependency-failure.log",
        kind: "patch-linux-output",
        status: "ok",
        must: &[("L13", "cause")],
        no_cause: false,
    },
    Expect {
        file: "docs-linux-sni-missing-warning.log",
        kind: "patch-linux-output",
        status: "ok",
        must: &[("L25", "note")],
        no_cause: true,
    },
    Expect {
        file: "docs-windows-patch-policy-access-denied.log",
        kind: "patch-windows-output",
        status: "ok",
        must: &[("W4", "cause")],
        no_cause: false,
    },
    Expect {
        file: "docs-windows-no-windows-update-or-wsus-0x80072EE2.log",
        kind: "patch-windows-output",
        status: "ok",
        must: &[("W2", "cause")],
        no_cause: false,
    },
    Expect {
        file: "docs-put-compliance-items-custom-noncompliant.txt",
        kind: "cli-command",
        status: "ok",
        must: &[("CU0", "cause")],
        no_cause: false,
    },
    Expect {
        file: "issue-ssm-agent-453-debian11-part2-unsupported-os-146.log",
        kind: "patch-linux-output",
        status: "ok",
        must: &[("L19", "cause")],
        no_cause: false,
    },
    Expect {
        file: "issue-ssm-agent-549-rhel8-summary-noncompliant-informational.log",
        kind: "patch-linux-output",
        status: "ok",
        // The payload summary says "Missing count: 2": the specific P6, not the generic P2.
        must: &[("P6", "cause")],
        no_cause: false,
    },
    Expect {
        file: "issue-ssm-agent-144-health-ping-accessdenied.log",
        kind: "agent-log",
        status: "ok",
        must: &[("G1", "cause")],
        no_cause: false,
    },
    Expect {
        file: "issue-ssm-agent-283-inventory-output-nosuchbucket.log",
        kind: "agent-log",
        status: "ok",
        must: &[("I7", "cause")],
        no_cause: false,
    },
    Expect {
        file: "issue-ssm-agent-60-association-validation-exception.log",
        kind: "agent-log",
        status: "ok",
        must: &[("A9", "cause")],
        no_cause: false,
    },
    Expect {
        file: "issue-steampipe-mod-759-describe-instance-patches-notapplicable.json",
        kind: "instance-patches",
        status: "ok",
        must: &[("P2", "note")],
        no_cause: true,
    },
    // A detector's own public sample about another control: read, and only what it shows.
    Expect {
        file: "awscli-securityhub-get-findings-pci-passed-archived.json",
        kind: "securityhub-findings",
        status: "ok",
        must: &[("X0", "note")],
        no_cause: true,
    },
    // A detector's own public sample about another control: read, and only what it shows.
    Expect {
        file: "awscli-configservice-get-compliance-details-by-config-rule.json",
        kind: "config-compliance",
        status: "ok",
        must: &[("X0", "note")],
        no_cause: true,
    },
    // A detector's own public sample about another control: read, and only what it shows.
    Expect {
        file: "awscli-configservice-describe-compliance-by-resource.json",
        kind: "config-compliance",
        status: "ok",
        must: &[("X0", "note")],
        no_cause: true,
    },
    // A detector's own public sample about another control: read, and only what it shows.
    Expect {
        file: "prowler-example-output-aws.csv",
        kind: "prowler-csv",
        status: "ok",
        must: &[("X0", "note")],
        no_cause: true,
    },
    // A detector's own public sample about another control: read, and only what it shows.
    Expect {
        file: "prowler-example-output-aws.ocsf.json",
        kind: "ocsf-findings",
        status: "ok",
        must: &[("X0", "note")],
        no_cause: true,
    },
];

#[test]
fn every_fixture_file_has_an_expectation() {
    let mut files: Vec<String> = std::fs::read_dir(fixture_dir())
        .expect("fixtures")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n != "SOURCES.md")
        .collect();
    files.sort();
    let missing: Vec<&String> = files.iter().filter(|f| !EXPECTED.iter().any(|e| e.file == f.as_str())).collect();
    assert!(missing.is_empty(), "fixtures without an expectation: {missing:?}");
}

#[test]
fn fixtures_are_recognised_and_diagnosed_as_sources_md_says() {
    let mut failures = Vec::new();
    for e in EXPECTED {
        let report = run(e.file);
        let input = &report.inputs[0];
        if input.kind != e.kind || input.status != e.status {
            failures.push(format!(
                "{}: kind/status {}/{} (want {}/{}) {:?}",
                e.file, input.kind, input.status, e.kind, e.status, input.messages
            ));
        }
        for (reference, role) in e.must {
            if !report.findings.iter().any(|f| f.reference == *reference && f.role == *role) {
                let got: Vec<String> = report.findings.iter().map(|f| format!("{}/{}", f.reference, f.role)).collect();
                failures.push(format!("{}: no {reference}/{role} finding (got {got:?})", e.file));
            }
        }
        if e.no_cause {
            if let Some(f) = report.findings.iter().find(|f| f.role == "cause") {
                failures.push(format!("{}: nothing is wrong here, but got cause {} {}", e.file, f.reference, f.title));
            }
        }
        for f in &report.findings {
            // region-unknown reports an absence; with no node id there is no line to cite.
            let absence = f.code == "region-unknown";
            if (f.evidence.is_empty() && !absence) || f.evidence.iter().any(|ev| ev.text.is_empty()) {
                failures.push(format!("{}: finding {} cites no line text", e.file, f.code));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn repaired_inputs_say_what_was_repaired() {
    let report = run("awscli-list-commands-runpatchbaseline.json");
    assert!(
        report.inputs[0].messages.iter().any(|m| m.contains("line 41") && m.contains("missing `,`")),
        "{:?}",
        report.inputs[0].messages
    );
    // Recovering the objects means all three commands were read, not just the first.
    assert!(report.findings.iter().any(|f| f.code == "patch-install-ran"));
    assert!(report.findings.iter().any(|f| f.code == "not-compliance-document"));
}

#[test]
fn patch_states_slice_tailors_commands_with_the_real_instance() {
    let report = run("awscli-describe-instance-patch-states-for-patch-group-missing-rejected.json");
    let reboot = report.findings.iter().find(|f| f.reference == "P4").expect("P4");
    assert_eq!(reboot.node.as_deref(), Some("i-02573cafcfEXAMPLE"));
    assert_eq!(reboot.title, "1 patch is installed but waits for a reboot");
    assert!(reboot.why.contains("NoReboot"), "{}", reboot.why);
    assert_eq!(reboot.evidence[0].line, Some(11));
    assert_eq!(reboot.evidence[0].text, "\"InstalledPendingRebootCount\": 1,");
    let texts: Vec<&str> = reboot.commands.iter().map(|c| c.text.as_str()).collect();
    assert!(texts.contains(&"aws ssm describe-instance-patches --instance-id i-02573cafcfEXAMPLE --filters \"Key=State,Values=InstalledPendingReboot\" --region '<region>'"), "{texts:?}");
    assert!(texts.contains(&"aws ec2 reboot-instances --instance-ids i-02573cafcfEXAMPLE --region '<region>'"));
    let missing = report.findings.iter().find(|f| f.reference == "P6").expect("P6");
    assert!(missing.why.contains("Scan, which only reports"), "{}", missing.why);
}

#[test]
fn region_found_in_a_log_fills_the_commands() {
    let report = run("docs-linux-unable-to-download-payload-exit156.log");
    let f = report.findings.iter().find(|f| f.reference == "L4").expect("L4");
    assert!(f.why.contains("aws-ssm-eu-west-1"), "{}", f.why);
    assert_eq!(report.region.as_deref(), Some("eu-west-1"));
    assert!(
        f.commands.iter().any(|c| c.text.contains("https://s3.dualstack.eu-west-1.amazonaws.com/aws-ssm-eu-west-1/")),
        "{:?}",
        f.commands
    );
}

#[test]
fn chinese_report_uses_the_official_terms() {
    let bytes = std::fs::read(
        fixture_dir().join("awscli-describe-instance-patch-states-for-patch-group-missing-rejected.json"),
    )
    .unwrap();
    let report = diagnose(&[Source { name: "x.json", bytes: &bytes }], Lang::ZhCn);
    let titles: Vec<&str> = report.findings.iter().map(|f| f.title.as_str()).collect();
    assert!(titles.iter().any(|t| t.contains("等待重启")), "{titles:?}");
    assert!(titles.iter().any(|t| t.contains("被拒绝的补丁")), "{titles:?}");
    // Commands stay verbatim in every language.
    assert!(report.findings[0].commands.iter().any(|c| c.text.starts_with("aws ssm ")));
}

#[test]
fn several_inputs_are_correlated_by_instance() {
    let dir = fixture_dir();
    let states = std::fs::read(dir.join("awscli-describe-instance-patch-states.json")).unwrap();
    let paste =
        b"$ aws ssm describe-instance-patch-states --instance-ids i-1234567890abcdef0 --region ap-southeast-2\n";
    let report =
        diagnose(&[Source { name: "cmd.txt", bytes: paste }, Source { name: "states.json", bytes: &states }], Lang::En);
    let failed = report.findings.iter().find(|f| f.reference == "P3").expect("P3");
    assert!(
        failed.commands.iter().all(|c| !c.text.contains("<region>")),
        "region from the command line fills every command: {:?}",
        failed.commands
    );
    assert_eq!(report.nodes.len(), 1);
    assert_eq!(report.nodes[0].node, "i-1234567890abcdef0");
}

#[test]
fn ids_in_free_text_fill_commands() {
    // The agent log names the association run as `[<association-id>.<timestamp>]`.
    let report = run("issue-ssm-agent-283-inventory-output-nosuchbucket.log");
    let i7 = report.findings.iter().find(|f| f.reference == "I7").expect("I7");
    assert!(
        i7.commands.iter().any(|c| c.text.contains("--association-id 5cbe845f-0f5a-4fd5-b39c-9fa44f1db943")),
        "{:?}",
        i7.commands
    );
    assert_eq!(i7.node.as_deref(), Some("i-070b1aebd1b39fcdc"));
}

/// Review D2: "the reboot was blocked" is said only after an Install with RebootIfNeeded; a Scan
/// that finds InstalledPendingReboot says what a Scan can find.
#[test]
fn the_reboot_hint_follows_the_operation_and_its_option() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/corpus/faulty/windows-scan-pending-reboot-outside-patch-manager.json"
    );
    let bytes = std::fs::read(path).unwrap();
    let report = diagnosis::diagnose(&[diagnosis::Source { name: "states.json", bytes: &bytes }], Lang::En);
    let p4 = report.findings.iter().find(|f| f.reference == "P4").expect("P4");
    assert!(p4.why.contains("Scan, which never reboots"), "{}", p4.why);
    assert!(!p4.why.contains("blocked"), "{}", p4.why);
    let install = String::from_utf8(bytes).unwrap().replace("\"Operation\": \"Scan\"", "\"Operation\": \"Install\"");
    let report = diagnosis::diagnose(&[diagnosis::Source { name: "states.json", bytes: install.as_bytes() }], Lang::En);
    let p4 = report.findings.iter().find(|f| f.reference == "P4").expect("P4");
    assert!(p4.why.contains("RebootIfNeeded was set"), "{}", p4.why);
}

/// Review D3 and issue 18: the id alone tells a hybrid node; it gets no EC2 call, and a reboot
/// through Run Command.
#[test]
fn a_hybrid_node_gets_no_ec2_command_and_a_reboot_it_can_run() {
    let states = r#"{"InstancePatchStates": [{"InstanceId": "mi-0123456789abcdef0", "BaselineId": "pb-0123456789abcdef0", "InstalledPendingRebootCount": 2, "Operation": "Install", "RebootOption": "NoReboot"}]}"#;
    let report = diagnosis::diagnose(&[diagnosis::Source { name: "states.json", bytes: states.as_bytes() }], Lang::En);
    let commands: Vec<&str> = report.findings.iter().flat_map(|f| f.commands.iter().map(|c| c.text.as_str())).collect();
    assert!(!commands.iter().any(|c| c.starts_with("aws ec2")), "{commands:#?}");
    assert!(commands.iter().any(|c| c.contains("AWS-RunShellScript") && c.contains("exit 194")), "{commands:#?}");
    let ec2 = states.replace("mi-", "i-");
    let report = diagnosis::diagnose(&[diagnosis::Source { name: "states.json", bytes: ec2.as_bytes() }], Lang::En);
    let commands: Vec<&str> = report.findings.iter().flat_map(|f| f.commands.iter().map(|c| c.text.as_str())).collect();
    assert!(commands.iter().any(|c| c.starts_with("aws ec2 reboot-instances")), "{commands:#?}");
    assert!(!commands.iter().any(|c| c.contains("exit 194")), "{commands:#?}");
}
