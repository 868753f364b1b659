//! The repository's corpus (tests/corpus): healthy samples give no cause at all; faulty samples
//! and the fixtures give exactly the causes tests/corpus/expected.toml lists, one cause citing
//! every input that speaks of its failure, and the checks and notes listed there.
//!
//! All mismatches are collected and printed together, so one run shows the whole picture.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use diagnosis::{diagnose_with, Options, Report, Role, Source};
use serde::Deserialize;

fn corpus() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    #[serde(default)]
    faulty: BTreeMap<String, Sample>,
    #[serde(default)]
    fixture: BTreeMap<String, Sample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sample {
    causes: Vec<String>,
    #[serde(default)]
    cites_inputs: Option<usize>,
    #[serde(default)]
    checks: Vec<String>,
    #[serde(default)]
    notes: Vec<String>,
    /// Refs that must not be reported at all (a generic finding the cause already explains).
    #[serde(default)]
    absent: Vec<String>,
}

fn expected() -> Expected {
    let text = std::fs::read_to_string(corpus().join("expected.toml")).expect("tests/corpus/expected.toml");
    toml::from_str(&text).expect("expected.toml is well-formed")
}

/// A file, or a folder whose files are diagnosed together. The clock is fixed, so the age of a
/// sample's timestamps never changes the outcome.
fn diagnose(path: &Path) -> Report {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    };
    let contents: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())))
        })
        .collect();
    let sources: Vec<Source> = contents.iter().map(|(name, bytes)| Source { name, bytes }).collect();
    // 2026-11-26T00:00:00Z
    diagnose_with(&sources, &Options { now: Some(1_795_651_200.0), ..Options::default() })
}

fn refs(report: &Report, role: Role) -> BTreeSet<String> {
    report.findings.iter().filter(|f| f.role == role).map(|f| f.reference.clone()).collect()
}

#[test]
fn healthy_samples_give_no_cause() {
    let dir = corpus().join("healthy");
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert!(names.len() >= 25, "the healthy corpus has {} samples", names.len());
    let mut wrong = Vec::new();
    for name in &names {
        let report = diagnose(&dir.join(name));
        let causes: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.role == Role::Cause)
            .map(|f| format!("{} {}: {}", f.reference, f.code, f.title))
            .collect();
        if !causes.is_empty() {
            wrong.push(format!("{}: {causes:?}", name.to_string_lossy()));
        }
        // A healthy sample is still read as what it is.
        for input in report.inputs.iter().filter(|i| i.kind == "unrecognized") {
            wrong.push(format!("{}: {} was not recognised", name.to_string_lossy(), input.name));
        }
    }
    assert!(wrong.is_empty(), "healthy samples with a cause:\n{}", wrong.join("\n"));
}

fn check_samples(dir: &Path, samples: &BTreeMap<String, Sample>) -> Vec<String> {
    let mut wrong = Vec::new();
    for (name, want) in samples {
        let path = dir.join(name);
        assert!(path.exists(), "expected.toml lists {name}, which is not in {}", dir.display());
        let report = diagnose(&path);
        let causes = refs(&report, Role::Cause);
        let want_causes: BTreeSet<String> = want.causes.iter().cloned().collect();
        if causes != want_causes {
            wrong.push(format!("{name}: causes {causes:?}, expected {want_causes:?}"));
        }
        for (role, listed) in [(Role::Check, &want.checks), (Role::Note, &want.notes)] {
            let got = refs(&report, role);
            for r in listed.iter().filter(|r| !got.contains(*r)) {
                wrong.push(format!("{name}: no {r} {role:?} (got {got:?})"));
            }
        }
        for r in &want.absent {
            if report.findings.iter().any(|f| &f.reference == r) {
                wrong.push(format!("{name}: {r} reported, though the cause explains it"));
            }
        }
        if let Some(n) = want.cites_inputs {
            let first = report.findings.iter().find(|f| f.role == Role::Cause);
            let cited: BTreeSet<&str> = first.into_iter().flat_map(|f| &f.evidence).map(|e| e.input.as_str()).collect();
            let causes_of_failure = report.findings.iter().filter(|f| f.role == Role::Cause).count();
            if cited.len() < n || causes_of_failure != 1 {
                wrong.push(format!(
                    "{name}: {causes_of_failure} cause(s); the first cites {cited:?}, expected one cause citing {n} inputs"
                ));
            }
        }
    }
    wrong
}

#[test]
fn faulty_samples_give_exactly_their_causes() {
    let expected = expected();
    let dir = corpus().join("faulty");
    // Every faulty sample is listed: a sample without an expectation tests nothing.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(expected.faulty.contains_key(&name), "tests/corpus/faulty/{name} is not in expected.toml");
    }
    let wrong = check_samples(&dir, &expected.faulty);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn fixtures_give_the_causes_of_their_sources_row() {
    let expected = expected();
    let dir = corpus().join("../fixtures");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name == "SOURCES.md" || expected.fixture.contains_key(&name),
            "tests/fixtures/{name} is not in expected.toml"
        );
    }
    let wrong = check_samples(&dir, &expected.fixture);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
