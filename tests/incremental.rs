//! `serve`'s incremental rebuilds must write exactly what a full build writes. The demo
//! site is copied, edited in the ways editors edit, and after each edit the incremental
//! output is compared file by file with a fresh full build.

mod common;

use common::snapshot;
use kyoso::incremental::Engine;
use kyoso::pipeline::{self, BuildError, BuildOptions};
use std::path::{Path, PathBuf};

fn copy_demo(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The self-check's imported answers too (data/checklist/).
    for entry in ["content", "data"].into_iter().flat_map(|d| walkdir::WalkDir::new(repo.join(d))).filter_map(Result::ok) {
        let rel = entry.path().strip_prefix(repo).unwrap();
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(to.join(rel)).unwrap();
        } else {
            std::fs::copy(entry.path(), to.join(rel)).unwrap();
        }
    }
    std::fs::copy(repo.join("kyoso.toml"), to.join("kyoso.toml")).unwrap();
}

fn options(root: &Path, out: PathBuf) -> BuildOptions {
    BuildOptions { output: Some(out), ..common::options(root) }
}

/// Rewrites a file and makes sure its modification time moves on (some file systems
/// keep whole seconds).
fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    let before = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, f(text)).unwrap();
    if let Some(earlier) = before.filter(|&b| std::fs::metadata(&path).and_then(|m| m.modified()).ok() == Some(b)) {
        let later = earlier + std::time::Duration::from_secs(1);
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(later).unwrap();
    }
}

/// The incremental output equals a full build's, file for file.
fn assert_same_as_full(root: &Path, served: &Path, what: &str) {
    let full = root.join("full");
    let _ = std::fs::remove_dir_all(&full);
    pipeline::build(&options(root, full.join("public"))).unwrap_or_else(|e| panic!("{what}: full build failed: {e}"));
    let a = snapshot(served);
    let mut b = snapshot(&full.join("public"));
    // The list of kyoso's files guards a build's output folder; the preview has none.
    b.remove(Path::new(kyoso::output::MANIFEST)).expect("a full build lists its files");
    let differ: Vec<&PathBuf> =
        a.keys().chain(b.keys()).collect::<std::collections::BTreeSet<_>>().into_iter().filter(|p| a.get(*p) != b.get(*p)).collect();
    assert!(differ.is_empty(), "{what}: incremental output differs from a full build in {} files: {:?}", differ.len(), &differ[..differ.len().min(10)]);
}

#[test]
fn incremental_rebuilds_match_full_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_demo(&root);
    let served = dir.path().join("served");
    let mut engine = Engine::new(options(&root, served.clone())).unwrap();
    let first = engine.rebuild(None).expect("first build");
    assert_eq!(first.written, first.pages, "the first rebuild writes every page");
    engine.wait().unwrap();
    assert_same_as_full(&root, &served, "first build");

    // `changed` is what `serve` learns from file events; the engine must be right with or
    // without it.
    let step = |engine: &mut Engine, what: &str, changed: &[&str], change: &dyn Fn(&Path)| -> usize {
        change(&root);
        let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
        let update = engine.rebuild((!changed.is_empty()).then_some(&changed[..])).unwrap_or_else(|e| panic!("{what}: {e}"));
        engine.wait().unwrap();
        assert_same_as_full(&root, &served, what);
        update.written
    };

    let case = "content/cases/chichibu-konbini-ibasho.md";
    let written = step(&mut engine, "body of a case", &[case, "content/cases/.chichibu-konbini-ibasho.md.swp"], &|r| edit(r, case, |t| t + "\n追記した段落です。\n"));
    // Its page, and the 事例集 booklets that print its text (the site's, its 分野' and its prefecture's).
    let booklets = walkdir::WalkDir::new(&served)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().ends_with("booklet/index.html"))
        .filter(|e| std::fs::read_to_string(e.path()).unwrap().contains("cases/chichibu-konbini-ibasho/index.html"))
        .count();
    assert!(booklets >= 2, "{booklets} booklets print the case");
    assert_eq!(written, 1 + booklets, "a body edit of a case with a summary rewrites only its page and the booklets with it");
    let written = step(&mut engine, "nothing changed", &[], &|_| {});
    assert_eq!(written, 0);
    step(&mut engine, "title of a case", &[case], &|r| edit(r, case, |t| t.replace("title: コンビニのイートインを", "title: コンビニの店内を")));
    step(&mut engine, "分野 and municipality of a case", &[case], &|r| {
        edit(r, case, |t| t.replace("domains: [居場所, 買い物, 多世代交流]", "domains: [居場所, 健康]").replace("municipality: 秩父市", "municipality: 横瀬町"))
    });
    step(&mut engine, "date of a case (list order)", &[case], &|r| edit(r, case, |t| t.replace("date: 2026-06-05", "date: 2019-01-05")));
    step(&mut engine, "kind of an actor", &["content/actors/anshin-keibi.md"], &|r| edit(r, "content/actors/anshin-keibi.md", |t| t.replace("kind: 民間企業", "kind: NPO法人")));
    step(&mut engine, "order of guide chapters", &[], &|r| edit(r, "content/guides/platform-kouchiku/02-chiiki-kadai.md", |t| t.replace("weight: 2", "weight: 9")));
    step(&mut engine, "a new case", &["content/cases/new-case.md"], &|r| {
        edit(r, "content/cases/new-case.md", |_| {
            "---\ntitle: 新しい事例\nsummary: 追加した事例です。\ndate: 2026-11-01\nprefecture: 長野県\nmunicipality: 新町\ndomains: [移動]\n---\n本文です。\n".into()
        })
    });
    step(&mut engine, "the new case removed", &["content/cases/new-case.md"], &|r| std::fs::remove_file(r.join("content/cases/new-case.md")).unwrap());
    step(&mut engine, "an image added", &["content/cases/photo.png"], &|r| common::write_bytes(r, "content/cases/photo.png", b"\x89PNG\r\n\x1a\n"));
    step(&mut engine, "an actor moved (a municipality's place on the self-check's maps)", &["content/actors/sunmart-shimanto.md"], &|r| {
        edit(r, "content/actors/sunmart-shimanto.md", |t| t.replace("lat: 33.2090", "lat: 33.2190"))
    });
    step(&mut engine, "a municipality's answers imported", &["data/checklist/高知県/梼原町.csv"], &|r| {
        let answers = std::fs::read_to_string(r.join("data/checklist/高知県/黒潮町.csv")).unwrap();
        let lines: Vec<&str> = answers.lines().take(2).collect();
        let header: Vec<&str> = lines[0].split(',').collect();
        let keep = header.iter().position(|c| *c == "メモ").unwrap();
        let row: Vec<String> = lines[1].replace("黒潮町", "梼原町").split(',').take(keep).map(str::to_string).collect();
        let file = r.join("in/answers.csv");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, format!("{}\n{}\n", header[..keep].join(","), row.join(","))).unwrap();
        let options = kyoso::checklist::import::Options { files: vec![file], root: r.to_path_buf(), dry_run: false, force: false };
        assert_eq!(kyoso::checklist::import::import(&options).unwrap().written.len(), 1);
    });
    step(&mut engine, "site title in kyoso.toml", &["kyoso.toml"], &|r| edit(r, "kyoso.toml", |t| t.replacen("title = \"", "title = \"改・", 1)));

    // A broken edit fails and leaves the served site as it was; fixing it recovers.
    let before = snapshot(&served);
    edit(&root, case, |t| t.replace("date: 2019-01-05", "date: 2019-13-45"));
    match engine.rebuild(Some(&[PathBuf::from(case)])) {
        Err(BuildError::Content(d)) => assert!(d.iter().any(|d| d.to_string().contains("date")), "{d:?}"),
        Err(e) => panic!("expected a content error, got {e}"),
        Ok(_) => panic!("a bad date must fail the rebuild"),
    }
    assert_eq!(snapshot(&served), before, "a failed rebuild changes nothing");
    step(&mut engine, "the bad date fixed", &[case], &|r| edit(r, case, |t| t.replace("date: 2019-13-45", "date: 2019-01-06")));
}

/// The engine behind `serve` writes pages in place, so it only takes a folder of its own:
/// not the site's folder, not one inside the sources, not one holding a person's files.
#[test]
fn the_engine_takes_only_a_new_or_empty_folder() {
    let dir = common::site(&[("content/cases/kawagoe.md", common::CASE), ("content/actors/shoten.md", common::ACTOR)]);
    let root = dir.path();
    common::write(root, "mine/thesis.txt", "論文");
    for out in [root.to_path_buf(), root.join("content"), root.join("mine")] {
        assert!(Engine::new(options(root, out.clone())).is_err(), "{} should be refused", out.display());
    }
    assert_eq!(std::fs::read_to_string(root.join("mine/thesis.txt")).unwrap(), "論文");
    std::fs::create_dir_all(root.join("empty")).unwrap();
    assert!(Engine::new(options(root, root.join("empty"))).is_ok());
    assert!(Engine::new(options(root, root.join("new"))).is_ok());
}
