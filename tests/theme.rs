//! The default theme compiled into the binary is exactly `themes/default/`.

#[test]
fn embedded_theme_matches_the_folder() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let on_disk: std::collections::BTreeMap<String, Vec<u8>> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/"), std::fs::read(e.path()).unwrap()))
        .collect();
    let embedded: std::collections::BTreeMap<String, Vec<u8>> =
        kyoso::theme::EMBEDDED.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
    let missing: Vec<&String> = on_disk.keys().filter(|k| !embedded.contains_key(*k)).collect();
    assert!(missing.is_empty(), "add these to theme::EMBEDDED: {missing:?}");
    assert_eq!(on_disk, embedded);
}

mod common;

/// A site that calls its actors 協力団体 says so in one file, and no page, feed, export or
/// search file calls them 多様な主体 any more (the site's own texts do not use the word).
#[test]
fn renaming_a_collection_is_one_file_in_the_site() {
    let site = common::site(&[
        ("kyoso.toml", "title = \"テスト県 生活支援共創プラットフォーム\"\nprefecture = \"埼玉県\"\nbase_url = \"https://example.jp/kyoso/\"\n"),
        ("labels.toml", "[collections]\nactor = \"協力団体\"\n\n[phrases]\nkind = \"団体の種類：{name}\"\n"),
        ("content/actors/shop.md", "---\ntitle: 山田商店\nkind: 民間企業\nprefecture: 埼玉県\nmunicipalities: [川越市]\ndomains: [買い物]\n---\n配達をしています。\n"),
        ("content/cases/delivery.md", "---\ntitle: 川越市の買い物支援\ndate: 2026-04-01\nprefecture: 埼玉県\nmunicipality: 川越市\nactors: [shop]\ndomains: [買い物]\n---\n商店と協議体が話し合いました。\n"),
    ]);
    common::build(site.path()).expect("builds");
    let out = site.path().join("public");
    let mut seen = 0;
    for (path, bytes) in common::snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("多様な主体"), "{} still says 多様な主体", path.display());
        seen += text.contains("協力団体") as usize;
    }
    assert!(seen > 10, "the new name is used across the site ({seen} files)");
    let actor = common::read(site.path(), "actors/shop/index.html");
    assert!(actor.contains("<p class=\"doc-kind\">協力団体</p>"), "{actor}");
    assert!(common::read(site.path(), "actors/index.html").contains("<title>協力団体"));
    assert!(common::read(site.path(), "kinds/民間企業/index.html").contains("団体の種類：民間企業"));
}

/// A typo in a site's labels.toml stops the build with the file, line and key named.
#[test]
fn a_misspelt_label_names_the_file_line_and_the_key_meant() {
    let site = common::site(&[
        ("kyoso.toml", "title = \"テスト\"\n"),
        ("labels.toml", "[collections]\nactors = \"協力団体\"\n"),
        ("content/pages/about.md", "---\ntitle: このサイトについて\n---\n本文\n"),
    ]);
    let err = common::errors(common::build(site.path()));
    assert!(err.contains("labels.toml:2") && err.contains("collections.actors") && err.contains("collections.actor」"), "{err}");
}
