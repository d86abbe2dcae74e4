//! Stage 4: every output page as (path, HTML). Pages are planned first (a cheap list of
//! what to render), then rendered in parallel through the theme's tera templates.
//!
//! Templates receive `root` (the relative prefix to the site root, `../../`) and URLs
//! relative to the root, already percent-encoded, and write links as `{{ root }}{{ url }}`.

use crate::markdown::{self, LinkContext};
use crate::model::{fingerprint, Doc, Meta};
use crate::schema::Collection;
use crate::site::Site;
use crate::theme::Theme;
use crate::urls;
use crate::vocab;
use chrono::{DateTime, Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The menu and the footer of a page, or the template that failed and why.
type Chrome = Result<(tera::Value, tera::Value), (String, String)>;

/// A page's template variables, in the order they are set. tera values share their
/// contents (cloning one is a reference count), so what many pages show — the site, a
/// card, the menu — is made once and handed to each page as it is.
type Vars = Vec<(&'static str, tera::Value)>;

/// `vars!({"name": value, ...})`: [`Vars`] from anything serialisable; tera values inside
/// are taken over as they are, not copied.
macro_rules! vars {
    ({ $($k:literal : $v:expr),* $(,)? }) => { vec![$(($k, tera::Value::from_serializable(&$v))),*] };
}

/// `obj!({"title": t, "url": u})`: a map of literal names for a template, made straight as
/// a tera value (see [`map`]). A `json!` object was built with a `String` per name and
/// then converted into tera's map with another; pages make several each.
macro_rules! obj {
    ({ $($k:literal : $v:expr),* $(,)? }) => { map(vars!({ $($k : $v),* })) };
}

/// One file to write.
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug)]
pub struct RenderError {
    pub page: String,
    pub template: String,
    pub message: String,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} の生成に失敗しました（テンプレート {}）: {}", self.page, self.template, self.message)?;
        // tera's messages are in English; the common one gets a plain hint.
        if self.message.contains("is not defined") {
            write!(f, "\n→ テンプレートが使っている項目（^ の位置）が、このページにはありません。綴りを確かめるか、{{% if 項目 %}} … {{% endif %}} で囲んでください。")?;
        }
        Ok(())
    }
}

/// A document as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub collection: Collection,
    pub collection_label: &'static str,
    pub date: Option<String>,
    pub region: String,
    pub region_url: Option<String>,
    pub domains: Vec<Term>,
    /// Actor kind, event kind or policy ministry.
    pub badge: Option<String>,
    /// Listed from another site: `url` is absolute, `sources` names the sites.
    pub external: bool,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub name: String,
    pub url: String,
}

/// What a page is, decided before any rendering.
enum Plan {
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
    /// One collection of a term or region page that has more than a page of it.
    Sub { folder: String, heading: String, crumbs: Vec<(String, String)>, collection: Collection, total: usize, items: Vec<usize>, page: usize, pages: usize },
    Links,
    Search,
    Map,
    Partners,
    Apply,
    OpenData,
    NotFound,
    Alias { target: usize },
}

pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    cards: Vec<Card>,
    /// Each card's HTML from `card.html` with a title of level h2 and h3, made the first
    /// time a list shows it (a card appears in several lists; rendering it once per
    /// document instead of once per list was a sixth of a build's CPU).
    card_html: Vec<OnceLock<Result<[Rooted; 2], String>>>,
    /// Whether `card.html` only writes `heading` out, so that each card is rendered once
    /// with [`HEADING_MARK`] and both levels are cut from it; see
    /// [`Renderer::heading_is_only_written`].
    heading_by_mark: OnceLock<bool>,
    /// The main menu and the footer per (section, the page is its index, way back to the
    /// root); see [`Renderer::chrome`].
    chrome: Mutex<HashMap<(String, bool, String), Chrome>>,
    /// Rendered Markdown per document (same index as `site.docs`).
    bodies: &'a [Body],
    /// Made when first needed: `serve` mostly reuses its table of related cases.
    related_index: OnceLock<crate::site::RelatedIndex<'a>>,
    /// Documents per collection, and actors serving a whole prefecture.
    counts: HashMap<Collection, usize>,
    wide: HashMap<&'a str, Vec<usize>>,
    /// What every page shows of the site (title, menus, footer pages), made once and
    /// handed to every page.
    site_value: tera::Value,
    /// Per document: a fingerprint of what other pages show of it (front matter, summary),
    /// and of everything (with the body). See [`Renderer::fingerprint`].
    stamps: Vec<(u64, u64)>,
    /// The kind and relation filters of the actor and case lists (the same on every page).
    list_filters: HashMap<Collection, Vec<Value>>,
    /// Related cases of every document, when the caller keeps them between builds.
    related: Option<std::sync::Arc<Vec<Vec<usize>>>>,
}

/// One page to write: its output path and what goes on it.
pub struct Page {
    pub path: String,
    plan: Plan,
}

impl<'a> Renderer<'a> {
    /// Prepares the list cards from the documents and their rendered Markdown.
    pub fn new(site: &'a Site, theme: &'a Theme, bodies: &'a [Body]) -> Self {
        let cards: Vec<Card> = site.docs.par_iter().zip(bodies).map(|(d, b)| card(d, b)).collect();
        let stamps = site
            .docs
            .par_iter()
            .zip(&cards)
            .map(|(d, c)| {
                let front = match &d.external {
                    // Aggregated items have no source file; their whole record is the stamp.
                    Some(_) => fingerprint(&format!("{:?}", (&d.common, &d.meta, &d.external))),
                    None => d.stamp.front,
                };
                let shown = fingerprint(&(front, &d.common.updated, &c.summary, &d.source, &d.url));
                (shown, fingerprint(&(shown, d.stamp.body)))
            })
            .collect();
        let mut counts: HashMap<Collection, usize> = HashMap::new();
        let mut wide: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, d) in site.docs.iter().enumerate() {
            *counts.entry(d.collection).or_default() += 1;
            if let (Some(p), true) = (d.actor().map(|a| a.prefecture.as_str()), d.municipalities().is_empty()) {
                wide.entry(p).or_default().push(i);
            }
        }
        let mut r = Renderer {
            site,
            theme,
            card_html: cards.iter().map(|_| OnceLock::new()).collect(),
            heading_by_mark: OnceLock::new(),
            chrome: Mutex::default(),
            cards,
            bodies,
            related_index: OnceLock::new(),
            counts,
            wide,
            stamps,
            list_filters: HashMap::new(),
            related: None,
            site_value: tera::Value::none(),
        };
        r.site_value = tera::Value::from_serializable(&r.make_site_context());
        r.list_filters = [Collection::Case, Collection::Actor].into_iter().map(|c| (c, r.filters_of(c))).collect();
        r
    }

    /// A fingerprint of everything related cases are chosen by: while it stays the same,
    /// a table from [`Renderer::related_table`] can be reused.
    pub fn related_signature(&self) -> u64 {
        let cases: Vec<_> = self
            .site
            .of(Collection::Case)
            .map(|(i, d)| (i, &d.source, d.domains(), d.prefecture(), d.case().map(|c| &c.municipality)))
            .collect();
        fingerprint(&cases)
    }

    /// The related cases of every document (empty for other collections).
    pub fn related_table(&self) -> Vec<Vec<usize>> {
        let index = self.related_index();
        (0..self.site.docs.len()).into_par_iter().map(|i| self.site.related_cases(i, RELATED, index)).collect()
    }

    /// Uses a table made by [`Renderer::related_table`] for a site with the same signature.
    pub fn with_related(mut self, table: std::sync::Arc<Vec<Vec<usize>>>) -> Self {
        self.related = Some(table);
        self
    }

    fn related(&self, i: usize) -> Vec<usize> {
        match &self.related {
            Some(t) => t[i].clone(),
            None => self.site.related_cases(i, RELATED, self.related_index()),
        }
    }

    fn related_index(&self) -> &crate::site::RelatedIndex<'a> {
        self.related_index.get_or_init(|| self.site.related_index())
    }

    /// Makes the related-case index now, unless a related table was handed over. Made by
    /// the first case page instead, it kept every thread that reached a case page next
    /// waiting for it (5–10 ms at 10,000 documents).
    pub fn prepare_related(&self) {
        if self.related.is_none() {
            self.related_index();
        }
    }

    /// What the renderer made and owns (the cards and their HTML), for freeing elsewhere:
    /// freeing them took 15 ms at the end of a 10,000-document build.
    pub fn into_owned(self) -> impl Send + 'static {
        (self.cards, self.card_html)
    }

    pub fn render_page(&self, page: &Page) -> Result<Output, RenderError> {
        self.render(&page.path, &page.plan)
    }

    /// Every page of the site, planned (cheap: nothing is rendered).
    pub fn pages(&self) -> Vec<Page> {
        self.plan().into_iter().map(|(path, plan)| Page { path, plan }).collect()
    }

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
                shown(&mut h, &self.wide_actors(prefecture, municipality.as_deref()));
            }
            Plan::Sub { folder, heading, crumbs, collection, total, items, page, pages } => {
                (folder, heading, crumbs, collection, total, page, pages).hash(&mut h);
                shown(&mut h, items);
            }
            Plan::Map => shown(&mut h, &of(Collection::Actor)),
            Plan::Alias { target } => self.stamps[*target].0.hash(&mut h),
            Plan::Links | Plan::Search | Plan::Partners | Plan::Apply | Plan::OpenData | Plan::NotFound => {}
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

    /// Actors that serve the whole prefecture also serve each municipality in it.
    fn wide_actors(&self, prefecture: &str, municipality: Option<&str>) -> Vec<usize> {
        match municipality {
            Some(_) => self.wide.get(prefecture).cloned().unwrap_or_default(),
            None => Vec::new(),
        }
    }

    fn count(&self, c: Collection) -> usize {
        self.counts.get(&c).copied().unwrap_or(0)
    }

    /// The kind (actors) or 本業との関わり (cases) links above a list, with counts.
    fn filters_of(&self, collection: Collection) -> Vec<Value> {
        let site = self.site;
        match collection {
            Collection::Actor => {
                let mut kinds: Vec<(&str, usize)> = Vec::new();
                for (_, d) in site.of(Collection::Actor) {
                    let k = d.actor().map(|a| a.kind.as_str()).unwrap_or("");
                    match kinds.iter_mut().find(|(n, _)| *n == k) {
                        Some(e) => e.1 += 1,
                        None => kinds.push((k, 1)),
                    }
                }
                kinds.sort_by_key(|(k, _)| vocab::ACTOR_KINDS.iter().position(|x| x == k));
                kinds.iter().map(|(k, n)| json!({"name": k, "url": term_url("kinds", k), "count": n})).collect()
            }
            Collection::Case => vocab::RELATIONS
                .iter()
                .filter_map(|(v, l)| {
                    let n = site.of(Collection::Case).filter(|(_, d)| d.case().and_then(|c| c.business_relation.as_deref()) == Some(v)).count();
                    (n > 0).then(|| json!({"name": l, "url": format!("relations/{v}/index.html"), "count": n}))
                })
                .collect(),
            _ => Vec::new(),
        }
    }

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
                let TermPage { title, name, mut crumbs, items } = term_page(plan)?;
                crumbs.push((name, urls::encode_path(path)));
                Some(self.sub_lists(path.trim_end_matches("/index.html"), &title, crumbs, items))
            })
            .flatten()
            .collect();
        plans.extend(sub_lists);
        plans
    }

    fn cards(&self, items: &[usize]) -> Vec<&Card> {
        items.iter().map(|&i| &self.cards[i]).collect()
    }

    /// A card list for the page at `path` (the `cards` component): per item its HTML, with
    /// the page's links, as `h2` and `h3`.
    fn card_list(&self, path: &str, items: &[usize]) -> Result<tera::Value, RenderError> {
        let root = urls::root_prefix(path);
        let mut list = Vec::with_capacity(items.len());
        for &i in items {
            let [h2, h3] = self.card_html[i].get_or_init(|| self.render_card(i)).as_ref().map_err(|message| RenderError {
                page: path.into(),
                template: "card.html".into(),
                message: message.clone(),
            })?;
            // Filled in per page rather than kept per depth: keeping them cost a tenth of
            // the peak memory (300 MB at 100,000 documents) for no measurable time.
            list.push(Rooted::item_with_root(h2, h3, &root));
        }
        Ok(tera::Value::from(list))
    }

    /// Document `i`'s card from `card.html`, with an h2 and an h3 title and
    /// [`ROOT_MARK`] where the page's way back to the root goes.
    fn render_card(&self, i: usize) -> Result<[Rooted; 2], String> {
        let item = tera::Value::from_serializable(&self.cards[i]);
        let render = |heading: &str| self.card_part(&item, heading);
        if *self.heading_by_mark.get_or_init(|| self.heading_is_only_written()) {
            let html = render(HEADING_MARK)?;
            Ok(["h2", "h3"].map(|level| Rooted::with_level(html.trim(), Some(level))))
        } else {
            Ok([Rooted::new(render("h2")?.trim()), Rooted::new(render("h3")?.trim())])
        }
    }

    /// Whether `card.html` renders the same with `heading` set to [`HEADING_MARK`] and the
    /// mark then replaced by the level, as it does when it only writes the level out (the
    /// default theme: `<{{ heading }} …>`). Tried on the first card of every collection; a
    /// theme that does more with `heading` (compares it, say) gets each level rendered on
    /// its own. Rendering once halves the cards' share of a build.
    fn heading_is_only_written(&self) -> bool {
        let mut tried = Vec::new();
        self.cards.iter().filter(|c| !tried.contains(&c.collection) && { tried.push(c.collection); true }).all(|card| {
            let item = tera::Value::from_serializable(card);
            let render = |heading: &str| self.card_part(&item, heading).ok();
            match (render(HEADING_MARK), render("h2"), render("h3")) {
                (Some(marked), Some(h2), Some(h3)) => marked.replace(HEADING_MARK, "h2") == h2 && marked.replace(HEADING_MARK, "h3") == h3,
                _ => false,
            }
        })
    }

    /// `card.html` for one card (`item`) with its title at `heading`.
    fn card_part(&self, item: &tera::Value, heading: &str) -> Result<String, String> {
        self.render_part("card.html", vec![("item", item.clone()), ("heading", heading.into())])
    }

    /// A part shared by many pages (a card, the menu, the footer), rendered once from
    /// `template` with `vars` and [`ROOT_MARK`] as `root` unless `vars` sets it.
    fn render_part(&self, template: &str, vars: Vars) -> Result<String, String> {
        let mut ctx = tera::Context::new();
        ctx.insert("root", ROOT_MARK);
        for (name, value) in vars {
            ctx.insert_value(name, value);
        }
        // Into bytes, checked with simdutf8: `Tera::render` checks them with std's (slow
        // on Japanese text), for 20,000 cards.
        let mut out = Vec::with_capacity(1024);
        self.theme.tera.render_to(template, &ctx, &mut out).map_err(|e| crate::diagnostics::error_chain(&e))?;
        simdutf8::basic::from_utf8(&out).map_err(|_| format!("{template} の出力が UTF-8 ではありません"))?;
        // SAFETY: just checked.
        Ok(unsafe { String::from_utf8_unchecked(out) })
    }

    /// The items of one collection, in order.
    fn of_collection<'i>(&self, items: &'i [usize], c: Collection) -> impl Iterator<Item = usize> + use<'i, 'a, '_> {
        items.iter().copied().filter(move |&i| self.site.docs[i].collection == c)
    }

    fn render(&self, path: &str, plan: &Plan) -> Result<Output, RenderError> {
        let site = self.site;
        let (template, title, crumbs, mut vars): (&str, String, Vec<(String, String)>, Vars) = match plan {
            Plan::Home => {
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
                (
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
            Plan::Doc(i) => return self.render_doc(path, *i),
            Plan::GuidePrint(i) => {
                let d = &site.docs[*i];
                let chapters: Vec<Value> = site
                    .chapters(&d.slug)
                    .into_iter()
                    .enumerate()
                    .map(|(n, c)| {
                        let doc = &site.docs[c];
                        // Links inside chapters were made relative to the chapter page; the
                        // print page sits at the same depth, so they stay valid.
                        // Chapters reuse heading ids (and footnote numbers); prefix them so
                        // the one-page view has unique ids and its in-page links still work.
                        let html = prefix_ids(&self.bodies[c].html, &format!("c{}-", n + 1));
                        json!({"number": n + 1, "title": doc.common.title, "id": format!("chapter-{}", doc.slug), "content": html})
                    })
                    .collect();
                (
                    "guide_print.html",
                    format!("{}（印刷用・全章）", d.common.title),
                    vec![("ガイドブック".into(), "guides/index.html".into()), (d.common.title.clone(), d.url.clone())],
                    vars!({"guide": self.cards[*i], "chapters": chapters, "intro": prefix_ids(&self.bodies[*i].html, "c0-")}),
                )
            }
            Plan::List { collection, items, page, pages } => {
                let folder = collection.folder();
                let label = match collection {
                    Collection::Case => "取り組み事例",
                    Collection::Actor => "多様な主体",
                    _ => "お知らせ",
                };
                let title = if *page > 1 { format!("{label}（{page}ページ目）") } else { label.to_string() };
                let total = self.count(*collection);
                let mut crumbs = Vec::new();
                if *page > 1 {
                    crumbs.push((label.to_string(), page_url(folder, 1)));
                }
                let filters = self.list_filters.get(collection).cloned().unwrap_or_default();
                let pager = pager(folder, *page, *pages);
                (
                    "list.html",
                    title,
                    crumbs,
                    vars!({"heading": label, "total": total, "pager": pager, "collection": collection, "filters": filters, "items": self.card_list(path, items)?}),
                )
            }
            Plan::Events => {
                let (upcoming, past) = self.split_events();
                ("events.html", "イベント・研修".into(), Vec::new(), vars!({"upcoming": self.card_list(path, &upcoming)?, "past": self.card_list(path, &past)?}))
            }
            Plan::Policies => {
                let mut years: Vec<(String, Vec<usize>)> = Vec::new();
                let mut items: Vec<(usize, &Doc)> = site.of(Collection::Policy).collect();
                items.sort_by(|a, b| b.1.policy().and_then(|p| p.fiscal_year.clone()).cmp(&a.1.policy().and_then(|p| p.fiscal_year.clone())));
                for (i, d) in items {
                    let y = d.policy().and_then(|p| p.fiscal_year.clone()).map(|y| fiscal_year_label(&y)).unwrap_or_else(|| "年度の記載なし".into());
                    match years.iter_mut().find(|(k, _)| *k == y) {
                        Some(e) => e.1.push(i),
                        None => years.push((y, vec![i])),
                    }
                }
                let groups = years.iter().map(|(y, v)| Ok(map(vars!({"name": y, "items": self.card_list(path, v)?})))).collect::<Result<Vec<_>, RenderError>>()?;
                ("policies.html", "施策・予算".into(), Vec::new(), vars!({"groups": groups}))
            }
            Plan::Guides => {
                let guides: Vec<Value> = site
                    .of(Collection::Guide)
                    .map(|(i, d)| json!({"card": self.cards[i], "chapters": self.cards(&site.chapters(&d.slug))}))
                    .collect();
                ("guides.html", "ガイドブック".into(), Vec::new(), vars!({"guides": guides}))
            }
            Plan::DomainIndex => {
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
                ("terms.html", "分野から探す".into(), Vec::new(), vars!({"terms": terms}))
            }
            Plan::Domain { name, items } => {
                let TermPage { title, crumbs, .. } = term_page(plan).expect("term page");
                (
                "term.html",
                title,
                crumbs,
                vars!({
                    "term": name,
                    "partners": json!([{"label": format!("{name}に協力できる主体を地域から探す"), "url": partners_url(name, None, None)}]),
                    "sections": self.sections(path, items)?,
                }),
                )
            }
            Plan::RegionIndex => {
                let regions: Vec<Value> = site
                    .by_region()
                    .into_iter()
                    .map(|(p, items, munis)| {
                        json!({"name": p, "url": term_url("regions", &p), "count": items.len(),
                               "children": munis.iter().map(|(m, v)| json!({"name": m, "url": format!("regions/{}/{}/index.html", urls::encode_segment(&p), urls::encode_segment(m)), "count": v.len()})).collect::<Vec<_>>()})
                    })
                    .collect();
                ("regions.html", "地域から探す".into(), Vec::new(), vars!({"regions": regions}))
            }
            Plan::Region { prefecture, municipality, items, children } => {
                let TermPage { title: page_title, crumbs, .. } = term_page(plan).expect("term page");
                let title = match municipality {
                    Some(m) => format!("{prefecture} {m}"),
                    None => prefecture.clone(),
                };
                let wide = self.wide_actors(prefecture, municipality.as_deref());
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
                let place = municipality.as_deref().unwrap_or(prefecture);
                let partners: Vec<Value> = served
                    .iter()
                    .map(|t| json!({"label": format!("{place}で{t}に取り組む主体"), "url": partners_url(t, Some(prefecture), municipality.as_deref())}))
                    .collect();
                let children: Vec<Value> = children
                    .iter()
                    .map(|(m, n)| json!({"name": m, "url": format!("regions/{}/{}/index.html", urls::encode_segment(prefecture), urls::encode_segment(m)), "count": n}))
                    .collect();
                (
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
                    }),
                )
            }
            Plan::Kind { items, .. } | Plan::Relation { items, .. } => {
                let TermPage { title, name, crumbs, .. } = term_page(plan).expect("term page");
                ("term.html", title, crumbs, vars!({"term": name, "sections": self.sections(path, items)?}))
            }
            Plan::Sub { folder, heading, crumbs, collection, total, items, page, pages } => {
                let mut crumbs = crumbs.clone();
                let title = if *page > 1 {
                    crumbs.push((heading.clone(), urls::encode_path(&page_url(folder, 1))));
                    format!("{heading}（{page}ページ目）")
                } else {
                    heading.clone()
                };
                (
                    "list.html",
                    title,
                    crumbs,
                    vars!({
                        "heading": heading,
                        "total": total,
                        "pager": pager(&urls::encode_path(folder), *page, *pages),
                        "collection": collection,
                        "filters": json!([]),
                        "items": self.card_list(path, items)?,
                    }),
                )
            }
            Plan::Links => {
                let mut groups: Vec<(String, Vec<&crate::model::Link>)> = Vec::new();
                for l in &site.links {
                    let cat = if l.category.is_empty() { "その他".to_string() } else { l.category.clone() };
                    match groups.iter_mut().find(|(c, _)| *c == cat) {
                        Some(g) => g.1.push(l),
                        None => groups.push((cat, vec![l])),
                    }
                }
                let groups: Vec<Value> = groups.iter().map(|(c, v)| json!({"name": c, "links": v})).collect();
                ("links.html", "関連リンク".into(), Vec::new(), vars!({"groups": groups}))
            }
            Plan::Search => ("search.html", "サイト内検索".into(), Vec::new(), Vars::new()),
            Plan::Map => {
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
                ("map.html", "地図から探す".into(), Vec::new(), vars!({"actors": located, "kinds": kinds, "domains": site.domains}))
            }
            Plan::Partners => ("partners.html", "協力できる主体を探す".into(), Vec::new(), vars!({"domains": site.domains, "prefectures": vocab::PREFECTURES})),
            Plan::Apply => {
                let fields: Vec<Value> = crate::schema::COMMON[..2]
                    .iter()
                    .chain(crate::schema::ACTOR)
                    .filter(|f| f.name != "registered")
                    .map(|f| {
                        let options: Vec<String> = match f.ty {
                            crate::schema::Ty::Vocab(v) | crate::schema::Ty::Vocabs(v) => vocab_values(v, &site.domains),
                            _ => Vec::new(),
                        };
                        let (label, help) = match f.name {
                            "title" => ("名称（団体名）", "正式な団体名"),
                            "summary" => ("紹介文", "一覧に出る1〜2文の紹介"),
                            _ => (f.label, f.help),
                        };
                        json!({"name": f.name, "label": label, "help": help, "required": f.required, "ty": f.ty, "options": options})
                    })
                    .collect();
                let schema = json!({"fields": fields, "email": site.config.contact_email, "site": site.config.title});
                ("apply.html", "掲載の申し込み".into(), Vec::new(), vars!({"fields": fields, "schema": script_json(&schema), "email": site.config.contact_email}))
            }
            Plan::OpenData => {
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
                });
                ("opendata.html", "オープンデータ".into(), Vec::new(), vars)
            }
            Plan::NotFound => ("404.html", "ページが見つかりません".into(), Vec::new(), Vars::new()),
            Plan::Alias { target } => {
                let d = &site.docs[*target];
                ("alias.html", d.common.title.clone(), Vec::new(), vars!({"target": urls::relative(path, &d.url), "canonical": self.canonical(&d.url)}))
            }
        };
        vars.push(("title", title.into()));
        self.finish(path, template, crumbs, vars)
    }

    fn render_doc(&self, path: &str, i: usize) -> Result<Output, RenderError> {
        let site = self.site;
        let d = &site.docs[i];
        let body = &self.bodies[i];
        let card = &self.cards[i];
        let mut crumbs: Vec<(String, String)> = Vec::new();
        let section = match d.collection {
            Collection::Case => Some(("取り組み事例", "cases/index.html")),
            Collection::Actor => Some(("多様な主体", "actors/index.html")),
            Collection::Guide | Collection::Chapter => Some(("ガイドブック", "guides/index.html")),
            Collection::Event => Some(("イベント・研修", "events/index.html")),
            Collection::Policy => Some(("施策・予算", "policies/index.html")),
            Collection::News => Some(("お知らせ", "news/index.html")),
            Collection::Page => None,
        };
        if let Some((l, u)) = section {
            crumbs.push((l.into(), u.into()));
        }
        let page = map(vars!({
            "title": d.common.title,
            "summary": d.common.summary,
            "content": body.html,
            "toc": body.toc,
            "collection": d.collection,
            "collection_label": d.collection.label(),
            "date": d.common.date.as_deref().map(date_ja),
            "updated": d.common.updated.as_deref().map(date_ja),
            "tags": d.common.tags,
            "domains": card.domains,
            "region": card.region,
            "region_url": card.region_url,
            "meta": d.meta,
            "images": d.common.images.iter().map(|im| json!({"src": urls::relative(&d.url, &urls::normalize(&urls::join(&d.url.rsplit_once('/').map(|x| x.0).unwrap_or(""), &im.src)).unwrap_or_default()), "alt": im.alt})).collect::<Vec<_>>(),
        }));
        let mut extra = Vars::new();
        let template = match &d.meta {
            Meta::Case(c) => {
                let actor_details: Vec<tera::Value> = c
                    .actors
                    .iter()
                    .filter_map(|a| site.get(Collection::Actor, a))
                    .map(|a| obj!({"title": a.common.title, "url": a.url, "kind": a.actor().map(|m| m.kind.clone()), "core_business": a.actor().and_then(|m| m.core_business.clone())}))
                    .collect();
                extra.extend(vars!({
                    "actors": actor_details,
                    "relation_label": c.business_relation.as_deref().and_then(vocab::relation_label),
                    "steps": c.steps.iter().filter_map(|s| vocab::STEPS.iter().find(|(n, _)| n == s).map(|(_, l)| *l)).collect::<Vec<_>>(),
                    "started": c.started.as_deref().map(started_ja),
                    "related": self.card_list(path, &self.related(i))?,
                }));
                "case.html"
            }
            Meta::Actor(a) => {
                extra.extend(vars!({
                    "cases": self.card_list(path, site.cases_of_actor(&d.slug))?,
                    "scale_label": a.scale.as_deref().and_then(vocab::scale_label),
                    "kind_url": term_url("kinds", &a.kind),
                    "map_url": format!("map/index.html?kind={}", urls::encode_segment(&a.kind)),
                    "registered": a.registered.as_deref().map(date_ja),
                    "municipality_links": a.municipalities.iter().map(|m| obj!({"name": m, "url": format!("regions/{}/{}/index.html", urls::encode_segment(&a.prefecture), urls::encode_segment(m))})).collect::<Vec<_>>(),
                }));
                "actor.html"
            }
            Meta::Event(e) => {
                let upcoming = event_day(&e.end.clone().unwrap_or_else(|| e.start.clone())).is_some_and(|day| day >= site.today);
                extra.extend(vars!({"when": event_when(&e.start, e.end.as_deref()), "upcoming": upcoming}));
                "event.html"
            }
            Meta::Policy(p) => {
                extra.extend(vars!({"fiscal_year_label": p.fiscal_year.as_deref().map(fiscal_year_label)}));
                "policy.html"
            }
            Meta::Guide(_) => {
                extra.extend(vars!({"chapters": self.cards(&site.chapters(&d.slug)), "print_url": format!("guides/{}/print/index.html", d.slug)}));
                "guide.html"
            }
            Meta::Plain {} if d.collection == Collection::Chapter => {
                let guide_slug = d.guide.as_deref().unwrap_or("");
                let chapters = site.chapters(guide_slug);
                let pos = chapters.iter().position(|&c| c == i).unwrap_or(0);
                if let Some(g) = site.get(Collection::Guide, guide_slug) {
                    crumbs.push((g.common.title.clone(), g.url.clone()));
                    extra.extend(vars!({"guide": json!({"title": g.common.title, "url": g.url, "print_url": format!("guides/{}/print/index.html", g.slug)})}));
                }
                extra.extend(vars!({
                    "chapters": chapters.iter().enumerate().map(|(n, &c)| json!({"number": n + 1, "title": site.docs[c].common.title, "url": site.docs[c].url, "current": c == i})).collect::<Vec<_>>(),
                    "number": pos + 1,
                    "prev": pos.checked_sub(1).map(|p| &self.cards[chapters[p]]),
                    "next": chapters.get(pos + 1).map(|&n| &self.cards[n]),
                }));
                "chapter.html"
            }
            Meta::Plain {} => "page.html",
        };
        extra.extend(vars!({"jsonld": json_ld(site, d).map(|v| script_json(&v)), "page": page, "title": d.common.title}));
        self.finish(path, template, crumbs, extra)
    }

    fn finish(&self, path: &str, template: &str, crumbs: Vec<(String, String)>, vars: Vars) -> Result<Output, RenderError> {
        let site = self.site;
        let root = urls::root_prefix(path);
        let section = path.split('/').next().unwrap_or("");
        let current = path.strip_prefix(section) == Some("/index.html");
        let (nav, footer) = self.chrome(section, current, &root).map_err(|(template, message)| RenderError { page: path.into(), template, message })?;
        let mut ctx = tera::Context::new();
        for (k, v) in vars.into_iter().chain(vars!({
            "nav": nav,
            "footer": footer,
            "root": root,
            "path": path,
            "canonical": self.canonical(path),
            "breadcrumbs": crumbs.iter().map(|(t, u)| obj!({"title": t, "url": u})).collect::<Vec<_>>(),
            "site": self.site_value,
            "section": section,
            "today": site.today.to_string(),
        })) {
            ctx.insert_value(k, v);
        }
        // Straight into bytes: `render` would check the whole page is UTF-8 again. Room for
        // nearly every page (at 10,000 docs 5,687 pages are over 16 KB, 90 over 32 KB), so
        // the buffer is not grown and copied while the page is written.
        let mut bytes = Vec::with_capacity(32 * 1024);
        self.theme.tera.render_to(template, &ctx, &mut bytes).map_err(|e| RenderError {
            page: path.into(),
            template: template.into(),
            message: crate::diagnostics::error_chain(&e),
        })?;
        Ok(Output { path: path.to_string(), bytes })
    }

    /// The main menu of `section` (`current`: the page is the section's own index) and the
    /// footer, from `nav.html` and `footer.html`, for pages whose way back to the root is
    /// `root`. Rendered once per (section, depth) rather than once per page: on every
    /// page they were a twelfth of a build's CPU.
    fn chrome(&self, section: &str, current: bool, root: &str) -> Chrome {
        // Held while a combination is rendered the first time: a few dozen times a build.
        self.chrome
            .lock()
            .expect("not poisoned")
            .entry((section.to_string(), current, root.to_string()))
            .or_insert_with(|| {
                let render = |template: &str, vars: Vars| {
                    self.render_part(template, vars).map(tera::Value::from).map_err(|message| (template.to_string(), message))
                };
                Ok((
                    render("nav.html", vars!({"site": self.site_value, "root": root, "section": section, "current": current}))?,
                    render("footer.html", vars!({"site": self.site_value, "root": root}))?,
                ))
            })
            .clone()
    }

    fn make_site_context(&self) -> Value {
        let c = &self.site.config;
        let menu: Vec<Value> = c
            .menu
            .iter()
            .map(|m| {
                let external = m.url.starts_with("http://") || m.url.starts_with("https://");
                let url = if external {
                    m.url.clone()
                } else {
                    let u = m.url.trim_start_matches('/');
                    if u.is_empty() || u.ends_with('/') { format!("{u}index.html") } else { u.to_string() }
                };
                json!({"name": m.name, "url": url, "external": external})
            })
            .collect();
        let pages: Vec<Value> = self.site.of(Collection::Page).map(|(_, d)| json!({"title": d.common.title, "url": d.url})).collect();
        json!({"title": c.title, "description": c.description, "publisher": c.publisher, "prefecture": c.prefecture,
               "language": c.language, "menu": menu, "has_links": !self.site.links.is_empty(), "pages": pages,
               "base_url": c.base_url, "map_config": script_json(&json!({"tiles": c.map.tile_url, "attribution": markdown::clean_config_html(&c.map.attribution)})), "nav": NAV.iter().map(|(section, label)| json!({"section": section, "label": label, "url": format!("{section}/index.html")})).collect::<Vec<_>>()})
    }

    fn canonical(&self, path: &str) -> Option<String> {
        let base = &self.site.config.base_url;
        (!base.is_empty()).then(|| urls::absolute(base, path))
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
            sections.push(map(vars!({"collection": c, "label": c.label(), "more": more, "items": self.card_list(path, &items[..items.len().min(per)])?})));
        }
        Ok(sections.into())
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
                    Plan::Sub {
                        folder: folder.clone(),
                        heading: format!("{title}（{}）", c.label()),
                        crumbs: crumbs.clone(),
                        collection: c,
                        total: of.len(),
                        items: chunk.to_vec(),
                        page: n + 1,
                        pages,
                    },
                ));
            }
        }
        plans
    }

    /// Upcoming events (soonest first) and past events (latest first) on the build date.
    fn split_events(&self) -> (Vec<usize>, Vec<usize>) {
        let site = self.site;
        let mut upcoming = Vec::new();
        let mut past = Vec::new();
        for (i, d) in site.of(Collection::Event) {
            let e = d.event().expect("event");
            let last_day = event_day(e.end.as_deref().unwrap_or(&e.start));
            if last_day.is_some_and(|day| day >= site.today) {
                upcoming.push(i);
            } else {
                past.push(i);
            }
        }
        let start = |i: &usize| site.docs[*i].event().map(|e| e.start.clone()).unwrap_or_default();
        upcoming.sort_by_key(start);
        past.sort_by_key(|i| std::cmp::Reverse(start(i)));
        (upcoming, past)
    }
}

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

fn card(d: &Doc, body: &markdown::Rendered) -> Card {
    let summary = d.common.summary.clone().unwrap_or_else(|| excerpt(&body.text, 110));
    let (region, region_url) = match (d.prefecture(), d.case().and_then(|c| c.municipality.as_deref())) {
        (Some(p), Some(m)) => (format!("{p} {m}"), Some(format!("regions/{}/{}/index.html", urls::encode_segment(p), urls::encode_segment(m)))),
        (Some(p), None) => (p.to_string(), Some(term_url("regions", p))),
        _ => (String::new(), None),
    };
    let badge = match &d.meta {
        Meta::Actor(a) => Some(a.kind.clone()),
        Meta::Event(e) => Some(e.kind.clone()),
        Meta::Policy(p) => p.ministry.clone(),
        _ => None,
    };
    let date = match &d.meta {
        Meta::Event(e) => Some(event_when(&e.start, e.end.as_deref())),
        _ => d.common.date.as_deref().map(date_ja),
    };
    Card {
        title: d.common.title.clone(),
        url: d.url.clone(),
        summary,
        collection: d.collection,
        collection_label: d.collection.label(),
        date,
        region,
        region_url,
        domains: d.domains().iter().map(|t| Term { name: t.clone(), url: term_url("domains", t) }).collect(),
        badge,
        external: d.external.is_some(),
        sources: d.external.as_ref().map(|e| e.sources.clone()).unwrap_or_default(),
    }
}

/// The first `n` characters of plain text (whitespace runs count as one space), cut at a
/// sentence end when one is near.
pub fn excerpt(text: &str, n: usize) -> String {
    let (cut, more) = flat_start(text, n);
    if !more {
        return cut;
    }
    match cut.rfind('。') {
        Some(p) if p > cut.len() / 2 => cut[..p + '。'.len_utf8()].to_string(),
        _ => format!("{cut}…"),
    }
}

/// The first `n` characters of `text` with every whitespace run as one space (as
/// `split_whitespace().join(" ")` would give), and whether more text follows. Only the
/// start of the text is read, however long it is.
pub fn flat_start(text: &str, n: usize) -> (String, bool) {
    // Room for `n` kana or kanji: the cut is not grown and copied as it is written.
    let mut cut = String::with_capacity(text.len().min(n * 3));
    let mut count = 0;
    let mut space = false;
    // Where the run of characters not yet copied starts: runs are copied whole, not
    // character by character.
    let mut run: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(start) = run.take() {
                cut.push_str(&text[start..i]);
            }
            space = count > 0;
            continue;
        }
        if count == n {
            if let Some(start) = run {
                cut.push_str(&text[start..i]);
            }
            return (cut, true);
        }
        if std::mem::take(&mut space) {
            cut.push(' ');
            count += 1;
            if count == n {
                return (cut, true);
            }
        }
        run.get_or_insert(i);
        count += 1;
    }
    if let Some(start) = run {
        cut.push_str(&text[start..]);
    }
    (cut, false)
}

/// Stands for the page's way back to the site root in [`Renderer::card_list`]'s cards,
/// which are rendered once for pages at every depth.
const ROOT_MARK: &str = "\u{1}root\u{1}";

/// Stands for the title's level (`h2`, `h3`) in a card rendered once for both; see
/// [`Renderer::heading_is_only_written`].
const HEADING_MARK: &str = "\u{1}heading\u{1}";

/// HTML with [`ROOT_MARK`]s, cut at them once, so that each page only joins the pieces
/// with its own way back to the root (no search through the HTML per page).
struct Rooted {
    /// The HTML without the marks, in one piece (a list page reads dozens of cards; the
    /// pieces of each in one allocation keep those reads together).
    html: Box<str>,
    /// Where each mark was, in `html`.
    cuts: Box<[u32]>,
}

impl Rooted {
    fn new(html: &str) -> Rooted {
        Rooted::with_level(html, None)
    }

    /// [`Rooted::new`], with each [`HEADING_MARK`] replaced by `level` on the way: one
    /// pass over the HTML per level (both marks start with the byte 1, found with
    /// memchr) instead of a replace and a split, each searching it for a string.
    fn with_level(html: &str, level: Option<&str>) -> Rooted {
        let mut joined = String::with_capacity(html.len());
        let mut cuts = Vec::new();
        let mut from = 0;
        for i in memchr::memchr_iter(1, html.as_bytes()) {
            // The mark's closing byte 1 comes up too, once the mark is passed.
            if i < from {
                continue;
            }
            let rest = &html[i..];
            if rest.starts_with(ROOT_MARK) {
                joined.push_str(&html[from..i]);
                cuts.push(joined.len() as u32);
                from = i + ROOT_MARK.len();
            } else if let Some(level) = level.filter(|_| rest.starts_with(HEADING_MARK)) {
                joined.push_str(&html[from..i]);
                joined.push_str(level);
                from = i + HEADING_MARK.len();
            }
        }
        joined.push_str(&html[from..]);
        Rooted { html: joined.into(), cuts: cuts.into() }
    }

    /// The HTML with each [`ROOT_MARK`] replaced by `root`, written to `out`.
    fn write_with_root(&self, root: &str, out: &mut String) {
        out.reserve(self.html.len() + self.cuts.len() * root.len());
        let mut from = 0;
        for &cut in self.cuts.iter() {
            out.push_str(&self.html[from..cut as usize]);
            out.push_str(root);
            from = cut as usize;
        }
        out.push_str(&self.html[from..]);
    }

    #[cfg(test)]
    fn with_root(&self, root: &str) -> String {
        let mut out = String::new();
        self.write_with_root(root, &mut out);
        out
    }

    /// A list item of the `cards` component: `{h2, h3}` with `root` filled in. Both are
    /// put together in one buffer kept per thread (the value makes its own copies) and
    /// handed to tera as a struct, so it builds the map once.
    fn item_with_root(h2: &Rooted, h3: &Rooted, root: &str) -> tera::Value {
        #[derive(Serialize)]
        struct Item<'s> {
            h2: &'s str,
            h3: &'s str,
        }
        thread_local! {
            static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
        }
        BUFFER.with_borrow_mut(|buffer| {
            buffer.clear();
            h2.write_with_root(root, buffer);
            let mid = buffer.len();
            h3.write_with_root(root, buffer);
            tera::Value::from_serializable(&Item { h2: &buffer[..mid], h3: &buffer[mid..] })
        })
    }
}

/// [`Vars`] as one map value (a list entry, a section).
///
/// Made through serde as a struct (the names are `&'static str`): tera then builds the
/// map once, keyed by the names as they are. Built as a `tera::Map` and converted, it was
/// built twice (`From` copies every entry into a new map) with an allocated key each.
fn map(vars: Vars) -> tera::Value {
    struct Fields(Vars);
    impl Serialize for Fields {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeStruct;
            let mut fields = serializer.serialize_struct("Vars", self.0.len())?;
            for (name, value) in &self.0 {
                fields.serialize_field(name, value)?;
            }
            fields.end()
        }
    }
    tera::Value::from_serializable(&Fields(vars))
}

pub fn term_url(kind: &str, term: &str) -> String {
    format!("{kind}/{}/index.html", urls::encode_segment(term))
}

/// The partner finder with a 分野 and place chosen.
fn partners_url(domain: &str, prefecture: Option<&str>, municipality: Option<&str>) -> String {
    let mut url = format!("partners/index.html?domain={}", urls::encode_segment(domain));
    if let Some(p) = prefecture.filter(|p| *p != vocab::NATIONWIDE) {
        url.push_str(&format!("&prefecture={}", urls::encode_segment(p)));
    }
    if let Some(m) = municipality {
        url.push_str(&format!("&municipality={}", urls::encode_segment(m)));
    }
    url
}

fn page_url(folder: &str, page: usize) -> String {
    if page == 1 {
        format!("{folder}/index.html")
    } else {
        format!("{folder}/page/{page}/index.html")
    }
}

/// Page links on each side of the current one; the first and last page are always linked
/// and a gap stands for the pages between. Linking every page made each page of a long
/// list grow with the list (a national 分野 list has over a thousand pages), so lists cost
/// quadratic time and space.
const PAGER_WINDOW: usize = 2;

fn pager(folder: &str, page: usize, pages: usize) -> Value {
    if pages <= 1 {
        return Value::Null;
    }
    let link = |p: usize| json!({"number": p, "url": page_url(folder, p), "current": p == page});
    let (from, to) = (page.saturating_sub(PAGER_WINDOW).max(2), (page + PAGER_WINDOW).min(pages - 1));
    let mut links = vec![link(1)];
    if from > 2 {
        links.push(json!({"gap": true}));
    }
    links.extend((from..=to).map(link));
    if to + 1 < pages {
        links.push(json!({"gap": true}));
    }
    links.push(link(pages));
    json!({
        "current": page,
        "total": pages,
        "prev": (page > 1).then(|| page_url(folder, page - 1)),
        "next": (page < pages).then(|| page_url(folder, page + 1)),
        "pages": links,
    })
}

/// Output path of an alias (an old address), or `None` if it would leave the site.
pub fn alias_path(alias: &str) -> Option<String> {
    if alias.contains('\\') || alias.contains(':') || alias.contains('\0') {
        return None;
    }
    let norm = urls::normalize(alias.trim())?;
    if norm.is_empty() {
        return None;
    }
    Some(if norm.ends_with(".html") || norm.ends_with(".htm") { norm } else { format!("{norm}/index.html") })
}

/// What a term or region page and its paginated lists share.
struct TermPage<'p> {
    title: String,
    /// The page's own name in breadcrumbs.
    name: String,
    /// The breadcrumbs above it.
    crumbs: Vec<(String, String)>,
    items: &'p [usize],
}

/// The heading, names and items of a term or region page; `None` for other pages.
fn term_page(plan: &Plan) -> Option<TermPage<'_>> {
    let crumb = |t: &str, u: &str| (t.to_string(), u.to_string());
    let (title, name, crumbs, items) = match plan {
        Plan::Domain { name, items } => (format!("分野：{name}"), name.clone(), vec![crumb("分野から探す", "domains/index.html")], items),
        Plan::Region { prefecture, municipality: None, items, .. } => {
            (format!("地域：{prefecture}"), prefecture.clone(), vec![crumb("地域から探す", "regions/index.html")], items)
        }
        Plan::Region { prefecture, municipality: Some(m), items, .. } => (
            format!("地域：{prefecture} {m}"),
            m.clone(),
            vec![crumb("地域から探す", "regions/index.html"), crumb(prefecture, &term_url("regions", prefecture))],
            items,
        ),
        Plan::Kind { name, items } => (format!("種別：{name}"), name.clone(), vec![crumb("多様な主体", "actors/index.html")], items),
        Plan::Relation { value, items } => {
            let label = vocab::relation_label(value).unwrap_or(value);
            (format!("本業との関わり：{label}"), label.to_string(), vec![crumb("取り組み事例", "cases/index.html")], items)
        }
        _ => return None,
    };
    Some(TermPage { title, name, crumbs, items })
}

/// The collections of a term or region page, in order.
const SECTIONS: [Collection; 5] = [Collection::Case, Collection::Actor, Collection::Event, Collection::Policy, Collection::Guide];

/// How many related cases a case page shows.
const RELATED: usize = 4;

/// The header navigation: every collection and the two ways to browse.
const NAV: &[(&str, &str)] = &[
    ("cases", "取り組み事例"),
    ("actors", "多様な主体"),
    ("guides", "ガイドブック"),
    ("events", "イベント・研修"),
    ("policies", "施策・予算"),
    ("news", "お知らせ"),
    ("domains", "分野から探す"),
    ("regions", "地域から探す"),
    ("map", "地図"),
    ("partners", "協力先を探す"),
];

const WEEKDAYS: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];

/// `2024-05-01` → `2024年5月1日`.
pub fn date_ja(s: &str) -> String {
    match crate::validate::parse_date(s) {
        Some(d) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        None => s.to_string(),
    }
}

/// `2019` → `2019年`, `2019-04` → `2019年4月`, a full date → `2019年4月1日`.
fn started_ja(s: &str) -> String {
    match s.len() {
        4 => format!("{s}年"),
        7 => format!("{}年{}月", &s[..4], s[5..].trim_start_matches('0')),
        _ => date_ja(s),
    }
}

fn event_day(s: &str) -> Option<NaiveDate> {
    DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&crate::site::jst()).date_naive())
}

/// `2026年12月5日（土）13:30〜16:00`, shown in Japan time.
pub fn event_when(start: &str, end: Option<&str>) -> String {
    let parse = |s: &str| DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&crate::site::jst()));
    let Some(s) = parse(start) else { return start.to_string() };
    let day = |d: &DateTime<chrono::FixedOffset>| {
        format!("{}年{}月{}日（{}）", d.year(), d.month(), d.day(), WEEKDAYS[d.weekday().num_days_from_monday() as usize])
    };
    let time = |d: &DateTime<chrono::FixedOffset>| d.format("%H:%M").to_string();
    let midnight = |d: &DateTime<chrono::FixedOffset>| time(d) == "00:00";
    let mut out = day(&s);
    if !midnight(&s) {
        out.push_str(&time(&s));
    }
    if let Some(e) = end.and_then(parse) {
        if e.date_naive() == s.date_naive() {
            if !midnight(&e) {
                out.push_str(&format!("〜{}", time(&e)));
            }
        } else {
            out.push('〜');
            out.push_str(&day(&e));
            if !midnight(&e) {
                out.push_str(&time(&e));
            }
        }
    }
    out
}

fn fiscal_year_label(y: &str) -> String {
    match y.parse::<i32>() {
        Ok(n) if n >= 2019 => format!("{n}年度（令和{}年度）", n - 2018),
        Ok(n) => format!("{n}年度"),
        Err(_) => y.to_string(),
    }
}

/// The values a vocabulary field accepts, as the form offers them.
fn vocab_values(v: crate::schema::Vocab, domains: &[String]) -> Vec<String> {
    use crate::schema::Vocab;
    match v {
        Vocab::Domain => domains.to_vec(),
        Vocab::Prefecture => vocab::PREFECTURES.iter().map(|s| s.to_string()).collect(),
        Vocab::PrefectureOrNation => vocab::PREFECTURES.iter().chain(&[vocab::NATIONWIDE]).map(|s| s.to_string()).collect(),
        Vocab::ActorKind => vocab::ACTOR_KINDS.iter().map(|s| s.to_string()).collect(),
        Vocab::Relation => vocab::RELATIONS.iter().map(|(v, _)| v.to_string()).collect(),
        Vocab::EventKind => vocab::EVENT_KINDS.iter().map(|s| s.to_string()).collect(),
        Vocab::Scale => vocab::SCALES.iter().map(|(v, _)| v.to_string()).collect(),
    }
}

/// schema.org data for search engines and other sites: Organization for actors, Event for
/// events, Article for cases.
fn json_ld(site: &Site, d: &Doc) -> Option<Value> {
    let url = (!site.config.base_url.is_empty()).then(|| urls::absolute(&site.config.base_url, &d.url));
    let v = match &d.meta {
        Meta::Actor(a) => json!({
            "@context": "https://schema.org", "@type": "Organization", "name": d.common.title,
            "description": d.common.summary, "url": a.website.clone().or(url),
            "address": a.address.as_ref().map(|ad| json!({"@type": "PostalAddress", "streetAddress": ad, "addressRegion": a.prefecture, "addressCountry": "JP"})),
            "areaServed": if a.municipalities.is_empty() { vec![a.prefecture.clone()] } else { a.municipalities.clone() },
            "geo": a.location.map(|l| json!({"@type": "GeoCoordinates", "latitude": l.lat, "longitude": l.lon})),
        }),
        Meta::Event(e) => json!({
            "@context": "https://schema.org", "@type": "Event", "name": d.common.title, "description": d.common.summary,
            "startDate": e.start, "endDate": e.end, "url": url,
            "eventAttendanceMode": if e.online && e.venue.is_none() { "https://schema.org/OnlineEventAttendanceMode" } else if e.online { "https://schema.org/MixedEventAttendanceMode" } else { "https://schema.org/OfflineEventAttendanceMode" },
            "location": match (&e.venue, e.online) {
                (Some(v), _) => json!({"@type": "Place", "name": v, "address": e.prefecture}),
                (None, true) => json!({"@type": "VirtualLocation", "url": e.registration}),
                (None, false) => Value::Null,
            },
        }),
        Meta::Case(c) => json!({
            "@context": "https://schema.org", "@type": "Article", "headline": d.common.title, "description": d.common.summary,
            "datePublished": d.common.date, "dateModified": d.common.updated.clone().or(d.common.date.clone()), "url": url,
            "about": c.domains, "contentLocation": {"@type": "Place", "name": format!("{}{}", c.prefecture, c.municipality.clone().unwrap_or_default())},
            "publisher": {"@type": "Organization", "name": if site.config.publisher.is_empty() { &site.config.title } else { &site.config.publisher }},
        }),
        _ => return None,
    };
    Some(v)
}

/// JSON safe inside a `<script>` element: `<`, `>` and `&` are written as escapes, so a
/// title containing `</script>` cannot end the element.
pub fn script_json<T: Serialize + ?Sized>(v: &T) -> String {
    let json = serde_json::to_string(v).expect("json");
    if !json.bytes().any(|b| matches!(b, b'<' | b'>' | b'&')) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// Prefixes every id and in-page link of rendered Markdown, inside the content namespace
/// (text cannot contain the patterns: raw HTML is escaped, and every id and in-page link
/// of a body starts with the namespace).
fn prefix_ids(html: &str, prefix: &str) -> String {
    let ns = markdown::CONTENT_ID_PREFIX;
    html.replace(&format!(" id=\"{ns}"), &format!(" id=\"{ns}{prefix}")).replace(&format!("href=\"#{ns}"), &format!("href=\"#{ns}{prefix}"))
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_times_in_japanese() {
        assert_eq!(event_when("2026-12-05T13:30:00+09:00", Some("2026-12-05T16:00:00+09:00")), "2026年12月5日（土）13:30〜16:00");
        assert_eq!(event_when("2026-12-05T00:00:00+09:00", Some("2026-12-06T00:00:00+09:00")), "2026年12月5日（土）〜2026年12月6日（日）");
    }

    #[test]
    fn aliases_stay_inside() {
        assert_eq!(alias_path("/old/case/").unwrap(), "old/case/index.html");
        assert_eq!(alias_path("old.html").unwrap(), "old.html");
        assert!(alias_path("../../etc").is_none());
        assert!(alias_path("C:\\x").is_none());
    }

    #[test]
    fn flat_start_is_the_start_of_the_words_joined() {
        let pieces = ["あ", "見守り", " ", "\n", "\u{3000}", "ab", "\t", "𠮷", "。", "  "];
        for text in crate::testing::random_texts(&pieces, 3000, 12, 0x9E37_79B9_7F4A_7C15) {
            let joined: Vec<char> = text.split_whitespace().collect::<Vec<_>>().join(" ").chars().collect();
            for n in 0..8 {
                let expected: String = joined.iter().take(n).collect();
                assert_eq!(flat_start(&text, n), (expected, joined.len() > n), "{text:?} {n}");
            }
        }
    }

    #[test]
    fn excerpt_cuts_at_sentence() {
        assert_eq!(excerpt("あいうえお。かきくけこさしすせそ", 8), "あいうえお。");
        assert_eq!(excerpt("  ab \n cd  ", 5), "ab cd");
        assert_eq!(excerpt("ab  cd ef", 5), "ab cd…");
        assert_eq!(excerpt("ab cd", 3), "ab …");
        assert_eq!(excerpt("", 3), "");
    }

    #[test]
    fn heading_marks_become_the_level_and_root_marks_stay_cuts() {
        let html = format!("<{HEADING_MARK} class=\"t\"><a href=\"{ROOT_MARK}a/index.html\">\u{1}x</a></{HEADING_MARK}>{ROOT_MARK}");
        let expected = html.replace(HEADING_MARK, "h3");
        assert_eq!(Rooted::with_level(&html, Some("h3")).with_root("../"), Rooted::new(&expected).with_root("../"));
        assert_eq!(Rooted::with_level(&html, Some("h3")).with_root("../"), "<h3 class=\"t\"><a href=\"../a/index.html\">\u{1}x</a></h3>../");
    }

    #[test]
    fn the_root_placeholder_is_filled_in_and_other_control_characters_kept() {
        let html = format!("<a href=\"{ROOT_MARK}cases/a/index.html\">\u{1}x</a>{ROOT_MARK}");
        assert_eq!(Rooted::new(&html).with_root("../../"), "<a href=\"../../cases/a/index.html\">\u{1}x</a>../../");
        assert_eq!(Rooted::new(&html).with_root(""), "<a href=\"cases/a/index.html\">\u{1}x</a>");
        assert_eq!(Rooted::new("見守り").with_root("../"), "見守り");
        assert_eq!(Rooted::new("").with_root("../"), "");
    }

    #[test]
    fn the_pager_links_first_last_and_a_window_around_the_current_page() {
        let shown = |page, pages| -> Vec<String> {
            pager("news", page, pages)["pages"].as_array().unwrap().iter()
                .map(|p| if p["gap"] == true { "…".to_string() } else { p["number"].to_string() }).collect()
        };
        assert_eq!(shown(500, 1000), ["1", "…", "498", "499", "500", "501", "502", "…", "1000"]);
        assert_eq!(shown(1, 1000), ["1", "2", "3", "…", "1000"]);
        assert_eq!(shown(1000, 1000), ["1", "…", "998", "999", "1000"]);
        // A gap never stands for a single page that could have been linked instead of it.
        assert_eq!(shown(4, 8), ["1", "2", "3", "4", "5", "6", "…", "8"]);
        assert_eq!(shown(3, 5), ["1", "2", "3", "4", "5"]);
        assert_eq!(shown(2, 2), ["1", "2"]);
        assert!(pager("news", 1, 1).is_null());
        assert_eq!(pager("news", 500, 1000)["pages"][4]["current"], true);
    }
}
