//! What pages a site has, decided before anything is rendered: a cheap list of (output
//! path, [`Plan`]) that the renderer then renders in parallel and `serve` compares
//! between builds.

use super::Renderer;
use crate::schema::Collection;
use crate::theme::labels::fill;
use crate::urls::{self, alias_path, page_url, term_url};
use crate::vocab;
use std::collections::HashMap;

/// What a page is, decided before any rendering.
pub(super) enum Plan {
    Home,
    Doc(usize),
    GuidePrint(usize),
    List { collection: Collection, items: Vec<usize>, page: usize, pages: usize },
    Events,
    Policies,
    Guides,
    DomainIndex,
    Domain { name: String, items: Vec<usize> },
    RegionIndex,
    Region { prefecture: String, municipality: Option<String>, items: Vec<usize>, children: Vec<(String, usize)> },
    Kind { name: String, items: Vec<usize> },
    Relation { value: String, items: Vec<usize> },
    Sub(SubList),
    Links,
    Search,
    Map,
    Partners,
    Apply,
    OpenData,
    /// The municipal self-check and its overview (when the site has a checklist).
    Checklist,
    Booklet { scope: Scope, items: Vec<usize>, volume: Volume },
    NotFound,
    Alias { target: usize },
}

/// Which volume of its booklet a page is.
#[derive(Hash, Clone, Copy)]
pub(super) struct Volume {
    /// 1 for the first.
    pub number: usize,
    pub count: usize,
    /// Cases in all the volumes.
    pub total: usize,
}

/// Which cases a booklet has.
#[derive(Hash, Clone)]
pub(super) enum Scope {
    All,
    Domain(String),
    Prefecture(String),
}

impl Scope {
    /// The (分野, prefecture) that `booklet::booklet_path` takes.
    pub(super) fn parts(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Scope::All => (None, None),
            Scope::Domain(d) => (Some(d), None),
            Scope::Prefecture(p) => (None, Some(p)),
        }
    }
}

/// One page of one collection of a term or region page that has more than a page of it.
#[derive(Hash)]
pub(super) struct SubList {
    pub folder: String,
    pub heading: String,
    pub crumbs: Vec<(String, String)>,
    pub collection: Collection,
    pub total: usize,
    pub items: Vec<usize>,
    pub page: usize,
    pub pages: usize,
}

/// One page to write: its output path and what goes on it.
pub struct Page {
    pub path: String,
    pub(super) plan: Plan,
}

impl Renderer<'_> {
    /// Every page of the site, planned (cheap: nothing is rendered).
    pub fn pages(&self) -> Vec<Page> {
        self.plan().into_iter().map(|(path, plan)| Page { path, plan }).collect()
    }

    /// Every page as (output path, plan): documents, their print pages and aliases, the
    /// lists, the discovery pages, each term and region, and the sub-lists of big terms.
    fn plan(&self) -> Vec<(String, Plan)> {
        let site = self.site;
        let mut plans = vec![("index.html".to_string(), Plan::Home), ("404.html".to_string(), Plan::NotFound)];
        for (i, d) in site.docs.iter().enumerate().filter(|(_, d)| d.external.is_none()) {
            plans.push((d.url.clone(), Plan::Doc(i)));
            if d.collection == Collection::Guide {
                plans.push((format!("guides/{}/print/index.html", d.slug), Plan::GuidePrint(i)));
            }
            for alias in &d.common.aliases {
                if let Some(path) = alias_path(alias) {
                    plans.push((path, Plan::Alias { target: i }));
                }
            }
        }
        for c in [Collection::Case, Collection::Actor, Collection::News] {
            let items: Vec<usize> = site.of(c).map(|(i, _)| i).collect();
            let per = site.config.paginate;
            let pages = items.len().div_ceil(per).max(1);
            for page in 1..=pages {
                let chunk = items.iter().skip((page - 1) * per).take(per).copied().collect();
                plans.push((page_url(c.folder(), page), Plan::List { collection: c, items: chunk, page, pages }));
            }
        }
        plans.push(("search/index.html".into(), Plan::Search));
        plans.push(("map/index.html".into(), Plan::Map));
        plans.push(("partners/index.html".into(), Plan::Partners));
        plans.push(("apply/index.html".into(), Plan::Apply));
        plans.push(("opendata/index.html".into(), Plan::OpenData));
        if site.readiness.is_some() {
            plans.push((super::checklist::CHECKLIST_PAGE.into(), Plan::Checklist));
        }
        plans.extend(self.booklet_plans());
        plans.push(("events/index.html".into(), Plan::Events));
        plans.push(("policies/index.html".into(), Plan::Policies));
        plans.push(("guides/index.html".into(), Plan::Guides));
        plans.push(("domains/index.html".into(), Plan::DomainIndex));
        for (_, (name, items)) in site.by_domain() {
            plans.push((format!("domains/{name}/index.html"), Plan::Domain { name, items }));
        }
        plans.push(("regions/index.html".into(), Plan::RegionIndex));
        for (pref, items, munis) in site.by_region() {
            let children: Vec<(String, usize)> = munis.iter().map(|(m, v)| (m.clone(), v.len())).collect();
            for (m, v) in munis {
                plans.push((
                    format!("regions/{pref}/{m}/index.html"),
                    Plan::Region { prefecture: pref.clone(), municipality: Some(m), items: v, children: Vec::new() },
                ));
            }
            plans.push((format!("regions/{pref}/index.html"), Plan::Region { prefecture: pref, municipality: None, items, children }));
        }
        let mut kinds: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut relations: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, d) in site.docs.iter().enumerate() {
            if let Some(a) = d.actor() {
                kinds.entry(&a.kind).or_default().push(i);
            }
            if let Some(r) = d.case().and_then(|c| c.business_relation.as_deref()) {
                relations.entry(r).or_default().push(i);
            }
        }
        for (k, items) in kinds {
            plans.push((format!("kinds/{k}/index.html"), Plan::Kind { name: k.to_string(), items }));
        }
        for (r, items) in relations {
            plans.push((format!("relations/{r}/index.html"), Plan::Relation { value: r.to_string(), items }));
        }
        if !site.links.is_empty() {
            plans.push(("links/index.html".into(), Plan::Links));
        }
        let sub_lists: Vec<(String, Plan)> = plans
            .iter()
            .filter_map(|(path, plan)| {
                let TermPage { title, name, mut crumbs, items } = self.term_page(plan)?;
                crumbs.push((name, urls::encode_path(path)));
                Some(self.sub_lists(path.trim_end_matches("/index.html"), &title, crumbs, items))
            })
            .flatten()
            .collect();
        plans.extend(sub_lists);
        plans
    }

    /// Paginated lists of each collection of a term or region page that has more than
    /// a page of it: `base/cases/index.html`, `base/cases/page/2/index.html` …
    fn sub_lists(&self, base: &str, title: &str, crumbs: Vec<(String, String)>, items: &[usize]) -> Vec<(String, Plan)> {
        let per = self.site.config.paginate;
        let mut plans = Vec::new();
        for c in SECTIONS {
            let of: Vec<usize> = self.of_collection(items, c).collect();
            if of.len() <= per {
                continue;
            }
            let folder = format!("{base}/{}", c.folder());
            let pages = of.len().div_ceil(per);
            for (n, chunk) in of.chunks(per).enumerate() {
                plans.push((
                    page_url(&folder, n + 1),
                    Plan::Sub(SubList {
                        folder: folder.clone(),
                        heading: fill(&self.labels().phrases.sub_list, &[("title", title), ("collection", self.labels().collection(c))]),
                        crumbs: crumbs.clone(),
                        collection: c,
                        total: of.len(),
                        items: chunk.to_vec(),
                        page: n + 1,
                        pages,
                    }),
                ));
            }
        }
        plans
    }
}

/// What a term or region page and its paginated lists share.
pub(super) struct TermPage<'p> {
    pub title: String,
    /// The page's own name in breadcrumbs.
    pub name: String,
    /// The breadcrumbs above it.
    pub crumbs: Vec<(String, String)>,
    pub items: &'p [usize],
}

impl Renderer<'_> {
    /// The heading, names and items of a term or region page; `None` for other pages.
    pub(super) fn term_page<'p>(&self, plan: &'p Plan) -> Option<TermPage<'p>> {
        let labels = &self.labels();
        let phrase = |phrase: &str, name: &str| fill(phrase, &[("name", name)]);
        let crumb = |t: &str, u: &str| (t.to_string(), u.to_string());
        let (title, name, crumbs, items) = match plan {
            Plan::Domain { name, items } => {
                (phrase(&labels.phrases.domain, name), name.clone(), vec![crumb(&labels.pages.domains, "domains/index.html")], items)
            }
            Plan::Region { prefecture, municipality: None, items, .. } => {
                (phrase(&labels.phrases.region, prefecture), prefecture.clone(), vec![crumb(&labels.pages.regions, "regions/index.html")], items)
            }
            Plan::Region { prefecture, municipality: Some(m), items, .. } => (
                phrase(&labels.phrases.region, &format!("{prefecture} {m}")),
                m.clone(),
                vec![crumb(&labels.pages.regions, "regions/index.html"), crumb(prefecture, &term_url("regions", prefecture))],
                items,
            ),
            Plan::Kind { name, items } => {
                (phrase(&labels.phrases.kind, name), name.clone(), vec![crumb(&labels.collections.actor, "actors/index.html")], items)
            }
            Plan::Relation { value, items } => {
                let label = vocab::relation_label(value).unwrap_or(value);
                (phrase(&labels.phrases.relation, label), label.to_string(), vec![crumb(&labels.collections.case, "cases/index.html")], items)
            }
            _ => return None,
        };
        Some(TermPage { title, name, crumbs, items })
    }
}

/// The collections of a term or region page, in order.
pub(super) const SECTIONS: [Collection; 5] = [Collection::Case, Collection::Actor, Collection::Event, Collection::Policy, Collection::Guide];
