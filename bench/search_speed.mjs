// Query time of kyoso's search runtime in a real browser (headless Chromium), on a built
// site opened from file:// as a reader opens a copied folder. Prints, per query and over
// all, the time of
//   - a first query on a freshly opened page: the runtime, manifest, facets, the shards the
//     query needs and its first 10 result records all loaded as scripts, then analysed,
//     decoded, matched and scored (each query in a new page, nothing cached);
//   - a query on a page in use: every index file the query needs already loaded (the median
//     of 5 runs of each query).
// The times are measured inside the page (performance.now) and are printed, never asserted.
// Usage: node search_speed.mjs <public dir>   (CHROMIUM=path, default /usr/bin/chromium;
//        playwright-core from bench/node_modules, `npm ci` in bench/)
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import { join, resolve } from "node:path";
import { readFileSync } from "node:fs";

const pub = resolve(process.argv[2] || "");
// The vocabulary of examples/gen_corpus.rs: single words, compounds (phrases of several
// bigrams), spelling variants, a one-character prefix, a word in no document.
const QUERIES = ["買い物", "かいもの", "見守り", "移動", "居場所", "介護", "農地", "防災", "スーパー", "協議体", "社協",
  "買物支援", "申込み", "ボランティア", "配食", "健康", "就労", "まちづくり", "店",
  "生活支援体制", "地域包括支援センター", "移動販売", "住民主体の活動", "見守り 買い物", "zzzz"];

const manifest = readFileSync(join(pub, "search", "manifest.js"), "utf8");
const docs = JSON.parse(manifest.slice(manifest.indexOf(",") + 1, manifest.lastIndexOf(")"))).n;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium" });
// A page of the site without a search form (the home page): the runtime is added to it, so
// nothing but the measured query loads index files.
const pageUrl = pathToFileURL(join(pub, "index.html")).href;
const runtimeUrl = pathToFileURL(join(pub, "js", "search.js")).href;
const indexUrl = pathToFileURL(join(pub, "search")).href + "/";

async function openPage() {
  const page = await browser.newPage();
  await page.goto(pageUrl);
  return page;
}

/** Runs `q` in the page: engine (a new one unless `reuse`), search, the top 10 records. */
function timed(page, q, reuse) {
  return page.evaluate(async ({ q, reuse, runtimeUrl, indexUrl }) => {
    const t0 = performance.now();
    if (!window.kyosoSearch || !window.kyosoSearch.Engine) {
      await new Promise((ok, fail) => {
        const s = document.createElement("script");
        s.src = runtimeUrl; s.onload = ok; s.onerror = fail;
        document.head.appendChild(s);
      });
    }
    const engine = reuse && window.benchEngine ? window.benchEngine : (window.benchEngine = new window.kyosoSearch.Engine({ base: indexUrl }));
    const r = await engine.search(q, {});
    await Promise.all(r.hits.slice(0, 10).map((h) => engine.doc(h.doc)));
    return { ms: performance.now() - t0, hits: r.hits.length };
  }, { q, reuse, runtimeUrl, indexUrl });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const cold = [], warm = [];
console.log(`== ${docs} documents, Chromium from file://, ${QUERIES.length} queries`);
console.log(`  ${"query".padEnd(14)} ${"results".padStart(7)}  first query (new page)  page in use (median of 5)`);
const inUse = await openPage();
for (const q of QUERIES) {
  const page = await openPage();
  const first = await timed(page, q, false);
  await page.close();
  await timed(inUse, q, true); // loads what the query needs
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push((await timed(inUse, q, true)).ms);
  cold.push(first.ms);
  warm.push(median(runs));
  console.log(`  ${q.padEnd(14 - [...q].filter((c) => c.charCodeAt(0) > 0x2000).length)} ${String(first.hits).padStart(7)}  ${first.ms.toFixed(1).padStart(10)} ms           ${median(runs).toFixed(2).padStart(8)} ms`);
}
await browser.close();
const max = (xs) => Math.max(...xs);
console.log(`  first query on a new page: median ${median(cold).toFixed(1)} ms, max ${max(cold).toFixed(1)} ms`);
console.log(`  query on a page in use:    median ${median(warm).toFixed(2)} ms, max ${max(warm).toFixed(2)} ms`);
