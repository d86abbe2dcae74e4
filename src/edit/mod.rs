//! The local editor under `/_edit/` in `kyoso serve`: lists, forms generated from the
//! schema, the build's own checks beside each field, 保存 as stable Markdown and 公開 as a
//! git commit, for people who know neither git nor YAML.
//!
//! Who may edit: whoever opened the address with the secret token that `serve` printed.
//! Opening it sets a cookie (HttpOnly, SameSite=Strict, for `/_edit` only); every page of
//! the editor needs it, and every write also needs the page's copy of the token and an
//! `Origin` of this server, so another site open in the same browser can neither read
//! the editor nor write through it (the `Host` check in `serve` stops DNS rebinding).
//! Writes go only to `.md` files in `content/` ([`store`]); never to the preview's output.
//!
//! The editor's pages are not reader pages: they are built here (see [`pages`]) with
//! their own CSS and script embedded from `src/edit/assets/`, so no theme can break them
//! and they ship inside the binary.

mod doc;
mod form;
mod git;
mod image;
mod pages;
mod store;
mod whole;
mod write;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use form::Submitted;

/// The largest request the editor reads (a long body text is well under it).
pub const MAX_BODY: usize = 2 * 1024 * 1024;
const COOKIE: &str = "kyoso_edit";

pub struct Editor {
    root: PathBuf,
    port: u16,
    token: String,
    /// The author given in the 公開 form when git has none configured: asked once.
    author: Mutex<Option<(String, String)>>,
}

impl Editor {
    pub fn new(root: PathBuf, port: u16) -> Editor {
        Editor { root, port, token: new_token(), author: Mutex::new(None) }
    }

    /// The address to open once, with the token.
    pub fn address(&self) -> String {
        format!("http://127.0.0.1:{}/_edit/?token={}", self.port, self.token)
    }

    fn has_cookie(&self, headers: &HeaderMap) -> bool {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().strip_prefix(COOKIE).and_then(|r| r.strip_prefix('=')))
            .any(|t| same(t, &self.token))
    }

    /// A write must come from a page of this editor: the cookie, the page's token and an
    /// `Origin` naming this server.
    fn check_write(&self, headers: &HeaderMap, form: &Submitted) -> Result<(), Response> {
        let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()).unwrap_or("");
        let own = [format!("http://127.0.0.1:{}", self.port), format!("http://localhost:{}", self.port)];
        let why = if !own.iter().any(|o| o == origin) {
            "この変更は編集画面以外のページから送られたため、受け付けませんでした（Origin が違います）。"
        } else if !self.has_cookie(headers) || !same(form.get("token"), &self.token) {
            "編集画面を開く許可がないため、変更を受け付けませんでした。kyoso serve が表示した「編集画面」のアドレスを開き直してください。"
        } else {
            return Ok(());
        };
        Err((StatusCode::FORBIDDEN, pages::shell("変更を受け付けませんでした", &format!("<h1>変更を受け付けませんでした</h1><p>{why}</p>"))).into_response())
    }

    fn locked(&self) -> Response {
        let main = "<h1>編集画面を開けません</h1><p>編集画面は、<code>kyoso serve</code> を始めたときに表示された「編集画面: http://127.0.0.1:…/_edit/?token=…」のアドレスを開いたブラウザだけで使えます。そのアドレスを開いてください。</p>";
        (StatusCode::FORBIDDEN, pages::shell("編集画面を開けません", main)).into_response()
    }
}

/// Compares without stopping at the first difference (the token is a secret).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 128 random bits as hex, from the operating system.
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    let from_os = std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
    if from_os.is_err() {
        // Elsewhere: std's per-process random hash keys.
        use std::hash::{BuildHasher, Hasher};
        for chunk in bytes.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

type Shared = State<Arc<Editor>>;
type Params = Query<HashMap<String, String>>;

pub fn router(editor: Editor) -> Router {
    Router::new()
        .route("/_edit", get(|| async { redirect("/_edit/") }))
        .route("/_edit/", get(home))
        .route("/_edit/new/{collection}", get(new_doc))
        .route("/_edit/doc", get(edit_doc))
        .route("/_edit/save", post(save))
        .route("/_edit/preview", post(preview))
        .route("/_edit/restore", post(restore))
        .route("/_edit/publish", get(publish_page).post(publish))
        .route("/_edit/intake", get(intake_page).post(intake))
        .route("/_edit/image", post(add_image).layer(DefaultBodyLimit::max(image::MAX_IMAGE)))
        .route("/_edit/file", get(file))
        .route("/_edit/assets/{*file}", get(asset))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(Arc::new(editor))
}

fn redirect(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

async fn home(State(ed): Shared, Query(q): Params, headers: HeaderMap) -> Response {
    if let Some(t) = q.get("token") {
        if !same(t, &ed.token) {
            return ed.locked();
        }
        // The token leaves the address bar (and the history) at once.
        let mut r = redirect("/_edit/");
        let cookie = format!("{COOKIE}={}; Path=/_edit; HttpOnly; SameSite=Strict", ed.token);
        r.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("ascii"));
        return r;
    }
    if !ed.has_cookie(&headers) {
        return ed.locked();
    }
    pages::list(&ed.root, &q).into_response()
}

async fn new_doc(State(ed): Shared, UrlPath(name): UrlPath<String>, Query(q): Params, headers: HeaderMap) -> Response {
    if !ed.has_cookie(&headers) {
        return ed.locked();
    }
    match store::new_kind(&ed.root, &name, q.get("guide").map_or("", String::as_str)) {
        Some((c, guide)) => pages::doc(&ed.root, &ed.token, &pages::Draft { guide, ..pages::Draft::new(c) }, &[], None).into_response(),
        None => (StatusCode::NOT_FOUND, pages::shell("見つかりません", "<h1>この種類は新規作成できません</h1>")).into_response(),
    }
}

async fn edit_doc(State(ed): Shared, Query(q): Params, headers: HeaderMap) -> Response {
    if !ed.has_cookie(&headers) {
        return ed.locked();
    }
    let rel = q.get("path").map_or("", String::as_str);
    let notice = match (q.get("saved"), q.get("restored")) {
        (Some(_), _) => Some(pages::saved_notice(&ed.root, rel)),
        (_, Some(h)) => Some(format!("{} の版に戻して保存しました。公開するまでサイトの記録（git）には残りません。", h.get(..7).unwrap_or(h))),
        _ => None,
    };
    match store::open(&ed.root, rel) {
        Ok(opened) => pages::doc(&ed.root, &ed.token, &pages::Draft::opened(opened), &[], notice.as_deref().map(|n| (true, n))).into_response(),
        Err(e) => (StatusCode::NOT_FOUND, pages::shell("開けません", &format!("<h1>開けません</h1><p>{}</p>", crate::theme::escape_html(&e)))).into_response(),
    }
}

async fn save(State(ed): Shared, headers: HeaderMap, body: Bytes) -> Response {
    let form = Submitted::parse(&body);
    if let Err(r) = ed.check_write(&headers, &form) {
        return r;
    }
    pages::save(&ed.root, &ed.token, &form)
}

async fn preview(State(ed): Shared, headers: HeaderMap, body: Bytes) -> Response {
    let form = Submitted::parse(&body);
    if let Err(r) = ed.check_write(&headers, &form) {
        return r;
    }
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], pages::preview_html(form.get("_path"), form.get("body"))).into_response()
}

async fn restore(State(ed): Shared, headers: HeaderMap, body: Bytes) -> Response {
    let form = Submitted::parse(&body);
    if let Err(r) = ed.check_write(&headers, &form) {
        return r;
    }
    let rel = form.get("_path");
    let Some(old) = git::show(&ed.root, form.get("hash"), rel) else {
        return (StatusCode::NOT_FOUND, pages::shell("戻せません", "<h1>その版が見つかりません</h1>")).into_response();
    };
    let old = String::from_utf8_lossy(&old).into_owned();
    match store::write(&ed.root, Path::new(rel), Some(form.get("_version")), &old) {
        Ok(()) => redirect(&format!("/_edit/doc?path={}&restored={}", pages::enc(rel), pages::enc(form.get("hash")))),
        Err(store::WriteError::Conflict(m) | store::WriteError::Refused(m)) => {
            (StatusCode::CONFLICT, pages::shell("戻せません", &format!("<h1>戻せませんでした</h1><p>{}</p>", crate::theme::escape_html(&m)))).into_response()
        }
    }
}

async fn publish_page(State(ed): Shared, headers: HeaderMap) -> Response {
    if !ed.has_cookie(&headers) {
        return ed.locked();
    }
    let author = git::author(&ed.root).or_else(|| ed.author.lock().expect("author").clone());
    pages::publish(&ed.root, &ed.token, author.as_ref(), None).into_response()
}

async fn publish(State(ed): Shared, headers: HeaderMap, body: Bytes) -> Response {
    let form = Submitted::parse(&body);
    if let Err(r) = ed.check_write(&headers, &form) {
        return r;
    }
    let configured = git::author(&ed.root);
    if configured.is_none() && !form.get("author_name").trim().is_empty() {
        *ed.author.lock().expect("author") = Some((form.get("author_name").trim().into(), form.get("author_email").trim().into()));
    }
    let author = configured.clone().or_else(|| ed.author.lock().expect("author").clone());
    // Only files git reports as changed under content/ and static/ are committed.
    let changed: Vec<String> = git::changes(&ed.root).into_iter().map(|c| c.path).collect();
    let chosen: Vec<String> = form.all("paths").into_iter().filter(|p| changed.iter().any(|c| c == p)).map(String::from).collect();
    let message = form.get("message").trim();
    let result = if author.is_none() {
        Err("公開する人の名前とメールアドレスを入力してください".to_string())
    } else if message.is_empty() {
        Err("変更の説明を入力してください".to_string())
    } else {
        git::commit(&ed.root, &chosen, message, if configured.is_some() { None } else { author.as_ref() })
    };
    let status = if result.is_ok() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    (status, pages::publish(&ed.root, &ed.token, author.as_ref(), Some(result))).into_response()
}

async fn intake_page(State(ed): Shared, headers: HeaderMap) -> Response {
    if !ed.has_cookie(&headers) {
        return ed.locked();
    }
    pages::intake(&ed.token, None).into_response()
}

async fn intake(State(ed): Shared, headers: HeaderMap, body: Bytes) -> Response {
    let form = Submitted::parse(&body);
    if let Err(r) = ed.check_write(&headers, &form) {
        return r;
    }
    match pages::Draft::from_application(&ed.root, form.get("text")) {
        Ok(draft) => pages::doc(&ed.root, &ed.token, &draft, &[], Some((true, "申し込みの内容を下書きとして開きました。確かめて「保存」してください。"))).into_response(),
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, pages::intake(&ed.token, Some(&e))).into_response(),
    }
}

/// 画像を入れる: the image is the request's body (no multipart parser needed); the page,
/// the alt text, the sent name and the token are in the query. Answers JSON for the
/// form's script: the Markdown to insert, or the message and the control it belongs to.
async fn add_image(State(ed): Shared, RawQuery(query): RawQuery, headers: HeaderMap, body: Bytes) -> Response {
    let form = Submitted::parse(query.unwrap_or_default().as_bytes());
    if let Err(r) = ed.check_write(&headers, &form) {
        return r;
    }
    let stored = image::page_folder(&ed.root, form.get("_path"), form.get("_collection"), form.get("_guide"))
        .and_then(|folder| image::store(&ed.root, &folder, form.get("name"), form.get("alt"), &body));
    let (status, json) = match stored {
        Ok(s) => {
            let file = s.file.to_string_lossy().replace('\\', "/");
            let message = format!("画像を {file} に保存し、本文に入れました。ページを「保存」すると本文に残ります。");
            (StatusCode::OK, serde_json::json!({ "markdown": s.markdown, "file": file, "message": message }))
        }
        Err(r) => (StatusCode::UNPROCESSABLE_ENTITY, serde_json::json!({ "field": r.field, "error": r.message })),
    };
    (status, [(header::CONTENT_TYPE, "application/json")], json.to_string()).into_response()
}

/// An image of the site for the preview, for the browser that holds the cookie.
async fn file(State(ed): Shared, Query(q): Params, headers: HeaderMap) -> Response {
    if !ed.has_cookie(&headers) {
        return ed.locked();
    }
    match image::readable(&ed.root, q.get("path").map_or("", String::as_str)) {
        Some((bytes, mime)) => ([(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "no-store"), (header::CONTENT_SECURITY_POLICY, "default-src 'none'")], bytes).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The theme's files the editor uses too: the map, its library and the offline outline
/// of Japan, so the location picker is the apply form's own (never a copy of it).
const THEME_ASSETS: [&str; 4] = ["js/map.js", "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "vendor/japan/prefectures.js"];

async fn asset(UrlPath(file): UrlPath<String>) -> Response {
    let bytes: &'static [u8] = match file.as_str() {
        "editor.css" => include_bytes!("assets/editor.css"),
        "editor.js" => include_bytes!("assets/editor.js"),
        f if THEME_ASSETS.contains(&f) => match crate::theme::EMBEDDED.iter().find(|(p, _)| p.strip_prefix("static/") == Some(f)) {
            Some((_, b)) => b,
            None => return StatusCode::NOT_FOUND.into_response(),
        },
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let mime = if file.ends_with(".css") { "text/css; charset=utf-8" } else { "text/javascript; charset=utf-8" };
    ([(header::CONTENT_TYPE, mime)], bytes).into_response()
}
