//! Bad content gives a precise, actionable message (file:line:column: field: …, plus a
//! hint) and leaves the previous output byte-for-byte as it was.

mod common;
use common::*;
use std::process::Command;

/// Builds a good site, breaks one file, and checks the message and the untouched output.
fn broken(rel: &str, content: &[u8]) -> String {
    let dir = full_site();
    build(dir.path()).expect("first build");
    let before = snapshot(&dir.path().join("public"));
    write_bytes(dir.path(), rel, content);
    let msg = errors(build(dir.path()));
    assert_eq!(before, snapshot(&dir.path().join("public")), "public/ changed after a failed build");
    msg
}

#[test]
fn unknown_domain_suggests_the_right_term() {
    let msg = broken("content/cases/bad.md", "---\ntitle: t\nprefecture: 埼玉県\ndomains:\n  - 見守り\n  - 買いもの\n---\n".as_bytes());
    assert!(msg.contains("content/cases/bad.md:6:5: domains: エラー: 「買いもの」は分野の一覧にありません"), "{msg}");
    assert!(msg.contains("「買い物」のことですか？"), "{msg}");
}

#[test]
fn known_variant_is_accepted_with_a_warning() {
    let dir = full_site();
    write(dir.path(), "content/cases/variant.md", "---\ntitle: t\nprefecture: 埼玉県\ndomains: [買物, 移動(交通)]\n---\n");
    let report = build(dir.path()).expect("variants are not errors");
    let warnings: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(warnings.iter().any(|w| w.contains("content/cases/variant.md:4") && w.contains("「買物」を「買い物」として扱います")), "{warnings:?}");
    assert!(read(dir.path(), "domains/買い物/index.html").contains("cases/variant/index.html"));
    assert!(read(dir.path(), "domains/移動/index.html").contains("cases/variant/index.html"));
}

#[test]
fn missing_actor_is_named_with_a_suggestion() {
    let msg = broken("content/cases/bad.md", "---\ntitle: t\nprefecture: 埼玉県\nactors: [shotenn]\ndomains: [買い物]\n---\n".as_bytes());
    assert!(msg.contains("content/cases/bad.md:4:10: actors: エラー: 主体「shotenn」が content/actors/ にありません"), "{msg}");
    assert!(msg.contains("「shoten」のことですか？"), "{msg}");
}

#[test]
fn bad_date_is_explained() {
    let msg = broken("content/news/bad.md", "---\ntitle: t\ndate: 2026-13-40\n---\n".as_bytes());
    assert!(msg.contains("content/news/bad.md:3:7: date: エラー: 「2026-13-40」を日付として読めません"), "{msg}");
    assert!(msg.contains("年-月-日"), "{msg}");
}

#[test]
fn missing_required_field() {
    let msg = broken("content/actors/bad.md", "---\ntitle: 名称だけ\nprefecture: 埼玉県\ndomains: [買い物]\n---\n".as_bytes());
    assert!(msg.contains("content/actors/bad.md:2:1: kind: エラー: 必須の項目「kind」（種別）がありません"), "{msg}");
}

#[test]
fn duplicate_slug() {
    let msg = broken("content/cases/2025/kawagoe.md", CASE.as_bytes());
    assert!(msg.contains("アドレス「cases/kawagoe/index.html」が"), "{msg}");
    assert!(msg.contains("content/cases/2025/kawagoe.md") && msg.contains("content/cases/kawagoe.md"), "{msg}");
}

#[test]
fn japanese_file_name_gets_an_ascii_suggestion() {
    let msg = broken("content/cases/かわごえ.md", CASE.as_bytes());
    assert!(msg.contains("content/cases/かわごえ.md: エラー: ファイル名「かわごえ.md」に日本語が含まれていて"), "{msg}");
    assert!(msg.contains("「kawagoe.md」") && msg.contains("slug: kawagoe"), "{msg}");
}

#[test]
fn shift_jis_file_is_named() {
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(CASE);
    let msg = broken("content/cases/sjis.md", &bytes);
    assert!(msg.contains("content/cases/sjis.md:2: エラー: このファイルは Shift_JIS で保存されています"), "{msg}");
    assert!(msg.contains("UTF-8"), "{msg}");
}

#[test]
fn yaml_syntax_error_has_its_line() {
    let msg = broken("content/cases/bad.md", "---\ntitle: t\nprefecture: 埼玉県\ndomains: [買い物\nsummary: x\n---\n".as_bytes());
    assert!(msg.contains("content/cases/bad.md:"), "{msg}");
    assert!(msg.contains("front matter（YAML）を読み取れません"), "{msg}");
}

#[test]
fn all_problems_are_reported_in_one_run() {
    let dir = full_site();
    write(dir.path(), "content/cases/a.md", "---\ntitle: a\nprefecture: 埼玉件\ndomains: [みまもり]\n---\n");
    write(dir.path(), "content/events/b.md", "---\ntitle: b\nkind: 勉強会\nstart: そのうち\n---\n");
    let msg = errors(build(dir.path()));
    for needle in ["a.md:3:13: prefecture", "「埼玉県」のことですか", "a.md:4:11: domains", "b.md:3:7: kind", "b.md:4:8: start"] {
        assert!(msg.contains(needle), "{needle} missing in:\n{msg}");
    }
}

#[test]
fn a_broken_draft_does_not_block_the_build() {
    let dir = full_site();
    write(dir.path(), "content/cases/wip.md", "---\ntitle: 書きかけ\ndraft: true\nprefecture: 埼玉\ndomains: []\n---\n");
    let report = build(dir.path()).expect("drafts only warn");
    assert!(report.diagnostics.iter().any(|d| d.path.ends_with("wip.md") && d.message.contains("下書き")));
}

#[test]
fn cli_exits_1_and_prints_the_location() {
    let dir = full_site();
    let bin = env!("CARGO_BIN_EXE_kyoso");
    let ok = Command::new(bin).args(["build", "--today", "2026-11-23", "--root"]).arg(dir.path()).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("ページ"));
    write(dir.path(), "content/cases/bad.md", "---\ntitle: t\nprefecture: 埼玉県\ndomains: [買いもの]\n---\n");
    let bad = Command::new(bin).args(["build", "--root"]).arg(dir.path()).output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("content/cases/bad.md:4:11: domains: エラー"), "{stderr}");
    assert!(stderr.contains("public は変更していません"), "{stderr}");
}

#[test]
fn init_creates_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("new-site");
    kyoso::scaffold::init(&site).unwrap();
    let report = build(&site).expect("the scaffold builds");
    assert!(report.diagnostics.iter().all(|d| !d.is_error()));
    assert!(kyoso::scaffold::init(&site).is_err(), "init refuses to overwrite");
}

#[test]
fn a_broken_card_template_fails_the_build_naming_it() {
    let message = broken("templates/card.html", b"<li>{{ item.no_such_field.below }}</li>");
    assert!(message.contains("card.html"), "{message}");
    // Where: the template, its line and column, the field.
    assert!(message.contains("card.html:1:13") && message.contains("no_such_field"), "{message}");
    // Said once, in Japanese too, with the number of other pages it broke.
    assert_eq!(message.matches("no_such_field` is not defined").count(), 1, "{message}");
    assert!(message.contains("綴りを確かめる") && message.contains("同じエラーがほかに"), "{message}");
}

#[test]
fn a_theme_still_written_with_tera_1_macros_is_told_how_to_rewrite_them() {
    let message = broken("templates/macros.html", b"{% macro badge(text) %}<span>{{ text }}</span>{% endmacro badge %}");
    assert!(message.contains("macros.html:1:4"), "{message}");
    assert!(message.contains("component") && message.contains("components.html"), "{message}");
}
