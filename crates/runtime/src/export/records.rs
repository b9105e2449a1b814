//! Decoding CSV text into rows: csv-core's parser run directly over the
//! body's chunks (no copy into a reader's buffer), one record buffer reused
//! for every row, the header read once into the positions of the row type's
//! columns, and each row handed to [`CsvRow::from_record`].

use std::marker::PhantomData;

use csv_core::ReadRecordResult;

use super::cells::{CsvRecord, Header};
use super::{CsvRow, ExportError};

/// The most bytes one row may hold: a longer one (most likely a quote that
/// is never closed) ends the export with an error instead of growing the
/// buffer with the whole rest of the body.
const MAX_ROW_BYTES: usize = 16 * 1024 * 1024;
/// The most fields one row may have (each costs a `usize` even when empty).
const MAX_ROW_FIELDS: usize = 65_536;

/// Decodes the rows of a CSV text fed to it a chunk at a time: the header
/// first (no row), then each record into a `T`, in order.
pub(super) struct Decoder<T> {
    parser: Parser,
    header: Option<Header>,
    finished: bool,
    row: PhantomData<fn() -> T>,
}

/// What [`Decoder::next_row`] found.
pub(super) enum Next<T> {
    /// A row (or why it does not decode, or why the text cannot be read).
    Row(Result<T, ExportError>),
    /// The chunk is used up: the next one, or the end of the text, is needed.
    NeedInput,
    /// Nothing more can come: the end of the text was read, or the header was
    /// wrong.
    Finished,
}

impl<T: CsvRow> Decoder<T> {
    pub(super) fn new() -> Self {
        Self {
            parser: Parser::new(),
            header: None,
            finished: false,
            row: PhantomData,
        }
    }

    /// Decodes nothing more (the body failed).
    pub(super) fn stop(&mut self) {
        self.finished = true;
    }

    /// The end of the text has been reached: what is left in the parser is
    /// read as its end.
    pub(super) fn end(&mut self) {
        self.parser.at_end = true;
    }

    /// The next row of `chunk`, which is advanced past what was read.
    #[inline]
    pub(super) fn next_row(&mut self, chunk: &mut &[u8]) -> Next<T> {
        loop {
            if self.finished {
                return Next::Finished;
            }
            if chunk.is_empty() && !self.parser.at_end {
                return Next::NeedInput;
            }
            let (step, consumed) = self.parser.read(chunk);
            *chunk = &chunk[consumed..];
            match step {
                Step::NeedInput => return Next::NeedInput,
                Step::Record => {
                    if let Some(row) = self.record() {
                        return Next::Row(row);
                    }
                }
                Step::TooLong => {
                    self.finished = true;
                    return Next::Row(Err(ExportError::Row {
                        line: self.parser.line,
                        message: format!(
                            "the row is longer than {} MiB or {MAX_ROW_FIELDS} fields \
                             (a quote that is never closed?)",
                            MAX_ROW_BYTES / (1024 * 1024)
                        ),
                    }));
                }
                Step::End => {
                    self.finished = true;
                    if self.header.is_none() {
                        // An empty text: a header without any column.
                        return Next::Row(Err(ExportError::MissingColumns {
                            columns: T::COLUMNS.iter().map(|c| c.to_string()).collect(),
                        }));
                    }
                }
            }
        }
    }

    /// What a complete record becomes: the header (no row), or a row.
    fn record(&mut self) -> Option<Result<T, ExportError>> {
        let Some(header) = &self.header else {
            let header = self.parser.header(T::COLUMNS);
            self.parser.clear();
            return match header {
                Ok(header) => {
                    self.header = Some(header);
                    None
                }
                Err(error) => {
                    self.finished = true;
                    Some(Err(error))
                }
            };
        };
        let record = self.parser.record(header);
        let row = if record.ends.len() == header.names.len() {
            T::from_record(&record)
        } else {
            Err(ExportError::Row {
                line: record.line,
                message: format!(
                    "the row has {} fields, the header {}",
                    record.ends.len(),
                    header.names.len()
                ),
            })
        };
        self.parser.clear();
        Some(row)
    }
}

/// What the parser stopped at.
enum Step {
    /// A whole record is in the buffers.
    Record,
    /// The input is used up in the middle of a record, or between two.
    NeedInput,
    /// The end of the CSV text.
    End,
    /// The record outgrew [`MAX_ROW_BYTES`] or [`MAX_ROW_FIELDS`].
    TooLong,
}

/// csv-core's reader with the buffers of the record being read.
struct Parser {
    core: csv_core::Reader,
    fields: Vec<u8>,
    ends: Vec<usize>,
    used: usize,
    used_ends: usize,
    line: u64,
    at_end: bool,
}

impl Parser {
    fn new() -> Self {
        Self {
            core: csv_core::Reader::new(),
            fields: vec![0; 4096],
            ends: vec![0; 64],
            used: 0,
            used_ends: 0,
            line: 1,
            at_end: false,
        }
    }

    /// Parses from `input` until a record is complete or the input used up;
    /// returns the step and how much of `input` it read. Once `at_end` is set
    /// an empty input is the end of the text.
    #[inline]
    fn read(&mut self, mut input: &[u8]) -> (Step, usize) {
        let mut consumed = 0;
        loop {
            let (result, read, written, ended) = self.core.read_record(
                input,
                &mut self.fields[self.used..],
                &mut self.ends[self.used_ends..],
            );
            consumed += read;
            input = &input[read..];
            self.used += written;
            self.used_ends += ended;
            match result {
                ReadRecordResult::InputEmpty if self.at_end => return (Step::End, consumed),
                ReadRecordResult::InputEmpty => return (Step::NeedInput, consumed),
                ReadRecordResult::OutputFull if self.fields.len() >= MAX_ROW_BYTES => {
                    return (Step::TooLong, consumed);
                }
                ReadRecordResult::OutputFull => {
                    let length = self.fields.len();
                    self.fields.resize((length * 2).min(MAX_ROW_BYTES), 0);
                }
                ReadRecordResult::OutputEndsFull if self.ends.len() >= MAX_ROW_FIELDS => {
                    return (Step::TooLong, consumed);
                }
                ReadRecordResult::OutputEndsFull => {
                    let length = self.ends.len();
                    self.ends.resize((length * 2).min(MAX_ROW_FIELDS), 0);
                }
                ReadRecordResult::Record => return (Step::Record, consumed),
                ReadRecordResult::End => return (Step::End, consumed),
            }
        }
    }

    /// The record just read, as the row type's decoder sees it.
    fn record<'a>(&'a self, header: &'a Header) -> CsvRecord<'a> {
        CsvRecord {
            fields: &self.fields[..self.used],
            ends: &self.ends[..self.used_ends],
            header,
            line: self.line,
        }
    }

    /// The record just read as the header: where each of `columns` is in it.
    fn header(&self, columns: &'static [&'static str]) -> Result<Header, ExportError> {
        let mut names = csv_async::ByteRecord::with_capacity(self.used, self.used_ends);
        let mut start = 0;
        for &end in &self.ends[..self.used_ends] {
            names.push_field(&self.fields[start..end]);
            start = end;
        }
        if std::str::from_utf8(&self.fields[..self.used]).is_err() {
            return Err(ExportError::Row {
                line: self.line,
                message: "the header is not valid UTF-8".to_owned(),
            });
        }
        let mut positions = Vec::with_capacity(columns.len());
        let mut missing = Vec::new();
        for column in columns {
            match names.iter().position(|name| name == column.as_bytes()) {
                Some(position) => positions.push(position),
                None => missing.push(column.to_string()),
            }
        }
        if !missing.is_empty() {
            return Err(ExportError::MissingColumns { columns: missing });
        }
        Ok(Header {
            names,
            positions,
            columns,
        })
    }

    /// Empties the buffers for the next record, which starts on the line the
    /// parser has reached.
    fn clear(&mut self) {
        self.used = 0;
        self.used_ends = 0;
        self.line = self.core.line();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row type of one column, decoded by serde.
    #[derive(serde::Deserialize, Debug)]
    struct Row {
        id: String,
    }

    impl CsvRow for Row {
        const COLUMNS: &'static [&'static str] = &["id"];
    }

    /// Feeds `chunks` and then the end; every row and error, in order.
    fn decode(chunks: &[&[u8]]) -> Vec<Result<Row, ExportError>> {
        let mut decoder = Decoder::<Row>::new();
        let mut rows = Vec::new();
        for chunk in chunks {
            let mut rest = *chunk;
            loop {
                match decoder.next_row(&mut rest) {
                    Next::Row(row) => rows.push(row),
                    Next::NeedInput => break,
                    Next::Finished => return rows,
                }
            }
        }
        decoder.end();
        loop {
            match decoder.next_row(&mut &[][..]) {
                Next::Row(row) => rows.push(row),
                Next::NeedInput => unreachable!("the end needs no more input"),
                Next::Finished => return rows,
            }
        }
    }

    #[test]
    fn a_quote_never_closed_ends_in_an_error_with_a_bounded_buffer() {
        let chunk = vec![b'x'; 1024 * 1024];
        let mut chunks: Vec<&[u8]> = vec![b"id\n1\n\"open"];
        chunks.extend(std::iter::repeat_n(&chunk[..], 20));
        let rows = decode(&chunks);
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(rows[0].is_ok());
        let Err(ExportError::Row { line, message }) = &rows[1] else {
            panic!("{:?}", rows[1])
        };
        assert_eq!(*line, 3);
        assert!(message.contains("longer than 16 MiB"), "{message}");
    }

    #[test]
    fn a_row_of_too_many_fields_ends_in_an_error() {
        let commas = vec![b','; 100_000];
        let rows = decode(&[b"id\n", &commas, b"\n"]);
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert!(
            matches!(&rows[0], Err(ExportError::Row { line: 2, .. })),
            "{rows:?}"
        );
    }

    #[test]
    fn rows_split_anywhere_across_chunks_decode_whole() {
        let text = b"id,extra\r\n\"a,\"\"b\"\"\",1\n\"multi\nline\",2\n";
        for split in 0..text.len() {
            let rows = decode(&[&text[..split], &text[split..]]);
            let ids: Vec<String> = rows.into_iter().map(|row| row.unwrap().id).collect();
            assert_eq!(ids, ["a,\"b\"", "multi\nline"], "split at {split}");
        }
    }
}
