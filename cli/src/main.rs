//! `ssm-doctor`: the diagnosis on the command line (docs/report-contract.md). A thin binary:
//! it parses arguments, reads files and writes the report; everything else is the `diagnosis`
//! crate, exactly as the browser app uses it.

#![forbid(unsafe_code)]

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use diagnosis::collect::{script, Script, Target};
use diagnosis::commands;
use diagnosis::export::Export;
use diagnosis::ids::{InstanceId, Profile, Region};
use diagnosis::ingest::{self, Input};
use diagnosis::knowledge::{Knowledge, Template};
use diagnosis::redact::{Category, Redactor};
use diagnosis::report::{Assembled, Form};
use diagnosis::wizard;
use diagnosis::{Diagnosis, Lang, Report, Settings};

/// Why is this EC2 instance NON_COMPLIANT in AWS Systems Manager? Reads AWS CLI output and
/// on-node logs (several files are diagnosed together and correlated by instance, command and
/// association id) and prints the causes, the lines that prove them and the commands to run.
#[derive(Parser)]
#[command(name = "ssm-doctor", version, args_conflicts_with_subcommands = true, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    report: ReportArgs,
}

const AFTER_HELP: &str = "Exit status: 0 when a report was produced (whatever it found), 2 for bad usage or when no input could be read at all.
With no FILE, or with -, the input is read from standard input.";

#[derive(Subcommand)]
enum Command {
    /// Diagnose FILEs (the default when no subcommand is given).
    Report(ReportArgs),
    /// Print every entry of the knowledge base: failure signatures and decision-tree outcomes.
    Catalogue {
        #[arg(long, value_enum, default_value_t = CatalogueFormat::Json)]
        format: CatalogueFormat,
    },
    /// Write a deterministic, realistic large input (CLI v2 shape) for benchmarks and tests.
    /// `--kind resource-data-sync --out DIR` writes a Resource Data Sync tree instead, with
    /// --instances per account and region.
    Generate {
        /// The kind of output, e.g. instance-patch-states, agent-log (`--instances` lines), or resource-data-sync.
        #[arg(long)]
        kind: String,
        #[arg(long, default_value_t = 100)]
        instances: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// resource-data-sync: the folder to write the tree into.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, default_value_t = 2)]
        accounts: usize,
        #[arg(long, default_value_t = 2)]
        regions: usize,
    },
    /// Diagnose a local copy of a Systems Manager Resource Data Sync bucket
    /// (`aws s3 sync s3://<bucket>/<prefix> ./sync`), per node, account and region.
    Sync {
        /// The folder the sync was copied into.
        path: PathBuf,
        #[arg(long, value_enum, default_value_t = sync::SyncFormat::Markdown)]
        format: sync::SyncFormat,
        /// The time to judge staleness at (ISO 8601, UTC); default: now.
        #[arg(long, value_parser = parse_time)]
        now: Option<f64>,
    },
    /// Print the SQL that runs the same fleet rules on Athena (over the sync bucket) or DuckDB
    /// (over a local copy): table definitions, then views shared by both engines.
    Sql {
        #[arg(long, value_enum, default_value_t = sync::SqlEngine::Athena)]
        engine: sync::SqlEngine,
        /// Athena: s3://bucket/prefix of the sync. DuckDB: the local folder.
        #[arg(long)]
        location: String,
        /// Athena partition projection: the accounts the sync holds (comma-separated).
        #[arg(long, default_value = "")]
        accounts: String,
        /// Athena partition projection: the regions the sync holds (comma-separated).
        #[arg(long, default_value = "")]
        regions: String,
        /// A fixed time for staleness (ISO 8601, UTC) instead of the query's time.
        #[arg(long)]
        now: Option<String>,
    },
    /// Print a read-only script that collects every relevant output for a node into one file.
    Collect {
        /// The node: i-… or mi-….
        #[arg(long)]
        instance: String,
        #[arg(long, default_value = "")]
        region: String,
        #[arg(long, default_value = "")]
        profile: String,
        #[arg(long, value_enum, default_value_t = CollectShell::Bash)]
        shell: CollectShell,
    },
    /// Turn a reply written with the pseudonyms of a redacted report back into the real values.
    /// Give the same FILEs (and --lang, --keep) the report was made from: the pseudonyms are
    /// rebuilt from them, locally.
    Restore {
        /// The reply to restore; `-` (the default) is standard input.
        #[arg(long, default_value = "-")]
        reply: PathBuf,
        #[command(flatten)]
        redaction: Redaction,
        #[arg(long, default_value = "en", value_parser = parse_lang)]
        lang: Lang,
        /// The files the redacted report was made from.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Args)]
struct ReportArgs {
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Language of every human text; ids, AWS names and commands stay verbatim.
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    lang: Lang,
    #[command(flatten)]
    redaction: Redaction,
    /// The region every AWS CLI command targets (else the one the inputs name).
    #[arg(long, value_parser = parse_region)]
    region: Option<Region>,
    /// An AWS CLI profile added to every AWS CLI command.
    #[arg(long, value_parser = parse_profile)]
    profile: Option<Profile>,
    /// The instance the commands are about when the inputs name none (i-… or mi-…).
    #[arg(long, value_parser = parse_instance)]
    instance: Option<InstanceId>,
    /// Write, into DIR, the node file of every fleet group larger than one call (50 ids): the
    /// group's commands loop over it, 50 ids a call. The ids are written in clear.
    #[arg(long, value_name = "DIR")]
    node_files: Option<PathBuf>,
    /// The time to judge staleness at (ISO 8601, UTC), for a report that reads the same
    /// tomorrow; default: now.
    #[arg(long, value_parser = parse_time)]
    now: Option<f64>,
    /// Files to diagnose together; `-` is standard input.
    files: Vec<PathBuf>,
}

/// Markdown, the report to paste into a support case, is redacted unless `--no-redact`; JSON
/// and text (read on this machine, by a person or a script) are in clear unless `--redact`.
#[derive(Args)]
struct Redaction {
    /// Replace account ids, instance and other resource ids, anything shaped like an id, IP
    /// addresses, host names, ARNs, bucket names, e-mail addresses, access key ids and secrets
    /// with stable pseudonyms (ACCOUNT-1, INSTANCE-2, …). The default for --format markdown.
    #[arg(long, conflicts_with = "no_redact")]
    redact: bool,
    /// Write every value in clear, Markdown included.
    #[arg(long)]
    no_redact: bool,
    /// Leave one category in clear (repeatable): account, instance, resource, id, ip, host, arn,
    /// bucket, email, access-key, secret.
    #[arg(long, value_name = "CATEGORY", value_parser = parse_category)]
    keep: Vec<Category>,
}

impl Redaction {
    fn wanted(&self, format: Format) -> bool {
        self.redact || (matches!(format, Format::Markdown) && !self.no_redact)
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Markdown,
    Text,
}

#[derive(Clone, Copy, ValueEnum)]
enum CatalogueFormat {
    Json,
    Markdown,
    /// Every command template rendered for an EC2 instance, a hybrid node and a fleet group,
    /// in bash and PowerShell (JSON): what the shell-parser tests read.
    Commands,
}

#[derive(Clone, Copy, ValueEnum)]
enum CollectShell {
    /// AWS CLI calls in bash.
    Bash,
    /// AWS CLI calls in PowerShell.
    Powershell,
    /// On a Linux node, as root.
    NodeLinux,
    /// On a macOS node, as root.
    NodeMacos,
    /// On a Windows node, as Administrator.
    NodeWindows,
}

fn parse_lang(code: &str) -> Result<Lang, String> {
    Lang::parse(code).ok_or_else(|| format!("unknown language `{code}` (use en or zh-CN)"))
}

fn parse_category(name: &str) -> Result<Category, String> {
    Category::parse(name).ok_or_else(|| {
        let all: Vec<&str> = Category::ALL.iter().map(|c| c.name()).collect();
        format!("unknown category `{name}` (use one of {})", all.join(", "))
    })
}

fn parse_time(text: &str) -> Result<f64, String> {
    diagnosis::time::parse_iso(text)
        .ok_or_else(|| format!("`{text}` is not an ISO 8601 time (for example 2026-12-01T00:00:00Z)"))
}

fn parse_region(text: &str) -> Result<Region, String> {
    Region::parse(text).ok_or_else(|| format!("`{text}` is not a region (for example eu-west-1)"))
}

fn parse_profile(text: &str) -> Result<Profile, String> {
    Profile::parse(text).ok_or_else(|| format!("`{text}` is not a profile name (letters, digits, - _ .)"))
}

fn parse_instance(text: &str) -> Result<InstanceId, String> {
    InstanceId::parse(text).ok_or_else(|| format!("`{text}` is not an instance id (i- or mi- and 8 or 17 hex digits)"))
}

mod read;
mod sync;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => report(cli.report),
        Some(Command::Report(args)) => report(args),
        Some(Command::Catalogue { format }) => catalogue(format),
        Some(Command::Generate { kind, instances, seed, out, accounts, regions }) if kind == "resource-data-sync" => {
            match out {
                Some(out) => sync::generate(&out, accounts, regions, instances, seed).map(|n| {
                    eprintln!(
                        "ssm-doctor: wrote {n} nodes under {} (now = {})",
                        out.display(),
                        diagnosis::sync::generate::NOW
                    )
                }),
                None => Err("resource-data-sync writes a folder: give --out DIR".to_string()),
            }
        }
        Some(Command::Generate { kind, instances, seed, .. }) => diagnosis::generate::generate(&kind, instances, seed)
            .map_err(|e| e.to_string())
            .and_then(|t| write_stdout(&t)),
        Some(Command::Sync { path, format, now }) => sync::read(&path, now.or_else(clock).unwrap_or(0.0))
            .and_then(|(rows, summary)| write_stdout(&sync::render(&rows, &summary, format))),
        Some(Command::Sql { engine, location, accounts, regions, now }) => {
            write_stdout(&sync::sql(engine, &location, &accounts, &regions, now.as_deref()))
        }
        Some(Command::Collect { instance, region, profile, shell }) => collect(&instance, &region, &profile, shell),
        Some(Command::Restore { reply, redaction, lang, files }) => restore(&reply, &redaction.keep, lang, &files),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "ssm-doctor", &mut std::io::stdout());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ssm-doctor: {message}");
            ExitCode::from(2)
        }
    }
}

fn report(args: ReportArgs) -> Result<(), String> {
    let files = if args.files.is_empty() { vec![PathBuf::from("-")] } else { args.files };
    let mut inputs = read_inputs(&files)?;
    let settings = Settings { region: args.region, profile: args.profile, instance: args.instance };
    // A large file's JSON is presumed strict as it is read (`read::file`): read again if not.
    let diagnosis = Diagnosis::of_read_again(&mut inputs, args.now.or_else(clock));
    // JSON in clear is written as it is made: a fleet's node verdicts are never held together.
    if matches!(args.format, Format::Json) && !args.redaction.wanted(args.format) {
        let assembled = Report::assemble(&inputs, &diagnosis, args.lang, &settings);
        if let Some(dir) = &args.node_files {
            write_node_files(dir, &assembled.report)?;
        }
        json_to_stdout(|out| assembled.write_fleet_json(out, write_nodes));
        // As below: the operating system takes a fleet's memory back faster than freeing it (the
        // report's groups name every node: freeing them was 20 ms at the end of the run).
        std::mem::forget(assembled);
        std::mem::forget((inputs, diagnosis));
        return Ok(());
    }
    let mut export = export_of(&inputs, &diagnosis, args.lang, &settings);
    if let Some(dir) = &args.node_files {
        write_node_files(dir, &export.report)?;
    }
    if args.redaction.wanted(args.format) {
        export.redact(&mut Redactor::new(), &args.redaction.keep);
    }
    let report = &export.report;
    let written = match args.format {
        Format::Markdown => write_stdout(&export.to_markdown(args.lang)),
        Format::Text => write_stdout(&report.to_text(args.lang)),
        Format::Json => {
            json_to_stdout(|out| report.write_json(out));
            Ok(())
        }
    };
    // The process ends here: freeing a fleet's millions of small allocations one by one took a
    // tenth of the run, and the operating system takes the memory back at once.
    std::mem::forget((inputs, diagnosis, export));
    written
}

/// JSON written to standard output as it is made. A closed pipe (`| head`) is not an error
/// worth a message.
fn json_to_stdout(write: impl FnOnce(&mut std::io::BufWriter<std::io::StdoutLock>) -> std::io::Result<()>) {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let _ = write(&mut out).and_then(|_| out.flush());
}

/// A fleet report's node verdicts, in order, written by two threads, and its groups' JSON: each
/// thread takes the next block of nodes still to write, this one also puts the blocks out in
/// their order, and the helper writes the groups once no block is left. The verdicts were a
/// fifth of a 150,000-node run, all on one core; the bytes are the same as one thread writes.
/// (Even blocks here and odd ones in the helper left this thread waiting for a fifth of the
/// time, as it writes the output too; and the groups, written after the verdicts, were 25 ms on
/// this thread alone. Written first, they were held through the whole write: 9 MB more at the
/// run's peak.)
fn write_nodes(assembled: &Assembled, out: &mut impl Write) -> std::io::Result<Option<Vec<u8>>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    const BLOCK: usize = 2048;
    // Blocks written ahead of the output at most, here and again in the helper's: a fleet's
    // verdicts are never held together.
    const AHEAD: usize = 2;
    let count = assembled.node_count();
    let block = |b: usize| b * BLOCK..((b + 1) * BLOCK).min(count);
    let blocks = count.div_ceil(BLOCK);
    // Each block is given the room the last one took (grown by doubling, a block's megabyte
    // was copied twice over).
    let (next, room) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let write = |b: usize| {
        let mut part = Vec::with_capacity(room.load(Ordering::Relaxed) / 8 * 9);
        assembled.nodes_json_into(block(b), &mut part);
        room.store(part.len(), Ordering::Relaxed);
        part
    };
    std::thread::scope(|scope| {
        let (sender, theirs) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(AHEAD);
        let (next, write) = (&next, &write);
        let helper = scope.spawn(move || {
            loop {
                let b = next.fetch_add(1, Ordering::Relaxed);
                if b >= blocks || sender.send((b, write(b))).is_err() {
                    break;
                }
            }
            // Once no block is left to take: the groups name every node, 9 MB of a 150,000-node
            // report's JSON, held only from here to the end.
            assembled.groups_json()
        });
        let mut written: std::collections::BTreeMap<usize, Vec<u8>> = std::collections::BTreeMap::new();
        for b in 0..blocks {
            // Until block `b` is here: write the next one while few wait, else take the helper's.
            let part = loop {
                if let Some(part) = written.remove(&b) {
                    break part;
                }
                let mine =
                    (written.len() < AHEAD).then(|| next.fetch_add(1, Ordering::Relaxed)).filter(|&m| m < blocks);
                match mine {
                    Some(m) => written.insert(m, write(m)),
                    None => {
                        let (t, part) = theirs
                            .recv()
                            .map_err(|_| std::io::Error::other("the thread writing node verdicts stopped"))?;
                        written.insert(t, part)
                    }
                };
            };
            if b > 0 {
                out.write_all(b",")?;
            }
            out.write_all(&part)?;
        }
        helper.join().map(Some).map_err(|_| std::io::Error::other("the thread writing the groups stopped"))
    })
}

/// Each fleet group's node file, before any redaction: the commands need the real ids.
fn write_node_files(dir: &std::path::Path, report: &Report) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (name, text) in report.groups.iter().filter_map(|g| g.node_file_text()) {
        let path = dir.join(name);
        std::fs::write(&path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!("ssm-doctor: wrote {} ids to {}", text.split_whitespace().count(), path.display());
    }
    Ok(())
}

/// Seconds since the Unix epoch. The clock only feeds age checks ("patch data is 40 days old").
fn clock() -> Option<f64> {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_secs_f64())
}

/// The files read as inputs; an unreadable one among readable ones is reported (after them),
/// not fatal.
fn read_inputs(files: &[PathBuf]) -> Result<Vec<Input>, String> {
    let (mut inputs, mut unreadable): (Vec<Input>, Vec<Input>) = (Vec::new(), Vec::new());
    for file in files {
        let (name, read) = if file.as_os_str() == "-" {
            let mut bytes = Vec::new();
            ("stdin".to_string(), std::io::stdin().read_to_end(&mut bytes).map(|_| (bytes, ingest::Arrived::default())))
        } else {
            (file.display().to_string(), read::file(file))
        };
        match read {
            Ok((bytes, arrived)) => inputs.push(ingest::read_arrived(&name, bytes, arrived)),
            Err(e) => unreadable.push(Input::unreadable(&name, e)),
        }
    }
    if inputs.is_empty() {
        // The command line's own errors are in English (the report has a language; stderr not).
        let why: Vec<String> = unreadable
            .iter()
            .map(|i| {
                format!("{}: {}", i.name, i.messages.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))
            })
            .collect();
        return Err(format!("no input could be read: {}", why.join("; ")));
    }
    inputs.extend(unreadable);
    Ok(inputs)
}

/// The report and the walk through the decision tree that the inputs answer, as the page shows
/// it before any answer (a fleet has one per node: none is written).
fn export_of(inputs: &[Input], diagnosis: &Diagnosis, lang: Lang, settings: &Settings) -> Export {
    let report = Report::build(inputs, diagnosis, lang, settings);
    let walk = match report.form {
        Form::Single => wizard::walk(&report, &Default::default(), settings, lang),
        Form::Fleet => Vec::new(),
    };
    Export { report, walk }
}

/// A reply written with the pseudonyms of the redacted report of `files`, with the real values.
fn restore(reply: &std::path::Path, keep: &[Category], lang: Lang, files: &[PathBuf]) -> Result<(), String> {
    if files.iter().any(|f| f.as_os_str() == "-") && reply.as_os_str() == "-" {
        return Err(
            "the reply and the files cannot both come from standard input: give the reply with --reply FILE".into()
        );
    }
    let text = if reply.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read the reply from standard input: {e}"))?;
        text
    } else {
        std::fs::read_to_string(reply).map_err(|e| format!("cannot read the reply {}: {e}", reply.display()))?
    };
    let mut inputs = read_inputs(files)?;
    let settings = Settings::default();
    let diagnosis = Diagnosis::of_read_again(&mut inputs, clock());
    let mut redactor = Redactor::new();
    export_of(&inputs, &diagnosis, lang, &settings).redact(&mut redactor, keep);
    write_stdout(&redactor.restore(&text))
}

fn catalogue(format: CatalogueFormat) -> Result<(), String> {
    let entries = &Knowledge::get().entries;
    let out = match format {
        CatalogueFormat::Commands => {
            let mut list = Vec::new();
            for template in Template::ALL {
                for (node, slots) in commands::examples() {
                    let c = commands::render(template, &slots, Lang::En);
                    list.push(serde_json::json!({"template": template.name(), "node": node, "shell": c.shell, "text": c.text, "powershell": c.powershell, "changes": c.changes}));
                }
            }
            serde_json::to_string_pretty(&list).expect("commands serialise")
        }
        CatalogueFormat::Json => {
            let list: Vec<serde_json::Value> = entries
                .iter()
                .map(|e| serde_json::json!({"code": e.code, "ref": e.reference, "aliases": e.aliases, "title": e.title.en, "title_zh_cn": e.title.zh_cn, "role": e.role}))
                .collect();
            serde_json::to_string_pretty(&list).expect("catalogue serialises")
        }
        CatalogueFormat::Markdown => {
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
    };
    write_stdout(&out)
}

/// Prints the read-only collection script for a node (see diagnosis::collect).
fn collect(instance: &str, region: &str, profile: &str, shell: CollectShell) -> Result<(), String> {
    let kind = match shell {
        CollectShell::Bash => Script::AwsBash,
        CollectShell::Powershell => Script::AwsPowerShell,
        CollectShell::NodeLinux => Script::NodeLinux,
        CollectShell::NodeMacos => Script::NodeMacOs,
        CollectShell::NodeWindows => Script::NodeWindows,
    };
    let target = Target::parse(instance, region, profile).map_err(|e| e.to_string())?;
    write_stdout(&script(kind, &target))
}

fn write_stdout(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ =
        out.write_all(text.as_bytes()).and_then(|_| if text.ends_with('\n') { Ok(()) } else { out.write_all(b"\n") });
    Ok(())
}
