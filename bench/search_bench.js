// Search benchmark on a built site: index size, bytes a browser fetches for a first query,
// query times in Node. Usage: node search_bench.js <public dir>
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const pub = process.argv[2];
const dir = path.join(pub, "search");
const runtimeFile = path.join(pub, "js", "search.js");
const QUERIES = ["買い物", "見守り", "移動", "居場所", "介護", "農地", "防災", "スーパー", "協議体", "社協",
  "買物支援", "申込み", "ボランティア", "配食", "健康", "学び", "就労", "後継者", "まちづくり", "店"];

function du(d) {
  let total = 0, files = 0;
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) { const r = du(p); total += r.total; files += r.files; } else { total += fs.statSync(p).size; files++; }
  }
  return { total, files };
}

function freshEngine() {
  const ctx = { console, Promise, URLSearchParams };
  ctx.globalThis = ctx;
  vm.createContext(ctx);
  const runtime = fs.readFileSync(runtimeFile, "utf8");
  vm.runInContext(runtime, ctx);
  const state = { bytes: Buffer.byteLength(runtime), files: 1 };
  const loader = (name) => {
    const text = fs.readFileSync(path.join(dir, name + ".js"), "utf8");
    state.bytes += Buffer.byteLength(text); state.files++;
    vm.runInContext(text, ctx);
  };
  return { engine: new ctx.kyosoSearch.Engine({ loader }), state };
}

function pct(a, p) { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; }

(async () => {
  const size = du(dir);
  const manifest = fs.readFileSync(path.join(dir, "manifest.js"), "utf8");
  const n = JSON.parse(manifest.slice(manifest.indexOf(",") + 1, manifest.lastIndexOf(")"))).n;
  // First query from a cold page: runtime + manifest + docs + shards + the first 10 result
  // files, each query in a fresh engine (nothing cached).
  const first = [], cold = [], warm = [];
  for (const q of QUERIES) {
    const { engine, state } = freshEngine();
    const t0 = process.hrtime.bigint();
    const r = await engine.search(q, {});
    await Promise.all(r.hits.slice(0, 10).map((h) => engine.doc(h.doc)));
    cold.push(Number(process.hrtime.bigint() - t0) / 1e6);
    first.push(state.bytes);
  }
  // Query time on a search page in use: one engine, every query run 5 times, index files
  // already loaded; the median of the 5 runs per query.
  const { engine } = freshEngine();
  for (const q of QUERIES) await engine.search(q, {});
  for (const q of QUERIES) {
    const runs = [];
    for (let i = 0; i < 5; i++) {
      const t = process.hrtime.bigint();
      await engine.search(q, {});
      runs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    warm.push(pct(runs, 0.5));
  }
  const row = (k, v) => console.log(`  ${k.padEnd(44)} ${v}`);
  row("documents", n);
  row("index files", size.files);
  row("index bytes total", `${(size.total / 1e6).toFixed(2)} MB`);
  row("index bytes per document", `${Math.round(size.total / n)} B`);
  row("first one-word query fetch, median / max", `${Math.round(pct(first, 0.5) / 1e3)} KB / ${Math.round(Math.max(...first) / 1e3)} KB`);
  row("first query incl. loading (cold), p50 / p95", `${pct(cold, 0.5).toFixed(1)} ms / ${pct(cold, 0.95).toFixed(1)} ms`);
  row("query time, index loaded, p50 / p95", `${pct(warm, 0.5).toFixed(1)} ms / ${pct(warm, 0.95).toFixed(1)} ms`);
})();
