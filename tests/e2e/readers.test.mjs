// What readers and applicants meet first (issue #24): an event's own calendar file, the
// plain apply form, search on a phone, the offline base map, the partners how-to and the
// 事例集 booklet, in a real browser under a sub-directory and from file://.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PAGES, open, startSite } from "./harness.mjs";

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
