//! No text we write reaches a person with a bare `{slot}`: over every sample of tests/, both
//! languages, the report (findings, groups, verdicts, command labels), the guided path it leads
//! to, what each guided answer produces when chosen, and the name a share link shows for every
//! catalogue entry (the page shows `code spans` as code; the browser tests check no backtick is
//! left on screen).
//! Evidence lines and command texts are the inputs' and the shells' own, and are not scanned.

use std::collections::BTreeMap;

use diagnosis::commands::Settings;
use diagnosis::knowledge::Knowledge;
use diagnosis::report::Report;
use diagnosis::wizard::{walk, Step};
use diagnosis::{diagnose, Lang, Source};
use regex_lite::Regex;

mod common;

const LANGS: [Lang; 2] = [Lang::En, Lang::ZhCn];

fn slot() -> Regex {
    Regex::new(r"\{[a-z_]+(?::[^{}]*)?\}").unwrap()
}

/// (where, text) for every text of the report a person reads.
fn report_texts(report: &Report) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = Vec::new();
    for f in &report.findings {
        let at = format!("finding {}", f.reference);
        out.extend([
            (format!("{at} title"), f.title.as_str()),
            (format!("{at} why"), &f.why),
            (format!("{at} fix"), &f.fix),
        ]);
        out.extend(f.commands.iter().map(|c| (format!("{at} command label"), c.label.as_str())));
        out.extend(f.supporting.iter().map(|s| (format!("{at} supporting"), s.title.as_str())));
    }
    for g in &report.groups {
        let at = format!("group {}", g.reference);
        out.extend([
            (format!("{at} title"), g.title.as_str()),
            (format!("{at} why"), &g.why),
            (format!("{at} fix"), &g.fix),
        ]);
        out.extend(g.commands.iter().map(|c| (format!("{at} command label"), c.label.as_str())));
    }
    out.extend(report.nodes.iter().map(|n| (format!("verdict of {}", n.node), n.verdict.as_str())));
    out
}

fn walk_texts(steps: &[Step]) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = Vec::new();
    for s in steps {
        out.extend([
            (format!("step {} title", s.id), s.title.as_str()),
            (format!("step {} question", s.id), &s.question),
        ]);
        out.extend(s.choices.iter().map(|c| (format!("step {} choice {}", s.id, c.value), c.label.as_str())));
        out.extend(s.answers.iter().map(|a| (format!("step {} answer", s.id), a.title.as_str())));
        out.extend(s.command.iter().map(|c| (format!("step {} command label", s.id), c.label.as_str())));
    }
    out
}

fn scan(problems: &mut Vec<String>, context: &str, texts: Vec<(String, &str)>) {
    let slot = slot();
    for (at, text) in texts {
        if let Some(m) = slot.find(text) {
            problems.push(format!("{context}, {at}: `{}` in {text:?}", m.as_str()));
        }
    }
}

#[test]
fn no_report_and_no_guided_step_shows_a_bare_slot() {
    let mut problems = Vec::new();
    let settings = Settings::default();
    let mut reports = 0;
    for (sample, files) in common::samples() {
        let bytes: Vec<(String, Vec<u8>)> =
            files.iter().map(|p| (p.display().to_string(), std::fs::read(p).unwrap())).collect();
        let sources: Vec<Source> = bytes.iter().map(|(n, b)| Source { name: n, bytes: b }).collect();
        for lang in LANGS {
            let report = diagnose(&sources, lang);
            scan(&mut problems, &format!("{sample} {lang:?}"), report_texts(&report));
            scan(
                &mut problems,
                &format!("{sample} {lang:?} walk"),
                walk_texts(&walk(&report, &BTreeMap::new(), &settings, lang)),
            );
            scan(
                &mut problems,
                &format!("{sample} {lang:?} markdown"),
                vec![("text".into(), &prose(&report.to_markdown(lang)))],
            );
            reports += 1;
        }
    }
    assert!(reports > 250, "{reports} reports");
    assert!(problems.is_empty(), "{} bare slots:\n{}", problems.len(), problems.join("\n"));
}

/// Markdown without what it quotes: code spans, code blocks and `>` evidence lines.
fn prose(markdown: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced || line.starts_with('>') || line.starts_with('|') {
            continue;
        }
        let mut inside = false;
        for part in line.split('`') {
            if !inside {
                out.push_str(part);
            }
            inside = !inside;
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_guided_answer_and_what_it_leads_to_show_no_bare_slot() {
    let mut problems = Vec::new();
    let settings = Settings::default();
    let empty = diagnose(&[], Lang::En);
    let mut answered = 0;
    for lang in LANGS {
        // Every branch, then every choice of every step the walk asks, as the page sends it.
        let branches = walk(&empty, &BTreeMap::new(), &settings, lang);
        let n1 = branches.iter().find(|s| s.id == "N1").expect("N1");
        for branch in &n1.choices {
            let answers = BTreeMap::from([("N1".to_string(), branch.value.clone())]);
            let steps = walk(&empty, &answers, &settings, lang);
            scan(&mut problems, &format!("{lang:?} N1={}", branch.value), walk_texts(&steps));
            for step in &steps {
                for choice in step.choices.iter().filter(|c| c.asserts.is_some()) {
                    let text = choice.asserts.as_deref().unwrap();
                    let report = diagnose(&[Source { name: "your answer", bytes: text.as_bytes() }], lang);
                    let at = format!("{lang:?} {}={}", step.id, choice.value);
                    scan(&mut problems, &at, report_texts(&report));
                    let mut chosen = answers.clone();
                    chosen.insert(step.id.clone(), choice.value.clone());
                    scan(&mut problems, &format!("{at} walk"), walk_texts(&walk(&report, &chosen, &settings, lang)));
                    answered += 1;
                }
            }
        }
    }
    assert!(answered > 20, "{answered} answers");
    assert!(problems.is_empty(), "{} bare slots:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn every_entry_has_a_name_without_values_for_a_share_link() {
    let slot = slot();
    for entry in &Knowledge::get().entries {
        for lang in LANGS {
            let name = entry.name(lang);
            assert!(!name.contains('{'), "{} {lang:?}: {name}", entry.code.name());
            assert!(!slot.is_match(name));
        }
    }
}

/// Inputs each of which makes the reader say something: a different encoding, repaired or cut-off
/// JSON, an output format it cannot read, a file that is not text, a paste of several parts.
fn inputs_with_messages() -> Vec<(&'static str, Vec<u8>)> {
    let utf16: Vec<u8> =
        "\u{FEFF}{\"InstancePatchStates\": []}".encode_utf16().flat_map(|u| u.to_le_bytes()).chain([0x41]).collect();
    vec![
        ("utf-16 with an odd byte", utf16),
        ("NUL bytes and bad UTF-8", b"{\"InstancePatchStates\": [\0]}\xff\xfe\n".to_vec()),
        ("repaired JSON", b"{InstancePatchStates: [{'InstanceId': 'i-0123456789abcdef0', ...,}]".to_vec()),
        ("cut-off JSON", b"{\"InstancePatchStates\": [{\"InstanceId\": \"i-0123456789abcdef0\"".to_vec()),
        ("unknown JSON", b"{\"Foo\": 1, \"Bar\": 2}".to_vec()),
        ("bare JSON list", b"[\"i-0123456789abcdef0\"]".to_vec()),
        (
            "table output",
            b"--------------------------------\n|  DescribeInstancePatchStates  |\n+------+\n| x |\n".to_vec(),
        ),
        ("yaml output", b"InstancePatchStates:\n- InstanceId: i-0123456789abcdef0\n  MissingCount: 1\n".to_vec()),
        ("gzip", vec![0x1F, 0x8B, 8, 0, 0, 0, 0, 0]),
        ("binary", (0u8..=255).cycle().take(4096).collect()),
        ("empty", b"  \n".to_vec()),
        (
            "two parts",
            b"hello there\n{\"InstancePatchStates\": [{\"InstanceId\": \"i-0123456789abcdef0\",}]}\n".to_vec(),
        ),
        ("text output misfit", b"INSTANCEPATCHSTATES\ta\tb\n".to_vec()),
    ]
}

/// English prose: four lower-case words in a row, outside `code spans` (values read from the
/// input, command names and kinds are single words or code).
fn english_prose(text: &str) -> Option<String> {
    let outside_code: String = text.split('`').step_by(2).collect::<Vec<_>>().join(" ");
    Regex::new(r"\b[a-z]+(?: [a-z]+){3,}\b").unwrap().find(&outside_code).map(|m| m.as_str().to_string())
}

#[test]
fn a_chinese_report_shows_no_english_input_message() {
    let mut problems = Vec::new();
    let mut messages = 0;
    // (case, its inputs' names and bytes)
    type Case = (String, Vec<(String, Vec<u8>)>);
    let mut cases: Vec<Case> = inputs_with_messages()
        .into_iter()
        .map(|(name, bytes)| (name.to_string(), vec![(name.to_string(), bytes)]))
        .collect();
    for (sample, files) in common::samples() {
        let bytes = files.iter().map(|f| (f.display().to_string(), std::fs::read(f).unwrap())).collect();
        cases.push((sample, bytes));
    }
    for (case, inputs) in &cases {
        let sources: Vec<Source> = inputs.iter().map(|(name, bytes)| Source { name, bytes }).collect();
        let zh = diagnose(&sources, Lang::ZhCn);
        let en = diagnose(&sources, Lang::En);
        for (zh, en) in zh.inputs.iter().zip(&en.inputs) {
            assert_eq!(zh.messages.len(), en.messages.len(), "{case}: the same messages in both languages");
            for (zh, en) in zh.messages.iter().zip(&en.messages) {
                messages += 1;
                if let Some(words) = english_prose(zh) {
                    problems.push(format!("{case}: `{words}` in {zh:?}"));
                }
                // The test's own check of English prose finds the English message.
                if zh == en {
                    problems.push(format!("{case}: the same text in both languages: {zh:?}"));
                }
            }
        }
    }
    // Every crafted input says something, and the English check does find English.
    assert!(messages >= 20, "only {messages} messages were written");
    assert!(english_prose("The input is empty. Paste AWS CLI output or a log.").is_some());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A command's output is one JSON string on one line: the evidence quotes the line of it that
/// proves the failure, never the whole output with its escaped `\n`s (on a phone, a 12-line blob).
#[test]
fn evidence_quotes_the_matching_line_of_a_command_output_not_the_whole_string() {
    let mut problems = Vec::new();
    let mut inner = 0;
    for (sample, files) in common::samples() {
        let bytes: Vec<(String, Vec<u8>)> =
            files.iter().map(|f| (f.display().to_string(), std::fs::read(f).unwrap())).collect();
        let sources: Vec<Source> = bytes.iter().map(|(name, bytes)| Source { name, bytes }).collect();
        let report = diagnose(&sources, Lang::En);
        for f in &report.findings {
            for e in &f.evidence {
                if e.text.contains("\\n") {
                    problems.push(format!("{sample}: {} quotes {:?}", f.reference, e.text));
                }
                let (name, bytes) = bytes.iter().find(|(name, _)| *name == e.input).unwrap();
                let line =
                    e.line.and_then(|l| String::from_utf8_lossy(bytes).lines().nth(l as usize - 1).map(str::to_string));
                if line.as_deref().is_some_and(|l| l.contains("\\n") && l.trim() != e.text) {
                    inner += 1;
                    // The quoted line is one of the string's own lines.
                    let line = line.unwrap();
                    let value = line.split_once("\": \"").map_or("", |(_, v)| v.trim_end_matches([',', '"']));
                    let decoded = value.replace("\\n", "\n").replace("\\\"", "\"");
                    if !decoded.lines().any(|l| l.trim() == e.text) {
                        problems.push(format!("{sample} ({name}): {:?} is not a line of its output", e.text));
                    }
                }
            }
        }
    }
    assert!(inner >= 5, "only {inner} evidence lines quote a line inside an output");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
