//! Fingerprints of what each page shows, so that `serve` renders again only the pages
//! an edit changed (`tests/incremental.rs` checks this agrees with a full build).

use super::plan::{Page, Plan};
use super::Renderer;
use crate::model::{fingerprint, Meta};
use crate::schema::Collection;
use serde_json::Value;

impl Renderer<'_> {
    /// A fingerprint of everything a page shows: two builds give a page the same
    /// fingerprint only if it would come out the same. `global` covers what every page
    /// shows (configuration, theme, menus, the build date). `serve` renders only the
    /// pages whose fingerprint changed; `tests/incremental.rs` checks that this agrees
    /// with a full build.
    pub fn fingerprint(&self, page: &Page, global: u64) -> u64 {
        use std::hash::{Hash, Hasher};
        let site = self.site;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (global, &page.path).hash(&mut h);
        let shown = |h: &mut std::collections::hash_map::DefaultHasher, items: &[usize]| {
            items.len().hash(h);
            for &i in items {
                self.stamps[i].0.hash(h);
            }
        };
        let of = |c: Collection| site.of(c).map(|(i, _)| i).collect::<Vec<_>>();
        match &page.plan {
            Plan::Home | Plan::DomainIndex | Plan::RegionIndex => {
                for s in &self.stamps {
                    s.0.hash(&mut h);
                }
            }
            Plan::Doc(i) => {
                self.stamps[*i].1.hash(&mut h);
                shown(&mut h, &self.doc_deps(*i));
            }
            Plan::GuidePrint(i) => {
                self.stamps[*i].1.hash(&mut h);
                for c in site.chapters(&site.docs[*i].slug) {
                    self.stamps[c].1.hash(&mut h);
                }
            }
            Plan::List { collection, items, page, pages } => {
                (page, pages, self.count(*collection)).hash(&mut h);
                self.list_filters.get(collection).map(|f| f.iter().map(Value::to_string).collect::<String>()).hash(&mut h);
                shown(&mut h, items);
            }
            Plan::Events => shown(&mut h, &of(Collection::Event)),
            Plan::Policies => shown(&mut h, &of(Collection::Policy)),
            Plan::Guides => {
                shown(&mut h, &of(Collection::Guide));
                shown(&mut h, &of(Collection::Chapter));
            }
            Plan::Domain { name, items } | Plan::Kind { name, items } | Plan::Relation { value: name, items } => {
                name.hash(&mut h);
                shown(&mut h, items);
            }
            Plan::Region { prefecture, municipality, items, children } => {
                (prefecture, municipality, children).hash(&mut h);
                shown(&mut h, items);
                if site.readiness.is_some() {
                    // A profile suggests cases and events.
                    shown(&mut h, &of(Collection::Case));
                    shown(&mut h, &of(Collection::Event));
                }
                shown(&mut h, &self.wide_actors(prefecture, municipality.as_deref()));
            }
            Plan::Sub(sub) => {
                let super::plan::SubList { folder, heading, crumbs, collection, total, items, page, pages } = sub;
                (folder, heading, crumbs, collection, total, page, pages).hash(&mut h);
                shown(&mut h, items);
            }
            Plan::Map => shown(&mut h, &of(Collection::Actor)),
            // The checklist and the answers are in the global stamp; the page also shows
            // the suggested cases, events and documents.
            Plan::Checklist => {
                for c in [Collection::Case, Collection::Event, Collection::Guide, Collection::Chapter, Collection::Page] {
                    shown(&mut h, &of(c));
                }
            }
            Plan::Booklet { scope, items, volume } => {
                // Whole cases, and the actors they name; the list of volumes.
                (scope, volume).hash(&mut h);
                for &i in items {
                    self.stamps[i].1.hash(&mut h);
                }
                shown(&mut h, &items.iter().flat_map(|&i| self.doc_deps(i)).collect::<Vec<_>>());
            }
            Plan::Partners => {
                shown(&mut h, &of(Collection::Actor));
                shown(&mut h, &of(Collection::Case));
            }
            Plan::Alias { target } => self.stamps[*target].0.hash(&mut h),
            Plan::Links | Plan::Search | Plan::Apply | Plan::OpenData | Plan::NotFound => {}
        }
        h.finish()
    }

    /// What the whole site shows on every page, as one fingerprint (with the theme's).
    pub fn global_stamp(&self) -> u64 {
        let site = self.site;
        let pages: Vec<u64> = site.of(Collection::Page).map(|(i, _)| self.stamps[i].0).collect();
        let counts: Vec<usize> = Collection::ALL.iter().map(|&c| self.count(c)).collect();
        fingerprint(&(
            format!("{:?}", site.config),
            format!("{:?}", site.links),
            &site.home_intro,
            site.today,
            &site.domains,
            // Region pages show the self-check's answers, and the regions index the
            // municipalities that answered.
            &site.readiness,
            // The regions index and the open-data page show the sources' self-check counts.
            &site.source_steps,
            pages,
            counts,
            self.theme.stamp,
        ))
    }

    /// Documents whose cards a document's own page shows.
    fn doc_deps(&self, i: usize) -> Vec<usize> {
        let site = self.site;
        let d = &site.docs[i];
        match &d.meta {
            Meta::Case(c) => {
                let mut v: Vec<usize> = c.actors.iter().filter_map(|a| site.index_of(Collection::Actor, a)).collect();
                v.extend(self.related(i));
                v
            }
            Meta::Actor(_) => site.cases_of_actor(&d.slug).to_vec(),
            Meta::Guide(_) => site.chapters(&d.slug),
            Meta::Plain {} if d.collection == Collection::Chapter => {
                let guide = d.guide.as_deref().unwrap_or("");
                let mut v = site.chapters(guide);
                v.extend(site.index_of(Collection::Guide, guide));
                v
            }
            _ => Vec::new(),
        }
    }
}
