//! [`Format`]: how an answer is written, and which one applies when none is
//! asked for.

use crate::failure::{Failure, Kind};

/// How an answer is written (`--format`, or `DEVPLAT_FORMAT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The answer as JSON: pretty on a terminal, compact when piped; with
    /// `--all`, one array of every item.
    Json,
    /// One compact JSON value per line: each item of a list, or the answer.
    Ndjson,
    /// Aligned columns for people: a list's most useful fields (`--columns`
    /// to choose), one object as field and value lines; cut to the
    /// terminal's width.
    Table,
    /// A list as CSV with a header (every documented field, or `--columns`);
    /// nested values as JSON text. An export's rows exactly as sent.
    Csv,
}

impl Format {
    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Ndjson => "ndjson",
            Self::Table => "table",
            Self::Csv => "csv",
        }
    }

    /// Reads `DEVPLAT_FORMAT`'s value.
    pub fn from_variable(value: &str) -> Result<Self, Failure> {
        [Self::Json, Self::Ndjson, Self::Table, Self::Csv]
            .into_iter()
            .find(|format| format.name() == value.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                Failure::of(
                    Kind::Usage,
                    format!("DEVPLAT_FORMAT={value} is not one of json, ndjson, table, csv"),
                )
            })
    }
}

/// What decides an answer's format: `--format`, `DEVPLAT_FORMAT`, and
/// whether standard output is a terminal.
#[derive(Clone, Copy, Debug, Default)]
pub struct Choice {
    /// `--format`.
    pub flag: Option<Format>,
    /// `DEVPLAT_FORMAT`.
    pub variable: Option<Format>,
    /// Standard output is a terminal.
    pub terminal: bool,
}

impl Choice {
    /// The format of a JSON answer: `--format`, else `DEVPLAT_FORMAT`, else
    /// `table` on a terminal and `json` otherwise.
    pub fn for_json(self) -> Format {
        self.flag.or(self.variable).unwrap_or(if self.terminal {
            Format::Table
        } else {
            Format::Json
        })
    }

    /// The format of a CSV export: `--format`, else the CSV as sent
    /// (`DEVPLAT_FORMAT` is the JSON answers' default; an export stays CSV
    /// unless asked otherwise, even into a file).
    pub fn for_export(self) -> Format {
        self.flag.unwrap_or(Format::Csv)
    }
}
