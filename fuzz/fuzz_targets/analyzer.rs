//! Any text through the search analyzer, as a document and as a query.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let a = kyoso::search::analyzer::Analyzer::new(&[vec!["サロン".into(), "茶話会".into()]]);
    let _ = a.index_tokens(text);
    for t in a.query_tokens(text) {
        assert!(!t.text().is_empty());
    }
});
