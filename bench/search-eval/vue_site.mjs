// Turns the Vue.js Japanese documentation (bench/corpora/vue-docs-ja/src, CC BY 4.0) into a
// kyoso site: one page per Markdown file, named after its path (guide/essentials/list.md →
// content/pages/guide-essentials-list.md), titled by its first `# ` heading. The body is
// kept as written (VitePress containers, raw HTML and all): the point is real text.
// Usage: node vue_site.mjs <out dir>
import { readFileSync, writeFileSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const src = join(dirname(fileURLToPath(import.meta.url)), "..", "corpora", "vue-docs-ja", "src");
const out = process.argv[2];
if (!out) { console.error("usage: node vue_site.mjs <out dir>"); process.exit(2); }

function walk(d) {
  return readdirSync(d).flatMap((n) => { const p = join(d, n); return statSync(p).isDirectory() ? walk(p) : p.endsWith(".md") ? [p] : []; });
}

/** The page name: the path without `.md`, lower case, anything but [a-z0-9] as one hyphen. */
export function slug(path) {
  return relative(src, path).replace(/\.md$/, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

mkdirSync(join(out, "content", "pages"), { recursive: true });
writeFileSync(join(out, "kyoso.toml"), 'title = "Vue.js ドキュメント（検索の評価用）"\nbase_url = "https://example.jp/vue/"\nprefecture = "全国"\n');
const seen = new Set();
for (const file of walk(src).sort()) {
  let text = readFileSync(file, "utf8");
  let title = null;
  const fm = text.match(/^---\n([\s\S]*?)\n---\n/);
  if (fm) {
    const t = fm[1].match(/^title:\s*(.+)$/m);
    if (t) title = t[1].replace(/^['"]|['"]$/g, "");
    text = text.slice(fm[0].length);
  }
  const h = text.match(/^# (.+)$/m);
  if (h) {
    title = title || h[1].replace(/\s*\{#[^}]*\}\s*$/, "").trim();
    text = text.replace(h[0], "");
  }
  // `index` (the home page's file) is a name the site itself uses.
  const name = slug(file) === "index" ? "home" : slug(file);
  if (seen.has(name)) throw new Error("two files named " + name);
  seen.add(name);
  title = (title || name).replace(/"/g, "'");
  writeFileSync(join(out, "content", "pages", name + ".md"), `---\ntitle: "${title.replace(/\\/g, "\\\\")}"\n---\n${text}`);
}
console.log(`${seen.size} pages`);
