//! A fleet's JSON report as the CLI writes it: its node verdicts in blocks that two threads take
//! as they go, its groups written beside them, and everything put out in order as it is made.

use diagnosis::{ingest, Diagnosis, Lang, Report, Settings};

/// The CLI's bytes are those of the report built whole on one thread: with verdicts in several
/// blocks (2,048 nodes each), in both languages.
#[test]
fn a_fleets_json_written_by_two_threads_is_the_report_built_whole() {
    let dir = std::env::temp_dir().join(format!("ssm-doctor-fleet-json-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let export = diagnosis::generate::generate("instance-patch-states", 11_000, 4).expect("an export");
    let path = dir.join("states.json");
    std::fs::write(&path, &export).unwrap();
    let name = path.display().to_string();
    let inputs = [ingest::read(&name, export.as_bytes())];
    let diagnosis = Diagnosis::of(&inputs, Some(1_796_083_200.0));
    for (lang, flag) in [(Lang::En, "en"), (Lang::ZhCn, "zh-CN")] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ssm-doctor"))
            .args(["--now", "2026-12-01T00:00:00Z", "--lang", flag, "--format", "json", &name])
            .output()
            .expect("ssm-doctor runs");
        let mut whole = Vec::new();
        let report = Report::build(&inputs, &diagnosis, lang, &Settings::default());
        assert!(report.nodes.len() > 4 * 2048 && report.groups.len() > 3, "{} nodes", report.nodes.len());
        report.write_json(&mut whole).unwrap();
        assert!(out.stdout == whole, "{flag}: {} bytes, built whole {}", out.stdout.len(), whole.len());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
