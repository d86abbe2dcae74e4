// The hostile fixture site (tests/fixtures/hostile-site: every attack a contributor could
// send) in a real browser: every page it publishes, and its SVG, opened from file:// and
// from a server with no interaction, must never open a dialog (every payload calls
// alert). The map must keep the theme's settings, and the Content-Security-Policy must
// stop a handler even if one ever got into a page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { buildDemo, serve, launch, open, fileUrl, repo, TILE_HOST } from "./harness.mjs";

let pub, http, browser;

before(async () => {
  http = await serve(() => pub);
  pub = buildDemo(http.base, join(repo, "tests", "fixtures", "hostile-site"));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  http?.server.close();
});

/** Every file of the built site with one of these extensions, relative to it. */
function files(dir, exts, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files(p, exts, out);
    else if (exts.some((x) => e.name.endsWith(x))) out.push(relative(pub, p));
  }
  return out;
}

/** Opens `url`, waits for the page's scripts to settle, and returns the dialogs it opened. */
async function dialogsOf(context, url) {
  const page = await context.newPage();
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.goto(url, { waitUntil: "load" });
  await page.waitForTimeout(300);
  await page.close();
  return dialogs;
}

for (const mode of ["file", "server"]) {
  test(`no page or SVG of the hostile site opens a dialog (${mode})`, async () => {
    const context = await browser.newContext();
    const pages = files(pub, [".html", ".svg"]);
    assert.ok(pages.length > 15, `${pages.length} files`);
    const found = [];
    for (const rel of pages) {
      const url = mode === "file" ? fileUrl(pub, rel) : http.base + rel.split("/").map(encodeURIComponent).join("/");
      for (const d of await dialogsOf(context, url)) found.push(`${rel}: ${d}`);
    }
    assert.deepEqual(found, []);
    await context.close();
  });
}

test("content cannot replace the map's settings", async () => {
  const context = await browser.newContext();
  for (const actor of ["clobber-heading", "clobber-raw"]) {
    const tiles = [];
    const page = await context.newPage();
    page.on("request", (r) => { if (r.resourceType() === "image") tiles.push(r.url()); });
    await page.goto(fileUrl(pub, `actors/${actor}/index.html`), { waitUntil: "load" });
    await page.waitForSelector("#actor-map .leaflet-control-attribution");
    const attribution = page.locator("#actor-map .leaflet-control-attribution");
    assert.match(await attribution.textContent(), /地理院タイル/, actor);
    assert.equal(await attribution.locator("img, [onerror], [onmouseover]").count(), 0, actor);
    assert.ok(tiles.some((u) => u.includes(TILE_HOST)), `${actor}: tiles from the configured host: ${tiles}`);
    assert.ok(!tiles.some((u) => u.includes("clobbered-tiles")), `${actor}: no tile from content's settings: ${tiles}`);
    await page.close();
  }
  await context.close();
});

test("the Content-Security-Policy stops an injected handler and inline script on every page", async () => {
  const context = await browser.newContext();
  const found = [];
  for (const rel of files(pub, [".html"])) {
    const { page } = await open(context, fileUrl(pub, rel));
    page.on("dialog", (d) => { found.push(`${rel}: ${d.message()}`); d.dismiss().catch(() => {}); });
    await page.evaluate(() => {
      document.body.insertAdjacentHTML("beforeend", "<img src=x onerror=\"alert('csp-handler')\">");
      const s = document.createElement("script");
      s.textContent = "alert('csp-inline')";
      document.body.appendChild(s);
    });
    await page.waitForTimeout(200);
    await page.close();
  }
  assert.deepEqual(found, []);
  await context.close();
});
