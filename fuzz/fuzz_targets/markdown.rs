//! Any text as a Markdown body: render, resolve links, sanitise.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "targets.rs"]
mod targets;

fuzz_target!(|text: &str| targets::markdown(text));
