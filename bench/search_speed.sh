#!/usr/bin/env bash
# Query time in a real browser at 10,000 documents (issue 25): generates a site with
# examples/gen_corpus.rs, builds it, and times queries in headless Chromium from file://
# (bench/search_speed.mjs prints median and max ms per query). Nothing is asserted.
# Usage: bash bench/search_speed.sh [documents]   (default 10000; KYOSO=path/to/kyoso and
#        GEN=path/to/gen_corpus use built binaries, else release builds are made;
#        `npm ci` in bench/ installs playwright-core; CHROMIUM=path, default /usr/bin/chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
if [ -z "${GEN:-}" ]; then
  cargo build --release --quiet --example gen_corpus
  GEN=target/release/examples/gen_corpus
fi
if [ -z "${KYOSO:-}" ]; then
  cargo build --release --quiet
  KYOSO=target/release/kyoso
fi
[ -d bench/node_modules/playwright-core ] || (cd bench && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
dir=$(mktemp -d "${TMPDIR:-/tmp}/kyoso-search-speed.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$GEN" --docs "$n" --out "$dir/site" >/dev/null
"$KYOSO" build --root "$dir/site" --today 2026-11-23 >/dev/null
node bench/search_speed.mjs "$dir/site/public"
