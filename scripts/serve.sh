#!/usr/bin/env bash
# Installs what is missing, builds the app and serves it on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/build.sh
exec node tests/e2e/server.mjs dist "${PORT:-8080}"
