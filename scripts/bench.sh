#!/usr/bin/env bash
# The benchmarks, as four tables (numbers and ratios against a baseline measured in the same run;
# nothing here passes or fails on timing):
#   1. native ingest + diagnosis per input kind, MB/s and peak memory, against serde_json;
#   2. the CLI against jq on the same export (time ratio, peak memory against the input);
#   3. the built page in headless Chromium: time to the first result against JSON.parse plus a
#      filter in the same page, the longest main-thread task, start to interactive;
#   4. the release bundle, raw / gzip / brotli, against the first-visit budget (this one fails
#      when the budget is exceeded).
#
#   scripts/bench.sh            sizes 1, 20 and 150 MB, and the CLI at 150 and 500 MB (minutes)
#   scripts/bench.sh --quick    1 MB (and the CLI at 20 MB): what scripts/test.sh runs
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/tools.sh
if [ "${1:-}" = "--quick" ]; then sizes=(1); cli_sizes=(20); else sizes=(1 20 150); cli_sizes=(150 500); fi
[ -f dist/index.html ] || scripts/build.sh
cargo build --release --locked --quiet --bin ssm-doctor
export SSM_DOCTOR="$CARGO_TARGET_DIR/release/ssm-doctor"
cargo bench --locked -q -p diagnosis --bench ingest -- "${sizes[@]}"
echo
python3 scripts/bench-cli.py "$SSM_DOCTOR" "${cli_sizes[@]}"
echo
node scripts/bench-browser.mjs "${sizes[@]}"
echo
node scripts/sizes.mjs dist
