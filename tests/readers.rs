//! Pages that help readers start (issue #24): the partner finder's examples before any
//! choice.

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
