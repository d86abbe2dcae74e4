// The municipal self-check in a real browser, from file:// and under a sub-directory: all
// lowest answers give ステップ1 and all highest ステップ3 with links to read next; the
// downloaded answers file imports with `kyoso import checklist` into a copy of the demo,
// whose next build has the municipality's profile and its line in the overviews.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { repo, open, axe, vnu, startSite, kyosoBin, buildDemo } from "./harness.mjs";

const PAGE = "checklist/index.html";
const enc = (s) => encodeURIComponent(s);
let pub, browser, modes, stop;

before(async () => {
  ({ pub, browser, modes, stop } = await startSite());
});

after(async () => {
  await stop?.();
});

/** Chooses the first (lowest) or last (highest) option of every question. */
async function answerAll(page, which) {
  const names = await page.locator("fieldset.checklist-question").evaluateAll((fs) => fs.map((f) => f.dataset.question));
  assert.ok(names.length >= 8, "at least eight questions");
  for (const name of names) {
    const radios = page.locator(`input[type=radio][name="${name}"]`);
    await (which === "lowest" ? radios.first() : radios.last()).check();
  }
  return names;
}

for (const mode of ["server", "file"]) {
  test(`lowest answers suggest ステップ1, highest ステップ3, with links to read (${mode})`, async () => {
    const context = await browser.newContext();
    const { page, problems } = await open(context, modes[mode](PAGE));
    await answerAll(page, "lowest");
    const result = page.locator("#checklist-result-body");
    assert.match(await result.textContent(), /目安は ステップ1 生活支援の体制を整える です/);
    // Why: the step-1 questions not yet done are named.
    assert.ok(await result.locator("li", { hasText: "第1層の生活支援コーディネーター" }).count() >= 1);
    const links = await result.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.ok(links.some((h) => h.includes("guides/platform-kouchiku/")), `guide chapters linked: ${links}`);
    assert.ok(links.some((h) => h.includes("bansou/index.html")), "the 伴走支援 page is linked");
    // Each linked page exists.
    for (const h of links.filter((h) => !h.startsWith("#"))) assert.ok(existsSync(join(pub, "checklist", decodeURIComponent(h))), h);

    await answerAll(page, "highest");
    assert.match(await result.textContent(), /目安は ステップ3 取り組みを続け、広げる です/);
    assert.deepEqual(await axe(page), [], "axe finds nothing with the result shown");
    // Answers stay in this browser: a reload keeps them.
    await page.reload();
    assert.match(await result.textContent(), /ステップ3/);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test("the overview table sorts by step; the page prints without its buttons", async () => {
  const context = await browser.newContext();
  const { page } = await open(context, modes.file(PAGE));
  const table = page.locator("#overview-heading ~ .table-scroll table");
  const steps = () => table.locator("tbody td[data-sort]").evaluateAll((tds) => tds.map((t) => t.dataset.sort));
  await table.getByRole("button", { name: "ステップ" }).click();
  assert.deepEqual(await steps(), [...(await steps())].sort());
  await table.getByRole("button", { name: "ステップ" }).click();
  assert.deepEqual(await steps(), [...(await steps())].sort().reverse());
  await page.emulateMedia({ media: "print" });
  await answerAll(page, "lowest");
  assert.equal(await page.locator("#checklist-download").isVisible(), false);
  await context.close();
});

test("the downloaded answers import; the next build has the profile and the overview line", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const { page } = await open(context, modes.file(PAGE));
  await page.getByLabel("都道府県", { exact: true }).selectOption("高知県");
  await page.getByLabel("市区町村", { exact: true }).fill("大月町");
  await answerAll(page, "highest");
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#checklist-download").click()]);
  const work = mkdtempSync(join(tmpdir(), "kyoso-checklist-"));
  const file = join(work, download.suggestedFilename());
  await download.saveAs(file);
  const csv = readFileSync(file, "utf8");
  assert.match(csv, /^\ufeff"形式","都道府県","市区町村"/);
  assert.match(csv, /"kyoso-checklist-1","高知県","大月町"/);
  await context.close();

  // A copy of the demo site imports it and builds.
  const site = join(work, "site");
  for (const part of ["kyoso.toml", "content", "data"]) cpSync(join(repo, part), join(site, part), { recursive: true });
  const out = execFileSync(kyosoBin(), ["import", "checklist", file, "--root", site], { encoding: "utf8" });
  assert.match(out, /新規: data\/checklist\/高知県\/大月町\.csv/);
  const again = execFileSync(kyosoBin(), ["import", "checklist", file, "--root", site], { encoding: "utf8" });
  assert.match(again, /変更なし: data\/checklist\/高知県\/大月町\.csv/);
  const built = buildDemo(null, site);
  const profile = join(built, "regions", "高知県", "大月町", "index.html");
  assert.ok(existsSync(profile), "the municipality has a profile without any case");
  assert.match(readFileSync(profile, "utf8"), /ステップ3<\/span> 取り組みを続け、広げる/);
  const overview = readFileSync(join(built, "regions", "高知県", "index.html"), "utf8");
  assert.ok(overview.includes(`${enc("大月町")}/index.html">大月町</a></th><td data-sort="3">`), "the prefecture overview lists it");
  assert.match(readFileSync(join(built, "data", "checklist.csv"), "utf8"), /高知県,大月町,3,/);
  // The pages are valid HTML.
  assert.deepEqual(vnu([join(built, PAGE), profile, join(built, "regions", "高知県", "index.html")]), []);
});

for (const mode of ["server", "file"]) {
  test(`the overviews map answered municipalities by step, offline, with a text legend (${mode})`, async () => {
    const context = await browser.newContext();
    // Only the site's own files load: the map must work on the bundled outline alone.
    await context.route("**/*", (route) => (route.request().url().startsWith(modes[mode]("")) ? route.continue() : route.abort("internetdisconnected")));
    for (const rel of [PAGE, `regions/${enc("高知県")}/index.html`]) {
      const { page, problems } = await open(context, modes[mode](rel));
      const map = page.locator(".checklist-map");
      await page.waitForFunction(() => document.querySelectorAll(".checklist-map path.map-prefecture").length === 47, null, { timeout: 10000 });
      // One marker per placed row of the table, its number the row's step.
      const rows = await page.locator(".checklist-overview tr[data-lat]").evaluateAll((trs) =>
        trs.map((tr) => ({ step: tr.dataset.step, name: tr.querySelector("a").textContent })).sort((a, b) => a.name.localeCompare(b.name)));
      assert.ok(rows.length >= 2 && new Set(rows.map((r) => r.step)).size >= 2, `${rel}: municipalities of several steps are placed: ${JSON.stringify(rows)}`);
      const markers = await map.locator(".step-marker").evaluateAll((ms) => ms.map((m) => {
        const title = m.closest(".leaflet-marker-icon").getAttribute("title");
        const style = getComputedStyle(m);
        return { step: m.textContent, name: title.split("：")[0], title, colour: style.backgroundColor, round: style.borderRadius, turned: style.transform };
      }).sort((a, b) => a.name.localeCompare(b.name)));
      assert.deepEqual(markers.map((m) => ({ step: m.step, name: m.name })), rows, `${rel}: markers match the table`);
      for (const m of markers) assert.match(m.title, new RegExp(`ステップ${m.step}`), "each marker's name says its step in words");
      // Not colour alone: steps differ in shape as well as colour.
      const byStep = Object.fromEntries(markers.map((m) => [m.step, m]));
      const [a, b] = Object.values(byStep);
      assert.notEqual(a.colour, b.colour);
      assert.notEqual(`${a.round}|${a.turned}`, `${b.round}|${b.turned}`, "another shape for another step");
      // The legend says every step in words, with the same marker.
      const legend = await page.locator(".checklist-legend li").allTextContents();
      assert.deepEqual(legend.map((t) => t.trim().match(/^(\d) ステップ(\d)/).slice(1)), [["1", "1"], ["2", "2"], ["3", "3"]]);
      // The demo's 仁淀川町 has no actor with a position: it is listed beside the map.
      assert.match(await page.locator(".checklist-unplaced").textContent(), /仁淀川町：ステップ\d/);
      assert.match(await page.locator(".checklist-map-block .map-status").textContent(), /都道府県の境界/);
      // A marker opens the municipality's profile.
      await map.locator(".leaflet-marker-icon").first().click();
      const href = await map.locator(".leaflet-popup-content a").getAttribute("href");
      assert.match(decodeURIComponent(href), /regions\/[^/]+\/[^/]+\/index\.html$/);
      // Leaflet fades a popup in: axe judges its text's contrast once it is fully shown.
      await page.waitForFunction(() => getComputedStyle(document.querySelector(".leaflet-popup")).opacity === "1");
      assert.deepEqual(await axe(page), [], `${rel}: axe finds nothing with the map drawn`);
      assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p)), []);
    }
    await context.close();
  });
}
