// What a reader may want is reachable from the pages themselves: every open-data export
// and the calendar are linked from some page, the get-listed form and the open-data page
// from the footer of every page, and the favicon loads (under a sub-directory and from
// file://) instead of the browser asking the host's root for /favicon.ico.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { PAGES, open, startSite } from "./harness.mjs";

let pub, browser, modes, stop;

before(async () => {
  ({ pub, browser, modes, stop } = await startSite());
});

after(async () => {
  await stop?.();
});

/** Every HTML page of the built site, as paths relative to its root. */
function htmlPages(dir = pub) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return htmlPages(path);
    return e.name.endsWith(".html") ? [relative(pub, path)] : [];
  });
}

/** The site-root-relative targets of every href on the built pages (resolved as a browser does). */
function linkedTargets() {
  const targets = new Set();
  for (const rel of htmlPages()) {
    if (rel === "404.html") continue; // resolves against base_url, not its own place
    const html = readFileSync(join(pub, rel), "utf8");
    const here = new URL(rel.split("/").map(encodeURIComponent).join("/"), "http://site/");
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) {
      const url = new URL(href.replaceAll("&amp;", "&"), here);
      if (url.origin === "http://site") targets.add(decodeURIComponent(url.pathname.slice(1)));
    }
  }
  return targets;
}

test("every open-data export and the calendar are linked from some page", () => {
  const targets = linkedTargets();
  for (const file of ["data/actors.csv", "data/actors.json", "data/cases.json", "events.ics", "feed.xml", "sitemap.xml"]) {
    assert.ok(existsSync(join(pub, file)), `${file} is written`);
    assert.ok(targets.has(file), `${file} is linked from a page`);
  }
});

for (const mode of ["server", "file"]) {
  test(`the footer leads to the get-listed form and the open-data page; the calendar link works (${mode})`, async () => {
    const context = await browser.newContext();
    for (const [name, rel] of Object.entries(PAGES)) {
      if (mode === "file" && name === "notfound") continue;
      const { page } = await open(context, modes[mode](rel));
      const footer = page.locator("footer");
      for (const label of ["掲載の申し込み", "オープンデータ"]) {
        assert.equal(await footer.getByRole("link", { name: label, exact: true }).count(), 1, `${name}: footer links ${label}`);
      }
      await page.close();
    }
    // Following them reaches the pages.
    const { page, problems } = await open(context, modes[mode](PAGES.case));
    await page.locator("footer").getByRole("link", { name: "掲載の申し込み", exact: true }).click();
    await page.waitForLoadState("load");
    assert.match(page.url(), /\/apply\/index\.html$/);
    assert.ok(await page.locator("#apply-form").isVisible());
    await page.locator("footer").getByRole("link", { name: "オープンデータ", exact: true }).click();
    await page.waitForLoadState("load");
    assert.match(page.url(), /\/opendata\/index\.html$/);
    // The listing page and the actor list link the form.
    for (const rel of ["listing/index.html", PAGES.actors]) {
      await page.goto(modes[mode](rel));
      assert.ok(await page.locator("main").getByRole("link", { name: "掲載の申し込み" }).count() >= 1, `${rel} links the form`);
    }
    // 「カレンダーに追加」 on the events list points at the calendar file.
    await page.goto(modes[mode](PAGES.events));
    const href = await page.getByRole("link", { name: "カレンダーに追加" }).evaluate((a) => a.href);
    assert.match(href, /\/events\.ics$/);
    if (mode === "server") {
      const r = await page.request.get(href);
      assert.equal(r.status(), 200);
      assert.match(await r.text(), /^BEGIN:VCALENDAR/);
    } else {
      assert.ok(existsSync(new URL(href)), `${href} exists`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`every page links a favicon that loads, and no favicon request fails (${mode})`, async () => {
    const context = await browser.newContext();
    const failed = [];
    context.on("requestfailed", (r) => { if (/favicon/.test(r.url())) failed.push(`${r.url()} (${r.failure()?.errorText})`); });
    context.on("response", (r) => { if (/favicon/.test(r.url()) && r.status() >= 400) failed.push(`HTTP ${r.status()}: ${r.url()}`); });
    for (const [name, rel] of Object.entries(PAGES)) {
      if (mode === "file" && name === "notfound") continue;
      const { page } = await open(context, modes[mode](rel));
      const icons = await page.locator('link[rel="icon"]').evaluateAll((links) => links.map((l) => l.href));
      assert.ok(icons.length > 0, `${name} links a favicon`);
      for (const href of icons) {
        assert.ok(href.startsWith(modes[mode]("")), `${name}: ${href} is inside the site, not at the host's root`);
        // Loaded as an image, as the browser does (the page's CSP applies).
        const ok = await page.evaluate((src) => new Promise((done) => {
          const img = new Image();
          img.onload = () => done(img.naturalWidth > 0);
          img.onerror = () => done(false);
          img.src = src;
        }), href);
        assert.ok(ok, `${name}: ${href} loads`);
      }
      await page.close();
    }
    assert.deepEqual(failed, []);
    await context.close();
  });
}

test("no text on any page type is smaller than 15 px (meta text is read by older readers too)", async () => {
  const context = await browser.newContext();
  const small = [];
  for (const [name, rel] of Object.entries(PAGES)) {
    const { page } = await open(context, modes.server(rel));
    const found = await page.evaluate(() => [...document.body.querySelectorAll("*")]
      // Leaflet's own controls (zoom, attribution) are the map library's, not the theme's.
      .filter((e) => !e.closest(".leaflet-control-container") && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
      .filter((e) => e.getClientRects().length > 0 && parseFloat(getComputedStyle(e).fontSize) < 15)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${getComputedStyle(e).fontSize} 「${e.textContent.trim().slice(0, 20)}」`));
    small.push(...found.slice(0, 3).map((f) => `${name}: ${f}`));
    await page.close();
  }
  assert.deepEqual(small, []);
  await context.close();
});
