//! Judging safeguards: the branch's history, the issue states `sync`
//! recorded, and the day, handed to the pure [`crate::status`] decision.
//! `status`, `check`, `stats`, `digest` and `remind` all start here.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::clock::Clock;
use crate::error::Result;
use crate::github::state::IssueStates;
use crate::history::Repo;
use crate::model::{CommitId, Date, IssueLinks, IssueState, SafeguardRef, ShipEvidence, Via};
use crate::source::Loaded;
use crate::status::{self, Judge, Row, SafeguardJson, StatusDocument};

use super::{Ctx, History};

/// The clock a command runs with: `today` at the current time of day, else
/// the real (or `GIT_POSTMORTEM_NOW`) clock.
pub(crate) fn pinned_clock(clock: &Clock, today: Option<Date>) -> Clock {
    match today {
        Some(day) => {
            let now = clock.now();
            let pinned = day
                .0
                .and_time(now.time())
                .and_local_timezone(*now.offset())
                .single()
                .unwrap_or(now);
            Clock::fixed(pinned)
        }
        None => *clock,
    }
}

/// Everything the safeguard verdicts need: the branch's history, the day,
/// and the issue states the last `sync` recorded.
pub(crate) struct Judged {
    pub(crate) history: History,
    pub(crate) today: NaiveDate,
    /// Issue states by number, as the last `sync` recorded them.
    pub(crate) issues: HashMap<u64, IssueState>,
    /// What closed each issue and which open pull requests will, as the
    /// last `sync` recorded it.
    pub(crate) links: HashMap<u64, IssueLinks>,
}

impl Judged {
    /// Scan `branch` (or the default branch) and read the recorded issue
    /// states, judging as of `today` (or the clock's today).
    pub(crate) fn new(ctx: &Ctx, branch: Option<&str>, today: Option<Date>) -> Result<Judged> {
        let history = ctx.history(branch)?;
        let recorded = IssueStates::load(ctx.repo().git_dir(), history.github_repo.as_deref());
        Ok(Judged {
            history,
            today: pinned_clock(ctx.clock(), today).today(),
            issues: recorded.issues.into_iter().collect(),
            links: recorded.links.into_iter().collect(),
        })
    }

    /// Every safeguard of `loaded` with its state.
    pub(crate) fn rows<'a>(&self, ctx: &Ctx, loaded: &'a [Loaded]) -> Vec<Row<'a>> {
        let evidence = |r: &SafeguardRef, issue: Option<u64>| {
            let found = self.history.evidence(r, issue);
            let closed_by = issue.and_then(|n| self.closer_evidence(ctx.repo(), n));
            oldest(found, closed_by)
        };
        let judge = Judge {
            evidence: &evidence,
            today: self.today,
            grace: ctx.config.safeguard_grace,
            issues: &self.issues,
            links: &self.links,
        };
        status::rows(loaded, &judge)
    }

    /// The commit GitHub says closed issue `number` (a pull request's merge
    /// commit, or a commit), when the issue is recorded closed and that
    /// commit is in the branch's history here: the same proof a trailer
    /// needs, so `status` stays offline.
    fn closer_evidence(&self, repo: &Repo, number: u64) -> Option<ShipEvidence> {
        if !self.issues.get(&number)?.is_closed() {
            return None;
        }
        let closer = self.links.get(&number)?.closer.as_ref()?;
        let commit = CommitId::from_hex(closer.commit()?)?;
        let (at, subject) = repo.reachable_commit(&self.history.branch.tip, &commit)?;
        let (via, pull_request) = match closer {
            crate::model::Closer::PullRequest { number, .. } => (Via::PullRequest, Some(*number)),
            crate::model::Closer::Commit { .. } => (Via::ClosingRef, None),
        };
        Some(ShipEvidence {
            commit,
            at,
            subject,
            via,
            pull_request,
        })
    }

    /// The `status --json` document.
    pub(crate) fn document<'a>(&'a self, rows: &'a [Row<'a>]) -> StatusDocument<'a> {
        StatusDocument {
            today: self.today.format("%Y-%m-%d").to_string(),
            branch: &self.history.branch.name,
            tip: self.history.branch.tip.to_string(),
            safeguards: rows.iter().map(SafeguardJson::of).collect(),
        }
    }
}

/// Postmortems that loaded, judged: what `status`, `stats`, `digest` and
/// `remind` start from. Files that failed to load are reported on stderr.
pub(crate) struct Verdicts {
    pub(crate) loaded: Vec<Loaded>,
    pub(crate) judged: Judged,
    pub(crate) outcome: super::Outcome,
}

impl Verdicts {
    pub(crate) fn gather(ctx: &Ctx, branch: Option<&str>, today: Option<Date>) -> Result<Verdicts> {
        let (loaded, failed) = ctx.store().load_all()?;
        let outcome = super::report_failures(&failed);
        let judged = Judged::new(ctx, branch, today)?;
        Ok(Verdicts {
            loaded,
            judged,
            outcome,
        })
    }

    pub(crate) fn rows(&self, ctx: &Ctx) -> Vec<Row<'_>> {
        self.judged.rows(ctx, &self.loaded)
    }
}

/// The older of two pieces of evidence; on a tie, the one from the
/// history scan (`a`).
fn oldest(a: Option<ShipEvidence>, b: Option<ShipEvidence>) -> Option<ShipEvidence> {
    match (a, b) {
        (Some(a), Some(b)) if b.at < a.at => Some(b),
        (Some(a), _) => Some(a),
        (None, b) => b,
    }
}
