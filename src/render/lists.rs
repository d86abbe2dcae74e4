//! Paginated lists of a collection (cases, actors, news, and a term page's collections
//! beyond its first page), events, policies by fiscal year, guides with their chapters.

use super::plan::SubList;
use super::{made, Made, RenderError, Renderer};
use crate::dates::{event_day, fiscal_year_label};
use crate::model::Doc;
use crate::schema::Collection;
use crate::theme::labels::fill;
use crate::theme::values::{map, vars};
use crate::urls::{self, page_url, term_url};
use crate::vocab;
use serde_json::{json, Value};

impl Renderer<'_> {
    pub(super) fn list(&self, path: &str, collection: Collection, items: &[usize], page: usize, pages: usize) -> Result<Made, RenderError> {
        let folder = collection.folder();
        let label = self.labels().collection(collection);
        let title = if page > 1 { self.page_n(label, page) } else { label.to_string() };
        let total = self.count(collection);
        let mut crumbs = Vec::new();
        if page > 1 {
            crumbs.push((label.to_string(), page_url(folder, 1)));
        }
        let filters = self.list_filters.get(&collection).cloned().unwrap_or_default();
        let pager = pager(folder, page, pages);
        made(
            "list.html",
            title,
            crumbs,
            vars!({"heading": label, "total": total, "pager": pager, "collection": collection, "filters": filters, "items": self.card_list(path, items)?}),
        )
    }

    pub(super) fn sub_list(&self, path: &str, sub: &SubList) -> Result<Made, RenderError> {
        let SubList { folder, heading, crumbs, collection, total, items, page, pages } = sub;
        let mut crumbs = crumbs.clone();
        let title = if *page > 1 {
            crumbs.push((heading.clone(), urls::encode_path(&page_url(folder, 1))));
            self.page_n(heading, *page)
        } else {
            heading.clone()
        };
        made(
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

    pub(super) fn events(&self, path: &str) -> Result<Made, RenderError> {
        let (upcoming, past) = self.split_events();
        made("events.html", self.labels().collections.event.clone(), Vec::new(), vars!({"upcoming": self.card_list(path, &upcoming)?, "past": self.card_list(path, &past)?}))
    }

    pub(super) fn policies(&self, path: &str) -> Result<Made, RenderError> {
        let site = self.site;
        let mut years: Vec<(String, Vec<usize>)> = Vec::new();
        let mut items: Vec<(usize, &Doc)> = site.of(Collection::Policy).collect();
        items.sort_by(|a, b| b.1.policy().and_then(|p| p.fiscal_year.clone()).cmp(&a.1.policy().and_then(|p| p.fiscal_year.clone())));
        for (i, d) in items {
            let y = d.policy().and_then(|p| p.fiscal_year.clone()).map(|y| fiscal_year_label(&y)).unwrap_or_else(|| self.labels().phrases.no_fiscal_year.clone());
            match years.iter_mut().find(|(k, _)| *k == y) {
                Some(e) => e.1.push(i),
                None => years.push((y, vec![i])),
            }
        }
        let groups = years.iter().map(|(y, v)| Ok(map(vars!({"name": y, "items": self.card_list(path, v)?})))).collect::<Result<Vec<_>, RenderError>>()?;
        made("policies.html", self.labels().collections.policy.clone(), Vec::new(), vars!({"groups": groups}))
    }

    pub(super) fn guides(&self) -> Result<Made, RenderError> {
        let site = self.site;
        let guides: Vec<Value> = site
            .of(Collection::Guide)
            .map(|(i, d)| json!({"card": self.cards[i], "chapters": self.cards(&site.chapters(&d.slug))}))
            .collect();
        made("guides.html", self.labels().collections.guide.clone(), Vec::new(), vars!({"guides": guides}))
    }

    /// The kind (actors) or 本業との関わり (cases) links above a list, with counts.
    pub(super) fn filters_of(&self, collection: Collection) -> Vec<Value> {
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

    /// Upcoming events (soonest first) and past events (latest first) on the build date.
    /// The title of page `page` (2 or more) of a list.
    fn page_n(&self, title: &str, page: usize) -> String {
        fill(&self.labels().phrases.page_n, &[("title", title), ("page", &page.to_string())])
    }

    pub(super) fn split_events(&self) -> (Vec<usize>, Vec<usize>) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
