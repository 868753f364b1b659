#!/usr/bin/env bash
# Organisation scale (issue 22, table 5): a generated Resource Data Sync tree of N nodes
# (default 1,000,000: 50 accounts x 4 regions x 5,000), diagnosed by the CLI and by the SQL
# views on DuckDB, with the bytes an Athena query of the same views would scan.
# Usage: scripts/bench-sync.sh [accounts regions instances-per-region]
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
"$BIN" generate --kind resource-data-sync --accounts "$ACCOUNTS" --regions "$REGIONS" --instances "$INSTANCES" --out "$DIR/sync"
t1=$(date +%s.%N)
files=$(find "$DIR/sync" -type f | wc -l)
bytes=$(du -sb --apparent-size "$DIR/sync" | cut -f1)
/usr/bin/time -f "%e %M" -o "$DIR/cli.time" "$BIN" sync "$DIR/sync" --format csv --now "$NOW" > "$DIR/cli.csv"
read -r cli_s cli_kb < "$DIR/cli.time"
"$BIN" sql --engine duckdb --location "$DIR/sync" --now "$NOW" > "$DIR/duck.sql"
/usr/bin/time -f "%e %M" -o "$DIR/duck.time" "$SQL_PYTHON" - "$DIR/duck.sql" > "$DIR/duck.count" <<'PY'
import sys, duckdb
con = duckdb.connect()
body = "\n".join(l for l in open(sys.argv[1]).read().splitlines() if not l.lstrip().startswith("--"))
for s in [s for s in body.split(";") if s.strip()]:
    con.execute(s)
con.execute("CREATE TABLE causes AS SELECT * FROM ssm_doctor_node_causes")
print(con.execute("SELECT count(*) FROM causes").fetchone()[0])
PY
read -r duck_s duck_kb < "$DIR/duck.time"
rows=$(($(wc -l < "$DIR/cli.csv") - 1))
printf 'Table 5: organisation scale (Resource Data Sync tree, generated in %.0f s)\n' "$(echo "$t1 - $t0" | bc)"
printf '%-44s %12s\n' "nodes" "$((ACCOUNTS * REGIONS * INSTANCES))"
printf '%-44s %12s\n' "objects (files)" "$files"
printf '%-44s %12s\n' "bytes an Athena query of the views scans" "$bytes"
printf '%-44s %12s\n' "CLI verdict rows / DuckDB rows" "$rows / $(cat "$DIR/duck.count")"
printf '%-44s %12.1f s %8.0f MB peak\n' "ssm-doctor sync" "$cli_s" "$(echo "$cli_kb / 1024" | bc)"
printf '%-44s %12.1f s %8.0f MB peak\n' "DuckDB: the views over the same tree" "$duck_s" "$(echo "$duck_kb / 1024" | bc)"
