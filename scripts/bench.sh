#!/usr/bin/env bash
# Speed and peak memory of reading generated inputs, against serde_json in the same run.
# Numbers only: nothing here passes or fails on timing. Sizes (instances) may be given.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "$#" -eq 0 ]; then set -- 2000 20000; fi
cargo bench --locked -q -p diagnosis --bench ingest -- "$@"
