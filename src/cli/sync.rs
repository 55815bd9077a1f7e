//! `sync`: a GitHub issue for every safeguard, numbers written back into
//! the postmortem files, issue states recorded for `status`.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use crate::app::{Ctx, Outcome};
use crate::error::{Error, Result};
use crate::github::marker::issue_marker;
use crate::github::state::IssueStates;
use crate::github::sync::{self, Done, Item, Op, Options, Shipped, StopReason};
use crate::github::IssueState;
use crate::history::scan::SafeguardRef;
use crate::model::SafeguardStatus;
use crate::render::{self, ISSUE};
use crate::store::{edit, Store};

use super::session::{GitHubHints, Session};

const SYNC_HINTS: GitHubHints = GitHubHints {
    permission: "`issues: write`",
    refused: "the token lacks permission: it needs `issues: write` on the repository",
    not_found: "check the repository name ([github] repo, GITHUB_REPOSITORY or origin) and that the token can see it",
    again: "run `git postmortem sync` again: it finds issues it already opened by their marker, so nothing is duplicated",
};

/// Open a GitHub issue for every safeguard that has none, and refresh the
/// state of those that do.
///
/// Idempotent and crash-safe: issues carry a hidden marker and are found
/// again by it, so a rerun never opens a duplicate. Needs GITHUB_TOKEN (or
/// GH_TOKEN); GITHUB_API_URL points it at GitHub Enterprise.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Print what would be done; make no changes on GitHub or in files.
    #[arg(long)]
    dry_run: bool,

    /// Close (as completed) the issue of a safeguard that shipped.
    #[arg(long)]
    close_shipped: bool,
}

#[derive(Serialize)]
struct IssueView<'a> {
    id: &'a str,
    reference: &'a str,
    postmortem_title: &'a str,
    severity: &'a str,
    owner: Option<&'a str>,
    due: Option<String>,
    kind: Option<String>,
    file_url: String,
    marker: String,
}

pub fn run(ctx: &mut Ctx, args: &SyncArgs) -> Result<Outcome> {
    let session = Session::open(ctx, "sync", &SYNC_HINTS)?;
    let settings = &session.settings;
    let store = Store::new(&ctx.ws.root, &ctx.config);
    let (loaded, failed) = store.load_all()?;
    let outcome = super::list::report_failures(&failed);

    // What shipped, from the default branch's history (cached), so open
    // issues of shipped safeguards get their comment.
    let history = match ctx.history(None) {
        Ok(history) => Some(history),
        Err(e) => {
            eprintln!("warning: {e}; shipped safeguards are not reported on their issues");
            None
        }
    };
    let repo_slug = settings.repo.to_string();
    let shipped = |pm: &str, sid: &str, issue: Option<u64>| {
        let history = history.as_ref()?;
        let evidence =
            history
                .scanned
                .index
                .evidence(&SafeguardRef::new(pm, sid), issue, Some(&repo_slug))?;
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
            let reference = format!("{}/{}", l.id, s.id);
            let view = IssueView {
                id: &s.id,
                reference: &reference,
                postmortem_title: &l.postmortem.title,
                severity: &l.postmortem.severity,
                owner: s.owner.as_deref(),
                due: s.due.map(|d| d.to_string()),
                kind: s
                    .kind
                    .and_then(|k| serde_json::to_value(k).ok())
                    .and_then(|v| v.as_str().map(String::from)),
                file_url: format!(
                    "{}/{}/blob/{branch}/{}",
                    settings.web_url, settings.repo, l.source.path
                ),
                marker: issue_marker(&reference),
            };
            items.push(Item {
                body: render::render(Some(ctx.root()), ISSUE, &view)?,
                reference,
                title: s.title.clone(),
                owner: s.owner.clone(),
                due: s.due,
                issue: s.issue,
                dropped: s.status == SafeguardStatus::Dropped,
                shipped: shipped(&l.id, &s.id, s.issue),
            });
        }
    }
    let options = Options {
        labels: ctx.config.github.labels.clone(),
        close_shipped: args.close_shipped,
    };

    let client = &session.client;
    let remote = session
        .block_on(sync::gather(client, &items, &options))
        .map_err(|e| session.error(e))?;
    let plan = sync::plan(&items, &remote, &options);

    for (index, number) in &plan.missing {
        eprintln!(
            "warning: {} records issue #{number}, which {} does not have",
            items[*index].reference, settings.repo
        );
    }
    let io = |e| Error::io("stdout", e);
    if args.dry_run {
        for op in &plan.ops {
            writeln!(ctx.out, "would {}", describe(op, &items)).map_err(io)?;
        }
        writeln!(
            ctx.out,
            "dry run: {} change{} planned; nothing was changed on GitHub or in files",
            plan.ops.len(),
            crate::diagnostic::plural(plan.ops.len())
        )
        .map_err(io)?;
        return Ok(outcome);
    }

    let mut record = |item: &Item, number: u64| -> Result<()> {
        let (pm, sid) = item
            .reference
            .split_once('/')
            .expect("references are pm/S<n>");
        store.edit(pm, |text| {
            edit::set_field(text, "safeguards", sid, "issue", (number as i64).into())
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
    let done = match &result {
        Ok(done) => done,
        Err(stopped) => &stopped.done,
    };
    for (_, number) in done.created.iter().chain(&done.linked) {
        states.entry(*number).or_insert(IssueState::Open);
    }
    IssueStates::new(settings.repo.to_string(), states.clone())
        .save(ctx.repo().path())
        .map_err(|e| Error::io(".git/postmortem/issues.json", e))?;
    print_done(ctx, done, &items, &states).map_err(io)?;
    session.debug_counts();
    match result {
        Ok(_) => {}
        Err(stopped) => {
            return Err(match stopped.error {
                StopReason::GitHub(e) => session.error(e),
                StopReason::WriteBack(e) => e,
            })
        }
    }
    Ok(outcome)
}

fn describe(op: &Op, items: &[Item]) -> String {
    match op {
        Op::CreateLabel(name) => format!("create label `{name}`"),
        Op::Create { item, issue } => format!(
            "open an issue for {}: {}{}",
            items[*item].reference,
            issue.title,
            if issue.assignees.is_empty() {
                String::new()
            } else {
                format!(" (assigned to {})", issue.assignees.join(", "))
            }
        ),
        Op::Link { item, number } => format!(
            "record #{number} for {} (found by its marker)",
            items[*item].reference
        ),
        Op::CommentShipped { item, number, .. } => format!(
            "comment on #{number} that {} shipped",
            items[*item].reference
        ),
        Op::Close { item, number } => format!(
            "close #{number} as completed: {} shipped",
            items[*item].reference
        ),
    }
}

fn print_done(
    ctx: &mut Ctx,
    done: &Done,
    items: &[Item],
    states: &std::collections::BTreeMap<u64, IssueState>,
) -> std::io::Result<()> {
    for (reference, number) in &done.created {
        writeln!(ctx.out, "opened #{number} for {reference}")?;
    }
    for (reference, number) in &done.linked {
        writeln!(
            ctx.out,
            "recorded #{number} for {reference} (found by its marker)"
        )?;
    }
    let closed = states
        .values()
        .filter(|s| matches!(s, IssueState::Closed { .. }))
        .count();
    let with_issue = items.iter().filter(|i| i.issue.is_some()).count();
    writeln!(
        ctx.out,
        "{} safeguard{}: {} opened, {} recorded, {} already linked ({} open, {} closed issues){}{}",
        items.len(),
        crate::diagnostic::plural(items.len()),
        done.created.len(),
        done.linked.len(),
        with_issue,
        states.len() - closed,
        closed,
        if done.commented > 0 {
            format!(
                ", {} shipped comment{}",
                done.commented,
                crate::diagnostic::plural(done.commented)
            )
        } else {
            String::new()
        },
        if done.closed > 0 {
            format!(", {} closed", done.closed)
        } else {
            String::new()
        }
    )?;
    ctx.out.flush()
}
