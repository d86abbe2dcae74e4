// Search quality and cost on real text, for kyoso and (when installed) Pagefind 1.6.
//
// For each query set (a TSV beside this file: kind, query, the regular expression a relevant
// page's Markdown matches; see the files' headers) it prints recall, precision at 10, the
// negative queries that returned anything, the index bytes, and the bytes a browser fetches
// for a first query. kyoso is queried with the site's own browser runtime (public/js/search.js)
// run under Node on the built public/search files, as tests/js/search_cli.js does; Pagefind
// with its own pagefind.js, also under Node (its files are read from disk by a fetch shim).
// Pagefind indexes every HTML page; its results are restricted to the same documents kyoso
// indexes, so that list pages do not count against it.
//
// Usage: node eval.mjs <name> <public dir> <content dir> <queries.tsv> [pagefind binary]
//   VERBOSE=1 also prints every query that misses a relevant page or ranks an irrelevant one.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { execFileSync } from "node:child_process";
import vm from "node:vm";

const [name, pub, contentDir, queryFile, pagefindBin] = process.argv.slice(2);
const verbose = !!process.env.VERBOSE;

function du(d) {
  return readdirSync(d).reduce((n, e) => { const p = join(d, e); return n + (statSync(p).isDirectory() ? du(p) : statSync(p).size); }, 0);
}

/** The Markdown file a kyoso document URL was made from. */
function sourceOf(url) {
  const parts = url.replace(/\/index\.html$/, "").split("/");
  if (["cases", "actors", "events", "policies", "news"].includes(parts[0])) return join(contentDir, parts[0], parts[1] + ".md");
  if (parts[0] === "guides") return join(contentDir, "guides", parts[1], (parts[2] || "_index") + ".md");
  return join(contentDir, "pages", parts[0] + ".md");
}

const queries = readFileSync(queryFile, "utf8").split("\n").filter((l) => l && !l.startsWith("#")).map((l) => {
  const [kind, q, re] = l.split("\t");
  return { kind, q, re: re ? new RegExp(re, "iu") : null };
});

/* ---------- kyoso: the browser runtime under Node ---------- */
function kyosoEngine() {
  const ctx = { console, Promise, URLSearchParams };
  ctx.globalThis = ctx;
  vm.createContext(ctx);
  const runtime = readFileSync(join(pub, "js", "search.js"), "utf8");
  vm.runInContext(runtime, ctx);
  const state = { bytes: Buffer.byteLength(runtime) };
  const loader = (n) => {
    const text = readFileSync(join(pub, "search", n + ".js"), "utf8");
    state.bytes += Buffer.byteLength(text);
    vm.runInContext(text, ctx);
  };
  const engine = new ctx.kyosoSearch.Engine({ loader });
  return {
    state,
    async search(q) {
      const r = await engine.search(q, {});
      const top = await Promise.all(r.hits.slice(0, 10).map((h) => engine.doc(h.doc)));
      return { total: r.hits.length, hits: r.hits, top: top.map((d) => d.u), engine };
    },
  };
}

// Every document kyoso indexes, with the text its relevance is judged on.
const all = await (async () => {
  const k = kyosoEngine();
  const r = await k.search("");
  const urls = await Promise.all(r.hits.map((h) => r.engine.doc(h.doc).then((d) => d.u)));
  return new Map(urls.map((u) => {
    const file = sourceOf(u);
    if (!existsSync(file)) throw new Error(`no source for ${u} (${file})`);
    // What a reader sees: not `private:` (never published), link targets, heading ids, or
    // the markup of raw HTML (see `visible`).
    const text = visible(readFileSync(file, "utf8").split("\n").filter((l) => !/^private:/.test(l)).join("\n"))
      .replace(/\]\([^)\s]*(\s+"[^"]*")?\)/g, "]").replace(/\{#[^}]*\}/g, "");
    return [u, text];
  }));
})();

/** Markdown without what raw HTML hides from a reader: `<script>` and `<style>` contents,
 * comments, and tags with their attributes (an `href`, a component's `title="…"`); the text
 * between tags stays. Code (fenced blocks, inline spans) is shown as written, so it is kept
 * whole. The search indexes the same (tests/search_meaning.rs, raw HTML): judged on the
 * Markdown as written, 11 Vue pages counted as relevant for `components` only because a
 * `<script setup>` imported '@theme/components/…' or a link's href held the word. */
function visible(markdown) {
  return markdown.split(/(^ {0,3}(?:```|~~~)[^\n]*\n[\s\S]*?^ {0,3}(?:```|~~~)[ \t]*$)/m).map((part, i) => {
    if (i % 2 === 1) return part;
    return part.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ").replace(/<!--[\s\S]*?-->/g, " ")
      .split(/(`[^`\n]*`)/).map((piece, j) => (j % 2 === 1 ? piece : piece.replace(/<\/?[A-Za-z][^<>]*>/g, " "))).join("");
  }).join("");
}

/* ---------- Pagefind under Node ---------- */
async function pagefindEngine(dir) {
  let bytes = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url, opts) => {
    const u = String(url);
    if (!u.startsWith("file:")) return realFetch(url, opts);
    const b = readFileSync(fileURLToPath(u.split("?")[0]));
    bytes += b.length;
    return new Response(b, { status: 200, headers: { "content-type": u.endsWith(".wasm") ? "application/wasm" : "application/octet-stream" } });
  };
  // A fresh module instance per engine (nothing cached between first queries).
  const js = join(dir, "pagefind.js");
  const pf = await import(pathToFileURL(js).href + "?fresh=" + Math.random());
  bytes += statSync(js).size;
  await pf.options({ basePath: pathToFileURL(dir + "/").href });
  const prefix = pathToFileURL(pub).pathname.replace(/\/?$/, "/");
  const toDoc = (url) => {
    const path = decodeURIComponent(url).replace(/^\/file:/, "").replace(/^\/+/, "/");
    const rel = path.startsWith(prefix) ? path.slice(prefix.length) : path.replace(/^\//, "");
    return rel.endsWith("/") || rel === "" ? rel + "index.html" : rel;
  };
  return {
    get bytes() { return bytes; },
    async search(q) {
      const r = await pf.search(q);
      // Result data is fetched in order until ten documents kyoso also has are found.
      const top = [];
      const docs = [];
      for (const x of r.results) {
        const d = toDoc((await x.data()).url);
        if (!all.has(d)) continue;
        docs.push(d);
        if (top.length < 10) top.push(d);
      }
      return { total: docs.length, top, docs };
    },
  };
}

/* ---------- metrics ---------- */
function median(xs) { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }

async function evaluate(label, run, allFound) {
  const rows = [];
  for (const q of queries) {
    const r = await run(q.q);
    if (!q.re) { rows.push({ q, negative: true, returned: r.total }); continue; }
    const relevant = [...all].filter(([, text]) => q.re.test(text)).map(([u]) => u);
    const found = await allFound(r);
    const hit = relevant.filter((u) => found.has(u)).length;
    const k = Math.min(10, r.top.length);
    const good = r.top.filter((u) => relevant.includes(u)).length;
    // Precision of what the first page shows (up to 10 results); nothing shown counts as 0.
    const precision = k === 0 ? 0 : good / k;
    const recall = relevant.length === 0 ? 1 : hit / relevant.length;
    rows.push({ q, relevant: relevant.length, returned: r.total, recall, precision, missed: relevant.filter((u) => !found.has(u)), wrong: r.top.filter((u) => !relevant.includes(u)) });
  }
  const pos = rows.filter((r) => !r.negative);
  const avg = (f, rs = pos) => rs.reduce((s, r) => s + f(r), 0) / Math.max(1, rs.length);
  const negs = rows.filter((r) => r.negative);
  const bad = negs.filter((r) => r.returned > 0);
  console.log(`  ${label.padEnd(9)} recall ${avg((r) => r.recall).toFixed(3)}   precision@10 ${avg((r) => r.precision).toFixed(3)}   negatives returning results: ${bad.length}/${negs.length}${bad.length ? " (" + bad.map((r) => `${r.q.q}:${r.returned}`).join(" ") + ")" : ""}`);
  const kinds = [...new Set(pos.map((r) => r.q.kind))];
  console.log("            by kind: " + kinds.map((k) => { const rs = pos.filter((r) => r.q.kind === k); return `${k} R ${avg((r) => r.recall, rs).toFixed(2)} P ${avg((r) => r.precision, rs).toFixed(2)}`; }).join(" · "));
  if (verbose) {
    for (const r of pos.filter((r) => r.recall < 1 || r.precision < 1)) {
      console.log(`    ${r.q.kind} ${r.q.q}: relevant ${r.relevant}, returned ${r.returned}, recall ${r.recall.toFixed(2)}, P@10 ${r.precision.toFixed(2)}${r.wrong.length ? "; ranked but not relevant: " + r.wrong.slice(0, 3).join(" ") : ""}`);
    }
  }
}

// First queries: the plain and compound queries of the set, each in a fresh engine.
const firstQueries = queries.filter((q) => q.kind === "plain" || q.kind === "compound").map((q) => q.q);

console.log(`== ${name}: ${all.size} documents, ${queries.filter((q) => q.re).length} queries with judgements, ${queries.filter((q) => !q.re).length} negatives`);
await evaluate("kyoso", (q) => kyosoEngine().search(q), async (r) => {
  const urls = await Promise.all(r.hits.map((h) => r.engine.doc(h.doc).then((d) => d.u)));
  return new Set(urls);
});
const kyosoBytes = du(join(pub, "search"));
const kFirst = [];
for (const q of firstQueries) { const e = kyosoEngine(); await e.search(q); kFirst.push(e.state.bytes); }

let pfBytes = null, pfFirst = [];
if (pagefindBin && existsSync(pagefindBin)) {
  execFileSync(pagefindBin, ["--site", pub, "--output-subdir", "pagefind"], { stdio: "ignore" });
  const dir = join(pub, "pagefind");
  await evaluate("Pagefind", async (q) => (await pagefindEngine(dir)).search(q), async (r) => new Set(r.docs));
  pfBytes = du(dir);
  for (const q of firstQueries) { const e = await pagefindEngine(dir); await e.search(q); pfFirst.push(e.bytes); }
} else {
  console.log("  Pagefind  not installed (npm ci in bench/ installs @pagefind/linux-x64 1.6.0)");
}
const kb = (b) => `${(b / 1000).toFixed(0)} KB`;
console.log(`  index bytes: kyoso ${kb(kyosoBytes)}` + (pfBytes ? `, Pagefind ${kb(pfBytes)} (ratio ${(kyosoBytes / pfBytes).toFixed(2)})` : ""));
console.log(`  first query, bytes fetched (median of ${firstQueries.length}, runtime and the top 10 results included): kyoso ${kb(median(kFirst))}` +
  (pfFirst.length ? `, Pagefind ${kb(median(pfFirst))}` : ""));
