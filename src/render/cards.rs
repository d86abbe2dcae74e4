//! The cards lists show: one per document, made from `card.html` once per document and
//! level (not once per list it appears in), with the page's way back to the root filled
//! in per page.

use super::{RenderError, Renderer};
use crate::dates::{date_ja, event_when};
use crate::markdown;
use crate::model::{Doc, Meta};
use crate::schema::Collection;
use crate::theme::labels::Labels;
use crate::urls::{self, term_url};
use serde::Serialize;

/// A document as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub collection: Collection,
    pub collection_label: String,
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

impl Renderer<'_> {
    /// A card list for the page at `path` (the `cards` component): per item its HTML, with
    /// the page's links, as `h2` and `h3`.
    pub(super) fn card_list(&self, path: &str, items: &[usize]) -> Result<tera::Value, RenderError> {
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
}

pub(super) fn card(d: &Doc, body: &markdown::Rendered, labels: &Labels) -> Card {
    let summary = d.common.summary.clone().unwrap_or_else(|| body.lead.excerpt(110));
    let (region, region_url) = match (d.prefecture(), d.case().and_then(|c| c.municipality.as_deref())) {
        (Some(p), Some(m)) => (format!("{p} {m}"), Some(urls::municipality_url(p, m))),
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
        collection_label: labels.collection(d.collection).to_string(),
        date,
        region,
        region_url,
        domains: d.domains().iter().map(|t| Term { name: t.clone(), url: term_url("domains", t) }).collect(),
        badge,
        external: d.external.is_some(),
        sources: d.external.as_ref().map(|e| e.sources.clone()).unwrap_or_default(),
    }
}

/// Stands for the page's way back to the site root in [`Renderer::card_list`]'s cards,
/// which are rendered once for pages at every depth.
pub(super) const ROOT_MARK: &str = "\u{1}root\u{1}";

/// Stands for the title's level (`h2`, `h3`) in a card rendered once for both; see
/// [`Renderer::heading_is_only_written`].
const HEADING_MARK: &str = "\u{1}heading\u{1}";

/// HTML with [`ROOT_MARK`]s, cut at them once, so that each page only joins the pieces
/// with its own way back to the root (no search through the HTML per page).
pub(super) struct Rooted {
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
    pub(super) fn item_with_root(h2: &Rooted, h3: &Rooted, root: &str) -> tera::Value {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
