//! Which files under `content/` besides Markdown are published. Two rules keep contributed
//! files from harming readers or leaking what is not public yet:
//!
//! - a file a browser would open as a page that runs script (HTML, XHTML, XML, JavaScript)
//!   is never published ([`is_active`]); an SVG is published cleaned (`svg.rs`);
//! - a file that only unpublished documents use (drafts, `publish_date` still to come,
//!   chapters of an unpublished guide) is not published until one of them is
//!   ([`withhold_unpublished`]): a draft's photo must not be on the site before the draft.

use crate::model::Doc;
use pulldown_cmark::{Event, Parser, Tag};
use rustc_hash::FxHashSet;
use std::path::PathBuf;

/// Extensions of files a browser runs as a document in the site's origin (by the type
/// a web server gives them), never copied from `content/`.
const ACTIVE: [&str; 14] = ["html", "htm", "shtml", "xhtml", "xht", "xml", "xsl", "xslt", "js", "mjs", "cjs", "svgz", "rss", "atom"];

/// A file under `content/` that could run script as a page of the site.
pub fn is_active(path: &std::path::Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| ACTIVE.iter().any(|a| a.eq_ignore_ascii_case(e)))
}

/// `assets` (paths relative to `content/`) without the ones that documents not shown
/// (`shown` false) use and shown documents do not. Cheap when no unpublished document
/// uses a file (the usual case): shown documents are read only for the names of files
/// an unpublished one uses.
pub fn withhold_unpublished(mut assets: Vec<PathBuf>, docs: &[Doc], shown: &dyn Fn(&Doc) -> bool) -> Vec<PathBuf> {
    let used: Vec<String> = docs.iter().filter(|d| !shown(d)).flat_map(references).collect();
    if used.is_empty() {
        return assets;
    }
    let files: FxHashSet<String> = assets.iter().map(|a| slash(a)).collect();
    let mut withheld: FxHashSet<String> = used.into_iter().filter(|r| files.contains(r)).collect();
    if withheld.is_empty() {
        return assets;
    }
    let names: Vec<String> = withheld.iter().map(|w| w.rsplit('/').next().unwrap_or(w).to_string()).collect();
    for d in docs.iter().filter(|d| shown(d)) {
        let mentions = names.iter().any(|n| {
            memchr::memmem::find(d.body.as_bytes(), n.as_bytes()).is_some() || d.common.images.iter().any(|i| i.src.contains(n.as_str()))
        });
        if mentions {
            for r in references(d) {
                withheld.remove(&r);
            }
        }
    }
    assets.retain(|a| !withheld.contains(&slash(a)));
    assets
}

fn slash(p: &std::path::Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Files (relative to `content/`) a document links to or shows: Markdown links and
/// images, `src` and `href` in its raw HTML, and its front matter `images`.
fn references(d: &Doc) -> Vec<String> {
    let source = slash(d.source.strip_prefix(crate::model::CONTENT_DIR).unwrap_or(&d.source));
    let dir = source.rsplit_once('/').map_or("", |(dir, _)| dir);
    let target = |dest: &str| crate::markdown::local_target(dest, dir).and_then(|t| t.target);
    let mut out: Vec<String> = d.common.images.iter().filter_map(|i| target(&i.src)).collect();
    for event in Parser::new_ext(&d.body, crate::markdown::options()) {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => out.extend(target(&dest_url)),
            Event::Html(html) | Event::InlineHtml(html) => out.extend(html_urls(&html).filter_map(target)),
            _ => {}
        }
    }
    out
}

/// The values of `src="…"` and `href="…"` (either quote) in a piece of HTML.
fn html_urls(html: &str) -> impl Iterator<Item = &str> {
    let lower = html.to_ascii_lowercase();
    let mut values = Vec::new();
    for attr in ["src=", "href="] {
        for (i, _) in lower.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else { continue };
            if let Some(end) = rest[1..].find(quote) {
                values.push(&rest[1..1 + end]);
            }
        }
    }
    values.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(source: &str, body: &str, images: &[&str]) -> Doc {
        let images = images.iter().map(|s| crate::model::Image { src: s.to_string(), alt: String::new() }).collect();
        Doc {
            collection: crate::schema::Collection::Case,
            slug: String::new(),
            guide: None,
            source: source.into(),
            common: crate::model::Common { images, ..Default::default() },
            meta: crate::model::Meta::Case(Default::default()),
            body: std::sync::Arc::new(body.to_string()),
            body_first_line: 0,
            locator: crate::frontmatter::Locator::empty(),
            url: String::new(),
            external: None,
            stamp: Default::default(),
        }
    }

    #[test]
    fn files_only_unpublished_documents_use_are_withheld() {
        let docs = vec![
            doc("content/cases/draft.md", "![a](img/only-draft.png) [b](shared.pdf) <img src=\"raw-draft.jpg\">", &["front.png"]),
            doc("content/cases/open.md", "<a href='shared.pdf'>資料</a> ![c](img/open.png)", &[]),
        ];
        let assets: Vec<PathBuf> =
            ["cases/img/only-draft.png", "cases/shared.pdf", "cases/raw-draft.jpg", "cases/front.png", "cases/img/open.png", "cases/unused.pdf"]
                .iter()
                .map(PathBuf::from)
                .collect();
        let kept = withhold_unpublished(assets.clone(), &docs, &|d: &Doc| d.source.ends_with("open.md"));
        let kept: Vec<&str> = kept.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(kept, ["cases/shared.pdf", "cases/img/open.png", "cases/unused.pdf"]);
        // Published, the draft's files are too.
        assert_eq!(withhold_unpublished(assets.clone(), &docs, &|_: &Doc| true), assets);
    }

    #[test]
    fn pages_and_scripts_are_active_other_files_are_not() {
        for f in ["a.html", "b.HTM", "c.xhtml", "d.js", "e.xml", "f.svgz"] {
            assert!(is_active(std::path::Path::new(f)), "{f}");
        }
        for f in ["a.png", "b.pdf", "c.svg", "d.csv", "e.docx", "noext"] {
            assert!(!is_active(std::path::Path::new(f)), "{f}");
        }
    }
}
