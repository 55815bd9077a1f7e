//! `sync`: a GitHub issue for every safeguard, numbers written back into
//! the postmortem files, issue states recorded for `status`. This use case
//! assembles the items (bodies rendered, shipping commits from history),
//! then hands them to [`crate::github::sync`]'s gather, plan and execute.
//! Last, it reads through GraphQL what closed each recorded issue and which
//! open pull requests will ([`crate::github::graphql`]), for `status`.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::github::api::GitHubApi;
use crate::github::graphql::{self, LinksRead};
use crate::github::marker::issue_marker;
use crate::github::settings::RepoSlug;
use crate::github::state::IssueStates;
use crate::github::sync::{self, Done, Item, Options, Plan, Shipped, StopReason};
use crate::model::{IssueLinks, IssueState, Proof, SafeguardRef, SafeguardStatus, Timestamp};
use crate::output;
use crate::render::{Markup, ISSUE};
use crate::store::edit;

use super::github::{GitHubHints, Session};
use super::{Ctx, Outcome};

const SYNC_HINTS: GitHubHints = GitHubHints {
    permission: "`issues: write`",
    refused: "the token lacks permission: it needs `issues: write` on the repository",
    not_found: "check the repository name ([github] repo, GITHUB_REPOSITORY or origin) and that the token can see it",
    again: "run `git postmortem sync` again: it finds issues it already opened by their marker, so nothing is duplicated",
};

#[derive(Serialize)]
struct IssueView<'a> {
    id: &'a str,
    reference: String,
    postmortem_title: &'a str,
    severity: &'a str,
    owner: Option<&'a str>,
    due: Option<String>,
    kind: Option<&'static str>,
    file_url: String,
    marker: Markup,
}

/// What `sync` planned or did, for the command to print.
pub(crate) enum Synced {
    DryRun {
        items: Vec<Item>,
        plan: Plan,
    },
    Done {
        items: Vec<Item>,
        done: Done,
        states: BTreeMap<u64, IssueState>,
    },
}

/// Gather, plan and (unless `dry_run`) execute. The outcome says whether
/// some postmortem failed to load. A GitHub failure part way is returned
/// after what was done is recorded, with `Synced` printed first by the
/// caller through `on_done`.
pub(crate) fn sync(
    ctx: &Ctx,
    dry_run: bool,
    close_shipped: bool,
    on_done: &mut dyn FnMut(&Synced) -> Result<()>,
) -> Result<Outcome> {
    let session = Session::open(ctx, "sync", &SYNC_HINTS)?;
    let settings = &session.settings;
    let store = ctx.store();
    let (loaded, failed) = store.load_all()?;
    let outcome = super::report_failures(&failed);

    // What shipped, from the default branch's history (cached), so open
    // issues of shipped safeguards get their comment.
    let history = match ctx.history(None, &loaded) {
        Ok(history) => Some(history),
        Err(e) => {
            output::warn(format_args!(
                "{e}; shipped safeguards are not reported on their issues"
            ));
            None
        }
    };
    // History resolves the repository as the settings do, so closing
    // references are read against `settings.repo`.
    // Issue creation times, as the last sync recorded them.
    let recorded = IssueStates::load(ctx.repo().git_dir(), Some(&settings.repo.to_string()));
    let shipped = |reference: &SafeguardRef, issue: Option<u64>, occurred: &Timestamp| {
        let created = issue.and_then(|n| recorded.links.get(&n)?.created_at);
        let Proof::Shipped(evidence) = history
            .as_ref()?
            .evidence(reference, issue, occurred, created)?
        else {
            return None;
        };
        Some(Shipped {
            commit: evidence.commit.to_string(),
            subject: evidence.subject,
        })
    };

    // Links in issue bodies point at the file on the default branch;
    // `HEAD` in a blob URL is GitHub's name for it.
    let branch = ctx.config.default_branch.as_deref().unwrap_or("HEAD");
    let mut items = Vec::new();
    for l in &loaded {
        for s in &l.postmortem.safeguards {
            let reference = SafeguardRef::new(&l.id, &s.id);
            let view = IssueView {
                id: &s.id,
                reference: reference.to_string(),
                postmortem_title: &l.postmortem.title,
                severity: &l.postmortem.severity,
                owner: s.owner.as_deref(),
                due: s.due.map(|d| d.to_string()),
                kind: s.kind.map(|k| k.as_str()),
                file_url: format!(
                    "{}/{}/blob/{branch}/{}",
                    settings.web_url, settings.repo, l.source.path
                ),
                marker: Markup(issue_marker(&reference)),
            };
            items.push(Item {
                body: ctx.templates.render(ISSUE, &view)?,
                shipped: shipped(&reference, s.issue, &l.postmortem.occurred_at),
                reference,
                title: s.title.clone(),
                owner: s.owner.clone(),
                issue: s.issue,
                dropped: s.status == SafeguardStatus::Dropped,
            });
        }
    }

    if !dry_run {
        // Issue numbers are written back into files that lack them: refuse
        // before GitHub is touched when one of those cannot be written.
        for l in &loaded {
            let lacks_issue = |s: &crate::model::Safeguard| {
                s.issue.is_none() && s.status != SafeguardStatus::Dropped
            };
            if l.postmortem.safeguards.iter().any(lacks_issue) {
                store.writable_file(&l.id)?;
            }
        }
    }

    let options = Options {
        labels: ctx.config.github.labels.clone(),
        close_shipped,
    };
    let client = &session.client;
    let remote = session
        .block_on(sync::gather(client, &items, &options))
        .map_err(|e| session.error(e))?;
    let plan = sync::plan(&items, &remote, &options);
    for (reference, number) in &remote.foreign {
        output::warn(format_args!(
            "#{number} carries the marker of {reference} but was not opened by the token's account, so it is not taken for that safeguard's issue"
        ));
    }
    for (index, number) in &plan.missing {
        output::warn(format_args!(
            "{} records issue #{number}, which {} does not have",
            items[*index].reference, settings.repo
        ));
    }
    if dry_run {
        on_done(&Synced::DryRun { items, plan })?;
        return Ok(outcome);
    }

    let mut record = |item: &Item, number: u64| -> Result<()> {
        let reference = &item.reference;
        store.edit(&reference.postmortem, |text| {
            edit::set_field(
                text,
                "safeguards",
                &reference.id,
                "issue",
                (number as i64).into(),
            )
        })
    };
    let result = session.block_on(sync::execute(
        client,
        &items,
        &plan,
        &options,
        client.backoff(),
        &mut record,
    ));
    let mut states = plan.states.clone();
    let (done, failure) = match result {
        Ok(done) => (done, None),
        Err(stopped) => (stopped.done, Some(stopped.error)),
    };
    for (_, number) in done.created.iter().chain(&done.linked) {
        states.entry(*number).or_insert(IssueState::Open);
    }
    let previous = recorded;
    let mut links: BTreeMap<u64, IssueLinks> = previous
        .links
        .into_iter()
        .filter(|(n, _)| states.contains_key(n))
        .collect();
    if failure.is_none() {
        // Issues opened just now have nothing linked to them yet.
        let created: HashSet<u64> = done.created.iter().map(|(_, n)| *n).collect();
        let numbers: Vec<u64> = states
            .keys()
            .copied()
            .filter(|n| !created.contains(n))
            .collect();
        let read = session.block_on(read_links(client, &settings.repo, &numbers));
        read_into(&mut links, &numbers, read);
    }
    IssueStates::new(settings.repo.to_string(), states.clone(), links)
        .save(ctx.repo().git_dir())
        .map_err(|e| Error::io(".git/postmortem/issues.json", e))?;
    on_done(&Synced::Done {
        items,
        done,
        states,
    })?;
    session.debug_counts();
    match failure {
        None => Ok(outcome),
        Some(StopReason::GitHub(e)) => Err(session.error(e)),
        Some(StopReason::WriteBack(e)) => Err(e),
    }
}

/// What closed each of `numbers` and which open pull requests will, from
/// GitHub's GraphQL API; nothing to ask when there are no issues.
async fn read_links(api: &impl GitHubApi, repo: &RepoSlug, numbers: &[u64]) -> LinksRead {
    if numbers.is_empty() {
        return Ok(BTreeMap::new());
    }
    graphql::issue_links(api, repo, numbers).await
}

/// Replace the recorded links of the issues that were read. A failed read
/// is a warning: the issues it did not reach keep what the last sync
/// recorded, and nothing else `sync` did is lost.
fn read_into(links: &mut BTreeMap<u64, IssueLinks>, numbers: &[u64], read: LinksRead) {
    match read {
        Ok(read) => {
            for n in numbers {
                links.remove(n);
            }
            links.extend(read);
        }
        Err((read, e)) => {
            output::warn(format_args!(
                "could not read which pull requests close the issues ({e}); keeping what the last sync recorded"
            ));
            links.extend(read);
        }
    }
}
