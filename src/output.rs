//! Stage 5: writing. The whole site is written into a fresh sibling directory and swapped
//! into place at the end, so a failed or interrupted build leaves the previous output
//! exactly as it was, and files whose source is gone do not linger.

use std::io;
use std::path::{Path, PathBuf};

/// A build directory next to the final output, removed again if the build does not finish.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
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
        Ok(Staging { dir, target: target.to_path_buf(), done: false })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file (relative path with `/` separators) into the staging directory.
    /// When the current output already has the same bytes at that path, the staged file
    /// is a hard link to it instead: no new file is written, and removing the old output
    /// after the swap frees nothing that is still used. The old output is only read,
    /// never changed, so a failed build still leaves it as it was.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let old = self.target.join(rel);
        let same = std::fs::symlink_metadata(&old).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
            && std::fs::read(&old).is_ok_and(|b| b == bytes);
        if same && std::fs::hard_link(&old, &path).is_ok() {
            return Ok(());
        }
        std::fs::write(path, bytes)
    }

    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from, path).map(|_| ())
    }

    /// Puts the staged site in place of the target.
    pub fn commit(mut self) -> io::Result<()> {
        if self.target.exists() {
            swap(&self.dir, &self.target)?;
            // `self.dir` now holds the previous output.
            std::fs::remove_dir_all(&self.dir)?;
        } else {
            std::fs::rename(&self.dir, &self.target)?;
        }
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

/// Exchanges two directories atomically where the OS can (Linux `renameat2`), otherwise
/// by two renames with the old output parked beside the target.
fn swap(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let ca = CString::new(a.as_os_str().as_bytes())?;
        let cb = CString::new(b.as_os_str().as_bytes())?;
        // SAFETY: both are valid NUL-terminated paths; RENAME_EXCHANGE touches nothing else.
        let rc = unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
        if rc == 0 {
            return Ok(());
        }
    }
    let parked = a.with_extension("old");
    std::fs::rename(b, &parked)?;
    if let Err(e) = std::fs::rename(a, b) {
        let _ = std::fs::rename(&parked, b);
        return Err(e);
    }
    std::fs::rename(&parked, a)
}
