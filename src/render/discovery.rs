//! Pages for finding things across the site: search, the map, the partner finder, the
//! apply form, open data, related links, the 404 page and old addresses (aliases).

use super::{made, Made, RenderError, Renderer, Vars};
use crate::schema::Collection;
use crate::theme::values::{script_json, vars};
use crate::{urls, vocab};
use serde_json::{json, Value};

/// How many 分野 the partner finder offers as examples before a choice.
const PARTNER_EXAMPLES: usize = 4;

impl Renderer<'_> {
    pub(super) fn links(&self) -> Result<Made, RenderError> {
        let site = self.site;
        let mut groups: Vec<(String, Vec<&crate::model::Link>)> = Vec::new();
        for l in &site.links {
            let cat = if l.category.is_empty() { self.labels().phrases.other_links.clone() } else { l.category.clone() };
            match groups.iter_mut().find(|(c, _)| *c == cat) {
                Some(g) => g.1.push(l),
                None => groups.push((cat, vec![l])),
            }
        }
        let groups: Vec<Value> = groups.iter().map(|(c, v)| json!({"name": c, "links": v})).collect();
        made("links.html", self.labels().pages.links.clone(), Vec::new(), vars!({"groups": groups}))
    }

    pub(super) fn search(&self) -> Result<Made, RenderError> {
        made("search.html", self.labels().pages.search.clone(), Vec::new(), Vars::new())
    }

    pub(super) fn map_page(&self) -> Result<Made, RenderError> {
        let site = self.site;
        let actors: Vec<usize> = site.of(Collection::Actor).map(|(i, _)| i).collect();
        let located: Vec<Value> = actors
            .iter()
            .map(|&i| {
                let d = &site.docs[i];
                let a = d.actor().expect("actor");
                json!({"card": self.cards[i], "lat": a.location.map(|l| l.lat), "lon": a.location.map(|l| l.lon),
                       "domains": a.domains.join("|"), "kind": a.kind, "address": a.address})
            })
            .collect();
        let kinds: Vec<&str> = vocab::ACTOR_KINDS.iter().copied().filter(|k| site.of(Collection::Actor).any(|(_, d)| d.actor().is_some_and(|a| a.kind == *k))).collect();
        made("map.html", self.labels().pages.map.clone(), Vec::new(), vars!({"actors": located, "kinds": kinds, "domains": site.domains}))
    }

    pub(super) fn partners(&self) -> Result<Made, RenderError> {
        let examples = self.popular_domains(PARTNER_EXAMPLES);
        let vars = vars!({"domains": self.site.domains, "prefectures": vocab::PREFECTURES, "examples": examples});
        made("partners.html", self.labels().pages.partners.clone(), Vec::new(), vars)
    }

    /// The 分野 with the most actors and cases in the site's prefecture (or anywhere, on
    /// a national site), each with a link to the partner finder already filled in: so the
    /// page shows where to start before the reader chooses anything.
    fn popular_domains(&self, n: usize) -> Vec<Value> {
        let site = self.site;
        let pref = Some(site.config.prefecture.as_str()).filter(|p| vocab::PREFECTURES.contains(p));
        let mut counts: std::collections::HashMap<&str, (usize, usize)> = std::collections::HashMap::new();
        for c in [Collection::Actor, Collection::Case] {
            for (_, d) in site.of(c).filter(|(_, d)| pref.is_none_or(|p| d.prefecture() == Some(p))) {
                for dom in d.domains() {
                    let e = counts.entry(dom).or_default();
                    if c == Collection::Actor { e.0 += 1 } else { e.1 += 1 }
                }
            }
        }
        let mut ranked: Vec<(&str, (usize, usize))> = counts.into_iter().filter(|(_, (a, _))| *a > 0).collect();
        ranked.sort_by_key(|&(d, (a, c))| (std::cmp::Reverse(a + c), vocab::domain_order(&site.domains, d)));
        ranked
            .into_iter()
            .take(n)
            .map(|(d, (actors, cases))| {
                json!({"domain": d, "prefecture": pref, "actors": actors, "cases": cases, "url": urls::partners_url(d, pref, None)})
            })
            .collect()
    }

    pub(super) fn apply(&self) -> Result<Made, RenderError> {
        let site = self.site;
        let fields: Vec<Value> = crate::schema::COMMON[..2]
            .iter()
            .chain(crate::schema::ACTOR)
            .filter(|f| f.name != "registered")
            .map(|f| {
                let options: Vec<Value> = match f.ty {
                    crate::schema::Ty::Vocab(v) | crate::schema::Ty::Vocabs(v) => {
                        vocab::options(v, &site.domains).into_iter().map(|(value, label)| json!({"value": value, "label": label})).collect()
                    }
                    _ => Vec::new(),
                };
                // The template words each field for applicants; these are the editors'.
                json!({"name": f.name, "label": f.label, "help": f.help, "required": f.required, "ty": f.ty, "options": options})
            })
            .collect();
        // The file name is made in the browser from the name, as an import would make it.
        let romaji: serde_json::Map<String, Value> = crate::validate::romaji_table().into_iter().map(|(c, r)| (c.to_string(), r.into())).collect();
        let file_name = json!({"source": crate::import::APPLY_SOURCE, "romaji": romaji});
        let schema = json!({"fields": fields, "email": site.config.contact_email, "site": site.config.title, "file_name": file_name});
        made("apply.html", self.labels().pages.apply.clone(), Vec::new(), vars!({"fields": fields, "schema": script_json(&schema), "email": site.config.contact_email}))
    }

    pub(super) fn open_data(&self) -> Result<Made, RenderError> {
        let site = self.site;
        use crate::{feeds, opendata};
        let (actor_fields, case_fields) = opendata::item_fields();
        // Which file is which, and what the code writes in it; the words about
        // them are the template's.
        let files = json!({
            "actors_csv": opendata::ACTORS_CSV, "actors_json": opendata::ACTORS_JSON, "cases_json": opendata::CASES_JSON,
            "events_ics": feeds::EVENTS_ICS, "feed": feeds::ATOM_FEED, "sitemap": feeds::SITEMAP,
        });
        let vars = vars!({
            "files": files,
            "actor_columns": opendata::ACTOR_COLUMNS,
            "list_separator": opendata::LIST_SEPARATOR,
            "actor_fields": actor_fields,
            "case_fields": case_fields,
            "data_version": opendata::DATA_VERSION,
            "feeds": !site.config.base_url.is_empty(),
            "license": site.config.license,
            "counts": json!({"actor": self.count(Collection::Actor), "case": self.count(Collection::Case), "event": self.count(Collection::Event)}),
            "checklist": self.checklist_open_data(),
            "national_checklist": self.national_steps(),
        });
        made("opendata.html", self.labels().pages.opendata.clone(), Vec::new(), vars)
    }

    pub(super) fn not_found(&self) -> Result<Made, RenderError> {
        made("404.html", self.labels().pages.not_found.clone(), Vec::new(), Vars::new())
    }

    pub(super) fn alias(&self, path: &str, target: usize) -> Result<Made, RenderError> {
        let site = self.site;
        let d = &site.docs[target];
        made("alias.html", d.common.title.clone(), Vec::new(), vars!({"target": urls::relative(path, &d.url), "canonical": self.canonical(&d.url)}))
    }
}
