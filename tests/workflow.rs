//! Editors' workflow: check, new, import (real municipal CSV files), and the exports and
//! feeds every build writes.

mod common;
use common::*;
use kyoso::import::{import, Options};
use kyoso::schema::Collection;
use std::path::{Path, PathBuf};

/// A real municipal CSV file kept in the repository (see tests/fixtures/opendata/README.md).
fn opendata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/opendata").join(name)
}

#[test]
fn check_finds_links_anchors_images_weights_and_dates() {
    let dir = full_site();
    write(dir.path(), "content/news/links.md", "---\ntitle: リンク\n---\n[ok](../cases/kawagoe.md#経緯と目的) [bad anchor](../cases/kawagoe.md#けいい) [gone](../cases/none.md) ![図](img/none.png)\n");
    write(dir.path(), "content/guides/start/c.md", "---\ntitle: 第三章\nweight: 2\n---\n本文\n");
    write(dir.path(), "content/events/bad.md", "---\ntitle: 逆転\nkind: 研修\nstart: 2026-12-05 13:00\nend: 2026-12-04 13:00\n---\n");
    let diags = kyoso::check::check(&options(dir.path()));
    let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    let has = |needle: &str| text.iter().any(|t| t.contains(needle));
    assert!(has("終了日時が開始日時より前"), "{text:#?}");
    // The date error stops loading; fix it and look at the rest.
    std::fs::remove_file(dir.path().join("content/events/bad.md")).unwrap();
    let diags = kyoso::check::check(&options(dir.path()));
    let text: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    let has = |needle: &str| text.iter().any(|t| t.contains(needle));
    assert!(has("links.md: エラー: リンク「../cases/kawagoe.md#けいい」の見出し「#けいい」がリンク先にありません"), "{text:#?}");
    assert!(has("リンク先「../cases/none.md」が見つかりません"), "{text:#?}");
    assert!(has("画像・ファイル「img/none.png」がありません"), "{text:#?}");
    assert!(has("c.md:3:9: weight: 警告: 並び順 weight: 2 が"), "{text:#?}");
    assert!(has("taxi.md: 情報: この主体が関わる事例はまだありません"), "{text:#?}");
    assert!(!has("#経緯と目的」"), "a good anchor is not reported");
    assert!(diags.has_errors());
    // Nothing was written.
    assert!(!dir.path().join("public").exists());
}

#[test]
fn check_cli_exits_1_and_speaks_json() {
    let dir = full_site();
    write(dir.path(), "content/news/links.md", "---\ntitle: リンク\n---\n[gone](../cases/none.md)\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kyoso")).args(["check", "--format", "json", "--root"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = v.as_array().unwrap().iter().find(|d| d["severity"] == "error").unwrap();
    assert_eq!(first["path"], "content/news/links.md");
}

#[test]
fn new_writes_every_field_and_the_site_still_builds() {
    let dir = full_site();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let rel = kyoso::scaffold::new_file(dir.path(), Collection::Case, "かわごえの見守り", None, None, today).unwrap();
    let slug = rel.file_stem().unwrap().to_str().unwrap().to_string();
    assert!(slug.starts_with("case-") && kyoso::validate::is_valid_slug(&slug), "{slug}");
    assert_eq!(kyoso::validate::suggest_slug("かわごえのみまもり", "case"), "kawagoenomimamori");
    let text = std::fs::read_to_string(dir.path().join(&rel)).unwrap();
    for spec in kyoso::schema::all_fields(Collection::Case).filter(|s| s.name != "slug") {
        assert!(text.contains(&format!("\n{}:", spec.name)), "{} missing:\n{text}", spec.name);
    }
    assert!(text.contains("# 分野（必須）") && text.contains("date: 2026-11-23") && text.contains("draft: true"));
    // A fresh draft does not block the build; once filled in and published, it appears.
    build(dir.path()).expect("a new draft builds");
    let filled = text.replace("draft: true", "draft: false").replace("prefecture:\n", "prefecture: 埼玉県\n").replace("domains: []", "domains: [見守り]");
    std::fs::write(dir.path().join(&rel), filled).unwrap();
    build(dir.path()).expect("filled in");
    assert!(read(dir.path(), &format!("cases/{slug}/index.html")).contains("かわごえの見守り"));
    assert!(kyoso::scaffold::new_file(dir.path(), Collection::Case, "かわごえの見守り", None, None, today).is_err(), "no overwrite");
    let ch = kyoso::scaffold::new_file(dir.path(), Collection::Chapter, "第三章", Some("dai3"), Some("start"), today).unwrap();
    assert_eq!(ch, Path::new("content/guides/start/dai3.md"));
}

fn opts(root: &Path, file: PathBuf, set: &[(&str, &str)]) -> Options {
    Options {
        collection: Collection::Actor,
        file,
        root: root.to_path_buf(),
        map: Vec::new(),
        set: set.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
        dry_run: false,
        force: false,
        delete_missing: false,
    }
}

#[test]
fn import_a_real_shift_jis_municipal_list() {
    let dir = site(&[]);
    let set = [("kind", "社会福祉法人"), ("domains", "介護"), ("prefecture", "静岡県")];
    let mut o = opts(dir.path(), opendata("yaizu_yohairyosya_sjis.csv"), &set);
    o.dry_run = true;
    let r = import(&o).unwrap();
    assert_eq!(r.encoding, "Shift_JIS（CP932）");
    assert_eq!(r.written.len(), 277, "every record, including those with line breaks in cells");
    assert!(!dir.path().join("content/actors").exists(), "--dry-run writes nothing");
    o.dry_run = false;
    let r = import(&o).unwrap();
    assert_eq!((r.written.len(), r.skipped.len()), (277, 0));
    let report = build(dir.path()).expect("the imported listings build");
    assert!(report.pages > 277);
    let text = read(dir.path(), "regions/静岡県/焼津市/index.html");
    assert!(text.contains("多様な主体をすべて見る（"), "the municipality page links to its full list of actors");
    let listed: String = walkdir::WalkDir::new(dir.path().join("public/regions/静岡県/焼津市/actors"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(listed.contains("くすのき"), "every imported actor is listed on the municipality's pages");
    // Importing again changes nothing; an edited file is kept unless --force.
    let again = import(&o).unwrap();
    assert_eq!((again.written.len(), again.unchanged.len()), (0, 277));
    let edited = dir.path().join(&again.unchanged[0]);
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replacen("title:", "summary: 編集者が書いた紹介\ntitle:", 1)).unwrap();
    let kept = import(&o).unwrap();
    assert_eq!(kept.kept, vec![again.unchanged[0].clone()]);
    assert!(std::fs::read_to_string(&edited).unwrap().contains("編集者が書いた紹介"));
    o.force = true;
    let forced = import(&o).unwrap();
    assert_eq!(forced.written, vec![again.unchanged[0].clone()]);
}

#[test]
fn import_reports_bad_rows_with_their_row_number() {
    let dir = site(&[]);
    // No kind, no 分野: every row fails with its row number, nothing is written.
    let r = import(&opts(dir.path(), opendata("takamatsu_elderly_welfare_facility.csv"), &[("prefecture", "香川県")])).unwrap();
    assert_eq!(r.written.len(), 0);
    assert_eq!(r.skipped.len(), 47);
    let first = r.skipped[0].to_string();
    assert!(first.starts_with("takamatsu_elderly_welfare_facility.csv:2: エラー:") && first.contains("kind"), "{first}");
    // With the missing fields supplied, the English-headed UTF-8 file imports.
    let r = import(&opts(dir.path(), opendata("takamatsu_elderly_welfare_facility.csv"), &[("kind", "社会福祉法人"), ("domains", "介護"), ("prefecture", "香川県")])).unwrap();
    assert_eq!((r.written.len(), r.skipped.len(), r.encoding), (47, 0, "UTF-8"));
    build(dir.path()).unwrap();
    // A standard-dataset file with BOM.
    let r = import(&opts(dir.path(), opendata("yaizu_222127_community_center.csv"), &[("kind", "行政機関"), ("domains", "居場所"), ("prefecture", "静岡県")])).unwrap();
    assert_eq!((r.written.len(), r.encoding), (9, "UTF-8（BOM付き）"));
}

#[test]
fn exports_and_feeds_are_valid_and_round_trip() {
    let dir = full_site();
    build(dir.path()).unwrap();
    let public = dir.path().join("public");
    // actors.csv: BOM, opens with a CSV reader, one row per published actor.
    let bytes = std::fs::read(public.join("data/actors.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), kyoso::opendata::ACTOR_COLUMNS);
    assert_eq!(r.records().count(), 2);
    // JSON follows docs/data-format.md.
    let actors: serde_json::Value = serde_json::from_slice(&std::fs::read(public.join("data/actors.json")).unwrap()).unwrap();
    assert_eq!((actors["format"].as_str(), actors["version"].as_u64()), (Some("kyoso-actors"), Some(1)));
    for a in actors["items"].as_array().unwrap() {
        for key in ["id", "name", "kind", "domains", "prefecture", "municipalities", "url"] {
            assert!(!a[key].is_null(), "{key} in {a}");
        }
        assert!(a["url"].as_str().unwrap().starts_with("https://example.jp/pf/actors/"));
    }
    let cases: serde_json::Value = serde_json::from_slice(&std::fs::read(public.join("data/cases.json")).unwrap()).unwrap();
    assert_eq!(cases["items"].as_array().unwrap().len(), 2);
    assert_eq!(cases["items"][0]["actors"][0], "shoten");
    // Atom and sitemap: well-formed XML with the required elements.
    let feed = std::fs::read_to_string(public.join("feed.xml")).unwrap();
    let elements = xml_elements(&feed);
    for required in ["feed", "id", "title", "updated", "entry", "link"] {
        assert!(elements.contains(&required.to_string()), "feed lacks <{required}>");
    }
    assert_eq!(feed.matches("<entry>").count(), feed.matches("<id>").count() - 1, "every entry has an id");
    assert!(feed.contains("<title>取り組み事例：商店街の御用聞き</title>"));
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let elements = xml_elements(&sitemap);
    assert_eq!(elements.iter().filter(|e| *e == "url").count(), elements.iter().filter(|e| *e == "loc").count());
    assert!(sitemap.contains("<loc>https://example.jp/pf/cases/kawagoe/</loc><lastmod>2026-04-01</lastmod>"));
    assert!(sitemap.contains("<loc>https://example.jp/pf/domains/%E8%B2%B7%E3%81%84%E7%89%A9/</loc>"));
    assert!(std::fs::read_to_string(public.join("robots.txt")).unwrap().contains("Sitemap: https://example.jp/pf/sitemap.xml"));
    // ICS parses back into the events.
    let ics = std::fs::read_to_string(public.join("events.ics")).unwrap();
    let events = parse_ics(&ics);
    assert_eq!(events.len(), 2);
    let future = events.iter().find(|e| e["SUMMARY"] == "来月の研修").unwrap();
    assert_eq!(future["DTSTART;TZID=Asia/Tokyo"], "20261205T133000");
    assert_eq!(future["LOCATION"], "オンライン");
    let past = events.iter().find(|e| e["SUMMARY"] == "昨年の交流会").unwrap();
    assert_eq!(past["DTEND;TZID=Asia/Tokyo"], "20251101T160000");
    // OpenGraph and JSON-LD.
    let actor = read(dir.path(), "actors/shoten/index.html");
    assert!(actor.contains("<meta property=\"og:title\" content=\"サンプル商店街振興組合\">"));
    assert!(actor.contains("\"@type\":\"Organization\""));
    assert!(read(dir.path(), "events/future/index.html").contains("\"@type\":\"Event\""));
    assert!(read(dir.path(), "cases/kawagoe/index.html").contains("\"@type\":\"Article\""));
}

#[test]
fn actors_csv_imports_back_into_the_same_listings() {
    let dir = full_site();
    build(dir.path()).unwrap();
    let fresh = site(&[]);
    let r = import(&opts(fresh.path(), dir.path().join("public/data/actors.csv"), &[])).unwrap();
    assert_eq!((r.written.len(), r.skipped.len()), (2, 0), "{:?}", r.skipped);
    build(fresh.path()).unwrap();
    let a: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("public/data/actors.json")).unwrap()).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&std::fs::read(fresh.path().join("public/data/actors.json")).unwrap()).unwrap();
    let fields = ["id", "name", "kind", "core_business", "domains", "prefecture", "municipalities", "address", "location", "website", "contact", "url"];
    let pick = |v: &serde_json::Value| -> Vec<Vec<serde_json::Value>> {
        v["items"].as_array().unwrap().iter().map(|i| fields.iter().map(|f| i[*f].clone()).collect()).collect()
    };
    let strip = |v: Vec<Vec<serde_json::Value>>| -> Vec<Vec<serde_json::Value>> {
        v.into_iter().map(|mut r| { r.pop(); r }).collect()
    };
    assert_eq!(strip(pick(&a)), strip(pick(&b)));
}

fn xml_elements(text: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut names = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                names.push(String::from_utf8_lossy(e.name().as_ref()).into_owned())
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    names
}

/// A small RFC 5545 reader: unfolds lines, checks nesting, returns each VEVENT's properties.
fn parse_ics(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    assert!(text.lines().all(|l| l.len() <= 76), "lines are folded at 75 octets");
    let unfolded = text.replace("\r\n ", "");
    let mut stack = Vec::new();
    let mut events = Vec::new();
    let mut current = std::collections::HashMap::new();
    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').expect("NAME:VALUE");
        match name {
            "BEGIN" => stack.push(value.to_string()),
            "END" => {
                assert_eq!(stack.pop().as_deref(), Some(value));
                if value == "VEVENT" {
                    events.push(std::mem::take(&mut current));
                }
            }
            _ if stack.last().map(String::as_str) == Some("VEVENT") => {
                current.insert(name.to_string(), value.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n"));
            }
            _ => {}
        }
    }
    assert!(stack.is_empty());
    for e in &events {
        assert!(e.contains_key("UID") && e.contains_key("DTSTAMP") && e.contains_key("DTSTART;TZID=Asia/Tokyo"));
    }
    events
}

