//! `review [--base REV]`: render the postmortems this branch adds or
//! changes for the people reviewing its pull request, as Markdown on
//! stdout; in GitHub Actions also as annotations and in the step summary.

use std::io::Write;

use clap::Args;

use crate::app::{self, Ctx, Outcome};
use crate::cli::lint::outcome_of;
use crate::diagnostic::{plural, Report};
use crate::error::{Error, Result};
use crate::render::annotations;
use crate::review::{self, ReviewContext};

/// Review the postmortems a branch adds or changes.
///
/// Compares HEAD with its merge base with the base branch and, for each
/// postmortem added or changed since, prints Markdown for reviewers: lint
/// findings, what changed since the base version, who has yet to sign off,
/// how long the cool-off has left, and the rendered postmortem.
///
/// In GitHub Actions (`GITHUB_ACTIONS=true`) or with `--annotations`, lint
/// findings are also printed as workflow annotations; when
/// `GITHUB_STEP_SUMMARY` is set, the Markdown is appended to that file.
///
/// Exit 1 when a changed postmortem has a lint error, 2 when one does not
/// follow the schema.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Compare with the merge base of REV and HEAD [default: in a pull
    /// request `origin/$GITHUB_BASE_REF`, else `default_branch` from the
    /// config, else origin/HEAD, else main, else master].
    #[arg(long, value_name = "REV")]
    base: Option<String>,

    /// Print lint findings as GitHub Actions annotations on stdout, before
    /// the Markdown [default: only when GITHUB_ACTIONS=true].
    #[arg(long)]
    annotations: bool,
}

pub fn run(ctx: &mut Ctx, args: &ReviewArgs) -> Result<Outcome> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let base = review::resolve_base(
        ctx.repo(),
        args.base.as_deref(),
        env("GITHUB_BASE_REF").as_deref(),
        ctx.config.default_branch.as_deref(),
    )?;
    let cx = ReviewContext {
        repo: ctx.repo(),
        root: ctx.root(),
        config: &ctx.config,
        clock: ctx.clock(),
        github_repo: ctx.config.github.repo.as_deref(),
    };
    let report = review::render_review(&cx, &base)?;

    if has_uncommitted_postmortems(ctx) {
        eprintln!(
            "note: {}/ has uncommitted changes; review reads HEAD, so they are not included",
            ctx.config.dir
        );
    }
    report.findings.iter().for_each(app::report);
    let changed = report.files.len();
    eprintln!(
        "{changed} postmortem{} changed since {base}: {}",
        plural(changed),
        Report::new(&report.findings).summary()
    );

    let io = |e| Error::io("stdout", e);
    if args.annotations || annotations::in_github_actions(env("GITHUB_ACTIONS").as_deref()) {
        for finding in &report.findings {
            writeln!(ctx.out, "{}", annotations::annotation(finding)).map_err(io)?;
        }
    }
    ctx.out.write_all(report.markdown.as_bytes()).map_err(io)?;

    app::append_step_summary(&report.markdown)?;
    Ok(outcome_of(&report.findings))
}

/// Whether the work tree has changes to postmortems that HEAD lacks.
fn has_uncommitted_postmortems(ctx: &Ctx) -> bool {
    let mut options = git2::StatusOptions::new();
    options
        .pathspec(&ctx.config.dir)
        .include_untracked(true)
        .recurse_untracked_dirs(true);
    ctx.repo()
        .statuses(Some(&mut options))
        .is_ok_and(|statuses| {
            statuses
                .iter()
                .any(|s| !s.status().is_ignored() && !s.status().is_empty())
        })
}
