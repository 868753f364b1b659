#!/usr/bin/env bash
# Fuzzes the diagnosis with cargo-fuzz (libFuzzer, nightly): input recognition, each reader
# (tolerant JSON, --output text, CSV, logs, UTF-16 decoding), the redactor and the whole diagnosis with its
# renderings. Each target runs for SECONDS (default 30: the bounded run of the test command; a
# longer one is `scripts/fuzz.sh 3600`), seeded from the repository's fixtures and corpus and
# the generator's output, and keeping what it learns in the per-user cache. Prints the
# executions of each target; fails on the first crash, which libFuzzer saves under
# fuzz/artifacts/<target>/ (reproduce with `cargo +nightly fuzz run <target> <file>`, then make
# it a regression test).
#
#   scripts/fuzz.sh [SECONDS] [TARGET ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/tools.sh
seconds="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(recognise json text_output csv logs utf16 redact diagnose)

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: no nightly toolchain (rustup toolchain install nightly); cargo-fuzz needs one" >&2
  exit 1
fi
corpus_root="$CACHE/fuzz-corpus"
seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT
# Seeds: every fixture and corpus file, and a small generated fleet of each kind.
i=0
while IFS= read -r -d '' f; do cp "$f" "$seeds/seed-$((i++))"; done < <(find tests/fixtures tests/corpus -type f ! -name '*.md' ! -name '*.toml' -print0)
for kind in instance-patch-states compliance-items; do
  "$CARGO_TARGET_DIR/release/ssm-doctor" generate --kind "$kind" --instances 3 > "$seeds/generated-$kind" 2>/dev/null || true
done

(cd fuzz && cargo +nightly fuzz build -O --debug-assertions --sanitizer none >&2)
total=0
printf '%-12s %12s %10s\n' target executions seconds
for target in "${targets[@]}"; do
  corpus="$corpus_root/$target"
  mkdir -p "$corpus" "fuzz/artifacts/$target"
  cp -n "$seeds"/* "$corpus"/ 2>/dev/null || true
  log="$(mktemp)"
  if ! (cd fuzz && cargo +nightly fuzz run -O --debug-assertions --sanitizer none "$target" "$corpus" -- \
      -max_total_time="$seconds" -max_len=8192 -rss_limit_mb=4096 -timeout=20 -print_final_stats=1 \
      -artifact_prefix="artifacts/$target/") >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "fuzz: $target crashed; the input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
  runs="$(awk '/stat::number_of_executed_units/ { print $NF }' "$log" | tail -n 1)"
  total=$((total + ${runs:-0}))
  printf '%-12s %12s %10s\n' "$target" "${runs:-?}" "$seconds"
  rm -f "$log"
done
printf '%-12s %12s\n' total "$total"
