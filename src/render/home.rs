//! The home page: latest cases, upcoming events, news, guides, and the ways to browse.

use super::{made, Made, RenderError, Renderer};
use crate::markdown::{self, LinkContext};
use crate::schema::Collection;
use crate::theme::values::vars;
use crate::urls::term_url;
use serde_json::{json, Value};
use std::collections::HashMap;

impl Renderer<'_> {
    pub(super) fn home(&self, path: &str) -> Result<Made, RenderError> {
        let site = self.site;
        let cases: Vec<usize> = site.of(Collection::Case).map(|(i, _)| i).collect();
        let mut by_date = cases.clone();
        by_date.sort_by(|&a, &b| site.docs[b].sort_date().cmp(site.docs[a].sort_date()));
        let (upcoming, _) = self.split_events();
        let intro = site.home_intro.as_deref().map(|md| {
            let pages = HashMap::new();
            markdown::render(md, &LinkContext { source_dir: "", page_url: "index.html", pages: &pages }).html
        });
        let domains: Vec<Value> = site
            .by_domain()
            .into_values()
            .map(|(name, items)| json!({"name": name, "url": term_url("domains", &name), "count": items.len()}))
            .collect();
        let regions: Vec<Value> = site
            .by_region()
            .into_iter()
            .map(|(p, items, _)| json!({"name": p, "url": term_url("regions", &p), "count": items.len()}))
            .collect();
        let news: Vec<usize> = site.of(Collection::News).map(|(i, _)| i).take(3).collect();
        let guides: Vec<usize> = site.of(Collection::Guide).map(|(i, _)| i).collect();
        made(
            "index.html",
            site.config.title.clone(),
            Vec::new(),
            vars!({
                "intro": intro,
                "latest_cases": self.card_list(path, &by_date.into_iter().take(6).collect::<Vec<_>>())?,
                "upcoming_events": self.card_list(path, &upcoming.into_iter().take(3).collect::<Vec<_>>())?,
                "news": self.card_list(path, &news)?,
                "guides": self.card_list(path, &guides)?,
                "domains": domains,
                "regions": regions,
                "counts": json!({
                    "cases": site.of(Collection::Case).count(),
                    "actors": site.of(Collection::Actor).count(),
                    "events": site.of(Collection::Event).count(),
                }),
            }),
        )
    }
}
