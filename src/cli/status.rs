//! `status`: every safeguard with its state and the commit that shipped it.

use chrono::NaiveDate;
use clap::Args;

use crate::app::judge::{known_references, Verdicts};
use crate::app::{Ctx, Outcome};
use crate::diagnostic::plural;
use crate::error::Result;
use crate::history::Repo;
use crate::model::Via;
use crate::output;
use crate::status::{self, Row, SafeguardState};

use super::args::HistoryArgs;

/// Show every safeguard: shipped, pending, overdue, closed-unverified or
/// dropped, with the commit on the default branch that shipped it.
///
/// A safeguard ships with the oldest commit on the default branch whose
/// message ends with the trailer `Postmortem-Safeguard: <postmortem-id>/S<n>`
/// or closes its issue (`Fixes #123`), or that merged the pull request
/// GitHub says closed its issue (recorded by `sync`).
#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    /// One JSON document instead of lines.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    history: HistoryArgs,
}

pub(crate) fn run(ctx: &mut Ctx, args: &StatusArgs) -> Result<Outcome> {
    let verdicts = Verdicts::gather(ctx, args.history.branch.as_deref(), args.history.today)?;
    let judged = &verdicts.judged;
    let rows = verdicts.rows(ctx);
    let values = judged.trailer_values();
    let dangling = status::dangling(&values, &known_references(&verdicts.loaded));
    if args.json {
        ctx.out.json(&judged.document(&rows, dangling))?;
        return Ok(verdicts.outcome);
    }
    for d in &dangling {
        output::warn(super::dangling_message(ctx.repo(), d));
    }
    let lines: Vec<[String; 5]> = rows
        .iter()
        .map(|row| {
            [
                row.reference.to_string(),
                row.state.as_str().to_string(),
                row.safeguard.owner.clone().unwrap_or_else(|| "-".into()),
                row.safeguard
                    .due
                    .map_or_else(|| "-".into(), |d| d.to_string()),
                detail(ctx.repo(), row, judged.today),
            ]
        })
        .collect();
    let width = |i: usize| {
        lines
            .iter()
            .map(|l| l[i].chars().count())
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2, w3) = (width(0), width(1), width(2), width(3));
    for [reference, state, owner, due, detail] in &lines {
        let line = format!("{reference:w0$}  {state:w1$}  {owner:w2$}  {due:w3$}  {detail}");
        ctx.out.line(line.trim_end())?;
    }
    let branch = &judged.history.branch;
    output::say(format_args!(
        "{} on {} at {}",
        status::summary(&rows),
        branch.name,
        ctx.repo().short_oid(&branch.tip)
    ));
    Ok(verdicts.outcome)
}

/// The last column: the shipping commit, or what is left to do, and the
/// open pull requests that will close the issue.
fn detail(repo: &Repo, row: &Row<'_>, today: NaiveDate) -> String {
    let text = state_detail(repo, row, today);
    let prs = &row.closing_pull_requests;
    if prs.is_empty() || !matches!(row.state, SafeguardState::Pending | SafeguardState::Overdue) {
        return text;
    }
    let numbers: Vec<String> = prs.iter().map(|n| format!("#{n}")).collect();
    format!(
        "{text} (PR{} {} will close it)",
        if prs.len() == 1 { "" } else { "s" },
        numbers.join(", ")
    )
}

fn state_detail(repo: &Repo, row: &Row<'_>, today: NaiveDate) -> String {
    let detail = state_words(repo, row, today);
    match status::predates_note(row, &|c| repo.short_oid(c)) {
        Some(note) if detail.is_empty() => note,
        Some(note) => format!("{detail}; {note}"),
        None => detail,
    }
}

fn state_words(repo: &Repo, row: &Row<'_>, today: NaiveDate) -> String {
    let days = |n: i64| format!("{n} day{}", plural(n.unsigned_abs() as usize));
    match row.state {
        SafeguardState::Shipped => match &row.evidence {
            Some(e) if e.via == Via::PullRequest => format!(
                "shipped by #{}, merge {} {} {}",
                e.pull_request.unwrap_or(0),
                repo.short_oid(&e.commit),
                e.at.day(),
                e.subject
            ),
            Some(e) => format!("{} {} {}", repo.short_oid(&e.commit), e.at.day(), e.subject),
            None => String::new(),
        },
        SafeguardState::Overdue => format!("{} overdue", days(row.days_overdue)),
        SafeguardState::ClosedUnverified => format!(
            "issue #{} closed, but no commit on the branch ships it",
            row.safeguard.issue.unwrap_or(0)
        ),
        SafeguardState::ClosedNotPlanned => format!(
            "issue #{} closed as not planned; drop it on purpose: git postmortem safeguard drop {} {} --reason \"…\"",
            row.safeguard.issue.unwrap_or(0),
            row.reference.postmortem,
            row.reference.id
        ),
        SafeguardState::Reverted => match &row.reverted {
            Some((shipped, by)) => format!(
                "{} shipped it, reverted by {} {} {}",
                repo.short_oid(&shipped.commit),
                repo.short_oid(&by.commit),
                by.at.day(),
                by.subject
            ),
            None => String::new(),
        },
        SafeguardState::Unknown => {
            "not proven in this shallow clone; fetch the whole history".into()
        }
        SafeguardState::Dropped => row.safeguard.reason.clone().unwrap_or_default(),
        SafeguardState::Pending => match row.safeguard.due {
            None => "no due date".into(),
            Some(due) if due.0 == today => "due today".into(),
            Some(due) if due.0 > today => format!("due in {}", days((due.0 - today).num_days())),
            Some(_) => "in its grace period".into(),
        },
    }
}
