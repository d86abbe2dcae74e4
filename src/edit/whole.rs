//! The checks of `kyoso build` and `kyoso check` that need the other documents, run on
//! the one being saved: an actor of a case that is not in `content/actors/`, an address
//! another page already has, a link to a page or an image that is not there. Without
//! them a page saved here could pass in the form and then stop the next build (or
//! `kyoso check`) for a reason the person never saw.
//!
//! The site is read again on each 保存 (the editor keeps no copy that could be stale);
//! only problems of this document are returned.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Doc;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

pub fn check(root: &Path, doc: &Doc, domains: &[String], theme: &str) -> Vec<Diagnostic> {
    let loaded = crate::load::load(root, &|_| false);
    // As the build sees them: published documents (drafts take no part).
    let others: Vec<Doc> = loaded
        .docs
        .into_par_iter()
        .filter(|raw| raw.source != doc.source)
        .filter_map(|raw| crate::validate::check_doc(raw, domains).0)
        .filter(|d| !d.common.draft)
        .collect();
    // Last: of two documents with one address, the later one is reported.
    let all: Vec<&Doc> = others.iter().chain([doc]).collect();
    let mut diags = Diagnostics::default();
    crate::validate::check_site(&all, &mut diags);

    let below_content = |d: &Doc| d.source.strip_prefix("content").unwrap_or(&d.source).to_string_lossy().replace('\\', "/");
    let pages: HashMap<String, String> = all.iter().map(|d| (below_content(d), d.url.clone())).collect();
    let source = below_content(doc);
    let source_dir = source.rsplit_once('/').map_or("", |(dir, _)| dir);
    let body = crate::markdown::render(&doc.body, &crate::markdown::LinkContext { source_dir, page_url: &doc.url, pages: &pages });
    for b in &body.broken {
        diags.push(crate::check::broken_link(&doc.source, b));
    }
    let theme = crate::theme::Theme::load(root, theme).ok();
    for (target, _, written) in body.internal.iter().filter(|(t, _, _)| !t.ends_with(".html")) {
        diags.extend(crate::check::missing_file(root, theme.as_ref(), &doc.source, target, written));
    }
    diags.0.into_iter().filter(|d| d.path == doc.source).collect()
}
