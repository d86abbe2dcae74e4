//! The open-data page (`opendata/index.html`) describes the exports as the build writes
//! them: its column list is the header of the `actors.csv` written next to it, so the
//! page cannot drift from the export.

mod common;

use common::*;

/// The texts of the `<li>` items of the list marked `data-columns="<file>"`.
fn listed_columns(html: &str, file: &str) -> Vec<String> {
    let mark = format!("data-columns=\"{file}\"");
    let start = html.find(&mark).unwrap_or_else(|| panic!("no column list for {file} on the page"));
    let list = &html[start..start + html[start..].find("</ul>").expect("the list ends")];
    list.split("<li>")
        .skip(1)
        .map(|item| item.split("</li>").next().unwrap().replace("<code>", "").replace("</code>", "").trim().to_string())
        .collect()
}

#[test]
fn the_open_data_page_lists_exactly_the_columns_the_csv_export_writes() {
    let dir = full_site();
    build(dir.path()).unwrap();
    let csv = read(dir.path(), "data/actors.csv");
    let header: Vec<String> = csv.trim_start_matches('\u{feff}').lines().next().unwrap().split(',').map(str::to_string).collect();
    assert!(header.len() > 5, "{header:?}");
    let page = read(dir.path(), "opendata/index.html");
    assert_eq!(listed_columns(&page, "data/actors.csv"), header);
}

#[test]
fn the_open_data_page_lists_the_json_fields_and_the_licence() {
    let dir = full_site();
    build(dir.path()).unwrap();
    let page = read(dir.path(), "opendata/index.html");
    for file in ["data/actors.json", "data/cases.json"] {
        let json: serde_json::Value = serde_json::from_str(&read(dir.path(), file)).unwrap();
        let item = json["items"][0].as_object().unwrap_or_else(|| panic!("{file} has an item"));
        let keys: Vec<String> = item.keys().cloned().collect();
        assert_eq!(listed_columns(&page, file), keys, "{file}");
    }
    // Every export the build wrote is linked from the page.
    for file in ["data/actors.csv", "data/actors.json", "data/cases.json", "events.ics", "feed.xml", "sitemap.xml"] {
        assert!(dir.path().join("public").join(file).exists(), "{file} written");
        assert!(page.contains(&format!("href=\"../{file}\"")), "{file} linked");
    }
    assert!(page.contains("CC BY 4.0"), "the default licence is shown");
    assert!(page.contains("2026-11-23"), "the build date is shown");
    // A licence set in kyoso.toml replaces the default.
    let config = format!("{CONFIG}license = \"政府標準利用規約（第2.0版）\"\n");
    write(dir.path(), "kyoso.toml", &config);
    build(dir.path()).unwrap();
    let page = read(dir.path(), "opendata/index.html");
    assert!(page.contains("政府標準利用規約（第2.0版）") && !page.contains("CC BY 4.0"));
}
