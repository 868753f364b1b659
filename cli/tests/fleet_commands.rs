//! A fleet group's commands act on every node of the group, not on the first 50: at 3,000
//! nodes, each command that takes a list loops over the group's node file, and run in bash
//! (with `aws` recording its calls) it passes every id of the group exactly once, never more
//! than 50 to a call (the `send-command` limit).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn doctor(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ssm-doctor")).args(args).output().expect("ssm-doctor runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `command` in bash in `dir` with `aws` replaced by a function that writes one line per
/// call: the ids it was given after `--instance-ids`.
fn instance_ids_per_call(dir: &Path, command: &str) -> Vec<Vec<String>> {
    let script = format!(
        r#"aws() {{ local on=; for a in "$@"; do case "$a" in --instance-ids) on=1 ;; --*) on= ;; *) [ -n "$on" ] && printf '%s ' "$a" ;; esac; done; echo; }}
{command}"#
    );
    let out = Command::new("bash").arg("-c").arg(&script).current_dir(dir).output().expect("bash runs");
    assert!(out.status.success(), "{command}\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| l.split_whitespace().map(String::from).collect()).collect()
}

#[test]
fn every_node_of_a_3000_node_fleet_group_is_reached_50_ids_a_call() {
    let dir = std::env::temp_dir().join(format!("ssm-doctor-node-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let export = dir.join("states.json");
    std::fs::write(&export, doctor(&["generate", "--kind", "instance-patch-states", "--instances", "3000"])).unwrap();
    let files = dir.join("lists");
    let report = doctor(&[
        export.to_str().unwrap(),
        "--format",
        "json",
        "--region",
        "eu-west-1",
        "--node-files",
        files.to_str().unwrap(),
    ]);
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let mut looped = 0;
    for group in report["groups"].as_array().unwrap() {
        let nodes: BTreeSet<String> =
            group["nodes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
        let Some(file) = group["node_file"].as_str() else {
            assert!(nodes.len() <= 50, "{} nodes and no node file", nodes.len());
            continue;
        };
        assert_eq!(group["command_nodes"].as_u64(), Some(nodes.len() as u64));
        // The file holds the group's ids, 50 to a line.
        let text = std::fs::read_to_string(files.join(file)).unwrap();
        assert!(text.lines().all(|l| l.split(' ').count() <= 50));
        assert_eq!(text.split_whitespace().map(String::from).collect::<BTreeSet<_>>(), nodes);
        for command in group["commands"].as_array().unwrap() {
            let text = command["text"].as_str().unwrap();
            let powershell = command["powershell"].as_str().unwrap_or_default();
            if !text.contains("--instance-ids") {
                continue;
            }
            // A command naming nodes names all of them: through the file in both shells.
            assert!(text.contains(file) && powershell.contains(file), "{text}\n{powershell}");
            let calls = instance_ids_per_call(&files, text);
            assert_eq!(calls.len(), nodes.len().div_ceil(50), "{text}");
            assert!(calls.iter().all(|ids| !ids.is_empty() && ids.len() <= 50), "{text}");
            let reached: Vec<&String> = calls.iter().flatten().collect();
            assert_eq!(reached.len(), nodes.len(), "each node once: {text}");
            assert_eq!(reached.into_iter().cloned().collect::<BTreeSet<_>>(), nodes, "{text}");
            looped += 1;
        }
    }
    // The generated fleet has groups of hundreds of nodes with Scan, Install and reboot commands.
    assert!(looped >= 4, "{looped} looped commands");
    std::fs::remove_dir_all(&dir).unwrap();
}
