//! Redaction over every fixture and corpus sample: an exported report (JSON, Markdown with its
//! decision path, text; both languages) holds none of the identifying values of its inputs, nor
//! anything shaped like one. The values are found here by a detector written independently of
//! the redactor (regular expressions, broader than the redactor's rules), so a value the
//! redactor's own rules miss is caught.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use diagnosis::commands::Settings;
use diagnosis::export::Export;
use diagnosis::ingest;
use diagnosis::redact::{Category, Redactor};
use diagnosis::report::Report;
use diagnosis::{wizard, Diagnosis, Lang};
use regex_lite::Regex;

fn samples() -> Vec<Vec<PathBuf>> {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests"));
    let mut out = Vec::new();
    for dir in [root.join("fixtures"), root.join("corpus/faulty"), root.join("corpus/healthy")] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                let mut files: Vec<PathBuf> = std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()).collect();
                files.sort();
                out.push(files);
            } else if path.extension().is_some_and(|e| e != "md") {
                out.push(vec![path]);
            }
        }
    }
    // All the fixtures at once: pseudonyms must stay consistent across many inputs.
    out.push(out.iter().take(31).flatten().cloned().collect());
    out
}

/// Identifying values, by the detector's own patterns (deliberately broad).
fn detectors() -> Vec<(&'static str, Regex)> {
    [
        ("instance", r"\b(?:i|mi)-[0-9A-Za-z]{4,}\b"),
        ("account", r"\b[0-9]{11,13}\b"),
        ("uuid", r"\b[0-9A-Za-z]{8}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{8,16}\b"),
        ("resource", r"\b[a-z]{1,12}-(?:[0-9a-f]{8,17}|[0-9a-f]{8,12}EXAMPLE)\b"),
        ("ipv4", r"\b(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}\b"),
        ("arn", r"\barn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:[0-9]*:[^\s\x22'`,]+"),
        ("email", r"\b[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b"),
        ("access-key", r"\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b"),
        ("host", r"\bip-[0-9]{1,3}-[0-9]{1,3}-[0-9]{1,3}-[0-9]{1,3}\b"),
    ]
    .into_iter()
    .map(|(name, pattern)| (name, Regex::new(pattern).unwrap()))
    .collect()
}

/// A value the detector finds that is not data: versions (`"AgentVersion": "2.3.1.0"`) and
/// dates written as ids.
fn is_version_line(line: &str) -> bool {
    line.to_ascii_lowercase().contains("version")
}

fn identifying_values(text: &str) -> BTreeSet<(String, &'static str)> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        for (name, re) in detectors() {
            if name == "ipv4" && is_version_line(line) {
                continue;
            }
            for m in re.find_iter(line) {
                found.insert((m.as_str().to_string(), name));
            }
        }
    }
    found
}

fn exports(files: &[PathBuf], lang: Lang, redactor: &mut Redactor) -> (String, Vec<String>) {
    let mut raw = String::new();
    let inputs: Vec<ingest::Input> = files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).unwrap();
            raw.push_str(&String::from_utf8_lossy(&bytes));
            raw.push('\n');
            ingest::read(&f.file_name().unwrap().to_string_lossy(), &bytes)
        })
        .collect();
    let diagnosis = Diagnosis::of(&inputs, Some(1_795_651_200.0));
    let settings = Settings::default();
    let report = Report::build(&inputs, &diagnosis, lang, &settings);
    let walk = wizard::walk(&report, &Default::default(), &settings, lang);
    let mut export = Export { report, walk };
    export.redact(redactor, &[]);
    let outputs = vec![export.to_markdown(lang), export.report.to_json(), export.report.to_text(lang)];
    (raw, outputs)
}

fn name(files: &[PathBuf]) -> String {
    if files.len() > 5 {
        return format!("{} files together", files.len());
    }
    files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect::<Vec<_>>().join("+")
}

#[test]
fn no_export_of_any_sample_holds_an_identifying_value() {
    let mut leaks = Vec::new();
    let mut checked = 0;
    for files in samples() {
        for lang in [Lang::En, Lang::ZhCn] {
            let (raw, outputs) = exports(&files, lang, &mut Redactor::new());
            let originals = identifying_values(&raw);
            checked += originals.len();
            for output in &outputs {
                for (value, kind) in &originals {
                    if output.contains(value.as_str()) {
                        leaks.push(format!("{}: the original {kind} `{value}`", name(&files)));
                    }
                }
                // Nothing id-shaped at all, wherever it came from.
                for (value, kind) in identifying_values(output) {
                    leaks.push(format!("{}: an id-shaped {kind} `{value}`", name(&files)));
                }
            }
        }
    }
    leaks.sort();
    leaks.dedup();
    assert!(checked > 200, "the samples hold {checked} identifying values: the detector is not finding them");
    assert!(leaks.is_empty(), "{} leaks:\n{}", leaks.len(), leaks.join("\n"));
}

#[test]
fn a_reply_written_with_the_pseudonyms_of_an_export_is_restored() {
    let files = [Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/issue-ssm-agent-283-inventory-output-nosuchbucket.log"
    ))
    .to_path_buf()];
    let mut redactor = Redactor::new();
    let (raw, outputs) = exports(&files, Lang::En, &mut redactor);
    let markdown = &outputs[0];
    let instance = identifying_values(&raw).into_iter().find(|(_, k)| *k == "instance").expect("an instance id").0;
    // The support engineer's reply quotes the export's pseudonyms; restored, it names the node.
    let pseudonym = redactor.mapping().into_iter().find(|(_, _, original)| *original == instance).unwrap().1;
    assert!(markdown.contains(&pseudonym));
    let reply = format!("Please fix the bucket of {pseudonym}, then run the association again.");
    assert_eq!(
        redactor.restore(&reply),
        format!("Please fix the bucket of {instance}, then run the association again.")
    );
}

#[test]
fn a_category_left_in_clear_is_the_only_one_in_clear() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/awscli-describe-instance-patch-states.json");
    let bytes = std::fs::read(fixture).unwrap();
    let inputs = vec![ingest::read("states.json", &bytes)];
    let diagnosis = Diagnosis::of(&inputs, None);
    let report = Report::build(&inputs, &diagnosis, Lang::En, &Settings::default());
    let mut export =
        Export { walk: wizard::walk(&report, &Default::default(), &Settings::default(), Lang::En), report };
    let found = export.redact(&mut Redactor::new(), &[Category::Instance]);
    let markdown = export.to_markdown(Lang::En);
    assert!(markdown.contains("i-1234567890abcdef0"), "instances kept");
    assert!(!markdown.contains("pb-0123456789abcdef0") && markdown.contains("RESOURCE-1"), "baselines hidden");
    assert_eq!(found.kept.get(&Category::Instance), Some(&1));
    assert!(found.hidden.contains_key(&Category::Resource));
    // The report says it was redacted, and how.
    assert!(export.report.to_json().contains("\"redacted\""));
}

proptest::proptest! {
    /// Any text: redaction never panics, and restoring what it wrote gives the text back (the
    /// alphabet holds no pseudonym of its own: `ACCOUNT-1` needs letters it lacks).
    #[test]
    fn redaction_then_restore_gives_any_text_back(text in "[a-fA-F0-9ixm .:/=@_+\\-\"{},\n]{0,120}") {
        let mut redactor = Redactor::new();
        let hidden = redactor.text(&text);
        proptest::prop_assert_eq!(redactor.restore(&hidden), text);
    }
}

#[test]
fn pasted_markup_in_an_exported_report_is_quoted_as_code() {
    let text = r#"{"InstancePatchStates": [{"InstanceId": "i-0123456789abcdef0", "FailedCount": 2, "Operation": "Install", "Note": "[x](javascript:alert(1)) <img src=x onerror=alert(1)> `rm -rf /`"}]}"#;
    let inputs = vec![ingest::read("states<b>.json", text.as_bytes())];
    let diagnosis = Diagnosis::of(&inputs, None);
    let report = Report::build(&inputs, &diagnosis, Lang::En, &Settings::default());
    let mut export =
        Export { walk: wizard::walk(&report, &Default::default(), &Settings::default(), Lang::En), report };
    export.redact(&mut Redactor::new(), &[]);
    let markdown = export.to_markdown(Lang::En);
    let quoted: Vec<&str> = markdown.lines().filter(|l| l.contains("javascript:")).collect();
    assert!(!quoted.is_empty(), "{markdown}");
    for line in quoted {
        // `> ``states<b>.json:1`` `` … `rm -rf /` `` `: the location and the line, each one code span.
        assert!(line.starts_with("> `") && line.ends_with('`'), "{line}");
        assert!(line.contains("`` {\"InstancePatchStates\"") || line.contains("``{\"InstancePatchStates\""), "{line}");
    }
    assert!(markdown.contains("| `states<b>.json` |"), "the input's name is code in the table");
}
