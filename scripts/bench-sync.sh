#!/usr/bin/env bash
# Organisation scale (issue 22, table 5): a generated Resource Data Sync tree of N nodes
# (default 1,000,000: 50 accounts x 4 regions x 5,000), diagnosed by the CLI and by the SQL
# views on DuckDB, with the bytes an Athena query of the same views would scan.
# Usage: scripts/bench-sync.sh [accounts regions instances-per-region]
# SYNC_TREE=<folder> reuses a tree generated before with the same counts (kept afterwards).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/tools.sh
ACCOUNTS="${1:-50}" REGIONS="${2:-4}" INSTANCES="${3:-5000}"
cargo build --release --locked --quiet --bin ssm-doctor
BIN="$CARGO_TARGET_DIR/release/ssm-doctor"
DIR="$(mktemp -d "${TMPDIR:-/tmp}/ssm-sync-bench.XXXXXX")"
trap 'rm -rf "$DIR"' EXIT
NOW=2026-12-01T00:00:00Z
t0=$(date +%s.%N)
if [ -n "${SYNC_TREE:-}" ]; then
  ln -s "$SYNC_TREE" "$DIR/sync"
else
  "$BIN" generate --kind resource-data-sync --accounts "$ACCOUNTS" --regions "$REGIONS" --instances "$INSTANCES" --out "$DIR/sync"
fi
t1=$(date +%s.%N)
files=$(find -L "$DIR/sync" -type f | wc -l)
bytes=$(du -sbL --apparent-size "$DIR/sync" | cut -f1)
/usr/bin/time -f "%e %M" -o "$DIR/cli.time" "$BIN" sync "$DIR/sync" --format csv --now "$NOW" > "$DIR/cli.csv"
read -r cli_s cli_kb < "$DIR/cli.time"
"$BIN" sql --engine duckdb --location "$DIR/sync" --now "$NOW" > "$DIR/duck.sql"
/usr/bin/time -f "%e %M" -o "$DIR/duck.time" "$SQL_PYTHON" - "$DIR/duck.sql" > "$DIR/duck.count" <<'PY'
import os, re, sys, time, duckdb
con = duckdb.connect()
con.execute("SET preserve_insertion_order = false")
body = "\n".join(l for l in open(sys.argv[1]).read().splitlines() if not l.lstrip().startswith("--"))
stmts = [s for s in body.split(";") if s.strip()]
tables = [s for s in stmts if "read_json" in s]
views = [s for s in stmts if "read_json" not in s]
t0 = time.perf_counter()
# Load each type's objects once into a table (what Athena's tables are over S3), one account at a
# time (a single glob over millions of objects exhausts DuckDB's memory), then run the shared
# views on them.
for s in tables:
    name = s.split("VIEW", 1)[1].split()[0]
    select = s.split(" AS\n", 1)[1]
    glob = re.search(r"read_json\('([^']+)'", select).group(1)
    type_dir = glob.split("/*/")[0]
    first = True
    for account in sorted(os.listdir(type_dir)):
        if not account.startswith("accountid="):
            continue
        part = select.replace(glob, f"{type_dir}/{account}/*/*/*.json")
        con.execute(f"CREATE TABLE {name} AS {part}" if first else f"INSERT INTO {name} {part}")
        first = False
t1 = time.perf_counter()
for s in views:
    con.execute(s)
n = con.execute("SELECT count(*) FROM ssm_doctor_node_causes").fetchone()[0]
t2 = time.perf_counter()
print(n, f"{t1 - t0:.1f}", f"{t2 - t1:.1f}")
PY
read -r duck_s duck_kb < "$DIR/duck.time"
rows=$(($(wc -l < "$DIR/cli.csv") - 1))
printf 'Table 5: organisation scale (Resource Data Sync tree, generated in %.0f s)\n' "$(echo "$t1 - $t0" | bc)"
printf '%-44s %12s\n' "nodes" "$((ACCOUNTS * REGIONS * INSTANCES))"
printf '%-44s %12s\n' "objects (files)" "$files"
printf '%-44s %12s\n' "bytes an Athena query of the views scans" "$bytes"
read -r duck_rows duck_load duck_views < "$DIR/duck.count"
printf '%-44s %12s\n' "CLI verdict rows / DuckDB rows" "$rows / $duck_rows"
printf '%-44s %12.1f s %8.0f MB peak\n' "ssm-doctor sync" "$cli_s" "$(echo "$cli_kb / 1024" | bc)"
printf '%-44s %12.1f s %8.0f MB peak (loading the objects %s s, the views %s s)\n' "DuckDB: the views over the same tree" "$duck_s" "$(echo "$duck_kb / 1024" | bc)" "$duck_load" "$duck_views"
