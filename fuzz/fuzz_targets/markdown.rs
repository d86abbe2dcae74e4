//! Any text as a Markdown body: render, resolve links, sanitise.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;

fuzz_target!(|text: &str| {
    let mut pages = HashMap::new();
    pages.insert("actors/a.md".to_string(), "actors/a/index.html".to_string());
    let cx = kyoso::markdown::LinkContext { source_dir: "cases", page_url: "cases/x/index.html", pages: &pages };
    let r = kyoso::markdown::render(text, &cx);
    assert!(!r.html.contains("<script"), "script survived");
});
