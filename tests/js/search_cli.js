// Runs the browser search runtime under Node against a built site's search/ folder, the
// way the browser loads it (each index file is evaluated as a script), and prints JSON.
// Usage: node search_cli.js <public/search dir> < requests.json
//   requests: {"queries": [{"q": "買物", "filters": {...}}], "analyze": ["text", ...],
//   (each query's answer lists the index files it loaded that no earlier query had),
//              "snippets": [{"text": "…", "q": "…"}]}
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const dir = process.argv[2];
const runtime = path.join(__dirname, "..", "..", "themes", "default", "static", "js", "search.js");
const context = { console, Promise, URLSearchParams };
context.globalThis = context;
vm.createContext(context);
vm.runInContext(fs.readFileSync(runtime, "utf8"), context, { filename: runtime });
const api = context.kyosoSearch;

let bytes = 0;
const loaded = new Set();
let fresh = [];
function loader(name) {
  const file = path.join(dir, name + ".js");
  const text = fs.readFileSync(file, "utf8");
  if (!loaded.has(name)) { loaded.add(name); fresh.push(name); bytes += Buffer.byteLength(text); }
  vm.runInContext(text, context, { filename: file });
}

(async () => {
  const req = JSON.parse(fs.readFileSync(0, "utf8"));
  const engine = new api.Engine({ loader });
  await engine.init();
  const out = { queries: [], analyze: [] };
  for (const q of req.queries || []) {
    fresh = [];
    const r = await engine.search(q.q, q.filters || {});
    // The files this query loaded that no earlier one had.
    const loadedNow = fresh;
    const top = r.hits.slice(0, q.limit || 10);
    const docs = [];
    for (const h of top) docs.push((await engine.doc(h.doc)).u);
    out.queries.push({ q: q.q, total: r.hits.length, urls: docs, scores: top.map((h) => h.score), facets: r.facets, folded: r.folded, loaded: loadedNow });
  }
  const analyzer = engine.analyzer;
  for (const t of req.analyze || []) out.analyze.push(analyzer.indexTokens(t));
  // The marked pieces of a snippet of `text` for query `q`, as the results list shows them.
  out.marks = (req.snippets || []).map((s) => api.snippet(s.text, engine.highlightForms(s.q), 110).filter((p) => p.mark).map((p) => p.text));
  out.bytes = bytes;
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
