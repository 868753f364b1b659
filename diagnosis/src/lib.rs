//! SSM Compliance Doctor's diagnosis: reads what users paste about a NON_COMPLIANT managed node
//! and explains why, with evidence and tailored commands.
//!
//! Data flows one way: bytes → [`ingest`] (decode, split, classify) → [`evidence::Evidence`]
//! (typed facts with provenance) → [`tree`] (decision tree + catalogue signatures) →
//! [`report::Diagnosis`] → [`report::Report`] (written in a language, with the person's settings).
//! This crate never does I/O and knows nothing of the web: the browser app and the `ssm-doctor`
//! command line both call it.

#![forbid(unsafe_code)]

/// Names are strings only at the edge (the knowledge files, the report): a type with `name()`
/// and `from_name()` is written and read by its name, and displayed as it.
#[macro_export]
macro_rules! serde_by_name {
    ($($type:ty),*) => {$(
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.name())
            }
        }
        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let name = <String as serde::Deserialize>::deserialize(deserializer)?;
                <$type>::from_name(&name).ok_or_else(|| serde::de::Error::custom(format!("unknown name `{name}`")))
            }
        }
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    )*};
}

mod beside;
pub mod collect;
pub mod commands;
pub mod evidence;
pub mod export;
pub mod generate;
pub mod grouped;
pub mod ids;
pub mod ingest;
pub mod intern;
pub mod knowledge;
pub mod lines;
pub mod literals;
pub mod model;
pub mod notice;
pub(crate) mod prefilter;
pub mod redact;
pub mod regexes;
pub mod report;
pub mod session;
pub mod sync;
pub mod time;
pub mod tree;
pub mod wizard;

pub use commands::Settings;
pub use knowledge::{Lang, Role};
pub use report::{Diagnosis, Report};
pub use session::Session;

/// One input as given: a name (file name, or "paste 1") and its bytes.
pub struct Source<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// How to diagnose: language, the current time (for staleness), and what the person set for
/// every command (region, profile), which takes precedence over what the inputs say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    pub lang: Lang,
    /// Seconds since the Unix epoch; None skips age checks (tests, reproducible reports).
    pub now: Option<f64>,
    pub settings: Settings,
}

/// Reads, correlates and diagnoses all inputs together.
pub fn diagnose(sources: &[Source], lang: Lang) -> Report {
    diagnose_with(sources, &Options { lang, ..Options::default() })
}

pub fn diagnose_with(sources: &[Source], options: &Options) -> Report {
    let inputs: Vec<ingest::Input> = sources.iter().map(|s| ingest::read(s.name, s.bytes)).collect();
    diagnose_inputs(&inputs, options)
}

/// Like [`diagnose_with`], taking ownership of the bytes so clean UTF-8 inputs are not copied
/// (the CLI reads whole files; a large input then costs its size once, not twice).
pub fn diagnose_owned(sources: Vec<(String, Vec<u8>)>, options: &Options) -> Report {
    let inputs: Vec<ingest::Input> =
        sources.into_iter().map(|(name, bytes)| ingest::read_owned(&name, bytes)).collect();
    diagnose_inputs(&inputs, options)
}

/// Diagnoses inputs that were already read, and writes the report.
pub fn diagnose_inputs(inputs: &[ingest::Input], options: &Options) -> Report {
    Report::build(inputs, &Diagnosis::of(inputs, options.now), options.lang, &options.settings)
}

impl Diagnosis {
    /// Runs the evidence and the tree over inputs that were already read. Nothing here depends
    /// on the language or the settings, so changing those only re-renders the report. An input
    /// with a document presumed strict JSON that is not ([`ingest::Grammar::Presumed`]) is named
    /// in `unproven`: it is to be read again and diagnosed again, as [`session::Session`] does.
    pub fn of(inputs: &[ingest::Input], now: Option<f64>) -> Diagnosis {
        Diagnosis::by(inputs, now, tree::diagnose)
    }

    /// [`Diagnosis::of`], with a fleet's rows decided one by one, never kept as sets.
    #[cfg(test)]
    pub(crate) fn of_rows_one_by_one(inputs: &[ingest::Input], now: Option<f64>) -> Diagnosis {
        Diagnosis::by(inputs, now, tree::diagnose_rows_one_by_one)
    }

    /// [`Diagnosis::of`], the tree run by `diagnose`.
    fn by(
        inputs: &[ingest::Input],
        now: Option<f64>,
        diagnose: fn(&evidence::Evidence, &[ingest::Input], Option<f64>) -> tree::Found,
    ) -> Diagnosis {
        let mut evidence = evidence::Evidence::collect(inputs);
        let found = diagnose(&evidence, inputs, now);
        let region = tree::region(&evidence);
        // What the report still reads of the evidence; the rest (a fleet's columns) goes to the
        // findings, which keep it only where a fleet's set rows' findings are made from it.
        let recognised_by_lines = std::mem::take(&mut evidence.recognised_by_lines);
        let notes = std::mem::take(&mut evidence.notes);
        let unproven = std::mem::take(&mut evidence.unproven);
        let conclusions = found.settle(std::sync::Arc::new(evidence));
        Diagnosis {
            findings: conclusions.findings,
            region,
            nodes: conclusions.nodes,
            default_facts: conclusions.default_facts,
            unattributed: conclusions.unattributed,
            recognised_by_lines,
            notes,
            unproven,
        }
    }

    /// [`Diagnosis::of`], for inputs it may read again: an input whose JSON document was
    /// presumed strict and is not is read again with nothing presumed
    /// ([`ingest::Input::read_again_unpresumed`]), and everything is diagnosed again.
    pub fn of_read_again(inputs: &mut [ingest::Input], now: Option<f64>) -> Diagnosis {
        let diagnosis = Diagnosis::of(inputs, now);
        if diagnosis.unproven.is_empty() {
            return diagnosis;
        }
        for &at in &diagnosis.unproven {
            inputs[at].read_again_unpresumed();
        }
        Diagnosis::of(inputs, now)
    }
}

/// A generated fleet of `rows` nodes with every kind of patch-state row: Installs (whose
/// missing patches a cause explains), failed, pending-reboot, rejected and missing patches,
/// stale records, and available security updates on every row.
#[cfg(test)]
pub(crate) fn test_mixed_fleet(rows: usize, seed: u64) -> String {
    let export = generate::generate("instance-patch-states", rows, seed).expect("a generated export");
    let mut mixed = String::new();
    for (at, line) in export.lines().enumerate() {
        let line = match at % 7 {
            0 => line.replace("\"Operation\": \"Scan\"", "\"Operation\": \"Install\""),
            1 => line.replace("\"FailedCount\": 0,", "\"FailedCount\": 3,"),
            2 => line.replace("\"MissingCount\": 0,", "\"MissingCount\": 5,"),
            3 => line.replace("\"InstalledPendingRebootCount\": 0,", "\"InstalledPendingRebootCount\": 1,"),
            4 => line.replace("\"InstalledRejectedCount\": 0,", "\"InstalledRejectedCount\": 2,"),
            5 => line.replace("2026-1", "2026-0"),
            _ => line.to_string(),
        };
        mixed.push_str(&line.replace("\"SecurityNonCompliantCount\": 0,", "\"AvailableSecurityUpdateCount\": 4,"));
        mixed.push('\n');
    }
    assert_ne!(mixed, export);
    mixed
}

/// Every fixture and corpus file of the repository, for tests that compare two ways of reading
/// the same texts.
#[cfg(test)]
pub(crate) fn test_texts() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut texts = Vec::new();
    for dir in ["fixtures", "corpus/faulty", "corpus/healthy"] {
        let mut stack = vec![root.join(dir)];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                stack.extend(std::fs::read_dir(&path).expect("a test folder").map(|e| e.expect("an entry").path()));
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                texts.push(text);
            }
        }
    }
    texts
}
