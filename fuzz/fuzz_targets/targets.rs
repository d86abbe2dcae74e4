//! The fuzz targets' bodies, shared by the libFuzzer binaries (`cargo fuzz run NAME`, see
//! ../README.md) and the stable-toolchain harness in `tests/fuzz.rs`, which runs them on
//! mutated seeds in every test run. Each takes any input and must return; a panic is a
//! finding.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;

/// Any bytes as a content file: decode, split and parse front matter, check it against
/// every collection's schema.
pub fn frontmatter(data: &[u8]) {
    let path = Path::new("content/cases/fuzz.md");
    let Ok(text) = kyoso::frontmatter::decode(path, data.to_vec()) else { return };
    let domains: Vec<String> = kyoso::vocab::DOMAINS.iter().map(|s| s.to_string()).collect();
    for collection in kyoso::schema::Collection::ALL {
        let Ok(parsed) = kyoso::frontmatter::parse(path, text.clone()) else { return };
        let raw = kyoso::load::RawDoc { collection, source: path.into(), stem: "fuzz".into(), guide: Some("g".into()), parsed };
        let _ = kyoso::validate::check_doc(raw, &domains);
    }
}

/// Any text as a Markdown body: render, resolve links, sanitise. What comes out must hold
/// no script: no `<script`, no event-handler attribute, no `javascript:` address.
pub fn markdown(text: &str) {
    let mut pages = HashMap::new();
    pages.insert("actors/a.md".to_string(), "actors/a/index.html".to_string());
    let cx = kyoso::markdown::LinkContext { source_dir: "cases", page_url: "cases/x/index.html", pages: &pages };
    let r = kyoso::markdown::render(text, &cx);
    if let Some(bad) = active_html(&r.html) {
        let cut = |s: &str| s.chars().take(400).collect::<String>();
        panic!("script survived sanitising: {}\ninput: {:?}\noutput: {}", cut(&bad), cut(text), cut(&r.html));
    }
}

/// The first piece of `html` that could run script: a `<script` tag, an attribute named
/// `on…`, or an `href`/`src` whose value starts with a script scheme.
pub fn active_html(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    if lower.contains("<script") {
        return Some("<script".into());
    }
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        let tag_end = rest[start..].find('>').map_or(rest.len(), |e| start + e);
        let tag = &rest[start + 1..tag_end];
        rest = &rest[tag_end.min(rest.len())..];
        if tag.starts_with('/') || tag.starts_with('!') {
            continue;
        }
        // Attributes of the tag, as a browser splits them: names after whitespace or `/`.
        for (i, _) in tag.match_indices(|c: char| c.is_ascii_whitespace() || c == '/' || c == '"' || c == '\'') {
            let after = &tag[i + 1..];
            let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
            if name.starts_with("on") && after[name.len()..].trim_start().starts_with('=') {
                // Inside a quoted value this is text, not an attribute: count quotes before it.
                let before = &tag[..i + 1];
                if before.matches('"').count().is_multiple_of(2) && before.matches('\'').count().is_multiple_of(2) {
                    return Some(format!("<{tag}>"));
                }
            }
        }
        for attr in ["href=\"", "src=\"", "href='", "src='"] {
            for (i, _) in tag.match_indices(attr) {
                // As a browser's URL parser: leading C0 controls and spaces stripped, tabs
                // and line breaks removed anywhere.
                let value = tag[i + attr.len()..].trim_start_matches(|c: char| c <= ' ');
                let value: String = value.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).take(12).collect();
                if ["javascript:", "vbscript:", "data:text/h"].iter().any(|s| value.starts_with(s)) {
                    return Some(format!("<{tag}>"));
                }
            }
        }
    }
    None
}

/// Any text through the search analyzer, as a document and as a query.
pub fn analyzer(text: &str) {
    let a = kyoso::search::analyzer::Analyzer::new(&[vec!["サロン".into(), "茶話会".into()]]);
    let _ = a.index_tokens(text);
    for word in a.query_words(text) {
        assert!(!word.is_empty() && word.iter().all(|t| !t.text().is_empty()));
    }
    // The characters that follow bigrams, as the indexer reads them.
    let folded = a.fold(text);
    for w in kyoso::search::analyzer::index_token_ranges(&folded).windows(2) {
        let _ = kyoso::search::analyzer::successor(&folded, w[0], w[1]);
    }
}

/// Any bytes as a CSV or workbook handed to `kyoso import`: read, map and check rows.
pub fn import(data: &[u8]) {
    let domains: Vec<String> = kyoso::vocab::DOMAINS.iter().map(|s| s.to_string()).collect();
    let ext = if data.first().is_some_and(|b| b % 2 == 0) { "csv" } else { "xlsx" };
    if let Ok(table) = kyoso::table::read_table_bytes(data, ext) {
        let set = vec![("kind".to_string(), "その他".to_string()), ("domains".to_string(), "介護".to_string())];
        let _ = kyoso::import::plan(&table, kyoso::schema::Collection::Actor, &[], &set, &domains, "fuzz.csv");
    }
}
