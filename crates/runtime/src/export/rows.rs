//! The stream of typed rows: each chunk of the body decoded as it arrives,
//! one row per poll, in the caller's task.
//!
//! (Decoding on a thread of its own, with bounded channels of chunks and of
//! rows, was measured and left out: on two cores it took the same time and a
//! quarter more CPU. BENCHMARKS.md has the figures.)

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures_util::stream::{Stream, StreamExt};

use super::checked::Checked;
use super::records::{Decoder, Next};
use super::{CsvRow, ExportError};

/// The typed rows of a checked body.
pub(super) struct Rows<T> {
    body: Checked,
    decoder: Decoder<T>,
    chunk: Bytes,
}

impl<T: CsvRow> Rows<T> {
    pub(super) fn new(body: Checked) -> Self {
        Self {
            body,
            decoder: Decoder::new(),
            chunk: Bytes::new(),
        }
    }
}

// Nothing of the stream is pinned: its rows are moved out, never pinned.
impl<T> Unpin for Rows<T> {}

impl<T: CsvRow> Stream for Rows<T> {
    type Item = Result<T, ExportError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            let mut rest = &this.chunk[..];
            let next = this.decoder.next_row(&mut rest);
            let consumed = this.chunk.len() - rest.len();
            let _ = this.chunk.split_to(consumed);
            match next {
                Next::Row(row) => return Poll::Ready(Some(row)),
                Next::Finished => return Poll::Ready(None),
                Next::NeedInput => match ready!(this.body.poll_next_unpin(cx)) {
                    Some(Ok(chunk)) => this.chunk = chunk,
                    Some(Err(error)) => {
                        this.decoder.stop();
                        return Poll::Ready(Some(Err(error)));
                    }
                    None => this.decoder.end(),
                },
            }
        }
    }
}
