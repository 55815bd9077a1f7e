//! `hook install` and `hook check-message` (hidden): a `commit-msg` hook
//! that rejects a `Postmortem-Safeguard` trailer naming no safeguard.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::app::hook::{self, Installed};
use crate::app::{Ctx, Outcome, Workspace};
use crate::error::Result;
use crate::output::{self, Output};

#[derive(Debug, Subcommand)]
pub(crate) enum HookCommand {
    Install(InstallArgs),
    #[command(hide = true)]
    CheckMessage(CheckMessageArgs),
}

/// Install a commit-msg hook that rejects a mistyped Postmortem-Safeguard trailer.
///
/// The hook goes where git runs hooks from (`core.hooksPath`, else
/// `.git/hooks/`, shared by every worktree). A commit whose
/// `Postmortem-Safeguard` trailer names no safeguard is refused, with the
/// closest reference as "did you mean". An existing commit-msg hook this
/// command did not write is kept unless `--force` is given (exit 2).
#[derive(Debug, Args)]
pub(crate) struct InstallArgs {
    /// Replace a commit-msg hook that git-postmortem did not write.
    #[arg(long)]
    force: bool,
}

/// Check a commit message file (what the installed hook runs).
///
/// Exit 1 when a `Postmortem-Safeguard` trailer names no safeguard of the
/// postmortems in the work tree, 0 otherwise.
#[derive(Debug, Args)]
pub(crate) struct CheckMessageArgs {
    /// The commit message file git hands the hook.
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

pub(crate) fn install(ws: &Workspace, args: &InstallArgs, out: &Output) -> Result<Outcome> {
    let (path, installed) = hook::install(ws, args.force)?;
    let what = match installed {
        Installed::Created => "installed",
        Installed::Updated => "updated",
        Installed::ReplacedForeign => "replaced the existing hook with",
    };
    out.line(format_args!(
        "{what} the commit-msg hook: {}",
        ws.path_for_user(&path)
    ))?;
    Ok(Outcome::Ok)
}

pub(crate) fn check_message(ctx: &mut Ctx, args: &CheckMessageArgs) -> Result<Outcome> {
    let (unknown, failed) = hook::check_message(ctx, &args.file)?;
    for error in &failed {
        output::warn(error);
    }
    for found in &unknown {
        let suggestion = found
            .closest
            .as_ref()
            .map(|c| format!(" (did you mean {c}?)"))
            .unwrap_or_default();
        output::error_message(format_args!(
            "commit message: Postmortem-Safeguard: {} names no safeguard{suggestion}",
            found.value
        ));
    }
    if unknown.is_empty() {
        Ok(Outcome::Ok)
    } else {
        output::hint(
            "fix the trailer and commit again; `git postmortem status` lists every safeguard",
        );
        Ok(Outcome::Findings)
    }
}
