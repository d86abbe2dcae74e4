//! A national site built from two prefecture sites' exported data.

mod common;
use common::*;

fn prefecture_site(base: &str, pref: &str, town: &str, slug: &str, name: &str) -> tempfile::TempDir {
    site(&[
        ("kyoso.toml", &format!("title = \"{pref}プラットフォーム\"\nbase_url = \"{base}\"\nprefecture = \"{pref}\"\n")),
        ("content/actors/national.md", "---\ntitle: 全国ささえあいネット\nkind: 全国規模の団体\ndomains: [見守り]\nprefecture: 全国\n---\n全国で活動。\n"),
        ("content/actors/local.md", &format!("---\ntitle: {name}\nkind: 民間企業\ndomains: [買い物]\nprefecture: {pref}\nmunicipalities: [{town}]\nlocation: {{lat: 35.0, lon: 135.0}}\n---\n本文\n")),
        ("content/cases/kaimono.md", &format!("---\ntitle: {town}の買い物支援\nprefecture: {pref}\nmunicipality: {town}\nactors: [local]\ndomains: [買い物]\ndate: 2026-01-01\n---\n本文\n")),
        ("content/cases/secret.md", &format!("---\ntitle: SENTINEL-{slug}\ndraft: true\nprefecture: {pref}\ndomains: [買い物]\n---\n")),
    ])
}

/// A national site aggregating the built sites at `sources` (name, site root).
fn national_site(sources: &[(&str, &std::path::Path)]) -> tempfile::TempDir {
    let national = site(&[("content/news/open.md", "---\ntitle: 全国版を公開\ndate: 2026-04-01\n---\n")]);
    let mut config = "title = \"全国プラットフォーム\"\nbase_url = \"https://national.example.jp/\"\n".to_string();
    for (name, root) in sources {
        config.push_str(&format!("\n[[sources]]\nname = \"{name}\"\npath = \"{}\"\n", root.join("public/data").display()));
    }
    write(national.path(), "kyoso.toml", &config);
    national
}

#[test]
fn national_site_lists_both_prefectures_with_links_back() {
    let a = prefecture_site("https://saitama.example.jp/pf/", "埼玉県", "川越市", "a", "川越スーパー");
    let b = prefecture_site("https://kochi.example.jp/pf/", "高知県", "四万十町", "b", "しまんとストア");
    build(a.path()).unwrap();
    build(b.path()).unwrap();
    let national = national_site(&[("埼玉県PF", a.path()), ("高知県PF", b.path())]);
    let report = build(national.path()).expect("national build");
    let actors = read(national.path(), "actors/index.html");
    assert!(actors.contains("href=\"https://saitama.example.jp/pf/actors/local/\">川越スーパー</a>"), "{actors}");
    assert!(actors.contains("href=\"https://kochi.example.jp/pf/actors/local/\">しまんとストア</a>"));
    // The same national actor from both sources is listed once, naming both.
    assert_eq!(actors.matches("全国ささえあいネット").count(), 1);
    assert!(actors.contains("掲載元：埼玉県PF、高知県PF"));
    assert!(report.diagnostics.iter().any(|d| d.message.contains("複数の集約元")));
    // Term, region and search pages include them; drafts of the sources never do.
    assert!(read(national.path(), "domains/買い物/index.html").contains("四万十町の買い物支援"));
    assert!(read(national.path(), "regions/高知県/四万十町/index.html").contains("https://kochi.example.jp/pf/cases/kaimono/"));
    let (n, urls) = {
        let r = kyoso::pipeline::search(&options(national.path()), "買い物", &Default::default()).unwrap();
        (r.hits.len(), r.hits.iter().map(|h| r.docs[h.doc].url.clone()).collect::<Vec<_>>())
    };
    assert!(n >= 4 && urls.iter().any(|u| u.starts_with("https://kochi.example.jp/")));
    for (path, bytes) in snapshot(&national.path().join("public")) {
        let t = String::from_utf8_lossy(&bytes);
        assert!(!t.contains("SENTINEL"), "{}", path.display());
    }
    // No page is generated for an aggregated item; links to it point back to the source.
    assert!(!national.path().join("public/actors/x0-local").exists());
    let exported: serde_json::Value = serde_json::from_slice(&std::fs::read(national.path().join("public/data/actors.json")).unwrap()).unwrap();
    assert!(exported["items"].as_array().unwrap().iter().any(|i| i["url"] == "https://kochi.example.jp/pf/actors/local/"));
}

#[test]
fn a_missing_source_is_a_clear_error() {
    let national = site(&[("kyoso.toml", "title = \"全国\"\n\n[[sources]]\nname = \"高知県PF\"\npath = \"exports/kochi\"\n")]);
    let msg = errors(build(national.path()));
    assert!(msg.contains("exports/kochi/actors.json: sources: エラー: 集約元「高知県PF」のデータを読めません"), "{msg}");
}

/// The national regions index carries each prefecture's step counts, counted from the
/// `checklist.json` the prefecture publishes; a prefecture without one is 「未回答」.
#[test]
fn the_national_site_carries_each_prefectures_self_check_counts() {
    let a = prefecture_site("https://saitama.example.jp/pf/", "埼玉県", "川越市", "a", "川越スーパー");
    let b = prefecture_site("https://kochi.example.jp/pf/", "高知県", "四万十町", "b", "しまんとストア");
    write(b.path(), "content/checklist.yaml", CHECKLIST);
    write(b.path(), "content/pages/bansou.md", BANSOU);
    let answer = |town: &str, sc: u8, naisho: u8| format!("kyoso-checklist-1,高知県,{town},2026-10-01,{sc},{naisho},1,,\n");
    let rows: String = [("四万十町", 1, 1), ("黒潮町", 2, 1), ("仁淀川町", 3, 2), ("梼原町", 2, 2)].iter().map(|&(t, s, n)| answer(t, s, n)).collect();
    write(b.path(), "in/answers.csv", &format!("{HEADER}{rows}"));
    let imported = kyoso::checklist::import::import(&kyoso::checklist::import::Options {
        files: vec![b.path().join("in/answers.csv")],
        root: b.path().to_path_buf(),
        dry_run: false,
        force: false,
    })
    .unwrap();
    assert_eq!(imported.written.len(), 4);
    build(a.path()).unwrap();
    build(b.path()).unwrap();
    // The file is another site's: what cannot be counted is not, whatever its summary says.
    let published = b.path().join("public/data/checklist.json");
    let mut json: serde_json::Value = serde_json::from_slice(&std::fs::read(&published).unwrap()).unwrap();
    json["steps"][0]["count"] = 999.into();
    let items = json["items"].as_array_mut().unwrap();
    items.push(serde_json::json!({"prefecture": "高知県", "municipality": "<img src=x onerror=alert(1)>", "step": 1}));
    items.push(serde_json::json!({"prefecture": "高知県", "municipality": "須崎市", "step": 9}));
    items.push(serde_json::json!({"prefecture": "高知県", "municipality": "四万十町", "step": "3"}));
    items.push(serde_json::json!({"prefecture": "高知県", "municipality": "黒潮町", "step": 3}));
    std::fs::write(&published, serde_json::to_vec(&json).unwrap()).unwrap();

    let national = national_site(&[("=埼玉県PF", a.path()), ("高知県PF", b.path())]);
    let sources_before = (snapshot(&a.path().join("public")), snapshot(&b.path().join("public")));
    let report = build(national.path()).expect("national build");
    let warnings: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).filter(|d| d.contains("checklist.json")).collect();
    assert_eq!(warnings.len(), 4, "{warnings:?}");
    assert!(warnings.iter().any(|w| w.contains("8 件目") && w.contains("2回")), "{warnings:?}");

    let page = read(national.path(), "regions/index.html");
    let row = |pref: &str| {
        let start = page.find(&format!("<tr><th scope=\"row\">{pref}</th>")).unwrap_or_else(|| panic!("no row for {pref}: {page}"));
        page[start..start + page[start..].find("</tr>").unwrap()].to_string()
    };
    let cells = |n: &[&str]| n.iter().map(|n| format!("<td data-sort=\"{n}\">{n}</td>")).collect::<String>();
    assert!(row("高知県").contains(&cells(&["1", "1", "2", "4"])), "{}", row("高知県"));
    assert!(row("高知県").contains("<a href=\"https://kochi.example.jp/pf/checklist/\">高知県PF</a>"), "{}", row("高知県"));
    assert_eq!(row("埼玉県").matches("未回答").count(), 4, "{}", row("埼玉県"));
    assert!(!row("埼玉県").contains("data-sort=\"0\""), "a site without a self-check is no row of zeros");
    assert!(page.find("埼玉県</th>").unwrap() < page.find("高知県</th>").unwrap(), "prefectures in JIS order");
    assert!(!page.contains("<img src=x") && !page.contains("999"));

    // Open data: the same rows, formula-safe, listed on the open-data page.
    let csv = read(national.path(), "data/checklist-prefectures.csv");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    let opendata = read(national.path(), "opendata/index.html");
    assert!(opendata.contains(&format!("data-columns=\"data/checklist-prefectures.csv\"><li><code>{}</code></li>", lines[0].replace(',', "</code></li><li><code>"))), "{}", lines[0]);
    assert_eq!(lines[1], "埼玉県,'=埼玉県PF,未回答,,,,,,", "{csv}");
    assert!(lines[2].starts_with("高知県,高知県PF,集計あり,1,1,2,4,"), "{csv}");
    let exported: serde_json::Value = serde_json::from_str(&read(national.path(), "data/checklist-prefectures.json")).unwrap();
    assert_eq!(exported["format"], "kyoso-checklist-prefectures");
    assert_eq!(exported["items"][0]["status"], "未回答");
    assert!(exported["items"][0]["steps"].is_null() && exported["items"][0]["count"].is_null());
    assert_eq!(exported["items"][1]["steps"][2], serde_json::json!({"step": 3, "count": 2}));
    let keys: Vec<&String> = exported["items"][1].as_object().unwrap().keys().collect();
    assert!(opendata.contains(&format!("data-columns=\"data/checklist-prefectures.json\"><li><code>{}</code></li>", keys.iter().map(|k| k.as_str()).collect::<Vec<_>>().join("</code></li><li><code>"))));

    // Building again changes nothing, and the sources' folders are never written.
    let first = snapshot(&national.path().join("public"));
    build(national.path()).unwrap();
    assert_eq!(snapshot(&national.path().join("public")), first);
    assert_eq!((snapshot(&a.path().join("public")), snapshot(&b.path().join("public"))), sources_before);

    // A file of another format is refused, as the other exports are.
    write(a.path(), "public/data/checklist.json", "{\"format\": \"kyoso-checklist-answers\", \"version\": 1, \"items\": []}");
    let msg = errors(build(national.path()));
    assert!(msg.contains("data/checklist.json: エラー: checklist.json の形式（\"kyoso-checklist-answers\" 版 1）に対応していません"), "{msg}");
}
