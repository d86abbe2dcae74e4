//! Stage 3: the site as a whole — which documents are published on this build date, and
//! the indexes between them (actors ↔ cases, 分野, regions) that pages are built from.
//! Every index is a hash map built in one pass, so nothing here is quadratic.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Doc, Link};
use crate::schema::Collection;
use crate::vocab;
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Japan Standard Time; Japan has no daylight saving, so a fixed offset is exact.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("valid offset")
}

pub struct Site {
    pub config: Config,
    /// Published documents, in a stable order (collection, then newest first, then slug).
    pub docs: Vec<Doc>,
    /// The build date (Japan time): events before it are past.
    pub today: NaiveDate,
    pub domains: Vec<String>,
    pub links: Vec<Link>,
    pub home_intro: Option<String>,
    /// Files under `content/` that are not Markdown, relative to `content/`.
    pub assets: Vec<PathBuf>,
    by_slug: HashMap<(Collection, String), usize>,
    cases_by_actor: HashMap<String, Vec<usize>>,
}

pub struct Filter {
    pub drafts: bool,
    pub now: DateTime<FixedOffset>,
}

impl Site {
    /// Keeps what is published on this build and builds the indexes.
    pub fn assemble(
        config: Config,
        mut docs: Vec<Doc>,
        filter: &Filter,
        links: Vec<Link>,
        home_intro: Option<String>,
        assets: Vec<PathBuf>,
        diags: &mut Diagnostics,
    ) -> Site {
        docs.retain(|d| is_published(d, filter));
        // Chapters of an unpublished guide are unpublished too.
        let guides: std::collections::HashSet<String> =
            docs.iter().filter(|d| d.collection == Collection::Guide).map(|d| d.slug.clone()).collect();
        docs.retain(|d| d.collection != Collection::Chapter || d.guide.as_ref().is_some_and(|g| guides.contains(g)));
        docs.sort_by(|a, b| {
            (a.collection, a.guide.as_deref(), a.common.weight.unwrap_or(i64::MAX))
                .cmp(&(b.collection, b.guide.as_deref(), b.common.weight.unwrap_or(i64::MAX)))
                .then_with(|| b.sort_date().cmp(a.sort_date()))
                .then_with(|| a.slug.cmp(&b.slug))
        });

        let by_slug: HashMap<(Collection, String), usize> = docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.collection != Collection::Chapter)
            .map(|(i, d)| ((d.collection, d.slug.clone()), i))
            .collect();
        let mut cases_by_actor: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in docs.iter().enumerate() {
            if let Some(c) = d.case() {
                for a in &c.actors {
                    if by_slug.contains_key(&(Collection::Actor, a.clone())) {
                        cases_by_actor.entry(a.clone()).or_default().push(i);
                    } else if d.external.is_none() {
                        let (line, col) = d.locator.locate_item("actors", a);
                        diags.push(
                            Diagnostic::warning(&d.source, format!("主体「{a}」は下書きか公開前のため、この事例には表示しません"))
                                .at(line, col)
                                .field("actors"),
                        );
                    }
                }
            }
            for m in d.municipalities() {
                if !is_safe_path_name(m) {
                    let (line, col) = d.locator.locate_item(if d.collection == Collection::Case { "municipality" } else { "municipalities" }, m);
                    diags.push(
                        Diagnostic::error(&d.source, format!("市区町村名「{m}」に使えない記号があります"))
                            .at(line, col)
                            .hint("市区町村名には / \\ : * ? \" < > | を使わないでください。"),
                    );
                }
            }
        }
        let domains = config.domains();
        Site {
            today: filter.now.date_naive(),
            config,
            docs,
            domains,
            links,
            home_intro,
            assets,
            by_slug,
            cases_by_actor,
        }
    }

    pub fn get(&self, collection: Collection, slug: &str) -> Option<&Doc> {
        self.index_of(collection, slug).map(|i| &self.docs[i])
    }

    pub fn index_of(&self, collection: Collection, slug: &str) -> Option<usize> {
        self.by_slug.get(&(collection, slug.to_string())).copied()
    }

    pub fn of(&self, collection: Collection) -> impl Iterator<Item = (usize, &Doc)> {
        self.docs.iter().enumerate().filter(move |(_, d)| d.collection == collection)
    }

    pub fn cases_of_actor(&self, actor: &str) -> &[usize] {
        self.cases_by_actor.get(actor).map_or(&[], Vec::as_slice)
    }

    /// Chapters of a guide in reading order.
    pub fn chapters(&self, guide: &str) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .of(Collection::Chapter)
            .filter(|(_, d)| d.guide.as_deref() == Some(guide))
            .map(|(i, _)| i)
            .collect();
        v.sort_by(|&a, &b| {
            let (a, b) = (&self.docs[a], &self.docs[b]);
            (a.common.weight.unwrap_or(i64::MAX), &a.slug).cmp(&(b.common.weight.unwrap_or(i64::MAX), &b.slug))
        });
        v
    }

    /// Items per 分野 term, in vocabulary order.
    pub fn by_domain(&self) -> BTreeMap<usize, (String, Vec<usize>)> {
        let mut out: BTreeMap<usize, (String, Vec<usize>)> = BTreeMap::new();
        for (i, d) in self.docs.iter().enumerate() {
            for term in d.domains() {
                let order = vocab::domain_order(&self.domains, term);
                out.entry(order).or_insert_with(|| (term.clone(), Vec::new())).1.push(i);
            }
        }
        out
    }

    /// Prefecture → (items, municipality → items), prefectures in JIS order.
    pub fn by_region(&self) -> Vec<(String, Vec<usize>, BTreeMap<String, Vec<usize>>)> {
        let mut map: HashMap<String, (Vec<usize>, BTreeMap<String, Vec<usize>>)> = HashMap::new();
        for (i, d) in self.docs.iter().enumerate() {
            let Some(p) = d.prefecture() else { continue };
            let entry = map.entry(p.to_string()).or_default();
            entry.0.push(i);
            for m in d.municipalities() {
                if is_safe_path_name(m) {
                    entry.1.entry(m.to_string()).or_default().push(i);
                }
            }
        }
        let mut v: Vec<_> = map.into_iter().map(|(p, (items, munis))| (p, items, munis)).collect();
        v.sort_by_key(|(p, _, _)| vocab::prefecture_order(p));
        v
    }

    /// Cases most like this one: shared 分野 count, then same municipality and prefecture,
    /// then newest. Candidates come from the 分野 index, not from all cases, and are scored
    /// in a reused per-thread array (a hash map per case was a tenth of the build at
    /// 10,000 documents).
    pub fn related_cases(&self, index: usize, limit: usize, domain_index: &HashMap<&str, Vec<usize>>) -> Vec<usize> {
        thread_local! {
            static SCORES: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let Some(me) = self.docs[index].case() else { return Vec::new() };
        SCORES.with(|scores| {
            let mut scores = scores.borrow_mut();
            if scores.len() < self.docs.len() {
                scores.resize(self.docs.len(), 0);
            }
            let mut touched: Vec<usize> = Vec::new();
            for d in &me.domains {
                for &j in domain_index.get(d.as_str()).map_or(&[][..], Vec::as_slice) {
                    if scores[j] == 0 {
                        touched.push(j);
                    }
                    scores[j] += 2;
                }
            }
            // Best first: higher score, then lower index (the newer case).
            let mut best: Vec<(u32, usize)> = Vec::with_capacity(limit + 1);
            for &j in &touched {
                let mut score = std::mem::take(&mut scores[j]);
                if j == index {
                    continue;
                }
                if let Some(c) = self.docs[j].case() {
                    if c.prefecture == me.prefecture {
                        score += 1;
                        if c.municipality.is_some() && c.municipality == me.municipality {
                            score += 1;
                        }
                    }
                }
                let better = |a: &(u32, usize)| a.0 > score || (a.0 == score && a.1 < j);
                let pos = best.iter().position(|a| !better(a)).unwrap_or(best.len());
                if pos < limit {
                    best.insert(pos, (score, j));
                    best.truncate(limit);
                }
            }
            best.into_iter().map(|(_, j)| j).collect()
        })
    }

    /// Case indexes per 分野, for related-case lookups.
    pub fn case_domain_index(&self) -> HashMap<&str, Vec<usize>> {
        let mut m: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, d) in self.of(Collection::Case) {
            for t in d.domains() {
                m.entry(t.as_str()).or_default().push(i);
            }
        }
        m
    }
}

fn is_published(d: &Doc, filter: &Filter) -> bool {
    if d.common.draft && !filter.drafts {
        return false;
    }
    match d.common.publish_date.as_deref().and_then(|s| DateTime::parse_from_rfc3339(s).ok()) {
        Some(when) => filter.drafts || when <= filter.now,
        None => true,
    }
}

/// A name usable as a folder name on every OS (term and region pages use names as written).
pub fn is_safe_path_name(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.chars().any(|c| c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
}
