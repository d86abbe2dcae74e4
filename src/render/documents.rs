//! Each document's own page (case, actor, event, policy, guide, chapter, page), and a
//! guide's print page with every chapter.

use super::{made, Made, RenderError, Renderer};
use crate::dates::{date_ja, event_day, event_when, fiscal_year_label, started_ja};
use crate::markdown;
use crate::model::{Doc, Meta};
use crate::schema::Collection;
use crate::site::Site;
use crate::theme::labels::fill;
use crate::theme::values::{map, obj, script_json, vars, Vars};
use crate::urls::{self, term_url};
use crate::vocab;
use serde_json::{json, Value};

impl Renderer<'_> {
    /// A document's own page, from the template of its collection.
    pub(super) fn document(&self, path: &str, i: usize) -> Result<Made, RenderError> {
        let site = self.site;
        let d = &site.docs[i];
        let body = &self.bodies[i];
        let card = &self.cards[i];
        let mut crumbs: Vec<(String, String)> = Vec::new();
        // Above a document, the list of its collection (a chapter's is its guide's).
        let section = match d.collection {
            Collection::Page => None,
            Collection::Chapter => Some(Collection::Guide),
            c => Some(c),
        };
        if let Some(c) = section {
            crumbs.push((self.labels().collection(c).to_string(), format!("{}/index.html", c.folder())));
        }
        let page = map(vars!({
            "title": d.common.title,
            "summary": d.common.summary,
            "content": self.with_body_html(i, |h| tera::Value::from(h)),
            "toc": body.toc,
            "collection": d.collection,
            "collection_label": self.labels().collection(d.collection),
            "date": d.common.date.as_deref().map(date_ja),
            "updated": d.common.updated.as_deref().map(date_ja),
            "tags": d.common.tags,
            "domains": card.domains,
            "region": card.region,
            "region_url": card.region_url,
            "meta": d.meta,
            "images": d.common.images.iter().map(|im| json!({"src": urls::relative(&d.url, &urls::normalize(&urls::join(d.url.rsplit_once('/').map(|x| x.0).unwrap_or(""), &im.src)).unwrap_or_default()), "alt": im.alt})).collect::<Vec<_>>(),
        }));
        let mut extra = Vars::new();
        let template = match &d.meta {
            Meta::Case(c) => {
                let details = self.case_details(c);
                for key in ["actors", "relation_label", "steps", "started"] {
                    extra.push((key, tera::Value::from_serializable(&details[key])));
                }
                extra.extend(vars!({"related": self.card_list(path, &self.related(i))?}));
                "case.html"
            }
            Meta::Actor(a) => {
                extra.extend(vars!({
                    "cases": self.card_list(path, site.cases_of_actor(&d.slug))?,
                    "scale_label": a.scale.as_deref().and_then(vocab::scale_label),
                    "kind_url": term_url("kinds", &a.kind),
                    "map_url": format!("map/index.html?kind={}", urls::encode_segment(&a.kind)),
                    "registered": a.registered.as_deref().map(date_ja),
                    "municipality_links": a.municipalities.iter().map(|m| obj!({"name": m, "url": urls::municipality_url(&a.prefecture, m)})).collect::<Vec<_>>(),
                }));
                "actor.html"
            }
            Meta::Event(e) => {
                let upcoming = event_day(&e.end.clone().unwrap_or_else(|| e.start.clone())).is_some_and(|day| day >= site.today);
                let ics_url = crate::feeds::event_ics_path(d).map(|p| urls::encode_path(&p));
                extra.extend(vars!({"when": event_when(&e.start, e.end.as_deref()), "upcoming": upcoming, "ics_url": ics_url}));
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
        extra.extend(vars!({"jsonld": json_ld(site, d).map(|v| script_json(&v)), "page": page}));
        made(template, d.common.title.clone(), crumbs, extra)
    }

    /// What a case's page and the booklet show of a case besides its text: its actors
    /// (with kind and core business), how it relates to their business, its steps and start.
    pub(super) fn case_details(&self, c: &crate::model::CaseMeta) -> Value {
        let site = self.site;
        let actors: Vec<Value> = c
            .actors
            .iter()
            .filter_map(|a| site.get(Collection::Actor, a))
            .map(|a| json!({"title": a.common.title, "url": a.url, "kind": a.actor().map(|m| m.kind.clone()), "core_business": a.actor().and_then(|m| m.core_business.clone())}))
            .collect();
        json!({
            "actors": actors,
            "relation_label": c.business_relation.as_deref().and_then(vocab::relation_label),
            "steps": c.steps.iter().filter_map(|s| vocab::STEPS.iter().find(|(n, _)| n == s).map(|(_, l)| *l)).collect::<Vec<_>>(),
            "started": c.started.as_deref().map(started_ja),
        })
    }

    pub(super) fn guide_print(&self, i: usize) -> Result<Made, RenderError> {
        let site = self.site;
        let d = &site.docs[i];
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
                let html = self.with_body_html(c, |h| prefix_ids(h, &format!("c{}-", n + 1)));
                json!({"number": n + 1, "title": doc.common.title, "id": format!("chapter-{}", doc.slug), "content": html})
            })
            .collect();
        made(
            "guide_print.html",
            fill(&self.labels().phrases.print_all, &[("title", &d.common.title)]),
            vec![(self.labels().collections.guide.clone(), "guides/index.html".into()), (d.common.title.clone(), d.url.clone())],
            vars!({"guide": self.cards[i], "chapters": chapters, "intro": self.with_body_html(i, |h| prefix_ids(h, "c0-"))}),
        )
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

/// Prefixes every id and in-page link of rendered Markdown, inside the content namespace
/// (text cannot contain the patterns: raw HTML is escaped, and every id and in-page link
/// of a body starts with the namespace).
pub(super) fn prefix_ids(html: &str, prefix: &str) -> String {
    let ns = markdown::CONTENT_ID_PREFIX;
    // One pass with memmem's vector search, where two `str::replace`s copied the body twice
    // with a slower search: booklets run this over every case (4 % of a build's time). The
    // two patterns cannot overlap (one starts with a space, the other has none and no
    // `id="`), so their places in one sorted list give what replacing one then the other gave.
    let (id, link) = (format!(" id=\"{ns}"), format!("href=\"#{ns}"));
    let bytes = html.as_bytes();
    let mut ends: Vec<usize> = memchr::memmem::find_iter(bytes, &id).map(|p| p + id.len()).chain(memchr::memmem::find_iter(bytes, &link).map(|p| p + link.len())).collect();
    ends.sort_unstable();
    let mut out = String::with_capacity(html.len() + ends.len() * prefix.len());
    let mut done = 0;
    for end in ends {
        out.push_str(&html[done..end]);
        out.push_str(prefix);
        done = end;
    }
    out.push_str(&html[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::prefix_ids;

    #[test]
    fn prefixing_in_one_pass_gives_what_two_replaces_gave() {
        let pieces = [" id=\"user-content-", "href=\"#user-content-", "a\">", "<h2", " id=\"x", "href=\"#", "<a ", "見出し", "user-content-", "\""];
        for html in crate::testing::random_texts(&pieces, 3000, 14, 0x9E37_79B9_7F4A_7C15) {
            let two_replaces = html.replace(" id=\"user-content-", " id=\"user-content-k3-").replace("href=\"#user-content-", "href=\"#user-content-k3-");
            assert_eq!(prefix_ids(&html, "k3-"), two_replaces, "{html:?}");
        }
    }
}
