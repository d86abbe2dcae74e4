#!/usr/bin/env bash
# `kyoso serve` on a built site: time from saving one case to its rebuilt page on disk.
#
#   bench/serve.sh SITE [edits]      (default 5 edits of each kind; prints medians)
#
# Two kinds of edit: the title (the case's page and every list showing it change) and a
# paragraph added to the body (only the page changes). Edits are a few seconds apart so
# the search index of the previous one is finished, as when an editor saves and reads.
set -euo pipefail
cd "$(dirname "$0")/.."
site=$1; n=${2:-5}
KYOSO=${KYOSO:-./target/release/kyoso}
log=$(mktemp)
port=$((20000 + RANDOM % 20000))
"$KYOSO" serve --root "$site" --port "$port" > "$log" 2>&1 &
spid=$!
trap 'kill $spid 2>/dev/null || true; wait $spid 2>/dev/null || true; rm -rf "$log" "${TMPDIR:-/tmp}/kyoso-serve-$spid"' EXIT
for _ in $(seq 1 1200); do grep -q "127.0.0.1" "$log" && break; sleep 0.1; done
out="${TMPDIR:-/tmp}/kyoso-serve-$spid/public"
first=("$site"/content/cases/*.md); file=${first[0]}; slug=$(basename "$file" .md)
cp "$file" "$file.bench-orig"
settle() { sleep "${SETTLE:-6}"; }
settle
# edit KIND → milliseconds until the page on disk shows the marker (edit and polling in
# one process: a shell loop spawning grep would take a core from the server).
edit() {
  python3 - "$1" "$file" "$out/cases/$slug/index.html" <<'PY'
import random, sys, time
kind, src, page = sys.argv[1:]
marker = "編集%d" % random.randrange(10**9)
text = open(src, encoding="utf-8").read()
text = text.replace("title: ", "title: " + marker + " ", 1) if kind == "title" else text + "\n" + marker + "\n"
start = time.time()
with open(src, "w", encoding="utf-8") as f:
    f.write(text)
while time.time() - start < 60:
    try:
        if marker in open(page, encoding="utf-8").read():
            break
    except OSError:
        pass
    time.sleep(0.002)
print(round((time.time() - start) * 1000))
PY
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
title=(); body=()
for _ in $(seq 1 "$n"); do title+=("$(edit title)"); settle; body+=("$(edit body)"); settle; done
mv "$file.bench-orig" "$file"
echo "serve, edited title: median $(printf '%s\n' "${title[@]}" | median) ms (${title[*]})"
echo "serve, edited body:  median $(printf '%s\n' "${body[@]}" | median) ms (${body[*]})"
grep "再生成" "$log" | tail -2 | sed 's/^/  last: /'
