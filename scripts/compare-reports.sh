#!/usr/bin/env bash
# Compares what ssm-doctor reports for every fixture at a base revision and now: JSON, Markdown
# and text, plain and redacted. A refactoring must leave every output byte-identical; a change
# that adds report keys on purpose lists them in IGNORE_KEYS (a comma-separated list of JSON keys
# removed everywhere before comparing), and says so in its commit.
#
#   scripts/compare-reports.sh <base-rev>            # e.g. origin/main or a commit id
#   IGNORE_KEYS=branch,changes scripts/compare-reports.sh HEAD~3
#
# The base revision is built in a temporary worktree with its own target directory, so this
# checkout's build is untouched. Exit 0 when identical, 1 with a diff otherwise.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/tools.sh >/dev/null
base="${1:?usage: scripts/compare-reports.sh <base-rev>}"
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git worktree add --detach "$work/base" "$base" >/dev/null 2>&1
(cd "$work/base" && CARGO_TARGET_DIR="$CACHE/target-compare" cargo build --release --quiet --bin ssm-doctor)
old="$CACHE/target-compare/release/ssm-doctor"
cargo build --release --quiet --bin ssm-doctor
new="$CARGO_TARGET_DIR/release/ssm-doctor"

normalise() {
  # JSON: drop the ignored keys, then pretty-print with sorted keys; other formats as they are.
  if [ "$2" = json ] && [ -n "${IGNORE_KEYS:-}" ]; then
    python3 -c '
import json, sys
drop = set(sys.argv[1].split(","))
def clean(v):
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items() if k not in drop}
    if isinstance(v, list):
        return [clean(x) for x in v]
    return v
print(json.dumps(clean(json.load(sys.stdin)), indent=1, sort_keys=True, ensure_ascii=False))
' "$IGNORE_KEYS"
  else
    cat
  fi
}

differences=0
for file in tests/fixtures/*; do
  [ "$(basename "$file")" = SOURCES.md ] && continue
  for format in json markdown text; do
    for redact in "" --redact; do
      a="$("$old" --format "$format" $redact "$file" | normalise "$file" "$format")"
      b="$("$new" --format "$format" $redact "$file" | normalise "$file" "$format")"
      if [ "$a" != "$b" ]; then
        differences=$((differences + 1))
        echo "== $(basename "$file") --format $format $redact"
        diff <(echo "$a") <(echo "$b") | head -40 || true
      fi
    done
  done
done
count=$(($(ls tests/fixtures | wc -l) - 1))
echo "compared $count fixtures x 3 formats x 2 (plain, redacted): $differences differing outputs"
[ "$differences" = 0 ]
