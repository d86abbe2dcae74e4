//! Stage 5: writing. Nothing in the output folder changes until the whole site has been
//! rendered: new and changed files are written into a staging folder beside it, and only
//! when the build has succeeded are they moved into place, one rename per file, and the
//! files whose source is gone removed. A failed or interrupted build therefore leaves the
//! previous output as it was; a build killed while it moves files leaves every file either
//! as it was or as it will be, never half written.
//!
//! Files that already have the same bytes in the output are not written at all. Writing is
//! the dearest part of a build (creating 14,000 files and their folders costs more than
//! rendering them), so a rebuild after an edit touches a few dozen files, not the whole site.
//! The first build, into a folder that does not exist yet, renames the staging folder.

use rayon::prelude::*;
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use crate::folder::Folder;
use walkdir::WalkDir;

/// A build directory next to the final output, removed again if the build does not finish.
pub struct Staging {
    dir: PathBuf,
    /// `dir`, opened: files and folders are made relative to it.
    handle: Folder,
    target: PathBuf,
    /// `target`, opened, when it existed: the current files are read relative to it.
    current: Option<Folder>,
    /// The output folder did not exist when the build started.
    fresh: bool,
    /// Every file of the new output (relative, `/`-separated), unless `fresh`.
    files: Mutex<HashSet<String>>,
    /// The files that differ from the current output and wait in `dir`.
    changed: Mutex<Vec<String>>,
    done: bool,
}

impl Staging {
    pub fn new(target: &Path) -> io::Result<Staging> {
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        // Leftovers of killed builds are cleaned up first.
        if let Ok(entries) = std::fs::read_dir(parent) {
            for e in entries.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if n.starts_with(&format!(".{name}.kyoso-")) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let dir = parent.join(format!(".{name}.kyoso-tmp-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let handle = Folder::open(&dir)?;
        let fresh = !target.is_dir();
        let current = if fresh { None } else { Some(Folder::open(target)?) };
        Ok(Staging { dir, handle, target: target.to_path_buf(), current, fresh, files: Mutex::default(), changed: Mutex::default(), done: false })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Adds one file (relative path with `/` separators) to the new output: staged when it
    /// is new or differs from the current output, otherwise only noted as kept. The current
    /// output is only read here.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        // Into a fresh output the staging folder is moved whole: no list needed.
        if !self.fresh {
            self.files.lock().expect("not poisoned").insert(rel.to_string());
            let same = self.current.as_ref().and_then(|c| c.read_file_of_len(rel, bytes.len() as u64)).is_some_and(|b| b == bytes);
            if same {
                return Ok(());
            }
            self.changed.lock().expect("not poisoned").push(rel.to_string());
        }
        if let Some((parent, _)) = rel.rsplit_once('/') {
            self.handle.create_dir_all(parent)?;
        }
        self.handle.write(rel, bytes)
    }

    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.write(rel, &std::fs::read(from)?)
    }

    /// Puts the new output in place: removes what the new output no longer has (files,
    /// then folders left empty), then moves the staged files over the old ones.
    pub fn commit(mut self) -> io::Result<()> {
        if self.fresh {
            std::fs::rename(&self.dir, &self.target)?;
            self.done = true;
            return Ok(());
        }
        let files = std::mem::take(&mut *self.files.lock().expect("not poisoned"));
        // Folders that hold a file of the new output stay; only the others are tried.
        let mut kept: HashSet<&str> = HashSet::new();
        for f in &files {
            let mut rest = f.as_str();
            while let Some((parent, _)) = rest.rsplit_once('/') {
                if !kept.insert(parent) {
                    break;
                }
                rest = parent;
            }
        }
        // The current output listed per top-level folder in parallel (listing 14,000 files
        // and 2,500 folders took 50 ms on one core), contents first, so a folder is looked
        // at after everything in it has gone.
        let listed = crate::folder::walk_in_parallel(&self.target, |path, depth| WalkDir::new(path).max_depth(depth).contents_first(true).into_iter());
        for entry in listed {
            let entry = entry.map_err(io::Error::other)?;
            if entry.path() == self.target {
                continue;
            }
            let rel = entry.path().strip_prefix(&self.target).expect("under target").to_string_lossy().replace('\\', "/");
            if entry.file_type().is_dir() {
                if kept.contains(rel.as_str()) {
                    continue;
                }
                // Fails, as it should, unless the folder is now empty.
                let _ = std::fs::remove_dir(entry.path());
            } else if !files.contains(&rel) {
                std::fs::remove_file(entry.path())?;
            }
        }
        let changed = std::mem::take(&mut *self.changed.lock().expect("not poisoned"));
        changed.par_iter().try_for_each(|rel| {
            let to = self.target.join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::rename(self.dir.join(rel), to)
        })?;
        std::fs::remove_dir_all(&self.dir)?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
