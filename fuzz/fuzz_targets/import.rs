//! Any bytes as a CSV or workbook handed to `kyoso import`: read, map and check rows.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let domains: Vec<String> = kyoso::vocab::DOMAINS.iter().map(|s| s.to_string()).collect();
    let ext = if data.first().is_some_and(|b| b % 2 == 0) { "csv" } else { "xlsx" };
    if let Ok(table) = kyoso::import::read_table_bytes(data, ext) {
        let set = vec![("kind".to_string(), "その他".to_string()), ("domains".to_string(), "介護".to_string())];
        let _ = kyoso::import::plan(&table, kyoso::schema::Collection::Actor, &[], &set, &domains, "fuzz.csv");
    }
});
