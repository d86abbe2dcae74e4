//! Stage 4: every output page as (path, HTML). Pages are planned first (a cheap list of
//! what to render), then rendered in parallel through the theme's tera templates.
//!
//! Templates receive `root` (the relative prefix to the site root, `../../`) and URLs
//! relative to the root, already percent-encoded, and write links as `{{ root }}{{ url }}`.
//!
//! One module per page family: [`home`], [`lists`], [`documents`], [`terms`],
//! [`discovery`], [`checklist`] and [`booklet`]. [`plan`] decides which pages there are, [`cards`] makes the list cards
//! they share and [`stamps`] tells `serve` which pages an edit changed.

mod booklet;
mod cards;
mod checklist;
mod discovery;
mod documents;
mod home;
mod lists;
mod plan;
mod stamps;
mod terms;

pub use booklet::booklet_path;
pub use cards::{Card, Term};
pub use plan::Page;

use crate::bodies::Body;
use crate::model::fingerprint;
use crate::schema::Collection;
use crate::site::Site;
use crate::theme::values::{obj, script_json, vars, Vars};
use crate::theme::Theme;
use crate::{markdown, urls};
use cards::{card, Rooted, ROOT_MARK};
use plan::Plan;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The menu and the footer of a page, or the template that failed and why.
type Chrome = Result<(tera::Value, tera::Value), (String, String)>;

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

/// Breadcrumbs above a page: (title, URL from the root), outermost first.
type Crumbs = Vec<(String, String)>;

/// A page as its family makes it: the template, the title, the breadcrumbs and the
/// template's own variables. [`Renderer::finish`] adds what every page shows.
struct Made {
    template: &'static str,
    title: String,
    crumbs: Crumbs,
    vars: Vars,
    /// Bytes the page prints beyond an ordinary page's (the bodies a booklet prints).
    room: usize,
}

fn made(template: &'static str, title: String, crumbs: Crumbs, vars: Vars) -> Result<Made, RenderError> {
    Ok(Made { template, title, crumbs, vars, room: 0 })
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
    /// In a build, the documents' HTML, taken out of `bodies` and freed after the last
    /// page that prints it (see [`Renderer::spend`]).
    html: OnceLock<&'a crate::handout::Handout>,
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

impl<'a> Renderer<'a> {
    /// Prepares the list cards from the documents and their rendered Markdown.
    pub fn new(site: &'a Site, theme: &'a Theme, bodies: &'a [Body]) -> Self {
        let cards: Vec<Card> = site.docs.par_iter().zip(bodies).map(|(d, b)| card(d, b, &theme.labels)).collect();
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
            html: OnceLock::new(),
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

    /// Renders from the documents' HTML in `html` (the bodies' own having been taken out),
    /// each freed after the last of `pages` that prints it. Called before any page is
    /// rendered, once.
    pub fn spend(&self, html: &'a crate::handout::Handout, pages: &[Page]) {
        for p in pages {
            for i in self.html_uses(&p.plan) {
                html.expect(i);
            }
        }
        html.drop_unused();
        assert!(self.html.set(html).is_ok(), "the HTML is handed to a renderer once");
    }

    /// The documents whose HTML a page prints, once each time it prints it.
    fn html_uses(&self, plan: &Plan) -> Vec<usize> {
        match plan {
            Plan::Doc(i) => vec![*i],
            Plan::GuidePrint(i) => std::iter::once(*i).chain(self.site.chapters(&self.site.docs[*i].slug)).collect(),
            Plan::Booklet { items, .. } => items.clone(),
            _ => Vec::new(),
        }
    }

    /// `f` of document `i`'s HTML, for a page counted in [`Renderer::html_uses`] (lent,
    /// see [`Handout::with`](crate::handout::Handout::with)).
    fn with_body_html<R>(&self, i: usize, f: impl FnOnce(&str) -> R) -> R {
        match self.html.get() {
            Some(h) => h.with(i, f),
            None => f(&self.bodies[i].html),
        }
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

    fn count(&self, c: Collection) -> usize {
        self.counts.get(&c).copied().unwrap_or(0)
    }

    fn cards(&self, items: &[usize]) -> Vec<&Card> {
        items.iter().map(|&i| &self.cards[i]).collect()
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
        let made = match plan {
            Plan::Home => self.home(path),
            Plan::Doc(i) => self.document(path, *i),
            Plan::GuidePrint(i) => self.guide_print(*i),
            Plan::List { collection, items, page, pages } => self.list(path, *collection, items, *page, *pages),
            Plan::Sub(sub) => self.sub_list(path, sub),
            Plan::Events => self.events(path),
            Plan::Policies => self.policies(path),
            Plan::Guides => self.guides(),
            Plan::DomainIndex => self.domain_index(),
            Plan::Domain { name, items } => self.domain(path, plan, name, items),
            Plan::RegionIndex => self.region_index(),
            Plan::Region { prefecture, municipality, items, children } => {
                self.region(path, plan, prefecture, municipality.as_deref(), items, children)
            }
            Plan::Kind { items, .. } | Plan::Relation { items, .. } => self.kind_or_relation(path, plan, items),
            Plan::Links => self.links(),
            Plan::Search => self.search(),
            Plan::Map => self.map_page(),
            Plan::Partners => self.partners(),
            Plan::Apply => self.apply(),
            Plan::OpenData => self.open_data(),
            Plan::Checklist => self.checklist_page(),
            Plan::Booklet { scope, items, volume } => self.booklet(path, scope, items, *volume),
            Plan::NotFound => self.not_found(),
            Plan::Alias { target } => self.alias(path, *target),
        }?;
        self.finish(path, made)
    }

    /// The page from its template, with what every page shows: the menu, the footer,
    /// the way back to the root, breadcrumbs, the site.
    fn finish(&self, path: &str, made: Made) -> Result<Output, RenderError> {
        let Made { template, title, crumbs, mut vars, room } = made;
        vars.push(("title", title.into()));
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
        // the buffer is not grown and copied while the page is written. A booklet's volume
        // (a megabyte) was copied over and over as it doubled.
        let mut bytes = Vec::with_capacity(32 * 1024 + room);
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

    /// The words of the theme's `labels.toml`, with the site's changes.
    fn labels(&self) -> &crate::theme::labels::Labels {
        &self.theme.labels
    }

    /// The header navigation: every listed collection and the ways to browse.
    fn nav(&self) -> Vec<Value> {
        let l = self.labels();
        let collections = [Collection::Case, Collection::Actor, Collection::Guide, Collection::Event, Collection::Policy, Collection::News];
        let sections = collections.iter().map(|&c| (c.folder(), l.collection(c)));
        let browse = [("domains", &l.pages.domains), ("regions", &l.pages.regions), ("map", &l.menu.map), ("partners", &l.menu.partners)];
        sections
            .chain(browse.into_iter().map(|(s, label)| (s, label.as_str())))
            .map(|(section, label)| json!({"section": section, "label": label, "url": format!("{section}/index.html")}))
            .collect()
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
               "base_url": c.base_url, "map_config": script_json(&json!({"tiles": c.map.tile_url, "attribution": markdown::clean_config_html(&c.map.attribution)})), "nav": self.nav(), "labels": self.labels()})
    }

    fn canonical(&self, path: &str) -> Option<String> {
        let base = &self.site.config.base_url;
        (!base.is_empty()).then(|| urls::absolute(base, path))
    }
}

/// How many related cases a case page shows.
const RELATED: usize = 4;


