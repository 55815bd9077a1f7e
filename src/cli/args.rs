//! Arguments several commands share.

use clap::Args;

use crate::model::Date;

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
