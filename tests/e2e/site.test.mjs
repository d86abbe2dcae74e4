// The built demo site in a real browser (Chromium), served under a sub-directory and
// opened from file://: every page type loads cleanly, navigation and search work, and
// axe-core and the Nu HTML Checker find nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { serve, PAGES, open, axe, vnu, screenshotDir, startSite } from "./harness.mjs";

let pub, browser, modes, stop;

before(async () => {
  ({ pub, browser, modes, stop } = await startSite());
});

after(async () => {
  await stop?.();
});

for (const mode of ["server", "file"]) {
  test(`every page type loads without console errors or failed requests (${mode})`, async () => {
    const context = await browser.newContext();
    for (const [name, rel] of Object.entries(PAGES)) {
      if (mode === "file" && name === "notfound") continue; // a 404 page is a server feature
      const { page, problems } = await open(context, modes[mode](rel));
      assert.deepEqual(problems, [], `${name} (${rel})`);
      const h1 = await page.locator("h1").first().textContent();
      assert.ok(h1 && h1.trim().length > 0, `${name} has a heading`);
      const css = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
      assert.match(css, /Noto Sans JP|Hiragino/, `${name}: the stylesheet loaded`);
      await page.close();
    }
    await context.close();
  });

  test(`navigation and breadcrumbs reach the expected pages (${mode})`, async () => {
    const context = await browser.newContext();
    const { page } = await open(context, modes[mode]("index.html"));
    await page.getByRole("navigation", { name: "メインメニュー" }).getByRole("link", { name: "取り組み事例" }).click();
    assert.match(page.url(), /\/cases\/index\.html$/);
    await page.locator(".cards .card-title a").first().click();
    assert.match(page.url(), /\/cases\/[a-z0-9-]+\/index\.html$/);
    await page.getByRole("navigation", { name: "現在位置" }).getByRole("link", { name: "取り組み事例" }).click();
    assert.match(page.url(), /\/cases\/index\.html$/);
    await page.getByRole("navigation", { name: "メインメニュー" }).getByRole("link", { name: "分野から探す" }).click();
    await page.getByRole("link", { name: "見守り", exact: true }).click();
    assert.match(decodeURIComponent(page.url()), /\/domains\/見守り\/index\.html$/);
    await page.getByRole("navigation", { name: "メインメニュー" }).getByRole("link", { name: "地域から探す" }).click();
    await page.getByRole("link", { name: "高知県" }).first().click();
    assert.match(decodeURIComponent(page.url()), /\/regions\/高知県\/index\.html$/);
    await page.getByRole("navigation", { name: "現在位置" }).getByRole("link", { name: "ホーム" }).click();
    assert.match(page.url(), /\/index\.html$/);
    // Guide chapters: next chapter link and the ← → keys.
    await page.goto(modes[mode](PAGES.chapter));
    const title = await page.locator("h1").textContent();
    await page.keyboard.press("ArrowRight");
    await page.waitForLoadState("load");
    assert.notEqual(await page.locator("h1").textContent(), title);
    await context.close();
  });

  test(`search finds variants, facets narrow, results open the page (${mode})`, async () => {
    const context = await browser.newContext();
    const { page, problems } = await open(context, modes[mode]("index.html"));
    // The header search box leads to the search page.
    await page.getByRole("searchbox", { name: "サイト内検索" }).fill("買物");
    await page.getByRole("search").getByRole("button", { name: "検索" }).click();
    await page.waitForSelector("#search-results li");
    const status = await page.locator("#search-status").textContent();
    assert.match(status, /「買物」の検索結果：(\d+)件（「買い物」としても検索しました）/);
    const total = Number(status.match(/：(\d+)件/)[1]);
    const titles = await page.locator("#search-results h2").allTextContents();
    assert.ok(titles.some((t) => t.includes("買い物")), "買物 finds pages written 買い物");
    // A facet narrows the results, and its count is what it gives.
    const option = page.locator("fieldset", { hasText: "種類" }).locator("label", { hasText: "取り組み事例" });
    const expected = Number((await option.textContent()).match(/（(\d+)）/)[1]);
    await option.click();
    await page.waitForFunction((n) => document.querySelector("#search-status").textContent.includes(`：${n}件`), expected);
    assert.ok(expected < total);
    assert.match(page.url(), mode === "server" ? /collection=case/ : /./);
    const prefecture = page.locator("fieldset", { hasText: "都道府県" }).locator("label", { hasText: "高知県" });
    const kochi = Number((await prefecture.textContent()).match(/（(\d+)）/)[1]);
    await prefecture.click();
    await page.waitForFunction((n) => document.querySelector("#search-status").textContent.includes(`：${n}件`), kochi);
    // A result opens its page.
    const first = page.locator("#search-results h2 a").first();
    const name = await first.textContent();
    await first.click();
    await page.waitForLoadState("load");
    assert.equal((await page.locator("h1").textContent()).trim(), name.trim());
    assert.deepEqual(problems.filter((p) => !p.includes("favicon")), []);
    await context.close();
  });
}

test("a word typed in kana finds and marks the words it is the reading of", async () => {
  const context = await browser.newContext();
  const { page, problems } = await open(context, modes.file("search/index.html?q=" + encodeURIComponent("かいもの")));
  await page.waitForSelector("#search-results li");
  assert.match(await page.locator("#search-status").textContent(), /「かいもの」の検索結果：\d+件（「買い物」としても検索しました）/);
  const marks = await page.locator("#search-results mark").allTextContents();
  assert.ok(marks.includes("買い物"), `snippets mark 買い物: ${marks}`);
  assert.deepEqual(problems.filter((p) => !p.includes("favicon")), []);
  await context.close();
});

test("search state is in the URL and nothing found is explained", async () => {
  const context = await browser.newContext();
  const { page } = await open(context, modes.server("search/index.html?q=" + encodeURIComponent("見守り") + "&domain=" + encodeURIComponent("移動")));
  await page.waitForSelector("#search-results li");
  assert.ok(await page.locator('input[name="domain"][value="移動"]').isChecked());
  await page.goto(modes.server("search/index.html?q=zzzzqqqq"));
  await page.waitForFunction(() => document.querySelector("#search-status").textContent.includes("見つかりませんでした"));
  assert.equal(await page.locator("#search-status").getAttribute("role"), "status");
  // Without JavaScript the page says what to do instead.
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await noJs.newPage();
  await p2.goto(modes.server("search/index.html"));
  assert.ok(await p2.getByText("キーワード検索には JavaScript が必要です").isVisible());
  await noJs.close();
  await context.close();
});

test("map, partner finder and get-listed form work (offline tiles)", async () => {
  const context = await browser.newContext();
  // Map: tiles fail here, as offline; the list and a note remain, filters work.
  const { page } = await open(context, modes.file("map/index.html"));
  await page.waitForFunction(() => document.querySelector("#map-status").textContent.length > 0);
  const all = await page.locator("#map-list > li").count();
  await page.selectOption("#f-domain", "買い物");
  const shown = await page.locator("#map-list > li:not([hidden])").count();
  assert.ok(shown > 0 && shown < all, `${shown} of ${all}`);
  assert.equal(await page.locator("#map-count").textContent(), String(shown));
  assert.ok(await page.locator(".leaflet-interactive").count() > 0, "markers drawn");
  await page.locator("#map-list > li:not([hidden]) .show-on-map").first().click();
  assert.ok(await page.locator(".leaflet-popup-content a").isVisible());
  // Region page → 買い物 partners → an actor: two clicks.
  await page.goto(modes.file(PAGES.region));
  await page.getByRole("link", { name: "四万十町で買い物に取り組む主体" }).click();
  await page.waitForSelector("#actor-results li");
  assert.match(await page.locator("#partners-status").textContent(), /四万十町で買い物に協力できる主体 \d+件、事例 \d+件/);
  assert.match(await page.locator("#actor-results .why").first().textContent(), /四万十町/);
  await page.locator("#actor-results a").first().click();
  assert.match(page.url(), /\/actors\/[a-z0-9-]+\/index\.html$/);
  // Get-listed form: errors are listed and linked; a valid entry gives a file that builds.
  await page.goto(modes.file("apply/index.html"));
  await page.getByRole("button", { name: "掲載用ファイルを作る" }).click();
  assert.ok(await page.locator("#apply-errors").isVisible());
  assert.ok((await page.locator("#apply-errors li").count()) >= 4);
  await page.fill("#f-title", "サンプル商店");
  await page.selectOption("#f-kind", "民間企業");
  await page.locator('input[name="domains"][value="買い物"]').check();
  await page.selectOption("#f-prefecture", "埼玉県");
  await page.fill("#f-municipalities", "川越市、狭山市");
  await page.getByText("緯度・経度を数字で入れる").click();
  await page.fill("#f-lat", "35.92");
  await page.fill("#f-lon", "139.48");
  await page.fill("#f-website", "https://example.jp/shoten");
  await page.getByRole("button", { name: "掲載用ファイルを作る" }).click();
  const md = await page.locator("#apply-markdown").inputValue();
  assert.match(md, /title: "サンプル商店"/);
  assert.match(md, /domains: \["買い物"\]/);
  assert.match(md, /municipalities: \["川越市", "狭山市"\]/);
  assert.match(md, /location: \{lat: 35.92, lon: 139.48\}/);
  // Named from the name as an import names a row (kanji: the form's source and a hash).
  assert.match(await page.locator("#apply-download").getAttribute("download"), /^apply-[0-9a-f]{8}\.md$/);
  await context.close();
  return md;
});

test("axe-core finds no WCAG 2.1 A/AA violations on any page type", async () => {
  const context = await browser.newContext();
  const found = [];
  for (const [name, rel] of Object.entries(PAGES)) {
    const { page } = await open(context, modes.server(rel));
    if (name === "search") await page.waitForSelector("#search-results li");
    for (const v of await axe(page)) found.push(`${name}: ${v}`);
    await page.close();
  }
  assert.deepEqual(found, []);
  await context.close();
});

test("the Nu HTML Checker finds no errors on any page type", () => {
  const files = Object.values(PAGES).map((rel) => join(pub, decodeURIComponent(rel.split("?")[0])));
  files.push(join(pub, "guides/platform-kouchiku/print/index.html"), join(pub, "links/index.html"), join(pub, "regions/index.html"), join(pub, "domains/index.html"));
  assert.deepEqual(vnu(files), []);
});

test("layout: 375px wide without sideways scrolling, 200% text, reduced motion, print", async () => {
  const mobile = await browser.newContext({ viewport: { width: 375, height: 800 } });
  for (const [name, rel] of Object.entries(PAGES)) {
    const { page } = await open(mobile, modes.server(rel));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px at 375px`);
    await page.close();
  }
  await mobile.close();
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: "reduce" });
  for (const [name, rel] of Object.entries(PAGES)) {
    const { page } = await open(desktop, modes.server(rel));
    await page.evaluate(() => { document.documentElement.style.fontSize = "200%"; });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px with 200% text`);
    const motion = await page.evaluate(() => [...document.querySelectorAll("a, button, main")].every((e) => {
      const s = getComputedStyle(e);
      return parseFloat(s.transitionDuration) === 0 && parseFloat(s.animationDuration) === 0;
    }));
    assert.ok(motion, `${name}: nothing moves with prefers-reduced-motion`);
    await page.emulateMedia({ media: "print" });
    const hidden = await page.evaluate(() => ["header", ".breadcrumbs", "footer"].every((s) => {
      const e = document.querySelector(s);
      return !e || getComputedStyle(e).display === "none";
    }));
    assert.ok(hidden, `${name}: print hides navigation`);
    await page.close();
  }
  await desktop.close();
});

test("screenshots of every page type (desktop and mobile)", async () => {
  const dir = screenshotDir();
  for (const [label, viewport] of [["desktop", { width: 1280, height: 900 }], ["mobile", { width: 375, height: 800 }]]) {
    const context = await browser.newContext({ viewport });
    for (const [name, rel] of Object.entries(PAGES)) {
      const { page } = await open(context, modes.server(rel));
      if (name === "search") await page.waitForSelector("#search-results li");
      await page.screenshot({ path: join(dir, `${name}-${label}.png`), fullPage: true });
      await page.close();
    }
    await context.close();
  }
});

test("the harness catches a broken page (self-test)", async () => {
  // A copy of the site with one page broken in three ways.
  const broken = join(mkdtempSync(join(tmpdir(), "kyoso-broken-")), "public");
  cpSync(pub, broken, { recursive: true });
  const file = join(broken, "cases/index.html");
  let html = readFileSync(file, "utf8");
  html = html.replace('href="../css/kyoso.css"', 'href="/css/kyoso.css"') // root-absolute: breaks in a sub-directory
    .replace("<main", '<img src="../css/kyoso.css"><main'); // no alt; HTML error (img inside body before main is fine, alt missing is an error)
  writeFileSync(file, html);
  const srv = await serve(broken);
  try {
    const context = await browser.newContext();
    const { page, problems } = await open(context, srv.base + "cases/index.html");
    assert.ok(problems.some((p) => p.includes("/css/kyoso.css")), `failed request noticed: ${problems}`);
    assert.ok((await axe(page)).some((v) => v.startsWith("image-alt")), "axe notices the missing alt");
    await context.close();
  } finally {
    srv.server.close();
  }
  assert.ok(vnu([file]).some((e) => /alt/.test(e)), "the validator notices the missing alt");
});
