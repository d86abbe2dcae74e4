//! Pages that gather documents by a term: 分野, regions (prefecture and municipality),
//! actor kinds and business relations, each with its documents grouped by collection.

use super::plan::{TermPage, SECTIONS};
use super::{made, Made, Plan, RenderError, Renderer};
use crate::schema::Collection;
use crate::theme::labels::fill;
use crate::theme::values::{map, vars};
use crate::urls::{self, partners_url, term_url};
use crate::vocab;
use serde_json::{json, Value};

impl Renderer<'_> {
    pub(super) fn domain_index(&self) -> Result<Made, RenderError> {
        let site = self.site;
        let by = site.by_domain();
        let terms: Vec<Value> = site
            .domains
            .iter()
            .enumerate()
            .map(|(order, name)| {
                let items = by.get(&order).map(|(_, v)| v.as_slice()).unwrap_or(&[]);
                json!({"name": name, "url": term_url("domains", name), "count": items.len(),
                       "cases": self.of_collection(items, Collection::Case).count(),
                       "actors": self.of_collection(items, Collection::Actor).count()})
            })
            .collect();
        made("terms.html", self.labels().pages.domains.clone(), Vec::new(), vars!({"terms": terms}))
    }

    pub(super) fn domain(&self, path: &str, plan: &Plan, name: &str, items: &[usize]) -> Result<Made, RenderError> {
        let TermPage { title, crumbs, .. } = self.term_page(plan).expect("term page");
        made(
        "term.html",
        title,
        crumbs,
        vars!({
            "term": name,
            "partners": json!([{"label": fill(&self.labels().phrases.partners_for_domain, &[("domain", name)]), "url": partners_url(name, None, None)}]),
            "sections": self.sections(path, items)?,
            "booklet": self.booklet_link(Some(name), None, items),
        }),
        )
    }

    pub(super) fn region_index(&self) -> Result<Made, RenderError> {
        let site = self.site;
        let regions: Vec<Value> = site
            .by_region()
            .into_iter()
            .map(|(p, items, munis)| {
                json!({"name": p, "url": term_url("regions", &p), "count": items.len(),
                       "children": munis.iter().map(|(m, v)| json!({"name": m, "url": urls::municipality_url(&p, m), "count": v.len()})).collect::<Vec<_>>()})
            })
            .collect();
        made("regions.html", self.labels().pages.regions.clone(), Vec::new(), vars!({"regions": regions, "national": self.national_steps()}))
    }

    pub(super) fn region(&self, path: &str, plan: &Plan, prefecture: &str, municipality: Option<&str>, items: &[usize], children: &[(String, usize)]) -> Result<Made, RenderError> {
        let site = self.site;
        let TermPage { title: page_title, crumbs, .. } = self.term_page(plan).expect("term page");
        let title = match municipality {
            Some(m) => format!("{prefecture} {m}"),
            None => prefecture.to_string(),
        };
        let wide = self.wide_actors(prefecture, municipality);
        // "この地域で 買い物 に取り組む主体": one link per 分野 served here.
        let mut served: Vec<&str> = Vec::new();
        for &i in items.iter().chain(&wide) {
            for t in site.docs[i].domains() {
                if !served.contains(&t.as_str()) {
                    served.push(t);
                }
            }
        }
        served.sort_by_key(|t| vocab::domain_order(&site.domains, t));
        let place = municipality.unwrap_or(prefecture);
        let partners: Vec<Value> = served
            .iter()
            .map(|t| json!({"label": fill(&self.labels().phrases.partners_in_place, &[("place", place), ("domain", t)]), "url": partners_url(t, Some(prefecture), municipality)}))
            .collect();
        let children: Vec<Value> = children
            .iter()
            .map(|(m, n)| json!({"name": m, "url": urls::municipality_url(prefecture, m), "count": n}))
            .collect();
        made(
            "region.html",
            page_title,
            crumbs,
            vars!({
                "region": title,
                "prefecture": prefecture,
                "municipality": municipality,
                "children": children,
                "partners": partners,
                "sections": self.sections(path, items)?,
                "wide_actors": self.card_list(path, &wide)?,
                "readiness": self.readiness_vars(prefecture, municipality)?,
                "booklet": municipality.is_none().then(|| self.booklet_link(None, Some(prefecture), items)).flatten(),
            }),
        )
    }

    pub(super) fn kind_or_relation(&self, path: &str, plan: &Plan, items: &[usize]) -> Result<Made, RenderError> {
        let TermPage { title, name, crumbs, .. } = self.term_page(plan).expect("term page");
        made("term.html", title, crumbs, vars!({"term": name, "sections": self.sections(path, items)?}))
    }

    /// Items of the term or region page at `path`, grouped by collection; a collection
    /// with more than a page of items shows the first page and links to its own list (see
    /// [`Renderer::sub_lists`]).
    fn sections(&self, path: &str, items: &[usize]) -> Result<tera::Value, RenderError> {
        let per = self.site.config.paginate;
        let base = path.trim_end_matches("/index.html");
        let mut sections = Vec::new();
        for c in SECTIONS {
            let items: Vec<usize> = self.of_collection(items, c).collect();
            if items.is_empty() {
                continue;
            }
            let more = (items.len() > per)
                .then(|| json!({"url": urls::encode_path(&format!("{base}/{}/index.html", c.folder())), "count": items.len()}));
            sections.push(map(vars!({"collection": c, "label": self.labels().collection(c), "more": more, "items": self.card_list(path, &items[..items.len().min(per)])?})));
        }
        Ok(sections.into())
    }


    /// Actors that serve the whole prefecture also serve each municipality in it.
    pub(super) fn wide_actors(&self, prefecture: &str, municipality: Option<&str>) -> Vec<usize> {
        match municipality {
            Some(_) => self.wide.get(prefecture).cloned().unwrap_or_default(),
            None => Vec::new(),
        }
    }
}
