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
    let set = set.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    Options { set, ..Options::new(Collection::Actor, file, root.to_path_buf()) }
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

const TAKAMATSU: &str = "takamatsu_elderly_welfare_facility.csv";
const YAIZU: &str = "yaizu_yohairyosya_sjis.csv";
const TAKAMATSU_SET: &[(&str, &str)] = &[("kind", "社会福祉法人"), ("domains", "介護"), ("prefecture", "香川県")];
const YAIZU_SET: &[(&str, &str)] = &[("kind", "社会福祉法人"), ("domains", "介護"), ("prefecture", "静岡県")];

/// (import_source, import_id) → file, for every imported file under content/actors.
fn imported(root: &Path) -> std::collections::BTreeMap<(String, String), PathBuf> {
    let mut out = std::collections::BTreeMap::new();
    for entry in walkdir::WalkDir::new(root.join("content/actors")).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let rel = entry.path().strip_prefix(root).unwrap().to_path_buf();
        let f = fields(root, &rel);
        if let (Some(s), Some(i)) = (f.get("import_source"), f.get("import_id")) {
            let key = (s.as_str().unwrap().to_string(), i.as_str().unwrap().to_string());
            assert!(out.insert(key.clone(), rel).is_none(), "{key:?} twice");
        }
    }
    out
}

/// The values of the id column of a fixture, as the source has them.
fn ids(name: &str, column: &str) -> Vec<String> {
    let t = kyoso::table::read_table(&fixture(name)).unwrap();
    let i = t.header.iter().position(|h| h == column).unwrap();
    t.rows.iter().map(|r| r[i].clone()).collect()
}

fn kyoso(args: &[&str], root: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kyoso")).args(args).arg("--root").arg(root).output().unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn two_municipal_lists_live_side_by_side() {
    let dir = site(&[]);
    let t = import(&opts(dir.path(), fixture(TAKAMATSU), TAKAMATSU_SET)).unwrap();
    assert_eq!((t.written.len(), t.skipped.len()), (47, 0));
    let y = import(&opts(dir.path(), fixture(YAIZU), YAIZU_SET)).unwrap();
    assert_eq!((y.written.len(), y.skipped.len(), y.clashes.len()), (277, 0, 0), "{:?}", y.clashes);
    let records = imported(dir.path());
    assert_eq!(records.len(), 47 + 277, "every record of both lists has its own file");
    for (source, column) in [(TAKAMATSU, "#property"), (YAIZU, "№")] {
        for id in ids(source, column) {
            assert!(records.contains_key(&(source.to_string(), id.clone())), "{source} {id}");
        }
    }
    // Names are readable and stable: from the name, or from the source and the record id.
    assert_eq!(records[&(YAIZU.to_string(), "285".to_string())], Path::new("content/actors/kusunoki.md"));
    assert_eq!(records[&(TAKAMATSU.to_string(), "12".to_string())], Path::new("content/actors/takamatsu-elderly-welfare-facility-12.md"));
    for path in records.values() {
        let stem = path.file_stem().unwrap().to_str().unwrap();
        assert!(kyoso::validate::is_valid_slug(stem), "{stem}");
        assert!(!stem.strip_prefix("actor-").is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit())), "a bare counter: {stem}");
    }
    // The provenance fields are accepted by the build and reach no output file.
    let report = build(dir.path()).expect("both lists build");
    assert!(report.diagnostics.iter().all(|d| !d.message.contains("import_")), "{:?}", report.diagnostics);
    for (path, bytes) in snapshot(&dir.path().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["import_source", "import_id", TAKAMATSU, YAIZU] {
            assert!(!text.contains(secret), "{secret} in public/{}", path.display());
        }
    }
}

#[test]
fn importing_the_same_list_again_changes_nothing() {
    let dir = site(&[]);
    import(&opts(dir.path(), fixture(TAKAMATSU), TAKAMATSU_SET)).unwrap();
    let before = snapshot(&dir.path().join("content"));
    let again = import(&opts(dir.path(), fixture(TAKAMATSU), TAKAMATSU_SET)).unwrap();
    assert_eq!((again.written.len(), again.unchanged.len(), again.missing.len()), (0, 47, 0));
    assert_eq!(snapshot(&dir.path().join("content")), before, "byte for byte");
    let file = fixture(TAKAMATSU);
    let mut args = vec!["import", "actors", file.to_str().unwrap(), "--dry-run"];
    let sets: Vec<String> = TAKAMATSU_SET.iter().map(|(k, v)| format!("{k}={v}")).collect();
    for s in &sets {
        args.extend(["--set", s.as_str()]);
    }
    let out = kyoso(&args, dir.path());
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert_eq!(text.lines().filter(|l| l.trim_start().starts_with("変更なし: content/actors/")).count(), 47, "{text}");
    assert!(!text.lines().any(|l| l.trim_start().starts_with("新規:") || l.trim_start().starts_with("更新:")), "{text}");
    assert_eq!(snapshot(&dir.path().join("content")), before);
}

const LIST_HEADER: &str = "ID,名称,種別,分野,都道府県名,概要\r\n";

fn list(rows: &[&str]) -> String {
    format!("{LIST_HEADER}{}", rows.iter().map(|r| format!("{r}\r\n")).collect::<String>())
}

#[test]
fn a_clash_with_a_hand_written_file_or_another_list_is_an_error_naming_both() {
    let dir = site(&[("content/actors/shoten.md", ACTOR)]);
    write(dir.path(), "a.csv", &list(&["shoten,別の組合,NPO法人,見守り,埼玉県,", "hoka,ほかの会,NPO法人,見守り,埼玉県,"]));
    for force in [false, true] {
        let mut o = opts(dir.path(), dir.path().join("a.csv"), &[]);
        o.force = force;
        let r = import(&o).unwrap();
        assert_eq!(r.clashes.len(), 1, "{:?}", r.clashes);
        let e = r.clashes[0].to_string();
        assert!(e.starts_with("a.csv:2: エラー:") && e.contains("content/actors/shoten.md") && e.contains("手書き"), "{e}");
        assert_eq!(std::fs::read_to_string(dir.path().join("content/actors/shoten.md")).unwrap(), ACTOR, "--force {force}");
        assert!(!r.written.contains(&PathBuf::from("content/actors/shoten.md")));
    }
    // Another list with a record of the same id: the file stays the first list's.
    let first = std::fs::read(dir.path().join("content/actors/hoka.md")).unwrap();
    write(dir.path(), "b.csv", &list(&["hoka,同名の別団体,NPO法人,見守り,埼玉県,"]));
    let r = import(&opts(dir.path(), dir.path().join("b.csv"), &[])).unwrap();
    let e = r.clashes.iter().map(|d| d.to_string()).collect::<String>();
    assert!(e.contains("b.csv:2:") && e.contains("content/actors/hoka.md") && e.contains("a.csv"), "{e}");
    assert_eq!(std::fs::read(dir.path().join("content/actors/hoka.md")).unwrap(), first);
    // The command line says so and exits 1.
    let out = kyoso(&["import", "actors", dir.path().join("b.csv").to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("衝突"), "{}", stdout(&out));
}

#[test]
fn dry_run_labels_every_file_and_writes_nothing() {
    let dir = site(&[]);
    write(dir.path(), "list.csv", &list(&["same,同じ会,NPO法人,見守り,埼玉県,", "changed,変わる会,NPO法人,見守り,埼玉県,前", "edited,編集される会,NPO法人,見守り,埼玉県,"]));
    import(&opts(dir.path(), dir.path().join("list.csv"), &[])).unwrap();
    let edited = dir.path().join("content/actors/edited.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replace("title:", "tags: [編集者が足した]\ntitle:")).unwrap();
    write(dir.path(), "content/actors/hand.md", ACTOR);
    write(
        dir.path(),
        "list.csv",
        &list(&[
            "same,同じ会,NPO法人,見守り,埼玉県,",
            "changed,変わる会,NPO法人,見守り,埼玉県,後",
            "edited,編集される会,NPO法人,見守り,埼玉県,後",
            "fresh,新しい会,NPO法人,見守り,埼玉県,",
            "hand,手書きと同じ名前,NPO法人,見守り,埼玉県,",
        ]),
    );
    let before = snapshot(dir.path());
    let out = kyoso(&["import", "actors", dir.path().join("list.csv").to_str().unwrap(), "--dry-run"], dir.path());
    let text = stdout(&out);
    for line in [
        "変更なし: content/actors/same.md",
        "更新: content/actors/changed.md",
        "保持（編集済み）: content/actors/edited.md",
        "新規: content/actors/fresh.md",
        "衝突: list.csv:6:",
    ] {
        assert!(text.lines().any(|l| l.trim_start().starts_with(line)), "{line} missing:\n{text}");
    }
    assert_eq!(snapshot(dir.path()), before, "--dry-run writes nothing");
}

#[test]
fn rows_gone_from_the_list_are_reported_and_deleted_only_when_asked() {
    let dir = site(&[("content/actors/shoten.md", ACTOR)]);
    let rows = ["keep,残る会,NPO法人,見守り,埼玉県,", "gone,消える会,NPO法人,見守り,埼玉県,", "edited,編集された会,NPO法人,見守り,埼玉県,"];
    write(dir.path(), "list.csv", &list(&rows));
    write(dir.path(), "other.csv", &list(&["elsewhere,別の一覧の会,NPO法人,見守り,埼玉県,"]));
    import(&opts(dir.path(), dir.path().join("list.csv"), &[])).unwrap();
    import(&opts(dir.path(), dir.path().join("other.csv"), &[])).unwrap();
    let edited = dir.path().join("content/actors/edited.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replace("title:", "tags: [編集者が足した]\ntitle:")).unwrap();
    // The list loses two rows; without the flag both files stay and are reported.
    write(dir.path(), "list.csv", &list(&rows[..1]));
    let before = snapshot(dir.path());
    let r = import(&opts(dir.path(), dir.path().join("list.csv"), &[])).unwrap();
    let gone = [PathBuf::from("content/actors/edited.md"), PathBuf::from("content/actors/gone.md")];
    assert_eq!(r.missing, gone);
    assert!(r.deleted.is_empty());
    assert_eq!(snapshot(dir.path()), before);
    let out = kyoso(&["import", "actors", dir.path().join("list.csv").to_str().unwrap()], dir.path());
    assert!(stdout(&out).contains("--delete-missing"), "{}", stdout(&out));
    // With the flag, only this list's unedited file goes.
    let mut o = opts(dir.path(), dir.path().join("list.csv"), &[]);
    o.delete_missing = true;
    let r = import(&o).unwrap();
    assert_eq!(r.deleted, vec![PathBuf::from("content/actors/gone.md")]);
    assert_eq!(r.missing, vec![PathBuf::from("content/actors/edited.md")], "an edited file is kept");
    let after = snapshot(dir.path());
    let removed: Vec<&PathBuf> = before.keys().filter(|p| !after.contains_key(*p)).collect();
    assert_eq!(removed, vec![&PathBuf::from("content/actors/gone.md")]);
    for p in ["content/actors/shoten.md", "content/actors/elsewhere.md", "content/actors/keep.md", "content/actors/edited.md"] {
        assert_eq!(after[Path::new(p)], before[Path::new(p)], "{p}");
    }
}

#[test]
fn problems_repeated_on_many_rows_are_reported_once_with_the_rows() {
    let dir = site(&[]);
    let r = import(&opts(dir.path(), fixture(TAKAMATSU), &[("prefecture", "香川県")])).unwrap();
    assert_eq!(r.skipped.len(), 47, "every row is skipped");
    let text: Vec<String> = r.problems.iter().map(|d| d.to_string()).collect();
    assert!(text.len() <= 3, "{text:#?}");
    let kind = text.iter().find(|t| t.contains("kind")).expect("the missing kind");
    assert!(kind.contains("47 行（2, 3, 4, 5") && kind.contains("…行目）"), "{kind}");
    // The command line prints each problem once.
    let file = fixture(TAKAMATSU);
    let out = kyoso(&["import", "actors", file.to_str().unwrap(), "--set", "prefecture=香川県"], dir.path());
    let printed = stdout(&out);
    assert!(printed.matches("エラー").count() <= 3, "{printed}");
    assert_eq!(printed.matches("必須の項目「kind」").count(), 1, "{printed}");
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let dir = site(&[]);
    let rows: Vec<String> = (1..=3000).map(|i| format!("group-{i},Group {i},NPO法人,見守り,埼玉県,")).collect();
    write(dir.path(), "big.csv", &list(&rows.iter().map(String::as_str).collect::<Vec<_>>()));
    let command = format!(
        "'{}' import actors '{}' --root '{}' --dry-run | head -1",
        env!("CARGO_BIN_EXE_kyoso"),
        dir.path().join("big.csv").display(),
        dir.path().display()
    );
    let out = std::process::Command::new("sh").arg("-c").arg(command).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
    assert_eq!(stdout(&out).lines().count(), 1);
}

#[test]
fn new_with_a_japanese_title_proposes_a_readable_name_and_names_slug() {
    let dir = site(&[]);
    let out = kyoso(&["new", "case", "川越市の見守り"], dir.path());
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("--slug"), "{text}");
    let made: Vec<PathBuf> = snapshot(&dir.path().join("content/cases")).into_keys().collect();
    let stem = made[0].file_stem().unwrap().to_str().unwrap().to_string();
    let date = stem.strip_prefix("case-").expect("case-<date>");
    assert!(date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()), "{stem}: the day it was made");
    assert!(text.contains(&stem), "{text}");
    // Kana are romanised; --slug chooses.
    kyoso(&["new", "case", "みまもり"], dir.path());
    assert!(dir.path().join("content/cases/mimamori.md").is_file());
    kyoso(&["new", "case", "川越市の見守り", "--slug", "kawagoe-mimamori"], dir.path());
    assert!(dir.path().join("content/cases/kawagoe-mimamori.md").is_file());
}

/// Control characters pasted into a spreadsheet cell are dropped on import: the build
/// refuses them (tests/hygiene.rs), and an imported list must build.
#[test]
fn control_characters_in_cells_are_dropped_on_import() {
    let dir = site(&[]);
    write(dir.path(), "list.csv", "ID,名称,種別,分野,都道府県名,本業\r\nvt,見守り\u{0b}の会\u{1b}[31m,NPO法人,見守り,静岡県,配食\u{85}\r\n");
    let r = import(&opts(dir.path(), dir.path().join("list.csv"), &[])).unwrap();
    assert_eq!(r.written.len(), 1, "{:?}", r.skipped);
    let f = fields(dir.path(), &r.written[0]);
    assert_eq!(f["title"], "見守りの会[31m");
    assert_eq!(f["core_business"], "配食");
    build(dir.path()).unwrap();
}
