//! `sync`: a GitHub issue for every safeguard, numbers written back into
//! the postmortem files, issue states recorded for `status`.

use std::collections::BTreeMap;

use clap::Args;

use crate::app::sync::{self, Synced};
use crate::app::{Ctx, Outcome};
use crate::diagnostic::plural;
use crate::error::Result;
use crate::github::sync::{Done, Item, Op};
use crate::model::IssueState;
use crate::output::Output;

/// Open a GitHub issue for every safeguard that has none, and refresh the
/// state of those that do.
///
/// Idempotent and crash-safe: issues carry a hidden marker and are found
/// again by it, so a rerun never opens a duplicate. Needs GITHUB_TOKEN (or
/// GH_TOKEN); GITHUB_API_URL points it at GitHub Enterprise.
#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    /// Print what would be done; make no changes on GitHub or in files.
    #[arg(long)]
    dry_run: bool,

    /// Close (as completed) the issue of a safeguard that shipped.
    #[arg(long)]
    close_shipped: bool,
}

pub(crate) fn run(ctx: &mut Ctx, args: &SyncArgs) -> Result<Outcome> {
    let out = &ctx.out;
    sync::sync(
        ctx,
        args.dry_run,
        args.close_shipped,
        &mut |synced| match synced {
            Synced::DryRun { items, plan } => {
                for op in &plan.ops {
                    out.line(format_args!("would {}", describe(op, items)))?;
                }
                out.line(format_args!(
                    "dry run: {} change{} planned; nothing was changed on GitHub or in files",
                    plan.ops.len(),
                    plural(plan.ops.len())
                ))
            }
            Synced::Done {
                items,
                done,
                states,
            } => print_done(out, done, items, states),
        },
    )
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
    out: &Output,
    done: &Done,
    items: &[Item],
    states: &BTreeMap<u64, IssueState>,
) -> Result<()> {
    for (reference, number) in &done.created {
        out.line(format_args!("opened #{number} for {reference}"))?;
    }
    for (reference, number) in &done.linked {
        out.line(format_args!(
            "recorded #{number} for {reference} (found by its marker)"
        ))?;
    }
    let closed = states
        .values()
        .filter(|s| matches!(s, IssueState::Closed { .. }))
        .count();
    let with_issue = items.iter().filter(|i| i.issue.is_some()).count();
    out.line(format_args!(
        "{} safeguard{}: {} opened, {} recorded, {} already linked ({} open, {} closed issues){}{}",
        items.len(),
        plural(items.len()),
        done.created.len(),
        done.linked.len(),
        with_issue,
        states.len() - closed,
        closed,
        if done.commented > 0 {
            format!(
                ", {} shipped comment{}",
                done.commented,
                plural(done.commented)
            )
        } else {
            String::new()
        },
        if done.closed > 0 {
            format!(", {} closed", done.closed)
        } else {
            String::new()
        }
    ))?;
    out.flush()
}
