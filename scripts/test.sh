#!/usr/bin/env bash
# Installs what is missing, then runs every check: format, clippy, native tests (the diagnosis
# against every shared fixture), a release build with its bundle size, and the browser tests in
# headless Chromium. Ends with one "total: N passed, M failed" line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/tools.sh
LOG="$(mktemp -d)"
passed=0
failed=0

step() {
  local name="$1"; shift
  local start=$SECONDS
  printf '\n== %s\n' "$name"
  if "$@" 2>&1 | tee "$LOG/$name.log"; then
    printf '== %s: ok (%ss)\n' "$name" "$((SECONDS - start))"
  else
    printf '== %s: FAILED (%ss)\n' "$name" "$((SECONDS - start))"
    # A failed test step is counted by its own failures; any other failed step counts as one.
    grep -qE '^(test result: |ℹ fail |shells: )' "$LOG/$name.log" || failed=$((failed + 1))
    summary
    exit 1
  fi
}

count_tests() {
  # cargo: "test result: ok. 24 passed; 0 failed"; node: "ℹ pass 4" / "ℹ fail 0"
  read -r p f < <(cat "$LOG"/*.log | awk '
    /^test result: / { for (i = 1; i <= NF; i++) { if ($i ~ /^passed;/) p += $(i-1); if ($i ~ /^failed;/) f += $(i-1) } }
    /^ℹ pass [0-9]+$/ { p += $3 }
    /^ℹ fail [0-9]+$/ { f += $3 }
    /^shells: [0-9]+ passed, [0-9]+ failed$/ { p += $2; f += $4 }
    END { print p + 0, f + 0 }')
  passed=$p
  failed=$((failed + f))
}

summary() {
  count_tests
  printf '\ntotal: %d passed, %d failed\n' "$passed" "$failed"
}

step fmt cargo fmt --all --check
step leptosfmt leptosfmt --check --quiet app/src
step clippy cargo clippy --workspace --all-targets --locked -- -D warnings
step clippy-wasm cargo clippy -p app -p worker --target wasm32-unknown-unknown --locked -- -D warnings
step native-tests cargo test --workspace --locked
step build scripts/build.sh --crash-test
step cli-build cargo build --release --locked --bin ssm-doctor
export SSM_DOCTOR="$CARGO_TARGET_DIR/release/ssm-doctor"
# Every command a person copies, in bash and PowerShell, through real shell parsers.
step shell-parsers "$SHELLS_PYTHON" scripts/check-shells.py "$SSM_DOCTOR" .
# Organisation scale: the CLI and the SQL on DuckDB give the same per-node verdicts on one
# generated Resource Data Sync tree; every statement parses (Trino, Athena DDL, DuckDB).
step sql-parity "$SQL_PYTHON" scripts/sql-parity.py "$SSM_DOCTOR"
# Fails when the first visit is over its budget (250 KB gzip).
step bundle-size node scripts/sizes.mjs dist
step benchmark scripts/bench.sh --quick
# Bounded fuzzing of every cargo-fuzz target (a crash fails the step; see scripts/fuzz.sh).
step fuzz scripts/fuzz.sh 30
step browser-tests node --test --test-reporter=spec tests/e2e/
summary
[ "$failed" = 0 ]
