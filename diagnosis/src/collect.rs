//! "Collect everything": one bash and one PowerShell script that run every relevant read-only
//! command for a node and print each command line before its output. Dropping the resulting file
//! into the app (or `ssm-doctor`) gives the whole diagnosis at once, because the ingest splits a
//! terminal transcript back into command lines and outputs.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::commands::{quote_bash, quote_powershell, Slots};

#[derive(Deserialize)]
struct Collect {
    aws: Vec<String>,
    linux: Vec<String>,
    windows: Vec<String>,
}

fn collect() -> &'static Collect {
    static C: OnceLock<Collect> = OnceLock::new();
    C.get_or_init(|| {
        serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/collect.json"))).expect("collect.toml is valid")
    })
}

/// Which script to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// AWS CLI calls, run from any machine with credentials (bash).
    AwsBash,
    /// AWS CLI calls from PowerShell.
    AwsPowerShell,
    /// On a Linux node (bash, as root).
    NodeLinux,
    /// On a Windows node (PowerShell, as Administrator).
    NodeWindows,
}

/// The script for `slots.instance` / `slots.region` / `slots.profile`. Values that fail their
/// id pattern are refused with a message rather than written into a script.
pub fn script(kind: Script, slots: &Slots) -> Result<String, String> {
    let instance = slots.instance.as_deref().map(str::trim).unwrap_or("");
    let valid_instance = crate::commands::render("describe-instance-information", slots, crate::Lang::En)
        .is_some_and(|c| !c.placeholders.contains(&"instance-id"));
    if !valid_instance {
        return Err(format!("`{instance}` is not an instance id (i-0123456789abcdef0 or mi-…): type the node's id."));
    }
    let region = slots.region.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if let Some(r) = region {
        let ok =
            r.split('-').count() >= 3 && r.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            return Err(format!("`{r}` is not a region (for example eu-west-1)."));
        }
    }
    let profile = slots.profile.as_deref().map(str::trim).filter(|p| !p.is_empty());
    if let Some(p) = profile {
        if !p.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
            return Err(format!("`{p}` is not a profile name."));
        }
    }
    let mut suffix = String::new();
    if let Some(r) = region {
        suffix.push_str(&format!(" --region {r}"));
    }
    if let Some(p) = profile {
        suffix.push_str(&format!(" --profile {p}"));
    }
    let fill = |line: &str| line.replace("{instance}", instance);
    let c = collect();
    let aws: Vec<String> = c.aws.iter().map(|l| format!("{}{suffix} --output json", fill(l))).collect();
    let read_only = "read-only AWS CLI calls (describe/list/get). Nothing is changed.\n# Run it, then drop ssm-doctor-collect.txt into the app.";
    Ok(match kind {
        Script::AwsBash => bash(&format!("SSM Compliance Doctor: {read_only}"), "ssm-doctor-collect.txt", "$ ", &aws),
        Script::AwsPowerShell => {
            powershell(&format!("SSM Compliance Doctor: {read_only}"), "ssm-doctor-collect.txt", "PS> ", &aws)
        }
        Script::NodeLinux => {
            let lines: Vec<String> = c.linux.iter().map(|l| fill(l)).collect();
            bash("SSM Compliance Doctor: on the node, as root. Reads logs only.", "ssm-doctor-node.txt", "# ", &lines)
        }
        Script::NodeWindows => {
            let lines: Vec<String> = c.windows.iter().map(|l| fill(l)).collect();
            powershell(
                "SSM Compliance Doctor: on the node, in PowerShell as Administrator. Reads logs only.",
                "ssm-doctor-node.txt",
                "# ",
                &lines,
            )
        }
    })
}

/// A bash script that appends each command line (after `prompt`) and its output to `out`.
fn bash(comment: &str, out: &str, prompt: &str, commands: &[String]) -> String {
    let mut s = format!("#!/usr/bin/env bash\n# {comment}\nout={out}\n: > \"$out\"\n");
    for command in commands {
        s.push_str(&format!(
            "{{ echo {}; {command} 2>&1; echo; }} >> \"$out\"\n",
            quote_bash(&format!("{prompt}{command}"))
        ));
    }
    s.push_str("echo \"Wrote $out\"\n");
    s
}

/// The same in PowerShell, writing UTF-8 so the file reads back without a BOM surprise.
fn powershell(comment: &str, out: &str, prompt: &str, commands: &[String]) -> String {
    let mut s = format!("# {comment}\n$out = '{out}'\nSet-Content -Path $out -Value '' -Encoding utf8\n");
    for command in commands {
        s.push_str(&format!(
            "Add-Content -Path $out -Encoding utf8 -Value {}\n{command} 2>&1 | Out-String | Add-Content -Path $out -Encoding utf8\n",
            quote_powershell(&format!("{prompt}{command}"))
        ));
    }
    s.push_str("Write-Host \"Wrote $out\"\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(instance: &str, region: &str) -> Slots {
        Slots { instance: Some(instance.into()), region: Some(region.into()), ..Slots::default() }
    }

    #[test]
    fn aws_script_is_read_only_and_tailored() {
        let s = script(Script::AwsBash, &slots("i-0123456789abcdef0", "eu-west-1")).unwrap();
        for line in s.lines().filter(|l| l.contains(" aws ")) {
            let verb = line.split("aws ssm ").nth(1).unwrap_or("").split(' ').next().unwrap_or("");
            assert!(["describe", "list", "get"].iter().any(|v| verb.starts_with(v)), "{line}");
        }
        assert!(s.contains("--instance-ids i-0123456789abcdef0 --region eu-west-1 --output json"));
        assert!(!s.contains("send-command") && !s.contains("start-") && !s.contains("put-"));
    }

    #[test]
    fn hostile_values_are_refused() {
        assert!(script(Script::AwsBash, &slots("i-0123456789abcdef0; rm -rf /", "eu-west-1")).is_err());
        assert!(script(Script::AwsPowerShell, &slots("i-0123456789abcdef0", "eu-west-1$(x)")).is_err());
    }

    #[test]
    fn a_transcript_of_the_script_reads_back_as_its_outputs() {
        // What the script writes: each command line, then its output.
        let transcript = "$ aws ssm describe-instance-patch-states --instance-ids i-0123456789abcdef0 --region eu-west-1 --output json\n{\"InstancePatchStates\": [{\"InstanceId\": \"i-0123456789abcdef0\", \"MissingCount\": 3, \"Operation\": \"Scan\"}]}\n\n$ aws ssm describe-instance-associations-status --instance-id i-0123456789abcdef0 --region eu-west-1 --output json\n{\"InstanceAssociationStatusInfos\": []}\n";
        let report = crate::diagnose(
            &[crate::Source { name: "ssm-doctor-collect.txt", bytes: transcript.as_bytes() }],
            crate::Lang::En,
        );
        let kinds: Vec<&str> = report.inputs[0].parts.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, ["cli-command", "instance-patch-states", "cli-command", "instance-associations-status"]);
        assert!(report.findings.iter().any(|f| f.reference == "P6"));
        assert!(report.findings.iter().all(|f| f.commands.iter().all(|c| !c.text.contains("<region>"))));
    }
}
