//! [`Sink`]: the items of a list written one at a time in a format, so that a
//! list of any length (`--all`, an export) is written as it arrives.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use crate::failure::Failure;
use crate::format::Format;
use crate::table::{self, Lines};

/// The most rows a table holds back to measure its columns (it writes them
/// sooner when the next page needs a request); a later, wider cell widens its
/// column while the line still fits the terminal, and is cut when not.
const MEASURED_ROWS: usize = 1_000;

/// Where a table stands: measuring its first rows, or writing with the widths
/// they set.
pub enum TableState {
    Measuring(Vec<Vec<String>>),
    Writing(Lines),
}

/// A list being written in one format.
pub enum Sink {
    /// One JSON array, written item by item.
    Json {
        /// Pretty (a terminal) or compact.
        pretty: bool,
        /// Whether the array is open.
        open: bool,
        /// The last item, written when the next one (or the end) comes, with
        /// the comma or the bracket after it: every write ends a line, so a
        /// progress line on the same terminal never lands inside one.
        held: Option<String>,
    },
    /// A compact JSON value per line.
    Ndjson,
    /// Aligned columns.
    Table {
        /// The columns; empty until the first item when none were chosen.
        columns: Vec<String>,
        /// The terminal's width, when known.
        total: Option<usize>,
        /// Bold header.
        colour: bool,
        /// Measuring or writing.
        state: TableState,
    },
    /// CSV with a header.
    Csv {
        /// The columns; empty until the first item when none were chosen.
        columns: Vec<String>,
        /// Whether the header is written.
        started: bool,
    },
}

/// The settings a sink is made with.
pub struct SinkSettings {
    /// The format.
    pub format: Format,
    /// The columns of a table or CSV (empty: chosen from the first item).
    pub columns: Vec<String>,
    /// Pretty JSON.
    pub pretty: bool,
    /// The terminal's width, when known.
    pub width: Option<usize>,
    /// Colour allowed.
    pub colour: bool,
}

impl Sink {
    /// A sink for a list.
    pub fn new(settings: SinkSettings) -> Self {
        match settings.format {
            Format::Json => Self::Json {
                pretty: settings.pretty,
                open: false,
                held: None,
            },
            Format::Ndjson => Self::Ndjson,
            Format::Table => Self::Table {
                columns: settings.columns,
                total: settings.width,
                colour: settings.colour,
                state: TableState::Measuring(Vec::new()),
            },
            Format::Csv => Self::Csv {
                columns: settings.columns,
                started: false,
            },
        }
    }

    /// Writes one item.
    pub fn item<T: Serialize + ?Sized>(
        &mut self,
        out: &mut dyn Write,
        item: &T,
    ) -> Result<(), Failure> {
        match self {
            Self::Json { pretty, open, held } => {
                let mut text = json_text(item, *pretty)?;
                if *pretty {
                    text = format!("  {}", text.replace('\n', "\n  "));
                }
                if !*open {
                    out.write_all(if *pretty { b"[\n" } else { b"[" })?;
                    *open = true;
                }
                if let Some(previous) = held.replace(text) {
                    out.write_all(previous.as_bytes())?;
                    out.write_all(if *pretty { b",\n" } else { b"," })?;
                }
            }
            Self::Ndjson => {
                writeln!(out, "{}", json_text(item, false)?)?;
            }
            Self::Table {
                columns,
                total,
                colour,
                state,
            } => {
                let value = to_value(item)?;
                if columns.is_empty() {
                    *columns = first_columns(&value);
                }
                let cells: Vec<String> = columns
                    .iter()
                    .map(|column| table::cell(at(&value, column)))
                    .collect();
                match state {
                    TableState::Measuring(rows) => {
                        rows.push(cells);
                        if rows.len() >= MEASURED_ROWS {
                            settle(out, columns, *total, *colour, state)?;
                        }
                    }
                    TableState::Writing(lines) => {
                        lines.widen(&cells);
                        lines.row(out, &cells, false)?;
                    }
                }
            }
            Self::Csv { columns, started } => {
                let value = to_value(item)?;
                if columns.is_empty() {
                    *columns = first_columns(&value);
                }
                let mut csv = csv::WriterBuilder::new()
                    .buffer_capacity(1024)
                    .from_writer(&mut *out);
                if !*started {
                    csv.write_record(columns.iter())?;
                    *started = true;
                }
                csv.write_record(columns.iter().map(|column| csv_field(at(&value, column))))?;
                csv.flush()?;
            }
        }
        Ok(())
    }

    /// The moment before the next item needs a request: a table measuring
    /// its first rows writes them.
    pub fn pause(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if let Self::Table {
            columns,
            total,
            colour,
            state,
        } = self
            && matches!(state, TableState::Measuring(rows) if !rows.is_empty())
        {
            settle(out, columns, *total, *colour, state)?;
        }
        Ok(())
    }

    /// Ends the list: closes a JSON array (`[]` when empty), writes a table
    /// still measuring, a CSV header when there was no row.
    pub fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Self::Json { pretty, open, held } => {
                match held.take() {
                    Some(last) if *pretty => writeln!(out, "{last}\n]")?,
                    Some(last) => writeln!(out, "{last}]")?,
                    None if *open => writeln!(out, "]")?,
                    None => writeln!(out, "[]")?,
                }
                *open = false;
                Ok(())
            }
            Self::Ndjson => Ok(()),
            Self::Table {
                columns,
                total,
                colour,
                state,
            } => match state {
                TableState::Measuring(rows) if rows.is_empty() && columns.is_empty() => Ok(()),
                TableState::Measuring(_) => settle(out, columns, *total, *colour, state),
                TableState::Writing(_) => Ok(()),
            },
            Self::Csv { columns, started } => {
                if !*started && !columns.is_empty() {
                    let mut csv = csv::WriterBuilder::new().from_writer(&mut *out);
                    csv.write_record(columns.iter())?;
                    csv.flush()?;
                    *started = true;
                }
                Ok(())
            }
        }
    }
}

/// Measures the header and the rows held back, writes them, and fixes the
/// widths for the rows to come.
fn settle(
    out: &mut dyn Write,
    columns: &[String],
    total: Option<usize>,
    colour: bool,
    state: &mut TableState,
) -> io::Result<()> {
    let TableState::Measuring(rows) = state else {
        return Ok(());
    };
    let natural: Vec<usize> = (0..columns.len())
        .map(|index| {
            rows.iter()
                .map(|row| table::width(&row[index]))
                .chain([table::width(&columns[index])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let lines = Lines {
        widths: table::fit(&natural, total),
        total,
        colour,
    };
    lines.row(out, columns, true)?;
    for row in rows.iter() {
        lines.row(out, row, false)?;
    }
    *state = TableState::Writing(lines);
    Ok(())
}

/// The value at a column: a field, or a dotted path into nested objects
/// (`user.login`).
pub fn at<'a>(value: &'a Value, column: &str) -> Option<&'a Value> {
    column
        .split('.')
        .try_fold(value, |value, key| value.as_object()?.get(key))
}

/// The columns of a list whose view names none: the first item's fields
/// (its one value, when it is no object).
fn first_columns(value: &Value) -> Vec<String> {
    match value {
        Value::Object(map) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// A CSV field: a string as it is, a nested value as JSON text, `null` and
/// absent as an empty field.
pub fn csv_field(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// A value as a JSON tree (for a table or CSV).
pub fn to_value<T: Serialize + ?Sized>(item: &T) -> Result<Value, Failure> {
    serde_json::to_value(item)
        .map_err(|error| Failure::new(format!("cannot print the answer: {error}")))
}

/// A value as JSON text, pretty or compact.
pub fn json_text<T: Serialize + ?Sized>(item: &T, pretty: bool) -> Result<String, Failure> {
    if pretty {
        serde_json::to_string_pretty(item)
    } else {
        serde_json::to_string(item)
    }
    .map_err(|error| Failure::new(format!("cannot print the answer: {error}")))
}

impl From<csv::Error> for Failure {
    fn from(error: csv::Error) -> Self {
        match error.into_kind() {
            csv::ErrorKind::Io(error) => error.into(),
            other => Failure::new(format!("cannot write CSV: {other:?}")),
        }
    }
}
