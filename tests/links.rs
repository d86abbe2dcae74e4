//! Builds the bundled demo site and follows every internal `href` and `src` on disk, the
//! way a reader browsing from `file://` would: every target file must exist (directories
//! do not count: from disk they would show a folder listing, not `index.html`), and every
//! `#fragment` must name an id in the target page.

mod common;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// (attribute value, page) pairs for every href/src in the page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        for part in html.split(attr).skip(1) {
            if let Some(end) = part.find('"') {
                out.push(unescape(&part[..end]));
            }
        }
    }
    out
}

fn check_site(public: &Path) -> Vec<String> {
    let files = common::snapshot(public);
    let mut ids: HashMap<PathBuf, Vec<String>> = HashMap::new();
    let mut problems = Vec::new();
    let mut checked = 0;
    for (rel, bytes) in &files {
        if rel.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for link in links(&html) {
            if link.starts_with("http://") || link.starts_with("https://") || link.starts_with("mailto:") || link.starts_with("tel:") {
                continue;
            }
            checked += 1;
            let (path_part, fragment) = match link.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (link.as_str(), None),
            };
            let path_part = path_part.split('?').next().unwrap();
            let target = if path_part.is_empty() {
                rel.clone()
            } else {
                let decoded = kyoso::urls::decode(path_part);
                let joined = kyoso::urls::join(&rel.parent().unwrap().to_string_lossy(), &decoded);
                match kyoso::urls::normalize(&joined) {
                    Some(p) => PathBuf::from(p),
                    None => {
                        problems.push(format!("{}: {link} leaves the site", rel.display()));
                        continue;
                    }
                }
            };
            if rel.ends_with("404.html") && html.contains("<base href=") {
                continue; // resolved against base_url by the browser, not the file's folder
            }
            if !files.contains_key(&target) {
                problems.push(format!("{}: {link} → {} does not exist", rel.display(), target.display()));
                continue;
            }
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                let f = kyoso::urls::decode(f);
                let target_ids = ids.entry(target.clone()).or_insert_with(|| {
                    let t = String::from_utf8_lossy(&files[&target]).into_owned();
                    t.split(" id=\"").skip(1).map(|p| unescape(&p[..p.find('"').unwrap()])).collect()
                });
                if !target_ids.contains(&f) {
                    problems.push(format!("{}: {link} → no id \"{f}\" in {}", rel.display(), target.display()));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    problems
}

#[test]
fn demo_site_has_no_broken_internal_links() {
    let out = tempfile::tempdir().unwrap();
    let mut opts = common::options(Path::new(env!("CARGO_MANIFEST_DIR")));
    opts.output = Some(out.path().join("public"));
    let report = kyoso::pipeline::build(&opts).unwrap_or_else(|e| panic!("demo site must build: {e}"));
    let broken_md: Vec<String> = report.diagnostics.iter().filter(|d| d.message.contains("リンク先")).map(|d| d.to_string()).collect();
    assert!(broken_md.is_empty(), "{broken_md:#?}");
    let problems = check_site(&out.path().join("public"));
    assert!(problems.is_empty(), "{} broken links:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn fixture_site_has_no_broken_internal_links() {
    let dir = common::full_site();
    common::build(dir.path()).unwrap();
    let problems = check_site(&dir.path().join("public"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_notices_a_broken_link() {
    let dir = common::full_site();
    common::build(dir.path()).unwrap();
    std::fs::remove_file(dir.path().join("public/actors/shoten/index.html")).unwrap();
    let problems = check_site(&dir.path().join("public"));
    assert!(problems.iter().any(|p| p.contains("actors/shoten/index.html does not exist")), "{problems:?}");
}

#[test]
fn links_to_headings_and_footnotes_reach_the_ids_content_gets() {
    // Content ids are kept apart from the theme's (`user-content-…`): every way of linking
    // to one must be rewritten to match, on the page and on the one-page print view.
    let dir = common::full_site();
    common::write(dir.path(), "content/news/anchors.md", "---\ntitle: 見出しへのリンク\ndate: 2026-04-02\n---\n## 見出し {#mokuji}\n\n[上へ](#mokuji) [事例](../cases/kawagoe.md#経緯と目的) [住所で](/cases/kawagoe/index.html#経緯と目的) 注[^1]\n\n<a href=\"#mokuji\">生のリンク</a>\n\n[^1]: 脚注\n");
    common::write(dir.path(), "content/guides/start/b.md", "---\ntitle: 第二章の題\nweight: 2\n---\n## 役割分担\n\n[上へ](#役割分担) 注[^n]\n\n[^n]: 脚注\n");
    common::build(dir.path()).unwrap();
    let problems = check_site(&dir.path().join("public"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let page = common::read(dir.path(), "news/anchors/index.html");
    assert_eq!(page.matches("href=\"#user-content-mokuji\"").count(), 2, "{page}");
}
