//! `init`: write `.postmortem.toml` and the postmortem directory.

use clap::Args;

use crate::app::{site, Outcome, Workspace};
use crate::atomic;
use crate::config::{self, Config};
use crate::error::{Error, Result};
use crate::output::{self, Output};
use crate::store::Store;

/// Set up this repository for postmortems.
///
/// Writes `.postmortem.toml` (every default, commented) at the top of the work
/// tree and creates `postmortems/`. Refuses to overwrite an existing config.
/// Adds `/postmortem-site/`, where `git postmortem site` writes by default,
/// to `.gitignore`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {}

pub(crate) fn run(ws: &Workspace, _args: &InitArgs, out: &Output) -> Result<Outcome> {
    let path = ws.root().join(config::FILE_NAME);
    if path.exists() {
        return Err(Error::AlreadyExists {
            path: config::FILE_NAME.into(),
        });
    }
    let config = Config::default();
    let dir = Store::new(ws.root(), &config).writable_dir()?;
    let keep = dir.join(".gitkeep");
    if std::fs::read_dir(&dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
    {
        std::fs::write(&keep, "").map_err(|e| Error::io(format!("{}/.gitkeep", config.dir), e))?;
    }
    atomic::create_new(&path, config::DEFAULT_TEXT).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::AlreadyExists {
            path: config::FILE_NAME.into(),
        },
        _ => Error::io(config::FILE_NAME, e),
    })?;
    let ignored = match ignore_site(ws.root()) {
        Ok(true) => format!(", and ignored {}/ in .gitignore", site::DEFAULT_DIR),
        Ok(false) => String::new(),
        Err(e) => {
            output::warn(format_args!(
                "could not add /{}/ to .gitignore: {e}",
                site::DEFAULT_DIR
            ));
            String::new()
        }
    };
    out.line(format_args!(
        "Created {} and {}/{ignored}",
        config::FILE_NAME,
        config.dir
    ))?;
    out.line("Next: git postmortem new \"What happened\"")?;
    Ok(Outcome::Ok)
}

/// Add `/postmortem-site/` to the work tree's `.gitignore` unless a line
/// there already names it; the file keeps its bytes and its line endings.
/// Whether a line was added.
fn ignore_site(root: &std::path::Path) -> std::io::Result<bool> {
    let path = root.join(".gitignore");
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not UTF-8"))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    let dir = site::DEFAULT_DIR;
    let listed = text.lines().any(|line| {
        let line = line.trim().trim_start_matches('/').trim_end_matches('/');
        line == dir
    });
    if listed {
        return Ok(false);
    }
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut updated = text;
    if !updated.is_empty() && !updated.ends_with('\n') {
        updated.push_str(eol);
    }
    updated.push_str(&format!("/{dir}/{eol}"));
    atomic::write(&path, &updated)?;
    Ok(true)
}
