//! Front matter an editor (or an attacker) gets wrong: each known YAML mistake is reported
//! at the line where it was made, in Japanese, without the parser's English; structures
//! nested past any sane depth are refused at once, in front matter and in data files.

mod common;
use common::*;
use kyoso::diagnostics::Diagnostic;
use std::path::Path;
use std::time::{Duration, Instant};

fn parse(text: &str) -> Result<kyoso::frontmatter::Parsed, Diagnostic> {
    kyoso::frontmatter::parse(Path::new("content/events/a.md"), text.to_string())
}

/// The front matter (between the fences) of a test file, as the YAML parser sees it.
fn parser_text(file: &str) -> String {
    let fm: String = file.lines().skip(1).take_while(|l| *l != "---").map(|l| format!("{l}\n")).collect();
    match serde_yaml_ng::from_str::<serde_json::Value>(&fm) {
        Err(e) => e.to_string().split(" at line ").next().unwrap().to_string(),
        Ok(v) => format!("{v}"),
    }
}

/// Lines 2–6 are correct; `bad` goes on line 7, and two correct lines follow it.
fn with_mistake_on_line_7(bad: &str) -> String {
    format!(
        "---\ntitle: 交流会\nkind: 交流会\nstart: 2026-12-05 13:30\nprefecture: 埼玉県\ndomains: [見守り]\n{bad}\nonline: true\nsummary: 説明\n---\n本文\n"
    )
}

fn assert_mistake(file: &str, line: usize, explains: &[&str]) {
    let e = parse(file).expect_err("the mistake is an error");
    assert_eq!(e.line, line, "{e}\n{file}");
    for words in explains {
        assert!(e.message.contains(words) || e.hint.as_deref().unwrap_or("").contains(words), "「{words}」 missing from: {e}");
    }
    let english = parser_text(file);
    assert!(!e.message.contains(&english), "the parser's English is not the message: {e}");
    assert!(!e.message.is_ascii() && !e.message.contains("while "), "{e}");
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opens() {
    assert_mistake(&with_mistake_on_line_7("venue: \"県民会館"), 7, &["引用符", "閉じ"]);
    assert_mistake(&with_mistake_on_line_7("venue: '県民会館"), 7, &["引用符", "閉じ"]);
}

#[test]
fn tab_indentation_is_named() {
    let file = "---\ntitle: 交流会\nkind: 交流会\nstart: 2026-12-05 13:30\ndomains:\n  - 見守り\n\t- 買い物\nsummary: 説明\n---\n";
    assert_mistake(file, 7, &["タブ", "空白"]);
}

#[test]
fn a_missing_space_after_the_colon_is_named() {
    assert_mistake(&with_mistake_on_line_7("venue:県民会館"), 7, &["venue", "空白", "venue: 県民会館"]);
}

#[test]
fn a_full_width_colon_is_named_even_when_yaml_accepts_the_text() {
    assert_mistake(&with_mistake_on_line_7("venue：県民会館"), 7, &["全角", "：", "venue: 県民会館"]);
    // Alone, `title：交流会` is valid YAML (one string), not a field.
    assert_mistake("---\ntitle：交流会\n---\n", 2, &["全角", "："]);
}

#[test]
fn other_mistakes_get_a_plain_japanese_message_at_the_parser_line() {
    let file = with_mistake_on_line_7("  venue: 県民会館");
    let e = parse(&file).expect_err("bad indentation");
    assert_eq!(e.line, 7, "{e}");
    assert!(!e.message.contains(&parser_text(&file)) && !e.message.is_ascii(), "{e}");
    assert!(e.message.contains("YAML"), "{e}");
}

#[test]
fn the_same_mistakes_stop_a_build_with_the_line() {
    let dir = full_site();
    write(dir.path(), "content/events/bad.md", &with_mistake_on_line_7("venue: \"県民会館"));
    let text = errors(build(dir.path()));
    assert!(text.contains("content/events/bad.md:7"), "{text}");
}

/// The limit is 64 levels: editors never nest more than four.
fn deep_yaml(levels: usize) -> String {
    format!("---\ntitle: a\nx: {}\n---\n", "[".repeat(levels))
}

fn refused_fast(what: &str, run: impl FnOnce() -> String) -> String {
    let started = Instant::now();
    let message = run();
    let took = started.elapsed();
    // The issue asks for "well under a second"; 2 s leaves room for a loaded debug build.
    assert!(took < Duration::from_secs(2), "{what} took {took:?}");
    assert!(message.contains("入れ子") && message.contains("64"), "{what}: {message}");
    message
}

#[test]
fn front_matter_nested_100000_deep_is_refused_at_once() {
    let e = refused_fast("YAML", || parse(&deep_yaml(100_000)).expect_err("too deep").to_string());
    assert!(e.starts_with("content/events/a.md:3:"), "{e}");
    let toml = format!("+++\ntitle = \"a\"\nx = {}\n+++\n", "[".repeat(100_000));
    let e = refused_fast("TOML", || parse(&toml).expect_err("too deep").to_string());
    assert!(e.starts_with("content/events/a.md:3:"), "{e}");
    let inline_tables = format!("+++\nx = {}\n+++\n", "{a = ".repeat(100_000));
    refused_fast("TOML tables", || parse(&inline_tables).expect_err("too deep").to_string());
    let dotted = format!("+++\n{} = 1\n+++\n", vec!["a"; 100_000].join("."));
    refused_fast("TOML dotted key", || parse(&dotted).expect_err("too deep").to_string());
    let mut block = String::from("---\n");
    for depth in 0..2_000 {
        block.push_str(&format!("{}k{depth}:\n", " ".repeat(depth)));
    }
    block.push_str("---\n");
    let e = refused_fast("YAML blocks", || parse(&block).expect_err("too deep").to_string());
    assert!(e.starts_with("content/events/a.md:66:"), "the 65th level, on file line 66: {e}");
    let dashes = format!("---\nx:\n{}a\n---\n", "- ".repeat(100_000));
    refused_fast("YAML sequences on one line", || parse(&dashes).expect_err("too deep").to_string());
}

#[test]
fn ordinary_nesting_is_accepted() {
    let ok = parse(&deep_yaml(0).replace("x: ", "x: [[a, {b: [c]}], \"[[[[\", '{{{{']")).expect("three levels");
    assert_eq!(ok.fields["x"][0][1]["b"][0], "c");
    let mut block = String::from("---\n");
    for depth in 0..60 {
        block.push_str(&format!("{}k{depth}:\n", " ".repeat(depth)));
    }
    block.push_str("---\n");
    parse(&block).expect("60 levels");
    let balanced = format!("---\nsummary: \"{}\"\n---\n", "[a] ".repeat(1000));
    parse(&balanced).expect("many brackets, closed again");
}

#[test]
fn data_files_nested_too_deep_are_refused_with_their_line() {
    let dir = full_site();
    write(dir.path(), "content/links.yaml", &format!("- title: a\n  url: {}\n", "[".repeat(100_000)));
    let text = refused_fast("links.yaml", || errors(build(dir.path())));
    assert!(text.contains("content/links.yaml:2:"), "{text}");
    let config = format!("{CONFIG}x = {}\n", "[".repeat(100_000));
    let text = refused_fast("kyoso.toml", || {
        kyoso::config::Config::parse(&config).expect_err("too deep").iter().map(|d| d.to_string()).collect()
    });
    assert!(text.starts_with("kyoso.toml:4:"), "{text}");
}
