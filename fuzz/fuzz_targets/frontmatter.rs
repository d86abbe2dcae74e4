//! Any bytes as a content file: decode, split and parse front matter, check it against
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "targets.rs"]
mod targets;

fuzz_target!(|data: &[u8]| targets::frontmatter(data));
