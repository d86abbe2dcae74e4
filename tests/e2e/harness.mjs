// Shared pieces of the browser suite: build the demo site, serve it under a sub-directory,
// launch Chromium, and check pages (console errors, failed requests, axe-core, layout).
import { execFileSync, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, existsSync, statSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, "..", "..");
export const SUBDIR = "/pref/kyoso/";

/** The kyoso binary: KYOSO_BIN (tests/run.sh sets it), else the most recently built one
 * (debug after `cargo test`, or release) in cargo's target folder, which CARGO_TARGET_DIR moves. */
export function kyosoBin() {
  const target = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(repo, "target");
  const bin = process.env.KYOSO_BIN || ["release", "debug"].map((p) => join(target, p, "kyoso")).filter(existsSync)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!bin) throw new Error(`build kyoso first (cargo build): no kyoso binary in ${target}`);
  return bin;
}

/** Builds the demo site (or the site at `root`) into a temporary folder; returns the public/ path. */
export function buildDemo(baseUrl, root = repo) {
  const bin = kyosoBin();
  const out = join(mkdtempSync(join(tmpdir(), "kyoso-e2e-")), "public");
  const args = ["build", "--root", root, "--output", out, "--today", "2026-11-23"];
  if (baseUrl) args.push("--base-url", baseUrl);
  execFileSync(bin, args, { stdio: "pipe" });
  return out;
}

const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml",
  ".png": "image/png", ".jpg": "image/jpeg", ".xml": "application/xml", ".json": "application/json", ".ics": "text/calendar", ".csv": "text/csv" };

/** A static server with the site mounted at SUBDIR (as on a prefecture's web hosting).
 * `publicDir` is a function so the site can be built after the port (its base_url) is known. */
export function serve(dirOrFn) {
  const dirOf = typeof dirOrFn === "function" ? dirOrFn : () => dirOrFn;
  const server = createServer((req, res) => {
    const publicDir = dirOf();
    const url = new URL(req.url, "http://x");
    let path = decodeURIComponent(url.pathname);
    if (!path.startsWith(SUBDIR)) { res.writeHead(404); res.end("outside the site"); return; }
    let file = join(publicDir, path.slice(SUBDIR.length));
    if (!file.startsWith(publicDir)) { res.writeHead(403); res.end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(readFileSync(join(publicDir, "404.html")));
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ server, base: `http://127.0.0.1:${server.address().port}${SUBDIR}` })));
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

/** One of each page type, as paths relative to the site root. */
export const PAGES = {
  home: "index.html",
  cases: "cases/index.html",
  case: "cases/kochi-noriai-taxi/index.html",
  actors: "actors/index.html",
  actor: "actors/sunmart-shimanto/index.html",
  guide: "guides/platform-kouchiku/index.html",
  chapter: "guides/platform-kouchiku/02-chiiki-kadai/index.html",
  events: "events/index.html",
  event: "events/kumamoto-kouryukai-2026/index.html",
  policy: "policies/seikatsu-shien-taisei-seibi/index.html",
  domain: "domains/" + encodeURIComponent("買い物") + "/index.html",
  region: "regions/" + encodeURIComponent("高知県") + "/" + encodeURIComponent("四万十町") + "/index.html",
  search: "search/index.html?q=" + encodeURIComponent("買物"),
  map: "map/index.html?domain=" + encodeURIComponent("買い物"),
  partners: "partners/index.html?domain=" + encodeURIComponent("買い物") + "&prefecture=" + encodeURIComponent("高知県") + "&municipality=" + encodeURIComponent("四万十町"),
  apply: "apply/index.html",
  opendata: "opendata/index.html",
  notfound: "404.html",
};

/** Map tiles come from the GSI tile server, which this test machine (like an offline
 * reader) cannot reach: the pages must cope, so those failures are expected here. */
export const TILE_HOST = "cyberjapandata.gsi.go.jp";

/** Opens `url` and records console errors and failed requests. */
export async function open(context, url) {
  const page = await context.newPage();
  const problems = [];
  const expected = (text) => text.includes(TILE_HOST) || /^console: Failed to load resource: net::ERR_(NAME_NOT_RESOLVED|CONNECTION_REFUSED|INTERNET_DISCONNECTED|ADDRESS_UNREACHABLE|TIMED_OUT)$/.test(text) && tileErrors > 0;
  let tileErrors = 0;
  page.on("requestfailed", (r) => { if (r.url().includes(TILE_HOST)) tileErrors++; });
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on("response", (r) => { if (r.status() >= 400 && !r.url().endsWith("404.html") && r.url() !== url) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(url, { waitUntil: "load" });
  return { page, get problems() { return problems.filter((p) => !expected(p)); } };
}

const axeSource = readFileSync(join(here, "node_modules", "axe-core", "axe.min.js"), "utf8");

/** axe-core on the page for the WCAG 2.0/2.1 A and AA rules; returns the violations. */
export async function axe(page) {
  // Evaluated through the DevTools protocol: the pages' Content-Security-Policy refuses
  // an injected inline <script>, as it should.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
  });
}

/** The Nu HTML Checker on files; returns error messages. */
export function vnu(files) {
  const jar = join(here, "node_modules", "vnu-jar", "build", "dist", "vnu.jar");
  const r = spawnSync("java", ["-jar", jar, "--errors-only", "--format", "json", ...files], { encoding: "utf8" });
  if (r.error) throw r.error;
  const report = JSON.parse(r.stderr || r.stdout || '{"messages":[]}');
  return report.messages.filter((m) => m.type === "error").map((m) => `${m.url?.split("/public/").pop()}:${m.lastLine}: ${m.message}`);
}

export function fileUrl(publicDir, rel) {
  const [path, query] = rel.split("?");
  return pathToFileURL(join(publicDir, decodeURIComponent(path))).href + (query ? "?" + query : "");
}

export function screenshotDir() {
  const dir = join(here, "screenshots");
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The demo site built with the address it is served at (as on real hosting: the 404
 * page, shown at any address, resolves its links against base_url), a browser, and the
 * two ways to open a page: `modes.server(rel)` and `modes.file(rel)`. */
export async function startSite() {
  let pub;
  const http = await serve(() => pub);
  pub = buildDemo(http.base);
  const browser = await launch();
  const modes = { server: (rel) => http.base + rel, file: (rel) => fileUrl(pub, rel) };
  const stop = async () => { await browser.close(); http.server.close(); };
  return { pub, http, browser, modes, stop };
}
