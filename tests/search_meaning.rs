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

#[test]
fn a_hiragana_word_finds_the_words_it_is_the_reading_of() {
    let dir = pages(&[
        ("shop", "週に一度、買い物を手伝います。"),
        ("kana", "かいものバスが走ります。"),
        ("watch", "高齢者の見守りを続けます。"),
        ("council", "地域の協議体で話し合います。"),
        ("meal", "配食サービスの案内です。"),
    ]);
    let p = dir.path();
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    // The word in kanji, and the word as typed.
    assert_eq!(sorted(find(p, "かいもの")), ["kana", "shop"]);
    assert_eq!(sorted(find(p, "カイモノ")), ["kana", "shop"]);
    assert_eq!(find(p, "みまもり"), ["watch"]);
    assert_eq!(find(p, "はいしょく"), ["meal"]);
    // A compound the dictionary lacks, read as two of its words (協議 + 体).
    assert_eq!(find(p, "きょうぎたい"), ["council"]);
    // With another word, every word must still match.
    assert_eq!(find(p, "かいもの 手伝い"), ["shop"]);
    // Readings of words in no page find nothing (関数 and 非同期 are in the dictionary).
    assert!(find(p, "かんすう").is_empty());
    assert!(find(p, "ひどうき").is_empty());
    assert!(find(p, "きょうぎかい").is_empty());
}

#[test]
fn the_site_publishes_only_the_readings_of_its_own_words_and_loads_them_only_for_kana() {
    let dir = pages(&[("shop", "週に一度、買い物を手伝います。")]);
    let search = dir.path().join("public/search");
    let readings: String = std::fs::read_dir(search.join("r"))
        .expect("a site with words in kanji has reading files")
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(readings.contains("かいもの") && readings.contains("買い物"), "{readings}");
    assert!(!readings.contains("関数") && !readings.contains("かんすう"), "{readings}");
    let js = browser_search(&dir.path().join("public"), &json!({"queries": [{"q": "買い物"}, {"q": "かいもの"}]}));
    let loaded = |i: usize| -> Vec<String> { js["queries"][i]["loaded"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect() };
    assert!(loaded(0).iter().all(|n| !n.starts_with("r/")), "a query in kanji loads no reading file: {:?}", loaded(0));
    assert!(loaded(1).iter().any(|n| n.starts_with("r/")), "a query in hiragana loads its reading file: {:?}", loaded(1));
}
