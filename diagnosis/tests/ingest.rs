//! Typed evidence from logs and free text: log events with time and level, and the ids a paste
//! names in passing.

use diagnosis::evidence::Evidence;
use diagnosis::ingest;
use diagnosis::model::LogLevel;

fn evidence(name: &str, text: &str) -> Evidence {
    Evidence::collect(&[ingest::read(name, text.as_bytes())])
}

#[test]
fn agent_and_payload_log_lines_become_events_with_time_and_level() {
    let agent = "2020-05-26 00:33:02 ERROR [S3Upload @ s3util.go.105] [ssm-document-worker] failed\n2020-05-26 00:33:03.1234 INFO done\nnot a log line\n";
    let ev = evidence("agent.log", agent);
    assert_eq!(ev.log_events.len(), 2);
    assert_eq!(ev.log_events[0].level, LogLevel::Error);
    assert_eq!(ev.log_events[0].cite.line, 1);
    assert_eq!(ev.log_events[0].time, Some(1_590_453_182.0));
    assert_eq!(&agent[ev.log_events[0].start..ev.log_events[0].end], agent.lines().next().unwrap());

    let payload = "07/07/2022 15:52:29 root [ERROR]: unsupported operand\n07/07/2022 15:52:30 botocore.credentials [INFO]: Found credentials\n";
    let ev = evidence("stdout", payload);
    let levels: Vec<LogLevel> = ev.log_events.iter().map(|e| e.level).collect();
    assert_eq!(levels, [LogLevel::Error, LogLevel::Info]);
    assert_eq!(ev.log_events[1].time, Some(1_657_209_150.0));
}

#[test]
fn payload_summary_names_snapshot_group_and_baseline() {
    let text = "12/02/2023 21:13:09 root [INFO]:\nPackage compliance initialized with instance ID:i-0123456789abcdef0,\nbaseline ID: pb-0123456789abcdef0, snapshot ID: 7d874638-1111-2222-3333-444455556666, patch group: web servers,\n";
    let ev = evidence("stdout", text);
    assert_eq!(ev.context.snapshot_ids[0].value, "7d874638-1111-2222-3333-444455556666");
    assert_eq!(ev.context.patch_groups[0].value, "web servers");
    assert_eq!(ev.context.baseline_ids[0].value, "pb-0123456789abcdef0");
    assert_eq!(ev.context.baseline_ids[0].cite.line, 3);
}

#[test]
fn baseline_arns_and_runbook_links_are_ids_too() {
    let text = "2024-01-01 10:00:00 ERROR using arn:aws:ssm:us-east-2:733109147000:patchbaseline/pb-0123fdb36e334a3b2\n2024-01-01 10:00:01 ERROR visit https://us-east-2.console.aws.amazon.com/systems-manager/automation/execute/AWSSupport-TroubleshootPatchManagerLinux?region=us-east-2#InstanceId=i-0123456789abcdef0&RunCommandId=11111111-2222-3333-4444-555555555555&x\n";
    let ev = evidence("agent.log", text);
    assert_eq!(
        ev.context.baseline_ids[0].value,
        "arn:aws:ssm:us-east-2:733109147000:patchbaseline/pb-0123fdb36e334a3b2"
    );
    assert_eq!(ev.context.command_ids[0].value, "11111111-2222-3333-4444-555555555555");
    assert_eq!(ev.context.region(), Some("us-east-2"));
    assert_eq!(ev.context.accounts[0].value, "733109147000");
}

#[test]
fn unknown_error_lines_are_pointed_at_not_ignored() {
    let text = "2024-05-01 10:00:00 INFO start\n2024-05-01 10:00:01 ERROR Health ping failed with error - AccessDeniedException\n2024-05-01 10:00:02 ERROR a brand new failure\n";
    let report =
        diagnosis::diagnose(&[diagnosis::Source { name: "agent.log", bytes: text.as_bytes() }], diagnosis::Lang::En);
    let unknown = report.findings.iter().find(|f| f.code == "unrecognised-log-errors").expect("X10");
    // The G1 line is explained by its signature; only the unknown one is pointed at.
    assert_eq!(unknown.evidence.len(), 1);
    assert_eq!(unknown.evidence[0].line, Some(3));
    assert!(report.findings.iter().any(|f| f.reference == "G1"));
}

/// A finding cites only its first six lines; the other lines its signature matched are known
/// too, and are never counted as errors nobody knows (a repeated health-ping failure once made
/// "10 error lines match no known failure"). The one new error is still pointed at.
#[test]
fn known_error_lines_past_a_finding_s_citations_are_not_unknown() {
    let mut text = String::from("2024-05-01 10:00:00 INFO start\n");
    for minute in 10..26 {
        text.push_str(&format!(
            "2024-05-01 10:{minute}:01 ERROR Health ping failed with error - AccessDeniedException\n"
        ));
    }
    let run = |text: &str| {
        diagnosis::diagnose(&[diagnosis::Source { name: "agent.log", bytes: text.as_bytes() }], diagnosis::Lang::En)
    };
    let report = run(&text);
    let g1 = report.findings.iter().find(|f| f.reference == "G1").expect("G1");
    assert!(g1.evidence.len() < 16, "{} lines cited", g1.evidence.len());
    assert!(!report.findings.iter().any(|f| f.code == "unrecognised-log-errors"), "{:?}", report.findings);
    text.push_str("2024-05-01 10:30:02 ERROR a brand new failure\n");
    let report = run(&text);
    let unknown = report.findings.iter().find(|f| f.code == "unrecognised-log-errors").expect("X10");
    assert_eq!(unknown.evidence.len(), 1);
    assert_eq!(unknown.evidence[0].line, Some(18));
}

#[test]
fn windows_events_from_format_list_are_typed() {
    let text = "TimeCreated      : 11/25/2026 10:41:02 AM\nId               : 7000\nLevelDisplayName : Error\nMessage          : The AmazonSSMAgent service failed to start due to the following error:\n\nTimeCreated      : 11/25/2026 10:41:32 AM\nId               : 7036\nLevelDisplayName : Information\nMessage          : The Windows Update service entered the running state.\n";
    let ev = evidence("events.txt", text);
    let errors: Vec<u32> = ev.log_events.iter().filter(|e| e.level == LogLevel::Error).map(|e| e.cite.line).collect();
    assert_eq!(errors, [3]);
}
