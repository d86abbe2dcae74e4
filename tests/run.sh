#!/usr/bin/env bash
# The test command of the README: Rust tests, then the real-browser suite.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --locked
# The browser suite drives Debian's Chromium and runs the Nu HTML Checker with Java.
if [ -x "${CHROMIUM:-/usr/bin/chromium}" ] && command -v java >/dev/null && command -v npm >/dev/null; then
  cargo build --locked --quiet
  cd tests/e2e
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
  node --test --test-concurrency=1
else
  echo "ブラウザテストを省略しました: chromium と Java が必要です（apt-get install -y chromium default-jre-headless）"
fi
