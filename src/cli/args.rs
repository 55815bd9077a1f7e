//! Arguments several commands share.

use std::io::Read;

use clap::Args;

use crate::error::{Error, Result};
use crate::model::Date;

/// A text argument, or standard input when it is `-` (for text typed or
/// pasted during an incident, quotes and all); `what` names the argument
/// in errors.
pub(crate) fn text_or_stdin(what: &str, arg: &str) -> Result<String> {
    if arg != "-" {
        return Ok(arg.to_string());
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Error::BadArgument {
            what: what.into(),
            message: format!("cannot read standard input: {e}"),
        })?;
    Ok(text)
}

/// Options of the commands that read history.
#[derive(Debug, Args)]
pub(crate) struct HistoryArgs {
    /// Branch "shipped" is measured against [default: `default_branch` from
    /// .postmortem.toml, else origin/HEAD, else main, else master].
    #[arg(long, value_name = "B")]
    pub(crate) branch: Option<String>,

    /// Judge deadlines as of this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE")]
    pub(crate) today: Option<Date>,
}
