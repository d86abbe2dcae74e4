//! Any text through the search analyzer, as a document and as a query.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "targets.rs"]
mod targets;

fuzz_target!(|text: &str| targets::analyzer(text));
