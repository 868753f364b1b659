#!/usr/bin/env bash
# Speed and peak memory of reading generated inputs, against serde_json in the same run.
# Numbers only: nothing here passes or fails on timing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo bench --locked -q -p diagnosis --bench ingest -- "${@:-2000 20000}"
