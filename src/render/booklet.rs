//! The 事例集 booklet: every published case on one printable page, as prefectures print
//! their case collections — a cover (site, title, date), a contents list, then one case
//! per printed page (`print.css` breaks the pages) with its fields as a table. One for the
//! whole site (`cases/booklet/`), one per 分野 and one per prefecture with cases.
//! `kyoso booklet --pdf` prints one of these pages through a headless Chromium.
//!
//! A booklet of more than [`VOLUME_CASES`] cases is printed in volumes (分冊), each a page
//! of its own (`cases/booklet/2/`, …) that lists all of them: a printed collection is
//! bound in volumes too, and one page holding every case of a large site (hundreds of
//! megabytes at 40,000 cases) could neither be printed nor be made in bounded memory.

use crate::theme::labels::fill;
use super::plan::{Plan, Scope, Volume};
use super::{made, Made, RenderError, Renderer};
use crate::dates::date_ja;
use crate::schema::Collection;
use crate::theme::values::{obj, vars};
use crate::urls::{self, term_url};
use crate::vocab;
use serde_json::{json, Value};

/// Cases in one volume of a booklet: a print of 100 to 300 pages.
pub const VOLUME_CASES: usize = 100;

/// Where the booklet of every case (no scope), of a 分野 or of a prefecture is written:
/// its first volume (`…/booklet/index.html`) or a later one (`…/booklet/2/index.html`).
pub fn booklet_path(domain: Option<&str>, prefecture: Option<&str>, volume: usize) -> String {
    let folder = match (domain, prefecture) {
        (Some(d), _) => format!("domains/{d}/booklet"),
        (None, Some(p)) => format!("regions/{p}/booklet"),
        (None, None) => "cases/booklet".into(),
    };
    match volume {
        0 | 1 => format!("{folder}/index.html"),
        n => format!("{folder}/{n}/index.html"),
    }
}

impl Renderer<'_> {
    /// The booklets: the whole site's (always, so the case list can link it), and one per
    /// 分野 and per prefecture that has a case of this site. Cases of other sites
    /// (aggregated) have no text here and are left out.
    pub(super) fn booklet_plans(&self) -> Vec<(String, Plan)> {
        let site = self.site;
        let mut plans = Vec::new();
        volumes(&mut plans, Scope::All, self.booklet_cases(|_| true));
        for d in &site.domains {
            let items = self.booklet_cases(|i| site.docs[i].domains().contains(d));
            if !items.is_empty() {
                volumes(&mut plans, Scope::Domain(d.clone()), items);
            }
        }
        for p in vocab::PREFECTURES {
            let items = self.booklet_cases(|i| site.docs[i].prefecture() == Some(p));
            if !items.is_empty() {
                volumes(&mut plans, Scope::Prefecture(p.to_string()), items);
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
        has.then(|| urls::encode_path(&booklet_path(domain, prefecture, 1)))
    }

    pub(super) fn booklet(&self, path: &str, scope: &Scope, items: &[usize], volume: Volume) -> Result<Made, RenderError> {
        let site = self.site;
        let l = self.labels();
        let booklet = |of: &str| fill(&l.phrases.booklet_of, &[("name", of)]);
        let (title, crumbs) = match scope {
            Scope::All => (l.phrases.booklet.clone(), vec![(l.collections.case.clone(), "cases/index.html".to_string())]),
            Scope::Domain(d) => (booklet(d), vec![(l.pages.domains.clone(), "domains/index.html".into()), (d.clone(), term_url("domains", d))]),
            Scope::Prefecture(p) => (booklet(p), vec![(l.pages.regions.clone(), "regions/index.html".into()), (p.clone(), term_url("regions", p))]),
        };
        let (domain, prefecture) = scope.parts();
        // Numbers run on through the volumes, as in a bound set.
        let offset = (volume.number - 1) * VOLUME_CASES;
        let volumes: Vec<Value> = (1..=volume.count)
            .map(|n| {
                let first = (n - 1) * VOLUME_CASES + 1;
                json!({
                    "number": n,
                    "url": urls::encode_path(&booklet_path(domain, prefecture, n)),
                    "current": n == volume.number,
                    "first": first,
                    "last": (n * VOLUME_CASES).min(volume.total),
                })
            })
            .collect();
        let title = match volume.count {
            1 => title,
            _ => fill(&l.phrases.booklet_volume, &[("title", &title), ("volume", &volume.number.to_string()), ("volumes", &volume.count.to_string())]),
        };
        // Room in the page for the bodies, and each case's table and contents line (about
        // 2 KB in the theme).
        let mut room = 0;
        let cases: Vec<tera::Value> = items
            .iter()
            .enumerate()
            .map(|(n, &i)| {
                let d = &site.docs[i];
                let card = &self.cards[i];
                let c = d.case().expect("case");
                // The body was made for the case's own page: its relative links and
                // pictures are pointed from this page instead, and its ids are made unique.
                let content = super::documents::prefix_ids(&self.with_body_html(i, |h| rebase(h, &d.url, path)), &format!("k{}-", offset + n + 1));
                room += content.len() + 2048;
                // Made as a template value straight away: a `json!` object was a map with a
                // string per name, converted into tera's map with another.
                obj!({
                    "id": format!("case-{}", d.slug),
                    "number": offset + n + 1,
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
        let volume = (volume.count > 1).then(|| json!({"number": volume.number, "count": volume.count, "list": volumes}));
        let vars = vars!({"cases": cases, "date": date_ja(&site.today.to_string()), "scope_all": matches!(scope, Scope::All), "volume": volume});
        Ok(Made { room, ..made("booklet.html", title, crumbs, vars)? })
    }
}

/// The plans of a booklet's volumes: [`VOLUME_CASES`] cases each, one volume at least
/// (the whole site's booklet exists even without cases, so the case list can link it).
fn volumes(plans: &mut Vec<(String, Plan)>, scope: Scope, items: Vec<usize>) {
    let count = items.len().div_ceil(VOLUME_CASES).max(1);
    for number in 1..=count {
        let chunk: Vec<usize> = items.iter().skip((number - 1) * VOLUME_CASES).take(VOLUME_CASES).copied().collect();
        let (domain, prefecture) = scope.parts();
        let path = booklet_path(domain, prefecture, number);
        plans.push((path, Plan::Booklet { scope: scope.clone(), items: chunk, volume: Volume { number, count, total: items.len() } }));
    }
}

/// Points the relative links and pictures of `html`, made for the page at `from`, from the
/// page at `to` instead (both output paths). In-page links, absolute addresses and links
/// that climb above the root are left as they are.
fn rebase(html: &str, from: &str, to: &str) -> String {
    const ATTRS: [&str; 2] = [" href=\"", " src=\""];
    let from_dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = String::with_capacity(html.len());
    let next = |attr: &str, after: usize| memchr::memmem::find(&html.as_bytes()[after..], attr.as_bytes()).map(|p| after + p);
    // Where each attribute next starts, searched again only once passed: searching both
    // after every link scanned the rest of a body once per link (a body with many links
    // and no picture was quadratic, and this was 3 % of a build's time); memmem's vector
    // search is several times faster than `str::find` for a string.
    let mut at = ATTRS.map(|a| next(a, 0));
    let mut done = 0;
    while let Some((k, pos)) = at.iter().enumerate().filter_map(|(k, p)| p.map(|p| (k, p))).min_by_key(|&(_, p)| p) {
        let start = pos + ATTRS[k].len();
        out.push_str(&html[done..start]);
        let end = html[start..].find('"').map_or(html.len(), |e| start + e);
        let value = &html[start..end];
        let relative = !value.is_empty() && !value.starts_with(['#', '/']) && !value.split('/').next().is_some_and(|s| s.contains(':'));
        let (target, tail) = value.split_at(value.find(['?', '#']).unwrap_or(value.len()));
        match urls::normalize(&urls::join(from_dir, &urls::decode(target))).filter(|_| relative) {
            Some(resolved) => {
                out.push_str(&urls::relative(to, &resolved));
                out.push_str(tail);
            }
            None => out.push_str(value),
        }
        done = end;
        for (k, attr) in ATTRS.iter().enumerate() {
            if at[k].is_some_and(|p| p < done) {
                at[k] = next(attr, done);
            }
        }
    }
    out.push_str(&html[done..]);
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

    /// The plain loop `rebase` replaced: both attributes searched again after every link.
    fn searching_both_after_every_link(html: &str, from: &str, to: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some((pos, len)) = [" href=\"", " src=\""].iter().filter_map(|a| rest.find(a).map(|p| (p, a.len()))).min() {
            out.push_str(&rest[..pos + len]);
            rest = &rest[pos + len..];
            let end = rest.find('"').unwrap_or(rest.len());
            // One link rebased alone gives its new value.
            let one = rebase(&format!(" href=\"{}\"", &rest[..end]), from, to);
            out.push_str(&one[7..one.len() - 1]);
            rest = &rest[end..];
        }
        out + rest
    }

    #[test]
    fn rebasing_finds_every_link_the_plain_loop_found() {
        let pieces = [" href=\"", " src=\"", "../a/index.html", "images/p.jpg", "#x", "\"", "<a", "https://e.jp/", "見出し", " "];
        for html in crate::testing::random_texts(&pieces, 3000, 14, 0x2545_F491_4F6C_DD1D) {
            let (from, to) = ("cases/k/index.html", "cases/booklet/2/index.html");
            assert_eq!(rebase(&html, from, to), searching_both_after_every_link(&html, from, to), "{html:?}");
        }
    }
}
