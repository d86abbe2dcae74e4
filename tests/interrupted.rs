//! A rebuild is all or nothing: killed (SIGKILL, as by power loss or a CI timeout) at any
//! moment, the output is the complete previous site or the complete new one, compared
//! file by file, and the next build leaves no staging folder behind.
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const CASES: usize = 600;

fn write_site(root: &Path, title: &str) {
    common::write(root, "kyoso.toml", &format!("title = \"{title}\"\nbase_url = \"https://example.jp/pf/\"\nprefecture = \"埼玉県\"\n"));
    common::write(root, "content/actors/shoten.md", common::ACTOR);
    let para = "商店街の店主と生活支援コーディネーターが話し合い、御用聞きと見守りを組み合わせた取り組みを始めました。\n\n";
    for k in 0..CASES {
        common::write(
            root,
            &format!("content/cases/case-{k:04}.md"),
            &format!(
                "---\ntitle: 事例 {k} の御用聞き\ndate: 2026-04-01\nprefecture: 埼玉県\nmunicipality: 川越市\nactors: [shoten]\ndomains: [買い物, 見守り]\n---\n## 経緯 {k}\n\n{}",
                para.repeat(4)
            ),
        );
    }
}

fn build(root: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_kyoso"))
        .args(["build", "--today", "2026-11-23", "--root"])
        .arg(root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

fn restore(public: &Path, snapshot: &BTreeMap<PathBuf, Vec<u8>>) {
    if public.exists() {
        std::fs::remove_dir_all(public).unwrap();
    }
    for (rel, bytes) in snapshot {
        let p = public.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

type Stamp = Option<(u64, std::time::SystemTime)>;

/// The inode and modification time of each file of `files` under `dir`: what changes
/// when a file is replaced.
fn stamps(dir: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<Stamp> {
    use std::os::unix::fs::MetadataExt;
    files.keys().map(|rel| std::fs::symlink_metadata(dir.join(rel)).ok().map(|m| (m.ino(), m.modified().unwrap()))).collect()
}

fn leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with(".kyoso")).collect()
}

#[test]
fn a_killed_rebuild_leaves_the_old_site_or_the_new_one_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let public = root.join("public");
    // The old site, with a file a person put into it.
    write_site(&root, "旧いタイトルのプラットフォーム");
    assert!(build(&root).wait().unwrap().success());
    common::write(&public, "google1234.html", "verification");
    let old = common::snapshot(&public);
    // The new site: the title is on every page, so every page changes.
    write_site(&root, "新しいタイトルのプラットフォーム");
    let t = Instant::now();
    assert!(build(&root).wait().unwrap().success());
    let full = t.elapsed();
    let new = common::snapshot(&public);
    assert_ne!(old.keys().count(), 0);
    assert!(old.iter().filter(|(k, v)| new.get(*k) != Some(v)).count() > CASES, "nearly every file should differ");

    // Killed at moments spread over the build, from its start until it finishes in time:
    // each delay a third longer than the one before (the machine's speed varies).
    let (mut saw_old, mut saw_new, mut kills) = (0, 0, 0);
    let mut delay = full.mul_f64(0.03);
    while saw_new < 2 && kills < 40 {
        restore(&public, &old);
        let mut child = build(&root);
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();
        kills += 1;
        let now = common::snapshot(&public);
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            let from_old = now.iter().filter(|(k, v)| old.get(*k) == Some(v) && new.get(*k) != Some(v)).count();
            let from_new = now.iter().filter(|(k, v)| new.get(*k) == Some(v) && old.get(*k) != Some(v)).count();
            panic!("killed after {delay:?} (a full build took {full:?}): a mix of {from_old} old and {from_new} new files ({} in all)", now.len());
        }
        delay = delay.mul_f64(1.33);
    }
    assert!(saw_old > 3, "too few kills landed during the build: {saw_old}");

    // Killed the moment any file of the output is seen to change: the window in which
    // files are moved into place, which kills at random moments rarely hit.
    for _ in 0..3 {
        restore(&public, &old);
        let stamps = stamps(&public, &old);
        let mut child = build(&root);
        let t = Instant::now();
        while self::stamps(&public, &old) == stamps && t.elapsed() < full * 20 {}
        let _ = child.kill();
        child.wait().unwrap();
        let now = common::snapshot(&public);
        if now != new && now != old {
            let from_old = now.iter().filter(|(k, v)| old.get(*k) == Some(v) && new.get(*k) != Some(v)).count();
            let from_new = now.iter().filter(|(k, v)| new.get(*k) == Some(v) && old.get(*k) != Some(v)).count();
            panic!("killed as the output changed: a mix of {from_old} old and {from_new} new files ({} in all)", now.len());
        }
        kills += 1;
    }
    eprintln!("killed {kills} times: {saw_old} old, {saw_new} new (a full build took {full:?})");
    // The next build cleans up whatever staging folder a kill left.
    assert!(build(&root).wait().unwrap().success());
    assert_eq!(common::snapshot(&public), new);
    assert_eq!(leftovers(&root), Vec::<String>::new());
}
