//! The context every command runs in: the repository and its work tree,
//! the configuration, the clock and the output stream. Commands receive a
//! [`Ctx`] and return an [`Outcome`]; the binary maps both to exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};

use git2::Repository;

use crate::clock::Clock;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::history::{self, cache, Branch};
use crate::store::Store;

/// What a command found, as opposed to what went wrong running it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Ok,
    /// Exit 1: `lint` or `check` found errors.
    Findings,
    /// Exit 2: some input was bad, and has been reported on stderr, but the
    /// command did what it could with the rest.
    BadInput,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Ok => 0,
            Outcome::Findings => 1,
            Outcome::BadInput => 2,
        }
    }

    /// The worse of two outcomes.
    pub fn and(self, other: Outcome) -> Outcome {
        if other.exit_code() > self.exit_code() {
            other
        } else {
            self
        }
    }
}

/// A git work tree, before any configuration is read (what `init` needs).
pub struct Workspace {
    pub cwd: PathBuf,
    pub root: PathBuf,
    pub repo: Repository,
    pub clock: Clock,
}

impl Workspace {
    pub fn open(cwd: &Path) -> Result<Workspace> {
        let (repo, root) = history::open(cwd)?;
        Ok(Workspace {
            cwd: cwd.to_path_buf(),
            root,
            repo,
            clock: Clock::from_env()?,
        })
    }

    /// A path for the user to read: relative to where they are when it is
    /// below that, else as given.
    pub fn path_for_user(&self, path: &Path) -> String {
        let cwd = self.cwd.canonicalize().unwrap_or_else(|_| self.cwd.clone());
        let shown = path
            .canonicalize()
            .ok()
            .and_then(|p| p.strip_prefix(&cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| path.to_path_buf());
        shown.to_string_lossy().into_owned()
    }
}

pub struct Ctx {
    pub ws: Workspace,
    pub config: Config,
    pub out: Box<dyn Write>,
}

impl Ctx {
    /// Open the repository around `cwd` and read its configuration.
    pub fn open(cwd: &Path, out: Box<dyn Write>) -> Result<Ctx> {
        let ws = Workspace::open(cwd)?;
        let config = Config::load(&ws.root)?;
        Ok(Ctx { ws, config, out })
    }

    pub fn store(&self) -> Store<'_> {
        Store::new(&self.ws.root, &self.config)
    }

    pub fn repo(&self) -> &Repository {
        &self.ws.repo
    }

    pub fn root(&self) -> &Path {
        &self.ws.root
    }

    pub fn clock(&self) -> &Clock {
        &self.ws.clock
    }
}

/// The default branch with every ship match in its history, and the GitHub
/// repository closing references are read against.
pub struct History {
    pub branch: Branch,
    pub scanned: cache::Scanned,
    pub github_repo: Option<String>,
}

impl Ctx {
    /// Resolve the branch (`--branch` first) and scan its history, through
    /// the ship cache. With `GIT_POSTMORTEM_DEBUG=1`, says on stderr how the
    /// cache was used.
    pub fn history(&self, branch: Option<&str>) -> Result<History> {
        let repo = self.repo();
        let branch = history::resolve_branch(repo, branch, self.config.default_branch.as_deref())?;
        let scanned = cache::ship_index(repo, &branch.refname, branch.tip)?;
        if debug_enabled() {
            let how = match &scanned.how {
                cache::CacheUse::Hit => "served from cache".to_string(),
                cache::CacheUse::Incremental { commits } => {
                    format!("incremental, {commits} new commits scanned")
                }
                cache::CacheUse::Rebuilt { reason, commits } => {
                    format!("rebuilt, {commits} commits scanned: {reason}")
                }
            };
            eprintln!(
                "debug: ship cache for {} at {}: {how}; {} matching commits",
                branch.refname,
                branch.tip,
                scanned.index.matches().len()
            );
            if let Some(e) = &scanned.write_error {
                eprintln!("debug: ship cache not written: {e}");
            }
        }
        if repo.is_shallow() || scanned.stats.missing_parents > 0 {
            eprintln!(
                "warning: this is a shallow clone; safeguards shipped before its oldest commit look unshipped. Fetch the whole history (actions/checkout: fetch-depth: 0)"
            );
        }
        let github_repo = crate::github::settings::resolve_repo(
            &self.config,
            repo,
            &crate::github::settings::process_env,
        )
        .ok()
        .map(|slug| slug.to_string());
        Ok(History {
            branch,
            scanned,
            github_repo,
        })
    }
}

/// `GIT_POSTMORTEM_DEBUG` set to anything but empty or `0`.
pub fn debug_enabled() -> bool {
    std::env::var_os("GIT_POSTMORTEM_DEBUG").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Print one diagnostic on stderr, coloured on a terminal.
pub fn report(diagnostic: &Diagnostic) {
    use anstyle::{AnsiColor, Style};
    let style = match diagnostic.level {
        crate::diagnostic::Level::Error => {
            Style::new().fg_color(Some(AnsiColor::Red.into())).bold()
        }
        crate::diagnostic::Level::Warning => {
            Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold()
        }
    };
    let mut err = anstream::stderr().lock();
    let _ = writeln!(
        err,
        "{style}{}{style:#}: {}",
        diagnostic.level,
        diagnostic.location_message()
    );
}

/// Print an error that stopped a command, with its hint, on stderr.
pub fn report_error(error: &crate::Error) {
    use anstyle::{AnsiColor, Style};
    let red = Style::new().fg_color(Some(AnsiColor::Red.into())).bold();
    let mut err = anstream::stderr().lock();
    let _ = writeln!(err, "{red}error{red:#}: {error}");
    if let Some(hint) = error.hint() {
        let _ = writeln!(err, "hint: {hint}");
    }
}

/// Append Markdown to the GitHub Actions job summary when
/// `GITHUB_STEP_SUMMARY` names a file, after a blank line when other steps
/// wrote to it first.
pub fn append_step_summary(markdown: &str) -> Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let path = Path::new(&path);
    let shown = || path.display().to_string();
    let had_text = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| crate::Error::io(shown(), e))?;
    let text = if had_text {
        format!("\n{markdown}")
    } else {
        markdown.to_string()
    };
    file.write_all(text.as_bytes())
        .map_err(|e| crate::Error::io(shown(), e))
}
