//! Judging safeguards: the branch's history, the issue states `sync`
//! recorded, and the day, handed to the pure [`crate::status`] decision.
//! `status`, `check`, `stats`, `digest` and `remind` all start here.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::clock::Clock;
use crate::error::Result;
use crate::github::state::IssueStates;
use crate::history::Repo;
use crate::model::{
    CommitId, CommitSeen, Date, IssueLinks, IssueState, Predates, Proof, SafeguardRef,
    ShipEvidence, Timestamp, Via,
};
use crate::source::Loaded;
use crate::status::{self, Dangling, Judge, Row, SafeguardJson, StatusDocument};

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
    /// Scan `branch` (or the default branch) back to the oldest incident
    /// of `loaded` and read the recorded issue states, judging as of
    /// `today` (or the clock's today).
    pub(crate) fn new(
        ctx: &Ctx,
        loaded: &[Loaded],
        branch: Option<&str>,
        today: Option<Date>,
    ) -> Result<Judged> {
        let history = ctx.history(branch, loaded)?;
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
        let evidence = |r: &SafeguardRef, issue: Option<u64>, occurred: &Timestamp| {
            let created = issue.and_then(|n| self.links.get(&n)?.created_at);
            let found = self.history.evidence(r, issue, occurred, created);
            let closed_by = issue.and_then(|n| self.closer_evidence(ctx.repo(), n, occurred));
            combine(found, closed_by)
        };
        let judge = Judge {
            evidence: &evidence,
            history_complete: self.history.complete(),
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
    /// needs, so `status` stays offline. Reverted on the branch, it proves
    /// the revert, as a shipping commit would; older than the incident
    /// (less the allowance), it proves nothing.
    fn closer_evidence(&self, repo: &Repo, number: u64, occurred: &Timestamp) -> Option<Proof> {
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
        let shipped = ShipEvidence {
            commit,
            at,
            subject,
            via,
            pull_request,
        };
        if shipped.at.unix_seconds() < super::not_before(occurred.unix_seconds()) {
            return Some(Proof::Predates {
                seen: shipped,
                what: Predates::Incident,
            });
        }
        Some(
            match self.history.scanned.index.revert_of(&shipped.commit) {
                Some(by) => Proof::Reverted { shipped, by },
                None => Proof::Shipped(shipped),
            },
        )
    }

    /// The `Postmortem-Safeguard` trailer values on the branch, once each,
    /// with the oldest commit that carries each.
    pub(crate) fn trailer_values(&self) -> Vec<(&str, CommitSeen)> {
        self.history.scanned.index.trailer_values()
    }

    /// The `status --json` document; `dangling` from
    /// [`status::dangling`] over [`Judged::trailer_values`].
    pub(crate) fn document<'a>(
        &'a self,
        rows: &'a [Row<'a>],
        dangling: Vec<Dangling<'a>>,
    ) -> StatusDocument<'a> {
        StatusDocument {
            today: self.today.format("%Y-%m-%d").to_string(),
            branch: &self.history.branch.name,
            tip: self.history.branch.tip.to_string(),
            history_complete: self.history.complete(),
            safeguards: rows.iter().map(SafeguardJson::of).collect(),
            dangling_trailers: dangling,
            actions: None,
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
        let judged = Judged::new(ctx, &loaded, branch, today)?;
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

/// Every safeguard's reference in `loaded`.
pub(crate) fn known_references(loaded: &[Loaded]) -> Vec<SafeguardRef> {
    loaded
        .iter()
        .flat_map(|l| {
            l.postmortem
                .safeguards
                .iter()
                .map(|s| SafeguardRef::new(&l.id, &s.id))
        })
        .collect()
}

/// What two proofs say together: the older shipping commit when either
/// ships it; else a revert; else why a commit does not count; else
/// nothing. On a tie, the history scan's (`a`).
fn combine(a: Option<Proof>, b: Option<Proof>) -> Option<Proof> {
    match (a, b) {
        (Some(Proof::Shipped(a)), Some(Proof::Shipped(b))) if b.at < a.at => {
            Some(Proof::Shipped(b))
        }
        (Some(Proof::Shipped(a)), _) => Some(Proof::Shipped(a)),
        (_, Some(Proof::Shipped(b))) => Some(Proof::Shipped(b)),
        (Some(a @ Proof::Reverted { .. }), _) => Some(a),
        (_, Some(b @ Proof::Reverted { .. })) => Some(b),
        (a, b) => a.or(b),
    }
}
