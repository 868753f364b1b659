//! Hostile and odd inputs: each gets the expected status and a message that says what is wrong
//! and what to do. Nothing panics, nothing hangs (these inputs would take minutes if any step
//! were quadratic).

use diagnosis::{diagnose, Lang, Report, Source};

fn run_bytes(bytes: &[u8]) -> Report {
    diagnose(&[Source { name: "input", bytes }], Lang::En)
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    status: &'static str,
    /// A phrase the input's messages must contain (empty: no requirement).
    message: &'static str,
    kind: &'static str,
}

fn cases() -> Vec<Case> {
    let states =
        r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "MissingCount": 2, "Operation": "Scan"}]}"#;
    let mut gzip = vec![0x1F, 0x8B, 0x08, 0x00];
    gzip.extend(std::iter::repeat_n(0x55u8, 200));
    let binary: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8).collect();
    let long_line = format!("{{\"Note\": \"{}\"}}", "x".repeat(10 * 1024 * 1024));
    let deep = "[".repeat(100_000);
    let many_brackets = "[INFO] agent started\n".repeat(200_000);
    let log_lines = "2024-01-01 10:00:00 INFO [ssm-agent-worker] i-0123456789abcdef0 ok\n".repeat(100_000);
    vec![
        Case { name: "empty", bytes: vec![], status: "unrecognized", message: "empty", kind: "unrecognized" },
        Case { name: "whitespace", bytes: b"  \n\t\r\n ".to_vec(), status: "unrecognized", message: "empty", kind: "unrecognized" },
        Case { name: "10 MB single line", bytes: long_line.into_bytes(), status: "unrecognized", message: "top-level keys Note", kind: "unrecognized" },
        Case { name: "100k-deep brackets", bytes: deep.into_bytes(), status: "unrecognized", message: "Not recognised", kind: "unrecognized" },
        Case { name: "binary", bytes: binary, status: "rejected", message: "binary file", kind: "unrecognized" },
        Case { name: "gzip", bytes: gzip, status: "rejected", message: "gzip", kind: "unrecognized" },
        Case { name: "UTF-16 without BOM", bytes: utf16le(states), status: "ok", message: "UTF-16 LE", kind: "instance-patch-states" },
        Case {
            name: "mixed paste",
            bytes: format!("$ aws ssm describe-instance-patch-states --instance-ids i-0123456789abcdef0\n{states}\n2024-01-01 10:00:00 ERROR [ssm-agent-worker] Health ping failed with error - AccessDeniedException\n").into_bytes(),
            status: "ok",
            message: "",
            kind: "mixed",
        },
        Case { name: "200k bracketed log lines", bytes: many_brackets.into_bytes(), status: "unrecognized", message: "Not recognised", kind: "unrecognized" },
        Case { name: "100k agent log lines", bytes: log_lines.into_bytes(), status: "ok", message: "", kind: "agent-log" },
        Case { name: "truncated JSON", bytes: states.as_bytes()[..60].to_vec(), status: "repaired", message: "cut off", kind: "instance-patch-states" },
        Case { name: "table output", bytes: b"------------------------------\n|  ListComplianceItems  |\n+----+\n| a |\n".to_vec(), status: "unrecognized", message: "--output json", kind: "unrecognized" },
        Case { name: "yaml output", bytes: b"InstancePatchStates:\n- InstanceId: i-0123456789abcdef0\n".to_vec(), status: "unrecognized", message: "--output json", kind: "unrecognized" },
    ]
}

#[test]
fn hostile_inputs_get_the_expected_status_and_a_useful_message() {
    let mut problems = Vec::new();
    for case in cases() {
        let report = run_bytes(&case.bytes);
        let input = &report.inputs[0];
        let messages = input.messages.join(" | ");
        if input.status != case.status || input.kind != case.kind {
            problems.push(format!(
                "{}: {}/{} (want {}/{}) {messages}",
                case.name, input.kind, input.status, case.kind, case.status
            ));
        }
        if !case.message.is_empty() && !messages.contains(case.message) {
            problems.push(format!("{}: messages lack `{}`: {messages}", case.name, case.message));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_bad_input_does_not_spoil_the_good_ones_beside_it() {
    let states =
        br#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "MissingCount": 2, "Operation": "Scan"}]}"#;
    let report = diagnose(
        &[
            Source { name: "junk.gz", bytes: &[0x1F, 0x8B, 8, 0, 1, 2, 3] },
            Source { name: "states.json", bytes: states },
        ],
        Lang::En,
    );
    assert_eq!(report.inputs[0].status, "rejected");
    assert!(report.findings.iter().any(|f| f.reference == "P6"));
}
