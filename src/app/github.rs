//! What every GitHub-talking command sets up: settings from the
//! environment, a tokio runtime for this one command, and the client; and
//! how a GitHub failure reads to the user.

use super::Ctx;
use crate::error::{Error, Result};
use crate::github::api::ApiError;
use crate::github::settings::{process_env, Settings};
use crate::github::Client;

pub(crate) struct Session {
    pub(crate) settings: Settings,
    pub(crate) runtime: tokio::runtime::Runtime,
    pub(crate) client: Client,
    hints: &'static GitHubHints,
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
            runtime,
            client,
            hints,
        })
    }

    /// A GitHub failure of this command, with its hints.
    pub(crate) fn error(&self, e: ApiError) -> Error {
        github_error_with(e, self.hints)
    }

    /// Run a future on this session's runtime.
    pub(crate) fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
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
        ApiError::Http { .. } | ApiError::Decode { .. } => None,
    };
    Error::GitHub {
        message: e.to_string(),
        hint,
    }
}
