#!/usr/bin/env bash
# Search evaluation on real text (issue 25): builds the Vue.js Japanese docs
# (bench/corpora/vue-docs-ja, CC BY 4.0) and the demo site, runs the queries and relevance
# judgements in bench/search-eval/*.tsv against kyoso's browser runtime and against
# Pagefind 1.6 (if `npm ci` in bench/ installed it), and prints recall, precision at 10,
# the negative queries that returned anything, index bytes and first-query bytes.
# Usage: bash bench/search_eval.sh        (KYOSO=path/to/kyoso to use a built binary;
#        VERBOSE=1 lists the queries that miss)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ -z "${KYOSO:-}" ]; then
  cargo build --quiet
  KYOSO=$root/target/debug/kyoso
fi
PAGEFIND=$(ls "$root"/bench/node_modules/@pagefind/linux-x64/bin/pagefind_extended 2>/dev/null || true)
work=$(mktemp -d "${TMPDIR:-/tmp}/kyoso-search-eval.XXXXXX")
trap 'rm -rf "$work"' EXIT

node bench/search-eval/vue_site.mjs "$work/vue" >/dev/null
"$KYOSO" build --root "$work/vue" --today 2026-01-01 >/dev/null 2>&1
node bench/search-eval/eval.mjs vue-docs-ja "$work/vue/public" "$work/vue/content" bench/search-eval/vue-docs-ja.tsv "$PAGEFIND"

# The demo's content and settings only: the binary's own theme (and search runtime), not
# the checkout's themes/ folder, so that an older binary is measured with its own runtime.
mkdir -p "$work/demo"
cp -r kyoso.toml content "$work/demo/"
"$KYOSO" build --root "$work/demo" --today 2026-11-23 >/dev/null 2>&1
node bench/search-eval/eval.mjs demo "$work/demo/public" "$work/demo/content" bench/search-eval/demo.tsv "$PAGEFIND"
