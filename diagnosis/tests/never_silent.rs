//! Never silent, over every sample of tests/ (fixtures, healthy and faulty corpus):
//! - every input that was recognised is cited by some finding (at least X0: what it shows and
//!   what it cannot);
//! - the lines that never pass silently (an ERROR or FATAL line, a hibernation line, an AWS API
//!   error, a Windows HRESULT, a non-success status value) are each cited by a finding: a known failure, or a
//!   check that quotes them.

use diagnosis::{diagnose, Lang, Source};
use regex_lite::Regex;

mod common;
use common::samples;

#[test]
fn no_recognised_input_and_no_failure_line_passes_silently() {
    let loud = Regex::new(
        r#"(?x)
        ^\s*\d{4}-\d\d-\d\d[ T][\d:.]+\s+(?:ERROR|FATAL|CRITICAL)\b   # an agent log line at ERROR or worse
        | \[(?:ERROR|FATAL|CRITICAL)\]                               # the patch payload's levels
        | Entering\ SSM\ Agent\ (?:Worker\ )?hibernate\ -\ [A-Za-eg-su-z]
        | An\ error\ occurred\ \([A-Za-z]+\)\ when\ calling
        | Exception\ from\ HRESULT:\ 0x
        | "(?:PingStatus)":\s*"(?:ConnectionLost|Inactive)"
        | "(?:AssociationStatus)":\s*"Failed"
        "#,
    )
    .unwrap();
    let mut problems = Vec::new();
    let mut checked_lines = 0;
    let samples = samples();
    for (sample, files) in &samples {
        let bytes: Vec<(String, Vec<u8>)> =
            files.iter().map(|p| (p.display().to_string(), std::fs::read(p).unwrap())).collect();
        let sources: Vec<Source> = bytes.iter().map(|(n, b)| Source { name: n, bytes: b }).collect();
        let report = diagnose(&sources, Lang::En);
        for (index, input) in report.inputs.iter().enumerate() {
            let kinds: Vec<&str> = if input.parts.is_empty() {
                vec![input.kind.name()]
            } else {
                input.parts.iter().map(|p| p.kind.name()).collect()
            };
            let recognised = kinds.iter().any(|k| !["cli-command", "unrecognized", "mixed"].contains(k));
            let cited = report.findings.iter().any(|f| f.evidence.iter().any(|e| e.input == input.name));
            if recognised && !cited {
                problems
                    .push(format!("{sample}: input {index} ({}) is recognised but no finding cites it", input.name));
            }
            let text = String::from_utf8_lossy(&bytes[index].1).replace("\r\n", "\n");
            for (at, line) in text.lines().enumerate() {
                if !loud.is_match(line) {
                    continue;
                }
                checked_lines += 1;
                let number = at as u32 + 1;
                let quoted = report
                    .findings
                    .iter()
                    .any(|f| f.evidence.iter().any(|e| e.input == input.name && e.line == Some(number)));
                if !quoted {
                    problems.push(format!("{sample}:{number}: `{}` is cited by no finding", line.trim()));
                }
            }
        }
    }
    assert!(checked_lines > 20, "{checked_lines} lines that must not pass silently");
    assert!(problems.is_empty(), "{} problems in {} samples:\n{}", problems.len(), samples.len(), problems.join("\n"));
}
