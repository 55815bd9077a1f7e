//! The one place that reads the wall clock. `GIT_POSTMORTEM_NOW` (an RFC 3339
//! timestamp) pins it, so runs in tests and reproducible CI jobs agree.

use chrono::{DateTime, FixedOffset, Local, NaiveDate};

use crate::error::{Error, Result};

pub(crate) const NOW_VAR: &str = "GIT_POSTMORTEM_NOW";

/// The wall clock, or a pinned one.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    now: DateTime<FixedOffset>,
}

impl Clock {
    pub(crate) fn from_env() -> Result<Self> {
        match std::env::var(NOW_VAR) {
            Ok(value) => Ok(Clock {
                now: DateTime::parse_from_rfc3339(&value).map_err(|e| Error::BadArgument {
                    what: NOW_VAR.into(),
                    message: format!("`{value}` is not an RFC 3339 timestamp: {e}"),
                })?,
            }),
            Err(_) => Ok(Clock {
                now: Local::now().fixed_offset(),
            }),
        }
    }

    /// A clock that always says `now`.
    pub fn fixed(now: DateTime<FixedOffset>) -> Self {
        Clock { now }
    }

    pub(crate) fn now(&self) -> DateTime<FixedOffset> {
        self.now
    }

    pub(crate) fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }
}
