//! Stage 3½: every document's Markdown as safe HTML and plain text, rendered once and
//! shared by the pages, the search index, `kyoso check` and the cache `serve` keeps.

use crate::markdown::{self, LinkContext};
use crate::model::{fingerprint, Doc};
use crate::site::Site;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A document's rendered Markdown, shared between the pages, the search index and the
/// cache `serve` keeps.
pub type Body = std::sync::Arc<markdown::Rendered>;

/// Bodies rendered by an earlier build, by source file, with the fingerprint of what they
/// were rendered from.
pub type BodyCache = HashMap<std::path::PathBuf, (u64, Body)>;

/// Renders documents' Markdown one at a time, in any order and on any core: what a build
/// uses to render each body as the search index reads it (see `pipeline::build`).
pub struct Maker<'s> {
    site: &'s Site,
    /// Content-relative `.md` path → output path, made by the first body rendered (in
    /// `serve`, after an edit, often the only one).
    pages: OnceLock<HashMap<String, String>>,
}

impl<'s> Maker<'s> {
    pub fn new(site: &'s Site) -> Self {
        Maker { site, pages: OnceLock::new() }
    }

    /// Document `i`'s body from `markdown` (its source, taken out of the document).
    pub fn render(&self, i: usize, markdown: &str) -> markdown::Rendered {
        let d = &self.site.docs[i];
        let source = source_of(d);
        let source_dir = source.rsplit_once('/').map(|(dir, _)| dir).unwrap_or("");
        let pages = self.pages.get_or_init(|| self.site.docs.iter().map(|d| (source_of(d), d.url.clone())).collect());
        markdown::render(markdown, &LinkContext { source_dir, page_url: &d.url, pages })
    }
}

/// A document's source file relative to `content/`, as Markdown links name it.
fn source_of(d: &Doc) -> String {
    d.source.strip_prefix("content").unwrap_or(&d.source).to_string_lossy().replace('\\', "/")
}

/// Every document's Markdown as HTML and plain text (in parallel), links resolved. With a
/// cache, a body whose text, address and the site's set of addresses are unchanged is
/// taken from it instead of being rendered again; the cache is then replaced by this
/// build's bodies.
pub fn render_bodies(site: &Site, cache: Option<&mut BodyCache>) -> Vec<Body> {
    let maker = Maker::new(site);
    // Only with a cache: a fingerprint of every address, serial, for nothing otherwise.
    let addresses = cache.is_some().then(|| fingerprint(&site.docs.iter().map(|d| (&d.source, &d.url)).collect::<Vec<_>>()));
    let key = |d: &Doc| fingerprint(&(d.stamp.body, &d.url, addresses));
    let old = cache.as_deref();
    let bodies: Vec<Body> = site
        .docs
        .par_iter()
        .enumerate()
        .map(|(i, d)| {
            if let Some((k, b)) = old.and_then(|c| c.get(&d.source)) {
                if *k == key(d) {
                    return b.clone();
                }
            }
            std::sync::Arc::new(maker.render(i, &d.body))
        })
        .collect();
    if let Some(cache) = cache {
        *cache = site.docs.iter().zip(&bodies).map(|(d, b)| (d.source.clone(), (key(d), b.clone()))).collect();
    }
    bodies
}

/// Takes every body's HTML out, for a build that hands each out to the pages that print
/// it (see `handout.rs`). The bodies must be this build's own, shared with nothing.
pub fn take_html(bodies: &mut [Body]) -> crate::handout::Handout {
    let html = bodies.iter_mut().map(|b| std::mem::take(&mut std::sync::Arc::get_mut(b).expect("a build's bodies are its own").html)).collect();
    crate::handout::Handout::new(html, 0)
}
