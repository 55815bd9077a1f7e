//! `hook`: catch a mistyped `Postmortem-Safeguard` trailer at commit time.
//! `install` writes a `commit-msg` hook into the directory git runs hooks
//! from, replacing only a hook it wrote itself unless forced;
//! `check-message` is what that hook runs: it reads the message as
//! `git commit` will record it and names every trailer value that is no
//! safeguard's reference, with the closest one that is.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::history::message;
use crate::model::closest_reference;

use super::{Ctx, Workspace};

/// The line that marks a hook as ours, so `install` may replace it.
pub(crate) const HOOK_MARKER: &str = "# git-postmortem commit-msg hook";

/// The hook: a POSIX sh script that hands the message file to
/// `check-message`, and lets the commit through with a warning where
/// git-postmortem is not installed (a GUI client's PATH, a fresh machine).
const HOOK_SCRIPT: &str = r#"#!/bin/sh
# git-postmortem commit-msg hook
# Written by `git postmortem hook install`, which may replace it. Rejects a
# Postmortem-Safeguard trailer that names no safeguard.
if ! command -v git-postmortem >/dev/null 2>&1; then
	echo "commit-msg: git-postmortem is not on PATH; Postmortem-Safeguard trailers not checked" >&2
	exit 0
fi
exec git postmortem hook check-message "$1"
"#;

/// What `install` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Installed {
    /// There was no `commit-msg` hook.
    Created,
    /// Our own hook was there and is now the current one.
    Updated,
    /// Someone else's hook was there; `--force` replaced it.
    ReplacedForeign,
}

/// Write the `commit-msg` hook; returns its path and what happened.
pub(crate) fn install(ws: &Workspace, force: bool) -> Result<(PathBuf, Installed)> {
    let dir = ws.repo.hooks_dir();
    let path = dir.join("commit-msg");
    let shown = ws.path_for_user(&path);
    let installed = match std::fs::read(&path) {
        Ok(existing) if is_ours(&existing) => Installed::Updated,
        Ok(_) if force => Installed::ReplacedForeign,
        Ok(_) => return Err(Error::ForeignHook { path: shown }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Installed::Created,
        Err(e) => return Err(Error::io(shown, e)),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(ws.path_for_user(&dir), e))?;
    crate::atomic::write(&path, HOOK_SCRIPT).map_err(|e| Error::io(shown.clone(), e))?;
    make_executable(&path).map_err(|e| Error::io(shown, e))?;
    Ok((path, installed))
}

fn is_ours(hook: &[u8]) -> bool {
    String::from_utf8_lossy(hook)
        .lines()
        .any(|line| line.trim_end() == HOOK_MARKER)
}

#[cfg(unix)]
fn make_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// A `Postmortem-Safeguard` trailer value that names no safeguard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownSafeguard {
    /// The value as written.
    pub(crate) value: String,
    /// The existing reference closest to it, if any is close.
    pub(crate) closest: Option<String>,
}

/// The trailer values of the message in `file` that name no safeguard of
/// the postmortems in the work tree, compared case-insensitively as the
/// history scan compares them. A trailer naming a postmortem whose file
/// does not load is not judged; the files that failed to load are returned
/// for the caller to report.
pub(crate) fn check_message(ctx: &Ctx, file: &Path) -> Result<(Vec<UnknownSafeguard>, Vec<Error>)> {
    let path = ctx.ws.cwd.join(file);
    let raw = std::fs::read(&path).map_err(|e| Error::io(file.display().to_string(), e))?;
    let options = ctx.repo().message_options();
    let stripped = message::strip_comments(&raw, &options);
    let trailers = message::parse_with(&stripped, true, false, &options).trailers;
    if trailers.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }

    let store = ctx.store();
    let (loaded, failed) = store.load_all()?;
    let references = super::judge::known_references(&loaded);
    let known: BTreeSet<String> = references
        .iter()
        .map(|r| r.to_string().to_ascii_lowercase())
        .collect();
    let loaded_ids: BTreeSet<&str> = loaded.iter().map(|l| l.id.as_str()).collect();
    let unreadable: BTreeSet<String> = store
        .ids()?
        .into_iter()
        .filter(|id| !loaded_ids.contains(id.as_str()))
        .map(|id| id.to_ascii_lowercase())
        .collect();

    let unknown = trailers
        .into_iter()
        .filter(|value| {
            let lower = value.to_ascii_lowercase();
            let postmortem = lower.rsplit_once('/').map_or("", |(pm, _)| pm);
            !known.contains(&lower) && !unreadable.contains(postmortem)
        })
        .map(|value| UnknownSafeguard {
            closest: closest_reference(&value, &references).map(ToString::to_string),
            value,
        })
        .collect();
    Ok((unknown, failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hook_carries_its_marker() {
        assert!(is_ours(HOOK_SCRIPT.as_bytes()));
        assert!(!is_ours(b"#!/bin/sh\nexec lint-staged\n"));
    }
}
