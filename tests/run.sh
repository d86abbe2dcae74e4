#!/usr/bin/env bash
# The test command of the README: Rust tests, then the real-browser suite.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --locked
# The browser suite drives Debian's Chromium and runs the Nu HTML Checker with Java.
if [ -x "${CHROMIUM:-/usr/bin/chromium}" ] && command -v java >/dev/null && command -v npm >/dev/null; then
  cargo build --locked --quiet
  # The binary just built, wherever cargo put it (CARGO_TARGET_DIR, build.target-dir).
  target_dir=$(cargo metadata --format-version 1 --no-deps --locked \
    | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).target_directory))')
  export KYOSO_BIN="$target_dir/debug/kyoso"
  cd tests/e2e
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
  node --test --test-concurrency=1
else
  echo "ブラウザテストを省略しました: chromium と Java が必要です（apt-get install -y chromium default-jre-headless）"
fi
