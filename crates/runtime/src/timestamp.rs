//! [`Timestamp`]: an instant sent as a query parameter.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An instant passed to an API that accepts RFC 3339 or Unix milliseconds
/// (Qoder's `start_date`/`end_date`, `startDate`/`endDate`).
///
/// Build it from a `chrono::DateTime<Utc>` or from Unix milliseconds; either way
/// it is sent in one documented form, RFC 3339 in UTC with a `Z` and only as
/// many fractional digits as it has (`2025-06-01T00:00:00Z`,
/// `2025-06-01T00:00:00.250Z`). Generated builders take anything convertible,
/// so both of these work:
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use dev_platform_runtime::Timestamp;
///
/// let from_chrono = Timestamp::from(Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap());
/// let from_millis = Timestamp::try_from(1_748_736_000_000_i64).unwrap();
/// assert_eq!(from_chrono, from_millis);
/// assert_eq!(from_millis.to_string(), "2025-06-01T00:00:00Z");
/// assert_eq!(from_millis.unix_millis(), 1_748_736_000_000);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

/// Unix milliseconds outside the range `chrono` can represent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0} Unix milliseconds is not a representable instant")]
pub struct OutOfRange(pub i64);

impl Timestamp {
    /// The instant `millis` milliseconds after the Unix epoch.
    pub fn from_unix_millis(millis: i64) -> Result<Self, OutOfRange> {
        Utc.timestamp_millis_opt(millis)
            .single()
            .map(Self)
            .ok_or(OutOfRange(millis))
    }

    /// Parses either form the APIs accept: RFC 3339 (any offset, converted to
    /// UTC) or Unix milliseconds as decimal digits.
    pub fn parse(text: &str) -> Option<Self> {
        if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) {
            return text
                .parse()
                .ok()
                .and_then(|millis| Self::from_unix_millis(millis).ok());
        }
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|time| Self(time.with_timezone(&Utc)))
    }

    /// The instant as a `chrono` value.
    pub fn as_datetime(&self) -> DateTime<Utc> {
        self.0
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(&self) -> i64 {
        self.0.timestamp_millis()
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(time: DateTime<Utc>) -> Self {
        Self(time)
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(time: Timestamp) -> Self {
        time.0
    }
}

/// Unix milliseconds.
impl TryFrom<i64> for Timestamp {
    type Error = OutOfRange;

    fn try_from(millis: i64) -> Result<Self, OutOfRange> {
        Self::from_unix_millis(millis)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true))
    }
}

/// Either accepted form; see [`Timestamp::parse`].
impl FromStr for Timestamp {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Self::parse(text)
            .ok_or_else(|| format!("`{text}` is neither RFC 3339 nor Unix milliseconds"))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Accepts an RFC 3339 string, a string of Unix milliseconds, or a JSON integer
/// of Unix milliseconds.
impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Millis(i64),
            Text(String),
        }
        match Either::deserialize(deserializer)? {
            Either::Millis(millis) => {
                Self::from_unix_millis(millis).map_err(serde::de::Error::custom)
            }
            Either::Text(text) => text.parse().map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Timestamp;

    #[test]
    fn sends_rfc3339_in_utc_with_only_the_digits_it_has() {
        let whole = Timestamp::from_unix_millis(1_748_736_000_000).unwrap();
        assert_eq!(whole.to_string(), "2025-06-01T00:00:00Z");
        let fraction = Timestamp::from_unix_millis(1_748_736_000_250).unwrap();
        assert_eq!(fraction.to_string(), "2025-06-01T00:00:00.250Z");
        assert_eq!(
            serde_json::to_string(&whole).unwrap(),
            "\"2025-06-01T00:00:00Z\""
        );
    }

    #[test]
    fn parses_both_forms_and_any_offset() {
        let expected = Timestamp::from_unix_millis(1_748_736_000_000).unwrap();
        for text in [
            "2025-06-01T00:00:00Z",
            "2025-06-01T08:00:00+08:00",
            "1748736000000",
        ] {
            assert_eq!(Timestamp::parse(text), Some(expected), "{text}");
        }
        for bad in ["", "2025-06-01", "yesterday", "-5", "99999999999999999999"] {
            assert_eq!(Timestamp::parse(bad), None, "{bad}");
        }
        let from_json: Timestamp = serde_json::from_str("1748736000000").unwrap();
        assert_eq!(from_json, expected);
    }

    #[test]
    fn rejects_unrepresentable_millis() {
        assert!(Timestamp::try_from(i64::MAX).is_err());
        // The range the specs document for Unix milliseconds (`Timestamp`).
        let (first, last) = (-8_334_601_228_800_000_i64, 8_210_266_876_799_999_i64);
        assert!(Timestamp::try_from(first).is_ok() && Timestamp::try_from(last).is_ok());
        assert!(Timestamp::try_from(first - 1).is_err() && Timestamp::try_from(last + 1).is_err());
    }
}
