//! [`RetryPolicy`]: which failed attempts are tried again, and after how long.

use std::time::Duration;

use reqwest::{Method, StatusCode};

/// When and how a call is retried. The default: up to 3 attempts; retried on
/// 429, 502, 503, 504 and on connection failures, for GET, PUT, DELETE (and
/// HEAD, OPTIONS) only; waits with exponential backoff and full jitter from
/// 200 ms up to 10 s, or what `Retry-After` asks for, capped at 60 s.
///
/// A retried request is byte-identical to the first (same headers, same body).
/// Set on a client's builder with `.retry_policy(..)` or its shortcuts
/// `.max_attempts(..)` and `.retry_non_idempotent(..)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 never retries).
    pub max_attempts: u32,
    /// The backoff's upper bound after the first failed attempt; it doubles
    /// after each further one.
    pub initial_backoff: Duration,
    /// The backoff's largest upper bound.
    pub max_backoff: Duration,
    /// The longest wait honoured from a `Retry-After` header.
    pub max_retry_after: Duration,
    /// Whether POST and PATCH, which may not be idempotent, are retried too.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Whether a request with this method may be sent again.
    pub fn allows(&self, method: &Method) -> bool {
        let idempotent = matches!(
            *method,
            Method::GET | Method::PUT | Method::DELETE | Method::HEAD | Method::OPTIONS
        );
        idempotent || self.retry_non_idempotent
    }

    /// Whether an answer with this status is worth another attempt.
    pub fn retries_status(status: StatusCode) -> bool {
        matches!(status.as_u16(), 429 | 502 | 503 | 504)
    }

    /// Whether a failure to get an answer is worth another attempt: the
    /// connection could not be made or broke before an answer (not a timeout,
    /// which is reported as one).
    pub fn retries_failure(error: &reqwest::Error) -> bool {
        !error.is_timeout() && (error.is_connect() || error.is_request())
    }

    /// The wait before attempt `attempt + 1` after attempt `attempt` failed:
    /// `retry_after` (capped) when the server gave one, or a random duration
    /// between zero and the exponential bound ("full jitter").
    pub fn wait(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max_retry_after);
        }
        let exponent = attempt.saturating_sub(1).min(20);
        let bound = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        bound.mul_f64(fastrand::f64())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::Method;

    use super::RetryPolicy;

    #[test]
    fn backoff_is_jittered_under_a_doubling_bound_and_retry_after_is_capped() {
        let policy = RetryPolicy::default();
        for attempt in 1..=10 {
            let bound = Duration::from_millis(200 * (1 << (attempt - 1))).min(policy.max_backoff);
            for _ in 0..100 {
                assert!(policy.wait(attempt, None) <= bound);
            }
        }
        assert_eq!(
            policy.wait(1, Some(Duration::from_secs(5))),
            Duration::from_secs(5)
        );
        assert_eq!(
            policy.wait(1, Some(Duration::from_secs(3600))),
            Duration::from_secs(60)
        );
    }

    #[test]
    fn only_idempotent_methods_unless_allowed() {
        let policy = RetryPolicy::default();
        assert!(policy.allows(&Method::GET) && policy.allows(&Method::DELETE));
        assert!(!policy.allows(&Method::POST) && !policy.allows(&Method::PATCH));
        let opted_in = RetryPolicy {
            retry_non_idempotent: true,
            ..policy
        };
        assert!(opted_in.allows(&Method::POST));
    }
}
