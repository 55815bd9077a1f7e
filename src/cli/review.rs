//! `review [--base REV] [--pr N]`: render the postmortems this branch adds
//! or changes for the people reviewing its pull request, as Markdown on
//! stdout; in GitHub Actions also as annotations and in the step summary;
//! with a pull request and a token, as one sticky comment on it.

use clap::Args;

use crate::app::review::{self, ReviewOptions, ReviewReport};
use crate::app::{Ctx, Outcome};
use crate::diagnostic::{plural, Report};
use crate::error::Result;
use crate::output::{self, Join, Output};
use crate::render::annotations;

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
pub(crate) struct ReviewArgs {
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

pub(crate) fn run(ctx: &mut Ctx, args: &ReviewArgs) -> Result<Outcome> {
    let options = ReviewOptions {
        base: args.base.as_deref(),
        pr: args.pr,
    };
    let dir = ctx.config.dir.clone();
    review::review(ctx, &options, &mut |out, base, report| {
        print_review(out, args, &dir, base, report)
    })
}

/// Findings and a count on stderr; annotations and the Markdown on stdout;
/// the Markdown in the step summary.
fn print_review(
    out: &Output,
    args: &ReviewArgs,
    dir: &str,
    base: &str,
    report: &ReviewReport,
) -> Result<()> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if report.uncommitted {
        output::note(format_args!(
            "{dir}/ has uncommitted changes; review reads HEAD, so they are not included"
        ));
    }
    report.findings.iter().for_each(output::diagnostic);
    let changed = report.files.len();
    output::say(format_args!(
        "{changed} postmortem{} changed since {base}: {}",
        plural(changed),
        Report::new(&report.findings).summary()
    ));
    if args.annotations || annotations::in_github_actions(env("GITHUB_ACTIONS").as_deref()) {
        for finding in &report.findings {
            out.workflow_command(&annotations::annotation(finding))?;
        }
    }
    out.text(&report.markdown)?;
    output::append_step_summary(&report.markdown, Join::BlankLine)
}
