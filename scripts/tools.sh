#!/usr/bin/env bash
# Installs every tool the build and the tests need, idempotently, and prints the PATH additions.
#
# Source it (`. scripts/tools.sh`) from the other scripts. Cargo-built tools go into a versioned
# per-user cache OUTSIDE the checkout, so a fresh clone (as CI makes) reuses them instead of
# spending ~15 minutes rebuilding trunk and wasm-bindgen-cli. A tool whose cached version already
# matches is skipped, so a warm run costs well under a second here.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${SSM_DOCTOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ssm-compliance-doctor}"
TOOLS="$CACHE/tools"
TRUNK_VERSION=0.21.14
LEPTOSFMT_VERSION=0.1.33
CARGO_FUZZ_VERSION=0.13.1
# wasm-bindgen-cli must equal the wasm-bindgen the lock file resolved, or trunk ignores it.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock")"

say() { printf 'tools: %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown >&2
  fi
}

# cargo_tool NAME VERSION BIN [extra cargo install args...]
cargo_tool() {
  local name="$1" version="$2" bin="$3"; shift 3
  local dir="$TOOLS/$name-$version"
  if [ ! -x "$dir/bin/$bin" ]; then
    say "building $name $version into $dir (one-off, several minutes)"
    # Install into a temporary root and move it in place at the end, so an interrupted build
    # never leaves a half-installed tool that a later run would trust.
    rm -rf "$dir.partial"
    cargo install "$name" --version "$version" --root "$dir.partial" "$@" >&2
    rm -rf "$dir" && mv "$dir.partial" "$dir"
  fi
  PATH="$dir/bin:$PATH"
}

ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    say "installing Debian chromium and chromium-driver"
    as_root apt-get update >&2
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y --no-install-recommends chromium chromium-driver >&2
  fi
}

# npm packages (binaryen's wasm-opt, playwright-core, axe-core) live in the checkout's
# node_modules; `npm ci` runs only when package-lock.json changed since the last install.
ensure_node_modules() {
  local stamp="$ROOT/node_modules/.lock-sha256"
  local want; want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing npm packages (binaryen, playwright-core, axe-core, terser)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --prefer-offline >&2)
    echo "$want" > "$stamp"
  fi
  PATH="$ROOT/node_modules/.bin:$PATH"
}

# The real shell parsers the command tests use: ShellCheck (Debian) and the tree-sitter
# PowerShell grammar (PyPI, in a virtualenv in the cache), both pinned.
TREE_SITTER_VERSION=0.26.1
TREE_SITTER_POWERSHELL_VERSION=0.26.4
ensure_shell_parsers() {
  if ! command -v shellcheck >/dev/null 2>&1; then
    say "installing Debian shellcheck"
    as_root apt-get update >&2
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y --no-install-recommends shellcheck >&2
  fi
  local venv="$CACHE/venv-shells-$TREE_SITTER_VERSION-$TREE_SITTER_POWERSHELL_VERSION"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import tree_sitter, tree_sitter_powershell' 2>/dev/null; then
    say "installing tree-sitter $TREE_SITTER_VERSION and tree-sitter-powershell $TREE_SITTER_POWERSHELL_VERSION"
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet "tree-sitter==$TREE_SITTER_VERSION" \
      "tree-sitter-powershell==$TREE_SITTER_POWERSHELL_VERSION" >&2
  fi
  SHELLS_PYTHON="$venv/bin/python"
  export SHELLS_PYTHON
}

# The SQL engines' test tools: DuckDB (runs the views over a local sync tree) and sqlglot (parses
# every statement as Trino, Athena DDL and DuckDB), pinned, in their own virtualenv.
DUCKDB_VERSION=1.4.1
SQLGLOT_VERSION=30.31.0
ensure_sql_tools() {
  local venv="$CACHE/venv-sql-$DUCKDB_VERSION-$SQLGLOT_VERSION"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import duckdb, sqlglot' 2>/dev/null; then
    say "installing duckdb $DUCKDB_VERSION and sqlglot $SQLGLOT_VERSION"
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet "duckdb==$DUCKDB_VERSION" "sqlglot==$SQLGLOT_VERSION" >&2
  fi
  SQL_PYTHON="$venv/bin/python"
  export SQL_PYTHON
}

ensure_wasm_target
ensure_shell_parsers
ensure_sql_tools
ensure_chromium
ensure_node_modules
cargo_tool trunk "$TRUNK_VERSION" trunk --locked
# No --locked: wasm-bindgen-cli's own lock pins a webpki-roots the registry no longer serves.
cargo_tool wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen
# Formats view! macros the way rustfmt formats Rust; checked by scripts/test.sh.
cargo_tool leptosfmt "$LEPTOSFMT_VERSION" leptosfmt --locked
# libFuzzer targets in fuzz/ (scripts/fuzz.sh), run with the machine's nightly toolchain.
cargo_tool cargo-fuzz "$CARGO_FUZZ_VERSION" cargo-fuzz --locked
export PATH
# Build artefacts also live outside the checkout, so a fresh clone does not recompile Leptos.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"
export TRUNK_OFFLINE=true
