//! The build, top to bottom: load → validate → assemble → render → write.

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load;
use crate::output::Staging;
use crate::render::{RenderError, Renderer};
use crate::site::{jst, Filter, Site};
use crate::theme::{StaticSource, Theme, ThemeError};
use crate::search::export::export;
use crate::search::index::{DocInfo, Filters, Hit, SearchIndex};
use crate::validate;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
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
}

#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub diagnostics: Diagnostics,
    pub timings: Vec<(&'static str, Duration)>,
    pub output: PathBuf,
}

#[derive(Debug)]
pub enum BuildError {
    Content(Diagnostics),
    Theme(ThemeError),
    Render(Diagnostics, Vec<RenderError>),
    Io(PathBuf, std::io::Error),
    Search(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Content(d) => write!(f, "内容に {} 件のエラーがあります", d.count(crate::diagnostics::Severity::Error)),
            BuildError::Theme(e) => write!(f, "{e}"),
            BuildError::Render(_, errors) => {
                for e in errors.iter().take(20) {
                    writeln!(f, "{e}")?;
                }
                write!(f, "{} ページの生成に失敗しました", errors.len())
            }
            BuildError::Io(p, e) => write!(f, "{} に書き込めません: {e}", p.display()),
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

/// Loads and checks the whole site; errors in any file stop here, before anything is written.
pub fn load_site(opts: &BuildOptions, timings: &mut Vec<(&'static str, Duration)>) -> Result<(Site, Diagnostics), BuildError> {
    let t = Instant::now();
    let mut config = Config::load(&opts.root).map_err(|d| BuildError::Content(Diagnostics(d)))?;
    if let Some(b) = &opts.base_url {
        config.base_url = if b.is_empty() || b.ends_with('/') { b.clone() } else { format!("{b}/") };
    }
    let loaded = load::load(&opts.root);
    timings.push(("load", t.elapsed()));

    let t = Instant::now();
    let mut diags = loaded.diagnostics;
    let domains = config.domains();
    let checked: Vec<_> = loaded.docs.into_par_iter().map(|raw| validate::check_doc(raw, &domains)).collect();
    let mut docs = Vec::with_capacity(checked.len());
    for (doc, d) in checked {
        diags.extend(d);
        docs.extend(doc);
    }
    let dates = crate::gitdates::last_commit_dates(&opts.root);
    for d in docs.iter_mut().filter(|d| d.common.updated.is_none()) {
        d.common.updated = dates.get(&d.source).cloned();
    }
    let filter = Filter { drafts: opts.drafts, now: opts.now() };
    let external = crate::aggregate::load_sources(&opts.root, &config, &docs, &mut diags);
    // Drafts take part in the site-wide checks only when they are being published.
    let published: Vec<&crate::model::Doc> = docs.iter().filter(|d| opts.drafts || !d.common.draft).collect();
    validate::check_site(&published, &mut diags);
    for l in &loaded.links {
        if !validate::is_http_url(&l.url) {
            diags.push(
                Diagnostic::error("content/links.yaml", format!("関連リンク「{}」のアドレス「{}」はウェブのアドレスではありません", l.title, l.url))
                    .field("url")
                    .hint("https:// で始まるアドレスを書いてください。"),
            );
        }
    }
    let home_intro = loaded.home.map(|p| p.body);
    docs.extend(external);
    let site = Site::assemble(config, docs, &filter, loaded.links, home_intro, loaded.assets, &mut diags);
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
    let (site, mut diags) = load_site(opts, &mut timings)?;
    let theme = Theme::load(&opts.root, &site.config.theme).map_err(BuildError::Theme)?;

    let renderer = Renderer::new(&site, &theme, crate::render::render_bodies(&site));
    for (d, body) in site.docs.iter().zip(renderer.bodies()) {
        for b in &body.broken {
            diags.push(
                Diagnostic::warning(&d.source, format!("リンク先「{b}」が見つかりません"))
                    .hint("リンク先のファイル名とフォルダを確認してください（このファイルからの相対パスで書きます）。"),
            );
        }
    }
    // Rendering uses every core through rayon; tantivy indexes on one thread. Running
    // them side by side keeps both cores busy.
    let (rendered, searched) = rayon::join(
        || {
            let t = Instant::now();
            (renderer.render_all(), t.elapsed())
        },
        || {
            let t = Instant::now();
            (SearchIndex::build(&site, renderer.bodies()).and_then(|index| export(&index)), t.elapsed())
        },
    );
    let outputs = rendered.0.map_err(|e| BuildError::Render(diags.clone(), e))?;
    timings.push(("render", rendered.1));
    let search_files = searched.0.map_err(|e| BuildError::Search(e.to_string()))?;
    timings.push(("index", searched.1));

    let page_paths: Vec<&str> = outputs.iter().map(|o| o.path.as_str()).collect();
    let mut data = crate::opendata::exports(&site);
    data.extend(crate::feeds::feeds(&site, &page_paths));

    let t = Instant::now();
    let out_dir = opts.output_dir();
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |e| BuildError::Io(p, e)
    };
    let staging = Staging::new(&out_dir).map_err(io(&out_dir))?;
    outputs.par_iter().try_for_each(|o| staging.write(&o.path, &o.bytes).map_err(io(&staging.dir().join(&o.path))))?;
    search_files
        .par_iter()
        .try_for_each(|f| staging.write(&format!("search/{}", f.path), f.text.as_bytes()).map_err(io(&staging.dir().join(&f.path))))?;
    for (rel, bytes) in &data {
        staging.write(rel, bytes).map_err(io(&staging.dir().join(rel)))?;
    }
    for (rel, src) in &theme.statics {
        match src {
            StaticSource::Embedded(bytes) => staging.write(rel, bytes),
            StaticSource::File(p) => staging.copy(rel, p),
        }
        .map_err(io(&staging.dir().join(rel)))?;
    }
    site.assets.par_iter().try_for_each(|a| {
        let rel = a.to_string_lossy().replace('\\', "/");
        staging.copy(&rel, &opts.root.join(load::CONTENT_DIR).join(a)).map_err(io(&opts.root.join(a)))
    })?;
    let files = outputs.len() + search_files.len() + data.len() + theme.statics.len() + site.assets.len();
    staging.commit().map_err(io(&out_dir))?;
    timings.push(("write", t.elapsed()));
    diags.sort();
    Ok(BuildReport { pages: outputs.len(), files, diagnostics: diags, timings, output: out_dir })
}

/// `kyoso search`: the same index the browser gets, queried from the terminal.
pub fn search(opts: &BuildOptions, query: &str, filters: &Filters) -> Result<SearchResults, BuildError> {
    let mut timings = Vec::new();
    let (site, _) = load_site(opts, &mut timings)?;
    let bodies = crate::render::render_bodies(&site);
    let index = SearchIndex::build(&site, &bodies).map_err(|e| BuildError::Search(e.to_string()))?;
    let (tokens, hits) = index.search(query).map_err(|e| BuildError::Search(e.to_string()))?;
    let hits: Vec<_> = hits.into_iter().filter(|h| filters.matches(&index.docs[h.doc])).collect();
    Ok(SearchResults { folded: index.analyzer.fold(query), tokens: tokens.iter().map(|t| t.text().to_string()).collect(), hits, docs: index.docs })
}

pub struct SearchResults {
    /// The query as the index sees it (variants folded).
    pub folded: String,
    pub tokens: Vec<String>,
    pub hits: Vec<Hit>,
    pub docs: Vec<DocInfo>,
}
