//! A document's page: the form from the schema, the body with its preview rendered by
//! kyoso's own Markdown pipeline, the history from git; and 保存.
//!
//! 保存 checks the document exactly as `kyoso check` would if it were published. With
//! errors it is written only as a draft (the person chooses 下書き); a published file
//! with errors would stop the next build.

use super::pages::{enc, shell};
use super::{form, git, image, store, write};
use crate::diagnostics::Diagnostic;
use crate::schema::Collection;
use crate::theme::escape_html as esc;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// A document as the form shows it: from a file, a new one, or a submitted form.
pub struct Draft {
    pub collection: Collection,
    pub guide: Option<String>,
    /// The file, when it exists.
    pub rel: Option<String>,
    /// The file name (without `.md`) of a new document, as proposed or typed.
    pub name: String,
    pub fields: Map<String, Value>,
    pub body: String,
    pub version: Option<String>,
}

impl Draft {
    pub fn new(collection: Collection) -> Draft {
        Draft { collection, guide: None, rel: None, name: String::new(), fields: Map::new(), body: String::new(), version: None }
    }

    pub fn opened(o: store::Opened) -> Draft {
        Draft { collection: o.collection, guide: o.guide, rel: Some(o.rel), name: String::new(), fields: o.fields, body: o.body, version: Some(o.version) }
    }

    /// A file made by the apply form (掲載の申し込み), as a new draft actor.
    pub fn from_application(root: &Path, text: &str) -> Result<Draft, String> {
        let text = text.replace("\r\n", "\n");
        let text = text.trim_start_matches('\u{feff}').trim_start();
        let parsed = crate::frontmatter::parse(Path::new("申し込み.md"), text.to_string()).map_err(|d| {
            format!("{}{}", d.message, d.hint.map(|h| format!(" {h}")).unwrap_or_default())
        })?;
        let mut fields = parsed.fields;
        fields.insert("draft".into(), Value::Bool(true));
        let title = fields.get("title").and_then(Value::as_str).unwrap_or("").to_string();
        Ok(Draft {
            collection: Collection::Actor,
            guide: None,
            rel: None,
            name: store::propose_name(root, Collection::Actor, None, &title),
            fields,
            body: parsed.body,
            version: None,
        })
    }

    fn title(&self) -> &str {
        self.fields.get("title").and_then(Value::as_str).unwrap_or("")
    }

    /// The output path of the page (for the preview's links and the site link).
    fn page_url(&self) -> String {
        let stem = self.rel.as_deref().and_then(|r| Path::new(r).file_stem()).map_or(self.name.clone(), |s| s.to_string_lossy().into_owned());
        let slug = self.fields.get("slug").and_then(Value::as_str).map_or(stem, String::from);
        crate::validate::url_for(self.collection, &slug, self.guide.as_deref())
    }
}

/// The body rendered as the build renders it (the same sanitising path), for the preview.
pub fn preview_html(rel: &str, body: &str) -> String {
    let path = Path::new(rel);
    let source_dir = path.parent().and_then(|p| p.strip_prefix("content").ok()).map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let page_url = format!("{source_dir}/{stem}/index.html");
    let pages = std::collections::HashMap::new();
    let html = crate::markdown::render(body, &crate::markdown::LinkContext { source_dir: &source_dir, page_url: &page_url, pages: &pages }).html;
    image::preview_sources(&html, &page_url)
}

fn actors(root: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = crate::load::load(root, &|_| false)
        .docs
        .into_iter()
        .filter(|d| d.collection == Collection::Actor)
        .map(|d| {
            let title = d.parsed.fields.get("title").and_then(Value::as_str).unwrap_or(&d.stem).to_string();
            (d.parsed.fields.get("slug").and_then(Value::as_str).map_or(d.stem, String::from), title)
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// A document's page. `problems` are the checks of the last 保存; `notice` a message,
/// with whether it reports success (else it is an alert).
pub fn doc(root: &Path, token: &str, d: &Draft, problems: &[Diagnostic], notice: Option<(bool, &str)>) -> Response {
    let domains = crate::config::Config::load(root).map(|c| c.domains()).unwrap_or_else(|_| crate::vocab::DOMAINS.iter().map(|s| s.to_string()).collect());
    let actors = if d.collection == Collection::Case { actors(root) } else { Vec::new() };
    let cx = form::Context { domains: &domains, actors: &actors, problems };
    let label = d.collection.label();
    let guide = d.guide.as_deref().map(|g| guide_title(root, g)).map(|t| format!("（{t}）")).unwrap_or_default();
    let heading = if d.rel.is_some() { format!("{label}を編集: {}", d.title()) } else { format!("{label}を新規作成{guide}") };
    let mut main = format!("<h1>{}</h1>", esc(&heading));
    let errors = problems.iter().filter(|p| p.is_error()).count();
    match notice {
        Some((true, n)) => main.push_str(&format!(r#"<p class="notice" role="status">{}</p>"#, esc(n))),
        Some((false, n)) => main.push_str(&format!(
            r#"<div class="error" role="alert" id="summary"><p>{}</p>{}</div>"#,
            esc(n),
            if errors > 0 { summary(d.collection, problems) } else { String::new() }
        )),
        None => {}
    }
    main.push_str(&format!(
        r#"<form class="doc" method="post" action="/_edit/save" data-folder="{}" novalidate>
<input type="hidden" name="token" value="{}"><input type="hidden" name="_path" value="{}"><input type="hidden" name="_collection" value="{}"><input type="hidden" name="_guide" value="{}"><input type="hidden" name="_version" value="{}">
<div class="cols"><div class="fields">"#,
        esc(&store::new_folder(d.collection, d.guide.as_deref())),
        esc(token),
        esc(d.rel.as_deref().unwrap_or("")),
        d.collection.name(),
        esc(d.guide.as_deref().unwrap_or("")),
        esc(d.version.as_deref().unwrap_or(""))
    ));
    match &d.rel {
        Some(rel) => {
            // A guide's page starts its chapters (they go in the guide's folder).
            let folder = Path::new(rel).parent().and_then(Path::file_name).map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
            let chapter = if d.collection == Collection::Guide {
                format!(r#" ・ <a href="/_edit/new/chapter?guide={}">このガイドブックに章を追加</a>"#, enc(&folder))
            } else {
                String::new()
            };
            main.push_str(&format!(r#"<p class="file">ファイル: <code>{}</code> ・ <a href="/{}">サイトで見る</a>{chapter}</p>"#, esc(rel), enc_path(&d.page_url())));
        }
        None => {
            let problems = form::messages(None, problems, "_name");
            let errors: String = problems.iter().map(|(_, m)| format!(r#"<p class="error">エラー: {}</p>"#, esc(m))).collect();
            main.push_str(&format!(
                r#"<div class="field" id="field-_name"><label for="f-_name">ファイル名</label><p class="help" id="h-_name">半角英小文字・数字・ハイフン（例: kawagoe-kaimono）。ページのアドレスになります。空欄なら題名から作ります。</p><input type="text" id="f-_name" name="_name" value="{}" autocomplete="off" aria-describedby="h-_name e-_name"><div class="problems" id="e-_name">{errors}</div></div>"#,
                esc(&d.name)
            ));
        }
    }
    main.push_str(&form::fields(d.collection, &d.fields, &cx));
    let draft = d.fields.get("draft").and_then(Value::as_bool).unwrap_or(false);
    let radio = |value: &str, text: &str, on: bool| {
        format!(r#"<div class="choice"><input type="radio" id="st-{value}" name="_status" value="{value}"{}><label for="st-{value}">{text}</label></div>"#, if on { " checked" } else { "" })
    };
    main.push_str(&format!(
        r#"<fieldset class="field"><legend>状態</legend><p class="help">下書きはサイトに出ません。公開日時を未来にすると、その日時まで「予約」になります。</p>{}{}</fieldset>"#,
        radio("published", "公開", !draft),
        radio("draft", "下書き", draft)
    ));
    let body_problems = form::messages(None, problems, "body");
    let body_errors: String = body_problems.iter().map(|(_, m)| format!(r#"<p class="error">エラー: {}</p>"#, esc(m))).collect();
    main.push_str(&format!(
        r#"</div><div class="bodycol">
<div class="field"><label for="f-body">本文</label><p class="help" id="h-body">Markdown で書きます。「## 見出し」「**太字**」「- 箇条書き」「[文字](アドレス)」。</p>
<div class="toolbar" role="toolbar" aria-label="本文の書式" aria-controls="f-body"><button type="button" data-md="heading">見出し</button><button type="button" data-md="bold">太字</button><button type="button" data-md="list">箇条書き</button><button type="button" data-md="link">リンク</button></div>
<textarea id="f-body" name="body" rows="18" aria-describedby="h-body">
{}</textarea>{body_errors}</div>
{IMAGE_BOX}
<section class="preview-box" aria-labelledby="preview-h"><h2 id="preview-h">プレビュー</h2><div class="preview" id="preview" aria-live="polite">{}</div></section>
</div></div>
<div class="actions"><button type="submit">保存</button></div>
</form>"#,
        esc(&d.body),
        preview_html(d.rel.as_deref().unwrap_or(&format!("content/{}/{}.md", d.collection.folder(), d.name)), &d.body)
    ));
    if let Some(rel) = &d.rel {
        main.push_str(&history(root, token, rel, d.version.as_deref().unwrap_or("")));
    }
    let title = if d.title().is_empty() { heading.clone() } else { d.title().to_string() };
    shell(&title, &main)
}

/// The title of the guide in folder `g` (or the folder's name).
fn guide_title(root: &Path, g: &str) -> String {
    store::open(root, &format!("content/guides/{g}/_index.md")).ok().and_then(|o| o.fields.get("title")?.as_str().map(String::from)).unwrap_or_else(|| g.to_string())
}

fn enc_path(p: &str) -> String {
    crate::urls::encode_path(p)
}

/// 画像を入れる, beside the body. Hidden until the script shows it: it needs the script
/// (the picture is sent on its own, and its Markdown goes in at the body's cursor).
const IMAGE_BOX: &str = r#"<fieldset class="field image-box" id="image-box" hidden><legend>画像を入れる</legend>
<p class="help" id="h-image">写真や図（PNG・JPEG・WebP・GIF、8 MB まで）をこの枠か本文の欄にドラッグするか、「画像ファイル」で選びます。ページと同じフォルダの images/ に保存し、本文のカーソルの位置に入れます。</p>
<div class="drop" id="image-drop"><label for="f-image">画像ファイル</label><input type="file" id="f-image" accept="image/png,image/jpeg,image/webp,image/gif" aria-describedby="h-image e-image"><div class="problems" id="e-image"></div></div>
<label for="f-alt">画像の説明<span class="required">（必須）</span></label><p class="help" id="h-alt">画像が見えない人に読み上げられる文です（例: 商店街の店先で品物を受け取る利用者）。</p>
<input type="text" id="f-alt" autocomplete="off" aria-describedby="h-alt e-alt"><div class="problems" id="e-alt"></div>
<p><button type="button" id="image-insert">画像を入れる</button></p><p id="image-status" role="status"></p></fieldset>"#;

/// The errors at the top of the page: each field's as a link to the field (for keyboard
/// and screen-reader users), the others (no field of the form) in full.
fn summary(collection: Collection, problems: &[Diagnostic]) -> String {
    let items: String = problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| {
            let spec = form::shown(collection).find(|s| s.name == p.field);
            let target = match (spec, p.field.as_str()) {
                (Some(s), _) if matches!(s.ty, crate::schema::Ty::Vocabs(_) | crate::schema::Ty::Steps | crate::schema::Ty::Location) => format!("field-{}", s.name),
                (Some(s), _) => format!("f-{}", s.name),
                (None, f @ ("_name" | "body")) => format!("f-{f}"),
                (None, _) => String::new(),
            };
            let label = spec.map_or(if p.field == "_name" { "ファイル名" } else { "本文" }, |s| s.label);
            match form::messages(spec, std::slice::from_ref(p), &p.field).pop() {
                Some((_, m)) if !target.is_empty() => format!(r##"<li><a href="#{target}">{}: {}</a></li>"##, esc(label), esc(&m)),
                _ => format!("<li>{}{}</li>", esc(&p.message), p.hint.as_deref().map(|h| format!("（{}）", esc(h))).unwrap_or_default()),
            }
        })
        .collect();
    format!("<ul>{items}</ul>")
}

fn history(root: &Path, token: &str, rel: &str, version: &str) -> String {
    let mut out = String::from(r#"<section class="history" aria-labelledby="hist-h"><h2 id="hist-h">履歴</h2>"#);
    if !git::is_repo(root) {
        out.push_str("<p>このフォルダは git で管理されていないため、履歴はありません。</p></section>");
        return out;
    }
    let revs = git::log(root, rel);
    if revs.is_empty() {
        out.push_str("<p>まだ公開（記録）されていません。</p></section>");
        return out;
    }
    out.push_str("<ol>");
    for (i, r) in revs.iter().enumerate() {
        out.push_str(&format!(
            r#"<li><span id="rev-{i}">{} {}（{}）</span><form method="post" action="/_edit/restore"><input type="hidden" name="token" value="{}"><input type="hidden" name="_path" value="{}"><input type="hidden" name="_version" value="{}"><input type="hidden" name="hash" value="{}"><button type="submit" aria-describedby="rev-{i}">この版に戻す</button></form></li>"#,
            esc(&r.date),
            esc(&r.subject),
            esc(&r.author),
            esc(token),
            esc(rel),
            esc(version),
            esc(&r.hash)
        ));
    }
    out.push_str("</ol></section>");
    out
}

/// 保存: writes the submitted document, or shows the form again with what stopped it.
pub fn save(root: &Path, token: &str, f: &form::Submitted) -> Response {
    let existing = f.get("_path");
    let (collection, guide, rel, front, version) = if existing.is_empty() {
        let Some((c, guide)) = store::new_kind(root, f.get("_collection"), f.get("_guide")) else {
            return (StatusCode::BAD_REQUEST, shell("保存できません", "<h1>保存できません</h1><p>種類（またはガイドブック）が分かりません。一覧から開き直してください。</p>")).into_response();
        };
        let typed = f.get("_name").trim().trim_end_matches(".md").to_string();
        let name = if typed.is_empty() { store::propose_name(root, c, guide.as_deref(), f.get("title").trim()) } else { typed };
        let rel = store::new_path(c, guide.as_deref(), &name);
        (c, guide, rel, String::new(), None)
    } else {
        match store::open(root, existing) {
            Ok(o) => (o.collection, o.guide, o.rel, o.front, Some(f.get("_version").to_string())),
            Err(e) => return (StatusCode::CONFLICT, shell("保存できません", &format!("<h1>保存できません</h1><p>{}</p>", esc(&e)))).into_response(),
        }
    };
    let updates = form::values(collection, f);
    let front = write::merge(collection, &front, &updates);
    let body = f.get("body");
    let text = store::file_text(&front, body);
    let rel_path = PathBuf::from(&rel);
    let mut problems = store::check(root, &rel_path, collection, guide.clone(), &text);
    let name = rel_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if existing.is_empty() && !crate::validate::is_valid_slug(&name) {
        problems.push(Diagnostic::error(&rel_path, format!("ファイル名「{name}」は使えません。半角英小文字・数字・ハイフンにしてください（例: {}）", crate::validate::suggest_slug(&name, collection.name()))).field("_name"));
    }
    // File-name problems from the validator belong beside the name field.
    for p in problems.iter_mut().filter(|p| p.field.is_empty() && p.message.contains("ファイル名")) {
        p.field = "_name".into();
    }
    let draft = f.get("_status") == "draft";
    let fields: Map<String, Value> = updates.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.to_string(), v.clone())).collect();
    let again = |problems: &[Diagnostic], notice: &str, status: StatusCode| {
        let d = Draft { collection, guide: guide.clone(), rel: (!existing.is_empty()).then(|| rel.clone()), name: name.clone(), fields: fields.clone(), body: body.to_string(), version: version.clone() };
        (status, doc(root, token, &d, problems, Some((false, notice)))).into_response()
    };
    let blocking = problems.iter().any(|p| p.is_error() && (!draft || p.field == "_name"));
    if blocking {
        return again(&problems, "保存していません。次のエラーを直すか、状態を「下書き」にして保存してください。", StatusCode::UNPROCESSABLE_ENTITY);
    }
    match store::write(root, &rel_path, version.as_deref(), &text) {
        Ok(()) => (StatusCode::SEE_OTHER, [(header::LOCATION, format!("/_edit/doc?path={}&saved=1", enc(&rel)))]).into_response(),
        Err(store::WriteError::Conflict(m)) => again(
            &problems,
            &format!("{m}。あなたの入力はこの画面に残っています。別の画面で一覧から開き直して最新の内容を確かめ、必要な変更をもう一度入れてください。"),
            StatusCode::CONFLICT,
        ),
        Err(store::WriteError::Refused(m)) => again(&problems, &m, StatusCode::FORBIDDEN),
    }
}
