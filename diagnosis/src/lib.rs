//! SSM Compliance Doctor's diagnosis: reads what users paste about a NON_COMPLIANT managed node
//! and explains why, with evidence and tailored commands.
//!
//! Data flows one way: bytes → [`ingest`] (decode, split, classify) → [`evidence::Evidence`]
//! (typed facts with provenance) → [`tree`] (decision tree + catalogue signatures) →
//! [`report::Report`]. This crate never does I/O and knows nothing of the web: the browser app
//! and the `ssm-doctor` binary both call [`diagnose`].

pub mod collect;
pub mod commands;
pub mod evidence;
pub mod generate;
pub mod ingest;
pub mod knowledge;
pub mod model;
pub(crate) mod prefilter;
pub mod redact;
pub mod report;
pub mod time;
pub mod tree;
pub mod wizard;

pub use knowledge::{Lang, Role};
pub use report::Report;

/// One input as given: a name (file name, or "paste 1") and its bytes.
pub struct Source<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// How to diagnose: language, the current time (for staleness), and values the user typed that
/// take precedence over what the inputs say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    pub lang: Lang,
    /// Seconds since the Unix epoch; None skips age checks (tests, reproducible reports).
    pub now: Option<f64>,
    /// Region for every command (validated like any other value).
    pub region: Option<String>,
    /// AWS CLI profile added to every AWS CLI command (`--profile`).
    pub profile: Option<String>,
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

/// Diagnoses inputs that were already read (the app keeps them to show their parts).
pub fn diagnose_inputs(inputs: &[ingest::Input], options: &Options) -> Report {
    let evidence = evidence::Evidence::collect(inputs);
    let texts: Vec<&str> = inputs.iter().map(|i| i.text.as_str()).collect();
    let findings = tree::diagnose(&evidence, &texts, options);
    let mut report = Report::build(inputs, &findings, &evidence.notes, options.lang);
    report.region = tree::region(&evidence, options);
    report
}
