//! Real paste shapes: what people paste is rarely the clean output. Each shape is read, and the
//! failure in it found, as in the clean form.

use diagnosis::{diagnose, Lang, Report, Source};

fn refs(text: &str) -> Vec<String> {
    let report: Report = diagnose(&[Source { name: "paste", bytes: text.as_bytes() }], Lang::En);
    report.findings.iter().filter(|f| f.role.name() == "cause").map(|f| f.reference.clone()).collect()
}

fn has(text: &str, reference: &str) {
    let found = refs(text);
    assert!(found.iter().any(|r| r == reference), "{reference} not in {found:?} for:\n{text}");
}

const AGENT_LINE: &str = "2026-11-03 09:46:32 ERROR [amazon-ssm-agent] Agent failed to assume any identity";
const STATES: &str =
    r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "FailedCount": 2, "Operation": "Install"}]}"#;

#[test]
fn logs_behind_journald_syslog_and_reboot_markers() {
    has(&format!("Nov 03 09:46:32 ip-10-0-0-5 amazon-ssm-agent[1234]: {AGENT_LINE}\n-- Reboot --\nNov 03 09:50:01 ip-10-0-0-5 amazon-ssm-agent[987]: 2026-11-03 09:50:01 INFO [amazon-ssm-agent] starting\n"), "G8");
    has(&format!("Nov  3 09:46:32 ip-10-0-0-5 amazon-ssm-agent: {AGENT_LINE}\n"), "G8");
}

#[test]
fn logs_without_timestamps_indented_quoted_or_double_spaced() {
    has("    ERROR Agent failed to assume any identity\n    INFO retrying\n", "G8");
    has(&format!("> {AGENT_LINE}\n> 2026-11-03 09:46:33 INFO [amazon-ssm-agent] retrying\n"), "G8");
    has(&format!("{AGENT_LINE}\n\n2026-11-03 09:46:33 INFO [amazon-ssm-agent] retrying\n\n"), "G8");
    has("E: dpkg was interrupted, you must manually run 'dpkg --configure -a' to correct the problem.\n", "L11");
}

#[test]
fn json_in_markdown_with_comments_fragments_and_epoch_numbers() {
    has(&format!("**Output:**\n```json\n{STATES}\n```\n"), "P3");
    has(&format!("> {STATES}\n"), "P3");
    has("{\n  // the node\n  \"InstancePatchStates\": [{\"InstanceId\": \"i-0123456789abcdef0\", \"FailedCount\": 2, \"Operation\": \"Install\"}]\n}\n", "P3");
    has("Here it is:\n  \"InstancePatchStates\": [\n    {\"InstanceId\": \"i-0123456789abcdef0\", \"FailedCount\": 2, \"Operation\": \"Install\"}\n  ]\n", "P3");
    has(
        r#"{"InstanceInformationList": [{"InstanceId": "i-0123456789abcdef0", "PingStatus": "ConnectionLost", "LastPingDateTime": 1762159592.112}]}"#,
        "G3",
    );
}

#[test]
fn text_output_of_a_query_without_header() {
    has("$ aws ssm describe-instance-information --query \"InstanceInformationList[].[InstanceId,PingStatus]\" --output text\ni-0123456789abcdef0\tConnectionLost\n", "G3");
}

#[test]
fn run_command_output_with_stdout_and_stderr_and_cloudtrail_fragments() {
    let invocation = r#"{"CommandId": "0b6f2f6c-1a2b-4c3d-8e9f-0123456789ab", "InstanceId": "i-0123456789abcdef0", "DocumentName": "AWS-RunShellScript", "PluginName": "aws:runShellScript", "ResponseCode": 254, "Status": "Failed", "StatusDetails": "Failed", "StandardOutputContent": "Writing 1834 findings to Custom:CVEScan\n", "StandardErrorContent": "An error occurred (ItemSizeLimitExceededException) when calling the PutComplianceItems operation: The inventory item size has exceeded the size limit.\nfailed to run commands: exit status 254"}"#;
    has(invocation, "CU1");
    has(
        r#"**Event:** `{"eventSource": "ssm.amazonaws.com", "eventName": "PutComplianceItems", "errorCode": "ItemSizeLimitExceededException", "errorMessage": "The inventory item size has exceeded the size limit.", "requestParameters": {"resourceId": "i-0123456789abcdef0", "complianceType": "Custom:CVEScan"}}`"#,
        "CU1",
    );
}

/// A console output pasted as text: its lines start with the kernel's `[    1.905822]`, which is
/// also a valid JSON array; they are read as the log they are, and the instance id the JSON form
/// names ties the finding to the node.
#[test]
fn console_output_as_text_and_as_json() {
    let panic = "[    1.905410]  (driver?)\n[    1.905822] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n";
    has(panic, "G20");
    let report = diagnose(&[Source { name: "paste", bytes: panic.as_bytes() }], Lang::En);
    assert!(report.inputs[0].messages.is_empty(), "{:?}", report.inputs[0].messages);
    let json = serde_json::json!({"InstanceId": "i-0123456789abcdef0", "Output": panic, "Timestamp": "2026-11-30T02:16:41+00:00"});
    let report = diagnose(&[Source { name: "paste", bytes: json.to_string().as_bytes() }], Lang::En);
    let cause = report.findings.iter().find(|f| f.reference == "G20").expect("G20 from the JSON form");
    assert_eq!(cause.node.as_deref(), Some("i-0123456789abcdef0"));
    // A bracketed value alone on its line is still JSON.
    let bare = diagnose(&[Source { name: "paste", bytes: b"[1.5]\n" }], Lang::En);
    assert!(bare.inputs[0].messages.iter().any(|m| m.contains("bare list")), "{:?}", bare.inputs[0].messages);
}
