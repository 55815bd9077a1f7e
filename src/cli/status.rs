//! `status`: every safeguard with its state and the commit that shipped it.

use std::collections::HashSet;

use chrono::NaiveDate;
use clap::builder::PossibleValuesParser;
use clap::Args;

use crate::app::judge::{known_references, Verdicts};
use crate::app::{Ctx, Outcome};
use crate::diagnostic::plural;
use crate::error::Result;
use crate::history::Repo;
use crate::model::Via;
use crate::output;
use crate::status::{self, Row, SafeguardState};

use super::args::{self, HistoryArgs, OwnerArgs, SelectArgs, WhenArgs};

/// Show every safeguard: shipped, pending, overdue, closed-unverified or
/// dropped, with the commit on the default branch that shipped it.
///
/// A safeguard ships with the oldest commit on the default branch whose
/// message ends with the trailer `Postmortem-Safeguard: <postmortem-id>/S<n>`
/// or closes its issue (`Fixes #123`), or that merged the pull request
/// GitHub says closed its issue (recorded by `sync`).
///
/// With `--owner` or `--mine`, the owners' actions are listed too (`open`,
/// `overdue`, `done` or `dropped`). Repeat a flag for any of several
/// values; different flags must all match.
#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    /// One JSON document instead of lines.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    history: HistoryArgs,

    #[command(flatten)]
    select: SelectArgs,

    #[command(flatten)]
    when: WhenArgs,

    #[command(flatten)]
    owner: OwnerArgs,

    /// Only what you own: an owner that is one of your `postmortem.me`
    /// values in git config (`git config --global postmortem.me LOGIN`;
    /// the key may repeat), your user.name or your user.email.
    #[arg(long)]
    mine: bool,

    /// Only safeguards (and actions) in this state (repeat for any of
    /// several); actions are `open`, `overdue`, `done` or `dropped`.
    #[arg(long = "state", value_name = "STATE", value_parser = PossibleValuesParser::new(states()))]
    states: Vec<String>,
}

/// Every safeguard state, then the action states safeguards lack.
fn states() -> Vec<&'static str> {
    let mut states: Vec<&'static str> = <SafeguardState as strum::VariantArray>::VARIANTS
        .iter()
        .map(|s| s.as_str())
        .collect();
    for action in status::ACTION_STATES {
        if !states.contains(&action) {
            states.push(action);
        }
    }
    states
}

pub(crate) fn run(ctx: &mut Ctx, args: &StatusArgs) -> Result<Outcome> {
    let verdicts = Verdicts::gather(ctx, args.history.branch.as_deref(), args.history.today)?;
    let judged = &verdicts.judged;
    let mut filter = args::filter(
        &args.select,
        Some(&args.when),
        &ctx.config.severities,
        judged.today,
    )?;
    if !args.owner.owners.is_empty() {
        filter.owners.push(args.owner.owners.clone());
    }
    if args.mine {
        filter.owners.push(ctx.me()?);
    }
    filter.states = args.states.clone();
    args::note_unnamed(&filter, &verdicts.loaded);
    let selected: HashSet<&str> = verdicts
        .loaded
        .iter()
        .filter(|l| filter.postmortem(&l.postmortem))
        .map(|l| l.id.as_str())
        .collect();
    let mut rows = verdicts.rows(ctx);
    rows.retain(|row| {
        selected.contains(row.reference.postmortem.as_str())
            && filter.owner(row.safeguard.owner.as_deref())
            && filter.state(row.state.as_str())
    });
    let actions = filter.by_owner().then(|| {
        let mut actions =
            status::action_rows(&verdicts.loaded, judged.today, ctx.config.safeguard_grace);
        actions.retain(|a| {
            selected.contains(a.postmortem) && filter.owner(a.owner) && filter.state(a.state)
        });
        actions
    });
    // Trailers are checked against every safeguard, selected or not.
    let values = judged.trailer_values();
    let dangling = status::dangling(&values, &known_references(&verdicts.loaded));
    if args.json {
        let mut document = judged.document(&rows, dangling);
        document.actions = actions;
        ctx.out.json(&document)?;
        return Ok(verdicts.outcome);
    }
    for d in &dangling {
        output::warn(super::dangling_message(ctx.repo(), d));
    }
    let mut lines: Vec<[String; 5]> = rows
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
    lines.extend(actions.iter().flatten().map(|a| {
        [
            a.reference.clone(),
            a.state.to_string(),
            a.owner.unwrap_or("-").to_string(),
            a.due.map_or_else(|| "-".into(), |d| d.to_string()),
            action_detail(a, judged.today),
        ]
    }));
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
    let actions_summary = actions
        .as_deref()
        .map_or_else(String::new, |a| format!("; {}", action_summary(a)));
    output::say(format_args!(
        "{}{actions_summary} on {} at {}",
        status::summary(&rows),
        branch.name,
        ctx.repo().short_oid(&branch.tip)
    ));
    Ok(verdicts.outcome)
}

/// `2 actions: 1 open, 1 overdue` (states with none left out).
fn action_summary(actions: &[status::ActionRow<'_>]) -> String {
    let n = actions.len();
    let parts: Vec<String> = status::ACTION_STATES
        .iter()
        .map(|s| (s, actions.iter().filter(|a| a.state == *s).count()))
        .filter(|(_, count)| *count > 0)
        .map(|(s, count)| format!("{count} {s}"))
        .collect();
    let head = format!("{n} action{}", plural(n));
    if parts.is_empty() {
        head
    } else {
        format!("{head}: {}", parts.join(", "))
    }
}

/// The last column for an action: what is left to do, or why it was
/// dropped.
fn action_detail(action: &status::ActionRow<'_>, today: NaiveDate) -> String {
    let days = |n: i64| format!("{n} day{}", plural(n.unsigned_abs() as usize));
    match action.state {
        "overdue" => format!("{} overdue", days(action.days_overdue)),
        "dropped" => action.reason.unwrap_or_default().to_string(),
        "open" => match action.due {
            None => "no due date".into(),
            Some(due) if due.0 == today => "due today".into(),
            Some(due) if due.0 > today => format!("due in {}", days((due.0 - today).num_days())),
            Some(_) => "in its grace period".into(),
        },
        _ => String::new(),
    }
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
