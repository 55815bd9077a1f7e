//! `site`: build the static postmortem site (index with search and
//! filters, a page per postmortem, the dashboard, `data.json`).

use std::path::PathBuf;

use clap::Args;

use crate::app::{site, Ctx, Outcome};
use crate::error::Result;

use super::args::HistoryArgs;

/// Build a static site of every postmortem: an index with search and
/// filters, a page per postmortem with its safeguards' proven state, and a
/// dashboard of trends.
///
/// Everything the site needs is inside DIR (no server, no CDN): open
/// DIR/index.html from disk, or publish DIR on GitHub Pages. DIR/data.json
/// holds the data behind every page. DIR is replaced whole on each build,
/// and only when it is empty or was written by this command.
#[derive(Debug, Args)]
pub(crate) struct SiteArgs {
    /// Where to write the site [default: postmortem-site/ at the top of the
    /// work tree].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    #[command(flatten)]
    history: HistoryArgs,
}

pub(crate) fn run(ctx: &mut Ctx, args: &SiteArgs) -> Result<Outcome> {
    let built = site::build(
        ctx,
        args.out.as_deref(),
        args.history.branch.as_deref(),
        args.history.today,
    )?;
    let dir = ctx.ws.path_for_user(&built.dir);
    let postmortems = match built.postmortems {
        1 => "1 postmortem".to_string(),
        n => format!("{n} postmortems"),
    };
    ctx.out.line(format_args!(
        "wrote the site for {postmortems} to {dir}/ ({} files); open {dir}/index.html",
        built.files
    ))?;
    Ok(built.outcome)
}
