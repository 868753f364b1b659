#!/usr/bin/env bash
# Rebuilds the app and retakes the README's screenshots (docs/screenshots/*.png) in headless
# Chromium. A CJK font is installed so the Simplified Chinese screenshot renders.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/tools.sh
if ! fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto sans cjk'; then
  as_root apt-get install -y --no-install-recommends fonts-wqy-zenhei >&2
fi
scripts/build.sh
cargo build --release --locked --bin ssm-doctor
SSM_DOCTOR="$CARGO_TARGET_DIR/release/ssm-doctor" node scripts/screenshots.mjs
