//! `Retry-After`: how long the server asks the client to wait.

use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The wait a response's `Retry-After` header asks for, in either of its forms:
/// a number of seconds (`120`) or an HTTP date (`Wed, 21 Oct 2026 07:28:00 GMT`,
/// counted from now; a date in the past is no wait). `None` when the header is
/// absent or unreadable.
///
/// ```
/// use dev_platform_runtime::retry_after;
/// use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
///
/// let mut headers = HeaderMap::new();
/// headers.insert(RETRY_AFTER, HeaderValue::from_static("30"));
/// assert_eq!(retry_after(&headers), Some(std::time::Duration::from_secs(30)));
/// ```
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    retry_after_at(headers, SystemTime::now())
}

fn retry_after_at(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date: SystemTime = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc)
        .into();
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

    use super::retry_after_at;

    fn headers(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn reads_seconds_and_http_dates() {
        // Wed, 21 Oct 2026 07:28:00 GMT
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_792_567_680);
        assert_eq!(
            retry_after_at(&headers("120"), now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after_at(&headers("Wed, 21 Oct 2026 07:29:30 GMT"), now),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            retry_after_at(&headers("Wed, 21 Oct 2026 07:00:00 GMT"), now),
            Some(Duration::ZERO),
            "a date in the past"
        );
        assert_eq!(retry_after_at(&headers("soon"), now), None);
        assert_eq!(retry_after_at(&HeaderMap::new(), now), None);
    }
}
