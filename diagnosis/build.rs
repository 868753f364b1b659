//! Builds the knowledge base: converts the TOML files (written by people) to JSON (read by the
//! program, so the browser bundle carries no TOML parser), checks that every entry is whole and
//! every name it uses exists, and generates the `Code`, `Template` and `Hint` enums, so a rule
//! that names an entry, a command or a hint that does not exist does not compile.
//! Any problem stops the build with the file and entry it is in.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use toml::Value;

const FILES: [&str; 8] = ["tree", "signatures", "commands", "wizard", "collect", "hints", "notices", "labels"];
const ROLES: [&str; 3] = ["cause", "check", "note"];
const BRANCHES: [&str; 5] = ["patch", "association", "inventory", "custom", "node"];

fn main() {
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    let mut files = std::collections::BTreeMap::new();
    // FNV-1a over the files: a short, stable name for this knowledge base (share links carry it).
    let mut version: u64 = 0xcbf2_9ce4_8422_2325;
    for name in FILES {
        let path = format!("knowledge/{name}.toml");
        println!("cargo:rerun-if-changed={path}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for byte in text.replace("\r\n", "\n").bytes() {
            version = (version ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        let value: Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let json = serde_json::to_string(&for_target(&value)).expect("TOML values are JSON values");
        std::fs::write(Path::new(&out).join(format!("{name}.json")), json).expect("write OUT_DIR");
        files.insert(name, value);
    }
    write_sample_log(&out, &files["signatures"]);
    let templates: Vec<String> =
        files["commands"].as_table().expect("commands.toml is a table").keys().cloned().collect();
    let hints: Vec<String> = files["hints"].as_table().expect("hints.toml is a table").keys().cloned().collect();
    let notices: Vec<String> = files["notices"].as_table().expect("notices.toml is a table").keys().cloned().collect();
    let labels: Vec<String> = files["labels"].as_table().expect("labels.toml is a table").keys().cloned().collect();
    let mut problems = Vec::new();
    for (name, hint) in files["hints"].as_table().unwrap() {
        check_text(&mut problems, &format!("hints.toml [{name}]"), Some(hint));
    }
    for (name, label) in files["labels"].as_table().unwrap() {
        check_text(&mut problems, &format!("labels.toml [{name}]"), Some(label));
    }
    for (name, notice) in files["notices"].as_table().unwrap() {
        check_text(&mut problems, &format!("notices.toml [{name}]"), Some(notice));
        // Both languages are filled from the same values: a slot only one of them has would
        // be left unfilled in the other.
        let slots = |lang: &str| slot_names(notice.get(lang).and_then(Value::as_str).unwrap_or(""));
        if slots("en") != slots("zh-CN") {
            problems.push(format!("notices.toml [{name}]: the en and zh-CN texts use different slots"));
        }
    }
    for (name, template) in files["commands"].as_table().unwrap() {
        check_text(&mut problems, &format!("commands.toml [{name}].label"), template.get("label"));
        let text = template.get("text").and_then(Value::as_str);
        if text.is_none() {
            problems.push(format!("commands.toml [{name}]: no text"));
        }
        let many = template.get("many").and_then(Value::as_bool).unwrap_or(false);
        if many && !text.unwrap_or("").contains("--instance-ids {instance}") {
            problems.push(format!("commands.toml [{name}]: `many` needs `--instance-ids {{instance}}`"));
        }
    }
    let entries: Vec<&Value> = ["tree", "signatures"]
        .iter()
        .flat_map(|f| files[f].get("entry").and_then(Value::as_array).map(|a| a.iter()).into_iter().flatten())
        .collect();
    let codes: Vec<String> = entries.iter().map(|e| string(e, "code")).collect();
    let mut unique = BTreeSet::new();
    for (entry, code) in entries.iter().zip(&codes) {
        let at = format!("entry `{code}`");
        if code.is_empty() || !unique.insert(code.clone()) {
            problems.push(format!("{at}: missing or duplicate code"));
        }
        if string(entry, "ref").is_empty() {
            problems.push(format!("{at}: no ref"));
        }
        if !ROLES.contains(&string(entry, "role").as_str()) {
            problems.push(format!("{at}: role must be one of {ROLES:?}"));
        }
        if let Some(branch) = entry.get("branch").and_then(Value::as_str) {
            if !BRANCHES.contains(&branch) {
                problems.push(format!("{at}: branch must be one of {BRANCHES:?}"));
            }
        }
        for text in ["title", "why", "fix"] {
            check_text(&mut problems, &format!("{at}.{text}"), entry.get(text));
        }
        for fleet in ["fleet_title", "fleet_why"] {
            if let Some(text) = entry.get(fleet) {
                check_text(&mut problems, &format!("{at}.{fleet}"), Some(text));
            }
        }
        // A title with values needs a name without them: a share link and a fleet group carry
        // no values, and a bare `{count}` must never reach a screen.
        let has_slot = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_table)
                .is_some_and(|t| t.values().any(|v| v.as_str().is_some_and(|s| s.contains('{'))))
        };
        if has_slot("title") && (entry.get("fleet_title").is_none() || has_slot("fleet_title")) {
            problems.push(format!("{at}: a title with {{slots}} needs a fleet_title without any"));
        }
        if has_slot("fleet_why") {
            problems.push(format!("{at}: a fleet_why is written without {{slots}}"));
        }
        let commands = strings(entry, "commands");
        if commands.is_empty() {
            problems.push(format!("{at}: no command"));
        }
        for fix in strings(entry, "fix_commands") {
            if !commands.contains(&fix) {
                problems.push(format!("{at}: fix command `{fix}` is not among its commands"));
            }
        }
        for command in commands {
            if !templates.contains(&command) {
                problems.push(format!("{at}: unknown command template `{command}`"));
            }
        }
        for other in strings(entry, "explains") {
            if !codes.contains(&other) {
                problems.push(format!("{at}: explains unknown entry `{other}`"));
            }
        }
        if let Some(confirm) = entry.get("confirm").and_then(Value::as_str) {
            if !templates.iter().any(|t| t == confirm) {
                problems.push(format!("{at}: confirm names unknown command template `{confirm}`"));
            }
        }
        for (branch, list) in entry.get("commands_by_branch").and_then(Value::as_table).into_iter().flatten() {
            if !BRANCHES.contains(&branch.as_str()) {
                problems.push(format!("{at}: commands_by_branch has unknown branch `{branch}`"));
            }
            for command in list.as_array().into_iter().flatten().filter_map(Value::as_str) {
                if !templates.iter().any(|t| t == command) {
                    problems.push(format!("{at}: unknown command template `{command}`"));
                }
            }
        }
        let signature = entry.get("match").is_some() || entry.get("weak").is_some();
        if signature && entry.get("weak").is_some() && entry.get("alone").is_none() && entry.get("match").is_none() {
            problems.push(format!("{at}: only weak lines and no `alone` role: it could never be reported"));
        }
        if let Some(alone) = entry.get("alone").and_then(Value::as_str) {
            if alone == "cause" {
                problems.push(format!("{at}: weak lines alone never prove a cause (alone = check or note)"));
            }
        }
        if strings(entry, "samples").is_empty() {
            problems.push(format!("{at}: no sample that triggers it"));
        }
        // A signature is trusted only next to a line that looks like it and must not fire it.
        if signature && strings(entry, "near_misses").is_empty() {
            problems.push(format!("{at}: a signature needs a near-miss sample that must not fire it"));
        }
    }
    for step in ["step", "verify"]
        .iter()
        .flat_map(|table| files["wizard"].get(*table).and_then(Value::as_array).into_iter().flatten())
    {
        let command = string(step, "command");
        if !templates.contains(&command) {
            problems.push(format!("wizard step `{}`: unknown command template `{command}`", string(step, "id")));
        }
    }
    assert!(problems.is_empty(), "the knowledge base has problems:\n  {}", problems.join("\n  "));

    let mut rust = String::from("// Generated by build.rs from knowledge/*.toml. Do not edit.\n");
    rust.push_str(&name_enum(
        "Code",
        "An entry of the knowledge base (a decision-tree outcome or a failure signature), in file\n/// order: tree.toml, then signatures.toml.",
        &codes,
    ));
    rust.push_str(&name_enum("Template", "A command template of commands.toml.", &templates));
    rust.push_str(&name_enum("Hint", "A phrase of hints.toml.", &hints));
    rust.push_str(&name_enum("Notice", "What reading an input says about it: a text of notices.toml.", &notices));
    rust.push_str(&name_enum("Label", "A word of the Markdown and text reports' frame: labels.toml.", &labels));
    writeln!(
        rust,
        "\n/// The knowledge base's version: a hash of its files, so a share link made with another one\n/// is recognised.\npub const VERSION: &str = \"{:08x}\";",
        version >> 32
    )
    .unwrap();
    std::fs::write(Path::new(&out).join("names.rs"), rust).expect("write OUT_DIR");

    // The collect lists as Rust constants: the page writes these scripts itself, and its bundle
    // then needs no JSON reader for them.
    let mut lists = String::from("// Generated by build.rs from knowledge/collect.toml. Do not edit.\n");
    for key in ["aws", "linux", "macos", "windows"] {
        let lines = strings(&files["collect"], key);
        assert!(!lines.is_empty(), "collect.toml: `{key}` is empty");
        writeln!(lists, "pub const {}: &[&str] = &{lines:?};", key.to_uppercase()).unwrap();
    }
    std::fs::write(Path::new(&out).join("collect.rs"), lists).expect("write OUT_DIR");
}

/// Every signature's samples, a line each: a log that fires every rule a log can, which the
/// worker runs its engine over when it starts (`knowledge::SAMPLE_LOG`), so a person's first log
/// finds the rules' code compiled and optimised. Only the samples: the entries leave them out.
fn write_sample_log(out: &str, signatures: &Value) {
    let entries = signatures.get("entry").and_then(Value::as_array).into_iter().flatten();
    let lines: Vec<String> = entries.flat_map(|entry| strings(entry, "samples")).collect();
    assert!(!lines.is_empty(), "signatures.toml: no samples");
    let log = lines.iter().map(|line| format!("{line}\n")).collect::<String>();
    std::fs::write(Path::new(out).join("sample_log.txt"), log).expect("write OUT_DIR");
}

/// The browser bundle carries no test material in its entries: an entry's samples and near
/// misses are for the native tests (tests/catalogue.rs), and weigh about 35 kB (the samples of
/// the signatures are also one text of their own, [`write_sample_log`]).
fn for_target(value: &Value) -> Value {
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    let mut value = value.clone();
    if wasm {
        for entry in value.get_mut("entry").and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(table) = entry.as_table_mut() {
                table.remove("samples");
                table.remove("near_misses");
            }
        }
    }
    value
}

fn string(value: &Value, key: &str) -> String {
    value.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

fn strings(value: &Value, key: &str) -> Vec<String> {
    value
        .get(key)
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

/// The `{slot}` names of a text, sorted (a plural form `{n:one|other}` counts as its slot `n`;
/// `{ }` is no slot).
fn slot_names(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = after[..close].split(':').next().unwrap_or("");
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            out.insert(name.to_string());
        }
        rest = &after[close + 1..];
    }
    out
}

/// A text must exist in both languages.
fn check_text(problems: &mut Vec<String>, at: &str, text: Option<&Value>) {
    for lang in ["en", "zh-CN"] {
        if text.and_then(|t| t.get(lang)).and_then(Value::as_str).is_none_or(|s| s.trim().is_empty()) {
            problems.push(format!("{at}: no `{lang}` text"));
        }
    }
}

/// `enum Name { FirstName, … }` with `ALL`, `name()` and `from_name()`; variants follow the
/// kebab-case names (`patch-failed` → `PatchFailed`).
fn name_enum(name: &str, doc: &str, names: &[String]) -> String {
    let variant = |n: &str| -> String {
        n.split(['-', '_'])
            .map(|w| {
                let mut c = w.chars();
                c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
            })
            .collect()
    };
    let mut s = String::new();
    writeln!(s, "\n/// {doc}").unwrap();
    writeln!(s, "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\npub enum {name} {{").unwrap();
    for n in names {
        writeln!(s, "    /// `{n}`\n    {},", variant(n)).unwrap();
    }
    writeln!(s, "}}\n\nimpl {name} {{").unwrap();
    writeln!(s, "    pub const ALL: [{name}; {}] = [", names.len()).unwrap();
    for n in names {
        writeln!(s, "        {name}::{},", variant(n)).unwrap();
    }
    // The names as a table: `name` indexes it and `from_name` searches it, which is far less
    // code (in the browser bundle) than a `match` over every name.
    writeln!(s, "    ];\n\n    const NAMES: [&'static str; {}] = [", names.len()).unwrap();
    for n in names {
        writeln!(s, "        {n:?},").unwrap();
    }
    writeln!(
        s,
        "    ];\n\n    /// The name in the knowledge base.\n    pub fn name(self) -> &'static str {{\n        Self::NAMES[self as usize]\n    }}\n\n    pub fn from_name(name: &str) -> Option<{name}> {{\n        Self::NAMES.iter().position(|n| *n == name).map(|i| Self::ALL[i])\n    }}\n}}"
    )
    .unwrap();
    s
}
