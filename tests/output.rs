//! The output folder is kyoso's alone: `kyoso build` refuses folders it must not write,
//! and never deletes or overwrites a file it did not write. Driven through the command
//! line, as an editor would run it.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn kyoso(root: &Path, args: &[&str]) -> Output {
    // Run from the site's folder, as an editor does: `--output` is relative to it.
    Command::new(env!("CARGO_BIN_EXE_kyoso")).current_dir(root).args(["build", "--today", "2026-11-23", "--root", "."]).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A site in `<tmp>/site` with a neighbour folder `<tmp>/userdir` holding a user's file.
fn site_with_neighbour() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    for (p, text) in [("kyoso.toml", common::CONFIG), ("content/cases/kawagoe.md", common::CASE), ("content/actors/shoten.md", common::ACTOR)] {
        common::write(&root, p, text);
    }
    common::write(tmp.path(), "userdir/thesis.txt", "五年かけた論文");
    common::write(tmp.path(), "sibling/notes.md", "メモ");
    (tmp, root)
}

/// Refused with exit 1, a Japanese message naming the output, and nothing anywhere changed.
fn assert_refused(tmp: &Path, root: &Path, output: &str, words: &str) {
    let before = common::snapshot(tmp);
    let o = kyoso(root, &["--output", output]);
    assert_eq!(o.status.code(), Some(1), "--output {output} should be refused; stderr: {}", stderr(&o));
    assert!(stderr(&o).contains(words), "--output {output}: the message should say 「{words}」: {}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert_eq!(common::snapshot(tmp), before, "--output {output} changed files");
}

#[test]
fn a_foreign_folder_is_refused_and_its_files_kept() {
    let (tmp, root) = site_with_neighbour();
    assert_refused(tmp.path(), &root, "../userdir", "kyoso が作っていないファイル");
}

#[test]
fn the_site_root_and_its_parents_are_refused() {
    let (tmp, root) = site_with_neighbour();
    for out in [".", "..", "../.."] {
        assert_refused(tmp.path(), &root, out, "サイトのフォルダ");
    }
    // Also when written as an absolute path to the parent.
    assert_refused(tmp.path(), &root, &tmp.path().to_string_lossy(), "サイトのフォルダ");
}

#[test]
fn source_folders_are_refused() {
    let (tmp, root) = site_with_neighbour();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    for out in ["content", "content/cases", "templates", "static/out", "themes"] {
        assert_refused(tmp.path(), &root, out, "フォルダの中です");
    }
}

#[test]
fn files_a_person_put_into_the_output_are_kept_and_mentioned() {
    let (_tmp, root) = site_with_neighbour();
    assert!(kyoso(&root, &[]).status.success());
    let public = root.join("public");
    assert!(public.join(".kyoso-output").is_file(), "the output should list kyoso's files");
    common::write(&public, ".htaccess", "Options -Indexes\n");
    common::write(&public, "google1234.html", "google-site-verification: google1234.html");
    common::write(&public, "downloads/report.pdf", "%PDF-1.4");
    std::fs::create_dir_all(public.join("empty-by-hand")).unwrap();
    // A page that goes away, so the rebuild has something to remove.
    std::fs::remove_file(root.join("content/cases/kawagoe.md")).unwrap();
    let o = kyoso(&root, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("kyoso が作っていないファイル 3 件は、そのまま残しました"), "{out}");
    assert!(out.contains(".htaccess"), "{out}");
    assert_eq!(std::fs::read_to_string(public.join(".htaccess")).unwrap(), "Options -Indexes\n");
    assert!(public.join("google1234.html").is_file());
    assert!(public.join("downloads/report.pdf").is_file());
    assert!(public.join("empty-by-hand").is_dir());
    assert!(!public.join("cases/kawagoe/index.html").exists(), "a page whose source is gone should go");
    // A third build keeps them too (they are still not kyoso's).
    assert!(kyoso(&root, &[]).status.success());
    assert!(public.join(".htaccess").is_file() && public.join("downloads/report.pdf").is_file());
    let manifest = std::fs::read_to_string(public.join(".kyoso-output")).unwrap();
    assert!(!manifest.lines().any(|l| l == ".htaccess" || l.starts_with("downloads")), "{manifest}");
}

#[test]
fn a_persons_file_with_the_name_of_a_new_page_is_not_overwritten() {
    let (_tmp, root) = site_with_neighbour();
    assert!(kyoso(&root, &[]).status.success());
    let public = root.join("public");
    common::write(&public, "about/index.html", "手で置いたページ");
    let before = common::snapshot(&public);
    common::write(&root, "content/pages/about.md", "---\ntitle: このサイトについて\n---\n説明\n");
    let o = kyoso(&root, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("about/index.html") && stderr(&o).contains("上書きしません"), "{}", stderr(&o));
    assert_eq!(common::snapshot(&public), before, "nothing in the output should change");
    assert!(!root.read_dir().unwrap().any(|e| e.unwrap().file_name().to_string_lossy().starts_with(".kyoso-staging")));
}

#[test]
fn force_builds_beside_a_persons_files_but_never_over_them() {
    let (tmp, root) = site_with_neighbour();
    let userdir = tmp.path().join("userdir");
    let o = kyoso(&root, &["--output", &userdir.to_string_lossy(), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(userdir.join("thesis.txt")).unwrap(), "五年かけた論文");
    assert!(userdir.join("index.html").is_file());
    // A person's file where the site has one: refused even with --force.
    let (tmp, root) = site_with_neighbour();
    common::write(tmp.path(), "userdir/index.html", "わたしのページ");
    let before = common::snapshot(tmp.path());
    let o = kyoso(&root, &["--output", &tmp.path().join("userdir").to_string_lossy(), "--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("index.html"), "{}", stderr(&o));
    assert_eq!(common::snapshot(tmp.path()), before);
}

#[test]
fn an_empty_or_missing_folder_is_fine_and_rebuilds_need_no_force() {
    let (tmp, root) = site_with_neighbour();
    std::fs::create_dir_all(tmp.path().join("empty")).unwrap();
    for out in ["../empty", "../new/deeper"] {
        let o = kyoso(&root, &["--output", out]);
        assert!(o.status.success(), "{out}: {}", stderr(&o));
        let o = kyoso(&root, &["--output", out]);
        assert!(o.status.success(), "{out} again: {}", stderr(&o));
    }
    assert!(tmp.path().join("new/deeper/index.html").is_file());
    let left: Vec<String> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!left.iter().any(|n| n.starts_with(".kyoso")), "{left:?}");
}

/// `serve` previews in a folder of its own: the site's `public/`, with a person's file
/// in it, is not touched.
#[test]
fn serve_leaves_the_sites_output_alone() {
    let (_tmp, root) = site_with_neighbour();
    common::write(&root, "public/thesis.txt", "手で置いたファイル");
    common::write(&root, "public/index.html", "手で置いたページ");
    let before = common::snapshot(&root);
    let port = 20000 + (std::process::id() % 20000) as u16;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kyoso"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(&root)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it serves a page built from the content (not the hand-made one).
    let mut served = String::new();
    for _ in 0..200 {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            let _ = write!(s, "GET /index.html HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
            let _ = s.read_to_string(&mut served);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(served.contains("テスト用プラットフォーム"), "serve should answer with the built site: {served}");
    assert_eq!(common::snapshot(&root), before, "serve changed the site's folder");
}

/// The summary's file count is what the output folder holds (its list of kyoso's files
/// aside).
#[test]
fn the_summary_counts_the_files_written() {
    let (tmp, root) = site_with_neighbour();
    let o = kyoso(&root, &["--output", "../out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
    let count: usize = said.split("ページ（").nth(1).and_then(|s| s.split(" ファイル").next()).and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("no file count in: {said}"));
    let on_disk = walkdir::WalkDir::new(tmp.path().join("out")).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file() && e.file_name() != ".kyoso-output").count();
    assert_eq!(count, on_disk, "{said}");
}
