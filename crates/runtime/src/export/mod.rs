//! CSV exports: a streamed `text/csv` response read as typed rows, or copied
//! as it is, and never ending silently short.
//!
//! The body's chunks are checked for a cut-off text (`checked`), parsed into
//! records by csv-core (`records`), whose cells each row type decodes by
//! position (`cells`), one row per poll of the stream (`rows`).

mod cells;
mod checked;
mod records;
mod rows;

use std::io;
use std::marker::PhantomData;

use futures_util::stream::{BoxStream, StreamExt};
use progenitor_client::{ByteStream, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, HeaderMap};
use serde::de::DeserializeOwned;
use tokio::io::{AsyncWrite, AsyncWriteExt};

pub use cells::{CsvCell, CsvRecord, InvalidCell, parse_cell};
use checked::Checked;

/// A row type of a CSV export: the generated type named by the spec's
/// `x-csv-row`, whose properties are the export's columns.
pub trait CsvRow: DeserializeOwned + Send + 'static {
    /// The columns the export's header must have, in the documented order.
    const COLUMNS: &'static [&'static str];

    /// Decodes one row. The generated row types decode each cell by its
    /// position ([`CsvRecord::cell`]); this default decodes the row with serde
    /// by header name ([`CsvRecord::deserialize`]), as a row type of your own
    /// may.
    fn from_record(record: &CsvRecord<'_>) -> Result<Self, ExportError> {
        record.deserialize()
    }
}

/// The rows of an export, decoded one at a time as they arrive.
pub type CsvRows<T> = BoxStream<'static, Result<T, ExportError>>;

/// Why an export could not be read completely.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The connection failed while the export was being read (reset, closed
    /// before the announced length, a timeout).
    #[error("the connection failed while the export was read: {0}")]
    Body(#[source] reqwest::Error),
    /// The export ended in the middle of a row: the last row has no line break
    /// or a quoted field is still open.
    #[error("the export was cut off in the middle of a row after {bytes} bytes")]
    Truncated {
        /// How many bytes arrived.
        bytes: u64,
    },
    /// The header lacks columns the row type needs.
    #[error("the export's header lacks the column(s) {}", quoted(columns))]
    MissingColumns {
        /// The missing columns, in the documented order.
        columns: Vec<String>,
    },
    /// A row does not decode into the row type.
    #[error("the export's row at line {line} does not decode: {message}")]
    Row {
        /// The row's line in the CSV text, from 1 (the header).
        line: u64,
        /// What is wrong, naming the column when there is one.
        message: String,
    },
    /// Writing the copy failed.
    #[error("cannot write the export: {0}")]
    Write(#[source] io::Error),
}

fn quoted(columns: &[String]) -> String {
    columns
        .iter()
        .map(|column| format!("`{column}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A CSV export whose body has not been read yet: read it as typed rows with
/// [`rows`](Self::rows), or copy it unparsed with [`copy_to`](Self::copy_to).
/// Either way memory stays flat however long the export is, and an export that
/// is cut off (a connection closed early, a body ending mid-row) ends in an
/// [`ExportError`], never silently short.
pub struct CsvExport<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: Checked,
    row: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for CsvExport<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvExport")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl<T: CsvRow> CsvExport<T> {
    /// Wraps a streamed `text/csv` response.
    pub fn new(response: ResponseValue<ByteStream>) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        Self {
            status,
            headers,
            body: Checked::new(response.into_inner_stream()),
            row: PhantomData,
        }
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The file name the server suggests (`filename="…"` of `Content-Disposition`).
    pub fn file_name(&self) -> Option<&str> {
        let disposition = self.headers.get(CONTENT_DISPOSITION)?.to_str().ok()?;
        disposition.split(';').find_map(|part| {
            let value = part.trim().strip_prefix("filename=")?;
            Some(value.trim_matches('"'))
        })
    }

    /// Calls `observe` with every chunk of the body as it arrives, before it
    /// is parsed or copied: what a progress display counts (bytes, lines).
    pub fn on_chunk(mut self, observe: impl FnMut(&[u8]) + Send + Sync + 'static) -> Self {
        self.body.observer = Some(Box::new(observe));
        self
    }

    /// The rows, decoded incrementally as the body arrives. The first item is
    /// an [`ExportError::MissingColumns`] when the header lacks a column of
    /// `T` (extra columns are ignored, and the columns may come in any
    /// order); a row that does not decode is an [`ExportError::Row`] naming
    /// its line and column, and the rows after it still come. A row longer
    /// than 16 MiB or 65,536 fields (a quote never closed) ends the export
    /// with an [`ExportError::Row`]: memory stays bounded whatever the body.
    pub fn rows(self) -> CsvRows<T> {
        rows::Rows::<T>::new(self.body).boxed()
    }

    /// Copies the CSV text, unparsed and byte for byte, to `writer` (a file, a
    /// socket, a `Vec<u8>`), then flushes it. Returns the number of bytes
    /// written; an export that is cut off is an error even though its bytes
    /// up to the cut have been written.
    pub async fn copy_to<W>(self, writer: &mut W) -> Result<u64, ExportError>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let mut body = self.body;
        let mut written = 0;
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(ExportError::Write)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(ExportError::Write)?;
        Ok(written)
    }
}
