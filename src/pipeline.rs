//! The build, top to bottom: load → validate → assemble → render → write.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{self, file_stamp, FileStamp};
use crate::output::Staging;
use crate::bodies::Body;
use crate::render::{RenderError, Renderer};
use crate::dates::jst;
use crate::theme::labels::Labels;
use crate::site::{Filter, Site};
use crate::theme::{StaticSource, Theme, ThemeError};
use crate::search::export::export;
use crate::search::analyzer::Analyzer;
use crate::search::index::{doc_infos, field_pieces, DocInfo, Filters, Hit, SearchIndex, FIELDS};
use crate::search::postings::Inverted;
use crate::handout::Handout;
use std::borrow::Cow;
use crate::validate;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Pins the build date (events, `publish_date`); defaults to today in Japan.
    pub today: Option<NaiveDate>,
    /// Accept an output folder that is not empty and has no list of kyoso's files. Its
    /// files are kept, never deleted or overwritten.
    pub force: bool,
}

#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub diagnostics: Diagnostics,
    pub timings: Vec<(&'static str, Duration)>,
    /// The search index's postings (see `Inverted::work`): core-seconds spent inside the
    /// Markdown stage, which its wall time alone cannot show.
    pub postings_work: Duration,
    pub output: PathBuf,
    /// Files in the output that kyoso did not write, left as they were.
    pub kept: Vec<String>,
}

#[derive(Debug)]
pub enum BuildError {
    Content(Diagnostics),
    Theme(ThemeError),
    Render(Diagnostics, Vec<RenderError>),
    Io(PathBuf, std::io::Error),
    /// The output folder may not be written (see `output.rs`).
    Output(crate::output::OutputError),
    Search(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Content(d) => write!(f, "内容に {} 件のエラーがあります", d.count(crate::diagnostics::Severity::Error)),
            BuildError::Theme(e) => write!(f, "{e}"),
            BuildError::Render(_, errors) => {
                // One broken template usually breaks many pages the same way: each error is
                // shown once, with its first page and how many more it broke.
                let mut groups: Vec<(&RenderError, usize)> = Vec::new();
                let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
                for e in errors {
                    match seen.get(&(e.template.as_str(), e.message.as_str())) {
                        Some(&g) => groups[g].1 += 1,
                        None => {
                            seen.insert((&e.template, &e.message), groups.len());
                            groups.push((e, 1));
                        }
                    }
                }
                for (e, n) in groups.iter().take(20) {
                    writeln!(f, "{e}")?;
                    if *n > 1 {
                        writeln!(f, "（同じエラーがほかに {} ページ）", n - 1)?;
                    }
                }
                write!(f, "{} ページの生成に失敗しました", errors.len())
            }
            BuildError::Io(p, e) => write!(f, "{} に書き込めません: {e}", p.display()),
            BuildError::Output(e) => write!(f, "{e}"),
            BuildError::Search(e) => write!(f, "検索インデックスを作れません: {e}"),
        }
    }
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
    }

    /// The moment the build happens at: end of the pinned day, or now (Japan time).
    pub fn now(&self) -> DateTime<FixedOffset> {
        match self.today {
            Some(d) => jst().from_local_datetime(&d.and_hms_opt(23, 59, 59).expect("valid time")).single().expect("fixed offset"),
            None => chrono::Utc::now().with_timezone(&jst()),
        }
    }
}

/// What `kyoso serve` keeps from one build to the next: documents as read and checked
/// (by their file's modification time and size), rendered Markdown, and the git dates.
/// A change to `kyoso.toml` empties it.
#[derive(Default)]
pub struct Cache {
    config: u64,
    docs: HashMap<PathBuf, CachedDoc>,
    pub bodies: crate::bodies::BodyCache,
    git_dates: Option<HashMap<PathBuf, String>>,
    /// What the last full read of `content/` found besides documents.
    rest: Option<Rest>,
}

struct Rest {
    links: Vec<crate::model::Link>,
    home: Option<crate::frontmatter::Parsed>,
    assets: Vec<PathBuf>,
    diagnostics: Vec<Diagnostic>,
}

struct CachedDoc {
    file: FileStamp,
    doc: Option<crate::model::Doc>,
    diagnostics: Vec<Diagnostic>,
}

/// Loads and checks the whole site; errors in any file stop here, before anything is written.
pub fn load_site(opts: &BuildOptions, timings: &mut Vec<(&'static str, Duration)>) -> Result<(Site, Diagnostics), BuildError> {
    load_site_cached(opts, timings, None, None)
}

/// [`load_site`], reusing (and refreshing) what `cache` holds. `changed` lists the files
/// (relative to the root) known to have changed since the last call; when they are all
/// documents the cache already has, `content/` is not walked again.
pub fn load_site_cached(
    opts: &BuildOptions,
    timings: &mut Vec<(&'static str, Duration)>,
    mut cache: Option<&mut Cache>,
    changed: Option<&[PathBuf]>,
) -> Result<(Site, Diagnostics), BuildError> {
    let t = Instant::now();
    // `git log` runs while the files are read (it was a few ms on one core after them).
    let mut git_dates = cache.is_none().then(|| {
        let root = opts.root.clone();
        std::thread::spawn(move || crate::gitdates::last_commit_dates(&root))
    });
    let mut config = Config::load(&opts.root).map_err(|d| BuildError::Content(Diagnostics(d)))?;
    if let Some(b) = &opts.base_url {
        config.base_url = if b.is_empty() || b.ends_with('/') { b.clone() } else { format!("{b}/") };
    }
    if let Some(c) = cache.as_deref_mut() {
        let stamp = crate::model::fingerprint(&format!("{config:?}"));
        if c.config != stamp {
            *c = Cache { config: stamp, ..Cache::default() };
        }
    }
    // A file is reused when its stamp, taken before it would be read, is the cached one.
    let seen: Mutex<HashMap<PathBuf, FileStamp>> = Mutex::new(HashMap::new());
    let reuse = |source: &Path| -> bool {
        let Some(c) = cache.as_deref() else { return false };
        let Some(stamp) = file_stamp(&opts.root.join(source)) else { return false };
        seen.lock().expect("stamps").insert(source.to_path_buf(), stamp);
        c.docs.get(source).is_some_and(|e| e.file == stamp)
    };
    let only: Option<Vec<PathBuf>> = match (cache.as_deref(), changed) {
        (Some(c), Some(paths)) if c.rest.is_some() => {
            let docs: Vec<PathBuf> =
                paths.iter().filter(|p| !p.file_name().is_some_and(|n| load::is_hidden_or_junk(&n.to_string_lossy()))).cloned().collect();
            docs.iter().all(|p| c.docs.contains_key(p) && opts.root.join(p).is_file()).then_some(docs)
        }
        _ => None,
    };
    let loaded = match (&only, cache.as_deref().and_then(|c| c.rest.as_ref().map(|r| (c, r)))) {
        (Some(docs), Some((c, rest))) => {
            let in_content: Vec<PathBuf> = docs.iter().map(|p| p.strip_prefix(crate::model::CONTENT_DIR).unwrap_or(p).to_path_buf()).collect();
            let mut l = load::read(&opts.root, &in_content, &reuse);
            l.reused.extend(c.docs.keys().filter(|k| !docs.contains(k)).cloned());
            l.links = rest.links.clone();
            l.home = rest.home.clone();
            l.assets = rest.assets.clone();
            l.diagnostics.extend(rest.diagnostics.iter().filter(|d| !docs.contains(&d.path)).cloned());
            l
        }
        _ => load::load(&opts.root, &reuse),
    };
    let seen = seen.into_inner().expect("stamps");
    if let (None, Some(c)) = (&only, cache.as_deref_mut()) {
        c.rest = Some(Rest {
            links: loaded.links.clone(),
            home: loaded.home.clone(),
            assets: loaded.assets.clone(),
            diagnostics: loaded.diagnostics.0.clone(),
        });
    }
    timings.push(("load", t.elapsed()));

    let t = Instant::now();
    let mut diags = loaded.diagnostics;
    let domains = config.domains();
    let checked: Vec<_> = loaded
        .docs
        .into_par_iter()
        .map(|raw| {
            let source = raw.source.clone();
            (source, validate::check_doc(raw, &domains))
        })
        .collect();
    let mut docs = Vec::with_capacity(checked.len() + loaded.reused.len());
    let owned_dates;
    let dates = match cache.as_mut() {
        Some(c) => {
            if only.is_none() {
                // After a full walk: forget files that are gone.
                let keep: std::collections::HashSet<&Path> = loaded.reused.iter().map(PathBuf::as_path).collect();
                c.docs.retain(|k, _| keep.contains(k.as_path()));
            }
            for (source, (doc, d)) in checked {
                if let Some(&file) = seen.get(&source) {
                    c.docs.insert(source, CachedDoc { file, doc, diagnostics: d });
                }
            }
            // Copies of 10,000 documents take a while; both cores make them.
            let copies: Vec<(Option<crate::model::Doc>, Vec<Diagnostic>)> =
                c.docs.par_iter().map(|(_, e)| (e.doc.clone(), e.diagnostics.clone())).collect();
            for (doc, d) in copies {
                diags.extend(d);
                docs.extend(doc);
            }
            &*c.git_dates.get_or_insert_with(|| crate::gitdates::last_commit_dates(&opts.root))
        }
        None => {
            // Moved on both cores: at 10,000 documents this was 6 ms on one.
            let (checked_docs, lists): (Vec<Option<crate::model::Doc>>, Vec<Vec<Diagnostic>>) = checked.into_par_iter().map(|(_, r)| r).unzip();
            docs.par_extend(checked_docs.into_par_iter().flatten());
            for d in lists {
                diags.extend(d);
            }
            owned_dates = git_dates.take().map(|h| h.join().expect("git dates")).unwrap_or_default();
            &owned_dates
        }
    };
    // Reused and re-read documents arrive in different orders; checks report in one.
    // Usually in that order already (the walk is sorted): then nothing is moved.
    if !docs.is_sorted_by(|a, b| a.source.as_os_str() <= b.source.as_os_str()) {
        docs.sort_unstable_by(|a, b| a.source.as_os_str().cmp(b.source.as_os_str()));
    }
    for d in docs.iter_mut().filter(|d| d.common.updated.is_none()) {
        d.common.updated = dates.get(&d.source).cloned();
    }
    let filter = Filter { drafts: opts.drafts, now: opts.now() };
    let (external, source_steps) = crate::aggregate::load_sources(&opts.root, &config, &docs, &mut diags);
    // Drafts take part in the site-wide checks only when they are being published.
    let published: Vec<&crate::model::Doc> = docs.iter().filter(|d| opts.drafts || !d.common.draft).collect();
    validate::check_site(&published, &mut diags);
    let home_intro = loaded.home.map(|p| p.body);
    docs.extend(external);
    let mut site = Site::assemble(config, docs, &filter, loaded.links, home_intro, loaded.assets, &mut diags);
    site.readiness = crate::checklist::load_for(&opts.root, &site.docs, &mut diags);
    site.source_steps = source_steps;
    diags.sort();
    timings.push(("validate", t.elapsed()));
    if diags.has_errors() {
        return Err(BuildError::Content(diags));
    }
    Ok((site, diags))
}

/// Builds the site into its output directory.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let mut timings = Vec::new();
    // First, whether the output may be written at all: a refusal comes before any work.
    let out_dir = opts.output_dir();
    let staging = Staging::new(&opts.root, &out_dir, opts.force).map_err(BuildError::Output)?;
    let out_dir = staging.target().to_path_buf();
    // The reading dictionary (tens of milliseconds to unpack) is read while the site
    // loads; the search index's first texts would otherwise wait for it.
    rayon::spawn(|| {
        crate::search::readings::Dictionary::ipadic();
    });
    let (mut site, mut diags) = load_site(opts, &mut timings)?;

    let t = Instant::now();
    // The Markdown is rendered as the search index reads it, a few hundred documents at a
    // time on every core, while the templates are parsed: each source is freed once
    // rendered and each body's text once its postings are made. At 100,000 documents the
    // sources, the HTML and the texts are half a gigabyte each, and all three held at
    // once were the build's peak memory.
    let analyzer = Analyzer::new(&site.config.search.synonyms);
    let sources = Handout::new(site.docs.iter_mut().map(|d| take_source(&mut d.body)).collect(), 1);
    let ((mut bodies, inverted), theme) = rayon::join(|| bodies_and_postings(&site, &analyzer, &sources), || Theme::load(&opts.root, &site.config.theme));
    drop(sources);
    let postings_work = inverted.work;
    let theme = theme.map_err(BuildError::Theme)?;
    link_warnings(&site, &bodies, &mut diags);
    // Each body's HTML goes to the pages that print it, and is freed after the last.
    let html = crate::bodies::take_html(&mut bodies);
    timings.push(("markdown", t.elapsed()));
    let t = Instant::now();
    let renderer = Renderer::new(&site, &theme, &bodies);
    let cards_time = t.elapsed();

    let write_all = |files: &[(String, Vec<u8>)]| files.par_iter().try_for_each(|(rel, bytes)| staging.write(rel, bytes).map_err(io_error(&out_dir.join(rel))));
    // Pages are planned and go to disk as they are rendered, on every core; the feeds,
    // which list the pages, are made beside them. On the other side the search index and
    // the data exports are made and written, with the theme's static files and the
    // content's assets, so only the final move is left after the last page. The index
    // needs no page list: it starts while the pages are still being planned.
    let (rendered, side) = rayon::join(
        || {
            let t = Instant::now();
            let pages = renderer.pages();
            renderer.spend(&html, &pages);
            renderer.prepare_related();
            let plan_time = cards_time + t.elapsed();
            let page_paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
            let t = Instant::now();
            let (failures, feeds) = rayon::join(
                || {
                    // In jobs of a few pages: rayon splits a list only as often as work
                    // is stolen, and the core that comes back from the index side found
                    // the rest of the pages in a few long jobs already started, one of
                    // which then ran alone for a quarter of the build.
                    pages
                        .par_iter()
                        .with_max_len(PAGES_PER_JOB)
                        .filter_map(|p| match renderer.render_page(p) {
                            Ok(o) => staging.write(&o.path, &o.bytes).err().map(|e| Failure::Io(out_dir.join(&o.path), e)),
                            Err(e) => Some(Failure::Render(e)),
                        })
                        .collect::<Vec<Failure>>()
                },
                || write_all(&crate::feeds::feeds(&site, &page_paths, &theme.labels)),
            );
            (pages, failures, feeds, plan_time, t.elapsed())
        },
        || {
            let t = Instant::now();
            // Each file of the index and the exports goes to disk as soon as it is made.
            let put = |rel: String, bytes: Vec<u8>| staging.write(&rel, &bytes).map_err(io_error(&out_dir.join(&rel)));
            search_and_exports(&site, &bodies, &analyzer, inverted, &theme.labels, &put)?;
            let index_time = t.elapsed();
            for (rel, src) in &theme.statics {
                match src {
                    StaticSource::Embedded(bytes) => staging.write(rel, bytes),
                    StaticSource::File(p) => staging.copy(rel, p),
                }
                .map_err(io_error(&out_dir.join(rel)))?;
            }
            site.assets.par_iter().try_for_each(|a| {
                let rel = a.to_string_lossy().replace('\\', "/");
                let src = opts.root.join(crate::model::CONTENT_DIR).join(a);
                // An SVG is published cleaned of anything that runs (see `svg.rs`).
                crate::svg::published_bytes(&src).and_then(|bytes| staging.write(&rel, &bytes)).map_err(io_error(&opts.root.join(a)))
            })?;
            Ok(index_time)
        },
    );
    let (pages, failures, feeds, plan_time, render_time) = rendered;
    timings.push(("plan", plan_time));
    let mut render_errors = Vec::new();
    for f in failures {
        match f {
            Failure::Render(e) => render_errors.push(e),
            Failure::Io(p, e) => return Err(BuildError::Io(p, e)),
        }
    }
    if !render_errors.is_empty() {
        return Err(BuildError::Render(diags, render_errors));
    }
    timings.push(("render", render_time));
    let index_time = side?;
    timings.push(("index", index_time));

    let t = Instant::now();
    feeds?;
    let files = staging.count();
    let kept = staging.kept();
    staging.commit().map_err(BuildError::Output)?;
    timings.push(("write", t.elapsed()));
    diags.sort();
    let pages_written = pages.len();
    free_later(renderer.into_owned());
    free_later((site, bodies, theme, pages, html));
    Ok(BuildReport { pages: pages_written, files, diagnostics: diags, timings, postings_work, output: out_dir, kept })
}

/// Pages rendered in one rayon job at most (a page takes about 0.1 ms).
const PAGES_PER_JOB: usize = 8;

enum Failure {
    Render(RenderError),
    Io(PathBuf, std::io::Error),
}

fn io_error(p: &Path) -> impl Fn(std::io::Error) -> BuildError {
    let p = p.to_path_buf();
    move |e| BuildError::Io(p.clone(), e)
}

/// Warnings for Markdown links to pages that do not exist or are not published, and for
/// heading attributes that are not published.
pub fn link_warnings(site: &Site, bodies: &[Body], diags: &mut Diagnostics) {
    for (d, body) in site.docs.iter().zip(bodies) {
        for b in &body.broken {
            diags.push(
                Diagnostic::warning(&d.source, format!("リンク先「{b}」が見つからないか、まだ公開されていないため、リンクなしの文字で表示します"))
                    .hint("リンク先のファイル名とフォルダを確認してください（このファイルからの相対パスで書きます）。下書きや公開日前のページへのリンクは、そのページが公開されるとリンクになります。"),
            );
        }
        if !body.dropped_attributes.is_empty() {
            diags.push(
                Diagnostic::warning(&d.source, format!("見出しの {{…}} に書いた {} は公開しません", body.dropped_attributes.join("、")))
                    .hint("見出しの {…} に書けるのは #id（リンク用の名前）と .class、lang、title だけです。"),
            );
        }
    }
}

/// Every file besides the pages, as (output path, bytes): the search index
/// (`search/…`), the data exports and the feeds.
pub fn side_files(site: &Site, bodies: &[Body], page_paths: &[&str], labels: &Labels) -> Vec<(String, Vec<u8>)> {
    let analyzer = Analyzer::new(&site.config.search.synonyms);
    let files = std::sync::Mutex::new(Vec::new());
    let put = |rel: String, bytes: Vec<u8>| {
        files.lock().expect("not poisoned").push((rel, bytes));
        Ok::<(), std::convert::Infallible>(())
    };
    let ((), feeds) = rayon::join(
        || {
            let inverted = Inverted::build(&analyzer, site.docs.len(), FIELDS.len(), |i| field_pieces(&site.docs[i], Cow::Borrowed(&bodies[i].text)));
            let Ok(()) = search_and_exports(site, bodies, &analyzer, inverted, labels, &put);
        },
        || crate::feeds::feeds(site, page_paths, labels),
    );
    let mut files = files.into_inner().expect("not poisoned");
    files.extend(feeds);
    files
}

/// The documents' bodies, and the search index's postings of every document: each body
/// is rendered from its source (taken from `sources`) when the index asks for its text,
/// and only the text's postings are kept.
fn bodies_and_postings(site: &Site, analyzer: &Analyzer, sources: &Handout) -> (Vec<Body>, Inverted) {
    let maker = crate::bodies::Maker::new(site);
    let made: Vec<std::sync::OnceLock<Body>> = site.docs.iter().map(|_| std::sync::OnceLock::new()).collect();
    let inverted = Inverted::build(analyzer, site.docs.len(), FIELDS.len(), |i| {
        let mut body = sources.with(i, |source| maker.render(i, source));
        let text = std::mem::take(&mut body.text);
        assert!(made[i].set(std::sync::Arc::new(body)).is_ok(), "the index reads each document once");
        field_pieces(&site.docs[i], Cow::Owned(text))
    });
    let bodies = made.into_iter().map(|b| b.into_inner().expect("the index reads every document")).collect();
    (bodies, inverted)
}

/// A document's Markdown, taken out of it (see `handout.rs`).
fn take_source(body: &mut std::sync::Arc<String>) -> String {
    let source = std::mem::take(body);
    std::sync::Arc::try_unwrap(source).unwrap_or_else(|shared| (*shared).clone())
}

/// The search index (`search/…`) from its postings, and the data exports: every file
/// besides the pages that does not list the pages, each handed to `put` (output path,
/// bytes) as it is made.
fn search_and_exports<E: Send>(
    site: &Site,
    bodies: &[Body],
    analyzer: &Analyzer,
    inverted: Inverted,
    labels: &Labels,
    put: &(impl Fn(String, Vec<u8>) -> Result<(), E> + Sync),
) -> Result<(), E> {
    // The exports are made beside the search index, not after it: this side of the build
    // is the longer one, and its last steps would otherwise run on one core.
    let (search, exports) = rayon::join(
        || export(analyzer, &doc_infos(site, bodies), inverted, labels, &|path, text: String| put(format!("search/{path}"), text.into_bytes())),
        || crate::opendata::exports(site).try_for_each(|(rel, bytes)| put(rel, bytes)),
    );
    search.and(exports)
}

/// Frees `v` on a thread of its own: at 10,000 documents freeing what a build made takes
/// 35 ms on one core after the last file is written, and `kyoso build` need not wait.
pub fn free_later<T: Send + 'static>(v: T) {
    std::thread::spawn(move || drop(v));
}

/// `kyoso search`: the same index the browser gets, queried from the terminal.
pub fn search(opts: &BuildOptions, query: &str, filters: &Filters) -> Result<SearchResults, BuildError> {
    let mut timings = Vec::new();
    let (site, _) = load_site(opts, &mut timings)?;
    let bodies = crate::bodies::render_bodies(&site, None);
    let index = SearchIndex::build(&site, &bodies).map_err(|e| BuildError::Search(e.to_string()))?;
    let (tokens, hits) = index.search(query).map_err(|e| BuildError::Search(e.to_string()))?;
    let hits: Vec<_> = hits.into_iter().filter(|h| filters.matches(&index.docs[h.doc])).collect();
    Ok(SearchResults { folded: index.analyzer.fold(query), tokens: tokens.iter().flatten().map(|t| t.text().to_string()).collect(), hits, docs: index.docs })
}

pub struct SearchResults {
    /// The query as the index sees it (variants folded).
    pub folded: String,
    pub tokens: Vec<String>,
    pub hits: Vec<Hit>,
    pub docs: Vec<DocInfo>,
}
