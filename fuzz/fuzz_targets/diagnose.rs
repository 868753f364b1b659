//! The whole diagnosis of several inputs (split at 0x1E), with every rendering: JSON, Markdown
//! with the decision path, text, both languages, redacted. And the first input's JSON presumed
//! strict (as the page's worker presumes a large text's) must give the report of it proven
//! first.
#![no_main]
use diagnosis::commands::Settings;
use diagnosis::export::Export;
use diagnosis::redact::Redactor;
use diagnosis::session::{Origin, Session};
use diagnosis::{ingest, wizard, Diagnosis, Lang, Report};
use libfuzzer_sys::fuzz_target;

/// The report of `text` as the only input, its JSON presumed strict or not.
fn report_of(text: &str, presume_strict: bool) -> String {
    let mut session = Session::default();
    let arrived = ingest::Arrived { presume_strict, ..ingest::Arrived::default() };
    session.put_text(1, "input", text.to_string(), Origin::Data, arrived);
    session.diagnose(Some(1_795_651_200.0));
    session.report(Lang::En, &Settings::default(), Some(1_795_651_200.0)).to_json()
}

fuzz_target!(|data: &[u8]| {
    let first = data.split(|&b| b == 0x1E).next().unwrap_or_default();
    if let Ok(text) = std::str::from_utf8(first) {
        assert_eq!(report_of(text, true), report_of(text, false), "presumed strict: {text:?}");
    }
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
