//! Search: the tantivy index (`kyoso search`) and the browser runtime (run under Node on
//! the exported files) agree, variants find each other, drafts are never indexed.

mod common;
use common::*;
use kyoso::pipeline::{self, BuildOptions};
use kyoso::search::index::Filters;
use serde_json::{json, Value};
use std::path::Path;

/// Runs tests/js/search_cli.js over `public/search` with the given request.
fn node(public: &Path, request: &Value) -> Value {
    browser_search(public, request)
}

fn cli(opts: &BuildOptions, q: &str, filters: &Filters) -> (usize, Vec<String>) {
    let r = pipeline::search(opts, q, filters).unwrap_or_else(|e| panic!("{e}"));
    (r.hits.len(), r.hits.iter().take(10).map(|h| r.docs[h.doc].url.clone()).collect())
}

fn demo() -> (tempfile::TempDir, BuildOptions) {
    let out = tempfile::tempdir().unwrap();
    let mut opts = options(Path::new(env!("CARGO_MANIFEST_DIR")));
    opts.output = Some(out.path().join("public"));
    pipeline::build(&opts).unwrap_or_else(|e| panic!("demo site must build: {e}"));
    (out, opts)
}

const QUERIES: &[&str] = &[
    "買物", "買い物", "買い物支援", "見守り", "移動", "交通", "申込", "申し込み", "SC", "ＮＰＯ", "社協",
    "店", "居場所", "高知県", "配食 サービス", "カイモノ", "ボランティア", "地域包括支援センター",
    "スーパー", "農地", "協議体", "zzzz", "",
    // Phrases of several bigrams, alone and with other words.
    "住民主体", "生活支援体制", "買い物支援 見守り", "地域課題", "コーディネイター 研修",
    // Words in kana, for the words they are the reading of (one-character words among them).
    "かいもの", "みまもり", "きょうぎたい", "いばしょ 高知", "ちいき", "たい", "しえん かいもの",
];

#[test]
fn browser_runtime_ranks_like_kyoso_search() {
    let (out, opts) = demo();
    let request = json!({"queries": QUERIES.iter().map(|q| json!({"q": q})).collect::<Vec<_>>()});
    let js = node(&out.path().join("public"), &request);
    let mut compared = 0;
    for (q, res) in QUERIES.iter().zip(js["queries"].as_array().unwrap()) {
        let (total, urls) = cli(&opts, q, &Filters::default());
        let js_urls: Vec<String> = res["urls"].as_array().unwrap().iter().map(|u| u.as_str().unwrap().to_string()).collect();
        assert_eq!(res["total"].as_u64().unwrap() as usize, total, "result count for {q:?}");
        assert_eq!(js_urls, urls, "top-10 order for {q:?}");
        compared += urls.len();
    }
    assert!(compared > 60, "the query set should find results ({compared})");
}

#[test]
fn facet_filters_agree_and_counts_are_right() {
    let (out, opts) = demo();
    let filters = [
        json!({"domain": "見守り"}),
        json!({"collection": "case", "prefecture": "高知県"}),
        json!({"collection": "actor", "domain": "買い物"}),
    ];
    let request = json!({"queries": filters.iter().map(|f| json!({"q": "", "filters": f, "limit": 1000})).collect::<Vec<_>>()});
    let js = node(&out.path().join("public"), &request);
    for (f, res) in filters.iter().zip(js["queries"].as_array().unwrap()) {
        let fl = Filters {
            collection: f["collection"].as_str().map(String::from),
            domain: f["domain"].as_str().map(String::from),
            prefecture: f["prefecture"].as_str().map(String::from),
            ..Default::default()
        };
        let r = pipeline::search(&opts, "", &fl).unwrap();
        assert!(!r.hits.is_empty(), "{f}");
        assert_eq!(res["total"].as_u64().unwrap() as usize, r.hits.len(), "{f}");
        // The count shown beside a value of another facet equals what choosing it gives.
        if let Some(d) = f["domain"].as_str() {
            assert_eq!(res["facets"]["domain"][d].as_u64().unwrap() as usize, r.hits.len());
        }
        for h in &r.hits {
            let d = &r.docs[h.doc];
            assert!(fl.matches(d));
        }
    }
}

#[test]
fn variants_find_each_other_on_the_demo_site() {
    let (_out, opts) = demo();
    for (a, b) in [("買物", "買い物"), ("申込", "申し込み"), ("交通", "移動"), ("すーぱー", "スーパー"), ("ＮＰＯ", "npo")] {
        let (na, ua) = cli(&opts, a, &Filters::default());
        let (nb, ub) = cli(&opts, b, &Filters::default());
        assert!(na > 0, "{a} finds nothing");
        assert_eq!((na, ua), (nb, ub), "{a} and {b} should find the same documents");
    }
}

#[test]
fn analyzer_is_the_same_in_rust_and_javascript() {
    let dir = full_site();
    build(dir.path()).unwrap();
    let texts = [
        "ＮＰＯ法人ｶﾀｶﾅの買物支援", "申込書は市役所で受付", "SCと協議体", "disc", "高齢者の移動（交通）支援",
        "地域の居場所づくり2024年度", "Ａｂｃ　ＤＥＦ１２３", "𠮷野家の店舗", "見守る・見守り", "ヴァイオリン教室",
        "", "!!!", "café résumé", "①②③", "生活支援コーディネーター（SC）",
        // Loanword spellings and English plurals (issue 25).
        "コーディネイターとコーディネーター", "テンプレト・テンプレート", "ヴァイオリンとヴ", "ｳﾞｧｲｵﾘﾝ", "ボランテイア",
        "インターフェイス", "デイサービスのティー", "すーぱーのー", "ーから", "shortcodes Properties class this axis vue3s",
        "ゔぁ ヴーァ ネイ ねい",
    ];
    let js = node(&dir.path().join("public"), &json!({"analyze": texts}));
    let analyzer = kyoso::search::analyzer::Analyzer::new(&[]);
    for (t, tokens) in texts.iter().zip(js["analyze"].as_array().unwrap()) {
        let js_tokens: Vec<String> = tokens.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
        assert_eq!(js_tokens, analyzer.index_tokens(t), "tokens of {t:?}");
    }
}

#[test]
fn drafts_are_not_in_the_index() {
    let dir = full_site();
    write(dir.path(), "content/cases/secret.md", "---\ntitle: 下書きの事例\ndraft: true\nprefecture: 東京都\ndomains: [掃除]\n---\nひみつのことば\n");
    build(dir.path()).unwrap();
    let search = snapshot(&dir.path().join("public/search"));
    for (p, bytes) in &search {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("ひみつ") && !text.contains("下書きの事例") && !text.contains("みつの"), "{}", p.display());
    }
    let (n, _) = cli(&options(dir.path()), "ひみつ", &Filters::default());
    assert_eq!(n, 0);
}

#[test]
fn one_character_queries_find_run_ends_too() {
    let dir = full_site();
    build(dir.path()).unwrap();
    // 援 appears only at the end of runs in the fixture (…支援).
    let js = node(&dir.path().join("public"), &json!({"queries": [{"q": "店"}, {"q": "援"}]}));
    let (n, urls) = cli(&options(dir.path()), "店", &Filters::default());
    assert!(n > 0);
    assert_eq!(js["queries"][0]["urls"].as_array().unwrap().len(), urls.len());
    assert!(js["queries"][1]["total"].as_u64().unwrap() > 0);
}

/// Every term's postings as tantivy holds them, in the export's encoding, and the table of
/// following characters: the reference the parallel indexer must reproduce. A bigram's
/// following characters are read from tantivy's positions: the bigram at the next
/// position that overlaps it.
type Reference = (Vec<u64>, Vec<Vec<u8>>, std::collections::BTreeMap<String, String>, Vec<char>);

fn tantivy_postings(index: &kyoso::search::index::SearchIndex) -> Reference {
    use kyoso::search::analyzer::is_bigram;
    use kyoso::search::varint::push_varint;
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    use tantivy::postings::Postings;
    use tantivy::schema::IndexRecordOption;
    use tantivy::{DocSet, TERMINATED};
    let searcher = index.searcher();
    let seg = &searcher.segment_readers()[0];
    let n = index.docs.len() as u32;
    let (mut totals, mut norms) = (Vec::new(), Vec::new());
    // Per field: every term's postings as (document, frequency, positions).
    type Positions = BTreeMap<String, Vec<(u32, u32, Vec<u32>)>>;
    let mut fields: Vec<Positions> = Vec::new();
    for field in &index.fields {
        let inv = seg.inverted_index(*field).unwrap();
        totals.push(inv.total_num_tokens());
        let reader = seg.get_fieldnorms_reader(*field).unwrap();
        norms.push((0..n).map(|d| reader.fieldnorm_id(d)).collect());
        let mut terms = BTreeMap::new();
        let mut stream = inv.terms().stream().unwrap();
        while stream.advance() {
            let term = String::from_utf8(stream.key().to_vec()).unwrap();
            let mut postings = inv.read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqsAndPositions).unwrap();
            let mut list = Vec::new();
            while postings.doc() != TERMINATED {
                let mut positions = Vec::new();
                postings.positions(&mut positions);
                list.push((postings.doc(), postings.term_freq(), positions));
                postings.advance();
            }
            terms.insert(term, list);
        }
        fields.push(terms);
    }
    // Per field and posting: the characters following the bigram.
    let mut following: Vec<HashMap<(&str, u32), BTreeSet<char>>> = Vec::new();
    let mut counts: HashMap<char, u64> = HashMap::new();
    for terms in &fields {
        let mut at: HashMap<(u32, u32), &str> = HashMap::new();
        for (term, list) in terms {
            for (doc, _, positions) in list {
                for &p in positions {
                    at.insert((*doc, p), term);
                }
            }
        }
        let mut map: HashMap<(&str, u32), BTreeSet<char>> = HashMap::new();
        for (term, list) in terms.iter().filter(|(t, _)| is_bigram(t)) {
            for (doc, _, positions) in list {
                let second = term.chars().nth(1).unwrap();
                let set: BTreeSet<char> = positions
                    .iter()
                    .filter_map(|&p| at.get(&(*doc, p + 1)))
                    .filter(|next| is_bigram(next) && next.starts_with(second))
                    .map(|next| next.chars().nth(1).unwrap())
                    .collect();
                for &c in &set {
                    *counts.entry(c).or_default() += 1;
                }
                if !set.is_empty() {
                    map.insert((term.as_str(), *doc), set);
                }
            }
        }
        following.push(map);
    }
    let mut table: Vec<(char, u64)> = counts.into_iter().collect();
    table.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let table: Vec<char> = table.into_iter().map(|(c, _)| c).collect();
    let place: HashMap<char, u64> = table.iter().enumerate().map(|(i, &c)| (c, i as u64)).collect();
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (fi, terms) in fields.iter().enumerate() {
        for (term, list) in terms {
            let entry = out.entry(term.clone()).or_default();
            push_varint(entry, fi as u64);
            push_varint(entry, list.len() as u64);
            let mut last = 0;
            let sets: Vec<Option<&BTreeSet<char>>> = list.iter().map(|(doc, _, _)| following[fi].get(&(term.as_str(), *doc))).collect();
            for ((doc, tf, _), set) in list.iter().zip(&sets) {
                push_varint(entry, 4 * u64::from(doc - last) + 2 * u64::from(*tf != 1) + u64::from(set.is_some()));
                if *tf != 1 {
                    push_varint(entry, u64::from(*tf));
                }
                last = *doc;
            }
            for set in sets.into_iter().flatten() {
                let mut places: Vec<u64> = set.iter().map(|c| place[c]).collect();
                kyoso::search::postings::encode_set(entry, &mut places);
            }
        }
    }
    (totals, norms, out, table)
}

#[test]
fn the_parallel_indexer_builds_exactly_what_tantivy_builds() {
    use kyoso::search::index::{field_pieces, SearchIndex, FIELDS};
    use kyoso::search::postings::Inverted;
    // A site of every collection, plus documents that stress the edges: an empty body, a term repeated
    // in one document, a bigram followed by several characters in one document, more documents than one wave of chunks holds (so chunks and waves are merged), mixed
    // scripts, variants and full-width forms.
    let root = full_site();
    for i in 0..1100 {
        let body = match i % 4 {
            0 => String::new(),
            1 => "買い物 買物 かいもの カイモノ ".repeat(i % 7 + 1),
            // 地域 followed by の, で and づ in one document, and by の again.
            2 => format!("ＮＰＯ法人 No.{i} の見守り、sc と 社協。申込み {i} 地域の見守り、地域で支え合う地域づくりと地域の縁"),
            _ => format!("第{i}回 交流会 Ｗｉ-Ｆｉ 移動支援 🚌 {}", "長い文章。".repeat(i % 13)),
        };
        write(root.path(), &format!("content/news/extra-{i:03}.md"), &format!("---\ntitle: 追加のお知らせ {i}\ndate: 2026-04-01\n{}---\n{body}\n", if i % 3 == 0 { "summary: 地域の見守り活動の報告\n" } else { "" }));
    }
    // A word longer than tantivy's longest token: dropped by both, and not counted in
    // the field's length.
    write(root.path(), "content/news/long-word.md", &format!("---\ntitle: 長い語\ndate: 2026-04-02\n---\n{} と見守り\n", "a".repeat(70_000)));
    let opts = options(root.path());
    let (site, _) = pipeline::load_site(&opts, &mut Vec::new()).unwrap_or_else(|e| panic!("{e}"));
    assert!(site.docs.len() > 1100, "{} documents", site.docs.len());
    let bodies = kyoso::bodies::render_bodies(&site, None);
    let reference = SearchIndex::build(&site, &bodies).unwrap();
    let (totals, norms, terms, next) = tantivy_postings(&reference);
    let ours = Inverted::build(&reference.analyzer, site.docs.len(), FIELDS.len(), |i| field_pieces(&site.docs[i], std::borrow::Cow::Borrowed(&bodies[i].text)));
    assert_eq!(ours.total_tokens, totals);
    assert_eq!(ours.norm_ids, norms);
    // What `--timings` prints as the postings' core-seconds is measured at all.
    assert!(ours.work > std::time::Duration::ZERO, "postings time {:?}", ours.work);
    assert!(next.len() > 20, "following characters: {next:?}");
    assert_eq!(ours.next, next);
    let ours: std::collections::BTreeMap<String, String> = ours.terms.into_iter().collect();
    assert!(terms.len() > 500, "{} terms", terms.len());
    assert_eq!(ours.len(), terms.len());
    for (term, postings) in &terms {
        assert_eq!(ours.get(term), Some(postings), "postings of {term:?}");
    }
}
