//! `kyoso serve`: a local preview on 127.0.0.1 that rebuilds when a file changes and
//! reloads open pages. A content error shows in the browser with file:line while the last
//! good site stays on disk. Rebuilds are incremental (see `incremental.rs`): only pages
//! whose content changed are rendered again, and the time is printed.

use crate::incremental::Engine;
use crate::pipeline::{BuildError, BuildOptions};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct BuildState {
    version: u64,
    /// The last build's problems, as HTML, while it is failing.
    error: Option<String>,
}

/// Reloads the page when the site was rebuilt. Served as a file (`RELOAD_TAG` loads it):
/// the pages' Content-Security-Policy allows no inline script.
const RELOAD_JS: &str = r#"(function () {
  var v = null;
  function poll() {
    fetch("/__kyoso/version", { cache: "no-store" }).then(function (r) { return r.text(); }).then(function (t) {
      if (v !== null && t !== v) { location.reload(); return; }
      v = t; setTimeout(poll, 500);
    }).catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
"#;
const RELOAD: &str = r#"<script src="/__kyoso/reload.js"></script>"#;

pub fn serve(opts: BuildOptions, port: u16) -> Result<(), String> {
    remove_stale_previews(&std::env::temp_dir());
    let out = std::env::temp_dir().join(format!("{PREVIEW_PREFIX}{}", std::process::id())).join("public");
    // Events name absolute paths; an absolute root lets them be matched to sources.
    let root = opts.root.canonicalize().unwrap_or(opts.root.clone());
    let opts = BuildOptions { output: Some(out.clone()), root: root.clone(), ..opts };
    let state = Arc::new(Mutex::new(BuildState::default()));
    let mut engine = Engine::new(opts.clone()).map_err(|e| e.to_string())?;
    rebuild(&mut engine, &state, None);

    // Two workers: a slow request (a git command of the editor) never stalls the reload poll.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .build()
        .map_err(|e| format!("サーバーを始められません: {e}"))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(("127.0.0.1", port)))
        .map_err(|e| format!("127.0.0.1:{port} で待ち受けられません: {e}"))?;
    let port = listener.local_addr().map_or(port, |a| a.port());
    let editor = crate::edit::Editor::new(root.clone(), port);
    println!("http://127.0.0.1:{port}/ で確認できます（Ctrl+C で終了）。ファイルを保存すると自動で再生成します。");
    // On a line of its own, so a person (or a test) can copy it whole.
    println!("編集画面: {}", editor.address());
    use std::io::Write;
    let _ = std::io::stdout().flush();

    let (tx, rx) = std::sync::mpsc::channel::<Vec<PathBuf>>();
    let watched_root = root.clone();
    let mut watcher = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
        let Ok(e) = e else { return };
        if e.need_rescan() {
            // Events were lost (the kernel's queue overflowed): read everything again.
            let _ = tx.send(Vec::new());
            return;
        }
        if matches!(e.kind, notify::EventKind::Access(_)) {
            return;
        }
        let paths: Vec<PathBuf> = e
            .paths
            .iter()
            .map(|p| p.strip_prefix(&watched_root).map(Path::to_path_buf).unwrap_or_else(|_| p.clone()))
            .filter(|p| p == Path::new(crate::config::CONFIG_FILE) || WATCHED.iter().any(|w| p.starts_with(w) || is_made_toward(p, w)))
            .collect();
        if !paths.is_empty() {
            let _ = tx.send(paths);
        }
    })
    .map_err(|e| format!("ファイルの監視を始められません: {e}"))?;
    // The root itself (not recursively) for kyoso.toml: editors often save by replacing
    // the file, which ends a watch on the file itself.
    watcher.watch(&root, RecursiveMode::NonRecursive).map_err(|e| format!("{} を監視できません: {e}", root.display()))?;
    let mut watched = Vec::new();
    watch_new(&mut watcher, &root, &mut watched)?;
    let watcher = Arc::new(Mutex::new(watcher));
    let watcher_in_thread = Arc::clone(&watcher);
    let build_state = Arc::clone(&state);
    std::thread::spawn(move || {
        while let Ok(mut changed) = rx.recv() {
            // Editors save several files at once; wait for the burst to end.
            std::thread::sleep(Duration::from_millis(20));
            // An empty batch means "unknown": then every file is looked at.
            let mut known = !changed.is_empty();
            while let Ok(more) = rx.try_recv() {
                known &= !more.is_empty();
                changed.extend(more);
            }
            changed.sort();
            changed.dedup();
            // A folder made since (the first `kyoso import checklist` makes data/checklist/),
            // once the burst that made it is over.
            if let Err(e) = watch_new(&mut *watcher_in_thread.lock().expect("watcher"), &root, &mut watched) {
                eprintln!("{e}");
            }
            rebuild(&mut engine, &build_state, known.then_some(&changed[..]));
        }
    });

    let preview = Arc::new(Preview { out, state });
    let app = Router::new()
        .route("/__kyoso/version", get(version))
        .route("/__kyoso/reload.js", get(reload_js))
        .fallback(get(page))
        .with_state(preview)
        .merge(crate::edit::router(editor))
        .layer(axum::middleware::from_fn(move |req, next| guard(port, req, next)));
    runtime.block_on(async { axum::serve(listener, app).await }).map_err(|e| format!("サーバーが止まりました: {e}"))?;
    drop(watcher);
    Ok(())
}

/// What the preview's handlers share: the folder it is built in and the build's state.
struct Preview {
    out: PathBuf,
    state: Arc<Mutex<BuildState>>,
}

/// Runs before every handler: refuses a request for another host name, and tells the
/// browser never to guess a type.
async fn guard(port: u16, req: Request, next: Next) -> Response {
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    let mut response = if is_own_host(host, port) {
        next.run(req).await
    } else {
        // DNS rebinding: a page of another site, under a name that resolves to this
        // computer, must not read the preview or write through the editor.
        (StatusCode::FORBIDDEN, "Forbidden: this preview answers only http://127.0.0.1 and http://localhost").into_response()
    };
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

async fn version(State(p): State<Arc<Preview>>) -> Response {
    let v = p.state.lock().expect("state").version.to_string();
    ([(header::CONTENT_TYPE, "text/plain")], v).into_response()
}

async fn reload_js() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], RELOAD_JS).into_response()
}

async fn page(State(p): State<Arc<Preview>>, uri: Uri) -> Response {
    let url = uri.path_and_query().map_or("/", |pq| pq.as_str()).to_string();
    let (status, mime, bytes) = respond(&p.out, &p.state, &url);
    (status, [(header::CONTENT_TYPE, mime)], bytes).into_response()
}

/// Folders whose changes trigger a rebuild (with `kyoso.toml`): the sources, the theme
/// and the self-check's imported answers.
const WATCHED: [&str; 5] = ["content", "templates", "static", "themes", crate::checklist::ANSWERS_DIR];

/// Watches each of [`WATCHED`] that exists and is not watched yet, so that a folder made
/// while serving is watched from then on (and the folder a missing one would be made in).
fn watch_new(watcher: &mut impl Watcher, root: &Path, watched: &mut Vec<&'static str>) -> Result<(), String> {
    let missing: Vec<&'static str> = WATCHED.into_iter().filter(|p| !watched.contains(p)).collect();
    for p in missing {
        let path = root.join(p);
        if !path.is_dir() {
            // `data/` without `checklist/` yet: its new folder is seen here. It may have
            // been made just before this watch began, so it is looked for again below.
            match path.parent().filter(|d| *d != root && d.is_dir()) {
                Some(parent) => watcher.watch(parent, RecursiveMode::NonRecursive).map_err(|e| format!("{} を監視できません: {e}", parent.display()))?,
                None => continue,
            }
        }
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive).map_err(|e| format!("{} を監視できません: {e}", path.display()))?;
            watched.push(p);
        }
    }
    Ok(())
}

/// Whether `changed` (relative to the root) is a folder on the way to `watched`
/// (`data` for `data/checklist`): its creation is seen only by the root's watch, and
/// the rebuild it starts begins watching the new folder.
fn is_made_toward(changed: &Path, watched: &str) -> bool {
    !changed.as_os_str().is_empty() && Path::new(watched).starts_with(changed)
}

fn rebuild(engine: &mut Engine, state: &Mutex<BuildState>, changed: Option<&[PathBuf]>) {
    let t = Instant::now();
    let result = engine.rebuild(changed);
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    let mut s = state.lock().expect("state");
    s.version += 1;
    match result {
        Ok(r) => {
            for d in r.diagnostics.iter() {
                eprintln!("{d}");
            }
            let stages: Vec<String> = r.timings.iter().map(|(s, t)| format!("{s} {:.0}", t.as_secs_f64() * 1000.0)).collect();
            println!(
                "再生成しました: {} ページ中 {} ページを書き換え{}、{ms:.0} ms（{} ms）。検索インデックスとデータは続けて更新します。",
                r.pages,
                r.written,
                if r.removed > 0 { format!("・{} ページを削除", r.removed) } else { String::new() },
                stages.join(" / ")
            );
            s.error = None;
        }
        Err(e) => {
            let mut lines = Vec::new();
            if let BuildError::Content(d) | BuildError::Render(d, _) = &e {
                lines.extend(d.iter().filter(|d| d.is_error()).map(|d| d.to_string()));
            }
            lines.push(e.to_string());
            for l in &lines {
                eprintln!("{l}");
            }
            eprintln!("前回の正常なサイトを表示したままにします。");
            s.error = Some(lines.iter().map(|l| format!("<li><pre>{}</pre></li>", crate::theme::escape_html(l))).collect());
        }
    }
}

/// The file a request path names, or `None` if it would leave the output directory.
pub fn resolve(out: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut file = out.to_path_buf();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains(':') => return None,
            s => file.push(s),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    Some(file)
}

/// Whether a request's `Host` names this preview: `127.0.0.1:PORT` or `localhost:PORT`.
pub(crate) fn is_own_host(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else { return false };
    let host = host.trim().to_ascii_lowercase();
    host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}") || port == 80 && (host == "127.0.0.1" || host == "localhost")
}

/// The preview's answer to a GET of `url`: status, type and bytes. HTML pages get the
/// reload script; while the build fails, every page shows its errors instead.
fn respond(out: &Path, state: &Mutex<BuildState>, url: &str) -> (StatusCode, &'static str, Vec<u8>) {
    let error = state.lock().expect("state").error.clone();
    let Some(file) = resolve(out, url) else {
        return (StatusCode::BAD_REQUEST, "text/plain", b"Bad Request".to_vec());
    };
    let is_html = file.extension().is_none_or(|e| e == "html");
    if let (Some(err), true) = (error, is_html) {
        let page = format!(
            "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>生成エラー</title></head><body><h1>内容にエラーがあります</h1><p>直して保存すると、自動で再表示します。</p><ul>{err}</ul>{RELOAD}</body></html>"
        );
        return (StatusCode::INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", page.into_bytes());
    }
    let (bytes, status, file) = match std::fs::read(&file) {
        Ok(b) => (b, StatusCode::OK, file),
        Err(_) => (std::fs::read(out.join("404.html")).unwrap_or_default(), StatusCode::NOT_FOUND, out.join("404.html")),
    };
    let ext = file.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
    let mime = match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    };
    let bytes = if ext == "html" {
        let html = String::from_utf8_lossy(&bytes);
        match html.rfind("</body>") {
            Some(p) => format!("{}{RELOAD}{}", &html[..p], &html[p..]).into_bytes(),
            None => bytes,
        }
    } else {
        bytes
    };
    (status, mime, bytes)
}

/// The preview is built in `<temp>/kyoso-serve-<pid>/`.
const PREVIEW_PREFIX: &str = "kyoso-serve-";

/// Removes the preview folders of `serve` processes that have ended. A preview is as big
/// as the site (2 GB at 100,000 documents) and Ctrl+C ends `serve` without a chance to
/// clean up, so each start clears what earlier ones left. (Unix only: elsewhere there is
/// no cheap way to ask whether a process still runs, and the folders stay.)
fn remove_stale_previews(temp: &Path) {
    #[cfg(unix)]
    for entry in std::fs::read_dir(temp).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(PREVIEW_PREFIX).and_then(|p| p.parse::<libc::pid_t>().ok()) else { continue };
        // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
        let gone = pid > 0 && unsafe { libc::kill(pid, 0) } != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        if gone {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    #[cfg(not(unix))]
    let _ = temp;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn previews_of_ended_processes_are_removed_and_live_ones_kept() {
        let temp = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let live = std::process::id();
        for pid in [dead, live] {
            std::fs::create_dir_all(temp.path().join(format!("{PREVIEW_PREFIX}{pid}/public"))).unwrap();
        }
        std::fs::create_dir_all(temp.path().join("kyoso-serve-notes")).unwrap();
        remove_stale_previews(temp.path());
        assert!(!temp.path().join(format!("{PREVIEW_PREFIX}{dead}")).exists());
        assert!(temp.path().join(format!("{PREVIEW_PREFIX}{live}/public")).is_dir());
        assert!(temp.path().join("kyoso-serve-notes").is_dir());
    }

    #[test]
    fn only_requests_for_its_own_address_are_answered() {
        for host in ["127.0.0.1:8080", "localhost:8080", "LOCALHOST:8080"] {
            assert!(is_own_host(Some(host), 8080), "{host}");
        }
        for host in [None, Some("evil.example:8080"), Some("127.0.0.1:9999"), Some("127.0.0.1"), Some("localhost.evil.example:8080"), Some("")] {
            assert!(!is_own_host(host, 8080), "{host:?}");
        }
    }

    #[test]
    fn traversal_is_refused() {
        let out = Path::new("/srv/site");
        assert!(resolve(out, "/../etc/passwd").is_none());
        assert!(resolve(out, "/%2e%2e/etc/passwd").is_none());
        assert!(resolve(out, "/a/..%2f..%2fetc").is_none());
        assert!(resolve(out, "/..\\etc").is_none());
        assert!(resolve(out, "/%5c..%5cetc").is_none());
        assert!(resolve(out, "/C:/Windows").is_none());
        assert_eq!(resolve(out, "/cases/a.html?x=1").unwrap(), Path::new("/srv/site/cases/a.html"));
        assert_eq!(resolve(out, "/domains/%E8%B2%B7/x.html").unwrap(), Path::new("/srv/site/domains/買/x.html"));
    }
}
