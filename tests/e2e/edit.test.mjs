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
  page.on("console", (m) => { if (m.type() === "error" && !/status of 422/.test(m.text())) problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(address);
  assert.equal(new URL(page.url()).search, "", "the token leaves the address bar");
  return { page, problems, close: () => context.close() };
}

/** axe, no horizontal scrolling, and the HTML kept for the Nu checker. */
async function checkPage(page, name) {
  assert.deepEqual(await axe(page), [], `${name}: axe`);
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
