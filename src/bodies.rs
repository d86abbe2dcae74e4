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

/// Every document's Markdown as HTML and plain text (in parallel), links resolved. With a
/// cache, a body whose text, address and the site's set of addresses are unchanged is
/// taken from it instead of being rendered again; the cache is then replaced by this
/// build's bodies.
pub fn render_bodies(site: &Site, cache: Option<&mut BodyCache>) -> Vec<Body> {
    render_all(site, cache, None)
}

/// [`render_bodies`] for a build: the Markdown is taken out of the documents (`sources`,
/// in document order) and each source is freed on the core that rendered it, right
/// after: that memory is then reused for the next documents' HTML instead of fresh pages
/// being faulted in (the sources are 50 MB at 10,000 documents).
pub fn render_bodies_taking(site: &Site, sources: Vec<std::sync::Arc<String>>) -> Vec<Body> {
    render_all(site, None, Some(sources))
}

fn render_all(site: &Site, cache: Option<&mut BodyCache>, sources: Option<Vec<std::sync::Arc<String>>>) -> Vec<Body> {
    let source_of = |d: &Doc| d.source.strip_prefix("content").unwrap_or(&d.source).to_string_lossy().replace('\\', "/");
    // Only needed for documents rendered again: after an edit in `serve`, one.
    let pages: OnceLock<HashMap<String, String>> = OnceLock::new();
    let pages = || pages.get_or_init(|| site.docs.iter().map(|d| (source_of(d), d.url.clone())).collect());
    // Only with a cache: a fingerprint of every address, serial, for nothing otherwise.
    let addresses = cache.is_some().then(|| fingerprint(&site.docs.iter().map(|d| (&d.source, &d.url)).collect::<Vec<_>>()));
    let key = |d: &Doc| fingerprint(&(d.stamp.body, &d.url, addresses));
    let old = cache.as_deref();
    let mut sources: Vec<Option<std::sync::Arc<String>>> = sources.map_or_else(Vec::new, |v| v.into_iter().map(Some).collect());
    sources.resize(site.docs.len(), None);
    let bodies: Vec<Body> = site
        .docs
        .par_iter()
        .zip(sources)
        .map(|(d, taken)| {
            if let Some((k, b)) = old.and_then(|c| c.get(&d.source)) {
                if *k == key(d) {
                    return b.clone();
                }
            }
            let source = source_of(d);
            let source_dir = source.rsplit_once('/').map(|(dir, _)| dir).unwrap_or("");
            let markdown = taken.as_deref().unwrap_or(&d.body);
            std::sync::Arc::new(markdown::render(markdown, &LinkContext { source_dir, page_url: &d.url, pages: pages() }))
        })
        .collect();
    if let Some(cache) = cache {
        *cache = site.docs.iter().zip(&bodies).map(|(d, b)| (d.source.clone(), (key(d), b.clone()))).collect();
    }
    bodies
}
