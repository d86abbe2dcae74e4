//! A folder that files are read from and written to by relative paths (see [`Folder`]).

use std::io;
use std::path::Path;
#[cfg(not(unix))]
use std::path::PathBuf;

/// A folder that files are read and made in by paths relative to it. On Unix it is held
/// open and files are opened with `openat`/`mkdirat`: the kernel then walks only the path
/// inside it, not the whole absolute path again for each of 10,000 sources and 14,000
/// output files and their folders (path walks were a quarter of the system time of
/// writing them).
#[cfg(unix)]
pub struct Folder(std::os::fd::OwnedFd);

#[cfg(unix)]
impl Folder {
    pub fn open(dir: &Path) -> io::Result<Folder> {
        use std::os::fd::FromRawFd;
        use std::os::unix::ffi::OsStrExt;
        let path = std::ffi::CString::new(dir.as_os_str().as_bytes())?;
        // SAFETY: a NUL-terminated path; the descriptor returned is owned here alone.
        let fd = unsafe { libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a new, valid descriptor that nothing else owns.
        Ok(Folder(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) }))
    }

    /// `mkdir -p` of `rel` (`/`-separated) inside the folder; an existing one is fine.
    pub fn create_dir_all(&self, rel: &str) -> io::Result<()> {
        use std::os::fd::AsRawFd;
        let path = std::ffi::CString::new(rel)?;
        // SAFETY: a valid directory descriptor and a NUL-terminated relative path.
        if unsafe { libc::mkdirat(self.0.as_raw_fd(), path.as_ptr(), 0o777) } == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EEXIST) => Ok(()),
            Some(libc::ENOENT) => match rel.rsplit_once('/') {
                Some((parent, _)) => {
                    self.create_dir_all(parent)?;
                    // SAFETY: as above.
                    match unsafe { libc::mkdirat(self.0.as_raw_fd(), path.as_ptr(), 0o777) } {
                        0 => Ok(()),
                        _ => match io::Error::last_os_error() {
                            e if e.raw_os_error() == Some(libc::EEXIST) => Ok(()),
                            e => Err(e),
                        },
                    }
                }
                None => Err(e),
            },
            _ => Err(e),
        }
    }

    /// `rel` inside the folder, opened with `flags` (and `mode` when it is created).
    fn open_at(&self, rel: &[u8], flags: libc::c_int, mode: libc::c_uint) -> io::Result<std::fs::File> {
        use std::os::fd::{AsRawFd, FromRawFd};
        let path = std::ffi::CString::new(rel)?;
        // SAFETY: a valid directory descriptor and a NUL-terminated relative path.
        let fd = unsafe { libc::openat(self.0.as_raw_fd(), path.as_ptr(), flags | libc::O_CLOEXEC, mode) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a new, valid descriptor that nothing else owns.
        Ok(std::fs::File::from(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) }))
    }

    /// The bytes of the file `rel` inside the folder.
    pub fn read(&self, rel: &Path) -> io::Result<Vec<u8>> {
        use std::io::Read;
        use std::os::unix::ffi::OsStrExt;
        let mut file = self.open_at(rel.as_os_str().as_bytes(), libc::O_RDONLY, 0)?;
        // As std::fs::read: sized from the file's length, so the buffer is not grown.
        let mut bytes = Vec::with_capacity(file.metadata().map_or(0, |m| m.len() as usize));
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// The bytes of `rel` inside the folder if it is a file (not a link) of `len` bytes;
    /// `None` otherwise, or if it cannot be read. The output compared with before a
    /// rebuild: one open, a size check on the handle and a read.
    pub fn read_file_of_len(&self, rel: &str, len: u64) -> Option<Vec<u8>> {
        use std::io::Read;
        let mut file = self.open_at(rel.as_bytes(), libc::O_RDONLY | libc::O_NOFOLLOW, 0).ok()?;
        let meta = file.metadata().ok()?;
        if !meta.is_file() || meta.len() != len {
            return None;
        }
        let mut bytes = Vec::with_capacity(len as usize);
        file.read_to_end(&mut bytes).ok()?;
        Some(bytes)
    }

    /// Creates the file `rel` inside the folder with `bytes`, as a new file: one that is
    /// there already is unlinked first, never written through. (In a staging folder it may
    /// be a hard link to the published output, which must not change.)
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        use std::io::Write;
        let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL;
        let mut file = match self.open_at(rel.as_bytes(), flags, 0o666) {
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) => {
                self.unlink(rel)?;
                self.open_at(rel.as_bytes(), flags, 0o666)?
            }
            other => other?,
        };
        file.write_all(bytes)
    }

    fn unlink(&self, rel: &str) -> io::Result<()> {
        use std::os::fd::AsRawFd;
        let path = std::ffi::CString::new(rel)?;
        // SAFETY: a valid directory descriptor and a NUL-terminated relative path.
        if unsafe { libc::unlinkat(self.0.as_raw_fd(), path.as_ptr(), 0) } == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }

    /// Makes `rel` inside this folder a hard link to `rel` inside `from`.
    pub fn link_from(&self, from: &Folder, rel: &str) -> io::Result<()> {
        use std::os::fd::AsRawFd;
        let path = std::ffi::CString::new(rel)?;
        // SAFETY: two valid directory descriptors and NUL-terminated relative paths.
        if unsafe { libc::linkat(from.0.as_raw_fd(), path.as_ptr(), self.0.as_raw_fd(), path.as_ptr(), 0) } == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }
}

/// Elsewhere, the same with absolute paths.
#[cfg(not(unix))]
pub struct Folder(PathBuf);

#[cfg(not(unix))]
impl Folder {
    pub fn open(dir: &Path) -> io::Result<Folder> {
        Ok(Folder(dir.to_path_buf()))
    }

    pub fn create_dir_all(&self, rel: &str) -> io::Result<()> {
        std::fs::create_dir_all(self.0.join(rel))
    }

    pub fn read(&self, rel: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(self.0.join(rel))
    }

    pub fn read_file_of_len(&self, rel: &str, len: u64) -> Option<Vec<u8>> {
        let path = self.0.join(rel);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() || meta.len() != len {
            return None;
        }
        std::fs::read(path).ok()
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.0.join(rel);
        // A new file, never written through a link (see the Unix version).
        let _ = std::fs::remove_file(&path);
        std::fs::write(path, bytes)
    }

    pub fn link_from(&self, from: &Folder, rel: &str) -> io::Result<()> {
        std::fs::hard_link(from.0.join(rel), self.0.join(rel))
    }
}

/// Every entry under `root`, walked per top-level folder in parallel and joined in the
/// order of the top-level listing: the same entries as one walk made by `walker`, for
/// trees (`content/`, the output) whose top-level folders are many and large.
/// `walker(path, max_depth)` makes each walk; a walk of a folder yields the folder
/// itself too, and so does the walk of `root`.
pub fn walk_in_parallel<W, I>(root: &Path, walker: W) -> Vec<walkdir::Result<walkdir::DirEntry>>
where
    W: Fn(&Path, usize) -> I + Sync,
    I: Iterator<Item = walkdir::Result<walkdir::DirEntry>>,
{
    use rayon::prelude::*;
    let top: Vec<_> = walker(root, 1).collect();
    let pieces: Vec<Vec<_>> = top
        .into_par_iter()
        .map(|entry| match entry {
            Ok(e) if e.depth() == 1 && e.file_type().is_dir() => walker(e.path(), usize::MAX).collect(),
            other => vec![other],
        })
        .collect();
    pieces.into_iter().flatten().collect()
}
