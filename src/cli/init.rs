//! `init`: write `.postmortem.toml` and the postmortem directory.

use clap::Args;

use crate::app::{Outcome, Workspace};
use crate::atomic;
use crate::config::{self, Config};
use crate::error::{Error, Result};
use crate::output::Output;
use crate::store::Store;

/// Set up this repository for postmortems.
///
/// Writes `.postmortem.toml` (every default, commented) at the top of the work
/// tree and creates `postmortems/`. Refuses to overwrite an existing config.
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
    out.line(format_args!(
        "Created {} and {}/",
        config::FILE_NAME,
        config.dir
    ))?;
    out.line("Next: git postmortem new \"What happened\"")?;
    Ok(Outcome::Ok)
}
