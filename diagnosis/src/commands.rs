//! Renders command templates with the user's real ids. A slot holds only a value that passed its
//! type's rule (`ids`), or free text that is quoted for the target shell; an empty slot becomes
//! a visible `<placeholder>`, never a guess.

use serde::{Deserialize, Serialize};

use crate::ids::{BaselineId, InstanceId, Profile, Region, Uuid};
use crate::knowledge::{fill, Code, Lang, Role, Shell, Template};
use crate::model::PatchState;
use crate::model::{PackageManager, Platform};

/// Values available to fill command slots.
#[derive(Debug, Clone, Default)]
pub struct Slots {
    pub instance: Option<InstanceId>,
    pub region: Option<Region>,
    pub baseline: Option<BaselineId>,
    /// Free text (quoted for the shell).
    pub patch_group: Option<Box<str>>,
    pub state: Option<PatchState>,
    /// The platform, for the AWS-RunPatchBaseline step name (`PatchLinux`…).
    pub platform: Option<Platform>,
    /// What only a few findings name: one pointer here, so each of a fleet's hundreds of
    /// thousands of findings does not carry room for it (read with [`Slots::more`]).
    pub(crate) more: Option<Box<MoreSlots>>,
}

/// The values of [`Slots`] few findings have: an association and its run, a baseline's
/// operating system, a package, a KB, a key; and a fleet group's nodes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MoreSlots {
    /// A Run Command id.
    pub command: Option<Uuid>,
    /// AWS CLI named profile, appended as `--profile` to AWS CLI commands (the person's
    /// setting, applied when commands are written).
    pub profile: Option<Profile>,
    pub association: Option<Uuid>,
    pub execution: Option<Uuid>,
    /// A baseline `OperatingSystem` (`AMAZON_LINUX_2023`, `WINDOWS`).
    pub os: Option<Box<str>>,
    /// Free text (quoted for the shell).
    pub package: Option<Box<str>>,
    /// The digits of a KB (`890830` for KB890830).
    pub kb_number: Option<Box<str>>,
    /// An APT repository key id (`NO_PUBKEY 467B942D3A79BD29`).
    pub key_id: Option<Box<str>>,
    /// Several nodes (a fleet group): a template whose `{instance}` takes a list (`many`)
    /// lists them instead of one.
    pub instances: Vec<InstanceId>,
    /// More nodes than one call takes: a `many` template loops over this file, 50 ids a line,
    /// so the command acts on every node of the group, not on the first 50.
    pub node_file: Option<NodeFile>,
}

static NO_MORE: MoreSlots = MoreSlots {
    command: None,
    profile: None,
    association: None,
    execution: None,
    os: None,
    package: None,
    kb_number: None,
    key_id: None,
    instances: Vec::new(),
    node_file: None,
};

/// The file a fleet group's commands read their nodes from. Its name is built only from a
/// catalogue code, a role and a validated region, so it needs no quoting in either shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeFile(String);

/// `send-command` and `describe-instance-patch-states` take at most 50 instance ids a call.
pub const IDS_PER_CALL: usize = 50;

impl NodeFile {
    pub fn for_group(code: Code, role: Option<Role>, region: Option<&Region>) -> Self {
        let mut name = format!("nodes-{}", code.name());
        if let Some(role) = role {
            name.push('-');
            name.push_str(role.name());
        }
        if let Some(region) = region {
            name.push('-');
            name.push_str(region.as_str());
        }
        name.push_str(".txt");
        NodeFile(name)
    }

    pub fn name(&self) -> &str {
        &self.0
    }

    /// The file's text: the ids, [`IDS_PER_CALL`] to a line, each line one call's list.
    pub fn text<'a>(ids: impl IntoIterator<Item = &'a InstanceId>) -> String {
        let mut out = String::new();
        for (i, id) in ids.into_iter().enumerate() {
            if i > 0 {
                out.push(if i % IDS_PER_CALL == 0 { '\n' } else { ' ' });
            }
            out.push_str(id.as_str());
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }
}

/// Calls `$apply!` with every slot of [`Slots`] that holds one value, and `each_more_slot!`
/// with those of [`MoreSlots`] (not the node list, nor the node file): the one list, so a new
/// slot cannot be kept common and forgotten when filled or compared, or the reverse.
macro_rules! each_single_slot {
    ($apply:ident) => {
        $apply!(instance, region, baseline, patch_group, state, platform)
    };
}

macro_rules! each_more_slot {
    ($apply:ident) => {
        $apply!(command, profile, association, execution, os, package, kb_number, key_id)
    };
}

macro_rules! keep {
    ($self:ident, $other:ident; $($field:ident),*) => {$(
        if $self.$field != $other.$field {
            $self.$field = None;
        }
    )*};
}

macro_rules! fill {
    ($self:ident, $other:ident; $($field:ident),*) => {$(
        if $self.$field.is_none() {
            $self.$field = $other.$field.clone();
        }
    )*};
}

impl PartialEq for Slots {
    /// Equal values: an empty `more` equals none.
    fn eq(&self, other: &Slots) -> bool {
        macro_rules! same {
            ($($field:ident),*) => { $(self.$field == other.$field)&&* };
        }
        each_single_slot!(same) && self.more() == other.more()
    }
}

impl Eq for Slots {}

impl std::hash::Hash for Slots {
    /// The values that hold one each, its own and those few findings have (an empty `more` is
    /// hashed as none, as it equals none): slots equal by [`PartialEq`] have them equal. The
    /// few's too: a node's findings of compliance items differ by a KB or a package only, and
    /// slots hashed without them all fell in one place, to be compared one by one (80,000
    /// items' findings took 1.5 s, four times as long for twice as many).
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        macro_rules! hash {
            ($($field:ident),*) => { $(self.$field.hash(state);)* };
        }
        each_single_slot!(hash);
        let more = self.more();
        macro_rules! hash_more {
            ($($field:ident),*) => { $(more.$field.hash(state);)* };
        }
        each_more_slot!(hash_more);
    }
}

impl Slots {
    /// The values few findings have (all empty when this one has none).
    pub fn more(&self) -> &MoreSlots {
        self.more.as_deref().unwrap_or(&NO_MORE)
    }

    /// The AWS CLI profile its commands name (none: no room is made for it).
    pub fn set_profile(&mut self, profile: Option<Profile>) {
        if profile.is_some() || self.more.is_some() {
            self.more_mut().profile = profile;
        }
    }

    /// The values few findings have, to set one.
    pub fn more_mut(&mut self) -> &mut MoreSlots {
        self.more.get_or_insert_default()
    }

    /// Keeps only the values `other` shares: what a command written once for many nodes may say.
    pub fn keep_common(&mut self, other: &Slots) {
        macro_rules! keep_here {
            ($($field:ident),*) => { keep!(self, other; $($field),*) };
        }
        each_single_slot!(keep_here);
        if let Some(more) = &mut self.more {
            let other = other.more();
            macro_rules! keep_more {
                ($($field:ident),*) => { keep!(more, other; $($field),*) };
            }
            each_more_slot!(keep_more);
        }
    }

    /// Fills the slots this one lacks from `other`: a cause that explains a symptom knows what
    /// the symptom's input named (the association id of a Failed row, the command of a run).
    pub fn fill_from(&mut self, other: &Slots) {
        macro_rules! fill_here {
            ($($field:ident),*) => { fill!(self, other; $($field),*) };
        }
        each_single_slot!(fill_here);
        if let Some(other) = other.more.as_deref() {
            let more = self.more_mut();
            macro_rules! fill_more {
                ($($field:ident),*) => { fill!(more, other; $($field),*) };
            }
            each_more_slot!(fill_more);
        }
    }

    /// A value a failure signature captured from its line (`(?P<key_id>…)`), put in the slot of
    /// the same name; the slot's own rule still decides whether it is used.
    pub fn capture(&mut self, name: &str, value: &str) {
        match name {
            "key_id" => self.more_mut().key_id = Some(value.into()),
            "package" => self.more_mut().package = Some(value.into()),
            "association" => self.more_mut().association = Uuid::parse(value),
            "command" => self.more_mut().command = Uuid::parse(value),
            _ => {}
        }
    }
}

impl Slots {
    /// What the person typed (a region, a profile) takes precedence over what the inputs say.
    pub fn with_settings(mut self, settings: &Settings) -> Slots {
        if settings.region.is_some() {
            self.region = settings.region.clone();
        }
        // The instance typed in names the node a command about no node in particular is for;
        // never a fleet group's (its commands name its own nodes).
        if self.instance.is_none() && self.more().instances.is_empty() && self.more().node_file.is_none() {
            self.instance = settings.instance.clone();
        }
        self.set_profile(settings.profile.clone());
        self
    }
}

/// What the person set once for every command: a region, an AWS CLI profile, and the instance
/// the commands are about when the inputs name none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Settings {
    pub region: Option<Region>,
    pub profile: Option<Profile>,
    pub instance: Option<InstanceId>,
}

impl Settings {
    /// From what was typed in the region, profile and instance fields: each valid value,
    /// nothing for an empty or invalid one (the page says so beside the field).
    pub fn typed(region: &str, profile: &str, instance: &str) -> Settings {
        Settings {
            region: Region::parse(region.trim()),
            profile: Profile::parse(profile.trim()),
            instance: InstanceId::parse(instance.trim()),
        }
    }
}

/// A slot of a template, named as its placeholder is written (`<instance-id>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Slot {
    InstanceId,
    Region,
    CommandId,
    AssociationId,
    ExecutionId,
    BaselineId,
    PatchGroup,
    OperatingSystem,
    State,
    PluginName,
    Package,
    KbNumber,
    KeyId,
    PatchBucketUrl,
}

impl Slot {
    const ALL: [(Slot, &'static str); 14] = [
        (Slot::InstanceId, "instance"),
        (Slot::Region, "region"),
        (Slot::CommandId, "command"),
        (Slot::AssociationId, "association"),
        (Slot::ExecutionId, "execution"),
        (Slot::BaselineId, "baseline"),
        (Slot::PatchGroup, "patch_group"),
        (Slot::OperatingSystem, "os"),
        (Slot::State, "state"),
        (Slot::PluginName, "plugin"),
        (Slot::Package, "package"),
        (Slot::KbNumber, "kb_number"),
        (Slot::KeyId, "key_id"),
        (Slot::PatchBucketUrl, "payload_url"),
    ];

    /// The placeholder shown when the slot is empty.
    pub fn placeholder(self) -> &'static str {
        match self {
            Slot::InstanceId => "instance-id",
            Slot::Region => "region",
            Slot::CommandId => "command-id",
            Slot::AssociationId => "association-id",
            Slot::ExecutionId => "execution-id",
            Slot::BaselineId => "baseline-id",
            Slot::PatchGroup => "patch-group",
            Slot::OperatingSystem => "operating-system",
            Slot::State => "state",
            Slot::PluginName => "plugin-name",
            Slot::Package => "package",
            Slot::KbNumber => "kb-number",
            Slot::KeyId => "key-id",
            Slot::PatchBucketUrl => "patch-bucket-url",
        }
    }
}

/// One rendered command, ready to copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Command {
    /// `aws-cli`, `bash` or `powershell`.
    pub shell: Shell,
    /// The command for bash (or the node's shell).
    pub text: String,
    /// The same AWS CLI call for PowerShell (aws-cli commands only).
    #[serde(default)]
    pub powershell: Option<String>,
    pub label: String,
    /// Package-manager family of an on-node command, when it is specific to one.
    #[serde(default)]
    pub family: Option<PackageManager>,
    /// Slots that could not be filled and show as `<placeholder>`.
    #[serde(default)]
    pub placeholders: Vec<Slot>,
    /// What running it changes (reboots, installs, removes, runs on every target, costs
    /// money); null for a read-only command.
    #[serde(default)]
    pub changes: Option<String>,
}

impl Command {
    /// Its texts with the identifying values replaced (see [`crate::redact`]).
    pub fn redact(&mut self, pass: &mut crate::redact::Pass) {
        pass.apply(&mut self.text);
        if let Some(p) = &mut self.powershell {
            pass.apply(p);
        }
        pass.apply(&mut self.label);
    }
}

/// A value safe to write into both shells as it is: the slot's rule already holds, or (free
/// text) it is quoted per shell.
enum Filled {
    Safe(String),
    Quoted(String),
}

impl Slots {
    fn value(&self, slot: Slot) -> Option<Filled> {
        let safe = |v: Option<&str>| v.map(|v| Filled::Safe(v.to_string()));
        let quoted = |v: &Option<Box<str>>| {
            v.as_deref().map(str::trim).filter(|v| !v.is_empty() && !v.contains('\n')).map(|v| Filled::Quoted(v.into()))
        };
        match slot {
            Slot::InstanceId => safe(self.instance.as_ref().map(InstanceId::as_str)),
            Slot::Region => safe(self.region.as_ref().map(Region::as_str)),
            Slot::CommandId => safe(self.more().command.as_ref().map(Uuid::as_str)),
            Slot::AssociationId => safe(self.more().association.as_ref().map(Uuid::as_str)),
            Slot::ExecutionId => safe(self.more().execution.as_ref().map(Uuid::as_str)),
            Slot::BaselineId => safe(self.baseline.as_ref().map(BaselineId::as_str)),
            Slot::PatchGroup => quoted(&self.patch_group),
            Slot::OperatingSystem => safe(self.more().os.as_deref().map(str::trim).filter(|v| is_os_name(v))),
            Slot::State => safe(self.state.map(PatchState::wire)),
            Slot::PluginName => safe(self.platform.map(Platform::patch_plugin)),
            Slot::Package => quoted(&self.more().package),
            Slot::KbNumber => safe(
                self.more()
                    .kb_number
                    .as_deref()
                    .map(str::trim)
                    .filter(|v| (4..=8).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit())),
            ),
            Slot::KeyId => safe(
                self.more()
                    .key_id
                    .as_deref()
                    .map(str::trim)
                    .filter(|v| (8..=40).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_hexdigit())),
            ),
            Slot::PatchBucketUrl => self.region.as_ref().map(|r| Filled::Safe(r.patch_payload_url())),
        }
    }
}

/// A baseline `OperatingSystem` value: upper-case letters, digits and `_`.
fn is_os_name(v: &str) -> bool {
    (3..=31).contains(&v.len())
        && v.starts_with(|c: char| c.is_ascii_uppercase())
        && v.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
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

/// Writes each empty slot as its visible `<placeholder>`, quoted where the template leaves it
/// bare: a bare `<region>` is a redirection in bash (pasted, `--instance-id <instance-id>
/// --region x` would read a file and write one named `--region`) and a parse error in
/// PowerShell; `'<region>'` is a string in both, which the AWS CLI refuses with a clear message.
/// Inside quotes the angle brackets are already literal. Quote state follows both shells: `'`
/// opens and closes a literal, `"` a string, `\` or a backtick escapes the next character.
fn placeholders_quoted(template: &str, empty: &[(&str, &str)]) -> String {
    if empty.is_empty() {
        return template.to_string();
    }
    let mut out = String::with_capacity(template.len() + 16);
    let (mut single, mut double) = (false, false);
    let mut chars = template.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' | '`' if !single => {
                out.push(c);
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
                continue;
            }
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '{' => {
                let rest = &template[i + 1..];
                let found = rest
                    .find('}')
                    .map(|close| &rest[..close])
                    .and_then(|name| empty.iter().find(|(n, _)| *n == name).map(|(_, p)| (name.len(), *p)));
                if let Some((len, placeholder)) = found {
                    if single || double {
                        out.push_str(&format!("<{placeholder}>"));
                    } else {
                        out.push_str(&format!("'<{placeholder}>'"));
                    }
                    for _ in 0..=len {
                        chars.next();
                    }
                    continue;
                }
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// Renders one template for the slots.
pub fn render(template: Template, slots: &Slots, lang: Lang) -> Command {
    let template = crate::knowledge::command(template);
    let mut placeholders = Vec::new();
    let mut bash_vars = Vec::new();
    let mut ps_vars = Vec::new();
    let mut empty: Vec<(&str, &str)> = Vec::new();
    let batched = slots.more().node_file.as_ref().filter(|_| template.many);
    for (slot, name) in Slot::ALL {
        if !template.text.contains(&format!("{{{name}}}")) {
            continue;
        }
        // A group larger than one call: each line of the node file is one call's list, read
        // into an array (bash) or split (PowerShell), never parsed again by the shell.
        if slot == Slot::InstanceId && batched.is_some() {
            bash_vars.push((name, "\"${ids[@]}\"".to_string()));
            ps_vars.push((name, "$ids".to_string()));
            continue;
        }
        let listed = (slot == Slot::InstanceId && template.many && slots.more().instances.len() > 1).then(|| {
            let ids: Vec<&str> = slots.more().instances.iter().map(InstanceId::as_str).collect();
            Filled::Safe(ids.join(" "))
        });
        let (bash, ps) = match listed.or_else(|| slots.value(slot)) {
            Some(Filled::Safe(v)) => (v.clone(), v),
            Some(Filled::Quoted(v)) => (quote_bash(&v), quote_powershell(&v)),
            None => {
                placeholders.push(slot);
                empty.push((name, slot.placeholder()));
                continue;
            }
        };
        bash_vars.push((name, bash));
        ps_vars.push((name, ps));
    }
    // A loop calls the CLI more than once: its template says where the profile goes.
    let profile = slots.more().profile.as_ref().map(|p| format!(" --profile {p}")).unwrap_or_default();
    let profile_in_place = template.text.contains("{profile}");
    if profile_in_place {
        bash_vars.push(("profile", profile.clone()));
        ps_vars.push(("profile", profile.clone()));
    }
    let mut text = fill(&placeholders_quoted(&template.text, &empty), &bash_vars);
    let ps_template = template.powershell.as_deref().unwrap_or(&template.text);
    let mut powershell =
        (template.shell == Shell::AwsCli).then(|| fill(&placeholders_quoted(ps_template, &empty), &ps_vars));
    if template.shell == Shell::AwsCli && !profile_in_place {
        text.push_str(&profile);
        if let Some(ps) = powershell.as_mut() {
            ps.push_str(&profile);
        }
    }
    if let Some(file) = batched {
        let file = file.name();
        // Descriptor 3, so that nothing the loop runs can read the list from standard input.
        text = format!("while read -r -a ids <&3; do {text}; done 3< '{file}'");
        powershell =
            powershell.map(|ps| format!("foreach ($line in (Get-Content '{file}')) {{ $ids = -split $line; {ps} }}"));
    }
    let label_vars: Vec<(&str, String)> = slots.state.iter().map(|s| ("state", s.wire().to_string())).collect();
    Command {
        shell: template.shell,
        text,
        powershell,
        label: fill(template.label.get(lang), &label_vars),
        family: template.family,
        placeholders,
        changes: template.changes.as_ref().map(|c| c.get(lang).to_string()),
    }
}

/// Slots for trying every template the way a person gets it: an EC2 instance, a hybrid node
/// and a fleet group, each with every value filled, and free text that needs quoting in both
/// shells (`ssm-doctor catalogue --format commands`, which the shell parsers check).
pub fn examples() -> Vec<(&'static str, Slots)> {
    let uuid = |s: &str| Uuid::parse(s);
    let ec2 = Slots {
        instance: InstanceId::parse("i-0123456789abcdef0"),
        region: Region::parse("eu-west-1"),
        baseline: BaselineId::parse("pb-0123456789abcdef0"),
        patch_group: Some("Prod 'web' $(x); y,z".into()),
        state: Some(PatchState::InstalledPendingReboot),
        platform: Some(Platform::Linux),
        more: Some(Box::new(MoreSlots {
            command: uuid("0b6f2f6c-1a2b-4c3d-8e9f-0123456789ab"),
            profile: Profile::parse("support-prod"),
            association: uuid("8dfe3659-4309-493a-8755-0123456789ab"),
            execution: uuid("3e5d5694-cd07-40f0-bbea-0123456789ab"),
            os: Some("AMAZON_LINUX_2023".into()),
            package: Some("openssl-libs".into()),
            kb_number: Some("5034439".into()),
            key_id: Some("467B942D3A79BD29".into()),
            instances: Vec::new(),
            node_file: None,
        })),
    };
    let hybrid = Slots {
        instance: InstanceId::parse("mi-0123456789abcdef0"),
        platform: Some(Platform::Windows),
        patch_group: Some("$env:x `y` @z".into()),
        ..ec2.clone()
    };
    let mut fleet = ec2.clone();
    fleet.more_mut().instances = ["i-0123456789abcdef0", "i-0123456789abcdef1", "mi-0123456789abcdef2"]
        .iter()
        .filter_map(|i| InstanceId::parse(i))
        .collect();
    // A group larger than one call: its `many` commands loop over the group's node file.
    let mut large = Slots { instance: None, ..ec2.clone() };
    large.more_mut().node_file = Some(NodeFile::for_group(Code::PatchMissing, None, ec2.region.as_ref()));
    vec![("ec2", ec2), ("hybrid", hybrid), ("fleet", fleet), ("fleet-large", large)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node() -> Option<InstanceId> {
        InstanceId::parse("i-0123456789abcdef0")
    }

    /// Slots that differ in any one value, their own or one few findings have, hash apart (the
    /// tree shares slots through a hash set: a fleet whose findings differ only by a KB fell in
    /// one place of it, and took four times as long for twice as many nodes). Slots equal by
    /// value, an empty `more` and none among them, hash alike.
    #[test]
    fn slots_that_differ_in_any_value_hash_apart() {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let hash = |slots: &Slots| BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(slots);
        let base = Slots { instance: node(), ..Slots::default() };
        let mut empty_more = base.clone();
        empty_more.more_mut();
        assert_eq!(base, empty_more);
        assert_eq!(hash(&base), hash(&empty_more));
        fn text(t: &str) -> Option<Box<str>> {
            Some(t.into())
        }
        fn uuid() -> Option<Uuid> {
            Uuid::parse("97fff367-fc5a-4299-aed8-0123456789ab")
        }
        let variants: [fn(&mut MoreSlots); 8] = [
            |m| m.command = uuid(),
            |m| m.association = uuid(),
            |m| m.execution = uuid(),
            |m| m.profile = Profile::parse("prod"),
            |m| m.os = text("WINDOWS"),
            |m| m.package = text("openssl"),
            |m| m.kb_number = text("890830"),
            |m| m.key_id = text("467B942D3A79BD29"),
        ];
        assert!(uuid().is_some() && Profile::parse("prod").is_some(), "the values are valid");
        for set in variants {
            let mut other = base.clone();
            set(other.more_mut());
            assert_ne!(base, other);
            assert_ne!(hash(&base), hash(&other), "{other:?}");
        }
        for (a, b) in [("KB890830", "KB890831"), ("openssl", "openssh")] {
            let (mut one, mut two) = (base.clone(), base.clone());
            one.more_mut().package = text(a);
            two.more_mut().package = text(b);
            assert_ne!(hash(&one), hash(&two));
        }
    }

    #[test]
    fn real_ids_fill_and_missing_ones_show_placeholders() {
        let slots = Slots { instance: node(), ..Slots::default() };
        let c = render(Template::Scan, &slots, Lang::En);
        assert_eq!(c.text, "aws ssm send-command --document-name AWS-RunPatchBaseline --parameters Operation=Scan --instance-ids i-0123456789abcdef0 --region '<region>'");
        assert_eq!(c.placeholders, vec![Slot::Region]);
        assert_eq!(c.powershell.as_deref(), Some(c.text.as_str()));
    }

    #[test]
    fn a_group_larger_than_one_call_loops_over_its_node_file_in_both_shells() {
        let file = NodeFile::for_group(Code::PatchMissing, None, Region::parse("eu-west-1").as_ref());
        assert_eq!(file.name(), "nodes-patch-missing-eu-west-1.txt");
        let mut slots = Slots { region: Region::parse("eu-west-1"), ..Slots::default() };
        slots.more_mut().node_file = Some(file);
        let c = render(Template::Scan, &slots, Lang::En);
        assert_eq!(
            c.text,
            "while read -r -a ids <&3; do aws ssm send-command --document-name AWS-RunPatchBaseline --parameters \
             Operation=Scan --instance-ids \"${ids[@]}\" --region eu-west-1; done 3< 'nodes-patch-missing-eu-west-1.txt'"
        );
        assert_eq!(
            c.powershell.as_deref(),
            Some(
                "foreach ($line in (Get-Content 'nodes-patch-missing-eu-west-1.txt')) { $ids = -split $line; aws ssm \
                 send-command --document-name AWS-RunPatchBaseline --parameters Operation=Scan --instance-ids $ids \
                 --region eu-west-1 }"
            )
        );
        assert!(c.placeholders.is_empty(), "{:?}", c.placeholders);
        // A command that takes one id is not looped: it keeps its placeholder.
        let one = render(Template::DescribeInstanceInformation, &slots, Lang::En);
        assert!(!one.text.contains("ids") && one.placeholders == vec![Slot::InstanceId], "{}", one.text);
    }

    #[test]
    fn the_instance_typed_in_names_the_node_only_where_no_node_is_named() {
        let settings = Settings::typed("eu-west-1", "", " i-0fedcba9876543210 ");
        let general = Slots::default().with_settings(&settings);
        assert_eq!(general.instance.as_ref().map(InstanceId::as_str), Some("i-0fedcba9876543210"));
        let named = Slots { instance: node(), ..Slots::default() }.with_settings(&settings);
        assert_eq!(named.instance, node());
        let mut group = Slots::default();
        group.more_mut().instances = vec![node().unwrap()];
        let group = group.with_settings(&settings);
        assert_eq!(group.instance, None);
        let mut large = Slots::default();
        large.more_mut().node_file = Some(NodeFile::for_group(Code::PatchMissing, None, None));
        assert_eq!(large.with_settings(&settings).instance, None);
        assert_eq!(Settings::typed("", "", "i-0123; rm -rf /").instance, None, "an invalid id is not used");
    }

    #[test]
    fn a_node_file_holds_every_id_fifty_to_a_line() {
        let ids: Vec<InstanceId> = (0..120).map(|i| InstanceId::parse(&format!("i-{i:017x}")).unwrap()).collect();
        let text = NodeFile::text(&ids);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.iter().map(|l| l.split(' ').count()).collect::<Vec<_>>(), [50, 50, 20]);
        let back: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(back, ids.iter().map(InstanceId::as_str).collect::<Vec<_>>());
        assert_eq!(NodeFile::text(&[]), "");
    }

    #[test]
    fn shorthand_with_a_comma_is_one_quoted_argument_in_both_shells() {
        let slots = Slots { instance: node(), ..Slots::default() };
        let c = render(Template::Install, &slots, Lang::En);
        assert!(c.text.contains(r#"--parameters "Operation=Install,RebootOption=RebootIfNeeded""#), "{}", c.text);
        assert_eq!(c.powershell.as_deref(), Some(c.text.as_str()));
    }

    #[test]
    fn hostile_ids_never_reach_the_command() {
        let slots = Slots {
            instance: InstanceId::parse("i-0123456789abcdef0; rm -rf /"),
            region: Region::parse("us-east-1 && curl x"),
            ..Slots::default()
        };
        let c = render(Template::Scan, &slots, Lang::En);
        assert!(
            c.text.contains("--instance-ids '<instance-id>'") && c.text.ends_with("--region '<region>'"),
            "{}",
            c.text
        );
        assert!(!c.text.contains("rm -rf"));
    }

    #[test]
    fn a_valid_profile_is_appended_and_a_hostile_one_is_not() {
        let with = |profile: &str| {
            let mut slots = Slots::default();
            slots.set_profile(Profile::parse(profile));
            slots
        };
        assert!(render(Template::Scan, &with("prod-admin"), Lang::En).text.ends_with(" --profile prod-admin"));
        assert!(!render(Template::Scan, &with("x; rm -rf ~"), Lang::En).text.contains("--profile"));
        // On-node commands never get a profile.
        assert!(!render(Template::LinuxAgentLogs, &with("prod"), Lang::En).text.contains("--profile"));
    }

    #[test]
    fn free_text_is_quoted_per_shell() {
        let mut slots = Slots { patch_group: Some("Prod 'A' $(x)".into()), ..Slots::default() };
        slots.more_mut().os = Some("WINDOWS".into());
        let c = render(Template::GetPatchBaselineForPatchGroup, &slots, Lang::En);
        assert!(c.text.contains(r"--patch-group 'Prod '\''A'\'' $(x)'"), "{}", c.text);
        assert!(c.powershell.unwrap().contains("--patch-group 'Prod ''A'' $(x)'"));
        let mut slots = Slots::default();
        slots.more_mut().os = Some("windows; x".into());
        assert!(render(Template::GetPatchBaselineForPatchGroup, &slots, Lang::En)
            .text
            .contains("'<operating-system>'"));
    }

    #[test]
    fn an_empty_slot_is_a_quoted_placeholder_where_it_stands_bare() {
        let c = render(Template::DescribeInstanceInformation, &Slots::default(), Lang::En);
        // Inside the double-quoted filter the brackets are literal; bare, they are quoted.
        assert_eq!(
            c.text,
            "aws ssm describe-instance-information --filters \"Key=InstanceIds,Values=<instance-id>\" --region '<region>'"
        );
        assert_eq!(c.placeholders, vec![Slot::InstanceId, Slot::Region]);
    }

    #[test]
    fn a_loop_takes_the_profile_in_every_call() {
        let mut slots = Slots { instance: node(), ..Slots::default() };
        slots.set_profile(Profile::parse("prod"));
        let c = render(Template::FindInstanceRegion, &slots, Lang::En);
        assert_eq!(c.text.matches("--profile prod").count(), 2, "{}", c.text);
        assert!(c.text.ends_with("done"), "{}", c.text);
        assert_eq!(c.powershell.unwrap().matches("--profile prod").count(), 2);
    }

    #[test]
    fn a_bash_loop_has_a_real_powershell_form() {
        let slots = Slots { instance: node(), ..Slots::default() };
        let c = render(Template::FindInstanceRegion, &slots, Lang::En);
        assert!(c.text.starts_with("for r in $(aws ec2 describe-regions"), "{}", c.text);
        let ps = c.powershell.unwrap();
        assert!(ps.starts_with("foreach ($r in") && ps.contains("--instance-ids i-0123456789abcdef0"), "{ps}");
    }
}
