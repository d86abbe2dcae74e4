//! Any bytes as a content file: decode, split and parse front matter, check it against
//! every collection's schema. Must return problems, never panic.
#![no_main]
use kyoso::schema::Collection;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("content/cases/fuzz.md");
    let Ok(text) = kyoso::frontmatter::decode(path, data) else { return };
    let domains: Vec<String> = kyoso::vocab::DOMAINS.iter().map(|s| s.to_string()).collect();
    for collection in Collection::ALL {
        let Ok(parsed) = kyoso::frontmatter::parse(path, &text) else { return };
        let raw = kyoso::load::RawDoc { collection, source: path.into(), stem: "fuzz".into(), guide: Some("g".into()), parsed };
        let _ = kyoso::validate::check_doc(raw, &domains);
    }
});
