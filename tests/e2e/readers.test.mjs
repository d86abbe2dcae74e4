// What readers and applicants meet first (issue #24): an event's own calendar file, the
// plain apply form, search on a phone, the offline base map, the partners how-to and the
// 事例集 booklet, in a real browser under a sub-directory and from file://.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { readdirSync } from "node:fs";
import { PAGES, open, startSite, axe, vnu } from "./harness.mjs";

let pub, browser, modes, stop;

before(async () => {
  ({ pub, browser, modes, stop } = await startSite());
});

after(async () => {
  await stop?.();
});

for (const mode of ["server", "file"]) {
  test(`an event page's 「カレンダーに追加」 gives that event's own calendar file (${mode})`, async () => {
    const context = await browser.newContext();
    const { page, problems } = await open(context, modes[mode](PAGES.event));
    const title = (await page.locator("h1").textContent()).trim();
    const href = await page.locator("main").getByRole("link", { name: "カレンダーに追加" }).evaluate((a) => a.href);
    assert.match(href, /\/events\/([a-z0-9-]+)\/\1\.ics$/, "the file is beside the page, named after the event");
    const text = mode === "server" ? await (await page.request.get(href)).text() : readFileSync(fileURLToPath(href), "utf8");
    assert.match(text, /^BEGIN:VCALENDAR\r\n/);
    assert.equal(text.match(/BEGIN:VEVENT/g).length, 1, "one event");
    assert.ok(text.replace(/\r\n /g, "").includes(`SUMMARY:${title}`), `the event is ${title}`);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

/** Visible controls of `scope` smaller than 44 × 44 px, as "text WxH". */
async function smallTargets(page, scope) {
  return page.locator(scope).evaluate((root) => [...root.querySelectorAll(
    "input:not([type=checkbox]), select, textarea, button, summary, a.button, .checks label, .leaflet-bar a")]
    .filter((e) => e.getClientRects().length > 0)
    .map((e) => [e, e.getBoundingClientRect()])
    .filter(([, r]) => r.width < 44 || r.height < 44)
    .map(([e, r]) => `${e.tagName.toLowerCase()}「${(e.textContent || e.name || "").trim().slice(0, 12)}」 ${Math.round(r.width)}x${Math.round(r.height)}`));
}

for (const mode of ["server", "file"]) {
  test(`the apply form asks lay people in plain Japanese: no file name, Japanese options, a map, big targets (${mode})`, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
    const { page, problems } = await open(context, modes[mode](PAGES.apply));
    const form = page.locator("#apply-form");
    // No field asks for a file name.
    assert.equal(await form.getByText(/ファイル名/).count(), 0, "no label speaks of a file name");
    assert.equal(await form.locator('[name="slug"]').count(), 0);
    // Every choice reads in Japanese: no option is an English word (national, customer-touchpoint).
    const choices = [...await form.locator("option").allTextContents(), ...await form.locator(".checks label").allTextContents()]
      .map((t) => t.trim()).filter(Boolean);
    assert.ok(choices.length > 50, `${choices.length} choices`);
    assert.deepEqual(choices.filter((t) => /^[A-Za-z][A-Za-z\s-]*$/.test(t)), [], "English option text");
    assert.ok(choices.includes("全国") && choices.includes("広域") && choices.includes("地域"));
    // Every control is a touch target of 44 × 44 px or more on a phone.
    assert.deepEqual(await smallTargets(page, "#apply-form"), []);
    // The location is chosen by tapping the map, and can be left empty again.
    const map = page.locator("#apply-map");
    assert.ok(await map.isVisible(), "a map to choose the place on");
    await map.scrollIntoViewIfNeeded();
    await map.click({ position: { x: 200, y: 120 } });
    assert.match(await page.locator("#location-status").textContent(), /選んだ位置：北緯 [\d.]+、東経 [\d.]+/);
    await page.getByRole("button", { name: "選んだ位置を消す" }).click();
    assert.match(await page.locator("#location-status").textContent(), /位置は選ばれていません/);
    await map.click({ position: { x: 200, y: 120 } });
    // A valid entry gives the file, named from the name, and plain steps for what to do with it.
    await page.fill("#f-title", "まちのおちゃっこサロン");
    await page.selectOption("#f-kind", "住民主体の活動団体");
    await form.locator(".checks label", { hasText: "見守り" }).click();
    await page.selectOption("#f-prefecture", "高知県");
    await page.selectOption("#f-scale", { label: "地域" });
    await page.getByRole("button", { name: "掲載用ファイルを作る" }).click();
    const output = page.locator("#apply-output");
    assert.ok(await output.isVisible());
    const md = await page.locator("#apply-markdown").inputValue();
    assert.match(md, /^title: "まちのおちゃっこサロン"$/m);
    assert.match(md, /^scale: "local"$/m, "the file keeps the coded value");
    assert.match(md, /^location: \{lat: [\d.]+, lon: [\d.]+\}$/m, "the place tapped on the map");
    const file = await page.locator("#apply-download").getAttribute("download");
    assert.match(file, /^[a-z0-9-]+\.md$/, "named from the name (kana romanised, as an import names it)");
    assert.equal(await page.locator("#apply-file-name").textContent(), file, "the steps name the file");
    const steps = await output.locator("ol li").allTextContents();
    assert.ok(steps.length >= 3 && /ダウンロード/.test(steps[0]) && /送/.test(steps[1]) && /掲載/.test(steps[2]), steps.join(" / "));
    assert.deepEqual(await smallTargets(page, "#apply-output"), []);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

for (const mode of ["server", "file"]) {
  test(`search on a 390×844 phone shows the first result on the first screen, filters folded under 「絞り込み」 (${mode})`, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    const { page, problems } = await open(context, modes[mode]("search/index.html?q=" + encodeURIComponent("買い物")));
    await page.waitForSelector("#search-results li");
    const first = page.locator("#search-results li").first().locator("h2 a");
    const box = await first.boundingBox();
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    assert.ok(box && box.y >= 0 && box.y + box.height <= 844, `the first result's title is at ${box?.y}–${box && box.y + box.height} px`);
    const filters = page.locator("#search-filters");
    assert.equal(await filters.evaluate((d) => d.open), false, "filters are folded");
    const summary = filters.locator("summary");
    assert.equal((await summary.textContent()).trim(), "絞り込み");
    assert.ok((await summary.boundingBox()).height >= 44, "the fold is a 44 px target");
    // Unfolded, a filter narrows the results, and the fold then names it.
    await summary.click();
    const option = page.locator("fieldset", { hasText: "種類" }).locator("label", { hasText: "取り組み事例" });
    const expected = Number((await option.textContent()).match(/（(\d+)）/)[1]);
    await option.click();
    await page.waitForFunction((n) => document.querySelector("#search-status").textContent.includes(`：${n}件`), expected);
    assert.equal((await summary.textContent()).trim(), "絞り込み（取り組み事例）");
    assert.deepEqual(problems, []);
    await context.close();
    // On a wide screen the filters stand open beside the results.
    const wide = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const { page: desk } = await open(wide, modes[mode]("search/index.html?q=" + encodeURIComponent("買い物")));
    await desk.waitForSelector("#search-results li");
    assert.equal(await desk.locator("#search-filters").evaluate((d) => d.open), true);
    const [f, r] = [await desk.locator("#search-facets").boundingBox(), await desk.locator("#search-results").boundingBox()];
    assert.ok(f.x + f.width <= r.x, "filters to the left of the results");
    await wide.close();
  });
}

for (const mode of ["server", "file"]) {
  test(`the partners page shows how to use it and where to start before any choice (${mode})`, async () => {
    const context = await browser.newContext();
    const { page, problems } = await open(context, modes[mode]("partners/index.html"));
    const intro = page.locator("#partners-intro");
    assert.ok(await intro.isVisible(), "the how-to is shown before a choice");
    assert.ok((await intro.locator("ol li").count()) >= 3, "the steps");
    const examples = intro.locator(".partner-examples a");
    const n = await examples.count();
    assert.ok(n >= 2 && n <= 6, `${n} example links`);
    // An example opens the finder already filled in, with as many actors as it said.
    const item = await intro.locator(".partner-examples li").first().textContent();
    const said = Number(item.match(/主体 (\d+)件/)[1]);
    const domain = item.match(/(?:で)?(\S+?)に協力できる主体/)[1];
    await examples.first().click();
    await page.waitForSelector("#actor-results li");
    assert.equal(await page.locator("#p-domain").inputValue(), domain);
    assert.equal(await page.locator("#actor-results li").count(), said, `${domain}: as many actors as the example said`);
    assert.ok(await intro.isHidden(), "the how-to makes way for the results");
    assert.deepEqual(problems, []);
    await context.close();
  });
}

for (const mode of ["server", "file"]) {
  test(`with the network blocked the map draws the outline of the 47 prefectures (${mode})`, async () => {
    const context = await browser.newContext();
    // Only the site's own files load; the tile server (and anything else) is blocked.
    await context.route("**/*", (route) => {
      const url = route.request().url();
      return url.startsWith(modes[mode]("")) ? route.continue() : route.abort("internetdisconnected");
    });
    const { page, problems } = await open(context, modes[mode]("map/index.html"));
    await page.waitForFunction(() => document.querySelectorAll("#map path.map-prefecture").length > 0, null, { timeout: 10000 });
    const outline = await page.evaluate(() => ({
      prefectures: window.kyosoJapan.features.map((f) => f.properties.name),
      drawn: document.querySelectorAll("#map path.map-prefecture").length,
    }));
    assert.equal(outline.prefectures.length, 47);
    assert.ok(outline.prefectures.includes("北海道") && outline.prefectures.includes("沖縄県"), "named in Japanese");
    assert.equal(outline.drawn, 47, "one shape per prefecture");
    assert.ok(await page.locator("#map .leaflet-interactive").count() > 0, "the markers are on it");
    assert.match(await page.locator("#map-status").textContent(), /都道府県の境界/);
    // Zoomed in, the prefectures' names are shown.
    await page.locator("#map-list > li .show-on-map").first().click();
    await page.waitForFunction(() => document.querySelectorAll("#map .map-prefecture-name").length > 0);
    // The outline file loads from file:// too: a script, not a fetch of a local file.
    const { size } = await page.evaluate(async () => ({ size: document.querySelector('script[src$="vendor/japan/prefectures.js"]') ? 1 : 0 }));
    assert.equal(size, 1);
    assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
    await context.close();
  });
}

test("the bundled prefecture outline is at most 300 KB", () => {
  const bytes = readFileSync(join(pub, "vendor/japan/prefectures.js")).length;
  assert.ok(bytes <= 300 * 1024, `${bytes} bytes`);
});

const BOOKLETS = ["cases/booklet/index.html", "domains/" + encodeURIComponent("買い物") + "/booklet/index.html",
  "regions/" + encodeURIComponent("高知県") + "/booklet/index.html"];

for (const mode of ["server", "file"]) {
  test(`the 事例集 booklet lists every published case once, one per printed page, and is linked from the case list (${mode})`, async () => {
    const published = readdirSync(join(pub, "cases"), { withFileTypes: true })
      .filter((e) => e.isDirectory() && !["booklet", "page"].includes(e.name)).map((e) => e.name).sort();
    assert.ok(published.length > 5, `${published.length} cases`);
    const context = await browser.newContext();
    const { page, problems } = await open(context, modes[mode](PAGES.cases));
    await page.locator("main").getByRole("link", { name: "取り組み事例集（印刷用）" }).click();
    await page.waitForLoadState("load");
    assert.match(page.url(), /\/cases\/booklet\/index\.html$/);
    const linked = (await page.locator(".booklet-case a.booklet-page").evaluateAll((as) => as.map((a) => a.href)))
      .map((h) => h.match(/\/cases\/([^/]+)\/index\.html$/)[1]);
    assert.deepEqual([...linked].sort(), published, "every published case, each once");
    assert.equal(await page.locator(".booklet-toc li").count(), published.length, "the contents list them all");
    assert.ok((await page.locator(".booklet-cover").textContent()).includes(await page.evaluate(() => document.querySelector(".site-title").textContent)), "the cover names the site");
    assert.match(await page.locator(".booklet-date").textContent(), /\d{4}年\d{1,2}月\d{1,2}日 作成/);
    assert.ok(await page.locator(".booklet-case table.booklet-fields").count() === published.length, "each case's fields as a table");
    // In print: navigation hidden, the cover and contents on their own pages, each case from a new page.
    await page.emulateMedia({ media: "print" });
    const print = await page.evaluate(() => ({
      cases: [...document.querySelectorAll(".booklet-case")].map((e) => getComputedStyle(e).breakBefore),
      cover: getComputedStyle(document.querySelector(".booklet-cover")).breakAfter,
      toc: getComputedStyle(document.querySelector(".booklet-toc")).breakAfter,
      howto: getComputedStyle(document.querySelector(".booklet-howto")).display,
      header: getComputedStyle(document.querySelector(".site-header")).display,
    }));
    assert.deepEqual(new Set(print.cases), new Set(["page"]));
    assert.equal(print.cover, "page");
    assert.equal(print.toc, "page");
    assert.equal(print.howto, "none", "the how-to-print note is not printed");
    assert.equal(print.header, "none");
    // The 分野 and prefecture pages link theirs.
    for (const [from, name] of [[PAGES.domain, "この分野の事例集（印刷用）"], ["regions/" + encodeURIComponent("高知県") + "/index.html", "高知県の事例集（印刷用）"]]) {
      await page.emulateMedia({ media: "screen" });
      await page.goto(modes[mode](from));
      await page.getByRole("link", { name }).click();
      await page.waitForLoadState("load");
      assert.match(page.url(), /\/booklet\/index\.html$/);
      assert.ok(await page.locator(".booklet-case").count() > 0);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test("the booklets are printable to PDF by Chromium with one case per page at least", async () => {
  const context = await browser.newContext();
  const { page } = await open(context, modes.server(BOOKLETS[2]));
  const cases = await page.locator(".booklet-case").count();
  const pdf = await page.pdf({ format: "A4" });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= cases + 2, `${pages} pages for a cover, contents and ${cases} cases`);
  await context.close();
});

test("axe-core and the Nu HTML Checker find nothing on the new pages", async () => {
  const context = await browser.newContext();
  const found = [];
  const pages = [...BOOKLETS, "partners/index.html", PAGES.event, PAGES.apply];
  for (const rel of pages) {
    const { page } = await open(context, modes.server(rel));
    for (const v of await axe(page)) found.push(`${rel}: ${v}`);
    await page.close();
  }
  // The phone search with its filters folded, and the apply form with its result shown.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const { page: search } = await open(phone, modes.server("search/index.html?q=" + encodeURIComponent("買い物")));
  await search.waitForSelector("#search-results li");
  for (const v of await axe(search)) found.push(`search (phone): ${v}`);
  await phone.close();
  assert.deepEqual(found, []);
  assert.deepEqual(vnu(pages.map((rel) => join(pub, decodeURIComponent(rel)))), []);
  await context.close();
});
