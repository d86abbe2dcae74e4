// The editor of `kyoso serve` (/_edit/) driven as a person would: by labels and button
// names, on a copy of the demo site that is a git repository. Every editor page is
// checked with axe-core and the Nu HTML Checker, at 1280 and 768 px.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { kyosoBin, launch, axe, vnu, repo, screenshotDir } from "./harness.mjs";

let site, server, address, origin, browser;
const pagesToValidate = [];

const git = (...args) => execFileSync("git", ["-C", site, ...args], { encoding: "utf8" });

before(async () => {
  site = mkdtempSync(join(tmpdir(), "kyoso-edit-"));
  cpSync(join(repo, "kyoso.toml"), join(site, "kyoso.toml"));
  cpSync(join(repo, "content"), join(site, "content"), { recursive: true });
  git("init", "-q");
  git("config", "user.name", "テスト担当");
  git("config", "user.email", "tester@example.jp");
  git("add", "-A");
  git("commit", "-q", "-m", "デモサイト");
  server = spawn(kyosoBin(), ["serve", "--port", "0", "--root", site], { stdio: ["ignore", "pipe", "ignore"] });
  const lines = createInterface({ input: server.stdout });
  address = await new Promise((ok, fail) => {
    lines.on("line", (l) => { if (l.startsWith("編集画面: ")) ok(l.slice("編集画面: ".length)); });
    server.on("exit", () => fail(new Error("kyoso serve ended")));
  });
  origin = new URL(address).origin;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

/** A browser that opened the editor's address once (it now has the cookie). */
async function editorPage(width) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  // A refused 保存 answers 422 (the form again, with the problems): Chromium logs it.
  // axe-core adds inline styles while it runs, which the editor's policy refuses (as it
  // should): those reports are axe's, not the editor's.
  page.on("console", (m) => { if (m.type() === "error" && !/status of 422/.test(m.text()) && !page.axeRunning) problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(address);
  assert.equal(new URL(page.url()).search, "", "the token leaves the address bar");
  return { page, problems, close: () => context.close() };
}

/** axe, no horizontal scrolling, and the HTML kept for the Nu checker. */
async function checkPage(page, name) {
  page.axeRunning = true;
  const violations = await axe(page);
  page.axeRunning = false;
  assert.deepEqual(violations, [], `${name}: axe`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${name}: scrolls sideways by ${overflow}px`);
  const file = join(site, `..`, `${name}-${Date.now()}.html`);
  writeFileSync(file, await page.content());
  pagesToValidate.push(file);
  await page.screenshot({ path: join(screenshotDir(), `edit-${name}.png`), fullPage: false });
}

const checkErrorsOf = (rel) => {
  let out;
  try {
    out = execFileSync(kyosoBin(), ["check", "--root", site, "--format", "json"], { encoding: "utf8" });
  } catch (e) {
    out = e.stdout;
  }
  return JSON.parse(out).filter((d) => d.path === rel && d.severity === "error");
};

test("a case is created, checked beside its fields, saved and published with git", async () => {
  const { page, problems, close } = await editorPage(1280);
  await checkPage(page, "list");
  await page.getByRole("link", { name: "新規作成（取り組み事例）" }).click();
  await page.getByLabel("題名").fill("ブラウザから作った買い物支援の事例");
  await page.getByLabel("都道府県").selectOption("高知県");
  await page.getByRole("textbox", { name: "本文", exact: true }).fill("## 経緯と目的\n\n商店の配達から始まりました。");
  await page.getByRole("button", { name: "保存", exact: true }).click();

  const domains = page.getByRole("group", { name: /^分野/ });
  await assert.doesNotReject(domains.getByText("分野を1つ以上選んでください").waitFor());
  await checkPage(page, "new-case-errors");
  assert.equal(await page.getByLabel("題名").inputValue(), "ブラウザから作った買い物支援の事例", "the input is kept");

  await domains.getByLabel("買い物", { exact: true }).check();
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "保存しました" }).waitFor();
  const rel = new URL(page.url()).searchParams.get("path");
  assert.match(rel, /^content\/cases\/[a-z0-9-]+\.md$/);
  const text = readFileSync(join(site, rel), "utf8");
  assert.match(text, /^---\ntitle: ブラウザから作った買い物支援の事例\nprefecture: 高知県\ndomains: \[買い物\]\n/);
  assert.deepEqual(checkErrorsOf(rel), [], "kyoso check finds no error in the new file");
  await checkPage(page, "saved-case");

  await page.getByRole("navigation", { name: "編集メニュー" }).getByRole("link", { name: "公開" }).click();
  assert.equal(await page.getByLabel("変更の説明").inputValue(), "事例を追加: ブラウザから作った買い物支援の事例");
  await page.getByText(rel).waitFor();
  await checkPage(page, "publish");
  await page.getByRole("button", { name: "公開する" }).click();
  await page.getByRole("status").filter({ hasText: "公開しました" }).waitFor();
  assert.equal(git("log", "-1", "--format=%s|%an"), "事例を追加: ブラウザから作った買い物支援の事例|テスト担当\n");
  assert.deepEqual(git("show", "--name-only", "--format=", "HEAD").trim().split("\n"), [rel]);
  assert.equal(git("status", "--porcelain"), "", "everything saved is committed");
  assert.deepEqual(problems, []);
  await close();
});

// A one-pixel PNG, as a file a person would choose.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

test("an actor is created with a place clicked on the map and a dropped picture, published, and fixed", async () => {
  const { page, problems, close } = await editorPage(1280);
  await page.getByRole("link", { name: "新規作成（多様な主体）" }).click();
  await page.getByLabel("題名").fill("NPO法人 まちの灯り");
  await page.getByLabel("種別").selectOption("NPO法人");
  await page.getByRole("group", { name: /^分野/ }).getByLabel("見守り", { exact: true }).check();
  await page.getByLabel("都道府県").selectOption("高知県");

  // The place: a click on the (offline) map writes 緯度 and 経度.
  const map = page.getByRole("region", { name: "位置を選ぶ地図" });
  // The outline of the 47 prefectures, drawn without any network.
  await page.waitForFunction(() => document.querySelectorAll("#location-map path.map-prefecture").length >= 47);
  const status = page.locator("#location-status");
  assert.match(await status.textContent(), /位置は選ばれていません/);
  await map.click({ position: { x: 330, y: 170 } });
  const lat = Number(await page.getByLabel("緯度").inputValue()), lon = Number(await page.getByLabel("経度").inputValue());
  assert.ok(lat > 30 && lat < 42 && lon > 130 && lon < 145, `${lat}, ${lon}`);
  assert.match(await status.textContent(), new RegExp(`選んだ位置：北緯 ${lat}、東経 ${lon}`));

  // A picture dropped on the box, first without its description.
  const images = page.getByRole("group", { name: "画像を入れる" });
  const body = page.getByRole("textbox", { name: "本文", exact: true });
  await body.fill("## 活動\n\n夜の見守りをしています。\n\n## 連絡先\n\n事務所まで。");
  await body.evaluate((el) => { const at = el.value.indexOf("## 連絡先"); el.setSelectionRange(at, at); });
  const dropped = await page.evaluateHandle((b64) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], "Yoru Mimamori.PNG", { type: "image/png" }));
    return dt;
  }, PNG.toString("base64"));
  await page.locator("#image-drop").dispatchEvent("drop", { dataTransfer: dropped });
  await images.getByRole("button", { name: "画像を入れる" }).click();
  await images.getByText("画像の説明を入力してください").waitFor();
  assert.equal(await page.getByLabel("画像の説明").getAttribute("aria-invalid"), "true");
  await checkPage(page, "new-actor-image-error");
  await page.getByLabel("画像の説明").fill("夜の商店街を歩く見守りの人たち");
  await images.getByRole("button", { name: "画像を入れる" }).click();
  await images.getByText("本文に入れました").waitFor();
  assert.equal(await body.inputValue(), "## 活動\n\n夜の見守りをしています。\n\n![夜の商店街を歩く見守りの人たち](images/yoru-mimamori.png)\n\n## 連絡先\n\n事務所まで。");
  const shown = page.getByRole("region", { name: "プレビュー" }).getByRole("img", { name: "夜の商店街を歩く見守りの人たち" });
  await shown.waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll("#preview img")].every((i) => i.complete && i.naturalWidth > 0));
  assert.deepEqual(readFileSync(join(site, "content/actors/images/yoru-mimamori.png")), PNG);
  await checkPage(page, "new-actor");

  await page.getByLabel("ファイル名").fill("machi-akari");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "保存しました" }).waitFor();
  const rel = "content/actors/machi-akari.md";
  const text = readFileSync(join(site, rel), "utf8");
  assert.match(text, new RegExp(`\nlocation: \\{lat: ${lat}, lon: ${lon}\\}\n`));
  assert.match(text, /\n!\[夜の商店街を歩く見守りの人たち\]\(images\/yoru-mimamori\.png\)\n/);
  assert.deepEqual(checkErrorsOf(rel), [], "kyoso check finds no error in the new actor");

  await page.getByRole("navigation", { name: "編集メニュー" }).getByRole("link", { name: "公開" }).click();
  assert.equal(await page.getByLabel("変更の説明").inputValue(), "主体を追加: NPO法人 まちの灯り");
  await page.getByRole("button", { name: "公開する" }).click();
  await page.getByRole("status").filter({ hasText: "公開しました" }).waitFor();
  assert.deepEqual(git("show", "--name-only", "--format=", "HEAD").trim().split("\n").sort(), ["content/actors/images/yoru-mimamori.png", rel]);

  // Fixed by typing the numbers (the keyboard's way): the marker follows, only that line changes.
  await page.goto(`${origin}/_edit/doc?path=${encodeURIComponent(rel)}`);
  await checkPage(page, "edit-actor");
  await page.getByLabel("緯度").fill("33.55900");
  await page.getByLabel("経度").fill("133.53100");
  await page.getByLabel("経度").press("Tab");
  assert.match(await status.textContent(), /選んだ位置：北緯 33.559、東経 133.531/);
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "保存しました" }).waitFor();
  assert.equal(readFileSync(join(site, rel), "utf8"), text.replace(/\nlocation: .*\n/, "\nlocation: {lat: 33.559, lon: 133.531}\n"));
  await page.getByRole("navigation", { name: "編集メニュー" }).getByRole("link", { name: "公開" }).click();
  assert.equal(await page.getByLabel("変更の説明").inputValue(), "主体を更新: NPO法人 まちの灯り");
  await page.getByRole("button", { name: "公開する" }).click();
  await page.getByRole("status").filter({ hasText: "公開しました" }).waitFor();
  assert.equal(git("status", "--porcelain"), "");
  assert.deepEqual(checkErrorsOf(rel), []);
  assert.deepEqual(problems, []);
  await close();
});

test("a picture is chosen with the keyboard alone at 768 px", async () => {
  const { page, problems, close } = await editorPage(768);
  await page.goto(`${origin}/_edit/doc?path=${encodeURIComponent("content/cases/kochi-noriai-taxi.md")}`);
  const body = page.getByRole("textbox", { name: "本文", exact: true });
  await body.focus();
  await page.keyboard.press("Control+End");
  // A normal file control: Tab reaches it, and a file chosen there is used.
  const chooser = page.getByLabel("画像ファイル");
  await chooser.setInputFiles({ name: "写真.png", mimeType: "image/png", buffer: PNG });
  await page.getByLabel("画像の説明").fill("乗合タクシーの車内");
  await page.getByLabel("画像の説明").press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "画像を入れる");
  await page.keyboard.press("Enter");
  await page.getByRole("group", { name: "画像を入れる" }).getByText("本文に入れました").waitFor();
  assert.match(await body.inputValue(), /\n\n!\[乗合タクシーの車内\]\(images\/image\.png\)\n$/);
  await checkPage(page, "edit-case-image-768");
  // An SVG is refused beside the file control; nothing is stored.
  await chooser.setInputFiles({ name: "zu.svg", mimeType: "image/svg+xml", buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') });
  await page.getByLabel("画像の説明").fill("図");
  await page.getByRole("button", { name: "画像を入れる" }).click();
  await page.locator("#e-image").getByText("SVG 画像は").waitFor();
  assert.ok(!existsSync(join(site, "content/cases/images/zu.svg")));
  assert.deepEqual(problems.filter((p) => !/status of 422/.test(p)), []);
  await close();
});

test("an existing case is edited with a live preview, published, and restored", async () => {
  const { page, problems, close } = await editorPage(768);
  const rel = "content/cases/kochi-noriai-taxi.md";
  const before = readFileSync(join(site, rel), "utf8");
  await page.getByLabel("題名・ファイル名で探す").fill("乗合タクシー");
  await page.getByRole("button", { name: "絞り込む" }).click();
  await page.getByRole("link", { name: /乗合タクシー/ }).first().click();
  assert.equal(new URL(page.url()).searchParams.get("path"), rel);
  await checkPage(page, "edit-case-768");

  const body = page.getByRole("textbox", { name: "本文", exact: true });
  await body.fill((await body.inputValue()) + "\n\n## 利用者の声\n\n通院が楽になりました。\n");
  const preview = page.getByRole("region", { name: "プレビュー" });
  await preview.getByRole("heading", { name: "利用者の声" }).waitFor();
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "保存しました" }).waitFor();
  const edited = readFileSync(join(site, rel), "utf8");
  assert.equal(edited, before + "\n\n## 利用者の声\n\n通院が楽になりました。\n", "only the body grew");

  await page.getByRole("navigation", { name: "編集メニュー" }).getByRole("link", { name: "公開" }).click();
  assert.match(await page.getByLabel("変更の説明").inputValue(), /^事例を更新: /);
  await page.getByRole("button", { name: "公開する" }).click();
  await page.getByRole("status").filter({ hasText: "公開しました" }).waitFor();

  await page.goto(`${origin}/_edit/doc?path=${encodeURIComponent(rel)}`);
  const history = page.getByRole("region", { name: "履歴" });
  const older = history.getByRole("listitem").filter({ hasText: "デモサイト" });
  await older.getByRole("button", { name: "この版に戻す" }).click();
  await page.getByRole("status").filter({ hasText: "の版に戻して保存しました" }).waitFor();
  assert.equal(readFileSync(join(site, rel), "utf8"), before, "the earlier version is back");
  assert.equal(await page.getByRole("region", { name: "プレビュー" }).getByRole("heading", { name: "利用者の声" }).count(), 0);
  assert.deepEqual(problems, []);
  await close();
});

test("a chapter is added to a guide from the list", async () => {
  const { page, problems, close } = await editorPage(1280);
  await page.getByLabel("章を加えるガイドブック").selectOption({ label: "生活支援共創プラットフォーム構築の手引き" });
  await page.getByRole("button", { name: "新規作成（ガイドブックの章）" }).click();
  await page.getByRole("heading", { name: "ガイドブックの章を新規作成（生活支援共創プラットフォーム構築の手引き）" }).waitFor();
  await checkPage(page, "new-chapter");
  await page.getByLabel("ファイル名").fill("07-tsuzukeru");
  await page.getByLabel("題名").fill("続けるための振り返り");
  await page.getByLabel("並び順").fill("7");
  await page.getByRole("textbox", { name: "本文", exact: true }).fill("## 振り返りの進め方\n\n年に一度、協議体で振り返ります。");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "保存しました" }).waitFor();
  const rel = "content/guides/platform-kouchiku/07-tsuzukeru.md";
  assert.equal(new URL(page.url()).searchParams.get("path"), rel);
  assert.deepEqual(checkErrorsOf(rel), [], "kyoso check finds no error in the new chapter");
  assert.deepEqual(problems, []);
  await close();
});

test("an apply-form file opens as a draft actor", async () => {
  const { page, close } = await editorPage(1280);
  await page.getByRole("link", { name: "申し込みの取り込み" }).click();
  await checkPage(page, "intake");
  const application = "---\ntitle: \"NPO法人 たすけあい四万十\"\nkind: NPO法人\ndomains: [買い物, 見守り]\nprefecture: 高知県\n---\n買い物の付き添いをしています。\n";
  await page.getByLabel("申し込みの内容").fill(application);
  await page.getByRole("button", { name: "下書きとして開く" }).click();
  assert.equal(await page.getByLabel("題名").inputValue(), "NPO法人 たすけあい四万十");
  assert.ok(await page.getByRole("radio", { name: "下書き" }).isChecked());
  assert.equal(await page.getByLabel("種別").inputValue(), "NPO法人");
  await page.getByLabel("ファイル名").fill("tasukeai-shimanto");
  await page.getByRole("button", { name: "保存", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "保存しました" }).waitFor();
  const saved = readFileSync(join(site, "content/actors/tasukeai-shimanto.md"), "utf8");
  assert.match(saved, /\ndraft: true\n/);
  assert.match(saved, /買い物の付き添いをしています。/);
  await close();
});

test("a browser without the token cannot open the editor or write", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const r = await page.goto(`${origin}/_edit/`);
  assert.equal(r.status(), 403);
  await page.getByRole("heading", { name: "編集画面を開けません" }).waitFor();
  const status = await page.evaluate(async () => (await fetch("/_edit/save", { method: "POST", body: new URLSearchParams({ _collection: "case", title: "x" }) })).status);
  assert.equal(status, 403);
  assert.ok(!existsSync(join(site, "content/cases/x.md")));
  await context.close();
});

test("the editor's pages are valid HTML", () => {
  assert.ok(pagesToValidate.length >= 5, `${pagesToValidate.length} pages`);
  assert.deepEqual(vnu(pagesToValidate), []);
});
