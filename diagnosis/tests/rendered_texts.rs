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
