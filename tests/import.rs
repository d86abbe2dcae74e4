//! `kyoso import`: records from several sources live side by side, a re-import changes
//! nothing, nothing an editor wrote is overwritten, and open data goes out formula-safe
//! and comes back exact.
//!
//! The municipal lists in tests/fixtures/opendata are real (see the README there).

mod common;
use common::*;
use kyoso::import::{import, Options};
use kyoso::schema::Collection;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/opendata").join(name)
}

fn opts(root: &Path, file: PathBuf, set: &[(&str, &str)]) -> Options {
    Options {
        collection: Collection::Actor,
        file,
        root: root.to_path_buf(),
        map: Vec::new(),
        set: set.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
        dry_run: false,
        force: false,
        delete_missing: false,
    }
}

/// The front-matter fields of a written file.
fn fields(root: &Path, rel: &Path) -> serde_json::Map<String, serde_json::Value> {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    kyoso::frontmatter::parse(rel, text).unwrap().fields
}

#[test]
fn formula_cells_are_neutralised_in_the_export_and_restored_by_import() {
    let dir = site(&[]);
    // What a hostile or careless list holds: cells a spreadsheet would run.
    let cells = ["=HYPERLINK(\"https://evil.example/\",\"詳細\")", "+81-54-000-0000", "@SUM(A1:A2)", "-1 の残高"];
    let csv = format!(
        "ID,名称,種別,分野,都道府県名,本業,連絡先,概要,住所\r\nformula,数式の会,NPO法人,見守り,静岡県,\"{}\",{},{},{}\r\n",
        cells[0].replace('"', "\"\""),
        cells[1],
        cells[2],
        cells[3]
    );
    write(dir.path(), "list.csv", &csv);
    let r = import(&opts(dir.path(), dir.path().join("list.csv"), &[])).unwrap();
    assert_eq!(r.written, vec![PathBuf::from("content/actors/formula.md")], "{:?}", r.skipped);
    let original = fields(dir.path(), &r.written[0]);
    assert_eq!(original["core_business"], cells[0]);
    build(dir.path()).unwrap();
    // The CSV export guards every formula cell with a leading apostrophe...
    let bytes = std::fs::read(dir.path().join("public/data/actors.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let row: Vec<String> = reader.records().next().unwrap().unwrap().iter().map(String::from).collect();
    let cell = |name: &str| row[header.iter().position(|h| h == name).unwrap()].clone();
    assert_eq!(cell("本業"), format!("'{}", cells[0]));
    assert_eq!(cell("連絡先"), format!("'{}", cells[1]));
    assert_eq!(cell("概要"), format!("'{}", cells[2]));
    assert_eq!(cell("住所"), format!("'{}", cells[3]));
    for c in &row {
        assert!(!c.starts_with(['=', '+', '-', '@', '\t', '\r']), "formula cell {c:?}");
    }
    // ...the JSON export stays exact...
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("public/data/actors.json")).unwrap()).unwrap();
    assert_eq!(json["items"][0]["core_business"], cells[0]);
    assert_eq!(json["items"][0]["contact"], cells[1]);
    // ...and importing the export gives the original values back.
    let other = site(&[]);
    let back = import(&opts(other.path(), dir.path().join("public/data/actors.csv"), &[])).unwrap();
    assert_eq!(back.written, vec![PathBuf::from("content/actors/formula.md")], "{:?}", back.skipped);
    let again = fields(other.path(), &back.written[0]);
    for key in ["title", "core_business", "contact", "summary", "address"] {
        assert_eq!(again[key], original[key], "{key}");
    }
}
