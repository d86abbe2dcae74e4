//! Contributed content cannot attack readers, private content never leaks, paths cannot
//! leave the site, bad input never panics, and an interrupted build loses nothing.

mod common;
use common::*;
use std::path::Path;

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "\"><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">d</a>",
];

/// Raw tags of an HTML document (text is escaped, so every raw `<` opens markup).
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').map_or(rest.len(), |e| start + e + 1);
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// (name, value) pairs of a tag's attributes.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>').trim_end_matches('/');
    let mut chars = inner.chars().peekable();
    // Skip the element name.
    while chars.peek().is_some_and(|c| !c.is_whitespace()) {
        chars.next();
    }
    let mut out = Vec::new();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '=' {
                break;
            }
            name.push(c);
            chars.next();
        }
        if name.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            match chars.peek().copied() {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    for c in chars.by_ref() {
                        if c == q {
                            break;
                        }
                        value.push(c);
                    }
                }
                _ => {
                    while let Some(&c) = chars.peek() {
                        if c.is_whitespace() {
                            break;
                        }
                        value.push(c);
                        chars.next();
                    }
                }
            }
        }
        out.push((name.to_ascii_lowercase(), value));
    }
    out
}

fn assert_no_active_content(path: &Path, html: &str) {
    for tag in tags(html) {
        let lower = tag.to_ascii_lowercase();
        if lower.starts_with("<!") || lower.starts_with("</") {
            continue;
        }
        if lower.starts_with("<script") {
            // Data blocks and the theme's script files; no inline script at all.
            let allowed = lower.starts_with("<script type=\"application/ld+json\">")
                || lower.starts_with("<script type=\"application/json\" data-kyoso=")
                || lower.starts_with("<script src=\"");
            assert!(allowed, "{}: unexpected {tag}", path.display());
        }
        for bad in ["<iframe", "<object", "<embed", "<svg", "<math", "<style", "<form action=\"http", "<base href=\"javascript"] {
            assert!(!lower.starts_with(bad), "{}: {tag}", path.display());
        }
        for (name, value) in attributes(tag) {
            assert!(!name.starts_with("on") && name != "style", "{}: attribute {name} in {tag}", path.display());
            if matches!(name.as_str(), "href" | "src" | "action" | "formaction" | "content" | "srcset") {
                let v = value.trim().to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!v.starts_with(scheme) && !v.contains(&format!("url={scheme}")), "{}: {name}={value}", path.display());
                }
            }
        }
    }
}

#[test]
fn xss_payloads_never_survive_in_any_output_file() {
    let dir = full_site();
    for (i, p) in PAYLOADS.iter().enumerate() {
        let yaml = serde_json::to_string(p).unwrap();
        write(dir.path(), &format!("content/news/x{i}.md"), &format!(
            "---\ntitle: {yaml}\nsummary: {yaml}\ntags: [{yaml}]\ndate: 2026-01-01\n---\n{p}\n\n[リンク](javascript:alert(1)) ![画像](javascript:alert(1))\n\n本文 {p} 終わり\n"));
        write(dir.path(), &format!("content/actors/x{i}.md"), &format!(
            "---\ntitle: {yaml}\nkind: NPO法人\ndomains: [見守り]\nprefecture: 東京都\nmunicipalities: [新宿区]\naddress: {yaml}\ncontact: {yaml}\ncore_business: {yaml}\n---\n{p}\n"));
    }
    write(dir.path(), "content/events/x.md", "---\ntitle: \"</script><script>alert(1)</script>\"\nkind: 研修\nstart: 2026-12-01 10:00\nvenue: \"<b onmouseover=alert(1)>会場</b>\"\n---\n");
    build(dir.path()).expect("payloads in text are content, not errors");
    let public = dir.path().join("public");
    for (path, bytes) in snapshot(&public) {
        let text = String::from_utf8_lossy(&bytes);
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") => assert_no_active_content(&path, &text),
            Some("js") if path.starts_with("search") => {
                assert!(!text.contains("<script") && !text.contains("</script") && !text.contains("<!--"), "{}", path.display());
            }
            Some("xml") => {
                let mut r = quick_xml::Reader::from_str(&text);
                loop {
                    match r.read_event() {
                        Ok(quick_xml::events::Event::Start(e)) => assert_ne!(e.name().as_ref(), b"script", "{}", path.display()),
                        Ok(quick_xml::events::Event::Eof) => break,
                        Err(e) => panic!("{}: {e}", path.display()),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    // A title with </script> does not break out of the JSON-LD block, which stays valid.
    let event = read(dir.path(), "events/x/index.html");
    let start = event.find("<script type=\"application/ld+json\">").unwrap() + "<script type=\"application/ld+json\">".len();
    let block = &event[start..start + event[start..].find("</script>").unwrap()];
    let v: serde_json::Value = serde_json::from_str(block).unwrap();
    assert_eq!(v["name"], "</script><script>alert(1)</script>");
}

#[test]
fn script_urls_in_front_matter_are_refused() {
    let dir = full_site();
    write(dir.path(), "content/actors/bad.md", "---\ntitle: t\nkind: NPO法人\ndomains: [見守り]\nprefecture: 東京都\nwebsite: javascript:alert(1)\n---\n");
    write(dir.path(), "content/cases/bad.md", "---\ntitle: t\nprefecture: 東京都\ndomains: [見守り]\nsource: \"data:text/html,<script>alert(1)</script>\"\nvideo: \" javascript:alert(1)\"\n---\n");
    write(dir.path(), "content/events/bad.md", "---\ntitle: t\nkind: 研修\nstart: 2026-12-01\nregistration: vbscript:msgbox\n---\n");
    let msg = errors(build(dir.path()));
    for field in ["website", "source", "video", "registration"] {
        assert!(msg.contains(&format!(": {field}: エラー:")), "{field} in {msg}");
    }
    assert!(!dir.path().join("public").exists());
}

#[test]
fn paths_cannot_leave_the_site() {
    let dir = full_site();
    write(dir.path(), "content/pages/a.md", "---\ntitle: a\naliases: [\"../../escape\", \"C:\\\\Windows\\\\x\", \"/cases/\"]\nimages: [\"../../../../etc/passwd\"]\n---\n![x](../../../../etc/passwd)\n");
    let msg = errors(build(dir.path()));
    assert!(msg.contains("旧アドレス「../../escape」はサイトの外を指しています"), "{msg}");
    assert!(msg.contains("C:\\Windows\\x"), "{msg}");
    assert!(msg.contains("旧アドレス「/cases/」はサイトが使うアドレスと重なります"), "{msg}");
    write(dir.path(), "content/pages/a.md", "---\ntitle: a\nslug: \"../evil\"\n---\n");
    assert!(errors(build(dir.path())).contains("slug「../evil」はアドレスに使えません"));
    write(dir.path(), "content/pages/a.md", "---\ntitle: a\nimages: [\"../../../../etc/passwd\"]\n---\n");
    assert!(errors(build(dir.path())).contains("画像「../../../../etc/passwd」はサイトの外を指しています"));
    write(dir.path(), "content/pages/a.md", "---\ntitle: a\n---\n![x](../../../../../etc/passwd) [y](/../../etc/passwd)\n");
    let report = build(dir.path()).unwrap();
    assert!(report.diagnostics.iter().any(|d| d.message.contains("etc/passwd")), "reported as a broken link");
    assert!(!read(dir.path(), "a/index.html").contains("etc/passwd\""), "no link outside the site");
    // Nothing was written outside public/.
    assert!(!dir.path().join("escape").exists() && !dir.path().parent().unwrap().join("escape").exists());
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.md", "---\ntitle: SENTINEL-OUTSIDE\n---\nSENTINEL-OUTSIDE\n");
    write(outside.path(), "secret.png", "SENTINEL-OUTSIDE");
    let dir = full_site();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), dir.path().join("content/news/secret.md")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.png"), dir.path().join("content/news/secret.png")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("content/cases/outside")).unwrap();
    let report = build(dir.path()).unwrap();
    assert!(report.diagnostics.iter().any(|d| d.message.contains("シンボリックリンク")));
    for (path, bytes) in snapshot(&dir.path().join("public")) {
        assert!(!String::from_utf8_lossy(&bytes).contains("SENTINEL-OUTSIDE"), "{}", path.display());
    }
}

#[test]
fn bad_input_gives_an_error_or_a_page_never_a_panic() {
    let big = format!("---\ntitle: 大きなファイル\n---\n{}", "地域の生活支援について書いた長い段落です。\n\n".repeat(330_000));
    assert!(big.len() > 20_000_000);
    let nested_list = format!("---\ntitle: 入れ子\n---\n{}終わり\n", "- ".repeat(10_000));
    let nested_quote = format!("---\ntitle: 引用\n---\n{}終わり\n", ">".repeat(10_000));
    let long_title = format!("---\ntitle: {}\n---\n本文\n", "長".repeat(10_000));
    let cases: Vec<(&str, Vec<u8>, bool)> = vec![
        ("empty", Vec::new(), false),
        ("front-matter-only", b"---\ntitle: a\n---".to_vec(), true),
        ("unterminated", b"---\ntitle: a\n".to_vec(), false),
        ("nul", b"---\ntitle: a\x00b\n---\n".to_vec(), false),
        ("invalid-utf8", b"---\ntitle: \xff\xfe\xfd\n---\n".to_vec(), false),
        ("big", big.into_bytes(), true),
        ("nested-list", nested_list.into_bytes(), true),
        ("nested-quote", nested_quote.into_bytes(), true),
        ("long-title", long_title.into_bytes(), true),
        ("yaml-bomb", b"---\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\ntitle: b\n---\n".to_vec(), false),
        ("binary", (0..=255u8).cycle().take(4096).collect(), false),
    ];
    for (name, bytes, builds) in cases {
        let dir = full_site();
        write_bytes(dir.path(), &format!("content/news/{name}.md"), &bytes);
        match build(dir.path()) {
            Ok(_) => assert!(builds, "{name} should have been refused"),
            Err(kyoso::pipeline::BuildError::Content(d)) => {
                assert!(!builds, "{name} should build: {:?}", d.iter().map(|d| d.to_string()).collect::<Vec<_>>());
                assert!(d.iter().any(|d| d.path.ends_with(format!("{name}.md"))), "{name}: the message names the file");
            }
            Err(e) => panic!("{name}: {e}"),
        }
    }
}

#[cfg(unix)]
#[test]
fn killing_a_build_at_any_moment_leaves_no_half_written_output() {
    // A site big enough that a build takes a while.
    let dir = full_site();
    let para = "地域の生活支援について、事業者と住民が話し合いを重ねてきた経過を記録します。".repeat(20);
    for i in 0..600 {
        write(dir.path(), &format!("content/cases/c{i:04}.md"), &format!(
            "---\ntitle: 事例{i}\nprefecture: 埼玉県\nmunicipality: 町{}\ndomains: [見守り, 買い物]\ndate: 2026-01-01\n---\n## 経緯\n\n{para}\n", i % 40));
    }
    let bin = env!("CARGO_BIN_EXE_kyoso");
    let run = |output: &str| {
        let mut c = std::process::Command::new(bin);
        c.args(["build", "--today", "2026-11-23", "--root"]).arg(dir.path()).arg("--output").arg(dir.path().join(output));
        c.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
        c
    };
    let public = dir.path().join("public");
    assert!(run("public").status().unwrap().success());
    let before = snapshot(&public);
    let start = std::time::Instant::now();
    assert!(run("public").status().unwrap().success());
    let full = start.elapsed();
    assert_eq!(before, snapshot(&public), "builds are deterministic");

    // Edits that change, add and remove pages, and the output they lead to (built aside).
    write(dir.path(), "content/cases/c0001.md", "---\ntitle: 書き直した事例\nprefecture: 埼玉県\nmunicipality: 町1\ndomains: [移動]\ndate: 2026-02-01\n---\n本文\n");
    std::fs::remove_file(dir.path().join("content/cases/c0002.md")).unwrap();
    write(dir.path(), "content/cases/new.md", "---\ntitle: 新しい事例\nprefecture: 東京都\nmunicipality: 千代田区\ndomains: [食事]\ndate: 2026-03-01\n---\n本文\n");
    assert!(run("expected").status().unwrap().success());
    let after = snapshot(&dir.path().join("expected"));
    assert_ne!(before, after);

    for step in 0..12u32 {
        let delay = full * step / 10;
        let mut child = run("public").spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let finished = child.wait().unwrap().success();
        let now = snapshot(&public);
        if finished {
            assert!(now == after, "a finished build gives the new output");
            break;
        }
        // Killed before the last step: as it was; during it: each file old or new, whole.
        for (rel, bytes) in &now {
            assert!(before.get(rel) == Some(bytes) || after.get(rel) == Some(bytes), "{} is neither old nor new after a kill at {delay:?}", rel.display());
        }
        // A page that is in both outputs is replaced, never missing.
        assert!(after.keys().filter(|rel| before.contains_key(*rel)).all(|rel| now.contains_key(rel)), "a page went missing after a kill at {delay:?}");
    }
    // The next build finishes the job and cleans up what killed builds left behind.
    assert!(run("public").status().unwrap().success());
    assert!(snapshot(&public) == after);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().contains("kyoso-")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
#[should_panic(expected = "attribute onerror")]
fn the_scanner_notices_an_event_handler() {
    assert_no_active_content(Path::new("x.html"), "<p>本文</p><img src=\"a.png\" onerror=\"alert(1)\">");
}

#[test]
#[should_panic(expected = "href=JavaScript")]
fn the_scanner_notices_a_script_url() {
    assert_no_active_content(Path::new("x.html"), "<a href=\"JavaScript:alert(1)\">x</a>");
}

/// `tests/fixtures/hostile-site` (every attack of the fixture's README) copied to a
/// temporary folder and built there.
fn hostile_site() -> (tempfile::TempDir, kyoso::pipeline::BuildReport) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile-site");
    let dir = tempfile::tempdir().unwrap();
    for (rel, bytes) in snapshot(&fixture) {
        write_bytes(dir.path(), &rel.to_string_lossy(), &bytes);
    }
    let report = build(dir.path()).expect("a hostile site still builds");
    (dir, report)
}

/// `(name, value)` of every attribute of every tag in `html`.
fn all_attributes(html: &str) -> Vec<(String, String)> {
    tags(html).into_iter().filter(|t| !t.starts_with("</") && !t.starts_with("<!")).flat_map(attributes).collect()
}

#[test]
fn the_hostile_site_publishes_nothing_that_runs() {
    let (dir, _) = hostile_site();
    let public = dir.path().join("public");
    let files = snapshot(&public);
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.extension().is_some_and(|e| e == "html") {
            assert_no_active_content(path, &text);
            for (name, value) in all_attributes(&text) {
                assert!(name != "autofocus", "{}: autofocus", path.display());
                // Only the theme's own focus targets: the main element and table boxes.
                assert!(name != "tabindex" || value == "-1" || value == "0" && text.contains("class=\"table-wrap\" tabindex=\"0\""), "{}: tabindex={value}", path.display());
            }
        }
    }
    // The heading keeps its words and loses every attribute but its id and class.
    let case = read(dir.path(), "cases/heading-attrs/index.html");
    assert!(case.contains(">経緯</h2>"), "{case}");
    for bad in ["onfocus", "autofocus", "heading-style", "onmouseover"] {
        assert!(!case.contains(bad), "{bad} in {case}");
    }
    // An HTML file under content/ is not published; an SVG is, without anything that runs
    // or fetches.
    assert!(!public.join("cases/evil.html").exists());
    let svg = std::fs::read_to_string(public.join("cases/diagram.svg")).expect("the SVG is published");
    for bad in ["<script", "onload", "javascript:", "foreignObject", "evil.example", "<set", "<animate", "alert("] {
        assert!(!svg.contains(bad), "{bad} in {svg}");
    }
    assert!(svg.contains("<rect") && svg.contains("地域の図"), "the drawing stays: {svg}");
}

#[test]
fn content_ids_never_match_an_id_the_theme_uses() {
    // Every id the theme's scripts and templates look up or define.
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let mut theme_ids = std::collections::BTreeSet::new();
    for (rel, bytes) in snapshot(&theme) {
        let text = String::from_utf8_lossy(&bytes);
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
        if rel.starts_with("static/vendor") || !matches!(ext, "js" | "html") {
            continue;
        }
        for pattern in ["getElementById(\"", "getElementById('", "querySelector(\"#", "querySelector('#", " id=\""] {
            for part in text.split(pattern).skip(1) {
                let id: String = part.chars().take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_')).collect();
                if !id.is_empty() && !part[id.len()..].starts_with("{{") {
                    theme_ids.insert(id);
                }
            }
        }
    }
    for expected in ["actor-map", "map-list", "search-results", "main", "kyoso-search", "apply-form"] {
        assert!(theme_ids.contains(expected), "{expected} found in the theme: {theme_ids:?}");
    }
    // Content that tries every route to each of those ids.
    let (mut markdown, mut raw) = (String::new(), String::new());
    for id in &theme_ids {
        markdown.push_str(&format!("## {id}\n\n## 見出し {{#{id}}}\n\n注[^{id}]\n\n[^{id}]: 脚注\n\n"));
        raw.push_str(&format!("<p id=\"{id}\" data-kyoso=\"{id}\">生</p>\n\n<a name=\"{id}\" id=\"x\">名</a>\n\n"));
    }
    let pages = std::collections::HashMap::new();
    let cx = kyoso::markdown::LinkContext { source_dir: "cases", page_url: "cases/a/index.html", pages: &pages };
    // A page of Markdown only, and one with raw HTML too (these once took two paths).
    for text in [markdown.clone(), format!("{markdown}{raw}")] {
        let html = kyoso::markdown::render(&text, &cx).html;
        for (name, value) in all_attributes(&html) {
            if matches!(name.as_str(), "id" | "name") {
                assert!(!theme_ids.contains(&value), "content made {name}=\"{value}\", an id of the theme");
            }
            // Theme scripts find their data blocks by data-kyoso, which content cannot write.
            assert!(!name.starts_with("data-"), "content made {name}=\"{value}\"");
        }
    }
}

#[test]
fn the_map_reads_only_the_theme_settings_and_a_clean_attribution() {
    let (dir, _) = hostile_site();
    for actor in ["clobber-heading", "clobber-raw"] {
        let page = read(dir.path(), &format!("actors/{actor}/index.html"));
        // The only element the map script can take its settings from is the theme's.
        let marker = "<script type=\"application/json\" data-kyoso=\"map-config\">";
        assert_eq!(page.matches(marker).count(), 1, "{actor}: {page}");
        let start = page.find(marker).unwrap() + marker.len();
        let config: serde_json::Value = serde_json::from_str(&page[start..start + page[start..].find("</script>").unwrap()]).unwrap();
        assert_eq!(config["tiles"], "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png");
        let attribution = config["attribution"].as_str().unwrap();
        assert!(attribution.contains("<a href=\"https://maps.gsi.go.jp/development/ichiran.html\">地理院タイル</a>"), "{attribution}");
        for bad in ["<img", "onerror", "onmouseover", "javascript:"] {
            assert!(!attribution.contains(bad), "{bad} in {attribution}");
        }
    }
}

#[test]
fn unpublished_names_appear_in_no_output_file() {
    let (dir, report) = hostile_site();
    let public = dir.path().join("public");
    for (path, bytes) in snapshot(&public) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["secret-draft", "secret-future"] {
            assert!(!text.contains(secret), "{secret} in {}", path.display());
            assert!(!path.to_string_lossy().contains(secret), "{} was published", path.display());
        }
    }
    // The link is shown as text, and the editor is told why.
    let case = read(dir.path(), "cases/heading-attrs/index.html");
    assert!(case.contains("公開予定の計画と未来の計画。"), "{case}");
    let warnings: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(warnings.iter().any(|w| w.contains("secret-draft-plan.md") && w.contains("heading-attrs.md")), "{warnings:?}");
}

#[test]
fn every_page_forbids_inline_script() {
    let (dir, _) = hostile_site();
    let mut pages = 0;
    for (path, bytes) in snapshot(&dir.path().join("public")) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        let start = html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"").unwrap_or_else(|| panic!("{}: no CSP", path.display()));
        let policy = &html[start..][..html[start..].find("\">").unwrap()];
        let script = policy.split(';').find(|d| d.trim().starts_with("script-src")).unwrap_or_else(|| panic!("{}: {policy}", path.display()));
        assert_eq!(script.trim(), "script-src 'self'", "{}", path.display());
        // The policy comes before anything it must govern.
        assert!(html[..start].matches("<script").count() == 0 && !html[..start].contains("<base"), "{}", path.display());
        // No inline script is left for the policy to block: the theme's scripts are files.
        for tag in tags(&html).into_iter().filter(|t| t.starts_with("<script")) {
            assert!(tag.contains(" src=\"") || tag.contains("type=\"application/"), "{}: {tag}", path.display());
        }
        pages += 1;
    }
    assert!(pages > 10);
}

#[test]
fn serve_answers_only_its_own_address_and_forbids_sniffing() {
    use std::io::{Read, Write};
    let dir = full_site();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kyoso"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let get = |host: &str| -> Option<String> {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        write!(s, "GET /index.html HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").ok()?;
        let mut out = String::new();
        s.read_to_string(&mut out).ok()?;
        Some(out)
    };
    let start = std::time::Instant::now();
    let own = loop {
        if let Some(r) = get(&format!("127.0.0.1:{port}")) {
            break r;
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(60), "serve did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let rebound = get(&format!("attacker.example:{port}")).unwrap();
    let localhost = get(&format!("localhost:{port}")).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(own.starts_with("HTTP/1.1 200"), "{own}");
    assert!(localhost.starts_with("HTTP/1.1 200"), "{}", &localhost[..80.min(localhost.len())]);
    assert!(own.to_ascii_lowercase().contains("\r\nx-content-type-options: nosniff\r\n"), "{own}");
    assert!(own.contains("<script src=\"/__kyoso/reload.js\"></script>"), "the reload script is a file");
    assert!(rebound.starts_with("HTTP/1.1 403"), "{rebound}");
    assert!(!rebound.contains("テスト用プラットフォーム"), "{rebound}");
}
