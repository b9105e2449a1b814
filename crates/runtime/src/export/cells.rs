//! One row of an export as its cells, and each cell decoded by position into
//! the row type's field: the fast path the generated row types take.
//!
//! A cell decodes exactly as csv-async's serde deserializer decoded it before
//! (an empty cell of an `Option` is `None`, numbers and booleans as the
//! standard library parses them, date-times as chrono reads RFC 3339), only
//! without the per-row lookup of each header name, the UTF-8 check of cells
//! that are numbers, and chrono's general parser for the fixed form
//! `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::de::DeserializeOwned;

use super::ExportError;

/// One row of a CSV export, as the parser found it: what
/// [`CsvRow::from_record`](super::CsvRow::from_record) decodes.
///
/// Cells are addressed by their index in the row type's
/// [`COLUMNS`](super::CsvRow::COLUMNS), whatever their position in this
/// export's header (which may order them differently or have more).
pub struct CsvRecord<'a> {
    pub(super) fields: &'a [u8],
    pub(super) ends: &'a [usize],
    pub(super) header: &'a Header,
    pub(super) line: u64,
}

/// The export's header: its names, and where each of the row type's columns
/// is in it.
pub(super) struct Header {
    pub(super) names: csv_async::ByteRecord,
    pub(super) positions: Vec<usize>,
    pub(super) columns: &'static [&'static str],
}

impl CsvRecord<'_> {
    /// The row's line in the CSV text, from 1 (the header).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The raw bytes of the cell of `COLUMNS[column]`, quotes removed.
    ///
    /// # Panics
    /// When `column` is not an index of the row type's `COLUMNS`.
    #[inline]
    pub fn raw(&self, column: usize) -> &[u8] {
        self.field(self.header.positions[column])
    }

    /// The cell of `COLUMNS[column]`, decoded as `T`; an error names the line
    /// and the column.
    ///
    /// # Panics
    /// When `column` is not an index of the row type's `COLUMNS`.
    #[inline]
    pub fn cell<T: CsvCell>(&self, column: usize) -> Result<T, ExportError> {
        T::from_cell(self.raw(column)).map_err(|error| ExportError::Row {
            line: self.line,
            message: format!("column `{}`: {error}", self.header.columns[column]),
        })
    }

    /// The whole row decoded with serde, by header name: what a row type
    /// without a positional decoder uses.
    pub fn deserialize<T: DeserializeOwned>(&self) -> Result<T, ExportError> {
        let mut record = csv_async::ByteRecord::with_capacity(self.fields.len(), self.ends.len());
        for index in 0..self.ends.len() {
            record.push_field(self.field(index));
        }
        record
            .deserialize(Some(&self.header.names))
            .map_err(|error| match error.kind() {
                csv_async::ErrorKind::Deserialize { err, .. } => {
                    let column = err
                        .field()
                        .and_then(|index| self.header.names.get(usize::try_from(index).ok()?));
                    let message = match column {
                        Some(column) => format!(
                            "column `{}`: {}",
                            String::from_utf8_lossy(column),
                            err.kind()
                        ),
                        None => err.kind().to_string(),
                    };
                    ExportError::Row {
                        line: self.line,
                        message,
                    }
                }
                _ => ExportError::Row {
                    line: self.line,
                    message: error.to_string(),
                },
            })
    }

    #[inline]
    fn field(&self, index: usize) -> &[u8] {
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1],
        };
        &self.fields[start..self.ends[index]]
    }
}

/// Why a cell does not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidCell(String);

impl InvalidCell {
    /// What is wrong with the cell.
    pub fn new(message: impl fmt::Display) -> Self {
        Self(message.to_string())
    }
}

impl fmt::Display for InvalidCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidCell {}

/// A type a CSV cell decodes into: the field types of the generated row types.
/// `Option<T>` is `None` for an empty cell.
pub trait CsvCell: Sized {
    /// Decodes the cell's bytes (quotes already removed).
    fn from_cell(cell: &[u8]) -> Result<Self, InvalidCell>;
}

/// Decodes a cell with the type's `FromStr`: how the generated enums of a row
/// type implement [`CsvCell`].
pub fn parse_cell<T>(cell: &[u8]) -> Result<T, InvalidCell>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    text(cell)?.parse().map_err(InvalidCell::new)
}

#[inline]
fn text(cell: &[u8]) -> Result<&str, InvalidCell> {
    std::str::from_utf8(cell).map_err(|_| InvalidCell::new("not valid UTF-8"))
}

impl<T: CsvCell> CsvCell for Option<T> {
    #[inline]
    fn from_cell(cell: &[u8]) -> Result<Self, InvalidCell> {
        if cell.is_empty() {
            Ok(None)
        } else {
            T::from_cell(cell).map(Some)
        }
    }
}

impl CsvCell for String {
    #[inline]
    fn from_cell(cell: &[u8]) -> Result<Self, InvalidCell> {
        text(cell).map(str::to_owned)
    }
}

impl CsvCell for bool {
    #[inline]
    fn from_cell(cell: &[u8]) -> Result<Self, InvalidCell> {
        match cell {
            b"true" => Ok(true),
            b"false" => Ok(false),
            _ => parse_cell(cell),
        }
    }
}

impl CsvCell for i64 {
    #[inline]
    fn from_cell(cell: &[u8]) -> Result<Self, InvalidCell> {
        match small_integer(cell) {
            Some(value) => Ok(value),
            None => integer(cell),
        }
    }
}

/// An integer as csv-async's deserializer reads one: `0x` and hexadecimal
/// digits, or what `str::parse` takes.
trait Integer: Sized {
    fn parse(text: &str) -> Result<Self, std::num::ParseIntError>;
}

fn integer<T: Integer>(cell: &[u8]) -> Result<T, InvalidCell> {
    T::parse(text(cell)?).map_err(InvalidCell::new)
}

/// [`Integer`] for each type; [`CsvCell`] too, for those without a fast path.
macro_rules! integers {
    ($($ty:ty),* ; cells $($cell:ty),*) => {
        $(
            impl Integer for $ty {
                fn parse(text: &str) -> Result<Self, std::num::ParseIntError> {
                    match text.strip_prefix("0x") {
                        Some(hexadecimal) => <$ty>::from_str_radix(hexadecimal, 16),
                        None => text.parse(),
                    }
                }
            }
        )*
        $(
            impl CsvCell for $cell {
                fn from_cell(cell: &[u8]) -> Result<Self, InvalidCell> {
                    integer(cell)
                }
            }
        )*
    };
}

integers!(i64, i32, u32, u64; cells i32, u32, u64);

impl CsvCell for f64 {
    fn from_cell(cell: &[u8]) -> Result<Self, InvalidCell> {
        parse_cell(cell)
    }
}

impl CsvCell for DateTime<Utc> {
    #[inline]
    fn from_cell(cell: &[u8]) -> Result<Self, InvalidCell> {
        match fixed_rfc3339(cell) {
            Some(time) => Ok(time),
            // As chrono's `Deserialize` reads it: any form it knows, kept as UTC.
            None => text(cell)?
                .parse::<DateTime<FixedOffset>>()
                .map(|time| time.with_timezone(&Utc))
                .map_err(|error| InvalidCell::new(format!("not an RFC 3339 date-time: {error}"))),
        }
    }
}

/// An optionally signed integer of at most 18 digits, which cannot overflow
/// an `i64`; anything else is left to [`integer`].
#[inline]
fn small_integer(cell: &[u8]) -> Option<i64> {
    let (negative, digits) = match cell {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, cell),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut value: i64 = 0;
    for &byte in digits {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value * 10 + i64::from(digit);
    }
    Some(if negative { -value } else { value })
}

/// `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits, then `Z` or
/// `±HH:MM`: the form the exports use. `None` for anything else (including
/// leap seconds), which chrono then parses.
#[inline]
fn fixed_rfc3339(cell: &[u8]) -> Option<DateTime<Utc>> {
    let [
        y0,
        y1,
        y2,
        y3,
        b'-',
        m0,
        m1,
        b'-',
        d0,
        d1,
        b'T',
        h0,
        h1,
        b':',
        n0,
        n1,
        b':',
        s0,
        s1,
        rest @ ..,
    ] = cell
    else {
        return None;
    };
    let year = digits(&[*y0, *y1, *y2, *y3])?;
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        digits(&[*m0, *m1])?,
        digits(&[*d0, *d1])?,
    )?;
    let (nanos, zone) = match rest {
        [b'.', fraction @ ..] => {
            let count = fraction
                .iter()
                .take_while(|byte| byte.is_ascii_digit())
                .count();
            if !(1..=9).contains(&count) {
                return None;
            }
            let value = digits(&fraction[..count])?;
            (value * 10u32.pow(9 - count as u32), &fraction[count..])
        }
        _ => (0, rest),
    };
    let offset_seconds = match zone {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h0, h1, b':', m0, m1] => {
            let (hours, minutes) = (digits(&[*h0, *h1])?, digits(&[*m0, *m1])?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = i64::from(hours * 3600 + minutes * 60);
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    let time = NaiveTime::from_hms_nano_opt(
        digits(&[*h0, *h1])?,
        digits(&[*n0, *n1])?,
        digits(&[*s0, *s1])?,
        nanos,
    )?;
    let local = date.and_time(time);
    let utc = local.checked_sub_signed(TimeDelta::seconds(offset_seconds))?;
    Some(utc.and_utc())
}

#[inline]
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |value, &byte| {
        let digit = byte.wrapping_sub(b'0');
        (digit <= 9).then_some(value * 10 + u32::from(digit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono(text: &str) -> Option<DateTime<Utc>> {
        text.parse::<DateTime<FixedOffset>>()
            .ok()
            .map(|time| time.with_timezone(&Utc))
    }

    #[test]
    fn the_fixed_form_reads_as_chrono_reads_it() {
        for text in [
            "2025-06-15T10:30:00Z",
            "2025-06-15T10:30:00.5Z",
            "2025-06-15T10:30:00.123456789Z",
            "2025-06-15T10:30:00+08:00",
            "2025-06-15T01:30:00-23:59",
            "2024-02-29T23:59:59-00:00",
            "0000-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59Z",
        ] {
            let fast = fixed_rfc3339(text.as_bytes());
            assert!(fast.is_some(), "{text} is on the fast path");
            assert_eq!(fast, chrono(text), "{text}");
        }
    }

    #[test]
    fn what_the_fast_path_refuses_is_left_to_chrono() {
        for text in [
            "2025-02-29T10:30:00Z",
            "2025-06-15T24:00:00Z",
            "2025-06-15T10:60:00Z",
            "2025-06-15T10:30:60Z",
            "2025-06-15 10:30:00Z",
            "2025-06-15t10:30:00z",
            "2025-06-15T10:30:00",
            "2025-06-15T10:30:00.Z",
            "2025-06-15T10:30:00.1234567890Z",
            "2025-06-15T10:30:00+24:00",
            "2025-06-15T10:30:00+0800",
            "2025-06-15T10:30:00Z ",
            "+2025-06-15T10:30:00Z",
            "1718447400000",
        ] {
            assert_eq!(fixed_rfc3339(text.as_bytes()), None, "{text}");
            assert_eq!(
                DateTime::<Utc>::from_cell(text.as_bytes()).ok(),
                chrono(text),
                "{text}"
            );
        }
    }

    #[test]
    fn integers_read_as_csv_async_read_them() {
        for text in [
            "0",
            "-0",
            "+7",
            "120",
            "-120",
            "999999999999999999",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "",
            "-",
            "+",
            "1.0",
            " 1",
            "1e3",
            "١٢",
        ] {
            assert_eq!(
                i64::from_cell(text.as_bytes()).ok(),
                text.parse::<i64>().ok(),
                "{text:?}"
            );
        }
        // csv-async's deserializer took `0x` for hexadecimal.
        assert_eq!(i64::from_cell(b"0x1f"), Ok(31));
        assert_eq!(u32::from_cell(b"0xff"), Ok(255));
        assert!(i64::from_cell(b"0x").is_err());
    }

    #[test]
    fn booleans_and_options_read_as_before() {
        assert_eq!(bool::from_cell(b"true"), Ok(true));
        assert_eq!(bool::from_cell(b"false"), Ok(false));
        assert!(bool::from_cell(b"True").is_err());
        assert_eq!(Option::<i64>::from_cell(b""), Ok(None));
        assert_eq!(Option::<String>::from_cell(b""), Ok(None));
        assert_eq!(String::from_cell(b""), Ok(String::new()));
        assert!(
            i64::from_cell(b"").is_err(),
            "a required number is not zero"
        );
        assert!(String::from_cell(b"\xff").is_err());
    }
}
