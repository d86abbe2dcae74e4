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

#[test]
fn national_site_lists_both_prefectures_with_links_back() {
    let a = prefecture_site("https://saitama.example.jp/pf/", "埼玉県", "川越市", "a", "川越スーパー");
    let b = prefecture_site("https://kochi.example.jp/pf/", "高知県", "四万十町", "b", "しまんとストア");
    build(a.path()).unwrap();
    build(b.path()).unwrap();
    let national = site(&[]);
    let config = format!(
        "title = \"全国プラットフォーム\"\nbase_url = \"https://national.example.jp/\"\n\n[[sources]]\nname = \"埼玉県PF\"\npath = \"{}\"\n\n[[sources]]\nname = \"高知県PF\"\npath = \"{}\"\n",
        a.path().join("public/data").display(),
        b.path().join("public/data").display()
    );
    write(national.path(), "kyoso.toml", &config);
    write(national.path(), "content/news/open.md", "---\ntitle: 全国版を公開\ndate: 2026-04-01\n---\n");
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
