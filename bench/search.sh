#!/usr/bin/env bash
# Search benchmark (issue: search): builds generated corpora of 1,000 and 10,000 documents
# and prints index size, bytes fetched for a first one-word query and query times in Node.
# Usage: bench/search.sh [sizes...]   (default: 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --example gen_corpus
cargo build --release --quiet
sizes=("${@:-1000 10000}")
for n in ${sizes[@]}; do
  dir="${TMPDIR:-/tmp}/kyoso-bench-$n"
  ./target/release/examples/gen_corpus --docs "$n" --out "$dir" >/dev/null
  echo "== $n generated documents"
  ./target/release/kyoso build --root "$dir" --today 2026-11-23 --timings | sed 's/^/  /'
  node bench/search_bench.js "$dir/public"
done
