//! `generate-schemas --out DIR` (hidden): the JSON Schemas of postmortem
//! files and of `.postmortem.toml`, generated from the model. They are
//! committed under `schemas/`, where the `#:schema` directive `new` writes
//! points; a test fails when they are stale.

use std::path::PathBuf;

use clap::Args;

use crate::app::Outcome;
use crate::error::{Error, Result};
use crate::json_schema;
use crate::output::Output;

/// Write the JSON Schemas to DIR (maintainers: `cargo run -- generate-schemas --out schemas`).
#[derive(Debug, Args)]
pub(crate) struct GenerateSchemasArgs {
    /// The directory to write the schemas to; created when missing. Files
    /// of the same name are replaced.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub(crate) fn run(args: &GenerateSchemasArgs, out: &Output) -> Result<Outcome> {
    let dir = &args.out;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    for (name, text) in json_schema::all() {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| Error::io(path.display().to_string(), e))?;
        out.line(path.display())?;
    }
    Ok(Outcome::Ok)
}
