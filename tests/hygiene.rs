//! Text hygiene and the configuration's links (issue #20, items 6 and 8): a control
//! character anywhere an editor writes text, and a `javascript:`-style address in
//! `kyoso.toml` or `content/links.yaml`, stop the build with file:line: field: and a
//! Japanese hint, and nothing is written.

mod common;
use common::*;

/// The build fails with these messages and leaves no output behind.
fn refused(dir: &tempfile::TempDir) -> String {
    let msg = errors(build(dir.path()));
    assert!(!dir.path().join("public").exists(), "a refused build writes nothing:\n{msg}");
    msg
}

/// The one printed message that starts with `prefix` (path:line…).
fn line_of<'a>(msg: &'a str, prefix: &str) -> &'a str {
    msg.lines().find(|l| l.starts_with(prefix)).unwrap_or_else(|| panic!("no message at {prefix}:\n{msg}"))
}

#[test]
fn control_characters_in_a_title_are_an_error_naming_file_line_and_field() {
    let dir = full_site();
    // YAML escapes: \v is U+000B (vertical tab), \e is U+001B (the start of an ANSI colour code).
    write(dir.path(), "content/news/ctl.md", "---\ndate: 2026-04-01\ntitle: \"お知らせ\\v本文\\e[31m赤\"\n---\n本文\n");
    let msg = refused(&dir);
    let line = line_of(&msg, "content/news/ctl.md:3:");
    assert!(line.contains(": title: エラー: ") && line.contains("U+000B"), "{msg}");
    assert!(msg.contains("制御文字"), "the hint names the problem in Japanese:\n{msg}");
}

#[test]
fn control_characters_in_toml_front_matter_and_in_lists_are_errors() {
    let dir = full_site();
    write(dir.path(), "content/news/toml.md", "+++\ntitle = \"ベル\\u0007\"\ndate = 2026-04-01\n+++\n本文\n");
    write(
        dir.path(),
        "content/cases/list.md",
        "---\ntitle: 一覧\nprefecture: 埼玉県\ndomains: [買い物]\npartners:\n  - 市の担当課\n  - \"社協\\u009B31m\"\n---\n本文\n",
    );
    let msg = refused(&dir);
    assert!(line_of(&msg, "content/news/toml.md:2:").contains(": title: エラー: "), "{msg}");
    let list = line_of(&msg, "content/cases/list.md:");
    assert!(list.contains(": partners: エラー: ") && list.contains("U+009B"), "a C1 control character too:\n{msg}");
}

#[test]
fn control_characters_in_the_body_are_an_error_at_their_line() {
    let dir = full_site();
    // A form feed, as pasted from a PDF, on the file's sixth line.
    write(dir.path(), "content/news/body.md", "---\ntitle: 本文\ndate: 2026-04-01\n---\n一行目\n二行\u{c}目\n");
    let msg = refused(&dir);
    let line = line_of(&msg, "content/news/body.md:6:3:");
    assert!(line.contains("U+000C") && line.contains("本文"), "{msg}");
    // Tabs and CRLF line ends are ordinary text.
    write(dir.path(), "content/news/body.md", "---\r\ntitle: 本文\r\ndate: 2026-04-01\r\n---\r\n一行目\r\n\tコード\r\n");
    build(dir.path()).expect("tab and CRLF are allowed");
}

#[test]
fn control_characters_in_the_configuration_and_links_are_errors() {
    let dir = full_site();
    write(dir.path(), "kyoso.toml", &format!("{CONFIG}publisher = \"県\\u001b[2J\"\n"));
    let msg = refused(&dir);
    assert!(line_of(&msg, "kyoso.toml:4:").contains(": publisher: エラー: "), "{msg}");

    let dir = full_site();
    write(dir.path(), "content/links.yaml", "- title: 厚生労働省\n  url: https://www.mhlw.go.jp/\n- title: \"県\\x08庁\"\n  url: https://www.pref.example.lg.jp/\n");
    let msg = refused(&dir);
    assert!(line_of(&msg, "content/links.yaml:3:").contains(": title: エラー: "), "{msg}");
}

#[test]
fn a_script_address_in_the_menu_is_refused() {
    let dir = full_site();
    write(
        dir.path(),
        "kyoso.toml",
        &format!("{CONFIG}\n[[menu]]\nname = \"概要\"\nurl = \"about/\"\n\n[[menu]]\nname = \"罠\"\nurl = \"javascript:alert(1)\"\n"),
    );
    let msg = refused(&dir);
    let line = line_of(&msg, "kyoso.toml:11:");
    assert!(line.contains(": menu.url: エラー: ") && line.contains("javascript:alert(1)"), "{msg}");
    assert_eq!(msg.matches("menu.url").count(), 1, "about/ is a good address:\n{msg}");
}

#[test]
fn every_configuration_address_is_checked() {
    let cases = [
        // (what is appended to the configuration, the line and field of the error)
        ("[[menu]]\nname = \"x\"\nurl = \" JavaScript:alert(1)\"\n", "kyoso.toml:7:", "menu.url"),
        ("[[menu]]\nname = \"x\"\nurl = \"vbscript:msgbox\"\n", "kyoso.toml:7:", "menu.url"),
        ("[[menu]]\nname = \"x\"\nurl = \"data:text/html,<script>alert(1)</script>\"\n", "kyoso.toml:7:", "menu.url"),
        ("[map]\ntile_url = \"javascript:alert(1)//{z}/{x}/{y}\"\n", "kyoso.toml:6:", "map.tile_url"),
        ("[map]\nattribution = \"<a title='x'href=javascript:alert(1)>地図</a>\"\n", "kyoso.toml:6:", "map.attribution"),
        ("[map]\nattribution = \"<a href=\\\"https://maps.gsi.go.jp/\\\">地理院</a><img src=\\\"data:image/svg+xml,<svg onload=alert(1)>\\\">\"\n", "kyoso.toml:6:", "map.attribution"),
        ("[[sources]]\nname = \"他県\"\npath = \"https://example.org/data/\"\n", "kyoso.toml:7:", "sources.path"),
    ];
    for (extra, at, field) in cases {
        let dir = full_site();
        write(dir.path(), "kyoso.toml", &format!("{CONFIG}\n{extra}"));
        let msg = refused(&dir);
        assert!(line_of(&msg, at).contains(&format!(": {field}: エラー: ")), "{extra}\n{msg}");
    }
}

#[test]
fn links_yaml_addresses_are_refused_at_their_line() {
    let dir = full_site();
    write(dir.path(), "content/links.yaml", "- title: 厚生労働省\n  url: https://www.mhlw.go.jp/\n- title: 罠\n  category: 国\n  url: javascript:alert(1)\n");
    let msg = refused(&dir);
    assert!(line_of(&msg, "content/links.yaml:5:").contains(": url: エラー: "), "{msg}");
}

#[test]
fn good_configuration_addresses_build() {
    let dir = full_site();
    write(
        dir.path(),
        "kyoso.toml",
        &format!(
            "{CONFIG}\n[map]\ntile_url = \"https://tile.openstreetmap.jp/{{z}}/{{x}}/{{y}}.png\"\nattribution = \"&copy; <a href='https://www.openstreetmap.org/copyright'>OpenStreetMap</a>\"\n\n[[menu]]\nname = \"概要\"\nurl = \"/about/\"\n\n[[menu]]\nname = \"県\"\nurl = \"https://www.pref.example.lg.jp/\"\n"
        ),
    );
    build(dir.path()).expect("ordinary addresses are accepted");
    assert!(read(dir.path(), "index.html").contains("https://www.pref.example.lg.jp/"));
}
