//! What every GitHub-talking command sets up: settings from the
//! environment, a tokio runtime for this one command, and the client; and
//! how a GitHub failure reads to the user.

use super::Ctx;
use crate::error::{Error, Result};
use crate::github::api::ApiError;
use crate::github::client::ACTIONS_BOT;
use crate::github::settings::{process_env, Settings, LOGIN_VAR};
use crate::github::Client;

pub(crate) struct Session {
    pub(crate) settings: Settings,
    /// Taken only when the session is dropped.
    runtime: Option<tokio::runtime::Runtime>,
    pub(crate) client: Client,
    hints: &'static GitHubHints,
}

impl Drop for Session {
    /// Shut the runtime down without waiting for its blocking threads: a
    /// name lookup that outlived its request's deadline must not keep the
    /// command from ending.
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl Session {
    /// Exit 2 without a token, naming the variables to set.
    pub(crate) fn open(
        ctx: &Ctx,
        command: &'static str,
        hints: &'static GitHubHints,
    ) -> Result<Session> {
        let origin = ctx.repo().origin_url();
        let settings = Settings::resolve(command, &ctx.config, origin.as_deref(), &process_env)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::io("tokio runtime", e))?;
        // octocrab spawns its connection worker on the current runtime.
        let client = {
            let _entered = runtime.enter();
            Client::new(&settings).map_err(|e| github_error_with(e, hints))?
        };
        Ok(Session {
            settings,
            runtime: Some(runtime),
            client,
            hints,
        })
    }

    /// A GitHub failure of this command, with its hints, the token
    /// redacted from every word of it.
    pub(crate) fn error(&self, e: ApiError) -> Error {
        match github_error_with(e, self.hints) {
            Error::GitHub { message, hint } => Error::GitHub {
                message: self.settings.token.redact(&message),
                hint: hint.map(|h| self.settings.token.redact(&h)),
            },
            other => other,
        }
    }

    /// Run a future on this session's runtime.
    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        match &self.runtime {
            Some(runtime) => runtime.block_on(future),
            None => unreachable!("the runtime lives as long as the session"),
        }
    }

    /// With `GIT_POSTMORTEM_DEBUG`, how many requests were made.
    pub(crate) fn debug_counts(&self) {
        if super::debug_enabled() {
            let (requests, writes) = self.client.request_counts();
            crate::output::debug(format_args!("{requests} GitHub requests, {writes} writes"));
        }
    }
}

/// What to tell the user when GitHub fails a command: the permission its
/// token needs, what a 403 or 404 most likely means, and why running it
/// again is safe.
pub(crate) struct GitHubHints {
    pub(crate) permission: &'static str,
    pub(crate) refused: &'static str,
    pub(crate) not_found: &'static str,
    pub(crate) again: &'static str,
}

/// A GitHub failure as the user sees it: exit 3, a hint, no token.
pub(crate) fn github_error_with(e: ApiError, hints: &GitHubHints) -> Error {
    let hint = match &e {
        ApiError::Unauthorized { .. } => Some(format!(
            "check that GITHUB_TOKEN (or GH_TOKEN) is a valid token with {} on the repository",
            hints.permission
        )),
        ApiError::Http { status: 403, .. } => Some(hints.refused.into()),
        ApiError::Http { status: 404, .. } => Some(hints.not_found.into()),
        ApiError::Http { status: 500.., .. }
        | ApiError::Ambiguous { .. }
        | ApiError::Unreachable { .. } => Some(hints.again.into()),
        ApiError::TooLarge { .. } => Some(
            "check that GITHUB_API_URL (and GITHUB_GRAPHQL_URL) point at GitHub's API".into(),
        ),
        ApiError::NoIdentity { .. } => Some(format!(
            "git-postmortem trusts only the issues and comments its own account wrote, so it must know which that is; a GitHub App's token cannot read GET /user: set {LOGIN_VAR} to the app's bot login (`my-app[bot]`); in GitHub Actions (GITHUB_ACTIONS=true) such a token is taken to be the workflow's own, {ACTIONS_BOT}"
        )),
        ApiError::Http { .. } | ApiError::Decode { .. } => None,
    };
    Error::GitHub {
        message: e.to_string(),
        hint,
    }
}
