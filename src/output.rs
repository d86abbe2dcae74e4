//! Stage 5: writing. Two promises, because an editor's files and a published site are at
//! stake:
//!
//! - **The output folder is kyoso's alone.** kyoso keeps a list of the files it wrote
//!   ([`MANIFEST`], in the output) and never deletes or overwrites any other file: a
//!   site-verification file or an `.htaccess` a person put there is carried into every new
//!   build and mentioned. It refuses outright an output that is the site's own folder, holds
//!   it, or lies inside its sources, and a non-empty folder it has no list for (unless told
//!   `--force`, which still never deletes or overwrites a file it did not write). Zola users
//!   lost whole projects to a generator that emptied whatever `--output` named.
//! - **A build is all or nothing.** The new site is made in a staging folder beside the
//!   output: files whose bytes did not change are hard links to the current ones (a rebuild
//!   after an edit writes a few dozen files, not 14,000), the others are written anew. Only
//!   when the whole site is there is it swapped with the current output in one
//!   `renameat2(RENAME_EXCHANGE)`. Killed at any moment, the output is the whole previous
//!   site or the whole new one; the staging folder left behind is removed by the next build.

use crate::folder::Folder;
use std::collections::HashSet;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use walkdir::WalkDir;

/// The list of files kyoso wrote, at the top of the output folder.
pub const MANIFEST: &str = ".kyoso-output";
/// Staging folders are `<parent>/.kyoso-staging-<output name>-<pid>`.
const STAGING_PREFIX: &str = ".kyoso-staging-";
/// Written first into every staging folder: only folders holding it (or a manifest) are
/// ever removed as leftovers.
const STAGING_MARK: &str = ".kyoso-staging";
/// Where the previous output waits while it is swapped by two renames, on systems
/// without an atomic exchange.
const PREVIOUS_PREFIX: &str = ".kyoso-previous-";
/// Folders of a site that an output must never be in.
const SOURCE_FOLDERS: [&str; 5] = ["content", "templates", "static", "themes", ".git"];

/// Why the output folder was not written.
#[derive(Debug)]
pub enum OutputError {
    /// The output is the site's folder or one that holds it.
    HoldsSite { output: PathBuf },
    /// The output lies inside one of the site's source folders.
    InsideSources { output: PathBuf, folder: &'static str },
    NotAFolder(PathBuf),
    /// A non-empty folder kyoso has no list for, without `--force`.
    NotOurs { output: PathBuf, entries: Vec<String>, more: usize },
    /// Files a person put into the output have the names of files the build makes.
    Collisions { output: PathBuf, files: Vec<String> },
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::HoldsSite { output } => write!(
                f,
                "出力先 {} はサイトのフォルダ（kyoso.toml のある場所）か、それを含むフォルダです。原稿を消さないよう中止しました。\
                 出力先には public のような生成専用のフォルダを指定してください（--output を付けなければ サイトのフォルダ/public です）。",
                output.display()
            ),
            OutputError::InsideSources { output, folder } => write!(
                f,
                "出力先 {} はサイトの {folder}/ フォルダの中です。原稿やテーマを上書きしないよう中止しました。\
                 出力先には public のような生成専用のフォルダを指定してください。",
                output.display()
            ),
            OutputError::NotAFolder(p) => write!(f, "出力先 {} はフォルダではなくファイルです。別の出力先を指定してください。", p.display()),
            OutputError::NotOurs { output, entries, more } => {
                write!(
                    f,
                    "出力先 {} には kyoso が作っていないファイルがあります（{}{}）。中身を消さないよう中止しました。\
                     以前の kyoso で生成したフォルダなら、フォルダごと削除してから生成し直してください。\
                     中のファイルを残したまま生成するには --force を付けます（kyoso が作っていないファイルは、消しも上書きもしません）。",
                    output.display(),
                    entries.join("、"),
                    if *more > 0 { format!(" ほか {more} 件") } else { String::new() }
                )
            }
            OutputError::Collisions { output, files } => {
                let shown: Vec<&str> = files.iter().take(10).map(String::as_str).collect();
                write!(
                    f,
                    "出力先 {} の {}{} は kyoso が作ったファイルではないため、上書きしません。\
                     同じ名前のページやファイルを生成しようとしています。別の場所へ移すか削除してから、もう一度生成してください。",
                    output.display(),
                    shown.join("、"),
                    if files.len() > shown.len() { format!(" ほか {} 件", files.len() - shown.len()) } else { String::new() }
                )
            }
            OutputError::Io(p, e) => write!(f, "{} に書き込めません: {e}", p.display()),
        }
    }
}

impl std::error::Error for OutputError {}

fn io_at(p: &Path) -> impl Fn(io::Error) -> OutputError + '_ {
    move |e| OutputError::Io(p.to_path_buf(), e)
}

/// `p` as an absolute path with links resolved as far as it exists, and `.`/`..` taken
/// lexically after that: an output that does not exist yet is still compared rightly.
fn resolve(p: &Path) -> io::Result<PathBuf> {
    let abs = std::path::absolute(p)?;
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        for c in Path::new(name).components() {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other),
            }
        }
    }
    Ok(out)
}

/// The output folder `output` of the site at `root`, resolved, if it is a place kyoso may
/// write to at all: not the site's folder, not one holding it, not inside its sources.
pub fn check_location(root: &Path, output: &Path) -> Result<PathBuf, OutputError> {
    let root = resolve(root).map_err(io_at(root))?;
    let out = resolve(output).map_err(io_at(output))?;
    if root.starts_with(&out) {
        return Err(OutputError::HoldsSite { output: out });
    }
    if let Some(folder) = SOURCE_FOLDERS.iter().find(|f| out.starts_with(root.join(f))) {
        return Err(OutputError::InsideSources { output: out, folder });
    }
    if out.exists() && !out.is_dir() {
        return Err(OutputError::NotAFolder(out));
    }
    Ok(out)
}

/// The files listed in the manifest of the output folder `dir`, if it has one.
fn read_manifest(dir: &Path) -> Option<HashSet<String>> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    Some(text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect())
}

fn manifest_text(files: &[String]) -> String {
    let mut text = String::with_capacity(files.iter().map(|f| f.len() + 1).sum::<usize>() + 300);
    text.push_str("# kyoso が生成したファイルの一覧です。ここにないファイルを kyoso は消しも上書きもしません。\n");
    text.push_str("# Files written by kyoso. kyoso never deletes or overwrites a file that is not listed here.\n");
    for f in files {
        text.push_str(f);
        text.push('\n');
    }
    text
}

/// What the current output holds that kyoso did not write, in walk order (a folder before
/// what is in it): files, links and folders that hold no file of kyoso's.
#[derive(Debug, Default)]
struct Foreign {
    entries: Vec<(String, EntryKind)>,
    files: HashSet<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum EntryKind {
    File,
    Link,
    Folder,
}

fn foreign_entries(target: &Path, ours: &HashSet<String>) -> Result<Foreign, OutputError> {
    // Folders that hold a file of kyoso's are kyoso's too.
    let mut our_folders: HashSet<&str> = HashSet::new();
    for f in ours {
        let mut rest = f.as_str();
        while let Some((parent, _)) = rest.rsplit_once('/') {
            if !our_folders.insert(parent) {
                break;
            }
            rest = parent;
        }
    }
    // Listed per top-level folder in parallel (14,000 files and 2,500 folders took 50 ms
    // on one core).
    let listed = crate::folder::walk_in_parallel(target, |path, depth| WalkDir::new(path).max_depth(depth).into_iter());
    let mut foreign = Foreign::default();
    for entry in listed {
        let entry = entry.map_err(|e| OutputError::Io(target.to_path_buf(), io::Error::other(e)))?;
        // (Each folder's own walk starts at depth 0: only the path tells the top.)
        if entry.path() == target {
            continue;
        }
        let rel = entry.path().strip_prefix(target).expect("under target").to_string_lossy().replace('\\', "/");
        let kind = if entry.path_is_symlink() {
            EntryKind::Link
        } else if entry.file_type().is_dir() {
            EntryKind::Folder
        } else {
            EntryKind::File
        };
        let is_ours = match kind {
            EntryKind::Folder => our_folders.contains(rel.as_str()),
            _ => rel == MANIFEST || ours.contains(&rel),
        };
        if !is_ours {
            if kind != EntryKind::Folder {
                foreign.files.insert(rel.clone());
            }
            foreign.entries.push((rel, kind));
        }
    }
    Ok(foreign)
}

/// Whether the process `pid` has ended (Unix; elsewhere every leftover counts as ended).
fn has_ended(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
        // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
        pid > 0 && unsafe { libc::kill(pid, 0) } != 0 && io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        pid != std::process::id()
    }
}

/// Clears what killed builds of the output `name` left in `parent`: staging folders (and,
/// where the output was swapped by two renames, puts a previous output back that was moved
/// aside but not replaced). Only folders with kyoso's mark or manifest are touched.
fn clean_leftovers(parent: &Path, name: &str, target: &Path) {
    let staging = format!("{STAGING_PREFIX}{name}-");
    let previous = format!("{PREVIOUS_PREFIX}{name}-");
    for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let (is_previous, pid) = match (file_name.strip_prefix(&staging), file_name.strip_prefix(&previous)) {
            (Some(pid), _) => (false, pid),
            (_, Some(pid)) => (true, pid),
            _ => continue,
        };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        let path = entry.path();
        let marked = path.join(STAGING_MARK).is_file() || path.join(MANIFEST).is_file();
        if !has_ended(pid) || !path.is_dir() {
            continue;
        }
        if is_previous && !target.exists() && path.join(MANIFEST).is_file() {
            let _ = std::fs::rename(&path, target);
        } else if marked {
            let _ = std::fs::remove_dir_all(&path);
        } else {
            // Killed between making the folder and marking it: it is empty.
            let _ = std::fs::remove_dir(&path);
        }
    }
}

/// The new output, made beside the current one and swapped in by [`Staging::commit`].
pub struct Staging {
    dir: PathBuf,
    /// `dir`, opened: files and folders are made relative to it.
    handle: Folder,
    target: PathBuf,
    /// `target`, opened, when it exists: unchanged files are linked from it.
    current: Option<Folder>,
    foreign: Foreign,
    /// The files the current output's manifest lists.
    ours: HashSet<String>,
    /// Every file of the new output (relative, `/`-separated): the next manifest.
    files: Mutex<Vec<String>>,
    /// Files with the same bytes as in the current output: linked into the new output
    /// only if something else changed.
    same: Mutex<Vec<String>>,
    /// How many files were written anew.
    written: std::sync::atomic::AtomicUsize,
    /// Files the build makes that a person's files already have the names of.
    collisions: Mutex<Vec<String>>,
    done: bool,
}

impl Staging {
    /// Checks that `output` may be written for the site at `root` and starts a new output
    /// beside it. `force` accepts a non-empty folder that kyoso has no list for; its files
    /// are then kept like any file a person put there.
    pub fn new(root: &Path, output: &Path, force: bool) -> Result<Staging, OutputError> {
        let target = check_location(root, output)?;
        let parent = target.parent().ok_or_else(|| OutputError::HoldsSite { output: target.clone() })?.to_path_buf();
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(&parent).map_err(io_at(&parent))?;
        clean_leftovers(&parent, &name, &target);
        let (current, foreign, ours) = if target.is_dir() {
            let ours = match read_manifest(&target) {
                Some(ours) => ours,
                None => {
                    let mut entries: Vec<String> =
                        std::fs::read_dir(&target).map_err(io_at(&target))?.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
                    if !entries.is_empty() && !force {
                        entries.sort();
                        let more = entries.len().saturating_sub(5);
                        entries.truncate(5);
                        return Err(OutputError::NotOurs { output: target, entries, more });
                    }
                    HashSet::new()
                }
            };
            let foreign = foreign_entries(&target, &ours)?;
            (Some(Folder::open(&target).map_err(io_at(&target))?), foreign, ours)
        } else {
            (None, Foreign::default(), HashSet::new())
        };
        let dir = parent.join(format!("{STAGING_PREFIX}{name}-{}", std::process::id()));
        // A folder of this very process's name can only be from an earlier build in it.
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).map_err(io_at(&dir))?;
        let handle = Folder::open(&dir).map_err(io_at(&dir))?;
        handle.write(STAGING_MARK, b"").map_err(io_at(&dir))?;
        Ok(Staging {
            dir,
            handle,
            target,
            current,
            foreign,
            ours,
            files: Mutex::default(),
            same: Mutex::default(),
            written: Default::default(),
            collisions: Mutex::default(),
            done: false,
        })
    }

    /// The output folder the new site goes to.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Adds one file (relative path with `/` separators) to the new output: noted when the
    /// current output has the same bytes (linked at the end), otherwise written anew.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if rel.is_empty() || rel.contains(['\n', '\r', '\\']) || rel.split('/').any(|s| matches!(s, "" | "." | "..")) || rel == MANIFEST || rel == STAGING_MARK {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("「{rel}」は出力ファイルの名前に使えません")));
        }
        if self.foreign.files.contains(rel) {
            self.collisions.lock().expect("not poisoned").push(rel.to_string());
            return Ok(());
        }
        self.files.lock().expect("not poisoned").push(rel.to_string());
        if self.current.as_ref().is_some_and(|c| c.read_file_of_len(rel, bytes.len() as u64).is_some_and(|b| b == bytes)) {
            self.same.lock().expect("not poisoned").push(rel.to_string());
            return Ok(());
        }
        self.written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Some((parent, _)) = rel.rsplit_once('/') {
            self.handle.create_dir_all(parent)?;
        }
        self.handle.write(rel, bytes)
    }

    /// How many files the new output has so far.
    pub fn count(&self) -> usize {
        self.files.lock().expect("not poisoned").len()
    }

    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.write(rel, &std::fs::read(from)?)
    }

    /// The files of the current output that kyoso did not write (kept in the new one).
    pub fn kept(&self) -> Vec<String> {
        self.foreign.entries.iter().filter(|(_, k)| *k != EntryKind::Folder).map(|(r, _)| r.clone()).collect()
    }

    /// Puts the new output in place: carries over what a person put into the current one,
    /// writes the manifest and swaps the folders.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let mut collisions = std::mem::take(&mut *self.collisions.lock().expect("not poisoned"));
        let mut files = std::mem::take(&mut *self.files.lock().expect("not poisoned"));
        files.sort_unstable();
        files.dedup();
        // Nothing written, nothing gone: the current output is the new one already.
        if collisions.is_empty() && *self.written.get_mut() == 0 && files.len() == self.ours.len() && files.iter().all(|f| self.ours.contains(f)) {
            return Ok(());
        }
        self.link_unchanged().map_err(io_at(&self.target))?;
        for (rel, kind) in &self.foreign.entries {
            if let Err(e) = self.carry(rel, *kind) {
                match e.raw_os_error() {
                    #[cfg(unix)]
                    Some(libc::EEXIST | libc::ENOTDIR | libc::EISDIR) => collisions.push(rel.clone()),
                    _ => return Err(OutputError::Io(self.target.join(rel), e)),
                }
            }
        }
        if !collisions.is_empty() {
            collisions.sort();
            collisions.dedup();
            return Err(OutputError::Collisions { output: self.target.clone(), files: collisions });
        }
        self.handle.write(MANIFEST, manifest_text(&files).as_bytes()).map_err(io_at(&self.target))?;
        let unmark = self.dir.join(STAGING_MARK);
        std::fs::remove_file(&unmark).map_err(io_at(&unmark))?;
        if self.current.is_some() {
            // The folder keeps its permissions (a web server's group, say).
            if let Ok(meta) = std::fs::metadata(&self.target) {
                let _ = std::fs::set_permissions(&self.dir, meta.permissions());
            }
            self.current = None;
            swap(&self.dir, &self.target).map_err(io_at(&self.target))?;
            self.done = true;
            // The previous site now sits at the staging name. The build has succeeded
            // whatever happens here: what is not removed now (killed, a file in use), the
            // next build removes (it has a manifest).
            let _ = std::fs::remove_dir_all(&self.dir);
        } else {
            std::fs::rename(&self.dir, &self.target).map_err(io_at(&self.target))?;
            self.done = true;
        }
        Ok(())
    }

    /// The files whose bytes did not change, into the new output as hard links to the
    /// current ones (on both cores: 14,000 links and their folders), or as copies where
    /// the file system has no links.
    fn link_unchanged(&self) -> io::Result<()> {
        use rayon::prelude::*;
        let Some(current) = &self.current else { return Ok(()) };
        let same = std::mem::take(&mut *self.same.lock().expect("not poisoned"));
        same.par_iter().try_for_each(|rel| {
            if let Some((parent, _)) = rel.rsplit_once('/') {
                self.handle.create_dir_all(parent)?;
            }
            self.link_or_copy(current, rel)
        })
    }

    /// `rel` of the current output into the new one: a hard link, or a copy where the file
    /// system has none. A file already there is an error (the caller decides what it means).
    fn link_or_copy(&self, current: &Folder, rel: &str) -> io::Result<()> {
        match self.handle.link_from(current, rel) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => std::fs::copy(self.target.join(rel), self.dir.join(rel)).map(|_| ()),
            other => other,
        }
    }

    /// One entry a person put into the current output, into the new one.
    fn carry(&self, rel: &str, kind: EntryKind) -> io::Result<()> {
        let from = self.target.join(rel);
        let to = self.dir.join(rel);
        match kind {
            EntryKind::Folder => match std::fs::create_dir(&to) {
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && to.is_dir() => Ok(()),
                other => other,
            },
            EntryKind::Link => {
                #[cfg(unix)]
                {
                    std::os::unix::fs::symlink(std::fs::read_link(&from)?, &to)
                }
                #[cfg(not(unix))]
                {
                    std::fs::copy(&from, &to).map(|_| ())
                }
            }
            EntryKind::File => {
                let current = self.current.as_ref().expect("foreign files come from a current output");
                self.link_or_copy(current, rel)
            }
        }
    }
}

/// Exchanges the folders `new` and `target` in one step, where the system can; elsewhere
/// with two renames, the previous output kept aside until the second has happened.
fn swap(new: &Path, target: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let a = std::ffi::CString::new(new.as_os_str().as_bytes())?;
        let b = std::ffi::CString::new(target.as_os_str().as_bytes())?;
        // SAFETY: two NUL-terminated paths; the call only renames.
        let r = unsafe { libc::syscall(libc::SYS_renameat2, libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
        if r == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        // Old kernels and some file systems have no exchange.
        if !matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)) {
            return Err(e);
        }
    }
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let previous = target.with_file_name(format!("{PREVIOUS_PREFIX}{name}-{}", std::process::id()));
    std::fs::rename(target, &previous)?;
    std::fs::rename(new, target)?;
    // `new` is expected to hold the previous output afterwards, as after an exchange.
    std::fs::rename(&previous, new)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_that_hold_or_sit_in_the_sources_are_refused() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path().join("site");
        for d in ["content/cases", "templates", "static", "themes/x"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        for bad in [".", "..", "../..", "content", "content/cases", "templates", "static/out", "themes", ".git/x"] {
            assert!(check_location(&root, &root.join(bad)).is_err(), "{bad} should be refused");
        }
        assert!(matches!(check_location(&root, Path::new("/")), Err(OutputError::HoldsSite { .. })));
        for good in ["public", "out/site", "../elsewhere", "contents"] {
            assert!(check_location(&root, &root.join(good)).is_ok(), "{good} should be allowed");
        }
    }
}
