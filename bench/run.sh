#!/usr/bin/env bash
# kyoso performance benchmark (prints a table; no timed assertions anywhere).
#
#   bench/run.sh [sizes...]          default: 1000 10000   (100000 takes a few minutes)
#
# For each generated corpus: kyoso's full build (median of $RUNS, default 3, with the search index),
# documents per second and peak RSS; Hugo on the same corpus with equivalent templates,
# built alternately in the same run; the write floor (copying the output tree); the search
# postings' share of a build's CPU (made inside the markdown stage; `--timings`); Pagefind
# (extended, Japanese) indexing the same built site: time, index bytes, bytes a browser
# fetches for a first one-word query, results for Japanese variant queries; and `serve`:
# time from saving one case to the rebuilt page on disk; on disk (DISK_DIR, default
# target/bench-disk; PAIRS=0 to skip): a fresh build against cp -r of its own output.
# CORPUS=vue generates the same collections from the sentences of the Vue.js Japanese docs
# (bench/corpora/vue-docs-ja: real text, a much larger vocabulary) with lists, tables,
# links and code blocks in the bodies; the default is the template sentences.
# Needs: hugo, /usr/bin/time (apt-get install -y hugo time), chromium, and npm packages
# (installed here: bench/node_modules, tests/e2e/node_modules).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
command -v hugo >/dev/null || { echo "hugo が必要です: apt-get install -y hugo"; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time が必要です: apt-get install -y time"; exit 1; }
(cd bench && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
(cd tests/e2e && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
cargo build --release --quiet --example gen_corpus
# KYOSO=path/to/kyoso measures a binary built elsewhere (an older commit, for before/after).
if [ -z "${KYOSO:-}" ]; then
  cargo build --release --quiet
  KYOSO=$root/target/release/kyoso
fi
PAGEFIND=$(ls "$root"/bench/node_modules/@pagefind/linux-x64/bin/pagefind_extended)
# Where the sites are built. Default: /dev/shm (memory), because a build writes into the
# page cache and on a healthy disk that is what both tools are timed on. On this machine's
# disk (ext4 without a journal, mounted with discard) creating files right after deleting
# tens of thousands of them becomes several times slower run after run (cp -r of the same
# 10,000-page tree: 1.0 s, then 6 s, 10 s, 22 s), which would measure the file system's
# history rather than the tools. BENCH_DIR=/some/disk/dir measures a disk instead.
# In memory, 100,000 documents need about 16 GB free (the sites, their outputs and Hugo's
# own 10 GB).
base=${BENCH_DIR:-}
if [ -z "$base" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then base=/dev/shm; else base=${TMPDIR:-/tmp}; fi
fi
tmp=$base/kyoso-bench
mkdir -p "$tmp"
echo "working directory: $tmp ($(df -T "$tmp" | awk 'NR==2 {print $2}'))"

# run CMD... → "seconds maxrss_kb" of one run
measure() {
  sync   # what an earlier step left in the page cache is written before the clock starts
  /usr/bin/time -f "%e %M" -o "$tmp/time.txt" "$@" >/dev/null 2>&1
  cat "$tmp/time.txt"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

runs=${RUNS:-3}   # RUNS=1 for a quick look at 100,000 documents
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
for n in "${sizes[@]}"; do
  site="$tmp/site-$n"
  case "${CORPUS:-templates}" in
    templates) style=() ;;
    vue) style=(--text "$root/bench/corpora/vue-docs-ja" --markup rich) ;;
    *) echo "CORPUS は templates か vue です"; exit 1 ;;
  esac
  rm -rf "$site"
  ./target/release/examples/gen_corpus --docs "$n" --out "$site" "${style[@]}" >/dev/null
  docs=$(find "$site/content" -name '*.md' | wc -l)
  hugo_site="$tmp/hugo-$n"
  rm -rf "$hugo_site" && mkdir -p "$hugo_site" && cp -r bench/hugo/. "$hugo_site/" && cp -r "$site/content" "$hugo_site/content"
  : > "$tmp/k.txt"; : > "$tmp/r.txt"; : > "$tmp/e.txt"; : > "$tmp/h.txt"; : > "$tmp/hr.txt"; : > "$tmp/f.txt"
  edited=$(find "$site/content/cases" -name '*.md' | sort | awk 'NR == 1')   # (awk reads all: head would end sort with SIGPIPE)
  "$KYOSO" build --root "$site" --today 2026-11-23 >/dev/null   # warm the page cache
  for i in $(seq "$runs"); do
    # Both start from an empty output folder, as Hugo does here.
    rm -rf "$site/public"
    measure "$KYOSO" build --root "$site" --today 2026-11-23 >> "$tmp/k.txt"
    # Again over its own output: files with the same bytes are not written again.
    measure "$KYOSO" build --root "$site" --today 2026-11-23 >> "$tmp/r.txt"
    # And after one case was edited: one page written, the rest carried over unchanged.
    printf '\n追記した段落です（%s 回目）。\n' "$i" >> "$edited"
    measure "$KYOSO" build --root "$site" --today 2026-11-23 >> "$tmp/e.txt"
    rm -rf "$hugo_site/public"
    measure hugo --quiet -s "$hugo_site" -d "$hugo_site/public" >> "$tmp/h.txt"
    measure hugo --quiet -s "$hugo_site" -d "$hugo_site/public" >> "$tmp/hr.txt"
    rm -rf "$tmp/floor"
    measure cp -r "$site/public" "$tmp/floor" >> "$tmp/f.txt"
  done
  k=$(cut -d' ' -f1 "$tmp/k.txt" | median); krss=$(cut -d' ' -f2 "$tmp/k.txt" | sort -n | tail -1)
  h=$(cut -d' ' -f1 "$tmp/h.txt" | median); hrss=$(cut -d' ' -f2 "$tmp/h.txt" | sort -n | tail -1)
  f=$(cut -d' ' -f1 "$tmp/f.txt" | median)
  r=$(cut -d' ' -f1 "$tmp/r.txt" | median)
  e=$(cut -d' ' -f1 "$tmp/e.txt" | median)
  hr=$(cut -d' ' -f1 "$tmp/hr.txt" | median)
  pages=$(find "$site/public" -name '*.html' | wc -l); hpages=$(find "$hugo_site/public" -name '*.html' | wc -l)
  rm -rf "$tmp/floor" "$hugo_site/public"   # in memory: give it back before the next steps
  echo
  echo "== $docs documents (generated, --docs $n, ${CORPUS:-templates} sentences; $KYOSO)"
  printf '  %-46s %s\n' "kyoso build incl. search index, empty output" "${k} s, $(awk -v d="$docs" -v t="$k" 'BEGIN{printf "%.0f", d/t}') docs/s, peak RSS $((krss/1024)) MiB, $pages pages"
  printf '  %-46s %s\n' "Hugo $(hugo version | grep -o 'v[0-9.]*' | head -1) without search, empty output" "${h} s, peak RSS $((hrss/1024)) MiB, $hpages pages"
  printf '  %-46s %s\n' "kyoso / Hugo, empty output" "$(awk -v a="$k" -v b="$h" 'BEGIN{printf "%.2f", a/b}')"
  printf '  %-46s %s\n' "again over its own output: kyoso / Hugo" "${r} s / ${hr} s = $(awk -v a="$r" -v b="$hr" 'BEGIN{printf "%.2f", a/b}') (nothing changed)"
  printf '  %-46s %s\n' "kyoso again after editing one case" "${e} s"
  printf '  %-46s %s\n' "write floor (cp -r of kyoso's output)" "${f} s; kyoso / floor $(awk -v a="$k" -v b="$f" 'BEGIN{printf "%.1f", a/b}')"
  # On disk: a fresh build against cp -r of its own output, in alternating pairs. Each is
  # timed up to the end of the sync that puts its files on the disk (a build is not done
  # while its pages sit in the page cache), and the row is the median of the per-pair
  # ratios: this disk's speed swings several-fold between minutes, less within a pair.
  if [ "${PAIRS:-5}" -gt 0 ]; then
    disk=${DISK_DIR:-$root/target/bench-disk}
    rm -rf "$disk" && mkdir -p "$disk"
    "$KYOSO" build --root "$site" --output "$disk/ref" --today 2026-11-23 >/dev/null
    synced() { sync; local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1; sync; awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN{printf "%.3f", e-s}'; }
    : > "$tmp/pairs.txt"
    for i in $(seq "${PAIRS:-5}"); do
      rm -rf "$disk/out" "$disk/copy"; sync
      if [ $((i % 2)) -eq 1 ]; then
        tk=$(synced "$KYOSO" build --root "$site" --output "$disk/out" --today 2026-11-23); tc=$(synced cp -r "$disk/ref" "$disk/copy")
      else
        tc=$(synced cp -r "$disk/ref" "$disk/copy"); tk=$(synced "$KYOSO" build --root "$site" --output "$disk/out" --today 2026-11-23)
      fi
      echo "$tk $tc" >> "$tmp/pairs.txt"
    done
    ratio=$(awk '{print $1/$2}' "$tmp/pairs.txt" | median)
    printf '  %-46s %s\n' "on disk: fresh build / cp -r of its output" "median ratio $(awk -v r="$ratio" 'BEGIN{printf "%.2f", r}') over ${PAIRS:-5} pairs (s: $(awk '{printf "%s/%s ", $1, $2}' "$tmp/pairs.txt")) in $(df -T "$disk" | awk 'NR==2 {print $2}')"
    rm -rf "$disk"
  fi
  rm -rf "$site/public"; sync
  /usr/bin/time -f "%U %S" -o "$tmp/cpu.txt" "$KYOSO" build --root "$site" --today 2026-11-23 --timings > "$tmp/stages.txt"
  grep -E '^\s+(load|validate|markdown|plan|render|index|write)' "$tmp/stages.txt" | sed 's/^/    stage /'
  kidx=$(awk '/^ +index/ {print $2}' "$tmp/stages.txt")
  # The postings are made inside the Markdown stage, on every core, as each body is
  # rendered: `--timings` sums their time over the cores, so it is set against the
  # build's CPU time (user + system) of the same run, not against a wall time.
  kpost=$(awk '/^ +postings/ {print $2}' "$tmp/stages.txt")
  kcpu=$(awk '{printf "%.2f", $1 + $2}' "$tmp/cpu.txt")
  printf '  %-46s %s\n' "search postings: core-seconds / build CPU" "${kpost} s / ${kcpu} s = $(awk -v a="$kpost" -v b="$kcpu" 'BEGIN{printf "%.0f", 100*a/b}') % (inside the markdown stage; one --timings run)"
  if [ "$n" -le 10000 ]; then
    rm -rf "$site/public/pagefind"; sync
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/pagefind.txt" "$PAGEFIND" --site "$site/public" --output-subdir pagefind >/dev/null 2>&1
    read -r pt pu ps prss < "$tmp/pagefind.txt"
    kbytes=$(du -sb "$site/public/search" | cut -f1); pbytes=$(du -sb "$site/public/pagefind" | cut -f1)
    printf '  %-46s %s\n' "search index: kyoso / Pagefind" "postings ${kpost} core-s + index stage ${kidx} s / ${pt} s wall, $(awk -v a="$pu" -v b="$ps" 'BEGIN{printf "%.2f", a+b}') s CPU (peak RSS $((prss/1024)) MiB)"
    printf '  %-46s %s\n' "search index bytes: kyoso / Pagefind" "$((kbytes/1000)) KB / $((pbytes/1000)) KB (ratio $(awk -v a="$kbytes" -v b="$pbytes" 'BEGIN{printf "%.2f", a/b}'))"
    node bench/browser_bytes.mjs "$site/public" pagefind > "$tmp/browser.json"
    node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const kb = (x) => Math.round(x / 1000) + " KB";
      console.log("  " + "first one-word query, bytes fetched (median/max)".padEnd(46) + " kyoso " + kb(r.first.kyoso.median) + "/" + kb(r.first.kyoso.max) + ", Pagefind " + kb(r.first.pagefind.median) + "/" + kb(r.first.pagefind.max));
      console.log("  Japanese variant queries, results (kyoso | Pagefind):");
      for (const v of r.variants) console.log("    " + v.pair.padEnd(20) + " " + v.kyoso.padEnd(12) + " | " + v.pagefind);
    ' "$tmp/browser.json"
    rm -rf "$site/public/pagefind"
  fi
  # serve: save one case (title, then body), wait for the rebuilt page on disk.
  TMPDIR=$base KYOSO=$KYOSO bash bench/serve.sh "$site" 3 | sed 's/^/  /'
done
