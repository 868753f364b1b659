//! `ssm-doctor`: the diagnosis on the command line (shared/report-contract.md).
//!
//!   ssm-doctor [--format json|markdown|text] [--lang en|zh-CN] [--redact] [FILE ...]
//!   ssm-doctor catalogue [--format json|markdown]
//!   ssm-doctor generate --kind KIND --instances N [--seed S]

use std::io::{Read, Write};
use std::process::ExitCode;

use diagnosis::knowledge::Knowledge;
use diagnosis::{diagnose_owned, Lang, Options};

const USAGE: &str = "usage:
  ssm-doctor [--format json|markdown|text] [--lang en|zh-CN] [--redact] [FILE ...]
  ssm-doctor catalogue [--format json|markdown]
    ssm-doctor generate --kind KIND --instances N [--seed S]
  ssm-doctor collect --instance ID [--region R] [--profile P] [--shell bash|powershell|node-linux|node-windows]
With no FILE, or with -, the input is read from standard input.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ssm-doctor: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("catalogue") => catalogue(&args[1..]),
        Some("generate") => generate(&args[1..]),
        Some("collect") => collect(&args[1..]),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => report(args),
    }
}

/// Pulls `--name value` (or `--name=value`) out of `args`.
fn take_option(args: &mut Vec<String>, name: &str) -> Result<Option<String>, String> {
    let Some(i) = args.iter().position(|a| a == name || a.starts_with(&format!("{name}="))) else {
        return Ok(None);
    };
    let arg = args.remove(i);
    if let Some((_, v)) = arg.split_once('=') {
        return Ok(Some(v.to_string()));
    }
    if i < args.len() {
        Ok(Some(args.remove(i)))
    } else {
        Err(format!("{name} needs a value\n{USAGE}"))
    }
}

fn report(args: &[String]) -> Result<(), String> {
    let mut args = args.to_vec();
    let format = take_option(&mut args, "--format")?.unwrap_or_else(|| "json".into());
    let lang = match take_option(&mut args, "--lang")? {
        Some(code) => Lang::parse(&code).ok_or_else(|| format!("unknown language `{code}` (use en or zh-CN)"))?,
        None => Lang::En,
    };
    let redact = match args.iter().position(|a| a == "--redact") {
        Some(i) => {
            args.remove(i);
            true
        }
        None => false,
    };
    if let Some(flag) = args.iter().find(|a| a.starts_with("--")) {
        return Err(format!("unknown option `{flag}`\n{USAGE}"));
    }
    if !matches!(format.as_str(), "json" | "markdown" | "text") {
        return Err(format!("unknown format `{format}` (use json, markdown or text)"));
    }
    let files: Vec<String> = if args.is_empty() { vec!["-".into()] } else { args };
    let mut loaded: Vec<(String, Vec<u8>)> = Vec::new();
    let mut unreadable = Vec::new();
    for file in &files {
        let result = if file == "-" {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map(|_| ("stdin".to_string(), bytes))
        } else {
            std::fs::read(file).map(|bytes| (file.clone(), bytes))
        };
        match result {
            Ok(pair) => loaded.push(pair),
            Err(e) => unreadable.push(format!("{file}: {e}")),
        }
    }
    if loaded.is_empty() {
        return Err(format!("no input could be read: {}", unreadable.join("; ")));
    }
    // The clock only feeds age checks ("patch data is 40 days old").
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_secs_f64());
    let mut report = diagnose_owned(loaded, &Options { lang, now, ..Options::default() });
    for problem in unreadable {
        let (name, why) = problem.split_once(": ").unwrap_or((&problem, ""));
        report.inputs.push(diagnosis::report::InputReport {
            name: name.to_string(),
            kind: "unrecognized",
            status: "rejected",
            messages: vec![format!("The file could not be read: {why}")],
            size: 0,
            parts: Vec::new(),
        });
    }
    if redact {
        report.redact();
    }
    let out = match format.as_str() {
        "markdown" => report.to_markdown(lang),
        "text" => report.to_text(lang),
        _ => report.to_json(),
    };
    write_stdout(&out)
}

fn catalogue(args: &[String]) -> Result<(), String> {
    let mut args = args.to_vec();
    let format = take_option(&mut args, "--format")?.unwrap_or_else(|| "json".into());
    let entries = &Knowledge::get().entries;
    let out = match format.as_str() {
        "json" => {
            let list: Vec<serde_json::Value> = entries
                .iter()
                .map(|e| serde_json::json!({"code": e.code, "ref": e.reference, "aliases": e.aliases, "title": e.title.en, "title_zh_cn": e.title.zh_cn, "role": e.role.name()}))
                .collect();
            serde_json::to_string_pretty(&list).expect("catalogue serialises")
        }
        "markdown" => {
            let mut out = String::from("| ref | code | role | title |\n|---|---|---|---|\n");
            for e in entries {
                out.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    e.reference,
                    e.code,
                    e.role.name(),
                    e.title.en.replace('|', "\\|")
                ));
            }
            out
        }
        other => return Err(format!("unknown format `{other}` (use json or markdown)")),
    };
    write_stdout(&out)
}

fn generate(args: &[String]) -> Result<(), String> {
    let mut args = args.to_vec();
    let kind = take_option(&mut args, "--kind")?.ok_or("generate needs --kind")?;
    let instances: usize = take_option(&mut args, "--instances")?
        .unwrap_or_else(|| "100".into())
        .parse()
        .map_err(|_| "--instances takes a number")?;
    let seed: u64 =
        take_option(&mut args, "--seed")?.unwrap_or_else(|| "1".into()).parse().map_err(|_| "--seed takes a number")?;
    let text = diagnosis::generate::generate(&kind, instances, seed).map_err(|e| e.to_string())?;
    write_stdout(&text)
}

/// Prints the read-only collection script for a node (see diagnosis::collect).
fn collect(args: &[String]) -> Result<(), String> {
    use diagnosis::collect::{script, Script};
    let mut args = args.to_vec();
    let instance = take_option(&mut args, "--instance")?.ok_or("collect needs --instance")?;
    let region = take_option(&mut args, "--region")?;
    let profile = take_option(&mut args, "--profile")?;
    let kind = match take_option(&mut args, "--shell")?.as_deref().unwrap_or("bash") {
        "bash" => Script::AwsBash,
        "powershell" => Script::AwsPowerShell,
        "node-linux" => Script::NodeLinux,
        "node-windows" => Script::NodeWindows,
        other => return Err(format!("unknown shell `{other}` (bash, powershell, node-linux, node-windows)")),
    };
    let slots = diagnosis::commands::Slots { instance: Some(instance), region, profile, ..Default::default() };
    write_stdout(&script(kind, &slots)?)
}

fn write_stdout(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ =
        out.write_all(text.as_bytes()).and_then(|_| if text.ends_with('\n') { Ok(()) } else { out.write_all(b"\n") });
    Ok(())
}
