//! When to try a GitHub request again, and how long to wait: a pure
//! function of the response's status and headers, the attempt number and
//! the time left. 5xx and network errors back off exponentially with
//! jitter; rate limits wait for `retry-after` or `x-ratelimit-reset`.

use std::time::Duration;

/// What the retry policy saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome<'h> {
    Status {
        status: u16,
        retry_after: Option<&'h str>,
        ratelimit_remaining: Option<&'h str>,
        ratelimit_reset: Option<&'h str>,
    },
    NetworkError,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decision {
    Done,
    RetryAfter(Duration),
    GiveUp(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    pub(crate) max_attempts: u32,
    /// First backoff for 5xx and network errors; doubles each attempt.
    pub(crate) base: Duration,
    /// The longest single wait for a 5xx backoff.
    pub(crate) max_backoff: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_attempts: 5,
            base: Duration::from_millis(1000),
            max_backoff: Duration::from_secs(30),
        }
    }
}

impl Policy {
    /// `attempt` counts from 1 for the request just made; `now_epoch` is
    /// the current Unix time, `left` the time budget remaining.
    pub(crate) fn decide(
        &self,
        outcome: Outcome,
        attempt: u32,
        now_epoch: u64,
        left: Duration,
    ) -> Decision {
        let wait = match outcome {
            Outcome::Status { status, .. } if status < 400 => return Decision::Done,
            Outcome::Status {
                status: status @ (403 | 429),
                retry_after,
                ratelimit_remaining,
                ratelimit_reset,
            } => {
                if let Some(secs) = retry_after.and_then(|v| v.trim().parse::<u64>().ok()) {
                    Duration::from_secs(secs)
                } else if ratelimit_remaining.map(str::trim) == Some("0") {
                    match ratelimit_reset.and_then(|v| v.trim().parse::<u64>().ok()) {
                        Some(reset) => Duration::from_secs(reset.saturating_sub(now_epoch) + 1),
                        None => Duration::from_secs(60),
                    }
                } else if status == 429 {
                    Duration::from_secs(60)
                } else {
                    return Decision::Done;
                }
            }
            Outcome::Status { status, .. } if status >= 500 => self.backoff(attempt),
            Outcome::Status { .. } => return Decision::Done,
            Outcome::NetworkError => self.backoff(attempt),
        };
        if attempt >= self.max_attempts {
            return Decision::GiveUp("gave up after retrying");
        }
        if wait > left {
            return Decision::GiveUp("the wait GitHub asks for is longer than the time left");
        }
        Decision::RetryAfter(wait)
    }

    /// base · 2^(attempt-1), capped, plus up to half of that in jitter.
    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .base
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.max_backoff);
        let jitter_ms = fastrand::u64(0..=(exp.as_millis() as u64 / 2).max(1));
        exp + Duration::from_millis(jitter_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEFT: Duration = Duration::from_secs(600);

    fn status(status: u16) -> Outcome<'static> {
        Outcome::Status {
            status,
            retry_after: None,
            ratelimit_remaining: None,
            ratelimit_reset: None,
        }
    }

    #[test]
    fn success_and_client_errors_are_final() {
        let p = Policy::default();
        assert_eq!(p.decide(status(201), 1, 0, LEFT), Decision::Done);
        assert_eq!(p.decide(status(404), 1, 0, LEFT), Decision::Done);
        assert_eq!(p.decide(status(401), 1, 0, LEFT), Decision::Done);
        // A 403 that is not a rate limit is a permission problem.
        assert_eq!(p.decide(status(403), 1, 0, LEFT), Decision::Done);
    }

    #[test]
    fn server_errors_back_off_exponentially_with_jitter() {
        let p = Policy::default();
        for attempt in 1..=4 {
            let Decision::RetryAfter(wait) = p.decide(status(502), attempt, 0, LEFT) else {
                panic!("502 is retried");
            };
            let base = Duration::from_secs(1 << (attempt - 1));
            assert!(
                wait >= base && wait <= base + base / 2,
                "{attempt}: {wait:?}"
            );
        }
        assert!(matches!(
            p.decide(status(502), 5, 0, LEFT),
            Decision::GiveUp(_)
        ));
        assert!(matches!(
            p.decide(Outcome::NetworkError, 1, 0, LEFT),
            Decision::RetryAfter(_)
        ));
    }

    #[test]
    fn secondary_rate_limit_waits_for_retry_after() {
        let p = Policy::default();
        let limited = Outcome::Status {
            status: 403,
            retry_after: Some("7"),
            ratelimit_remaining: Some("4999"),
            ratelimit_reset: None,
        };
        assert_eq!(
            p.decide(limited, 1, 0, LEFT),
            Decision::RetryAfter(Duration::from_secs(7))
        );
    }

    #[test]
    fn primary_rate_limit_waits_until_reset() {
        let p = Policy::default();
        let limited = Outcome::Status {
            status: 403,
            retry_after: None,
            ratelimit_remaining: Some("0"),
            ratelimit_reset: Some("1000042"),
        };
        assert_eq!(
            p.decide(limited, 1, 1_000_000, LEFT),
            Decision::RetryAfter(Duration::from_secs(43))
        );
        assert!(matches!(
            p.decide(limited, 1, 1_000_000, Duration::from_secs(10)),
            Decision::GiveUp(_)
        ));
    }
}
