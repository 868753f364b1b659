//! `--now` judges staleness at a fixed time, so a report (and a benchmark's comparison of two
//! builds) reads the same on another day.

use std::process::{Command, Output};

fn doctor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ssm-doctor")).args(args).output().expect("ssm-doctor runs")
}

fn fixture(name: &str) -> String {
    format!("{}/../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn age_line(now: &str) -> String {
    let states = fixture("awscli-describe-instance-patch-states.json");
    let out = doctor(&["--now", now, "--format", "text", &states]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines().find(|l| l.contains("days old")).unwrap_or_else(|| panic!("no age in {text}")).to_string()
}

#[test]
fn the_age_of_patch_data_is_counted_from_the_given_time() {
    // The fixture's last Scan ended 2021-05-03T11:01:09-07:00 (18:01:09 UTC).
    assert!(age_line("2021-05-13T18:01:10Z").contains("is 10 days old"), "{}", age_line("2021-05-13T18:01:10Z"));
    assert!(age_line("2022-05-03T18:01:10Z").contains("is 365 days old"));
}

#[test]
fn a_time_that_is_not_iso_8601_is_refused_with_an_example() {
    let out = doctor(&["--now", "yesterday", &fixture("awscli-describe-instance-patch-states.json")]);
    assert_eq!(out.status.code(), Some(2));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("`yesterday` is not an ISO 8601 time (for example"), "{message}");
}
