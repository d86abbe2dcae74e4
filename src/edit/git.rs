//! The editor's 公開 and 履歴: git run as a command, as a person would run it, in the
//! site's folder. Only paths under `content/` and `static/` are ever added or committed,
//! so a person's other uncommitted work is never swept into a commit.

use std::path::Path;
use std::process::{Command, Output};

fn git(root: &Path, args: &[&str]) -> Option<Output> {
    Command::new("git").arg("-C").arg(root).args(["-c", "core.quotepath=off"]).args(args).output().ok()
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether the site's folder is inside a git working tree (and git is installed).
pub fn is_repo(root: &Path) -> bool {
    git(root, &["rev-parse", "--is-inside-work-tree"]).is_some_and(|o| o.status.success() && text(&o).trim() == "true")
}

/// A changed file under `content/` or `static/`, relative to the site's folder.
pub struct Change {
    pub path: String,
    pub kind: &'static str,
}

/// Uncommitted changes under `content/` and `static/`.
pub fn changes(root: &Path) -> Vec<Change> {
    let prefix = git(root, &["rev-parse", "--show-prefix"]).map(|o| text(&o).trim().to_string()).unwrap_or_default();
    let Some(out) = git(root, &["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", "content", "static"]) else {
        return Vec::new();
    };
    text(&out)
        .split('\0')
        .filter(|l| l.len() > 3)
        .map(|l| {
            let (code, path) = l.split_at(3);
            let kind = match code.trim() {
                "??" | "A" => "追加",
                c if c.contains('D') => "削除",
                _ => "更新",
            };
            Change { path: path.strip_prefix(prefix.as_str()).unwrap_or(path).to_string(), kind }
        })
        .collect()
}

/// The diff of a tracked file against the last commit (empty for a new file).
pub fn diff(root: &Path, rel: &str) -> String {
    git(root, &["diff", "HEAD", "--", rel]).map(|o| text(&o)).unwrap_or_default()
}

/// `user.name` and `user.email` from git's configuration, if both are set.
pub fn author(root: &Path) -> Option<(String, String)> {
    let get = |k: &str| git(root, &["config", k]).map(|o| text(&o).trim().to_string()).filter(|v| !v.is_empty());
    Some((get("user.name")?, get("user.email")?))
}

/// Commits exactly `paths` (relative to the site's folder) with `message`. `author`
/// overrides git's configuration (a person who has none gives it once in the form).
pub fn commit(root: &Path, paths: &[String], message: &str, author: Option<&(String, String)>) -> Result<String, String> {
    if paths.is_empty() {
        return Err("公開する変更がありません".into());
    }
    let mut add = vec!["add", "-A", "--"];
    add.extend(paths.iter().map(String::as_str));
    let out = git(root, &add).ok_or("git を実行できません")?;
    if !out.status.success() {
        return Err(format!("git add に失敗しました: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let mut args: Vec<String> = Vec::new();
    if let Some((name, email)) = author {
        args.extend(["-c".into(), format!("user.name={name}"), "-c".into(), format!("user.email={email}")]);
    }
    args.extend(["commit".into(), "-q".into(), "-m".into(), message.into(), "--".into()]);
    args.extend(paths.iter().cloned());
    let out = git(root, &args.iter().map(String::as_str).collect::<Vec<_>>()).ok_or("git を実行できません")?;
    if !out.status.success() {
        return Err(format!("git commit に失敗しました: {}{}", String::from_utf8_lossy(&out.stderr).trim(), text(&out).trim()));
    }
    Ok(git(root, &["rev-parse", "--short", "HEAD"]).map(|o| text(&o).trim().to_string()).unwrap_or_default())
}

/// One commit that changed a file.
pub struct Revision {
    pub hash: String,
    pub date: String,
    pub author: String,
    pub subject: String,
}

/// The commits that changed `rel`, newest first.
pub fn log(root: &Path, rel: &str) -> Vec<Revision> {
    let Some(out) = git(root, &["log", "-n", "30", "--format=%H%x00%cs%x00%an%x00%s", "--", rel]) else { return Vec::new() };
    text(&out)
        .lines()
        .filter_map(|l| {
            let mut p = l.split('\0');
            Some(Revision { hash: p.next()?.into(), date: p.next()?.into(), author: p.next()?.into(), subject: p.next()?.into() })
        })
        .collect()
}

/// The file `rel` as it was in commit `hash`.
pub fn show(root: &Path, hash: &str, rel: &str) -> Option<Vec<u8>> {
    if hash.len() < 7 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    git(root, &["show", &format!("{hash}:./{rel}")]).filter(|o| o.status.success()).map(|o| o.stdout)
}
