//! The 事例集 booklet: every published case on one printable page, as prefectures print
//! their case collections — a cover (site, title, date), a contents list, then one case
//! per printed page (`print.css` breaks the pages) with its fields as a table. One for the
//! whole site (`cases/booklet/`), one per 分野 and one per prefecture with cases.
//! `kyoso booklet --pdf` prints one of these pages through a headless Chromium.

use crate::theme::labels::fill;
use super::plan::Plan;
use super::{made, Made, RenderError, Renderer};
use crate::dates::date_ja;
use crate::schema::Collection;
use crate::theme::values::vars;
use crate::urls::{self, term_url};
use crate::vocab;
use serde_json::{json, Value};

/// Which cases a booklet has.
#[derive(Hash)]
pub(super) enum Scope {
    All,
    Domain(String),
    Prefecture(String),
}

/// Where the booklet of every case (no scope), of a 分野 or of a prefecture is written.
pub fn booklet_path(domain: Option<&str>, prefecture: Option<&str>) -> String {
    match (domain, prefecture) {
        (Some(d), _) => format!("domains/{d}/booklet/index.html"),
        (None, Some(p)) => format!("regions/{p}/booklet/index.html"),
        (None, None) => "cases/booklet/index.html".into(),
    }
}

impl Renderer<'_> {
    /// The booklets: the whole site's (always, so the case list can link it), and one per
    /// 分野 and per prefecture that has a case of this site. Cases of other sites
    /// (aggregated) have no text here and are left out.
    pub(super) fn booklet_plans(&self) -> Vec<(String, Plan)> {
        let site = self.site;
        let cases = self.booklet_cases(|_| true);
        let mut plans = vec![(booklet_path(None, None), Plan::Booklet { scope: Scope::All, items: cases.clone() })];
        for d in &site.domains {
            let items = self.booklet_cases(|i| site.docs[i].domains().contains(d));
            if !items.is_empty() {
                plans.push((booklet_path(Some(d), None), Plan::Booklet { scope: Scope::Domain(d.clone()), items }));
            }
        }
        for p in vocab::PREFECTURES {
            let items = self.booklet_cases(|i| site.docs[i].prefecture() == Some(p));
            if !items.is_empty() {
                plans.push((booklet_path(None, Some(p)), Plan::Booklet { scope: Scope::Prefecture(p.to_string()), items }));
            }
        }
        plans
    }

    /// This site's cases that `keep`, in the order of a printed collection: by
    /// prefecture (JIS order), municipality and title.
    fn booklet_cases(&self, keep: impl Fn(usize) -> bool) -> Vec<usize> {
        let site = self.site;
        let mut cases: Vec<usize> = site.of(Collection::Case).filter(|(i, d)| d.external.is_none() && keep(*i)).map(|(i, _)| i).collect();
        cases.sort_by_cached_key(|&i| {
            let d = &site.docs[i];
            let c = d.case().expect("case");
            (vocab::prefecture_order(&c.prefecture), c.municipality.clone(), d.common.title.clone(), d.slug.clone())
        });
        cases
    }

    /// The link to the booklet of a 分野 or prefecture page, when it has one.
    pub(super) fn booklet_link(&self, domain: Option<&str>, prefecture: Option<&str>, items: &[usize]) -> Option<String> {
        let has = items.iter().any(|&i| self.site.docs[i].collection == Collection::Case && self.site.docs[i].external.is_none());
        has.then(|| urls::encode_path(&booklet_path(domain, prefecture)))
    }

    pub(super) fn booklet(&self, path: &str, scope: &Scope, items: &[usize]) -> Result<Made, RenderError> {
        let site = self.site;
        let l = self.labels();
        let booklet = |of: &str| fill(&l.phrases.booklet_of, &[("name", of)]);
        let (title, crumbs) = match scope {
            Scope::All => (l.phrases.booklet.clone(), vec![(l.collections.case.clone(), "cases/index.html".to_string())]),
            Scope::Domain(d) => (booklet(d), vec![(l.pages.domains.clone(), "domains/index.html".into()), (d.clone(), term_url("domains", d))]),
            Scope::Prefecture(p) => (booklet(p), vec![(l.pages.regions.clone(), "regions/index.html".into()), (p.clone(), term_url("regions", p))]),
        };
        let cases: Vec<Value> = items
            .iter()
            .enumerate()
            .map(|(n, &i)| {
                let d = &site.docs[i];
                let card = &self.cards[i];
                let c = d.case().expect("case");
                // The body was made for the case's own page: its relative links and
                // pictures are pointed from this page instead, and its ids are made unique.
                let content = super::documents::prefix_ids(&rebase(&self.bodies[i].html, &d.url, path), &format!("k{}-", n + 1));
                json!({
                    "id": format!("case-{}", d.slug),
                    "number": n + 1,
                    "title": d.common.title,
                    "summary": d.common.summary,
                    "url": urls::encode_path(&d.url),
                    "address": (!site.config.base_url.is_empty()).then(|| urls::absolute(&site.config.base_url, &d.url)),
                    "region": card.region,
                    "area": c.area,
                    "domains": c.domains,
                    "partners": c.partners,
                    "source": c.source,
                    "details": self.case_details(c),
                    "date": d.common.date.as_deref().map(date_ja),
                    "updated": d.common.updated.as_deref().map(date_ja),
                    "content": content,
                })
            })
            .collect();
        let vars = vars!({"cases": cases, "date": date_ja(&site.today.to_string()), "scope_all": matches!(scope, Scope::All)});
        made("booklet.html", title, crumbs, vars)
    }
}

/// Points the relative links and pictures of `html`, made for the page at `from`, from the
/// page at `to` instead (both output paths). In-page links, absolute addresses and links
/// that climb above the root are left as they are.
fn rebase(html: &str, from: &str, to: &str) -> String {
    let from_dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = [" href=\"", " src=\""].iter().filter_map(|a| rest.find(a).map(|p| (p, a.len()))).min() {
        let (pos, len) = at;
        out.push_str(&rest[..pos + len]);
        rest = &rest[pos + len..];
        let end = rest.find('"').unwrap_or(rest.len());
        let value = &rest[..end];
        let relative = !value.is_empty() && !value.starts_with(['#', '/']) && !value.split('/').next().is_some_and(|s| s.contains(':'));
        let (target, tail) = value.split_at(value.find(['?', '#']).unwrap_or(value.len()));
        match urls::normalize(&urls::join(from_dir, &urls::decode(target))).filter(|_| relative) {
            Some(resolved) => {
                out.push_str(&urls::relative(to, &resolved));
                out.push_str(tail);
            }
            None => out.push_str(value),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::rebase;

    #[test]
    fn links_are_pointed_from_the_booklet() {
        let html = r##"<p><a href="../../actors/a/index.html#user-content-x">a</a> <img src="images/p%20q.jpg" alt=""> <a href="https://e.jp/x">e</a> <a href="#user-content-y">y</a> <a href="mailto:a@b.jp">m</a></p>"##;
        let out = rebase(html, "cases/k/index.html", "domains/買い物/booklet/index.html");
        assert!(out.contains(r##"href="../../../actors/a/index.html#user-content-x""##), "{out}");
        assert!(out.contains(r#"src="../../../cases/k/images/p%20q.jpg""#), "{out}");
        assert!(out.contains(r#"href="https://e.jp/x""#) && out.contains(r##"href="#user-content-y""##) && out.contains(r#"href="mailto:a@b.jp""#), "{out}");
        assert_eq!(rebase(html, "cases/k/index.html", "cases/k/index.html"), html, "the same page: unchanged");
    }
}
