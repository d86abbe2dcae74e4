//! Pages that help readers start (issue #24): the partner finder's examples before any
//! choice, and the 事例集 booklet (its planning, its links, `kyoso booklet --pdf`).

mod common;
use common::*;

/// The example links of the partner finder, as (text, href).
fn examples(root: &std::path::Path) -> Vec<(String, String)> {
    let html = read(root, "partners/index.html");
    let list = html.split("class=\"partner-examples\"").nth(1).and_then(|s| s.split("</ul>").next()).expect("examples");
    list.split("<li><a href=\"")
        .skip(1)
        .map(|li| {
            let (href, rest) = li.split_once("\">").unwrap();
            (rest.split("</a>").next().unwrap().to_string(), href.replace("&amp;", "&"))
        })
        .collect()
}

#[test]
fn the_partner_finder_starts_from_the_popular_domains_of_the_sites_prefecture() {
    // In 埼玉県: 買い物 has an actor and a case, 移動 an actor (its case is in 高知県),
    // 見守り a case but no actor to offer.
    let dir = full_site();
    write(dir.path(), "kyoso.toml", "title = \"埼玉県のサイト\"\nprefecture = \"埼玉県\"\n");
    build(dir.path()).unwrap();
    let found = examples(dir.path());
    let texts: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["埼玉県で買い物に協力できる主体", "埼玉県で移動に協力できる主体"]);
    for (_, href) in &found {
        assert!(href.starts_with("../partners/index.html?domain="), "{href}");
        assert!(href.ends_with("&prefecture=%E5%9F%BC%E7%8E%89%E7%9C%8C"), "{href} chooses the site's prefecture");
    }
    // A national site counts everywhere, and chooses no prefecture.
    write(dir.path(), "kyoso.toml", "title = \"全国のサイト\"\nprefecture = \"全国\"\n");
    build(dir.path()).unwrap();
    let found = examples(dir.path());
    assert!(found.iter().all(|(t, h)| !t.contains('県') && !h.contains("prefecture=")), "{found:?}");
    assert_eq!(found.len(), 2);
}

/// The case pages a booklet prints, in order (their 「掲載ページ」 links).
fn booklet_cases(root: &std::path::Path, rel: &str) -> Vec<String> {
    read(root, rel).split("class=\"booklet-page\" href=\"").skip(1).map(|s| s.split('"').next().unwrap().to_string()).collect()
}

#[test]
fn booklets_are_planned_for_the_site_each_domain_and_each_prefecture_with_cases() {
    let dir = full_site();
    // A draft and a case of another 分野 and prefecture, to be left out where they do not belong.
    write(dir.path(), "content/cases/draft.md", "---\ntitle: 下書きの事例\nprefecture: 埼玉県\ndomains: [買い物]\ndraft: true\n---\n本文\n");
    write(dir.path(), "content/cases/akita.md", "---\ntitle: 雪下ろしの助け合い\nprefecture: 秋田県\ndomains: [住まい]\n---\n本文\n");
    build(dir.path()).unwrap();
    // Every published case once, by prefecture in JIS order (秋田 05, 埼玉 11, 高知 39).
    assert_eq!(
        booklet_cases(dir.path(), "cases/booklet/index.html"),
        ["../../cases/akita/index.html", "../../cases/kawagoe/index.html", "../../cases/kochi/index.html"]
    );
    assert_eq!(booklet_cases(dir.path(), "domains/買い物/booklet/index.html"), ["../../../cases/kawagoe/index.html"]);
    assert_eq!(booklet_cases(dir.path(), "domains/見守り/booklet/index.html").len(), 2);
    assert_eq!(booklet_cases(dir.path(), "regions/高知県/booklet/index.html"), ["../../../cases/kochi/index.html"]);
    // No booklet where there is no case (移動 has one, 介護 none; 北海道 none).
    assert!(!dir.path().join("public/domains/介護/booklet").exists());
    assert!(!dir.path().join("public/regions/北海道/booklet").exists());
    // Linked from the case list, the 分野 page and the prefecture page; not from a municipality.
    assert!(read(dir.path(), "cases/index.html").contains("href=\"../cases/booklet/index.html\""));
    let encoded = |s: &str| kyoso::urls::encode_path(s);
    assert!(read(dir.path(), "domains/買い物/index.html").contains(&format!("href=\"../../{}\"", encoded("domains/買い物/booklet/index.html"))));
    assert!(read(dir.path(), "regions/高知県/index.html").contains(&format!("href=\"../../{}\"", encoded("regions/高知県/booklet/index.html"))));
    assert!(!read(dir.path(), "regions/高知県/四万十町/index.html").contains("booklet"));
    // The case's text keeps working links from the booklet's place, and unique ids.
    let booklet = read(dir.path(), "domains/買い物/booklet/index.html");
    assert!(booklet.contains("href=\"../../../actors/shoten/index.html\""), "the body's link to its actor, from three folders down");
    assert!(booklet.contains("id=\"user-content-k1-"), "heading ids are made unique per case");
}

#[test]
fn kyoso_booklet_writes_a_pdf_or_says_how_to_print_one() {
    let dir = full_site();
    let pdf = dir.path().join("事例集.pdf");
    let run = |chromium: Option<&str>, extra: &[&str]| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kyoso"));
        cmd.args(["booklet", "--pdf"]).arg(&pdf).args(extra).arg("--root").arg(dir.path());
        if let Some(c) = chromium {
            cmd.env("KYOSO_CHROMIUM", c);
        }
        cmd.output().unwrap()
    };
    // Without Chromium: how to print to PDF from a browser, and no file.
    let out = run(Some("/nonexistent/chromium"), &["--domain", "買い物"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("public/domains/買い物/booklet/index.html") && said.contains("PDF に保存"), "{said}");
    assert!(!pdf.exists());
    // The site's own public/ is not touched.
    assert!(!dir.path().join("public").exists());
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].into_iter().find(|p| std::path::Path::new(p).exists());
    let Some(chromium) = chromium else {
        eprintln!("Chromium がないため、PDF の書き出しは確かめていません");
        return;
    };
    let out = run(Some(chromium), &["--prefecture", "高知"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    // A cover, the contents and the one case of 高知県: three pages at least.
    let pages = bytes.windows(12).filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's').count();
    assert!(pages >= 3, "{pages} pages");
    // An existing file is never overwritten.
    let out = run(Some(chromium), &[]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("上書きはしません"));
    assert_eq!(std::fs::read(&pdf).unwrap(), bytes);
}

#[test]
fn a_booklet_of_many_cases_is_printed_in_volumes_of_a_hundred() {
    // 203 cases in 高知県 besides the fixture's: the site's booklet has 3 volumes, 高知県's too.
    let dir = full_site();
    for n in 0..203 {
        write(dir.path(), &format!("content/cases/many-{n:03}.md"), &format!("---\ntitle: 事例{n:03}\nprefecture: 高知県\nmunicipality: 四万十町\ndomains: [食事]\n---\n## 取り組み\n本文{n}\n"));
    }
    build(dir.path()).unwrap();
    let first = booklet_cases(dir.path(), "cases/booklet/index.html");
    let second = booklet_cases(dir.path(), "cases/booklet/2/index.html");
    let third = booklet_cases(dir.path(), "cases/booklet/3/index.html");
    assert_eq!((first.len(), second.len(), third.len()), (100, 100, 5), "the fixture's 2 cases and 203 more");
    assert!(!dir.path().join("public/cases/booklet/4").exists());
    // Every case once, in one order through the volumes; numbers run on.
    let mut all: Vec<String> = first.iter().map(|u| u.replacen("../../", "", 1)).collect();
    all.extend(second.iter().chain(&third).map(|u| u.replacen("../../../", "", 1)));
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 205);
    let html = read(dir.path(), "cases/booklet/2/index.html");
    assert!(html.contains("事例101</span>") && html.contains("事例200</span>") && !html.contains("事例100</span>"), "numbers run on");
    assert!(html.contains("<title>取り組み事例集 第2分冊"), "{}", html.split("<title>").nth(1).unwrap_or("").split("</title>").next().unwrap_or(""));
    assert!(html.contains("id=\"user-content-k101-"), "ids stay unique across the volumes");
    // Each volume lists all of them, the current one marked.
    assert!(html.contains("href=\"../../../cases/booklet/index.html\">第1分冊</a>（事例1〜100）"), "{html}");
    assert!(html.contains("aria-current=\"page\">第2分冊</a>（事例101〜200）"));
    assert!(html.contains(">第3分冊</a>（事例201〜205）"));
    // A booklet of fewer cases is one page without volumes; the list links the first volume.
    let booklet = read(dir.path(), "domains/買い物/booklet/index.html");
    assert!(!booklet.contains("分冊"));
    assert!(read(dir.path(), "cases/index.html").contains("href=\"../cases/booklet/index.html\""));
    assert_eq!(booklet_cases(dir.path(), "regions/高知県/booklet/3/index.html").len(), 4, "高知県: its 1 case and 203 more");
}
