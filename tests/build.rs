//! The build end to end on fixture sites: every collection renders, term and region pages
//! list the right items, cross-links work, drafts and private fields never reach output.

mod common;
use common::*;

#[test]
fn every_collection_renders() {
    let dir = full_site();
    let report = build(dir.path()).expect("build");
    let root = dir.path();
    for (path, needle) in [
        ("index.html", "ようこそ。"),
        ("cases/index.html", "商店街の御用聞き"),
        ("cases/kawagoe/index.html", "経緯と目的"),
        ("cases/kochi/index.html", "中山間地の移動支援"),
        ("actors/index.html", "サンプル商店街振興組合"),
        ("actors/shoten/index.html", "この主体が関わる事例"),
        ("guides/index.html", "立ち上げガイド"),
        ("guides/start/index.html", "第一章の題"),
        ("guides/start/a/index.html", "第一章の題"),
        ("guides/start/print/index.html", "第2章 第二章の題"),
        ("events/index.html", "来月の研修"),
        ("events/past/index.html", "終了しました"),
        ("events/future/index.html", "開催予定"),
        ("policies/index.html", "2026年度（令和8年度）"),
        ("policies/seikatsu/index.html", "厚生労働省"),
        ("news/index.html", "公開しました"),
        ("news/open/index.html", "お知らせ"),
        ("about/index.html", "このサイトについて"),
        ("links/index.html", "https://www.mhlw.go.jp/"),
        ("domains/index.html", "買い物"),
        ("domains/買い物/index.html", "商店街の御用聞き"),
        ("regions/index.html", "高知県"),
        ("regions/埼玉県/index.html", "サンプル交通"),
        ("regions/埼玉県/川越市/index.html", "商店街の御用聞き"),
        ("kinds/協同組合/index.html", "サンプル商店街振興組合"),
        ("relations/csr/index.html", "中山間地の移動支援"),
        ("404.html", "ページが見つかりません"),
        ("css/kyoso.css", "--primary"),
    ] {
        let html = read(root, path);
        assert!(html.contains(needle), "{path} should contain {needle}");
    }
    assert!(report.pages > 25, "{}", report.pages);
}

#[test]
fn cross_links_between_cases_and_actors() {
    let dir = full_site();
    build(dir.path()).unwrap();
    let case = read(dir.path(), "cases/kawagoe/index.html");
    assert!(case.contains("href=\"../../actors/shoten/index.html\">サンプル商店街振興組合</a>"));
    // The Markdown link written relative to the source file points at the actor's page.
    assert!(case.contains("<a href=\"../../actors/shoten/index.html\">組合</a>"), "{case}");
    // Related cases share a 分野 (見守り).
    let related = &case[case.find("関連する事例").expect("related section")..];
    assert!(related.contains("中山間地の移動支援"));
    let actor = read(dir.path(), "actors/shoten/index.html");
    let cases = &actor[actor.find("この主体が関わる事例").unwrap()..];
    assert!(cases.contains("href=\"../../cases/kawagoe/index.html\""));
}

#[test]
fn term_and_region_pages_list_exactly_their_items() {
    let dir = full_site();
    build(dir.path()).unwrap();
    let kaimono = read(dir.path(), "domains/買い物/index.html");
    assert!(kaimono.contains("商店街の御用聞き") && kaimono.contains("サンプル商店街振興組合"));
    assert!(!kaimono.contains("中山間地の移動支援"));
    let idou = read(dir.path(), "domains/移動/index.html");
    assert!(idou.contains("中山間地の移動支援") && idou.contains("サンプル交通"));
    assert!(!idou.contains("商店街の御用聞き"));
    let kochi = read(dir.path(), "regions/高知県/index.html");
    assert!(kochi.contains("中山間地の移動支援") && !kochi.contains("商店街の御用聞き"));
    // A prefecture-wide actor is shown on each municipality page of its prefecture.
    let kawagoe = read(dir.path(), "regions/埼玉県/川越市/index.html");
    assert!(kawagoe.contains("埼玉県全域で活動する主体") && kawagoe.contains("サンプル交通"));
    // Term links are percent-encoded, files have UTF-8 names.
    let home = read(dir.path(), "index.html");
    assert!(home.contains("href=\"domains/%E8%B2%B7%E3%81%84%E7%89%A9/index.html\""));
}

#[test]
fn events_split_by_build_date() {
    let dir = full_site();
    build(dir.path()).unwrap();
    let events = read(dir.path(), "events/index.html");
    let (upcoming, past) = events.split_at(events.find("終了したイベント・研修").unwrap());
    assert!(upcoming.contains("来月の研修") && !upcoming.contains("昨年の交流会"));
    assert!(past.contains("昨年の交流会"));
    let mut opts = options(dir.path());
    opts.today = Some(chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
    kyoso::pipeline::build(&opts).unwrap();
    let events = read(dir.path(), "events/index.html");
    let past = &events[events.find("終了したイベント・研修").unwrap()..];
    assert!(past.contains("来月の研修"));
}

#[test]
fn guide_chapters_are_ordered_with_prev_next() {
    let dir = full_site();
    build(dir.path()).unwrap();
    let a = read(dir.path(), "guides/start/a/index.html");
    assert!(a.contains("rel=\"next\"><span class=\"chapter-nav-label\">次の章</span>第二章の題"));
    assert!(!a.contains("前の章"));
    let b = read(dir.path(), "guides/start/b/index.html");
    assert!(b.contains("前の章") && b.contains("第2章"));
    assert!(b.contains("id=\"user-content-役割分担\""));
}

#[test]
fn drafts_private_and_future_items_reach_no_output_file() {
    let dir = full_site();
    write(dir.path(), "content/cases/secret.md", "---\ntitle: SENTINEL-DRAFT-TITLE\ndraft: true\nprefecture: 東京都\nmunicipality: SENTINEL-DRAFT-TOWN\ndomains: [掃除]\n---\nSENTINEL-DRAFT-BODY\n");
    write(dir.path(), "content/actors/memo.md", "---\ntitle: 公開団体\nkind: NPO法人\ndomains: [洗濯]\nprefecture: 東京都\nprivate: 担当 SENTINEL-PRIVATE 090-0000-0000\nunknown_field: SENTINEL-UNKNOWN\n---\n公開本文\n");
    write(dir.path(), "content/news/later.md", "---\ntitle: SENTINEL-FUTURE\npublish_date: 2027-01-01T09:00:00+09:00\n---\nSENTINEL-FUTURE-BODY\n");
    let report = build(dir.path()).expect("build");
    assert!(report.diagnostics.iter().any(|d| d.field == "unknown_field"));
    for (path, bytes) in snapshot(&dir.path().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        let name = path.to_string_lossy();
        for s in ["SENTINEL-DRAFT", "SENTINEL-PRIVATE", "SENTINEL-UNKNOWN", "SENTINEL-FUTURE"] {
            assert!(!text.contains(s) && !name.contains(s), "{s} leaked into {}", path.display());
        }
    }
    assert!(read(dir.path(), "actors/memo/index.html").contains("公開本文"));
    assert!(!dir.path().join("public/domains/掃除").exists());
    // --drafts shows them.
    let mut opts = options(dir.path());
    opts.drafts = true;
    kyoso::pipeline::build(&opts).unwrap();
    assert!(read(dir.path(), "cases/secret/index.html").contains("SENTINEL-DRAFT-BODY"));
    assert!(read(dir.path(), "news/later/index.html").contains("SENTINEL-FUTURE-BODY"));
}

#[cfg(unix)]
#[test]
fn unchanged_files_are_kept_not_rewritten() {
    use std::os::unix::fs::MetadataExt;
    let dir = full_site();
    build(dir.path()).unwrap();
    let inode = |rel: &str| std::fs::metadata(dir.path().join("public").join(rel)).unwrap().ino();
    let (kochi, search) = (inode("cases/kochi/index.html"), inode("search/index.html"));
    let path = dir.path().join("content/cases/kochi.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("本文", "書き直した本文")).unwrap();
    build(dir.path()).unwrap();
    assert_eq!(inode("search/index.html"), search, "an unchanged page is the same file");
    assert_ne!(inode("cases/kochi/index.html"), kochi, "a changed page is a new file");
    assert!(read(dir.path(), "cases/kochi/index.html").contains("書き直した本文"));
}

#[test]
fn stale_files_do_not_linger() {
    let dir = full_site();
    build(dir.path()).unwrap();
    assert!(dir.path().join("public/cases/kochi/index.html").exists());
    std::fs::remove_file(dir.path().join("content/cases/kochi.md")).unwrap();
    // (Files a person put there stay: tests/output.rs.)
    build(dir.path()).unwrap();
    assert!(!dir.path().join("public/cases/kochi").exists());
    assert!(!dir.path().join("public/regions/高知県").exists());
    // No staging folders are left beside the output.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().contains("kyoso-")).collect();
    assert!(leftovers.is_empty());
}

#[test]
fn pagination_splits_long_lists() {
    let mut files: Vec<(String, String)> = vec![("kyoso.toml".into(), format!("{CONFIG}paginate = 5\n"))];
    for i in 0..12 {
        files.push((format!("content/news/n{i:02}.md"), format!("---\ntitle: お知らせ{i:02}\ndate: 2026-01-{:02}\n---\n本文\n", i + 1)));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = site(&refs);
    build(dir.path()).unwrap();
    let p1 = read(dir.path(), "news/index.html");
    assert!(p1.contains("お知らせ11") && !p1.contains("お知らせ06"), "newest first");
    assert!(p1.contains("href=\"../news/page/2/index.html\" rel=\"next\""));
    let p3 = read(dir.path(), "news/page/3/index.html");
    assert!(p3.contains("お知らせ00") && p3.contains("href=\"../../../news/page/2/index.html\" rel=\"prev\""));
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let dir = full_site();
    write(dir.path(), "templates/news.html", "unused");
    // As Windows Notepad saves it: a byte order mark and CRLF line ends.
    write(dir.path(), "templates/page.html", "\u{feff}{% extends \"base.html\" %}\r\n{% block content %}<p>独自テンプレート {{ page.title }}</p>\r\n{% endblock content %}\r\n");
    write(dir.path(), "static/css/print.css", "/* site print */");
    write(dir.path(), "static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    build(dir.path()).unwrap();
    assert!(read(dir.path(), "about/index.html").contains("独自テンプレート このサイトについて"));
    assert_eq!(read(dir.path(), "css/print.css"), "/* site print */");
    assert!(read(dir.path(), "logo.svg").contains("svg"));
    assert!(read(dir.path(), "css/kyoso.css").contains("--primary"));
}

#[test]
fn a_card_template_that_compares_its_heading_level_still_gets_both_levels() {
    // Cards are rendered once with a mark for the level when card.html only writes
    // `heading` out; this one branches on it, so each level must be rendered on its own.
    let dir = full_site();
    write(
        dir.path(),
        "templates/card.html",
        "<li>{% if heading == \"h2\" %}<h2 class=\"big\">{{ item.title }}</h2>{% else %}<{{ heading }} class=\"small\">{{ item.title }}</{{ heading }}>{% endif %}</li>",
    );
    build(dir.path()).unwrap();
    // list.html shows cards as h2, a case's related cases are h3.
    let list = read(dir.path(), "cases/index.html");
    assert!(list.contains("<h2 class=\"big\">商店街の御用聞き</h2>"), "{list}");
    let home = read(dir.path(), "index.html");
    assert!(home.contains("<h3 class=\"small\">商店街の御用聞き</h3>"), "{home}");
}

#[test]
fn aliases_redirect_with_relative_links() {
    let dir = full_site();
    write(dir.path(), "content/pages/about.md", "---\ntitle: このサイトについて\naliases: [/old/about.html, /kyu/gaiyou/]\n---\n説明\n");
    build(dir.path()).unwrap();
    let old = read(dir.path(), "old/about.html");
    assert!(old.contains("url=../about/index.html"), "{old}");
    assert!(read(dir.path(), "kyu/gaiyou/index.html").contains("../../about/index.html"));
}

#[test]
fn canonical_urls_use_base_url_only_there() {
    let dir = full_site();
    build(dir.path()).unwrap();
    let case = read(dir.path(), "cases/kawagoe/index.html");
    assert!(case.contains("<link rel=\"canonical\" href=\"https://example.jp/pf/cases/kawagoe/\">"));
    // Feeds and the sitemap need absolute addresses; pages do not.
    for (path, bytes) in snapshot(&dir.path().join("public")).into_iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "html")) {
        let text = String::from_utf8_lossy(&bytes);
        for attr in ["href=\"", "src=\""] {
            for part in text.split(attr).skip(1) {
                let url = &part[..part.find('"').unwrap()];
                assert!(!url.starts_with('/'), "{}: root-absolute link {url}", path.display());
                if url.starts_with("https://example.jp/pf/") {
                    assert!(part.starts_with("https://example.jp/pf/") && text.contains(&format!("rel=\"canonical\" href=\"{url}")) || path.ends_with("404.html"), "{}: absolute internal link {url}", path.display());
                }
            }
        }
    }
}

#[test]
fn long_term_and_region_sections_link_to_their_own_paginated_lists() {
    let mut files: Vec<(String, String)> = vec![("kyoso.toml".into(), format!("{CONFIG}paginate = 5\n"))];
    for i in 0..12 {
        files.push((
            format!("content/cases/c{i:02}.md"),
            format!("---\ntitle: 事例{i:02}\ndate: 2026-01-{:02}\nprefecture: 埼玉県\nmunicipality: 川越市\ndomains: [買い物]\n---\n本文\n", i + 1),
        ));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = site(&refs);
    build(dir.path()).unwrap();
    let public = dir.path().join("public");
    // The term page shows the first page of cases and links to the whole list.
    let term = read(dir.path(), "domains/買い物/index.html");
    assert!(term.contains("事例11") && !term.contains("事例06"), "newest five only");
    let more = "../../domains/%E8%B2%B7%E3%81%84%E7%89%A9/cases/index.html";
    assert!(term.contains(&format!("href=\"{more}\">取り組み事例をすべて見る（12件）")), "{term}");
    // The list has three pages with a pager, and every link on them resolves.
    for (page, first, last) in [("index.html", "事例11", "事例07"), ("page/2/index.html", "事例06", "事例02"), ("page/3/index.html", "事例01", "事例00")] {
        let rel = format!("domains/買い物/cases/{page}");
        let html = read(dir.path(), &rel);
        assert!(html.contains(first) && html.contains(last), "{rel}");
        assert!(html.contains("分野：買い物（取り組み事例）"), "{rel}: heading");
        for href in html.split("href=\"").skip(1).filter_map(|s| s.split('"').next()) {
            if href.starts_with("http") || href.starts_with('#') {
                continue;
            }
            let target = kyoso::urls::decode(href.split(['#', '?']).next().unwrap());
            let file = public.join(&rel).parent().unwrap().join(target);
            assert!(file.exists(), "{rel}: broken link {href}");
        }
    }
    assert!(public.join("regions/埼玉県/川越市/cases/page/3/index.html").exists());
    assert!(public.join("regions/埼玉県/cases/index.html").exists());
    // Short sections have no list of their own.
    assert!(!public.join("domains/買い物/actors").exists());
}

#[test]
fn a_card_template_of_the_site_shapes_every_list_at_every_depth() {
    let dir = full_site();
    write(
        dir.path(),
        "templates/card.html",
        "<li class=\"mine\"><{{ heading }}><a href=\"{% if item.external %}{{ item.url }}{% else %}{{ root }}{{ item.url }}{% endif %}\">独自カード {{ item.title }}</a></{{ heading }}></li>",
    );
    build(dir.path()).unwrap();
    let public = dir.path().join("public");
    let (mut headings, mut depths) = (std::collections::BTreeSet::new(), std::collections::BTreeSet::new());
    for (path, bytes) in snapshot(&public).into_iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "html")) {
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains('\u{1}'), "{}: a root placeholder was left", path.display());
        for part in text.split("<li class=\"mine\"><").skip(1) {
            headings.insert(part[..2].to_string());
            let href = &part[part.find("href=\"").unwrap() + 6..];
            let href = &href[..href.find('"').unwrap()];
            let target = public.join(path.parent().unwrap()).join(percent_decode(href));
            assert!(target.is_file(), "{}: card link {href} leads nowhere", path.display());
            depths.insert(path.components().count());
        }
    }
    assert_eq!(headings.into_iter().collect::<Vec<_>>(), ["h2", "h3"]);
    assert!(depths.len() >= 3, "cards were seen at depths {depths:?} only");
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8().unwrap().into_owned()
}

#[test]
fn the_main_menu_marks_the_current_section_on_every_page() {
    let dir = full_site();
    write(dir.path(), "templates/footer.html", "<p class=\"mine\"><a href=\"{{ root }}index.html\">独自フッター {{ site.title }}</a></p>");
    build(dir.path()).unwrap();
    let current = |page: &str, label: &str| -> Option<String> {
        let text = read(dir.path(), page);
        let nav = &text[text.find("class=\"global-nav\"").unwrap()..];
        let nav = &nav[..nav.find("</nav>").unwrap()];
        let link = nav.split("<li>").find(|li| li.contains(&format!(">{label}</a>")))?;
        link.split("aria-current=\"").nth(1).map(|v| v[..v.find('"').unwrap()].to_string())
    };
    // The section's own list is the page; a page inside it is "true"; other sections nothing.
    assert_eq!(current("cases/index.html", "取り組み事例").as_deref(), Some("page"));
    assert_eq!(current("cases/kawagoe/index.html", "取り組み事例").as_deref(), Some("true"));
    assert_eq!(current("cases/kawagoe/index.html", "多様な主体"), None);
    assert_eq!(current("actors/index.html", "多様な主体").as_deref(), Some("page"));
    assert_eq!(current("index.html", "取り組み事例"), None);
    // Menu and footer links lead back to the root from every depth.
    for page in ["index.html", "cases/index.html", "cases/kawagoe/index.html", "actors/shoten/index.html"] {
        let text = read(dir.path(), page);
        let up = "../".repeat(page.matches('/').count());
        assert!(text.contains(&format!("<a href=\"{up}cases/index.html\"")), "{page}: menu link");
        assert!(text.contains(&format!("<p class=\"mine\"><a href=\"{up}index.html\">独自フッター")), "{page}: footer");
    }
}
