//! `digest [--since 7d]`: what shipped, what became overdue, what is
//! overdue, new postmortems and progress updates over the last days, with
//! the error-free counter; Markdown for people, JSON for scripts.

use clap::{Args, ValueEnum};

use crate::app::judge::Verdicts;
use crate::app::{Ctx, Outcome};
use crate::digest::{self, DigestView, Inputs, Period};
use crate::error::Result;
use crate::model::Days;
use crate::output::{self, Join};
use crate::render::{slack, DIGEST};

use super::args::{self, HistoryArgs, SelectArgs};

/// Summarise a period for a team channel, an email or a CI job summary.
///
/// Covers the last `--since` days, today included: the safeguards whose
/// shipping commit is dated in the period, those that became overdue in it
/// and still are, every overdue safeguard, postmortems of incidents that
/// began in the period, the progress updates dated in it, and the days
/// since the last incident.
///
/// Markdown is rendered from the template `digest.md` (override it with
/// `templates/digest.md.hbs`); when GITHUB_STEP_SUMMARY is set, it is also
/// appended to that file. `--format slack` prints a Slack Block Kit
/// payload (JSON) for an incoming webhook: mentions and markup in user text
/// neutralised, within Slack's limits, linked to GitHub when the repository
/// is known. `--service`, `--tag` and `--severity` make a digest of the
/// postmortems they select (the counter too). Exit 0 even when safeguards
/// are overdue (`check` is the gate); 2 when a postmortem does not parse.
#[derive(Debug, Args)]
pub(crate) struct DigestArgs {
    /// How many days back the digest looks, today included: `7d`, `2w`,
    /// `30d` (whole days).
    #[arg(long, value_name = "DURATION", default_value = "7d")]
    since: Days,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DigestFormat::Md)]
    format: DigestFormat,

    #[command(flatten)]
    history: HistoryArgs,

    #[command(flatten)]
    select: SelectArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DigestFormat {
    /// Markdown, from the template `digest.md`.
    Md,
    /// One JSON document.
    Json,
    /// A Slack Block Kit payload.
    Slack,
}

pub(crate) fn run(ctx: &mut Ctx, args: &DigestArgs) -> Result<Outcome> {
    let mut verdicts = Verdicts::gather(ctx, args.history.branch.as_deref(), args.history.today)?;
    let filter = args::filter(
        &args.select,
        None,
        &ctx.config.severities,
        verdicts.judged.today,
    )?;
    args::note_unnamed(&filter, &verdicts.loaded);
    verdicts.loaded.retain(|l| filter.postmortem(&l.postmortem));
    let rows = verdicts.rows(ctx);
    let repo = ctx.repo();
    let short_oid = |id: &_| repo.short_oid(id);
    let judged = &verdicts.judged;
    let branch = &judged.history.branch;
    let digest = digest::compute(&Inputs {
        loaded: &verdicts.loaded,
        rows: &rows,
        period: Period::ending(judged.today, u64::from(args.since.0)),
        grace: ctx.config.safeguard_grace,
        branch: &branch.name,
        tip: branch.tip.to_string(),
        short_oid: &short_oid,
    });
    match args.format {
        DigestFormat::Json => ctx.out.json(&digest)?,
        DigestFormat::Slack => {
            let links = slack::Links {
                repository: ctx.repository_web_url(),
                blob_ref: ctx.config.default_branch.as_deref().unwrap_or("HEAD"),
                paths: verdicts
                    .loaded
                    .iter()
                    .map(|l| (l.id.as_str(), l.source.path.as_str()))
                    .collect(),
            };
            let payload = slack::digest(&digest, &short_oid(&branch.tip), &links);
            ctx.out.json(&payload)?;
        }
        DigestFormat::Md => {
            let view = DigestView::new(&digest, short_oid(&branch.tip));
            let markdown = ctx.templates.render(DIGEST, &view)?;
            ctx.out.text(&markdown)?;
            output::append_step_summary(&markdown, Join::BlankLine)?;
        }
    }
    Ok(verdicts.outcome)
}
