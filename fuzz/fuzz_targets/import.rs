//! Any bytes as a CSV or workbook handed to `kyoso import`: read, map and check rows.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "targets.rs"]
mod targets;

fuzz_target!(|data: &[u8]| targets::import(data));
