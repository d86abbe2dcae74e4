// The demo site's Atom feed and sitemap against their official schemas:
//   feed.xml    — RFC 4287 Appendix B (RELAX NG compact), checked with Jing from vnu.jar;
//   sitemap.xml — sitemaps.org 0.9 sitemap.xsd, checked with the JDK's XSD validator.
// A self-test breaks a copy of each file on purpose and expects the validator to reject
// it, so a validator that silently accepts everything cannot make these tests pass.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { buildDemo, repo } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const SCHEMAS = join(repo, "tests", "schemas");
const ATOM_RNC = join(SCHEMAS, "atom.rnc");
const SITEMAP_XSD = join(SCHEMAS, "sitemap.xsd");
const VALIDATE = join(SCHEMAS, "Validate.java");
const VNU = join(here, "node_modules", "vnu-jar", "build", "dist", "vnu.jar");
// vnu.jar bundles Jing with its packages moved under nu.validator.vendor (the plain
// com.thaiopensource.relaxng.util.Driver is not in the jar).
const JING = "nu.validator.vendor.thaiopensource.relaxng.util.Driver";
// Validator messages quote element names; keep them readable whatever the locale.
const JAVA = ["-Dstdout.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8", "-Dsun.stderr.encoding=UTF-8"];
// Feeds and sitemaps need absolute addresses; kyoso writes them only when base_url is set.
const BASE = "https://www.example.org/pref/kyoso/";

let pub, scratch;

before(() => {
  pub = buildDemo(BASE);
  scratch = mkdtempSync(join(tmpdir(), "kyoso-feeds-"));
});

function run(args) {
  const r = spawnSync("java", [...JAVA, ...args], { encoding: "utf8" });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}`.trim() };
}

/** java -cp vnu.jar …Driver -c atom.rnc FILE */
const jing = (file) => run(["-cp", VNU, JING, "-c", ATOM_RNC, file]);
/** java tests/schemas/Validate.java sitemap.xsd FILE */
const xsd = (file) => run([VALIDATE, SITEMAP_XSD, file]);

const read = (name) => readFileSync(join(pub, name), "utf8");

/** A copy of `text` with the first `from` replaced, saved under the scratch folder. */
function broken(name, text, from, to) {
  const changed = text.replace(from, to);
  assert.notEqual(changed, text, `the self-test could not break ${name}: ${from} not found`);
  const file = join(scratch, name);
  writeFileSync(file, changed);
  return file;
}

const entries = (feed) => [...feed.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map((m) => m[1]);

test("feed.xml is valid Atom (RFC 4287 RELAX NG schema, Jing)", () => {
  assert.ok(entries(read("feed.xml")).length > 0, "the feed has entries");
  const r = jing(join(pub, "feed.xml"));
  assert.equal(r.status, 0, `Jing rejected feed.xml:\n${r.output}`);
});

test("feed.xml keeps the RFC's rules that Jing does not check", () => {
  // The RFC schema states two rules as Schematron annotations, which Jing ignores, and
  // requires atom:id to be an absolute IRI (the schema only says `text`).
  const feed = read("feed.xml");
  const head = feed.slice(0, feed.indexOf("<entry>"));
  const list = entries(feed);
  for (const e of list) {
    const title = e.match(/<title>([^<]*)/)?.[1];
    assert.ok(/<author>/.test(head) || /<author>/.test(e), `an atom:author for the entry or the feed (${title})`);
    assert.ok(/<link rel="alternate" href=|<link href=|<content[\s>]/.test(e), `a rel="alternate" link or atom:content (${title})`);
  }
  const ids = [...feed.matchAll(/<id>([^<]*)<\/id>/g)].map((m) => m[1]);
  assert.equal(ids.length, list.length + 1, "one atom:id for the feed and each entry");
  for (const id of ids) assert.ok(id.startsWith(BASE), `an absolute id under the base URL: ${id}`);
  assert.equal(new Set(ids).size, ids.length, "ids are unique");
});

test("sitemap.xml is valid against the sitemaps.org 0.9 schema", () => {
  const sitemap = read("sitemap.xml");
  const locs = [...sitemap.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);
  assert.ok(locs.length > 0, "the sitemap lists pages");
  for (const loc of locs) assert.ok(loc.startsWith(BASE), `an absolute address under the base URL: ${loc}`);
  const r = xsd(join(pub, "sitemap.xml"));
  assert.equal(r.status, 0, `sitemap.xml is invalid:\n${r.output}`);
});

// The self-test: each broken copy must be rejected, for the reason it was broken.
test("self-test: Jing rejects an Atom entry without atom:id", () => {
  const feed = read("feed.xml");
  const r = jing(broken("no-id.xml", feed, /(<entry>\s*<title>[^<]*<\/title>\s*)<id>[^<]*<\/id>/, "$1"));
  assert.notEqual(r.status, 0, `Jing accepted an entry without <id>:\n${r.output}`);
  assert.match(r.output, /entry.*missing required child element.*id/, r.output);
});

test("self-test: Jing rejects an atom:updated that is not a date-time", () => {
  const feed = read("feed.xml");
  const r = jing(broken("bad-updated.xml", feed, /(<entry>[\s\S]*?<updated>)[^<]*</, (_, start) => `${start}2026-11-23<`));
  assert.notEqual(r.status, 0, `Jing accepted <updated>2026-11-23</updated>:\n${r.output}`);
  assert.match(r.output, /updated/, r.output);
});

test("self-test: the XSD validator rejects a sitemap <url> without <loc>", () => {
  const sitemap = read("sitemap.xml");
  const r = xsd(broken("no-loc.xml", sitemap, /<url><loc>[^<]*<\/loc>(?=<lastmod>)/, "<url>"));
  assert.notEqual(r.status, 0, `the validator accepted a <url> without <loc>:\n${r.output}`);
  assert.match(r.output, /:loc\}' is expected/, r.output);
});

test("self-test: the XSD validator rejects an unknown <changefreq>", () => {
  const sitemap = read("sitemap.xml");
  const r = xsd(broken("bad-changefreq.xml", sitemap, /(<url><loc>[^<]*<\/loc>)/, "$1<changefreq>sometimes</changefreq>"));
  assert.notEqual(r.status, 0, `the validator accepted <changefreq>sometimes</changefreq>:\n${r.output}`);
  assert.match(r.output, /'sometimes' of element 'changefreq' is not valid/, r.output);
});
