//! `review [--base REV] [--pr N]`: render the postmortems this branch adds
//! or changes for the people reviewing its pull request, as Markdown on
//! stdout; in GitHub Actions also as annotations and in the step summary;
//! with a pull request and a token, as one sticky comment on it.

use std::io::Write;

use clap::Args;

use crate::app::{self, Ctx, Outcome};
use crate::cli::lint::outcome_of;
use crate::cli::session::{GitHubHints, Session};
use crate::diagnostic::{plural, Report};
use crate::error::{Error, Result};
use crate::github::api::{ApiError, GitHubApi};
use crate::github::comments::{edit_sticky, upsert_sticky, Upserted};
use crate::github::marker::REVIEW_MARKER;
use crate::github::pull_request::{self, Approvals};
use crate::render::annotations;
use crate::review::{self, ReviewContext, ReviewReport, COMMENT_LIMIT};

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
/// With a pull request (`--pr N`, or the one `GITHUB_EVENT_PATH` is about)
/// and GITHUB_TOKEN or GH_TOKEN, the Markdown is also kept as one comment on
/// the pull request, edited in place on later runs, and reviewers who
/// approved on GitHub but are not yet in `approved_by` are named. Without a
/// token it is only printed.
///
/// Exit 1 when a changed postmortem has a lint error, 2 when one does not
/// follow the schema, 3 when GitHub refuses the comment (after printing).
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

    /// Comment on pull request N (needs GITHUB_TOKEN or GH_TOKEN) [default:
    /// the pull request of the Actions event in GITHUB_EVENT_PATH].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pr: Option<u64>,
}

const REVIEW_HINTS: GitHubHints = GitHubHints {
    permission: "`pull-requests: write`",
    refused: "the token may not comment on the pull request: it needs `pull-requests: write` (in a workflow's `permissions:`); a pull request from a fork only gets a read-only token",
    not_found: "check the pull request number (--pr or GITHUB_EVENT_PATH), the repository ([github] repo, GITHUB_REPOSITORY or origin), and that the token can see it",
    again: "run `git postmortem review` again: it finds its comment by a hidden marker and edits it, so nothing is duplicated",
};

pub fn run(ctx: &mut Ctx, args: &ReviewArgs) -> Result<Outcome> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let base = review::resolve_base(
        ctx.repo(),
        args.base.as_deref(),
        env("GITHUB_BASE_REF").as_deref(),
        ctx.config.default_branch.as_deref(),
    )?;

    // GitHub comes after the review is printed: an error there is kept
    // until then, so the review is never lost.
    let mut failed: Option<Error> = None;
    let pull = args.pr.or_else(pull_request_from_event);
    let github = match pull {
        None => None,
        Some(number) => match Session::open(ctx, "review", &REVIEW_HINTS) {
            Ok(session) => Some((session, number)),
            Err(Error::MissingToken { .. }) => {
                eprintln!(
                    "note: the review was not posted on #{number}: neither GITHUB_TOKEN nor GH_TOKEN is set"
                );
                None
            }
            Err(e) => {
                failed = Some(e);
                None
            }
        },
    };

    let cx = ReviewContext {
        repo: ctx.repo(),
        root: ctx.root(),
        config: &ctx.config,
        clock: ctx.clock(),
        github_repo: ctx.config.github.repo.as_deref(),
    };
    let mut report = review::render_review(&cx, &base)?;
    if let Some((session, number)) = &github {
        if report.waiting_for_sign_off() {
            match session.block_on(session.client.list_reviews(*number)) {
                Ok(reviews) => report.add_github_approvals(&Approvals::from_reviews(&reviews))?,
                // Readable only with `pull-requests: read`; the comment
                // may still be allowed.
                Err(ApiError::Http { status: 403, .. }) => eprintln!(
                    "note: the reviews of #{number} are not readable with this token, so approvals on GitHub are not reported"
                ),
                Err(e) => failed = Some(session.error(e)),
            }
        }
    }

    print_review(ctx, args, &base, &report)?;

    if let (Some((session, number)), None) = (&github, &failed) {
        if let Err(e) = session.block_on(comment(session, *number, &report)) {
            failed = Some(e);
        }
    }
    match failed {
        Some(error) => {
            ctx.out.flush().map_err(|e| Error::io("stdout", e))?;
            Err(error)
        }
        None => Ok(outcome_of(&report.findings)),
    }
}

/// Findings and a count on stderr; annotations and the Markdown on stdout;
/// the Markdown in the step summary.
fn print_review(ctx: &mut Ctx, args: &ReviewArgs, base: &str, report: &ReviewReport) -> Result<()> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
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

    app::append_step_summary(&report.markdown)
}

/// Keep the review as the one sticky comment on pull request `number`,
/// and say on stderr what was done. When the branch changes no
/// postmortem, an existing comment is edited to say so, and none is
/// posted.
async fn comment(session: &Session, number: u64, report: &ReviewReport) -> Result<()> {
    let client = &session.client;
    let body = report.comment_body()?;
    if body.shortened {
        eprintln!(
            "note: the review is longer than the {COMMENT_LIMIT} characters GitHub allows in a comment, so the comment on #{number} leaves some of it out"
        );
    }
    let done = if report.files.is_empty() {
        edit_sticky(client, number, REVIEW_MARKER, &body.text)
            .await
            .map_err(|e| session.error(e))?
    } else {
        Some(
            upsert_sticky(client, number, REVIEW_MARKER, &body.text)
                .await
                .map_err(|e| session.error(e))?,
        )
    };
    match done {
        Some(Upserted::Created(_)) => eprintln!("posted review comment on #{number}"),
        Some(Upserted::Updated(_)) => eprintln!("updated review comment on #{number}"),
        Some(Upserted::Unchanged(_)) => eprintln!("review comment on #{number} unchanged"),
        None => eprintln!("no postmortem changed, so no review comment was posted on #{number}"),
    }
    Ok(())
}

/// The pull request of the GitHub Actions event in `GITHUB_EVENT_PATH`,
/// if the run is for one. An unreadable event file is reported and
/// treated as no pull request.
fn pull_request_from_event() -> Option<u64> {
    let path = std::env::var_os("GITHUB_EVENT_PATH").filter(|p| !p.is_empty())?;
    let path = std::path::Path::new(&path);
    let event = std::fs::read_to_string(path)
        .map_err(|e| e.to_string())
        .and_then(|text| {
            serde_json::from_str::<serde_json::Value>(&text).map_err(|e| e.to_string())
        });
    match event {
        Ok(event) => {
            let name = std::env::var("GITHUB_EVENT_NAME").ok();
            pull_request::number_from_event(&event, name.as_deref())
        }
        Err(e) => {
            eprintln!(
                "warning: GITHUB_EVENT_PATH: cannot read {}: {e}; not commenting on a pull request",
                path.display()
            );
            None
        }
    }
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
