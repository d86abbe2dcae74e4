//! `kyoso serve`'s rebuilds. After an edit only what changed is redone:
//!
//! 1. documents are read and checked again only when their file changed (`pipeline::Cache`);
//! 2. Markdown is rendered again only when its text (or the site's set of addresses) changed;
//! 3. every page gets a fingerprint of what it shows (`Renderer::fingerprint`), and only
//!    pages whose fingerprint differs from the one written last time are rendered and
//!    written; pages that no longer exist are removed;
//! 4. the search index, the data exports and the feeds are rebuilt afterwards on a second
//!    thread, so the edited page is on disk first.
//!
//! `tests/incremental.rs` checks that the result is byte for byte what a full build writes.

use crate::load::file_stamp;
use crate::model::fingerprint;
use crate::pipeline::{self, BuildError, BuildOptions, Cache};
use crate::render::Renderer;
use crate::site::Site;
use crate::theme::{StaticSource, Theme};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What one rebuild did.
pub struct Update {
    /// Pages in the site.
    pub pages: usize,
    /// Pages rendered and written by this rebuild.
    pub written: usize,
    pub removed: usize,
    pub diagnostics: crate::diagnostics::Diagnostics,
    pub timings: Vec<(&'static str, Duration)>,
}

pub struct Engine {
    opts: BuildOptions,
    out: PathBuf,
    cache: Cache,
    /// Output path → fingerprint of the page last written there.
    pages: HashMap<String, u64>,
    /// Theme files and content assets copied, with the stamp of their source.
    copied: HashMap<String, u64>,
    /// Related cases of every document, with the signature they were chosen under.
    related: (u64, Arc<Vec<Vec<usize>>>),
    /// Loaded again when a file outside `content/` changes.
    theme: Option<Theme>,
    side: SideWorker,
}

impl Engine {
    /// An engine writing into `opts.output_dir()`, which must be a new or empty folder
    /// that it then owns (`serve` gives it one in the temporary folder): it writes pages in
    /// place as they change, so it takes no folder that holds anything else.
    pub fn new(opts: BuildOptions) -> Result<Engine, crate::output::OutputError> {
        let out = crate::output::check_location(&opts.root, &opts.output_dir())?;
        if let Some(first) = std::fs::read_dir(&out).ok().and_then(|mut d| d.next()).and_then(Result::ok) {
            return Err(crate::output::OutputError::NotOurs { output: out, entries: vec![first.file_name().to_string_lossy().into_owned()], more: 0 });
        }
        Ok(Engine { side: SideWorker::start(out.clone()), opts, out, cache: Cache::default(), pages: HashMap::new(), copied: HashMap::new(), related: (0, Arc::default()), theme: None })
    }

    /// Brings the output up to date with the sources. `changed` lists the files (relative
    /// to the site root) that changed since the last call, if known: then unchanged
    /// folders are not read again. On an error nothing is written.
    pub fn rebuild(&mut self, changed: Option<&[PathBuf]>) -> Result<Update, BuildError> {
        let mut timings = Vec::new();
        let (site, mut diags) = pipeline::load_site_cached(&self.opts, &mut timings, Some(&mut self.cache), changed)?;
        let t = Instant::now();
        let content_only = changed.is_some_and(|c| c.iter().all(|p| p.starts_with(crate::model::CONTENT_DIR)));
        if self.theme.is_none() || !content_only {
            self.theme = None;
            self.theme = Some(Theme::load(&self.opts.root, &site.config.theme).map_err(BuildError::Theme)?);
        }
        let theme = self.theme.as_ref().expect("theme loaded");
        timings.push(("theme", t.elapsed()));
        let t = Instant::now();
        let bodies = crate::bodies::render_bodies(&site, Some(&mut self.cache.bodies));
        pipeline::link_warnings(&site, &bodies, &mut diags);
        timings.push(("markdown", t.elapsed()));
        let t = Instant::now();
        let renderer = Renderer::new(&site, theme, &bodies);
        let signature = renderer.related_signature();
        if signature != self.related.0 || self.related.1.len() != site.docs.len() {
            self.related = (signature, Arc::new(renderer.related_table()));
        }
        let renderer = renderer.with_related(Arc::clone(&self.related.1));
        let global = renderer.global_stamp();
        let pages = renderer.pages();
        timings.push(("plan", t.elapsed()));
        let t = Instant::now();
        let prints: Vec<u64> = pages.par_iter().map(|p| renderer.fingerprint(p, global)).collect();
        timings.push(("compare", t.elapsed()));

        let t = Instant::now();
        let todo: Vec<usize> = (0..pages.len()).filter(|&k| self.pages.get(&pages[k].path) != Some(&prints[k])).collect();
        let rendered: Vec<Result<crate::render::Output, crate::render::RenderError>> =
            todo.par_iter().map(|&k| renderer.render_page(&pages[k])).collect();
        let mut errors = Vec::new();
        let mut outputs = Vec::with_capacity(rendered.len());
        for r in rendered {
            match r {
                Ok(o) => outputs.push(o),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            return Err(BuildError::Render(diags, errors));
        }
        timings.push(("render", t.elapsed()));

        let t = Instant::now();
        outputs.par_iter().try_for_each(|o| write_file(&self.out, &o.path, &o.bytes))?;
        let fresh: HashMap<String, u64> = pages.iter().zip(&prints).map(|(p, &f)| (p.path.clone(), f)).collect();
        let mut removed = 0;
        for old in self.pages.keys().filter(|p| !fresh.contains_key(*p)) {
            let _ = std::fs::remove_file(self.out.join(old));
            removed += 1;
        }
        self.pages = fresh;
        copy_files(&mut self.copied, &self.opts.root, &self.out, &site, theme)?;
        timings.push(("write", t.elapsed()));

        let page_paths: Vec<String> = pages.iter().map(|p| p.path.clone()).collect();
        let written = outputs.len();
        pipeline::free_later(renderer.into_owned());
        self.side.submit(site, bodies, page_paths, theme.labels.clone());
        diags.sort();
        Ok(Update { pages: pages.len(), written, removed, diagnostics: diags, timings })
    }

    /// Waits until the search index, exports and feeds of the last rebuild are written,
    /// and returns the error of that step if it failed.
    pub fn wait(&self) -> Result<(), String> {
        self.side.wait()
    }
}

/// Theme files and the images and documents under `content/`, copied when new or changed.
fn copy_files(copied: &mut HashMap<String, u64>, root: &Path, out: &Path, site: &Site, theme: &Theme) -> Result<(), BuildError> {
    let mut sources: Vec<(String, Option<PathBuf>, u64)> = Vec::new();
    for (rel, src) in &theme.statics {
        match src {
            StaticSource::Embedded(bytes) => sources.push((rel.clone(), None, fingerprint(bytes))),
            StaticSource::File(p) => sources.push((rel.clone(), Some(p.clone()), fingerprint(&file_stamp(p)))),
        }
    }
    let content = root.join(crate::model::CONTENT_DIR);
    for a in &site.assets {
        let p = content.join(a);
        sources.push((a.to_string_lossy().replace('\\', "/"), Some(p.clone()), fingerprint(&file_stamp(&p))));
    }
    let mut fresh = HashMap::with_capacity(sources.len());
    for (rel, path, stamp) in sources {
        if copied.get(&rel) != Some(&stamp) {
            let bytes = match (&path, theme.statics.get(&rel)) {
                // Content's SVG files are published cleaned (see `svg.rs`).
                (Some(p), _) if p.starts_with(&content) => crate::svg::published_bytes(p).map_err(|e| BuildError::Io(p.clone(), e))?,
                (Some(p), _) => std::fs::read(p).map_err(|e| BuildError::Io(p.clone(), e))?,
                (None, Some(StaticSource::Embedded(b))) => b.to_vec(),
                _ => continue,
            };
            write_file(out, &rel, &bytes)?;
        }
        fresh.insert(rel, stamp);
    }
    for old in copied.keys().filter(|k| !fresh.contains_key(*k)) {
        let _ = std::fs::remove_file(out.join(old));
    }
    *copied = fresh;
    Ok(())
}

/// Writes through a temporary file and a rename, so a browser never reads half a page.
fn write_file(out: &Path, rel: &str, bytes: &[u8]) -> Result<(), BuildError> {
    let path = out.join(rel);
    let io = |e| BuildError::Io(path.clone(), e);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let tmp = path.with_file_name(format!(".{}.kyoso-tmp", path.file_name().unwrap_or_default().to_string_lossy()));
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, &path).map_err(io)
}

struct Job {
    generation: u64,
    site: Site,
    bodies: Vec<crate::bodies::Body>,
    pages: Vec<String>,
    labels: crate::theme::labels::Labels,
}

/// The second thread: search index, exports and feeds of the newest rebuild. Jobs that a
/// newer one replaced before they started are skipped.
struct SideWorker {
    tx: mpsc::Sender<Job>,
    submitted: u64,
    done: Arc<Done>,
}

/// The last finished generation and its error, if any, with a signal for waiting on it.
type Done = (Mutex<(u64, Option<String>)>, Condvar);

impl SideWorker {
    fn start(out: PathBuf) -> SideWorker {
        let (tx, rx) = mpsc::channel::<Job>();
        let done: Arc<Done> = Arc::default();
        let signal = Arc::clone(&done);
        std::thread::spawn(move || {
            // Behind the page rebuilds: a lower priority (inherited by tantivy's threads),
            // and a start only once edits pause.
            #[cfg(target_os = "linux")]
            // SAFETY: changes the nice value of this thread only.
            unsafe {
                libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 10);
            }
            // Output path → fingerprint of the bytes written there.
            let mut written: HashMap<String, u64> = HashMap::new();
            while let Ok(mut job) = rx.recv() {
                while let Ok(newer) = rx.recv_timeout(Duration::from_millis(300)) {
                    job = newer;
                }
                let paths: Vec<&str> = job.pages.iter().map(String::as_str).collect();
                let files = pipeline::side_files(&job.site, &job.bodies, &paths, &job.labels);
                let mut fresh = HashMap::with_capacity(files.len());
                let result = files.into_iter().try_for_each(|(rel, bytes)| {
                    let f = fingerprint(&bytes);
                    if written.get(&rel) != Some(&f) {
                        write_file(&out, &rel, &bytes).map_err(|e| e.to_string())?;
                    }
                    fresh.insert(rel, f);
                    Ok(())
                });
                if result.is_ok() {
                    for old in written.keys().filter(|k| !fresh.contains_key(*k)) {
                        let _ = std::fs::remove_file(out.join(old));
                    }
                    written = fresh;
                }
                let (lock, cvar) = &*signal;
                *lock.lock().expect("side worker state") = (job.generation, result.err());
                cvar.notify_all();
            }
        });
        SideWorker { tx, submitted: 0, done }
    }

    fn submit(&mut self, site: Site, bodies: Vec<crate::bodies::Body>, pages: Vec<String>, labels: crate::theme::labels::Labels) {
        self.submitted += 1;
        let _ = self.tx.send(Job { generation: self.submitted, site, bodies, pages, labels });
    }

    fn wait(&self) -> Result<(), String> {
        let (lock, cvar) = &*self.done;
        let mut state = lock.lock().expect("side worker state");
        while state.0 < self.submitted {
            state = cvar.wait(state).expect("side worker state");
        }
        match &state.1 {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }
}
