//! `show ID`: render one postmortem as Markdown or JSON, with its trigger
//! commits resolved from git.

use std::io::Write;

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::app::{Ctx, Outcome};
use crate::error::{Error, Result};
use crate::history;
use crate::model::Postmortem;
use crate::render::view::{SafeguardView, ShowView, TriggerCommit, TriggerRange};
use crate::render::{self, SHOW};

/// Render a postmortem with its trigger commits read from git.
#[derive(Debug, Args)]
pub struct ShowArgs {
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

/// Commits listed per trigger range before "…".
const RANGE_LIMIT: usize = 50;

pub fn run(ctx: &mut Ctx, args: &ShowArgs) -> Result<Outcome> {
    let store = ctx.store();
    let id = store.resolve(&args.id, &ctx.ws.cwd)?;
    let loaded = store.load(&id)?;
    let pm = &loaded.postmortem;
    let repo = ctx.repo();
    let github_repo = ctx.config.github.repo.as_deref();

    let mut view = ShowView::new(&loaded.id, &loaded.source.path, pm);
    if let Some(trigger) = &pm.trigger {
        view.trigger_commits = trigger
            .commits
            .iter()
            .map(|rev| TriggerCommit {
                rev,
                commit: history::resolve_commit(repo, rev)
                    .and_then(|oid| history::commit_info(repo, oid))
                    .ok(),
            })
            .collect();
        view.trigger_ranges = trigger
            .ranges
            .iter()
            .map(
                |range| match history::range_commits(repo, range, RANGE_LIMIT + 1) {
                    Ok(mut commits) => {
                        let truncated = commits.len() > RANGE_LIMIT;
                        commits.truncate(RANGE_LIMIT);
                        TriggerRange {
                            range,
                            commits,
                            truncated,
                            error: None,
                        }
                    }
                    Err(e) => TriggerRange {
                        range,
                        commits: Vec::new(),
                        truncated: false,
                        error: Some(e.to_string()),
                    },
                },
            )
            .collect();
    }
    view.safeguards = pm
        .safeguards
        .iter()
        .map(|s| SafeguardView::new(s, github_repo))
        .collect();

    let io = |e| Error::io("stdout", e);
    match args.format {
        ShowFormat::Md => {
            let text = render::render(Some(ctx.root()), SHOW, &view)?;
            ctx.out.write_all(tidy(&text).as_bytes()).map_err(io)?;
        }
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
            serde_json::to_writer_pretty(&mut ctx.out, &json)
                .map_err(|e| Error::io("stdout", e.into()))?;
            writeln!(ctx.out).map_err(io)?;
        }
    }
    Ok(Outcome::Ok)
}

/// Collapse the blank-line runs that template conditionals leave behind.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let trimmed = out.trim_end();
    format!("{}\n", trimmed.trim_start_matches('\n'))
}
