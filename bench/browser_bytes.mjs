// Measures, in headless Chromium over HTTP, what a reader downloads for a first one-word
// query with kyoso's search and with Pagefind on the same built site, and how many
// results each finds for Japanese variant queries.
// Usage: node browser_bytes.mjs <kyoso public dir> <pagefind output dir (inside public)>
import { createServer } from "node:http";
import { readFileSync, existsSync, statSync } from "node:fs";
import { join, extname, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "..", "tests", "e2e", "package.json"));
const { chromium } = require("playwright-core");
const [pub, pfDir] = process.argv.slice(2);
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm" };

const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (path === "/pf-probe.html") {
    res.writeHead(200, { "content-type": TYPES[".html"] });
    res.end(`<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>probe</title></head><body><script type="module">
      const pagefind = await import("/${pfDir}/pagefind.js");
      window.run = async (q) => { const r = await pagefind.search(q); await Promise.all(r.results.slice(0, 10).map((x) => x.data())); return r.results.length; };
      window.ready = true;</script></body></html>`);
    return;
  }
  let file = join(pub, path);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });

async function measure(url, isSearchFile, run) {
  const context = await browser.newContext();
  const page = await context.newPage();
  let bytes = 0;
  page.on("response", async (r) => { if (isSearchFile(r.url())) { try { bytes += (await r.body()).length; } catch { /* redirects */ } } });
  await page.goto(url);
  const count = await run(page);
  await page.waitForTimeout(200);
  await context.close();
  return { bytes, count };
}

const kyoso = (q) => measure(`${base}/search/index.html?q=${encodeURIComponent(q)}`, (u) => u.includes("/search/") && u.endsWith(".js") || u.endsWith("/js/search.js"), async (page) => {
  await page.waitForFunction(() => /件|見つかりません/.test(document.querySelector("#search-status").textContent));
  await page.waitForFunction(() => document.querySelectorAll("#search-results li").length > 0 || /見つかりません/.test(document.querySelector("#search-status").textContent));
  const t = await page.locator("#search-status").textContent();
  const m = t.match(/：(\d+)件/);
  return m ? Number(m[1]) : 0;
});
const pagefind = (q) => measure(`${base}/pf-probe.html`, (u) => u.includes(`/${pfDir}/`), async (page) => {
  await page.waitForFunction(() => window.ready === true);
  return page.evaluate((query) => window.run(query), q);
});

const out = { first: {}, variants: [] };
for (const [name, fn] of [["kyoso", kyoso], ["pagefind", pagefind]]) {
  const sizes = [];
  for (const q of ["買い物", "見守り", "移動", "介護"]) sizes.push((await fn(q)).bytes);
  sizes.sort((a, b) => a - b);
  out.first[name] = { median: sizes[Math.floor(sizes.length / 2)], max: sizes[sizes.length - 1] };
}
for (const [a, b] of [["買物", "買い物"], ["申込み", "申し込み"], ["交通", "移動"], ["カイモノ", "かいもの"], ["ＮＰＯ", "NPO"]]) {
  const row = { pair: `${a} / ${b}` };
  for (const [name, fn] of [["kyoso", kyoso], ["pagefind", pagefind]]) row[name] = `${(await fn(a)).count} / ${(await fn(b)).count}`;
  out.variants.push(row);
}
await browser.close();
server.close();
console.log(JSON.stringify(out));
