//! [`DateOrDateTime`]: a response field that holds a date or a date-time.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field the provider documents only by example, which may be a calendar date
/// (`2026-11-01`) or an instant (`2026-11-01T00:00:00Z`, any offset): both
/// decode, and it prints and re-encodes the way it arrived.
///
/// ```
/// use dev_platform_runtime::DateOrDateTime;
///
/// let date: DateOrDateTime = serde_json::from_str("\"2026-11-01\"").unwrap();
/// let time: DateOrDateTime = serde_json::from_str("\"2026-11-01T00:00:00Z\"").unwrap();
/// assert_eq!(date.start(), time.start());
/// assert_eq!(date.to_string(), "2026-11-01");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrDateTime {
    /// A calendar date.
    Date(NaiveDate),
    /// An instant.
    DateTime(DateTime<Utc>),
}

impl DateOrDateTime {
    /// The instant: the date-time itself, or midnight UTC starting the date.
    pub fn start(&self) -> DateTime<Utc> {
        match self {
            Self::Date(date) => date.and_time(chrono::NaiveTime::MIN).and_utc(),
            Self::DateTime(time) => *time,
        }
    }

    /// The calendar date (of the instant, in UTC).
    pub fn date(&self) -> NaiveDate {
        match self {
            Self::Date(date) => *date,
            Self::DateTime(time) => time.date_naive(),
        }
    }
}

impl fmt::Display for DateOrDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Date(date) => write!(f, "{date}"),
            Self::DateTime(time) => {
                f.write_str(&time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
            }
        }
    }
}

impl Serialize for DateOrDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateOrDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if let Ok(date) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            return Ok(Self::Date(date));
        }
        DateTime::parse_from_rfc3339(&text)
            .map(|time| Self::DateTime(time.with_timezone(&Utc)))
            .map_err(|_| {
                serde::de::Error::custom(format!(
                    "`{text}` is neither a date (YYYY-MM-DD) nor an RFC 3339 date-time"
                ))
            })
    }
}
