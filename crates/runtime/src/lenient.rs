//! Lossless scalars: the deserializers the generated response types use for
//! their integer, number, boolean, string and date fields, so that a value a
//! server sends as the other JSON type decodes whenever nothing is lost.
//!
//! | declared | also accepted |
//! |---|---|
//! | integer (`i32`, `i64`, `u32`, `u64`) | its decimal text (`"10"`), a number with no fraction (`10.0`), in range |
//! | number (`f64`) | an integer it holds exactly, its decimal text (`"30.5"`), finite |
//! | boolean | `"true"`, `"false"` |
//! | string | an integer, as its decimal text (`133039` → `"133039"`) |
//! | date-time, date | nothing else: a number could be seconds or milliseconds |
//!
//! Anything else (`"ten"`, `10.5` for an integer, `3000000000` for an `i32`)
//! is an error naming what was expected; the decoder adds the JSON path.
//! These deserializers ask for `deserialize_any`, so they are for
//! self-describing formats (JSON); the CSV row types do not use them.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Deserialize;
use serde::de::{self, Deserializer, Unexpected, Visitor};

/// A scalar a response field declares, and the other JSON forms it accepts
/// without losing anything.
pub trait Scalar: Sized {
    /// What the field expects, for error messages (`an integer`).
    const EXPECTED: &'static str;

    /// From a JSON integer.
    #[inline]
    fn from_i64(_: i64) -> Option<Self> {
        None
    }

    /// From a JSON integer above `i64::MAX`.
    #[inline]
    fn from_u64(value: u64) -> Option<Self> {
        i64::try_from(value).ok().and_then(Self::from_i64)
    }

    /// From a JSON number with a fraction or an exponent.
    #[inline]
    fn from_f64(_: f64) -> Option<Self> {
        None
    }

    /// From a JSON boolean.
    #[inline]
    fn from_bool(_: bool) -> Option<Self> {
        None
    }

    /// From a JSON string.
    #[inline]
    fn from_text(_: &str) -> Option<Self> {
        None
    }
}

macro_rules! integer {
    ($($ty:ty => $expected:literal),*) => {$(
        impl Scalar for $ty {
            const EXPECTED: &'static str = $expected;

            #[inline]
            fn from_i64(value: i64) -> Option<Self> {
                <$ty>::try_from(value).ok()
            }

            #[inline]
            fn from_u64(value: u64) -> Option<Self> {
                <$ty>::try_from(value).ok()
            }

            #[inline]
            fn from_f64(value: f64) -> Option<Self> {
                // Exactly an integer, and inside i64 (which every target type is
                // checked against next): -2^63 ≤ value < 2^63.
                let bound = -(i64::MIN as f64);
                let whole = value.is_finite() && value.fract() == 0.0 && (-bound..bound).contains(&value);
                whole.then(|| value as i64).and_then(Self::from_i64)
            }

            #[inline]
            fn from_text(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }
    )*};
}

integer!(
    i32 => "a 32-bit integer",
    i64 => "a 64-bit integer",
    u32 => "an unsigned 32-bit integer",
    u64 => "an unsigned 64-bit integer"
);

/// The largest magnitude up to which every integer is an exact `f64`.
const EXACT_F64: u64 = 1 << 53;

impl Scalar for f64 {
    const EXPECTED: &'static str = "a number";

    #[inline]
    fn from_i64(value: i64) -> Option<Self> {
        (value.unsigned_abs() <= EXACT_F64).then_some(value as f64)
    }

    #[inline]
    fn from_u64(value: u64) -> Option<Self> {
        (value <= EXACT_F64).then_some(value as f64)
    }

    #[inline]
    fn from_f64(value: f64) -> Option<Self> {
        Some(value)
    }

    #[inline]
    fn from_text(text: &str) -> Option<Self> {
        text.parse::<f64>().ok().filter(|value| value.is_finite())
    }
}

impl Scalar for bool {
    const EXPECTED: &'static str = "a boolean";

    #[inline]
    fn from_bool(value: bool) -> Option<Self> {
        Some(value)
    }

    #[inline]
    fn from_text(text: &str) -> Option<Self> {
        match text {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}

impl Scalar for String {
    const EXPECTED: &'static str = "a string";

    #[inline]
    fn from_i64(value: i64) -> Option<Self> {
        Some(value.to_string())
    }

    #[inline]
    fn from_u64(value: u64) -> Option<Self> {
        Some(value.to_string())
    }

    #[inline]
    fn from_text(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

impl Scalar for DateTime<Utc> {
    const EXPECTED: &'static str = "an RFC 3339 date-time";

    #[inline]
    fn from_text(text: &str) -> Option<Self> {
        // As chrono's own `Deserialize` reads it: any offset, kept as UTC.
        text.parse::<DateTime<FixedOffset>>()
            .ok()
            .map(|time| time.with_timezone(&Utc))
    }
}

impl Scalar for NaiveDate {
    const EXPECTED: &'static str = "a date (YYYY-MM-DD)";

    #[inline]
    fn from_text(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

struct ScalarVisitor<T>(PhantomData<T>);

impl<'de, T: Scalar> Visitor<'de> for ScalarVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTED)
    }

    #[inline]
    fn visit_bool<E: de::Error>(self, value: bool) -> Result<T, E> {
        T::from_bool(value).ok_or_else(|| E::invalid_type(Unexpected::Bool(value), &self))
    }

    #[inline]
    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        T::from_i64(value).ok_or_else(|| E::invalid_value(Unexpected::Signed(value), &self))
    }

    #[inline]
    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        T::from_u64(value).ok_or_else(|| E::invalid_value(Unexpected::Unsigned(value), &self))
    }

    #[inline]
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        T::from_f64(value).ok_or_else(|| E::invalid_value(Unexpected::Float(value), &self))
    }

    #[inline]
    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        T::from_text(value).ok_or_else(|| E::invalid_value(Unexpected::Str(value), &self))
    }
}

/// A field that must hold the scalar `T` (an identity field): its value in any
/// lossless form; `null` is an error.
#[inline]
pub fn required<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Scalar,
{
    deserializer.deserialize_any(ScalarVisitor(PhantomData))
}

struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: Scalar> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} or null", T::EXPECTED)
    }

    #[inline]
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    #[inline]
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<T>, D::Error> {
        required(deserializer).map(Some)
    }
}

/// A field that may be left out or `null` (use with `#[serde(default)]`):
/// `None`, or its value in any lossless form.
#[inline]
pub fn optional<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Scalar,
{
    deserializer.deserialize_option(OptionVisitor(PhantomData))
}

/// One item of a list of scalars, in any lossless form.
struct Item<T>(T);

impl<'de, T: Scalar> Deserialize<'de> for Item<T> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        required(deserializer).map(Item)
    }
}

/// A list of scalars that may be left out or `null` (use with
/// `#[serde(default)]`): `None`, or every item in any lossless form.
#[inline]
pub fn optional_list<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Scalar,
{
    let items = Option::<Vec<Item<T>>>::deserialize(deserializer)?;
    Ok(items.map(|items| items.into_iter().map(|Item(item)| item).collect()))
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate, Utc};
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Fields {
        #[serde(deserialize_with = "super::required")]
        id: i64,
        #[serde(default, deserialize_with = "super::optional")]
        count: Option<i32>,
        #[serde(default, deserialize_with = "super::optional")]
        rate: Option<f64>,
        #[serde(default, deserialize_with = "super::optional")]
        flag: Option<bool>,
        #[serde(default, deserialize_with = "super::optional")]
        name: Option<String>,
        #[serde(default, deserialize_with = "super::optional")]
        at: Option<DateTime<Utc>>,
        #[serde(default, deserialize_with = "super::optional")]
        day: Option<NaiveDate>,
        #[serde(default, deserialize_with = "super::optional_list")]
        tags: Option<Vec<String>>,
    }

    fn decode(json: &str) -> Result<Fields, String> {
        serde_json::from_str(json).map_err(|error| error.to_string())
    }

    #[test]
    fn lossless_forms_decode_to_the_declared_type() {
        let fields = decode(
            r#"{"id": "133039", "count": "10", "rate": "30.5", "flag": "true", "name": 268,
                "at": "2024-02-06T18:25:26+08:00", "day": "2026-11-01", "tags": ["a", 7]}"#,
        )
        .unwrap();
        assert_eq!(fields.id, 133_039);
        assert_eq!(fields.count, Some(10));
        assert_eq!(fields.rate, Some(30.5));
        assert_eq!(fields.flag, Some(true));
        assert_eq!(fields.name.as_deref(), Some("268"));
        assert_eq!(fields.at.unwrap().to_rfc3339(), "2024-02-06T10:25:26+00:00");
        assert_eq!(fields.day, NaiveDate::from_ymd_opt(2026, 11, 1));
        assert_eq!(fields.tags, Some(vec!["a".to_owned(), "7".to_owned()]));
        let numbers = decode(r#"{"id": 7.0, "count": 10, "rate": 2048}"#).unwrap();
        assert_eq!(
            (numbers.id, numbers.count, numbers.rate),
            (7, Some(10), Some(2048.0))
        );
    }

    #[test]
    fn null_and_absent_are_none_never_zero() {
        let fields = decode(r#"{"id": 1, "count": null, "flag": null, "tags": null}"#).unwrap();
        assert_eq!(
            fields,
            Fields {
                id: 1,
                count: None,
                rate: None,
                flag: None,
                name: None,
                at: None,
                day: None,
                tags: None,
            }
        );
    }

    #[test]
    fn what_would_lose_information_is_an_error_saying_what_was_expected() {
        for (json, expected) in [
            (r#"{"id": null}"#, "expected a 64-bit integer"),
            (
                r#"{"id": "ten"}"#,
                "invalid value: string \"ten\", expected a 64-bit integer",
            ),
            (r#"{"id": 10.5}"#, "expected a 64-bit integer"),
            (
                r#"{"id": 1, "count": 3000000000}"#,
                "expected a 32-bit integer",
            ),
            (r#"{"id": 1, "count": "1e3"}"#, "expected a 32-bit integer"),
            (
                r#"{"id": 1, "rate": 9007199254740993}"#,
                "expected a number",
            ),
            (r#"{"id": 1, "rate": "NaN"}"#, "expected a number"),
            (r#"{"id": 1, "flag": 1}"#, "expected a boolean"),
            (r#"{"id": 1, "flag": "yes"}"#, "expected a boolean"),
            (r#"{"id": 1, "name": 1.5}"#, "expected a string"),
            (r#"{"id": 1, "name": true}"#, "expected a string"),
            (
                r#"{"id": 1, "at": 1718444400000}"#,
                "expected an RFC 3339 date-time",
            ),
            (
                r#"{"id": 1, "at": "yesterday"}"#,
                "expected an RFC 3339 date-time",
            ),
            (r#"{"id": 1, "tags": [{}]}"#, "expected a string"),
        ] {
            let error = decode(json).unwrap_err();
            assert!(error.contains(expected), "{json}: {error}");
        }
    }
}
