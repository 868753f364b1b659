#!/usr/bin/env bash
# Release build of the web app into dist/, with the tools from scripts/tools.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/tools.sh
cargo fetch --locked --quiet
trunk build --release --offline >&2
node scripts/csp-hash.mjs dist/index.html
