//! The library's error type. Every variant names the object it is about and,
//! where one exists, a hint saying what to do next. The binary maps each
//! variant to an exit code with [`Error::exit_code`].

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// A result whose error is the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a command could not do its job. Each variant's `#[error]` text is
/// its documentation: it names the object and what went wrong.
#[allow(missing_docs, reason = "each variant's message says what it is")]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not inside a git repository ({path})")]
    NotARepository { path: PathBuf },

    #[error("{path} is a bare repository; postmortems live in a work tree")]
    BareRepository { path: PathBuf },

    /// `git init --object-format=sha256`: the git library cannot read it.
    #[error("{path} is a repository with SHA-256 object ids (extensions.objectformat = sha256), which git-postmortem cannot read")]
    Sha256Repository { path: PathBuf },

    #[error("no {path} in this repository")]
    MissingConfig { path: String },

    #[error("{path} already exists; refusing to overwrite it")]
    AlreadyExists { path: String },

    /// A file that does not parse or does not follow the schema. The
    /// diagnostic already names the file, line and column.
    #[error("{}", .0.location_message())]
    Invalid(Box<Diagnostic>),

    #[error("no postmortem matches `{id}`")]
    UnknownPostmortem { id: String, known: Vec<String> },

    #[error("`{id}` is ambiguous: it matches {}", .candidates.join(", "))]
    AmbiguousPostmortem { id: String, candidates: Vec<String> },

    #[error("{postmortem} has no {kind} `{id}`")]
    UnknownItem {
        postmortem: String,
        kind: &'static str,
        id: String,
        known: Vec<String>,
    },

    #[error("bad revision `{rev}`: {message}")]
    BadRevision { rev: String, message: String },

    #[error("branch `{name}` (from {from}) does not exist")]
    UnknownBranch { name: String, from: &'static str },

    #[error("branch `{name}` (from {from}) is ambiguous: {}", .candidates.join(" and "))]
    AmbiguousBranch {
        name: String,
        from: &'static str,
        candidates: Vec<String>,
    },

    #[error("no default branch to measure shipped safeguards against: tried {tried}")]
    NoDefaultBranch { tried: String },

    #[error("{what}: {message}")]
    BadArgument { what: String, message: String },

    #[error("template {name}: {message}")]
    Template { name: String, message: String },

    /// `<file>.lock` is there: another writer holds it, or a killed one
    /// left it behind.
    #[error("Unable to create '{lock}': File exists. Another git-postmortem process seems to be editing {path}")]
    Locked { lock: String, path: String },

    #[error("{path} is read-only; refusing to replace it")]
    ReadOnly { path: String },

    /// A write that would land outside the work tree, through a symlink.
    #[error("{path} resolves to {resolved}, outside the work tree; refusing to write there")]
    OutsideWorkTree { path: String, resolved: PathBuf },

    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },

    /// git failed while doing `what` (which names the object).
    #[error("git: {what}: {message}")]
    Git { what: String, message: String },

    #[error("{path} is a hook git-postmortem did not write; refusing to replace it")]
    ForeignHook { path: String },

    #[error("the editor `{editor}` failed: {message}")]
    Editor { editor: String, message: String },

    #[error("{command} needs a GitHub token, and neither GITHUB_TOKEN nor GH_TOKEN is set")]
    MissingToken { command: &'static str },

    #[error("no GitHub repository is known for this work tree")]
    NoGitHubRepository,

    /// An environment variable holds something that cannot be used: a
    /// malformed URL, plain http, a token with a control character. The
    /// message names the variable and never shows a token.
    #[error("{var}: {message}")]
    BadEnvironment {
        var: &'static str,
        message: String,
        hint: Option<String>,
    },

    /// GitHub was unreachable or refused, after retries. Exit 3.
    #[error("GitHub: {message}")]
    GitHub {
        message: String,
        hint: Option<String>,
    },
}

impl Error {
    /// Exit code as promised by the contract: 2 for bad input or usage.
    /// The exit code: 3 for GitHub, 2 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::GitHub { .. } => 3,
            _ => 2,
        }
    }

    /// A second line telling the user what to do, when there is one.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NotARepository { .. } => {
                Some("run this inside a git work tree, or `git init` one first".into())
            }
            Error::MissingConfig { .. } => {
                Some("run `git postmortem init` at the top of the repository".into())
            }
            Error::UnknownPostmortem { known, .. } if known.is_empty() => Some(
                "there are no postmortems yet; create one with `git postmortem new TITLE`".into(),
            ),
            Error::UnknownPostmortem { .. } => {
                Some("run `git postmortem list` to see the ids".into())
            }
            Error::AmbiguousPostmortem { .. } => Some("type more of the id".into()),
            Error::UnknownItem { known, .. } if known.is_empty() => None,
            Error::UnknownItem { known, .. } => Some(format!("valid ids: {}", known.join(", "))),
            Error::UnknownBranch { .. } => Some(
                "name a local branch or a remote-tracking one (origin/main), not a tag; in CI, check out with fetch-depth: 0"
                    .into(),
            ),
            Error::AmbiguousBranch { .. } => Some(
                "name it in full: refs/heads/NAME for the local branch, refs/remotes/origin/NAME for the remote-tracking one".into(),
            ),
            Error::NoDefaultBranch { .. } => Some(
                "pass --branch NAME, or set default_branch in .postmortem.toml".into(),
            ),
            Error::BadRevision { .. } => Some(
                "use any revision git understands: a full or short oid, a tag, a branch, HEAD~3"
                    .into(),
            ),
            Error::MissingToken { .. } => Some(
                "export GITHUB_TOKEN (in Actions: `env: GITHUB_TOKEN: ${{ github.token }}`) or GH_TOKEN; a token with `issues: write` is enough".into(),
            ),
            Error::NoGitHubRepository => Some(
                "set `repo = \"owner/name\"` under [github] in .postmortem.toml, or GITHUB_REPOSITORY, or an `origin` remote on GitHub".into(),
            ),
            Error::ForeignHook { .. } => Some(
                "pass --force to replace it, or call `git postmortem hook check-message \"$1\"` from it".into(),
            ),
            Error::GitHub { hint, .. } | Error::BadEnvironment { hint, .. } => hint.clone(),
            Error::Sha256Repository { .. } => Some(
                "git-postmortem reads repositories with SHA-1 object ids, git's default; the git library it is built on cannot open SHA-256 ones yet".into(),
            ),
            Error::Locked { lock, .. } => Some(format!(
                "if no git-postmortem process is running, one was killed while writing and left the lock behind: remove the file manually to continue (rm '{lock}')"
            )),
            Error::ReadOnly { path } => Some(format!(
                "make it writable (chmod u+w {path}) if it is meant to be edited"
            )),
            Error::OutsideWorkTree { .. } => Some(
                "the postmortem directory (`dir` in .postmortem.toml) and its files must be inside the repository, not symlinks out of it".into(),
            ),
            _ => None,
        }
    }

    pub(crate) fn io(path: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
