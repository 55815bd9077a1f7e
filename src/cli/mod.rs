//! The command line: clap types and one module per subcommand. Each
//! subcommand module has its `XxxArgs`, one call into [`crate::app`], and
//! the formatting of what it returns; no command module imports another
//! (what they share is here and in [`args`]). Clap types stay in this
//! module tree.

mod action;
mod args;
mod check;
mod completions;
mod digest;
mod factor;
mod hook;
mod init;
mod lint;
mod list;
mod man;
mod new;
mod remind;
mod requirement;
mod review;
mod safeguard;
mod schemas;
mod show;
mod site;
mod stats;
mod status;
mod sync;
mod timeline;
mod update;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::app::edit::StatusChanged;
use crate::app::{Ctx, Outcome, Workspace};
use crate::error::{Error, Result};
use crate::output::Output;

const EXAMPLES: &str = "\
Examples:
  git postmortem init
  git postmortem new \"Checkout returned HTTP 500\" --commit HEAD~2 --severity sev2
  git postmortem list --status draft
  git postmortem show 2026-11-24-checkout
  git postmortem lint
  git postmortem status --json
  git postmortem check --format github
  git postmortem stats
  git postmortem digest --since 7d
  git postmortem site --out postmortem-site
  git postmortem safeguard add 2026-11-24-checkout --title \"Fail deploy on missing env var\" \\
      --owner dana --due 2026-12-15 --kind automation
  git postmortem timeline add 2026-11-24-checkout \"Rollback to v1.4.1 starts\" --at 14:31
  git postmortem action add 2026-11-24-checkout --title \"Refund failed orders\" --owner dana
  git postmortem update 2026-11-24-checkout A1 \"Refunds 60% done\"
  git postmortem action done 2026-11-24-checkout A1
  git postmortem safeguard drop 2026-11-24-checkout S2 --reason \"Replaced by S3\"
  git postmortem review --base main
  git postmortem hook install";

/// Blameless, accountable postmortems kept as TOML in your repository.
///
/// Postmortems live in `postmortems/` as one TOML file each, reviewed in pull
/// requests like code. They link to the commits that caused the incident and
/// list the safeguards the team commits to.
#[derive(Debug, Parser)]
#[command(
    name = "git-postmortem",
    bin_name = "git postmortem",
    version,
    after_help = EXAMPLES,
    max_term_width = 100
)]
pub struct Cli {
    /// Run as if started in DIR instead of the current directory.
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub(crate) directory: Option<PathBuf>,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    Init(init::InitArgs),
    New(new::NewArgs),
    List(list::ListArgs),
    Show(show::ShowArgs),
    Lint(lint::LintArgs),
    /// Add a safeguard, or drop one on purpose.
    #[command(subcommand)]
    Safeguard(safeguard::SafeguardCommand),
    Status(status::StatusArgs),
    Check(check::CheckArgs),
    Stats(stats::StatsArgs),
    Sync(sync::SyncArgs),
    Remind(remind::RemindArgs),
    /// Add an action to the plan, mark one done, or drop it on purpose.
    #[command(subcommand)]
    Action(action::ActionCommand),
    /// Record what happened, in time order, as it happens.
    #[command(subcommand)]
    Timeline(timeline::TimelineCommand),
    /// Record what a stakeholder asked for.
    #[command(subcommand)]
    Requirement(requirement::RequirementCommand),
    /// Record a contributing factor: why a decision made sense at the time.
    #[command(subcommand)]
    Factor(factor::FactorCommand),
    Update(update::UpdateArgs),
    Review(review::ReviewArgs),
    Digest(digest::DigestArgs),
    Site(site::SiteArgs),
    /// Catch a mistyped Postmortem-Safeguard trailer at commit time.
    #[command(subcommand)]
    Hook(hook::HookCommand),
    Completions(completions::CompletionsArgs),
    #[command(hide = true)]
    GenerateMan(man::GenerateManArgs),
    #[command(hide = true)]
    GenerateSchemas(schemas::GenerateSchemasArgs),
}

/// Run the parsed command line.
pub fn run(cli: Cli, out: Output) -> Result<Outcome> {
    let cwd = match &cli.directory {
        Some(dir) => std::env::current_dir()
            .map_err(|e| Error::io(".", e))?
            .join(dir),
        None => std::env::current_dir().map_err(|e| Error::io(".", e))?,
    };
    // What needs no configuration runs without one.
    let outcome = match &cli.command {
        Command::Completions(args) => completions::run(args, &out)?,
        Command::GenerateMan(args) => man::run(args, &out)?,
        Command::GenerateSchemas(args) => schemas::run(args, &out)?,
        Command::Init(args) => init::run(&Workspace::open(&cwd)?, args, &out)?,
        Command::Hook(hook::HookCommand::Install(args)) => {
            hook::install(&Workspace::open(&cwd)?, args, &out)?
        }
        command => return run_in_repository(&cwd, command, out),
    };
    out.flush()?;
    Ok(outcome)
}

/// Run a command that reads the repository's configuration.
fn run_in_repository(cwd: &std::path::Path, command: &Command, out: Output) -> Result<Outcome> {
    let mut ctx = Ctx::open(cwd, out)?;
    let outcome = match command {
        Command::New(args) => new::run(&mut ctx, args),
        Command::List(args) => list::run(&mut ctx, args),
        Command::Show(args) => show::run(&mut ctx, args),
        Command::Lint(args) => lint::run(&mut ctx, args),
        Command::Safeguard(cmd) => safeguard::run(&mut ctx, cmd),
        Command::Status(args) => status::run(&mut ctx, args),
        Command::Check(args) => check::run(&mut ctx, args),
        Command::Stats(args) => stats::run(&mut ctx, args),
        Command::Sync(args) => sync::run(&mut ctx, args),
        Command::Remind(args) => remind::run(&mut ctx, args),
        Command::Action(cmd) => action::run(&mut ctx, cmd),
        Command::Timeline(cmd) => timeline::run(&mut ctx, cmd),
        Command::Requirement(cmd) => requirement::run(&mut ctx, cmd),
        Command::Factor(cmd) => factor::run(&mut ctx, cmd),
        Command::Update(args) => update::run(&mut ctx, args),
        Command::Review(args) => review::run(&mut ctx, args),
        Command::Digest(args) => digest::run(&mut ctx, args),
        Command::Site(args) => site::run(&mut ctx, args),
        Command::Hook(hook::HookCommand::CheckMessage(args)) => hook::check_message(&mut ctx, args),
        Command::Init(_)
        | Command::Hook(hook::HookCommand::Install(_))
        | Command::Completions(_)
        | Command::GenerateMan(_)
        | Command::GenerateSchemas(_) => {
            unreachable!("run handles the commands that need no configuration")
        }
    }?;
    ctx.out.flush()?;
    Ok(outcome)
}

/// `Postmortem-Safeguard: x in 1a2b3c4 names no safeguard (did you mean …?)`.
fn dangling_message(repo: &crate::history::Repo, d: &crate::status::Dangling<'_>) -> String {
    let hint = d
        .did_you_mean
        .as_ref()
        .map_or_else(String::new, |r| format!(" (did you mean {r}?)"));
    format!(
        "the trailer `Postmortem-Safeguard: {}` in {} names no safeguard{hint}",
        d.value,
        repo.short_oid(d.commit)
    )
}

/// `A1 (title) in path: open → done`, or that nothing changed.
fn print_status_change(ctx: &mut Ctx, changed: &StatusChanged) -> Result<Outcome> {
    let StatusChanged {
        item, title, path, ..
    } = changed;
    if changed.said.is_empty() {
        ctx.out.line(format_args!(
            "{item} ({title}) is already {}; nothing changed",
            changed.to
        ))?;
    } else {
        ctx.out.line(format_args!(
            "{item} ({title}) in {path}: {}",
            changed.said.join("; ")
        ))?;
    }
    Ok(Outcome::Ok)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
