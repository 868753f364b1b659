#!/usr/bin/env bash
# Release build of the web app into dist/ (with its service worker) and dist-single/ (the
# one-file build), with the tools from scripts/tools.sh. `--crash-test` also builds
# dist-crash-test/, whose engine panics on a marked input (the crash-isolation test).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/tools.sh
cargo fetch --locked --quiet
trunk build --release --offline >&2
node scripts/minify.mjs dist
node scripts/csp-hash.mjs dist/index.html
# After the page is final: the service worker pins every file by its hash.
node scripts/offline.mjs dist
node scripts/single-file.mjs dist dist-single
# The crash-test build (tests only): the engine panics on a marked input.
if [[ "${1:-}" == "--crash-test" ]]; then
  sed 's/data-type="worker"/data-type="worker" data-cargo-features="crash-test"/' index.html > .crash-test.html
  trunk build --release --offline=true --dist dist-crash-test .crash-test.html >&2
  node scripts/minify.mjs dist-crash-test
  node scripts/csp-hash.mjs dist-crash-test/index.html
fi
