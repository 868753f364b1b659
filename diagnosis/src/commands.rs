//! Renders command templates with the user's real ids. A value read from pasted text enters a
//! command only if it matches its id pattern (or is quoted for the target shell); anything else
//! becomes a visible `<placeholder>`, never a guess.

use std::sync::OnceLock;

use regex_lite::Regex;
use serde::Serialize;

use crate::knowledge::{fill, CommandTemplate, Knowledge, Lang, Shell};

/// Values available to fill command slots.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Slots {
    pub instance: Option<String>,
    pub region: Option<String>,
    pub command: Option<String>,
    pub association: Option<String>,
    pub execution: Option<String>,
    pub baseline: Option<String>,
    pub patch_group: Option<String>,
    pub os: Option<String>,
    pub state: Option<String>,
    pub plugin: Option<String>,
    pub package: Option<String>,
    pub kb_number: Option<String>,
    /// AWS CLI named profile, appended as `--profile` to AWS CLI commands when valid.
    pub profile: Option<String>,
}

/// One rendered command, ready to copy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Command {
    /// `aws-cli`, `bash` or `powershell`.
    pub shell: &'static str,
    /// The command for bash (or the node's shell).
    pub text: String,
    /// The same AWS CLI call for PowerShell (aws-cli commands only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub powershell: Option<String>,
    pub label: String,
    /// Package-manager family of an on-node command, when it is specific to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Slots that could not be filled and show as `<placeholder>`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<&'static str>,
}

#[derive(Clone, Copy)]
enum Check {
    Pattern(fn() -> &'static Regex),
    /// Free text: quoted for the shell.
    Quoted,
}

fn slot_specs() -> [(&'static str, &'static str, Check); 12] {
    fn instance() -> &'static Regex {
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new(r"^(?:i-[0-9a-f]{8}|i-[0-9a-zA-Z]{17}|mi-[0-9a-zA-Z]{17})$").expect("re"))
    }
    fn uuid() -> &'static Regex {
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| {
            Regex::new(r"^[0-9a-zA-Z]{8}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{12}$").expect("re")
        })
    }
    fn region() -> &'static Regex {
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new(r"^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$").expect("re"))
    }
    fn baseline() -> &'static Regex {
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| {
            Regex::new(
                r"^(?:pb-[0-9a-zA-Z]{17}|arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:patchbaseline/pb-[0-9a-zA-Z]{17})$",
            )
            .expect("re")
        })
    }
    fn os() -> &'static Regex {
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new(r"^[A-Z][A-Z0-9_]{2,30}$").expect("re"))
    }
    fn state() -> &'static Regex {
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new(r"^(?:Installed|InstalledOther|InstalledPendingReboot|InstalledRejected|Missing|Failed|NotApplicable|AvailableSecurityUpdate)$").expect("re"))
    }
    fn plugin() -> &'static Regex {
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new(r"^(?:PatchLinux|PatchWindows|PatchMacOS)$").expect("re"))
    }
    fn kb_number() -> &'static Regex {
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new(r"^\d{4,8}$").expect("re"))
    }
    [
        ("instance", "instance-id", Check::Pattern(instance)),
        ("region", "region", Check::Pattern(region)),
        ("command", "command-id", Check::Pattern(uuid)),
        ("association", "association-id", Check::Pattern(uuid)),
        ("execution", "execution-id", Check::Pattern(uuid)),
        ("baseline", "baseline-id", Check::Pattern(baseline)),
        ("patch_group", "patch-group", Check::Quoted),
        ("os", "operating-system", Check::Pattern(os)),
        ("state", "state", Check::Pattern(state)),
        ("plugin", "plugin-name", Check::Pattern(plugin)),
        ("package", "package", Check::Quoted),
        ("kb_number", "kb-number", Check::Pattern(kb_number)),
    ]
}

impl Slots {
    fn value(&self, name: &str) -> Option<&str> {
        match name {
            "instance" => self.instance.as_deref(),
            "region" => self.region.as_deref(),
            "command" => self.command.as_deref(),
            "association" => self.association.as_deref(),
            "execution" => self.execution.as_deref(),
            "baseline" => self.baseline.as_deref(),
            "patch_group" => self.patch_group.as_deref(),
            "os" => self.os.as_deref(),
            "state" => self.state.as_deref(),
            "plugin" => self.plugin.as_deref(),
            "package" => self.package.as_deref(),
            "kb_number" => self.kb_number.as_deref(),
            _ => None,
        }
    }
}

/// Quotes a value for bash: bare when it only has safe characters, else single-quoted.
pub fn quote_bash(value: &str) -> String {
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "._:/=@+-,".contains(c)) {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

/// Quotes a value for PowerShell: single quotes, with `'` doubled.
pub fn quote_powershell(value: &str) -> String {
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "._:/=+-".contains(c)) {
        value.to_string()
    } else {
        // PowerShell also treats the typographic quotes as quote characters.
        format!("'{}'", value.replace(['\'', '\u{2018}', '\u{2019}'], "''"))
    }
}

/// Renders one template for the slots. `None` when the template is for a node shell the
/// platform does not have (a PowerShell command for a Linux node).
pub fn render(name: &str, slots: &Slots, lang: Lang) -> Option<Command> {
    let template: &CommandTemplate = Knowledge::get().commands.get(name)?;
    let mut placeholders = Vec::new();
    let mut bash_vars = Vec::new();
    let mut ps_vars = Vec::new();
    for (slot, placeholder, check) in slot_specs() {
        if !template.text.contains(&format!("{{{slot}}}")) {
            continue;
        }
        let value = slots.value(slot).map(str::trim).filter(|v| !v.is_empty());
        let (bash, ps) = match (value, check) {
            (Some(v), Check::Pattern(re)) if re().is_match(v) => (v.to_string(), v.to_string()),
            (Some(v), Check::Quoted) if !v.contains('\n') => (quote_bash(v), quote_powershell(v)),
            _ => {
                placeholders.push(placeholder);
                (format!("<{placeholder}>"), format!("<{placeholder}>"))
            }
        };
        bash_vars.push((slot, bash));
        ps_vars.push((slot, ps));
    }
    let mut text = fill(&template.text, &bash_vars);
    let ps_template = template.powershell.as_deref().unwrap_or(&template.text);
    let mut powershell = (template.shell == Shell::AwsCli).then(|| fill(ps_template, &ps_vars));
    if let (Shell::AwsCli, Some(profile)) = (template.shell, slots.profile.as_deref().map(str::trim)) {
        // Profile names are letters, digits and `-_.`; anything else is left out, not quoted.
        if !profile.is_empty()
            && profile.len() <= 64
            && profile.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            text.push_str(&format!(" --profile {profile}"));
            if let Some(ps) = powershell.as_mut() {
                ps.push_str(&format!(" --profile {profile}"));
            }
        }
    }
    let label_vars: Vec<(&str, String)> = slots.state.iter().map(|s| ("state", s.clone())).collect();
    Some(Command {
        shell: template.shell.name(),
        text,
        powershell,
        label: fill(template.label.get(lang), &label_vars),
        family: template.family.clone(),
        placeholders,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_ids_fill_and_missing_ones_show_placeholders() {
        let slots = Slots { instance: Some("i-0123456789abcdef0".into()), ..Slots::default() };
        let c = render("scan", &slots, Lang::En).unwrap();
        assert_eq!(c.text, "aws ssm send-command --document-name AWS-RunPatchBaseline --parameters Operation=Scan --instance-ids i-0123456789abcdef0 --region <region>");
        assert_eq!(c.placeholders, vec!["region"]);
        assert_eq!(c.powershell.as_deref(), Some(c.text.as_str()));
    }

    #[test]
    fn hostile_ids_never_reach_the_command() {
        let slots = Slots {
            instance: Some("i-0123456789abcdef0; rm -rf /".into()),
            region: Some("us-east-1 && curl x".into()),
            ..Slots::default()
        };
        let c = render("scan", &slots, Lang::En).unwrap();
        assert!(c.text.contains("--instance-ids <instance-id>") && c.text.ends_with("--region <region>"), "{}", c.text);
        assert!(!c.text.contains("rm -rf"));
    }

    #[test]
    fn a_valid_profile_is_appended_and_a_hostile_one_is_not() {
        let slots = Slots { profile: Some("prod-admin".into()), ..Slots::default() };
        assert!(render("scan", &slots, Lang::En).unwrap().text.ends_with(" --profile prod-admin"));
        let slots = Slots { profile: Some("x; rm -rf ~".into()), ..Slots::default() };
        assert!(!render("scan", &slots, Lang::En).unwrap().text.contains("--profile"));
        // On-node commands never get a profile.
        let slots = Slots { profile: Some("prod".into()), ..Slots::default() };
        assert!(!render("linux-agent-logs", &slots, Lang::En).unwrap().text.contains("--profile"));
    }

    #[test]
    fn free_text_is_quoted_per_shell() {
        let slots = Slots { patch_group: Some("Prod 'A' $(x)".into()), os: Some("WINDOWS".into()), ..Slots::default() };
        let c = render("get-patch-baseline-for-patch-group", &slots, Lang::En).unwrap();
        assert!(c.text.contains(r"--patch-group 'Prod '\''A'\'' $(x)'"), "{}", c.text);
        assert!(c.powershell.unwrap().contains("--patch-group 'Prod ''A'' $(x)'"));
    }
}

#[cfg(test)]
mod powershell_tests {
    use super::*;

    #[test]
    fn a_bash_loop_has_a_real_powershell_form() {
        let slots = Slots { instance: Some("i-0123456789abcdef0".into()), ..Slots::default() };
        let c = render("find-instance-region", &slots, Lang::En).unwrap();
        assert!(c.text.starts_with("for r in $(aws ec2 describe-regions"), "{}", c.text);
        let ps = c.powershell.unwrap();
        assert!(ps.starts_with("foreach ($r in") && ps.contains("--instance-ids i-0123456789abcdef0"), "{ps}");
    }
}
