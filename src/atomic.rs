//! Atomic file writes, shared by the postmortem store, the ship cache and
//! the issue-state file: the text goes in full to a temporary file in the
//! same directory, is synced, then renamed (or linked) into place, so a
//! crash or a full disk never leaves a half-written file. Postmortem files
//! are written through a [`LockFile`], git's `<file>.lock`, so concurrent
//! writers take turns instead of losing each other's edits.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use tempfile::TempPath;

fn write_temp(dir: &Path, text: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut tmp = tempfile::Builder::new()
        .prefix(".postmortem-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Create `path` with `text`, atomically, failing with `AlreadyExists`
/// rather than replacing a file that is there: the text is written in full
/// to a temporary file first, then linked into place.
pub(crate) fn create_new(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = write_temp(dir, text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// Write `text` to `path` through a temporary file in the same directory
/// and a rename, keeping the file's permissions.
pub(crate) fn write(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = write_temp(dir, text)?;
    if let Ok(meta) = fs::metadata(path) {
        fs::set_permissions(tmp.path(), meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// How long a lock may stand before it is taken for one a killed process
/// left behind. Every writer holds its lock for the milliseconds a read,
/// an edit and a rename take, so a lock this old is not being held.
pub(crate) const LOCK_STALE_AFTER: Duration = Duration::from_secs(10);

/// Why a lock could not be taken.
#[derive(Debug)]
pub(crate) enum LockError {
    /// `<file>.lock` exists and did not go away in time.
    Held { lock: PathBuf },
    /// Creating the lock failed for another reason.
    Io(std::io::Error),
}

/// A file locked for writing the way git locks its files: `<file>.lock`,
/// created exclusively (`O_EXCL`), held across read, edit and write. The
/// new text is written into the lock, synced, then renamed over the file,
/// so readers see the old text or the new one, never a mix, and a second
/// writer waits instead of overwriting the first one's edit. Dropping the
/// lock without committing removes it; a process killed while holding it
/// leaves `<file>.lock` behind, which names itself to the next writer.
pub(crate) struct LockFile {
    target: PathBuf,
    lock: TempPath,
    file: fs::File,
}

/// `<file>.lock`.
pub(crate) fn lock_path(target: &Path) -> PathBuf {
    let mut name = target.as_os_str().to_os_string();
    name.push(".lock");
    PathBuf::from(name)
}

impl LockFile {
    /// Take the lock on `target`, waiting while another writer holds it:
    /// until its lock is gone, or until the lock is older than
    /// [`LOCK_STALE_AFTER`] or that long has passed, which means it was
    /// left behind ([`LockError::Held`]).
    pub(crate) fn acquire(target: &Path) -> Result<LockFile, LockError> {
        let lock = lock_path(target);
        let started = Instant::now();
        let mut pause = Duration::from_millis(5);
        loop {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&lock)
            {
                Ok(file) => {
                    let lock = TempPath::try_from_path(&lock).map_err(|e| {
                        let _ = fs::remove_file(&lock);
                        LockError::Io(e)
                    })?;
                    return Ok(LockFile {
                        target: target.to_path_buf(),
                        lock,
                        file,
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(LockError::Io(e)),
            }
            let age = fs::metadata(&lock)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|modified| SystemTime::now().duration_since(modified).ok());
            if age.is_some_and(|age| age >= LOCK_STALE_AFTER)
                || started.elapsed() >= LOCK_STALE_AFTER
            {
                return Err(LockError::Held { lock });
            }
            // Jitter keeps waiting writers from waking in step.
            std::thread::sleep(pause + Duration::from_millis(fastrand::u64(0..5)));
            pause = (pause * 2).min(Duration::from_millis(100));
        }
    }

    fn write_text(&mut self, text: &str) -> std::io::Result<()> {
        self.file.write_all(text.as_bytes())?;
        self.file.sync_all()
    }

    /// Write `text` into the lock and close it (Windows renames no open
    /// file); the lock's path, still removed if it is dropped.
    fn written(mut self, text: &str) -> std::io::Result<(TempPath, PathBuf)> {
        self.write_text(text)?;
        let LockFile { target, lock, file } = self;
        drop(file);
        Ok((lock, target))
    }

    /// Replace the locked file with `text` (keeping its permissions) and
    /// release the lock.
    pub(crate) fn commit(self, text: &str) -> std::io::Result<()> {
        let (lock, target) = self.written(text)?;
        if let Ok(meta) = fs::metadata(&target) {
            fs::set_permissions(&lock, meta.permissions())?;
        }
        lock.persist(&target).map_err(|e| e.error)
    }

    /// Create the locked file with `text` and release the lock, failing
    /// with `AlreadyExists`, and leaving the file alone, when it exists.
    pub(crate) fn commit_new(self, text: &str) -> std::io::Result<()> {
        let (lock, target) = self.written(text)?;
        lock.persist_noclobber(&target).map_err(|e| e.error)
    }
}

/// Remove the temporary files (`.postmortem-*.tmp`) that writes of earlier
/// versions left in `dir` when they were killed, once they are older than
/// [`LOCK_STALE_AFTER`]; a younger one may still be in use.
pub(crate) fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".postmortem-") && name.ends_with(".tmp")) {
            continue;
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| SystemTime::now().duration_since(modified).ok())
            .is_some_and(|age| age >= LOCK_STALE_AFTER);
        if stale && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}
