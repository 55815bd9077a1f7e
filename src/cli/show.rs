//! `show ID`: render one postmortem as Markdown or JSON, with its trigger
//! commits resolved from git.

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::app::{self, Ctx, Outcome};
use crate::error::Result;
use crate::model::Postmortem;
use crate::render::show;
use crate::render::view::{TriggerCommit, TriggerRange};

/// Render a postmortem with its trigger commits read from git.
#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// The postmortem: its id, a unique prefix of it, or a path to its file.
    id: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ShowFormat::Md)]
    format: ShowFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ShowFormat {
    Md,
    Json,
}

/// `show --format json`: the postmortem as written, plus what git says
/// about its trigger.
#[derive(Serialize)]
struct ShowJson<'a> {
    id: &'a str,
    path: &'a str,
    #[serde(flatten)]
    postmortem: &'a Postmortem,
    resolved_trigger: ResolvedTrigger<'a>,
}

#[derive(Serialize)]
struct ResolvedTrigger<'a> {
    commits: &'a [TriggerCommit<'a>],
    ranges: &'a [TriggerRange<'a>],
}

pub(crate) fn run(ctx: &mut Ctx, args: &ShowArgs) -> Result<Outcome> {
    let store = ctx.store();
    let id = store.resolve(&args.id, &ctx.ws.cwd)?;
    let loaded = store.load(&id)?;
    let pm = &loaded.postmortem;
    let github_repo = ctx.config.github.repo.as_deref();
    let view = app::show::show_view(ctx.repo(), github_repo, &loaded.id, &loaded.source.path, pm);
    match args.format {
        ShowFormat::Md => ctx.out.text(&show::show_markdown(&ctx.templates, &view)?)?,
        ShowFormat::Json => {
            let json = ShowJson {
                id: &loaded.id,
                path: &loaded.source.path,
                postmortem: pm,
                resolved_trigger: ResolvedTrigger {
                    commits: &view.trigger_commits,
                    ranges: &view.trigger_ranges,
                },
            };
            ctx.out.json(&json)?;
        }
    }
    Ok(Outcome::Ok)
}
