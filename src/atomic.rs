//! Atomic file writes, shared by the postmortem store, the ship cache and
//! the issue-state file: the text goes in full to a temporary file in the
//! same directory, is synced, then renamed (or linked) into place, so a
//! crash or a full disk never leaves a half-written file.

use std::fs;
use std::io::Write;
use std::path::Path;

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
