//! The editor's pages other than a document's form: the frame every page shares, the
//! lists of documents, 公開 (what will be committed, and the commit) and the intake of an
//! apply-form file.

use super::{git, store};
use crate::schema::Collection;
use crate::theme::escape_html as esc;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::path::Path;

pub use super::doc::{doc, preview_html, save, Draft};

/// The short noun of a collection, for commit messages (「事例を追加: …」).
fn noun(c: Collection) -> &'static str {
    match c {
        Collection::Case => "事例",
        Collection::Actor => "主体",
        Collection::Guide => "ガイドブック",
        Collection::Chapter => "ガイドブックの章",
        Collection::Event => "イベント",
        Collection::Policy => "施策",
        Collection::News => "お知らせ",
        Collection::Page => "ページ",
    }
}

pub fn enc(s: &str) -> String {
    crate::urls::encode_segment(s)
}

/// A whole page of the editor. Its policy allows only the editor's own files.
pub fn shell(title: &str, main: &str) -> Response {
    let html = format!(
        r##"<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — kyoso 編集画面</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/_edit/assets/editor.css">
<script src="/_edit/assets/editor.js" defer></script>
</head>
<body>
<a class="skip" href="#main">本文へ移動</a>
<header class="bar"><p class="brand"><a href="/_edit/">kyoso 編集画面</a></p>
<nav aria-label="編集メニュー"><ul><li><a href="/_edit/">一覧</a></li><li><a href="/_edit/publish">公開</a></li><li><a href="/_edit/intake">申し込みの取り込み</a></li><li><a href="/">サイトを見る</a></li></ul></nav></header>
<main id="main">
{main}
</main>
</body>
</html>
"##,
        title = esc(title)
    );
    let csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, csp),
            (header::CACHE_CONTROL, "no-store"),
            // Not no-referrer: with it Chromium sends `Origin: null` on the editor's own forms.
            (header::REFERRER_POLICY, "same-origin"),
        ],
        html,
    )
        .into_response()
}

/// `/_edit/`: every collection with its documents, filtered by `q` (words in the title
/// or file name), `status` and `collection`.
pub fn list(root: &Path, q: &HashMap<String, String>) -> Response {
    let get = |k: &str| q.get(k).map_or("", |s| s.trim());
    let (words, status, only) = (get("q"), get("status"), get("collection"));
    let docs = store::list(root);
    let mut main = String::from("<h1>掲載内容の一覧</h1>");
    if !git::is_repo(root) {
        main.push_str(r#"<p class="notice">このサイトのフォルダは git で管理されていません。保存はできますが、公開（変更の記録）には git が必要です。</p>"#);
    }
    let option = |value: &str, label: &str, current: &str| {
        format!(r#"<option value="{}"{}>{}</option>"#, esc(value), if value == current { " selected" } else { "" }, esc(label))
    };
    let mut kinds = option("", "すべて", only);
    for c in Collection::ALL {
        kinds.push_str(&option(c.name(), c.label(), only));
    }
    let statuses: String = [("", "すべて"), ("公開", "公開"), ("下書き", "下書き"), ("予約", "予約")].iter().map(|(v, l)| option(v, l, status)).collect();
    main.push_str(&format!(
        r#"<form class="filters" method="get" action="/_edit/" role="search" aria-label="掲載内容の絞り込み">
<div><label for="q">題名・ファイル名で探す</label><input type="search" id="q" name="q" value="{}"></div>
<div><label for="status">状態</label><select id="status" name="status">{statuses}</select></div>
<div><label for="collection">種類</label><select id="collection" name="collection">{kinds}</select></div>
<div><button type="submit">絞り込む</button></div>
</form>"#,
        esc(words)
    ));
    for c in Collection::ALL {
        if !only.is_empty() && c.name() != only {
            continue;
        }
        let all: Vec<&store::Listed> = docs.iter().filter(|d| d.collection == c).collect();
        let shown: Vec<&&store::Listed> = all
            .iter()
            .filter(|d| status.is_empty() || d.status.label() == status)
            .filter(|d| words.split_whitespace().all(|w| d.title.contains(w) || d.rel.contains(w)))
            .collect();
        // Chapters are started in a guide: the guides there are.
        let guides: Vec<(String, &str)> = if c == Collection::Chapter {
            let folder = |rel: &str| Path::new(rel).parent().and_then(Path::file_name).map(|f| f.to_string_lossy().into_owned());
            docs.iter().filter(|d| d.collection == Collection::Guide).filter_map(|d| Some((folder(&d.rel)?, d.title.as_str()))).collect()
        } else {
            Vec::new()
        };
        if all.is_empty() && !store::CREATABLE.contains(&c) && guides.is_empty() {
            continue;
        }
        let id = format!("c-{}", c.name());
        main.push_str(&format!(r#"<section class="collection" aria-labelledby="{id}"><div class="heading"><h2 id="{id}">{} <span class="count">{} 件</span></h2>"#, c.label(), all.len()));
        if store::CREATABLE.contains(&c) {
            main.push_str(&format!(r#"<a class="button" href="/_edit/new/{}" aria-label="新規作成（{}）">新規作成</a>"#, c.name(), c.label()));
        }
        if !guides.is_empty() {
            let options: String = guides.iter().map(|(g, title)| format!(r#"<option value="{}">{}</option>"#, esc(g), esc(title))).collect();
            main.push_str(&format!(
                r#"<form class="new-chapter" method="get" action="/_edit/new/chapter"><label for="new-chapter-guide">章を加えるガイドブック</label><select id="new-chapter-guide" name="guide">{options}</select><button type="submit" aria-label="新規作成（ガイドブックの章）">新規作成</button></form>"#
            ));
        }
        main.push_str("</div>");
        if shown.is_empty() {
            main.push_str(&format!("<p>{}</p>", if all.is_empty() { "まだありません。" } else { "条件に合うものはありません。" }));
        } else {
            main.push_str(r#"<table><thead><tr><th scope="col">題名</th><th scope="col">状態</th><th scope="col">最終更新</th><th scope="col">ファイル</th></tr></thead><tbody>"#);
            for d in shown {
                main.push_str(&format!(
                    r#"<tr><td><a href="/_edit/doc?path={}">{}</a></td><td><span class="status s-{}">{}</span></td><td>{}</td><td><code>{}</code></td></tr>"#,
                    enc(&d.rel),
                    esc(&d.title),
                    d.status.label(),
                    d.status.label(),
                    esc(&d.changed),
                    esc(&d.rel)
                ));
            }
            main.push_str("</tbody></table>");
        }
        main.push_str("</section>");
    }
    shell("掲載内容の一覧", &main)
}

/// The notice after 保存.
pub fn saved_notice(root: &Path, rel: &str) -> String {
    if git::is_repo(root) {
        format!("{rel} に保存しました。サイトのプレビューは自動で作り直されます。記録して公開するには「公開」を開いてください。")
    } else {
        format!("{rel} に保存しました。このフォルダは git で管理されていないため、公開（変更の記録）はできません。")
    }
}

/// The message proposed for committing `changes`.
fn message_for(root: &Path, changes: &[git::Change]) -> String {
    let describe = |c: &git::Change| {
        let opened = store::open(root, &c.path).ok();
        let title = opened.as_ref().and_then(|o| o.fields.get("title")?.as_str().map(String::from)).unwrap_or_else(|| c.path.clone());
        let collection = store::classify(Path::new(&c.path)).map(|(c, _)| c);
        (collection, title)
    };
    // Pictures added with a page go in its commit without changing what it says.
    let docs: Vec<&git::Change> = changes.iter().filter(|c| c.path.ends_with(".md")).collect();
    let changes: Vec<&git::Change> = if docs.is_empty() { changes.iter().collect() } else { docs };
    match changes.as_slice() {
        [] => String::new(),
        [one] => match describe(one) {
            (Some(c), title) => format!("{}を{}: {title}", noun(c), one.kind),
            (None, title) => format!("ファイルを{}: {title}", one.kind),
        },
        [first, rest @ ..] => format!("内容を更新: {} ほか {} 件", describe(first).1, rest.len()),
    }
}

/// 公開: the uncommitted changes under content/ and static/, each with its diff, and the
/// commit form. `result` is the outcome of a commit just tried.
pub fn publish(root: &Path, token: &str, author: Option<&(String, String)>, result: Option<Result<String, String>>) -> Response {
    let mut main = String::from("<h1>公開</h1>");
    if !git::is_repo(root) {
        main.push_str(r#"<p class="notice">このサイトのフォルダは git で管理されていないため、公開（変更の記録）はできません。保存した内容はファイルに書かれています。</p>"#);
        return shell("公開", &main);
    }
    match result {
        Some(Ok(hash)) => main.push_str(&format!(r#"<p class="notice" role="status">公開しました（記録 {}）。</p>"#, esc(&hash))),
        Some(Err(e)) => main.push_str(&format!(r#"<p class="error" role="alert">公開できませんでした: {}</p>"#, esc(&e))),
        None => {}
    }
    let changes = git::changes(root);
    if changes.is_empty() {
        main.push_str("<p>公開していない変更はありません。</p>");
        return shell("公開", &main);
    }
    main.push_str(r#"<p>次の変更を記録して公開します。含めないものはチェックを外してください。</p><form method="post" action="/_edit/publish" novalidate>"#);
    main.push_str(&format!(r#"<input type="hidden" name="token" value="{}">"#, esc(token)));
    main.push_str(r#"<fieldset><legend>公開する変更</legend><ul class="changes">"#);
    for (i, c) in changes.iter().enumerate() {
        let diff = git::diff(root, &c.path);
        let details = if diff.is_empty() { String::new() } else { format!("<details><summary>変更内容</summary><pre>{}</pre></details>", esc(&diff)) };
        main.push_str(&format!(
            r#"<li><input type="checkbox" id="ch-{i}" name="paths" value="{p}" checked><label for="ch-{i}">{kind}: <code>{p}</code></label>{details}</li>"#,
            p = esc(&c.path),
            kind = c.kind
        ));
    }
    main.push_str("</ul></fieldset>");
    main.push_str(&format!(
        r#"<div class="field"><label for="message">変更の説明</label><p class="help" id="h-message">記録に残る説明です。</p><input type="text" id="message" name="message" value="{}" aria-describedby="h-message"></div>"#,
        esc(&message_for(root, &changes))
    ));
    match author {
        Some((name, email)) => main.push_str(&format!("<p>記録する人: {} &lt;{}&gt;</p>", esc(name), esc(email))),
        None => main.push_str(
            r#"<p>git に名前が設定されていません。記録する人を入力してください（この画面を閉じるまで覚えます）。</p>
<div class="field"><label for="author_name">名前</label><input type="text" id="author_name" name="author_name" autocomplete="name"></div>
<div class="field"><label for="author_email">メールアドレス</label><input type="email" id="author_email" name="author_email" autocomplete="email"></div>"#,
        ),
    }
    main.push_str(r#"<div class="actions"><button type="submit">公開する</button></div></form>"#);
    shell("公開", &main)
}

/// The intake of a file made by the apply form: paste it or choose the file.
pub fn intake(token: &str, problem: Option<&str>) -> Response {
    let problem = problem.map(|p| format!(r#"<p class="error" role="alert">{}</p>"#, esc(p))).unwrap_or_default();
    let main = format!(
        r#"<h1>掲載の申し込みを取り込む</h1>
<p>サイトの「掲載の申し込み」で団体が作った Markdown ファイルを、多様な主体の下書きとして開きます。</p>{problem}
<form method="post" action="/_edit/intake">
<input type="hidden" name="token" value="{}">
<div class="field"><label for="intake-file">ファイルを選ぶ</label><p class="help" id="h-intake-file">選ぶと下の欄に読み込みます。</p><input type="file" id="intake-file" accept=".md,.txt,text/markdown,text/plain" data-into="intake-text" aria-describedby="h-intake-file"></div>
<div class="field"><label for="intake-text">申し込みの内容</label><p class="help" id="h-intake-text">ファイルの中身をそのまま貼り付けることもできます（--- で始まります）。</p><textarea id="intake-text" name="text" rows="14" aria-describedby="h-intake-text"></textarea></div>
<div class="actions"><button type="submit">下書きとして開く</button></div>
</form>"#,
        esc(token)
    );
    shell("掲載の申し込みを取り込む", &main)
}
