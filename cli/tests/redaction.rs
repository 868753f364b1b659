//! The command line's redaction: Markdown (the report for a support case) is redacted by
//! default over every fixture, JSON stays the machine contract in clear, categories can be kept,
//! and `restore` turns a reply written with the pseudonyms back into the real values.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn doctor(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ssm-doctor"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ssm-doctor runs");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn fixture(name: &str) -> String {
    format!("{}/../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

const STATES: &str = "awscli-describe-instance-patch-states.json";
const INSTANCE: &str = "i-1234567890abcdef0";

#[test]
fn markdown_is_redacted_by_default_and_json_is_the_contract_in_clear() {
    let markdown = stdout(&doctor(&["--format", "markdown", &fixture(STATES)], None));
    assert!(!markdown.contains(INSTANCE), "{markdown}");
    assert!(markdown.contains("INSTANCE-1") && markdown.contains("## Decision path"));
    let clear = stdout(&doctor(&["--format", "markdown", "--no-redact", &fixture(STATES)], None));
    assert!(clear.contains(INSTANCE));
    let json: serde_json::Value = serde_json::from_str(&stdout(&doctor(&[&fixture(STATES)], None))).unwrap();
    assert_eq!(json["findings"][0]["node"], INSTANCE);
    assert_eq!(json["redacted"], serde_json::Value::Null);
    let redacted: serde_json::Value =
        serde_json::from_str(&stdout(&doctor(&["--redact", &fixture(STATES)], None))).unwrap();
    assert_eq!(redacted["findings"][0]["node"], "INSTANCE-1");
    assert_eq!(redacted["redacted"]["hidden"]["instance"], 1);
}

#[test]
fn a_reporter_s_partial_placeholder_does_not_survive() {
    let text =
        r#"{"InstancePatchStates": [{"InstanceId": "i-11111111111", "FailedCount": 2, "Operation": "Install"}]}"#;
    for args in
        [&["--format", "markdown"][..], &["--redact", "--format", "json"][..], &["--redact", "--format", "text"][..]]
    {
        let out = stdout(&doctor(args, Some(text)));
        assert!(!out.contains("i-11111111111"), "{args:?}: {out}");
    }
}

#[test]
fn every_fixture_s_markdown_holds_none_of_its_instance_account_or_ip_values() {
    let dir = PathBuf::from(fixture(""));
    let ids = regex_lite::Regex::new(r"\b(?:i|mi)-[0-9a-zA-Z]{4,}\b|\b\d{12}\b|\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")
        .unwrap();
    let mut leaks = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let raw = std::fs::read_to_string(&path).unwrap_or_default();
        let markdown = stdout(&doctor(&["--format", "markdown", path.to_str().unwrap()], None));
        for line in raw.lines().filter(|l| !l.to_lowercase().contains("version")) {
            for m in ids.find_iter(line) {
                if markdown.contains(m.as_str()) {
                    leaks.push(format!("{}: {}", path.display(), m.as_str()));
                }
            }
        }
    }
    assert!(leaks.is_empty(), "{leaks:#?}");
}

#[test]
fn a_category_can_be_kept_and_a_reply_restored() {
    let kept = stdout(&doctor(&["--format", "markdown", "--keep", "instance", &fixture(STATES)], None));
    assert!(kept.contains(INSTANCE));
    let restored = stdout(&doctor(
        &["restore", &fixture(STATES)],
        Some("Reboot INSTANCE-1 after the fix; RESOURCE-1 is the baseline.\n"),
    ));
    assert!(restored.starts_with(&format!("Reboot {INSTANCE} after the fix; pb-")), "{restored}");
    let bad = doctor(&["--keep", "ips", &fixture(STATES)], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown category `ips` (use one of account, instance"));
}
