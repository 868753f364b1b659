//! The rules of `rules.rs` as SQL: table definitions for Athena (Glue tables with partition
//! projection, so no crawler and no `MSCK REPAIR`) or DuckDB (over a local copy of the bucket),
//! then views in the SQL that Trino (Athena engine v3) and DuckDB share. Generated from the same
//! rules the CLI evaluates, so the two engines give the same verdicts per node.

use super::rules::{Cond, Field, Rule, RuleKind, ASSOCIATION_RULE, RULES};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Athena,
    DuckDb,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SqlOptions {
    pub engine: Engine,
    /// Athena: `s3://bucket/prefix` of the sync. DuckDB: the local folder.
    pub location: String,
    /// Athena's partition projection: the accounts and regions the sync holds.
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    /// A fixed "now" (`2026-12-01T00:00:00Z`) for reproducible results; else the query's time.
    pub now: Option<String>,
}

/// One table per sync type the views read, with the attributes they use (as the sync writes
/// them; Glue and Athena see them lower-cased).
const TABLES: &[(&str, &str, &[&str])] = &[
    ("aws_instanceinformation", "AWS:InstanceInformation", &["resourceId", "captureTime", "InstanceStatus"]),
    (
        "aws_patchsummary",
        "AWS:PatchSummary",
        &[
            "resourceId",
            "captureTime",
            "OperationType",
            "FailedCount",
            "InstalledPendingRebootCount",
            "InstalledRejectedCount",
            "MissingCount",
        ],
    ),
    (
        "aws_complianceitem",
        "AWS:ComplianceItem",
        &["resourceId", "captureTime", "ComplianceType", "Status", "DocumentName", "Title", "Id"],
    ),
];

fn now_expr(options: &SqlOptions) -> String {
    match options.now.as_deref().and_then(|n| n.get(..19)) {
        Some(at) => format!("TIMESTAMP '{}'", at.replace('T', " ")),
        None => "CAST(current_timestamp AS TIMESTAMP)".to_string(),
    }
}

fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

fn cond(c: &Cond, now: &str) -> String {
    match *c {
        Cond::In(field, values) => {
            format!("{} IN ({})", field.column(), values.iter().map(|v| quote(v)).collect::<Vec<_>>().join(", "))
        }
        Cond::Above(field, n) => format!("{} > {n}", field.column()),
        Cond::OlderThanDays(field, days) => format!("{} < {now} - INTERVAL '{days}' DAY", field.column()),
        Cond::Has(field, true) => field.column().to_string(),
        Cond::Has(field, false) => format!("NOT {}", field.column()),
    }
}

fn when(rule: &Rule, now: &str) -> String {
    rule.when.iter().map(|c| format!("({})", cond(c, now))).collect::<Vec<_>>().join(" AND ")
}

fn detail(rule: &Rule) -> String {
    match rule.detail {
        Some(field @ (Field::InstanceStatus | Field::Operation)) => format!("COALESCE({}, '')", field.column()),
        Some(field) => format!("COALESCE(CAST({} AS VARCHAR), '')", field.column()),
        None => "''".to_string(),
    }
}

fn ddl(options: &SqlOptions) -> String {
    let mut out = String::new();
    let location = options.location.trim_end_matches('/');
    for (table, type_name, columns) in TABLES {
        match options.engine {
            Engine::Athena => {
                let cols: Vec<String> =
                    columns.iter().map(|c| format!("  `{}` string", c.to_ascii_lowercase())).collect();
                out.push_str(&format!(
                    "CREATE EXTERNAL TABLE IF NOT EXISTS `{table}` (\n{}\n)\nPARTITIONED BY (`accountid` string, `region` string)\n\
                     ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\nWITH SERDEPROPERTIES ('ignore.malformed.json' = 'true')\n\
                     LOCATION '{location}/{type_name}/'\nTBLPROPERTIES (\n  'projection.enabled' = 'true',\n  \
                     'projection.accountid.type' = 'enum',\n  'projection.accountid.values' = '{}',\n  \
                     'projection.region.type' = 'enum',\n  'projection.region.values' = '{}',\n  \
                     'storage.location.template' = '{location}/{type_name}/accountid=${{accountid}}/region=${{region}}/resourcetype=ManagedInstanceInventory/'\n);\n\n",
                    cols.join(",\n"),
                    options.accounts.join(","),
                    options.regions.join(","),
                ));
            }
            Engine::DuckDb => {
                let json_columns: Vec<String> = columns.iter().map(|c| format!("'{c}': 'VARCHAR'")).collect();
                let select: Vec<String> =
                    columns.iter().map(|c| format!("\"{c}\" AS {}", c.to_ascii_lowercase())).collect();
                out.push_str(&format!(
                    "CREATE OR REPLACE VIEW {table} AS\nSELECT regexp_extract(filename, 'accountid=([0-9]+)', 1) AS accountid,\n       \
                     regexp_extract(filename, 'region=([^/]+)', 1) AS region,\n       {}\n\
                     FROM read_json('{location}/{type_name}/*/*/*/*.json', format = 'auto', filename = true,\n     \
                     columns = {{{}}});\n\n",
                    select.join(",\n       "),
                    json_columns.join(", "),
                ));
            }
        }
    }
    out
}

/// The shared views: the node's facts, its state, one row per (node, code), and a summary per
/// account, region and code.
fn views(options: &SqlOptions) -> String {
    let now = now_expr(options);
    let time = |column: &str| format!("TRY_CAST(replace(substr({column}, 1, 19), 'T', ' ') AS TIMESTAMP)");
    let int = |column: &str| format!("TRY_CAST({column} AS INTEGER)");
    let mut out = format!(
        "CREATE OR REPLACE VIEW ssm_doctor_node_facts AS\nSELECT i.accountid, i.region, i.resourceid,\n       \
         i.instancestatus AS instance_status,\n       {} AS info_capture,\n       \
         p.resourceid IS NOT NULL AS has_patch_summary,\n       {} AS patch_capture,\n       \
         p.operationtype AS operation,\n       {} AS failed,\n       {} AS pending_reboot,\n       \
         {} AS rejected,\n       {} AS missing\nFROM aws_instanceinformation i\n\
         LEFT JOIN aws_patchsummary p\n  ON p.accountid = i.accountid AND p.region = i.region AND p.resourceid = i.resourceid;\n\n",
        time("i.capturetime"),
        time("p.capturetime"),
        int("p.failedcount"),
        int("p.installedpendingrebootcount"),
        int("p.installedrejectedcount"),
        int("p.missingcount"),
    );
    let states: Vec<&Rule> = RULES.iter().filter(|r| r.kind == RuleKind::State).collect();
    let cases: Vec<String> =
        states.iter().map(|r| format!("    WHEN {} THEN {}", when(r, &now), quote(r.code))).collect();
    out.push_str(&format!(
        "CREATE OR REPLACE VIEW ssm_doctor_node_states AS\nSELECT f.*,\n  CASE\n{}\n  END AS state_code\nFROM ssm_doctor_node_facts f;\n\n",
        cases.join("\n")
    ));
    let mut parts: Vec<String> = Vec::new();
    for rule in RULES {
        let filter = match rule.kind {
            RuleKind::State => format!("state_code = {}", quote(rule.code)),
            RuleKind::Cause => format!("state_code IS NULL AND {}", when(rule, &now)),
        };
        parts.push(format!(
            "SELECT accountid, region, resourceid, {} AS code, {} AS ref, {} AS kind, {} AS detail\nFROM ssm_doctor_node_states\nWHERE {filter}",
            quote(rule.code),
            quote(rule.reference),
            quote(rule.kind.name()),
            detail(rule),
        ));
    }
    let a = &ASSOCIATION_RULE;
    parts.push(format!(
        "SELECT DISTINCT s.accountid, s.region, s.resourceid, {} AS code, {} AS ref, {} AS kind,\n       \
         COALESCE(c.documentname, c.title, c.id, '') AS detail\nFROM ssm_doctor_node_states s\n\
         JOIN aws_complianceitem c\n  ON c.accountid = s.accountid AND c.region = s.region AND c.resourceid = s.resourceid\n\
         WHERE s.state_code IS NULL AND c.compliancetype = 'Association' AND c.status = 'NON_COMPLIANT'",
        quote(a.code),
        quote(a.reference),
        quote(a.kind.name()),
    ));
    out.push_str(&format!("CREATE OR REPLACE VIEW ssm_doctor_node_causes AS\n{};\n\n", parts.join("\nUNION ALL\n")));
    out.push_str(
        "CREATE OR REPLACE VIEW ssm_doctor_summary AS\nSELECT accountid, region, code, ref, kind, count(DISTINCT resourceid) AS nodes\n\
         FROM ssm_doctor_node_causes\nGROUP BY accountid, region, code, ref, kind;\n",
    );
    out
}

/// The whole script: the engine's table definitions, then the shared views.
pub fn sql(options: &SqlOptions) -> String {
    let engine = match options.engine {
        Engine::Athena => "Athena (Glue tables with partition projection)",
        Engine::DuckDb => "DuckDB (over a local copy of the sync bucket)",
    };
    format!(
        "-- SSM Compliance Doctor: the fleet-level decision tree over a Systems Manager Resource Data Sync.\n\
         -- Table definitions for {engine}; the views after them are the SQL Trino and DuckDB share.\n\
         -- Per node: ssm_doctor_node_causes (one row per catalogue code). Per account, region and code:\n\
         -- ssm_doctor_summary. Export either as CSV and drop it on the page, or give it to ssm-doctor.\n\n{}-- Views\n\n{}",
        ddl(options),
        views(options)
    )
}
