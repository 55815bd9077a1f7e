//! The use cases: what each command does, between parsing its arguments
//! (`cli`) and printing its result (`cli` again, through
//! [`crate::output`]). A use case opens what it needs from the layers
//! below (the store, history, GitHub, templates), asks the pure cores
//! (lints, status, stats, digest, the sync plan) to decide, and returns
//! plain data.
//!
//! [`Ctx`] is what every command runs in: the repository and its work tree,
//! the configuration, the clock, the output and the run's templates.

pub(crate) mod capture;
pub(crate) mod check;
pub(crate) mod edit;
pub(crate) mod github;
pub(crate) mod hook;
pub(crate) mod judge;
pub(crate) mod lint;
pub(crate) mod new;
pub(crate) mod remind;
pub(crate) mod review;
pub(crate) mod show;
pub(crate) mod site;
pub(crate) mod sync;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::clock::Clock;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::history::scan::ShipQuery;
use crate::history::{cache, Branch, Repo, TreeFile};
use crate::model::{CommitId, Proof, SafeguardRef, Timestamp, CLOCK_SKEW_ALLOWANCE_SECONDS};
use crate::output::{self, Output};
use crate::render::{self, Renderer};
use crate::source::Loaded;
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
    /// The process exit code.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Ok => 0,
            Outcome::Findings => 1,
            Outcome::BadInput => 2,
        }
    }

    /// The worse of two outcomes.
    pub(crate) fn and(self, other: Outcome) -> Outcome {
        if other.exit_code() > self.exit_code() {
            other
        } else {
            self
        }
    }
}

/// A git work tree, before any configuration is read (what `init` needs).
pub(crate) struct Workspace {
    pub(crate) cwd: PathBuf,
    pub(crate) repo: Repo,
    pub(crate) clock: Clock,
}

impl Workspace {
    pub(crate) fn open(cwd: &Path) -> Result<Workspace> {
        Ok(Workspace {
            cwd: cwd.to_path_buf(),
            repo: Repo::open(cwd)?,
            clock: Clock::from_env()?,
        })
    }

    pub(crate) fn root(&self) -> &Path {
        self.repo.root()
    }

    /// A path for the user to read: relative to where they are when it is
    /// below that, else as given.
    pub(crate) fn path_for_user(&self, path: &Path) -> String {
        let cwd = self.cwd.canonicalize().unwrap_or_else(|_| self.cwd.clone());
        let shown = path
            .canonicalize()
            .ok()
            .and_then(|p| p.strip_prefix(&cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| path.to_path_buf());
        shown.to_string_lossy().into_owned()
    }
}

pub(crate) struct Ctx {
    pub(crate) ws: Workspace,
    pub(crate) config: Config,
    pub(crate) out: Output,
    /// The run's templates, overridable from the repository (in a pull
    /// request, from its base: [`run_templates`]).
    pub(crate) templates: Renderer,
}

impl Ctx {
    /// Open the repository around `cwd` and read its configuration.
    pub(crate) fn open(cwd: &Path, out: Output) -> Result<Ctx> {
        let ws = Workspace::open(cwd)?;
        let config = Config::load(ws.root())?;
        let templates = run_templates(&ws, &config.severities)?;
        Ok(Ctx {
            ws,
            config,
            out,
            templates,
        })
    }

    pub(crate) fn store(&self) -> Store<'_> {
        Store::new(self.root(), &self.config)
    }

    pub(crate) fn repo(&self) -> &Repo {
        &self.ws.repo
    }

    pub(crate) fn root(&self) -> &Path {
        self.ws.root()
    }

    pub(crate) fn clock(&self) -> &Clock {
        &self.ws.clock
    }

    /// The GitHub repository (`owner/name`) closing references are read
    /// against: `[github] repo`, `GITHUB_REPOSITORY`, or `origin`.
    /// Who "me" is for `status --mine`: every `postmortem.me` in git's
    /// config (a login, a name, an email; the key may repeat), then
    /// `user.name` and `user.email`. Exit 2 when none is set.
    pub(crate) fn me(&self) -> Result<Vec<String>> {
        let repo = self.repo();
        let mut names = repo.config_strings("postmortem.me");
        names.extend(repo.config_string("user.name"));
        names.extend(repo.config_string("user.email"));
        names.retain(|n| !n.trim().is_empty());
        if names.is_empty() {
            return Err(Error::BadArgument {
                what: "--mine".into(),
                message: "git does not know who you are: set the login owners are written as with `git config --global postmortem.me LOGIN` (or user.name, user.email)".into(),
            });
        }
        Ok(names)
    }

    /// The repository's page on GitHub (`https://github.com/acme/shop`),
    /// for links: the server from `GITHUB_SERVER_URL` (else
    /// `GITHUB_API_URL`'s, else github.com), the repository as `sync` finds
    /// it. `None` when either is unknown or unusable.
    pub(crate) fn repository_web_url(&self) -> Option<String> {
        let server = crate::github::settings::web_url(&crate::github::settings::process_env)?;
        Some(format!("{server}/{}", self.github_repo()?))
    }

    pub(crate) fn github_repo(&self) -> Option<String> {
        crate::github::settings::resolve_repo(
            &self.config,
            self.repo().origin_url().as_deref(),
            &crate::github::settings::process_env,
        )
        .ok()
        .map(|slug| slug.to_string())
    }
}

/// The run's templates. In a pull request (GitHub Actions sets
/// `GITHUB_BASE_REF`), the work tree is the pull request's, and so would be
/// its `templates/`: they come from its base, `origin/<base>`, instead,
/// and are the built-in ones when that is not in the clone. Elsewhere the
/// work tree's override the built-in ones.
fn run_templates(ws: &Workspace, severities: &[String]) -> Result<Renderer> {
    let base = std::env::var("GITHUB_BASE_REF")
        .ok()
        .map(|b| b.trim().to_string())
        .filter(|b| !b.is_empty());
    let Some(base) = base else {
        return Ok(Renderer::new(Some(ws.root())));
    };
    let revision = format!("origin/{base}");
    match ws.repo.resolve_commit(&revision) {
        Ok(commit) => templates_at(&ws.repo, &revision, &commit, severities),
        Err(_) => {
            if std::fs::symlink_metadata(ws.root().join("templates")).is_ok() {
                output::note(format_args!(
                    "templates/ is not used in a pull request: templates come from its base `{revision}`, which is not in this clone, so the built-in ones are used; fetch it (actions/checkout with `fetch-depth: 0`)"
                ));
            }
            Ok(Renderer::new(None))
        }
    }
}

/// The repository's templates as `commit` (named `revision`) has them,
/// read from git: each one a regular file there, or refused when it is
/// a symbolic link or anything else. The new-postmortem template's
/// variants are read for each of `severities`.
pub(crate) fn templates_at(
    repo: &Repo,
    revision: &str,
    commit: &CommitId,
    severities: &[String],
) -> Result<Renderer> {
    let mut files = HashMap::new();
    let names = render::OVERRIDABLE
        .iter()
        .map(|t| t.name.to_string())
        .chain(
            severities
                .iter()
                .filter_map(|s| render::NEW_POSTMORTEM.variant_name(s)),
        );
    for name in names {
        let path = format!("templates/{name}.hbs");
        let found = match repo.regular_file_at(commit, &path)? {
            TreeFile::Missing => continue,
            TreeFile::Regular(bytes) => {
                String::from_utf8(bytes).map_err(|_| "the file is not UTF-8".to_string())
            }
            TreeFile::Refused(why) => Err(format!("{why}; {}", render::REGULAR_FILES)),
        };
        files.insert(name, found);
    }
    Ok(Renderer::from_revision(revision, files))
}

/// The default branch with every ship match in its history, and the GitHub
/// repository closing references are read against.
pub(crate) struct History {
    pub(crate) branch: Branch,
    pub(crate) scanned: cache::Scanned,
    pub(crate) github_repo: Option<String>,
    /// The GitHub server issue URLs name: `GITHUB_SERVER_URL`, else
    /// `github.com`.
    pub(crate) github_host: Option<String>,
}

impl History {
    /// What history proves about `safeguard` of an incident that occurred
    /// at `occurred`: the commit that ships it (its trailer, or a closing
    /// reference to its `issue`, created at `issue_created` when `sync`
    /// recorded it), that it was reverted, or that only older commits
    /// reference it.
    pub(crate) fn evidence(
        &self,
        safeguard: &SafeguardRef,
        issue: Option<u64>,
        occurred: &Timestamp,
        issue_created: Option<i64>,
    ) -> Option<Proof> {
        self.scanned.index.evidence(&ShipQuery {
            safeguard,
            issue,
            github_repo: self.github_repo.as_deref(),
            github_host: self.github_host.as_deref(),
            not_before: Some(not_before(occurred.unix_seconds())),
            issue_not_before: issue_created.map(not_before),
        })
    }

    /// Whether the scan read every commit of the branch (not a shallow
    /// clone's partial history).
    pub(crate) fn complete(&self) -> bool {
        self.scanned.complete
    }
}

impl Ctx {
    /// Resolve the branch (`--branch` first) and scan its history, through
    /// the ship cache, back to the oldest incident of `loaded` (less the
    /// allowance for clock skew): older commits cannot ship anything. With
    /// `GIT_POSTMORTEM_DEBUG=1`, says on stderr how the cache was used.
    pub(crate) fn history(&self, branch: Option<&str>, loaded: &[Loaded]) -> Result<History> {
        let repo = self.repo();
        let branch = repo.resolve_branch(branch, self.config.default_branch.as_deref())?;
        let since = loaded
            .iter()
            .map(|l| not_before(l.postmortem.occurred_at.unix_seconds()))
            .min();
        let scanned = repo.ship_index(&branch, since)?;
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
            output::debug(format_args!(
                "ship cache for {} at {}: {how}; {} matching commits",
                branch.refname,
                branch.tip,
                scanned.index.matches().len()
            ));
            if let Some(e) = &scanned.write_error {
                output::debug(format_args!("ship cache not written: {e}"));
            }
        }
        if !scanned.complete {
            // A week before the oldest incident, so that every line of
            // history has a commit older than what can ship.
            let enough = since
                .and_then(|s| Timestamp::from_unix(s.saturating_sub(6 * 86_400), 0))
                .map(|t| {
                    format!(
                        ", or the history that can ship anything: git fetch --shallow-since={}",
                        t.day()
                    )
                })
                .unwrap_or_default();
            output::warn(format_args!(
                "this is a shallow clone; safeguards shipped before its oldest commit cannot be proven, so those not shipped since are `unknown`. Fetch the whole history: git fetch --unshallow (actions/checkout: fetch-depth: 0){enough}"
            ));
        }
        Ok(History {
            branch,
            scanned,
            github_repo: self.github_repo(),
            github_host: github_host(),
        })
    }
}

/// The oldest committer date that may ship something about an event at
/// `seconds`: the event, less the allowance for clock skew.
pub(crate) fn not_before(seconds: i64) -> i64 {
    seconds.saturating_sub(CLOCK_SKEW_ALLOWANCE_SECONDS)
}

/// `GITHUB_SERVER_URL` (a GitHub Enterprise server in Actions), if it is
/// set; the index takes the host from it.
fn github_host() -> Option<String> {
    std::env::var("GITHUB_SERVER_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// `GIT_POSTMORTEM_DEBUG` set to anything but empty or `0`.
pub(crate) fn debug_enabled() -> bool {
    std::env::var_os("GIT_POSTMORTEM_DEBUG").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Refuse text for a postmortem (`what`: the argument it came from) that
/// holds a control character the `schema` finding would reject, before
/// anything is written.
pub(crate) fn no_control_characters(what: &str, text: &str) -> Result<()> {
    match text.chars().find(|c| crate::text::is_forbidden_control(*c)) {
        None => Ok(()),
        Some(c) => Err(Error::BadArgument {
            what: what.into(),
            message: format!(
                "holds the control character U+{:04X}; a postmortem's strings may hold no control character but tab and newline",
                u32::from(c)
            ),
        }),
    }
}

/// Print files that failed to load; `BadInput` when there were any.
pub(crate) fn report_failures(failed: &[Error]) -> Outcome {
    for error in failed {
        match error {
            Error::Invalid(d) => output::diagnostic(d),
            other => output::error(other),
        }
    }
    if failed.is_empty() {
        Outcome::Ok
    } else {
        Outcome::BadInput
    }
}
