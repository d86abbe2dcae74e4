//! Search finds what a person means (issue 25): the pieces of a query word must be next to
//! each other, everything a reader sees is searchable, katakana spellings meet, a typo in a
//! longer Latin word and an English plural still find the word. Every query is run by
//! `kyoso search` and by the browser runtime (under Node), which must agree.

mod common;
use common::*;
use kyoso::pipeline;
use kyoso::search::index::Filters;
use serde_json::json;
use std::path::Path;

/// A site of plain pages, `(name, body)`, each titled by its name.
fn pages(pages: &[(&str, &str)]) -> tempfile::TempDir {
    let files: Vec<(String, String)> =
        pages.iter().map(|(name, body)| (format!("content/pages/{name}.md"), format!("---\ntitle: {name}\n---\n{body}\n"))).collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = site(&refs);
    build(dir.path()).unwrap_or_else(|e| panic!("the site must build: {e}"));
    dir
}

/// The pages a query finds (by name, best first), after checking that the browser runtime
/// finds the same ones in the same order.
fn find(dir: &Path, q: &str) -> Vec<String> {
    let r = pipeline::search(&options(dir), q, &Filters::default()).unwrap_or_else(|e| panic!("{e}"));
    let cli: Vec<String> = r.hits.iter().map(|h| r.docs[h.doc].url.trim_end_matches("/index.html").to_string()).collect();
    let js = browser_search(&dir.join("public"), &json!({"queries": [{"q": q, "limit": 1000}]}));
    let browser: Vec<String> =
        js["queries"][0]["urls"].as_array().unwrap().iter().map(|u| u.as_str().unwrap().trim_end_matches("/index.html").to_string()).collect();
    assert_eq!(browser, cli, "the browser and kyoso search disagree on {q:?}");
    cli
}

#[test]
fn the_pieces_of_a_query_word_must_be_next_to_each_other() {
    let dir = pages(&[
        ("together", "住民主体の活動を広げます。"),
        ("apart", "住民が集まり、活動の主体は町内会です。地域の行事もあります。"),
        ("hours", "実行に時間がかかります。"),
    ]);
    let p = dir.path();
    assert_eq!(find(p, "住民主体"), ["together"]);
    // A word that is in no page finds nothing, although its pieces are in some.
    assert!(find(p, "地域主体").is_empty());
    assert!(find(p, "実行時間").is_empty());
    // Words typed apart are still found apart.
    assert_eq!(find(p, "住民 主体").len(), 2);
}

#[test]
fn a_query_word_is_a_phrase_not_pieces_found_each_somewhere() {
    let dir = pages(&[
        ("together", "住民主体の活動を広げます。"),
        // Every pair of neighbouring characters of 住民主体 is here, but never one after the other.
        ("pairs", "住民が集まる。民主的に決める。主体は町内会。"),
        // 実行時 and 時間, but not 行時間.
        ("runtime", "実行時に時間がかかります。"),
    ]);
    let p = dir.path();
    assert_eq!(find(p, "住民主体"), ["together"]);
    assert!(find(p, "実行時間").is_empty());
    assert_eq!(find(p, "実行時"), ["runtime"]);
}

#[test]
fn a_field_counts_for_a_word_only_where_the_word_is_a_phrase() {
    // The title of "scattered" holds every piece of 住民主体, apart; only its body holds the
    // word. "plain" holds the word twice in its body and nowhere else.
    let page = |title: &str, body: &str| format!("---\ntitle: {title}\n---\n{body}\n");
    let dir = site(&[
        ("content/pages/scattered.md", &page("住民と民主の主体", "住民主体の会です。")),
        ("content/pages/plain.md", &page("お知らせ", "住民主体の会です。住民主体で動きます。")),
    ]);
    build(dir.path()).unwrap_or_else(|e| panic!("the site must build: {e}"));
    assert_eq!(find(dir.path(), "住民主体"), ["plain", "scattered"]);
}

#[test]
fn text_written_as_raw_html_is_searchable_and_hidden_text_is_not() {
    let dir = pages(&[(
        "list",
        "活動の一覧です。\n\n<ul>\n<li>ふれあいサロン</li>\n<li><b>配食</b>サービス &amp; 見守り</li>\n</ul>\n\n<script>ひみつの合言葉</script>\n<!-- 編集メモ -->\n",
    )]);
    let p = dir.path();
    for q in ["ふれあいサロン", "配食サービス", "見守り"] {
        assert_eq!(find(p, q), ["list"], "{q}");
    }
    // What the reader never sees (scripts, comments, markup) is not indexed.
    for q in ["ひみつ", "合言葉", "編集メモ", "li"] {
        assert!(find(p, q).is_empty(), "{q}");
    }
}

#[test]
fn katakana_spellings_and_english_plurals_meet() {
    let dir = pages(&[
        ("coordinator", "生活支援コーディネーターが地域を回ります。"),
        ("template", "テンプレートを書き換えます。"),
        ("violin", "バイオリン教室とボランティアの募集。"),
        ("english", "Shortcodes and properties are documented here."),
        ("day", "デイサービスの送迎。"),
    ]);
    let p = dir.path();
    for (q, page) in [
        ("コーディネイター", "coordinator"),
        ("こーでぃねーたー", "coordinator"),
        ("テンプレト", "template"),
        ("ヴァイオリン", "violin"),
        ("ボランテイア", "violin"),
        ("shortcode", "english"),
        ("property", "english"),
        ("デイサーヴィス", "day"),
    ] {
        assert_eq!(find(p, q), [page], "{q}");
    }
    // Folding does not join different words: デ is not デイ.
    assert!(find(p, "デサービス").is_empty());
}

#[test]
fn one_typo_in_a_longer_latin_word_is_forgiven_but_not_in_short_or_known_words() {
    let dir = pages(&[
        ("shortcode", "A shortcode puts a map on the page."),
        ("model", "The model of a form."),
        ("modal", "A modal dialog."),
        ("prop", "One prop."),
    ]);
    let p = dir.path();
    assert_eq!(find(p, "shortcdoe"), ["shortcode"]);
    assert_eq!(find(p, "shortcods"), ["shortcode"]);
    // A word that is in the index means itself only; short words are taken as typed.
    assert_eq!(find(p, "model"), ["model"]);
    assert!(find(p, "prpo").is_empty());
    assert!(find(p, "shrtcdoe").is_empty());
}

#[test]
fn snippets_mark_what_the_folded_query_finds() {
    let dir = pages(&[("coordinator", "生活支援コーディネーターが地域を回ります。")]);
    let cases = [
        ("生活支援コーディネーターが来ます。", "コーディネイター", vec!["生活支援コーディネーター"]),
        ("テンプレートを書き換えます。", "テンプレト", vec!["テンプレート"]),
        ("ｳﾞｧｲｵﾘﾝ教室とボランティア", "ヴァイオリン ボランテイア", vec!["ｳﾞｧｲｵﾘﾝ", "ボランティア"]),
        ("Shortcodes and Properties.", "shortcode property", vec!["Shortcodes", "Properties"]),
        ("買物支援と住民主体の活動。住民の主体性。", "買い物 住民主体", vec!["買物", "住民主体"]),
    ];
    let request = json!({"snippets": cases.iter().map(|(text, q, _)| json!({"text": text, "q": q})).collect::<Vec<_>>()});
    let js = browser_search(&dir.path().join("public"), &request);
    for ((text, q, want), marks) in cases.iter().zip(js["marks"].as_array().unwrap()) {
        let marks: Vec<&str> = marks.as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
        assert_eq!(&marks, want, "{q} in {text}");
    }
}
