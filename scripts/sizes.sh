#!/usr/bin/env bash
# Prints the release bundle's size (wasm, js, css; raw and gzip -9).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
printf '%-6s %10s %10s  %s\n' kind raw gzip file
for kind in wasm js css; do
  for f in dist/*."$kind"; do
    [ -e "$f" ] || continue
    printf '%-6s %10d %10d  %s\n' "$kind" "$(wc -c < "$f")" "$(gzip -9 -c "$f" | wc -c)" "$(basename "$f")"
  done
done
