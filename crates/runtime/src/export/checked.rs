//! The body of an export with what tells a complete CSV text from a cut-off
//! one.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::stream::Stream;

use super::ExportError;

/// What [`CsvExport::on_chunk`](super::CsvExport::on_chunk) calls with each chunk.
pub(super) type Observer = Box<dyn FnMut(&[u8]) + Send + Sync>;

/// The body's chunks, with what is needed to tell a complete CSV text from a
/// cut-off one: the byte count, whether the last byte is a line break and
/// whether a quoted field is open (an odd number of `"` so far). At the end of
/// a non-empty body that is not complete it yields [`ExportError::Truncated`].
pub(super) struct Checked {
    inner: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send + Sync>>,
    pub(super) observer: Option<Observer>,
    bytes: u64,
    open_quote: bool,
    ends_with_newline: bool,
    finished: bool,
}

impl Checked {
    pub(super) fn new(
        inner: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send + Sync>>,
    ) -> Self {
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
