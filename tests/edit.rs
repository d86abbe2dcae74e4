//! The editor in `kyoso serve` (`/_edit/`), through real HTTP requests: who may open it,
//! which writes it refuses, and what 保存 writes.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

/// `kyoso serve` on a site, with the editor's address read from its output.
struct Served {
    child: std::process::Child,
    port: u16,
    token: String,
}

impl Served {
    fn start(root: &Path) -> Served {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kyoso"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = lines.find_map(|l| l.ok().filter(|l| l.starts_with("編集画面: "))).expect("serve prints the editor's address");
        // Keep reading so serve never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let address = line.strip_prefix("編集画面: http://127.0.0.1:").unwrap();
        let (port, token) = address.split_once("/_edit/?token=").unwrap();
        assert_eq!(token.len(), 32, "{line}");
        Served { child, port: port.parse().unwrap(), token: token.to_string() }
    }

    /// Sends a request; returns the response head and body as text.
    fn request(&self, method: &str, path: &str, headers: &[(&str, String)], body: &[u8]) -> (String, String) {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
        if !headers.iter().any(|(k, _)| *k == "Host") {
            head.push_str(&format!("Host: 127.0.0.1:{}\r\n", self.port));
        }
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).unwrap();
        // A server may answer (413) before reading all of a large body.
        let _ = s.write_all(body);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        let out = String::from_utf8_lossy(&out).into_owned();
        let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
        (head.to_string(), body.to_string())
    }

    fn cookie(&self) -> (&'static str, String) {
        ("Cookie", format!("kyoso_edit={}", self.token))
    }

    fn origin(&self) -> (&'static str, String) {
        ("Origin", format!("http://127.0.0.1:{}", self.port))
    }

    /// A POST of `fields` as a form, with the page's token added.
    fn post(&self, path: &str, headers: &[(&str, String)], fields: &[(&str, &str)]) -> (String, String) {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("token", &self.token);
        for (k, v) in fields {
            form.append_pair(k, v);
        }
        let mut headers = headers.to_vec();
        headers.push(("Content-Type", "application/x-www-form-urlencoded".into()));
        self.request("POST", path, &headers, form.finish().as_bytes())
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn status(head: &str) -> u16 {
    head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

const NEW_CASE: &[(&str, &str)] = &[
    ("_collection", "case"),
    ("_name", "kaimono-test"),
    ("title", "買い物の送迎"),
    ("prefecture", "埼玉県"),
    ("domains", "買い物"),
    ("_status", "published"),
    ("body", "## 経緯\n\n本文です。"),
];

#[test]
fn the_editor_opens_only_in_a_browser_given_the_token() {
    let dir = common::full_site();
    let s = Served::start(dir.path());
    let (head, body) = s.request("GET", "/_edit/", &[], b"");
    assert_eq!(status(&head), 403, "{head}");
    assert!(!body.contains("商店街の御用聞き"), "the list leaked without the token");
    assert_eq!(status(&s.request("GET", "/_edit/?token=0123456789abcdef0123456789abcdef", &[], b"").0), 403);

    let (head, _) = s.request("GET", &format!("/_edit/?token={}", s.token), &[], b"");
    assert_eq!(status(&head), 303, "{head}");
    let cookie = head.lines().find(|l| l.to_ascii_lowercase().starts_with("set-cookie:")).expect("a cookie");
    for part in [format!("kyoso_edit={}", s.token), "HttpOnly".into(), "SameSite=Strict".into(), "Path=/_edit".into()] {
        assert!(cookie.contains(&part), "{cookie} lacks {part}");
    }
    let (head, body) = s.request("GET", "/_edit/", &[s.cookie()], b"");
    assert_eq!(status(&head), 200, "{head}");
    for text in ["取り組み事例", "多様な主体", "商店街の御用聞き", "新規作成", "公開"] {
        assert!(body.contains(text), "the list lacks {text}");
    }
    let (head, body) = s.request("GET", "/_edit/new/case", &[s.cookie()], b"");
    assert_eq!(status(&head), 200, "{head}");
    for label in ["題名", "都道府県", "分野", "本文"] {
        assert!(body.contains(&format!(">{label}")), "the form lacks {label}");
    }
}

#[test]
fn a_write_needs_the_token_this_origin_and_this_host() {
    let dir = common::full_site();
    let s = Served::start(dir.path());
    let file = dir.path().join("content/cases/kaimono-test.md");
    let evil_origin = ("Origin", "http://attacker.example".to_string());
    let evil_host = ("Host", format!("attacker.example:{}", s.port));
    let refused = [
        ("no cookie", vec![s.origin()]),
        ("no Origin", vec![s.cookie()]),
        ("another Origin", vec![s.cookie(), evil_origin.clone()]),
        ("a null Origin", vec![s.cookie(), ("Origin", "null".into())]),
        ("another Host", vec![s.cookie(), s.origin(), evil_host.clone()]),
        ("a wrong cookie", vec![("Cookie", "kyoso_edit=0123456789abcdef0123456789abcdef".into()), s.origin()]),
    ];
    for (what, headers) in &refused {
        let (head, _) = s.post("/_edit/save", headers, NEW_CASE);
        assert_eq!(status(&head), 403, "{what}: {head}");
        assert!(!file.exists(), "{what}: the file was written");
    }
    // The cookie without the page's copy of the token (a form another site made).
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (k, v) in NEW_CASE {
        form.append_pair(k, v);
    }
    let (head, _) = s.request("POST", "/_edit/save", &[s.cookie(), s.origin()], form.finish().as_bytes());
    assert_eq!(status(&head), 403, "{head}");
    assert!(!file.exists());

    let (head, _) = s.post("/_edit/save", &[s.cookie(), s.origin()], NEW_CASE);
    assert_eq!(status(&head), 303, "{head}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written, "---\ntitle: 買い物の送迎\nprefecture: 埼玉県\ndomains: [買い物]\n---\n## 経緯\n\n本文です。");
}

#[test]
fn an_oversized_request_is_refused() {
    let dir = common::full_site();
    let s = Served::start(dir.path());
    let big = "あ".repeat(1_000_000);
    let mut fields = NEW_CASE.to_vec();
    fields.retain(|(k, _)| *k != "body");
    fields.push(("body", &big));
    let (head, _) = s.post("/_edit/save", &[s.cookie(), s.origin()], &fields);
    assert_eq!(status(&head), 413, "{head}");
    assert!(!dir.path().join("content/cases/kaimono-test.md").exists());
}

#[test]
fn a_published_document_with_errors_is_not_written_but_a_draft_is() {
    let dir = common::full_site();
    let s = Served::start(dir.path());
    let file = dir.path().join("content/cases/kaimono-test.md");
    let without_domain: Vec<_> = NEW_CASE.iter().copied().filter(|(k, _)| *k != "domains").collect();
    let (head, body) = s.post("/_edit/save", &[s.cookie(), s.origin()], &without_domain);
    assert_eq!(status(&head), 422, "{head}");
    assert!(!file.exists());
    // The message is inside the 分野 group, in Japanese.
    let group = body.split(r#"id="field-domains""#).nth(1).and_then(|r| r.split("</fieldset>").next()).expect("the 分野 group");
    assert!(group.contains("分野を1つ以上選んでください"), "{group}");
    // The person's input is kept.
    assert!(body.contains("買い物の送迎") && body.contains("本文です。"));

    let mut as_draft = without_domain.clone();
    as_draft.retain(|(k, _)| *k != "_status");
    as_draft.push(("_status", "draft"));
    let (head, _) = s.post("/_edit/save", &[s.cookie(), s.origin()], &as_draft);
    assert_eq!(status(&head), 303, "{head}");
    assert!(std::fs::read_to_string(&file).unwrap().contains("draft: true\n"));
}

fn version_in(page: &str) -> String {
    page.split(r#"name="_version" value=""#).nth(1).and_then(|r| r.split('"').next()).expect("a version").to_string()
}

#[test]
fn an_edit_changes_only_its_line_and_a_change_on_disk_is_never_overwritten() {
    let dir = common::full_site();
    // A field the form does not know, written by hand.
    let original = common::CASE.replacen("\n---\n## ", "\nextra_note: 手で足した項目\n---\n## ", 1);
    assert!(original.contains("extra_note"));
    common::write(dir.path(), "content/cases/kawagoe.md", &original);
    let s = Served::start(dir.path());
    let (head, page) = s.request("GET", "/_edit/doc?path=content%2Fcases%2Fkawagoe.md", &[s.cookie()], b"");
    assert_eq!(status(&head), 200, "{head}");
    let version = version_in(&page);
    let edit: Vec<(&str, &str)> = vec![
        ("_path", "content/cases/kawagoe.md"),
        ("_version", &version),
        ("title", "商店街の御用聞きと配達"),
        ("summary", "買い物を支える取り組み"),
        ("date", "2026-04-01"),
        ("prefecture", "埼玉県"),
        ("municipality", "川越市"),
        ("actors", "shoten"),
        ("domains", "買い物"),
        ("domains", "見守り"),
        ("business_relation", "customer-touchpoint"),
        ("_status", "published"),
        ("body", "## 経緯と目的\r\n\r\n商店街が[組合](../actors/shoten.md)と始めました。\r\n"),
    ];
    // Someone else changes the file after it was opened: 保存 must not overwrite it.
    let elsewhere = original.replace("川越市", "川越市（別の人の変更）");
    common::write(dir.path(), "content/cases/kawagoe.md", &elsewhere);
    let (head, body) = s.post("/_edit/save", &[s.cookie(), s.origin()], &edit);
    assert_eq!(status(&head), 409, "{head}");
    assert!(body.contains("上書きしないように保存を止めました"), "the person is told");
    assert_eq!(std::fs::read_to_string(dir.path().join("content/cases/kawagoe.md")).unwrap(), elsewhere);

    common::write(dir.path(), "content/cases/kawagoe.md", &original);
    let (head, _) = s.post("/_edit/save", &[s.cookie(), s.origin()], &edit);
    assert_eq!(status(&head), 303, "{head}");
    let saved = std::fs::read_to_string(dir.path().join("content/cases/kawagoe.md")).unwrap();
    assert_eq!(saved, original.replace("title: 商店街の御用聞き\n", "title: 商店街の御用聞きと配達\n"), "only the title line changes");
}

#[test]
fn without_git_a_save_still_writes_and_says_that_publishing_needs_git() {
    let dir = common::full_site();
    let s = Served::start(dir.path());
    let (head, _) = s.post("/_edit/save", &[s.cookie(), s.origin()], NEW_CASE);
    assert_eq!(status(&head), 303, "{head}");
    let location = head.lines().find_map(|l| l.strip_prefix("location: ")).expect("a redirect");
    let (_, page) = s.request("GET", location, &[s.cookie()], b"");
    assert!(page.contains("content/cases/kaimono-test.md に保存しました"), "{page}");
    assert!(page.contains("git で管理されていないため、公開（変更の記録）はできません"), "{page}");
    let (_, publish) = s.request("GET", "/_edit/publish", &[s.cookie()], b"");
    assert!(publish.contains("公開（変更の記録）はできません"), "{publish}");
}

/// The smallest valid PNG (one transparent pixel).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82";

impl Served {
    /// 画像を入れる as the form's script sends it: the picture as the body, the rest in
    /// the query (with the page's token unless `token` is false).
    fn image(&self, headers: &[(&str, String)], token: bool, query: &[(&str, &str)], bytes: &[u8]) -> (String, String) {
        let mut q = form_urlencoded::Serializer::new(String::new());
        if token {
            q.append_pair("token", &self.token);
        }
        for (k, v) in query {
            q.append_pair(k, v);
        }
        let mut headers = headers.to_vec();
        headers.push(("Content-Type", "application/octet-stream".into()));
        self.request("POST", &format!("/_edit/image?{}", q.finish()), &headers, bytes)
    }
}

/// Every file under `dir`, relative to it.
fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    out.sort();
    out
}

#[test]
fn an_image_is_stored_beside_the_page_under_a_safe_new_name() {
    let dir = common::full_site();
    common::write_bytes(dir.path(), "content/cases/images/photo.png", b"someone else's picture");
    let s = Served::start(dir.path());
    let page = [("_path", "content/cases/kawagoe.md"), ("name", "photo.png"), ("alt", "店先で品物を受け取る [利用者]")];
    let (head, body) = s.image(&[s.cookie(), s.origin()], true, &page, PNG);
    assert_eq!(status(&head), 200, "{head}\n{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    // Never over the existing file: a new name beside it.
    assert_eq!(answer["markdown"], "![店先で品物を受け取る \\[利用者\\]](images/photo-2.png)");
    assert_eq!(answer["file"], "content/cases/images/photo-2.png");
    assert_eq!(std::fs::read(dir.path().join("content/cases/images/photo.png")).unwrap(), b"someone else's picture");
    assert_eq!(std::fs::read(dir.path().join("content/cases/images/photo-2.png")).unwrap(), PNG);

    // A name that climbs out of the folder, or a Japanese one, becomes a plain name in it.
    let before = files(dir.path());
    for (sent, stored) in [("../../../kyoso.toml.png", "kyoso-toml.png"), ("..\\..\\..\\evil.png", "evil.png"), ("店先の写真.png", "image.png")] {
        let (head, body) = s.image(&[s.cookie(), s.origin()], true, &[("_path", "content/cases/kawagoe.md"), ("name", sent), ("alt", "写真")], PNG);
        assert_eq!(status(&head), 200, "{sent}: {head}");
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(answer["file"], format!("content/cases/images/{stored}"), "{sent}");
    }
    let added: Vec<String> = files(dir.path()).into_iter().filter(|f| !before.contains(f)).collect();
    assert_eq!(added, ["content/cases/images/evil.png", "content/cases/images/image.png", "content/cases/images/kyoso-toml.png"]);
    // A page outside content/ is refused; nothing is written.
    for path in ["content/../kyoso.md", "static/a.md", "../outside/a.md", "content/cases/../../x.md"] {
        let (head, body) = s.image(&[s.cookie(), s.origin()], true, &[("_path", path), ("name", "a.png"), ("alt", "写真")], PNG);
        assert_eq!(status(&head), 422, "{path}: {head}");
        assert!(body.contains("編集できるページではありません"), "{path}: {body}");
    }
    assert_eq!(files(dir.path()).len(), before.len() + 3);

    // The preview shows it through the editor, to the browser with the cookie only.
    let (head, shown) = s.request("GET", "/_edit/file?path=content%2Fcases%2Fimages%2Fphoto-2.png", &[s.cookie()], b"");
    assert_eq!(status(&head), 200, "{head}");
    assert!(head.to_ascii_lowercase().contains("content-type: image/png"), "{head}");
    assert_eq!(shown, String::from_utf8_lossy(PNG));
    assert_eq!(status(&s.request("GET", "/_edit/file?path=content%2Fcases%2Fimages%2Fphoto-2.png", &[], b"").0), 403);
    assert_eq!(status(&s.request("GET", "/_edit/file?path=content%2Fcases%2Fkawagoe.md", &[s.cookie()], b"").0), 404);
    let (_, preview) = s.post("/_edit/preview", &[s.cookie(), s.origin()], &[("_path", "content/cases/kawagoe.md"), ("body", "![店先](images/photo-2.png)")]);
    assert!(preview.contains(r#"src="/_edit/file?path=content%2Fcases%2Fimages%2Fphoto-2.png""#), "{preview}");
}

#[test]
fn an_svg_a_disguised_page_or_a_picture_without_alt_text_is_refused() {
    let dir = common::full_site();
    let s = Served::start(dir.path());
    let svg = b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.cookie)</script></svg>";
    let html = b"<!DOCTYPE html><script>fetch('/_edit/save')</script>";
    let cases: [(&str, &str, &[u8], &str, &str); 4] = [
        ("an SVG with a script", "a.svg", svg, "図", "SVG"),
        ("an SVG named .png", "a.png", svg, "図", "SVG"),
        ("a page named .png", "a.png", html, "図", "画像（PNG・JPEG・WebP・GIF）ではありません"),
        ("no alt text", "a.png", PNG, "  ", "画像の説明を入力してください"),
    ];
    for (what, name, bytes, alt, says) in cases {
        let (head, body) = s.image(&[s.cookie(), s.origin()], true, &[("_collection", "case"), ("name", name), ("alt", alt)], bytes);
        assert_eq!(status(&head), 422, "{what}: {head}");
        let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(answer["error"].as_str().unwrap().contains(says), "{what}: {body}");
        assert_eq!(answer["field"], if alt.trim().is_empty() { "alt" } else { "file" }, "{what}");
    }
    assert!(!dir.path().join("content/cases/images").exists(), "nothing was stored");
    // Larger than the limit: refused before it is read.
    let big = [PNG, &vec![0u8; 9 * 1024 * 1024]].concat();
    let (head, _) = s.image(&[s.cookie(), s.origin()], true, &[("_collection", "case"), ("name", "big.png"), ("alt", "大きな写真")], &big);
    assert_eq!(status(&head), 413, "{head}");
    assert!(!dir.path().join("content/cases/images").exists());
}

#[test]
fn an_image_needs_the_token_this_origin_and_this_host() {
    let dir = common::full_site();
    let s = Served::start(dir.path());
    let page = [("_collection", "case"), ("name", "photo.png"), ("alt", "店先")];
    let refused = [
        ("no cookie", vec![s.origin()], true),
        ("no token in the request", vec![s.cookie(), s.origin()], false),
        ("another Origin", vec![s.cookie(), ("Origin", "http://attacker.example".into())], true),
        ("no Origin", vec![s.cookie()], true),
        ("another Host", vec![s.cookie(), s.origin(), ("Host", format!("attacker.example:{}", s.port))], true),
    ];
    for (what, headers, token) in &refused {
        let (head, _) = s.image(headers, *token, &page, PNG);
        assert_eq!(status(&head), 403, "{what}: {head}");
        assert!(!dir.path().join("content/cases/images").exists(), "{what}: an image was written");
    }
    let (head, _) = s.image(&[s.cookie(), s.origin()], true, &page, PNG);
    assert_eq!(status(&head), 200, "{head}");
    assert_eq!(files(&dir.path().join("content/cases/images")), ["photo.png"]);
}

#[test]
fn whole_site_checks_stop_a_save_beside_their_field() {
    let dir = common::full_site();
    let s = Served::start(dir.path());
    let file = dir.path().join("content/cases/kaimono-test.md");
    // An actor that does not exist, a picture and a page that are not there.
    let mut fields = NEW_CASE.to_vec();
    fields.retain(|(k, _)| *k != "body");
    fields.extend([("actors", "shoten"), ("actors", "shotenn"), ("body", "![店先](images/none.png)\n\n[組合](../actors/nobody.md)")]);
    let (head, body) = s.post("/_edit/save", &[s.cookie(), s.origin()], &fields);
    assert_eq!(status(&head), 422, "{head}");
    assert!(!file.exists(), "a document with errors is not written as published");
    let group = body.split(r#"id="field-actors""#).nth(1).and_then(|r| r.split("</fieldset>").next()).expect("the 関わる主体 group");
    assert!(group.contains("主体「shotenn」が content/actors/ にありません"), "{group}");
    assert!(group.contains("「shoten」のことですか？"), "{group}");
    // The unknown actor stays a choice the person can take away.
    assert!(group.contains(r#"value="shotenn" checked"#), "{group}");
    let summary = body.split(r#"id="summary""#).nth(1).expect("the list of errors");
    assert!(summary.contains("画像・ファイル「images/none.png」がありません"), "{summary}");
    assert!(summary.contains("リンク先「../actors/nobody.md」が見つかりません"), "{summary}");

    // Fixed: the actor that exists, no broken link, the picture in place.
    common::write_bytes(dir.path(), "content/cases/images/none.png", PNG);
    let mut fixed = NEW_CASE.to_vec();
    fixed.retain(|(k, _)| *k != "body");
    fixed.extend([("actors", "shoten"), ("body", "![店先](images/none.png)\n\n[組合](../actors/shoten.md)")]);
    let (head, body) = s.post("/_edit/save", &[s.cookie(), s.origin()], &fixed);
    assert_eq!(status(&head), 303, "{head}\n{body}");
    assert!(file.exists());
}

#[test]
fn a_new_address_that_another_page_has_is_refused() {
    let dir = common::full_site();
    let s = Served::start(dir.path());
    // `slug:` written by hand in an existing case takes the address of another one.
    common::write(dir.path(), "content/cases/other.md", &common::CASE.replacen("title: 商店街の御用聞き\n", "title: 別の事例\nslug: kochi\n", 1));
    let (_, page) = s.request("GET", "/_edit/doc?path=content%2Fcases%2Fother.md", &[s.cookie()], b"");
    let version = version_in(&page);
    let edit = [
        ("_path", "content/cases/other.md"),
        ("_version", version.as_str()),
        ("title", "別の事例"),
        ("prefecture", "埼玉県"),
        ("actors", "shoten"),
        ("domains", "買い物"),
        ("_status", "published"),
        ("body", "本文"),
    ];
    let (head, body) = s.post("/_edit/save", &[s.cookie(), s.origin()], &edit);
    assert_eq!(status(&head), 422, "{head}");
    assert!(body.contains("アドレス「cases/kochi/index.html」が content/cases/kochi.md と重複しています"), "{body}");
}

#[test]
fn a_chapter_is_added_to_an_existing_guide() {
    let dir = common::full_site();
    let s = Served::start(dir.path());
    // The list offers it, naming the guides there are.
    let (_, list) = s.request("GET", "/_edit/?collection=chapter", &[s.cookie()], b"");
    let section = list.split(r#"id="c-chapter""#).nth(1).expect("the chapters' section");
    assert!(section.contains(r#"action="/_edit/new/chapter""#) && section.contains(r#"<option value="start">立ち上げガイド</option>"#), "{section}");
    let (head, form) = s.request("GET", "/_edit/new/chapter?guide=start", &[s.cookie()], b"");
    assert_eq!(status(&head), 200, "{head}");
    assert!(form.contains(r#"name="_guide" value="start""#), "{form}");
    assert!(form.contains("立ち上げガイド"), "the page names the guide");
    for bad in ["../cases", "none", ""] {
        let (head, _) = s.request("GET", &format!("/_edit/new/chapter?guide={bad}"), &[s.cookie()], b"");
        assert_eq!(status(&head), 404, "{bad}: {head}");
    }
    let chapter = [("_collection", "chapter"), ("_guide", "start"), ("title", "第三章 続けるために"), ("weight", "3"), ("_status", "published"), ("body", "## 振り返り\n\n本文")];
    let (head, body) = s.post("/_edit/save", &[s.cookie(), s.origin()], &chapter);
    assert_eq!(status(&head), 303, "{head}\n{body}");
    let location = head.lines().find_map(|l| l.strip_prefix("location: ")).expect("a redirect");
    let rel = form_urlencoded::parse(location.split_once('?').unwrap().1.as_bytes()).find(|(k, _)| k == "path").unwrap().1.into_owned();
    assert!(rel.starts_with("content/guides/start/") && rel.ends_with(".md"), "{rel}");
    assert_eq!(std::fs::read_to_string(dir.path().join(&rel)).unwrap(), "---\ntitle: 第三章 続けるために\nweight: 3\n---\n## 振り返り\n\n本文");
    // Never into a guide that is not there, nor outside the guides.
    for guide in ["../cases", "none"] {
        let mut c = chapter.to_vec();
        c.retain(|(k, _)| *k != "_guide");
        c.extend([("_guide", guide), ("_name", "escape")]);
        let (head, _) = s.post("/_edit/save", &[s.cookie(), s.origin()], &c);
        assert_eq!(status(&head), 400, "{guide}: {head}");
    }
    assert!(!dir.path().join("content/cases/escape.md").exists() && !dir.path().join("content/guides/none").exists());
}
