//! CSV exports: a streamed `text/csv` response read as typed rows, or copied
//! as it is, and never ending silently short.

use std::io;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use csv_async::{AsyncReaderBuilder, StringRecord};
use futures_util::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};
use progenitor_client::{ByteStream, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, HeaderMap};
use serde::de::DeserializeOwned;
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// A row type of a CSV export: the generated type named by the spec's
/// `x-csv-row`, whose properties are the export's columns.
pub trait CsvRow: DeserializeOwned + Send + 'static {
    /// The columns the export's header must have, in the documented order.
    const COLUMNS: &'static [&'static str];
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
    /// `T` (extra columns are ignored); a row that does not decode is an
    /// [`ExportError::Row`] naming its line and column.
    pub fn rows(self) -> CsvRows<T> {
        // csv-async skips a UTF-8 byte order mark before the header.
        let reader = self.body.map_err(io::Error::other).into_async_read();
        let mut csv = AsyncReaderBuilder::new().create_deserializer(reader);
        stream::once(async move {
            let header = csv
                .headers()
                .await
                .map_err(|error| from_csv(error, None))?
                .clone();
            let missing: Vec<String> = T::COLUMNS
                .iter()
                .filter(|column| !header.iter().any(|name| name == **column))
                .map(|column| column.to_string())
                .collect();
            if !missing.is_empty() {
                return Err(ExportError::MissingColumns { columns: missing });
            }
            Ok(csv
                .into_deserialize::<T>()
                .map_err(move |error| from_csv(error, Some(&header))))
        })
        .try_flatten()
        .boxed()
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

/// Turns a CSV reader's error back into ours: an I/O error is one of ours
/// (from [`Checked`]) passed through the reader.
fn from_csv(error: csv_async::Error, header: Option<&StringRecord>) -> ExportError {
    let line = error.position().map_or(0, |position| position.line());
    let described = error.to_string();
    match error.into_kind() {
        csv_async::ErrorKind::Io(io_error) => match io_error
            .into_inner()
            .map(|inner| inner.downcast::<ExportError>())
        {
            Some(Ok(ours)) => *ours,
            Some(Err(other)) => ExportError::Row {
                line,
                message: other.to_string(),
            },
            None => ExportError::Row {
                line,
                message: "unreadable input".to_owned(),
            },
        },
        csv_async::ErrorKind::Deserialize { err, .. } => {
            let column = err
                .field()
                .and_then(|index| header?.get(usize::try_from(index).ok()?));
            let message = match column {
                Some(column) => format!("column `{column}`: {}", err.kind()),
                None => err.kind().to_string(),
            };
            ExportError::Row { line, message }
        }
        _ => ExportError::Row {
            line,
            message: described,
        },
    }
}

/// What [`CsvExport::on_chunk`] calls with each chunk.
type Observer = Box<dyn FnMut(&[u8]) + Send + Sync>;

/// The body's chunks, with what is needed to tell a complete CSV text from a
/// cut-off one: the byte count, whether the last byte is a line break and
/// whether a quoted field is open (an odd number of `"` so far). At the end of
/// a non-empty body that is not complete it yields [`ExportError::Truncated`].
struct Checked {
    inner: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send + Sync>>,
    observer: Option<Observer>,
    bytes: u64,
    open_quote: bool,
    ends_with_newline: bool,
    finished: bool,
}

impl Checked {
    fn new(inner: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send + Sync>>) -> Self {
        Self {
            inner,
            observer: None,
            bytes: 0,
            open_quote: false,
            ends_with_newline: false,
            finished: false,
        }
    }
}

impl Stream for Checked {
    type Item = Result<Bytes, ExportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.finished {
            return Poll::Ready(None);
        }
        match self.inner.as_mut().poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => {
                if chunk.is_empty() {
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                let quotes = memchr::memchr_iter(b'"', &chunk).count();
                self.open_quote ^= quotes % 2 == 1;
                self.ends_with_newline = chunk.last() == Some(&b'\n');
                self.bytes += chunk.len() as u64;
                if let Some(observe) = self.observer.as_mut() {
                    observe(&chunk);
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(error))) => {
                self.finished = true;
                Poll::Ready(Some(Err(ExportError::Body(error.without_url()))))
            }
            Poll::Ready(None) => {
                self.finished = true;
                if self.bytes > 0 && (self.open_quote || !self.ends_with_newline) {
                    Poll::Ready(Some(Err(ExportError::Truncated { bytes: self.bytes })))
                } else {
                    Poll::Ready(None)
                }
            }
        }
    }
}
