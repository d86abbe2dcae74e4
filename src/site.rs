//! Stage 3: the site as a whole — which documents are published on this build date, and
//! the indexes between them (actors ↔ cases, 分野, regions) that pages are built from.
//! Every index is a hash map built in one pass, so nothing here is quadratic.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{CaseMeta, Doc, Link};
use crate::schema::Collection;
use crate::vocab;
use chrono::{DateTime, FixedOffset, NaiveDate};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Municipality → the documents about it, in name order.
pub type Municipalities = BTreeMap<String, Vec<usize>>;

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
    /// Per collection: slug → position (looked up by `&str`, without a key to build).
    by_slug: FxHashMap<Collection, FxHashMap<String, usize>>,
    cases_by_actor: FxHashMap<String, Vec<usize>>,
    chapters_by_guide: FxHashMap<String, Vec<usize>>,
    /// The municipal self-check and its answers (`checklist.rs`), when the site has one.
    pub readiness: Option<crate::checklist::Readiness>,
    /// Each aggregated source's self-check counts (`checklist/national.rs`).
    pub source_steps: Vec<crate::checklist::SourceSteps>,
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
        // Chapters of an unpublished guide are unpublished too.
        let guides: std::collections::HashSet<String> =
            docs.iter().filter(|d| d.collection == Collection::Guide && is_published(d, filter)).map(|d| d.slug.clone()).collect();
        let shown = |d: &Doc| is_published(d, filter) && (d.collection != Collection::Chapter || d.guide.as_ref().is_some_and(|g| guides.contains(g)));
        // Files only what is not shown uses are not published either.
        let assets = crate::assets::withhold_unpublished(assets, &docs, &shown);
        docs.retain(|d| shown(d));
        // Positions are sorted, then the documents moved once: sorting the documents
        // themselves moved each large struct a dozen times (30 ms a rebuild in `serve`
        // at 30,000 documents).
        let mut order: Vec<usize> = (0..docs.len()).collect();
        order.par_sort_by(|&a, &b| {
            let (a, b) = (&docs[a], &docs[b]);
            (a.collection, a.guide.as_deref(), a.common.weight.unwrap_or(i64::MAX))
                .cmp(&(b.collection, b.guide.as_deref(), b.common.weight.unwrap_or(i64::MAX)))
                .then_with(|| b.sort_date().cmp(a.sort_date()))
                .then_with(|| a.slug.cmp(&b.slug))
        });
        let mut slots: Vec<Option<Doc>> = docs.into_iter().map(Some).collect();
        let docs: Vec<Doc> = order.iter().map(|&i| slots[i].take().expect("each position once")).collect();

        let mut by_slug: FxHashMap<Collection, FxHashMap<String, usize>> = FxHashMap::default();
        for (i, d) in docs.iter().enumerate().filter(|(_, d)| d.collection != Collection::Chapter) {
            by_slug.entry(d.collection).or_default().insert(d.slug.clone(), i);
        }
        let actors = by_slug.get(&Collection::Actor);
        let mut cases_by_actor: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, d) in docs.iter().enumerate() {
            if let Some(c) = d.case() {
                for a in &c.actors {
                    if actors.is_some_and(|m| m.contains_key(a.as_str())) {
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
                if !crate::urls::is_safe_path_name(m) {
                    let (line, col) = d.locator.locate_item(if d.collection == Collection::Case { "municipality" } else { "municipalities" }, m);
                    diags.push(
                        Diagnostic::error(&d.source, format!("市区町村名「{m}」に使えない記号があります"))
                            .at(line, col)
                            .hint("市区町村名には / \\ : * ? \" < > | を使わないでください。"),
                    );
                }
            }
        }
        let mut chapters_by_guide: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, d) in docs.iter().enumerate().filter(|(_, d)| d.collection == Collection::Chapter) {
            chapters_by_guide.entry(d.guide.clone().unwrap_or_default()).or_default().push(i);
        }
        for v in chapters_by_guide.values_mut() {
            v.sort_by(|&a, &b| {
                let (a, b) = (&docs[a], &docs[b]);
                (a.common.weight.unwrap_or(i64::MAX), &a.slug).cmp(&(b.common.weight.unwrap_or(i64::MAX), &b.slug))
            });
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
            chapters_by_guide,
            readiness: None,
            source_steps: Vec::new(),
        }
    }

    pub fn get(&self, collection: Collection, slug: &str) -> Option<&Doc> {
        self.index_of(collection, slug).map(|i| &self.docs[i])
    }

    pub fn index_of(&self, collection: Collection, slug: &str) -> Option<usize> {
        self.by_slug.get(&collection)?.get(slug).copied()
    }

    pub fn of(&self, collection: Collection) -> impl Iterator<Item = (usize, &Doc)> {
        self.docs.iter().enumerate().filter(move |(_, d)| d.collection == collection)
    }

    pub fn cases_of_actor(&self, actor: &str) -> &[usize] {
        self.cases_by_actor.get(actor).map_or(&[], Vec::as_slice)
    }

    /// Chapters of a guide in reading order.
    pub fn chapters(&self, guide: &str) -> Vec<usize> {
        self.chapters_by_guide.get(guide).cloned().unwrap_or_default()
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
    pub fn by_region(&self) -> Vec<(String, Vec<usize>, Municipalities)> {
        let mut map: HashMap<String, (Vec<usize>, Municipalities)> = HashMap::new();
        for (i, d) in self.docs.iter().enumerate() {
            let Some(p) = d.prefecture() else { continue };
            let entry = map.entry(p.to_string()).or_default();
            entry.0.push(i);
            for m in d.municipalities() {
                if crate::urls::is_safe_path_name(m) {
                    entry.1.entry(m.to_string()).or_default().push(i);
                }
            }
        }
        // A municipality that answered the self-check has a page even without items.
        for a in self.readiness.iter().flat_map(|r| &r.answers) {
            map.entry(a.prefecture.clone()).or_default().1.entry(a.municipality.clone()).or_default();
        }
        let mut v: Vec<_> = map.into_iter().map(|(p, (items, munis))| (p, items, munis)).collect();
        v.sort_by_key(|(p, _, _)| vocab::prefecture_order(p));
        v
    }

    /// Cases most like this one: more shared 分野 first (2 points each), then the same
    /// prefecture (1) and municipality (1 more), then the newer case. Exact and fast: see
    /// [`RelatedIndex`].
    pub fn related_cases(&self, index: usize, limit: usize, related: &RelatedIndex) -> Vec<usize> {
        let Some(me) = self.docs[index].case() else { return Vec::new() };
        let mask = related.masks[index];
        let mut candidates: Vec<usize> = Vec::new();
        for key in RelatedIndex::keys(mask, me) {
            if let Some(list) = related.groups.get(&key) {
                candidates.extend(list.iter().copied().filter(|&j| j != index).take(limit));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let score = |j: usize| {
            let Some(c) = self.docs[j].case() else { return 0 };
            let mut s = 2 * (related.masks[j] & mask).count_ones();
            if c.prefecture == me.prefecture {
                s += 1;
                if c.municipality.is_some() && c.municipality == me.municipality {
                    s += 1;
                }
            }
            s
        };
        let mut scored: Vec<(u32, usize)> = candidates.into_iter().map(|j| (score(j), j)).collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(limit).map(|(_, j)| j).collect()
    }

    /// The groups [`Site::related_cases`] draws candidates from.
    pub fn related_index(&self) -> RelatedIndex<'_> {
        let bits: HashMap<&str, u32> = self.domains.iter().take(64).enumerate().map(|(i, d)| (d.as_str(), i as u32)).collect();
        // 分野 as bits (a site with more than 64 分野 relates cases by the first 64).
        let masks = self
            .docs
            .iter()
            .map(|d| d.case().map_or(0, |c| c.domains.iter().filter_map(|t| bits.get(t.as_str())).fold(0, |m, &b| m | (1u64 << b))))
            .collect();
        let mut index = RelatedIndex { masks, groups: FxHashMap::default() };
        for (j, d) in self.of(Collection::Case) {
            let c = d.case().expect("case");
            for key in RelatedIndex::keys(index.masks[j], c) {
                index.groups.entry(key).or_default().push(j);
            }
        }
        index
    }
}

/// Cases grouped by every subset of their 分野 (as a bit mask over the site's 分野)
/// and by place, each group newest first. Why this is exact: a case in the top `k` for
/// some case shares a set S of its 分野 at some level of place P. Every case in group
/// (S, P) scores at least as much, so if it were not among the first `k` of that group
/// (other than the case itself), `k` newer cases with at least its score would outrank
/// it. Looking at the first `k` of each group of my subsets and places therefore finds
/// the top `k`, in O(2^分野 × places × k) per case instead of a scan of every case
/// sharing a 分野 (quadratic: 100 s at 100,000 documents).
pub struct RelatedIndex<'a> {
    /// Per document: its 分野 as bits (0 for all but cases), worked out once, not per
    /// candidate of every case.
    masks: Vec<u64>,
    groups: FxHashMap<(u64, Place<'a>), Vec<usize>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Place<'a> {
    Anywhere,
    Prefecture(&'a str),
    Municipality(&'a str, &'a str),
}

impl<'a> RelatedIndex<'a> {
    /// The groups a case with these 分野 and this place belongs to: every non-empty subset
    /// of its 分野, anywhere, in its prefecture and in its municipality.
    fn keys(mask: u64, case: &'a CaseMeta) -> Vec<(u64, Place<'a>)> {
        let mut places = vec![Place::Anywhere, Place::Prefecture(&case.prefecture)];
        if let Some(m) = &case.municipality {
            places.push(Place::Municipality(&case.prefecture, m));
        }
        let mut keys = Vec::new();
        let mut sub = mask;
        while sub != 0 {
            keys.extend(places.iter().map(|&p| (sub, p)));
            sub = (sub - 1) & mask;
        }
        keys
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

