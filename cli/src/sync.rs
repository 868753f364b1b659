//! `ssm-doctor sync PATH`: a local copy of a Resource Data Sync bucket (`aws s3 sync
//! s3://bucket/prefix ./sync`), diagnosed per node with the fleet rules, per account and region;
//! `ssm-doctor sql`: the same rules as SQL for Athena or DuckDB; and the generated tree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use diagnosis::sync::{self, Engine, ObjectKey, SqlOptions, SyncNode, Verdict};
use rayon::prelude::*;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum SyncFormat {
    /// One row per node and code (the columns of the ssm_doctor_node_causes view).
    Csv,
    Json,
    Markdown,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum SqlEngine {
    Athena,
    Duckdb,
}

fn dirs(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        // A symbolic link to a folder is followed (a tree assembled from several copies).
        if entry.path().is_dir() {
            out.push((entry.file_name().to_string_lossy().to_string(), entry.path()));
        }
    }
    Ok(out)
}

/// The tree's partitions: per (account, region), the folder of each type that holds its
/// objects. Only folders are listed here, never the objects themselves.
type Partitions = BTreeMap<(String, String), Vec<(String, PathBuf)>>;

fn partitions(root: &Path) -> Result<(Partitions, usize), String> {
    let mut out: Partitions = BTreeMap::new();
    let mut probes = 0;
    // The type folders, below an optional prefix of a few levels.
    let mut stack = vec![(root.to_path_buf(), 0)];
    while let Some((dir, depth)) = stack.pop() {
        for (name, path) in dirs(&dir)? {
            if !(name.starts_with("AWS:") || name.starts_with("Custom:")) {
                if depth < 3 {
                    stack.push((path, depth + 1));
                }
                continue;
            }
            for (account, account_dir) in dirs(&path)? {
                let Some(account) = account.strip_prefix("accountid=") else { continue };
                probes += std::fs::read_dir(&account_dir)
                    .map(|d| d.filter_map(Result::ok).filter(|e| e.path().is_file()).count())
                    .unwrap_or(0);
                for (region, region_dir) in dirs(&account_dir)? {
                    let Some(region) = region.strip_prefix("region=") else { continue };
                    for (resource_type, objects) in dirs(&region_dir)? {
                        if resource_type.starts_with("resourcetype=") {
                            out.entry((account.to_string(), region.to_string()))
                                .or_default()
                                .push((name.clone(), objects));
                        }
                    }
                }
            }
        }
    }
    Ok((out, probes))
}

/// Reads a sync tree into its nodes' verdicts, one partition (account and region) at a time,
/// the partition's nodes in parallel: memory is bounded by the largest partition, not by the
/// tree.
pub fn read(root: &Path, now: f64) -> Result<(Vec<Verdict>, Summary), String> {
    if root.is_file() {
        return read_archive(root, now);
    }
    if !root.is_dir() {
        return Err(format!(
            "{} is not a folder. Give the folder `aws s3 sync s3://<bucket>/<prefix> ./sync` wrote.",
            root.display()
        ));
    }
    let (parts, probes) = partitions(root)?;
    if parts.is_empty() {
        return Err(format!(
            "no Resource Data Sync objects under {} (expected <TypeName>/accountid=<account>/region=<region>/resourcetype=ManagedInstanceInventory/<node>.json)",
            root.display()
        ));
    }
    let mut rows = Vec::new();
    let mut summary = Summary { skipped: probes, ..Summary::default() };
    for ((account, region), type_dirs) in &parts {
        let mut by_node: BTreeMap<String, Vec<(ObjectKey, PathBuf)>> = BTreeMap::new();
        for (type_name, dir) in type_dirs {
            for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
                let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
                let Some(node) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".json")) else {
                    summary.skipped += 1;
                    continue;
                };
                let key = ObjectKey {
                    type_name: type_name.clone(),
                    account: account.clone(),
                    region: region.clone(),
                    node: node.to_string(),
                };
                by_node.entry(node.to_string()).or_default().push((key, path));
            }
        }
        let results: Vec<NodeResult> = by_node
            .par_iter()
            .map(|(node, files)| {
                let mut state = SyncNode {
                    account: account.clone(),
                    region: region.clone(),
                    node: node.clone(),
                    ..SyncNode::default()
                };
                for (key, path) in files {
                    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
                    state.add(key, &text);
                }
                Ok((sync::verdicts(&state, now), state.listed, state.mismatched))
            })
            .collect();
        for result in results {
            let (verdicts, listed, mismatched) = result?;
            summary.count(listed, mismatched);
            rows.extend(verdicts);
        }
    }
    rows.sort();
    Ok((rows, summary))
}

/// A sync tree as a `.zip` or `.tar.gz`, read entry by entry without unpacking it: only the
/// nodes' facts are kept, never the entries' texts.
fn read_archive(path: &Path, now: f64) -> Result<(Vec<Verdict>, Summary), String> {
    use std::io::Read;
    let name = path.to_string_lossy().to_ascii_lowercase();
    let open = || std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()));
    let mut nodes: BTreeMap<(String, String, String), SyncNode> = BTreeMap::new();
    let mut summary = Summary::default();
    let mut add = |relative: &str, text: &str| match sync::object_key(&relative.replace('\\', "/")) {
        Some(key) => nodes
            .entry((key.account.clone(), key.region.clone(), key.node.clone()))
            .or_insert_with(|| SyncNode {
                account: key.account.clone(),
                region: key.region.clone(),
                node: key.node.clone(),
                ..SyncNode::default()
            })
            .add(&key, text),
        None => summary.skipped += 1,
    };
    let bad = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    if name.ends_with(".zip") {
        let mut archive = zip::ZipArchive::new(open()?).map_err(|e| bad(&e))?;
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).map_err(|e| bad(&e))?;
            if entry.is_dir() || !entry.name().ends_with(".json") {
                continue;
            }
            let entry_name = entry.name().to_string();
            let mut text = String::new();
            entry.read_to_string(&mut text).map_err(|e| bad(&e))?;
            add(&entry_name, &text);
        }
    } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(open()?));
        for entry in archive.entries().map_err(|e| bad(&e))? {
            let mut entry = entry.map_err(|e| bad(&e))?;
            let entry_name = entry.path().map_err(|e| bad(&e))?.to_string_lossy().to_string();
            if !entry_name.ends_with(".json") {
                continue;
            }
            let mut text = String::new();
            entry.read_to_string(&mut text).map_err(|e| bad(&e))?;
            add(&entry_name, &text);
        }
    } else {
        return Err(format!(
            "{} is a file: give the folder `aws s3 sync` wrote, or a .zip or .tar.gz of it",
            path.display()
        ));
    }
    if nodes.is_empty() {
        return Err(format!("no Resource Data Sync objects in {}", path.display()));
    }
    let mut rows = Vec::new();
    for node in nodes.values() {
        summary.count(node.listed, node.mismatched);
        rows.extend(sync::verdicts(node, now));
    }
    rows.sort();
    Ok((rows, summary))
}

/// One node's verdicts, whether it is listed, and its mismatched records.
type NodeResult = Result<(Vec<Verdict>, bool, usize), String>;

#[derive(Debug, Default)]
pub struct Summary {
    pub nodes: usize,
    /// Nodes with records but no AWS:InstanceInformation (not diagnosed).
    pub unlisted: usize,
    /// Records whose resourceId is not the node their key names.
    pub mismatched: usize,
    /// Files that are not a node's object (the test.json probe).
    pub skipped: usize,
}

impl Summary {
    /// Counts one node read (listed, or with records but no AWS:InstanceInformation).
    fn count(&mut self, listed: bool, mismatched: usize) {
        self.nodes += usize::from(listed);
        self.unlisted += usize::from(!listed);
        self.mismatched += mismatched;
    }
}

fn csv_cell(value: &str) -> String {
    if value.contains([',', '"', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

pub fn render(rows: &[Verdict], summary: &Summary, format: SyncFormat) -> String {
    match format {
        SyncFormat::Csv => {
            let mut out = String::from("accountid,region,resourceid,code,ref,kind,detail\n");
            for r in rows {
                let cells = [&r.account, &r.region, &r.node, r.code, r.reference, r.kind, &r.detail];
                out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
                out.push('\n');
            }
            out
        }
        SyncFormat::Json => {
            let value = serde_json::json!({
                "nodes": summary.nodes,
                "unlisted": summary.unlisted,
                "mismatched_records": summary.mismatched,
                "rows": rows,
                "summary": groups(rows).into_iter().map(|((account, region, code, reference, kind), n)| serde_json::json!({
                    "accountid": account, "region": region, "code": code, "ref": reference, "kind": kind, "nodes": n,
                })).collect::<Vec<_>>(),
            });
            serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
        }
        SyncFormat::Markdown => {
            let mut out = format!(
                "# SSM Compliance Doctor: Resource Data Sync\n\n{} nodes read{}{}{}.\n\n| account | region | code | ref | kind | nodes |\n|---|---|---|---|---|---|\n",
                summary.nodes,
                if summary.unlisted > 0 { format!(", {} without an AWS:InstanceInformation record (not diagnosed)", summary.unlisted) } else { String::new() },
                if summary.mismatched > 0 { format!(", {} records whose resourceId differs from their key", summary.mismatched) } else { String::new() },
                if summary.skipped > 0 { format!(", {} other files skipped (the test.json probes)", summary.skipped) } else { String::new() },
            );
            for ((account, region, code, reference, kind), n) in groups(rows) {
                out.push_str(&format!("| {account} | {region} | {code} | {reference} | {kind} | {n} |\n"));
            }
            out.push_str("\n`state` rows (a terminated or stopped instance, a node or a patch record that stopped reporting) are shown as such, never as causes.\n");
            out
        }
    }
}

type GroupKey = (String, String, &'static str, &'static str, &'static str);

fn groups(rows: &[Verdict]) -> BTreeMap<GroupKey, usize> {
    let mut seen: BTreeMap<GroupKey, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for r in rows {
        seen.entry((r.account.clone(), r.region.clone(), r.code, r.reference, r.kind)).or_default().insert(&r.node);
    }
    seen.into_iter().map(|(k, nodes)| (k, nodes.len())).collect()
}

pub fn sql(engine: SqlEngine, location: &str, accounts: &str, regions: &str, now: Option<&str>) -> String {
    let list = |s: &str| s.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).collect();
    sync::sql(&SqlOptions {
        engine: match engine {
            SqlEngine::Athena => Engine::Athena,
            SqlEngine::Duckdb => Engine::DuckDb,
        },
        location: location.to_string(),
        accounts: list(accounts),
        regions: list(regions),
        now: now.map(str::to_string),
    })
}

/// Writes a generated tree under `out`.
pub fn generate(out: &Path, accounts: usize, regions: usize, instances: usize, seed: u64) -> Result<usize, String> {
    let mut error = None;
    let nodes = sync::generate::tree(accounts, regions, instances, seed, |relative, content| {
        if error.is_some() {
            return;
        }
        let path = out.join(relative);
        let result =
            path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, content));
        if let Err(e) = result {
            error = Some(format!("{}: {e}", path.display()));
        }
    });
    error.map_or(Ok(nodes), Err)
}
