//! 最終更新日 from git: when a file has no `updated:`, the date of the last commit that
//! touched it is shown, so pages say when they last changed without editors having to.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Path (relative to the site root) → date (`YYYY-MM-DD`) of its last commit. Empty when
/// the site is not a git checkout or git is not installed.
pub fn last_commit_dates(root: &Path) -> HashMap<PathBuf, String> {
    let mut out = HashMap::new();
    let Ok(prefix) = Command::new("git").arg("-C").arg(root).args(["rev-parse", "--show-prefix"]).output() else {
        return out;
    };
    if !prefix.status.success() {
        return out;
    }
    let prefix = String::from_utf8_lossy(&prefix.stdout).trim().to_string();
    let Ok(log) = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "core.quotepath=off", "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", "content"])
        .output()
    else {
        return out;
    };
    let mut date = String::new();
    for line in String::from_utf8_lossy(&log.stdout).lines() {
        if let Some(d) = line.strip_prefix('\0') {
            date = d.to_string();
        } else if !line.is_empty() {
            // Newest commits come first: keep the first date seen for a file.
            let rel = line.strip_prefix(&prefix).unwrap_or(line);
            out.entry(PathBuf::from(rel)).or_insert_with(|| date.clone());
        }
    }
    out
}
