//! "Collect everything": one bash and one PowerShell script that run every relevant read-only
//! command for a node and print each command line before its output. Dropping the resulting file
//! into the app (or `ssm-doctor`) gives the whole diagnosis at once, because the ingest splits a
//! terminal transcript back into command lines and outputs.

use std::sync::OnceLock;

use serde::Deserialize;

use std::fmt;

use crate::commands::{quote_bash, quote_powershell};
use crate::ids::{InstanceId, Profile, Region};

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

/// Whose data to collect: a validated node id, and the region and profile for the AWS CLI.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub instance: InstanceId,
    pub region: Option<Region>,
    pub profile: Option<Profile>,
}

/// Which typed value is not what it should be (the text as typed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetError {
    Instance(String),
    Region(String),
    Profile(String),
}

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetError::Instance(v) => {
                write!(f, "`{v}` is not an instance id (i-0123456789abcdef0 or mi-…): type the node's id.")
            }
            TargetError::Region(v) => write!(f, "`{v}` is not a region (for example eu-west-1)."),
            TargetError::Profile(v) => write!(f, "`{v}` is not a profile name (letters, digits, - _ .)."),
        }
    }
}

impl std::error::Error for TargetError {}

impl Target {
    /// Reads what the person typed; an empty region or profile is none. Values that fail their
    /// rule are refused with which one it was, never written into a script.
    pub fn parse(instance: &str, region: &str, profile: &str) -> Result<Target, TargetError> {
        fn optional<T>(
            text: &str,
            parse: fn(&str) -> Option<T>,
            error: fn(String) -> TargetError,
        ) -> Result<Option<T>, TargetError> {
            let text = text.trim();
            if text.is_empty() {
                Ok(None)
            } else {
                parse(text).map(Some).ok_or_else(|| error(text.to_string()))
            }
        }
        Ok(Target {
            instance: InstanceId::parse(instance).ok_or_else(|| TargetError::Instance(instance.trim().to_string()))?,
            region: optional(region, Region::parse, TargetError::Region)?,
            profile: optional(profile, Profile::parse, TargetError::Profile)?,
        })
    }
}

/// The commands the script of `kind` runs for `target`, in order (each read-only: the only
/// thing a script writes is its own output file).
pub fn commands(kind: Script, target: &Target) -> Vec<String> {
    let instance = target.instance.as_str();
    let fill = |line: &String| line.replace("{instance}", instance);
    let c = collect();
    match kind {
        Script::AwsBash | Script::AwsPowerShell => {
            let mut suffix = String::new();
            if let Some(r) = &target.region {
                suffix.push_str(&format!(" --region {r}"));
            }
            if let Some(p) = &target.profile {
                suffix.push_str(&format!(" --profile {p}"));
            }
            c.aws.iter().map(|l| format!("{}{suffix} --output json", fill(l))).collect()
        }
        Script::NodeLinux => c.linux.iter().map(fill).collect(),
        Script::NodeWindows => c.windows.iter().map(fill).collect(),
    }
}

/// The script of `kind` for `target`.
pub fn script(kind: Script, target: &Target) -> String {
    let lines = commands(kind, target);
    let read_only = "read-only AWS CLI calls (describe/list/get). Nothing is changed.\n# Run it, then drop ssm-doctor-collect.txt into the app.";
    match kind {
        Script::AwsBash => bash(&format!("SSM Compliance Doctor: {read_only}"), "ssm-doctor-collect.txt", "$ ", &lines),
        Script::AwsPowerShell => {
            powershell(&format!("SSM Compliance Doctor: {read_only}"), "ssm-doctor-collect.txt", "PS> ", &lines)
        }
        Script::NodeLinux => {
            bash("SSM Compliance Doctor: on the node, as root. Reads logs only.", "ssm-doctor-node.txt", "# ", &lines)
        }
        Script::NodeWindows => powershell(
            "SSM Compliance Doctor: on the node, in PowerShell as Administrator. Reads logs only.",
            "ssm-doctor-node.txt",
            "# ",
            &lines,
        ),
    }
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

    fn target(instance: &str, region: &str) -> Result<Target, TargetError> {
        Target::parse(instance, region, "")
    }

    #[test]
    fn aws_script_is_read_only_and_tailored() {
        let s = script(Script::AwsBash, &target("i-0123456789abcdef0", "eu-west-1").unwrap());
        for line in s.lines().filter(|l| l.contains(" aws ")) {
            let verb = line.split("aws ssm ").nth(1).unwrap_or("").split(' ').next().unwrap_or("");
            assert!(["describe", "list", "get"].iter().any(|v| verb.starts_with(v)), "{line}");
        }
        assert!(s.contains("--instance-ids i-0123456789abcdef0 --region eu-west-1 --output json"));
        assert!(!s.contains("send-command") && !s.contains("start-") && !s.contains("put-"));
    }

    #[test]
    fn hostile_values_are_refused() {
        assert!(matches!(target("i-0123456789abcdef0; rm -rf /", "eu-west-1"), Err(TargetError::Instance(_))));
        assert!(matches!(target("i-0123456789abcdef0", "eu-west-1$(x)"), Err(TargetError::Region(_))));
        assert!(matches!(Target::parse("i-0123456789abcdef0", "", "a b"), Err(TargetError::Profile(_))));
        assert_eq!(target("i-0123456789abcdef0", " ").unwrap().region, None);
    }

    #[test]
    fn a_transcript_of_the_script_reads_back_as_its_outputs() {
        // What the script writes: each command line, then its output.
        let transcript = "$ aws ssm describe-instance-patch-states --instance-ids i-0123456789abcdef0 --region eu-west-1 --output json\n{\"InstancePatchStates\": [{\"InstanceId\": \"i-0123456789abcdef0\", \"MissingCount\": 3, \"Operation\": \"Scan\"}]}\n\n$ aws ssm describe-instance-associations-status --instance-id i-0123456789abcdef0 --region eu-west-1 --output json\n{\"InstanceAssociationStatusInfos\": []}\n";
        let report = crate::diagnose(
            &[crate::Source { name: "ssm-doctor-collect.txt", bytes: transcript.as_bytes() }],
            crate::Lang::En,
        );
        let kinds: Vec<&str> = report.inputs[0].parts.iter().map(|p| p.kind.name()).collect();
        assert_eq!(kinds, ["cli-command", "instance-patch-states", "cli-command", "instance-associations-status"]);
        assert!(report.findings.iter().any(|f| f.reference == "P6"));
        assert!(report.findings.iter().all(|f| f.commands.iter().all(|c| !c.text.contains("<region>"))));
    }
}
