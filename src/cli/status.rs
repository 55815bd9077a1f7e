//! `status`: every safeguard with its state and the commit that shipped it.

use std::collections::HashMap;
use std::io::Write;

use chrono::NaiveDate;
use clap::Args;

use crate::app::{Ctx, History, Outcome};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::github::state::IssueStates;
use crate::history;
use crate::model::Date;
use crate::status::{self, Judge, Row, SafeguardJson, SafeguardState, StatusDocument};
use crate::store::Loaded;

/// Show every safeguard: shipped, pending, overdue, closed-unverified or
/// dropped, with the commit on the default branch that shipped it.
///
/// A safeguard ships with the oldest commit on the default branch whose
/// message ends with the trailer `Postmortem-Safeguard: <postmortem-id>/S<n>`
/// or closes its issue (`Fixes #123`).
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// One JSON document instead of lines.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    history: HistoryArgs,
}

/// Options shared by the commands that read history.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Branch "shipped" is measured against [default: `default_branch` from
    /// .postmortem.toml, else origin/HEAD, else main, else master].
    #[arg(long, value_name = "B")]
    pub branch: Option<String>,

    /// Judge deadlines as of this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE")]
    pub today: Option<Date>,
}

impl HistoryArgs {
    /// The clock the command runs with: `--today` at the current time of
    /// day, else the real (or `GIT_POSTMORTEM_NOW`) clock.
    pub fn clock(&self, clock: &Clock) -> Clock {
        match self.today {
            Some(day) => {
                let now = clock.now();
                let time = now.time();
                let pinned = day
                    .0
                    .and_time(time)
                    .and_local_timezone(*now.offset())
                    .single()
                    .unwrap_or(now);
                Clock::fixed(pinned)
            }
            None => *clock,
        }
    }
}

/// Everything `status`, `check` and `stats` need: postmortems that loaded,
/// the branch's history, and the day.
pub struct Judged {
    pub history: History,
    pub today: NaiveDate,
    /// Issue states by number, as the last `sync` recorded them.
    pub issues: HashMap<u64, status::IssueState>,
}

impl Judged {
    pub fn new(ctx: &Ctx, args: &HistoryArgs) -> Result<Judged> {
        let history = ctx.history(args.branch.as_deref())?;
        let recorded = IssueStates::load(ctx.repo().path(), history.github_repo.as_deref());
        Ok(Judged {
            history,
            today: args.clock(ctx.clock()).today(),
            issues: recorded
                .issues
                .iter()
                .map(|(number, state)| (*number, state.into()))
                .collect(),
        })
    }

    pub fn rows<'a>(&self, ctx: &Ctx, loaded: &'a [Loaded]) -> Vec<Row<'a>> {
        let judge = Judge {
            index: &self.history.scanned.index,
            github_repo: self.history.github_repo.as_deref(),
            today: self.today,
            grace: ctx.config.safeguard_grace,
            issues: &self.issues,
        };
        status::rows(loaded, &judge)
    }

    pub fn document<'a>(&'a self, rows: &'a [Row<'a>]) -> StatusDocument<'a> {
        StatusDocument {
            today: self.today.format("%Y-%m-%d").to_string(),
            branch: &self.history.branch.name,
            tip: self.history.branch.tip.to_string(),
            safeguards: rows.iter().map(SafeguardJson::of).collect(),
        }
    }
}

pub fn run(ctx: &mut Ctx, args: &StatusArgs) -> Result<Outcome> {
    let (loaded, failed) = ctx.store().load_all()?;
    let outcome = super::list::report_failures(&failed);
    let judged = Judged::new(ctx, &args.history)?;
    let rows = judged.rows(ctx, &loaded);
    let io = |e| Error::io("stdout", e);
    if args.json {
        serde_json::to_writer_pretty(&mut ctx.out, &judged.document(&rows))
            .map_err(|e| Error::io("stdout", e.into()))?;
        writeln!(ctx.out).map_err(io)?;
        return Ok(outcome);
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
                detail(ctx, row, judged.today),
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
        writeln!(ctx.out, "{}", line.trim_end()).map_err(io)?;
    }
    let branch = &judged.history.branch;
    eprintln!(
        "{} on {} at {}",
        status::summary(&rows),
        branch.name,
        history::short_oid(ctx.repo(), branch.tip)
    );
    Ok(outcome)
}

/// The last column: the shipping commit, or what is left to do.
fn detail(ctx: &Ctx, row: &Row<'_>, today: NaiveDate) -> String {
    let days = |n: i64| {
        format!(
            "{n} day{}",
            crate::diagnostic::plural(n.unsigned_abs() as usize)
        )
    };
    match row.state {
        SafeguardState::Shipped => match &row.evidence {
            Some(e) => format!(
                "{} {} {}",
                history::short_oid(ctx.repo(), e.commit),
                history::format_git_time(e.time, e.offset_minutes)
                    .get(..10)
                    .unwrap_or(""),
                e.subject
            ),
            None => String::new(),
        },
        SafeguardState::Overdue => format!("{} overdue", days(row.days_overdue)),
        SafeguardState::ClosedUnverified => format!(
            "issue #{} closed, but no commit on the branch ships it",
            row.safeguard.issue.unwrap_or(0)
        ),
        SafeguardState::Dropped => row.safeguard.reason.clone().unwrap_or_default(),
        SafeguardState::Pending => match row.safeguard.due {
            None => "no due date".into(),
            Some(due) if due.0 == today => "due today".into(),
            Some(due) if due.0 > today => format!("due in {}", days((due.0 - today).num_days())),
            Some(_) => "in its grace period".into(),
        },
    }
}
