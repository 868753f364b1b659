//! The whole diagnosis of several inputs (split at 0x1E), with every rendering: JSON, Markdown
//! with the decision path, text, both languages, redacted.
#![no_main]
use diagnosis::commands::Settings;
use diagnosis::export::Export;
use diagnosis::redact::Redactor;
use diagnosis::{ingest, wizard, Diagnosis, Lang, Report};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let inputs: Vec<ingest::Input> = data
        .split(|&b| b == 0x1E)
        .take(4)
        .enumerate()
        .map(|(i, bytes)| ingest::read(&format!("input {i}"), bytes))
        .collect();
    let diagnosis = Diagnosis::of(&inputs, Some(1_795_651_200.0));
    for lang in [Lang::En, Lang::ZhCn] {
        let settings = Settings::default();
        let report = Report::build(&inputs, &diagnosis, lang, &settings);
        let _ = report.to_json();
        let walk = wizard::walk(&report, &Default::default(), &settings, lang);
        let mut export = Export { report, walk };
        let mut redactor = Redactor::new();
        export.redact(&mut redactor, &[]);
        let markdown = export.to_markdown(lang);
        let _ = redactor.restore(&markdown);
        let _ = export.report.to_text(lang);
    }
});
