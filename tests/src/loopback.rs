//! A fast HTTP server on 127.0.0.1 for the benchmarks: it answers from bytes
//! prepared in advance, on a thread of its own, so that a benchmark measures
//! the client and the server costs the same for both sides of a comparison.

use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{Uri, header};
use axum::response::Response;
use tokio::sync::oneshot;

/// What the server answers to one request.
#[derive(Clone, Debug)]
pub enum Answer {
    /// `200 OK` with a JSON body.
    Json(Bytes),
    /// `200 OK` with a `text/csv` body, streamed in chunks: `head` once, then
    /// `chunk` `times` times. Its size is [`Answer::len`].
    Csv {
        /// The header line.
        head: Bytes,
        /// Whole rows, repeated.
        chunk: Bytes,
        /// How many times `chunk` is sent.
        times: u64,
    },
    /// `200 OK` with a `text/csv` body: a file's bytes, read from disk in
    /// 64 KiB chunks as they are sent (never held whole in memory).
    File(std::path::PathBuf),
}

impl Answer {
    /// A CSV body of at least `size` bytes: the header line of `example` (a
    /// CSV text with a header line, and no line break inside a quoted field),
    /// then its rows, repeated in chunks of about 64 KiB. Returns the answer
    /// and the number of rows it carries.
    pub fn csv_of_size(example: &str, size: u64) -> (Answer, u64) {
        let (head, rows) = example.split_once('\n').expect("a header line");
        let rows_in_example = rows.lines().count() as u64;
        let copies = (64 * 1024 / rows.len()).max(1);
        let chunk = rows.repeat(copies);
        let times = (size - head.len() as u64).div_ceil(chunk.len() as u64);
        let answer = Answer::Csv {
            head: format!("{head}\n").into(),
            chunk: chunk.into(),
            times,
        };
        (answer, rows_in_example * copies as u64 * times)
    }

    /// The body's size in bytes.
    pub fn len(&self) -> u64 {
        match self {
            Answer::Json(body) => body.len() as u64,
            Answer::Csv { head, chunk, times } => head.len() as u64 + chunk.len() as u64 * times,
            Answer::File(path) => std::fs::metadata(path).map_or(0, |file| file.len()),
        }
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn into_response(self) -> Response {
        let (content_type, body) = match self {
            Answer::Json(body) => ("application/json", Body::from(body)),
            Answer::Csv { head, chunk, times } => {
                let chunks = std::iter::once(head)
                    .chain(std::iter::repeat_n(chunk, times as usize))
                    .map(Ok::<_, std::convert::Infallible>);
                (
                    "text/csv; charset=utf-8",
                    Body::from_stream(futures_util::stream::iter(chunks)),
                )
            }
            Answer::File(path) => ("text/csv; charset=utf-8", file_body(path)),
        };
        Response::builder()
            .header(header::CONTENT_TYPE, content_type)
            .body(body)
            .expect("a valid response")
    }
}

/// A file's bytes as a streamed body, in chunks of 64 KiB, opened when the
/// body is first polled; an error opening or reading it ends the body.
fn file_body(path: std::path::PathBuf) -> Body {
    use futures_util::TryStreamExt;
    let chunks = futures_util::stream::once(tokio::fs::File::open(path))
        .map_ok(|file| tokio_util::io::ReaderStream::with_capacity(file, 64 * 1024))
        .try_flatten();
    Body::from_stream(chunks)
}

/// A running loopback server; it stops when dropped.
pub struct Loopback {
    base_url: String,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Loopback {
    /// Starts a server that waits `delay` before each answer, then answers
    /// `answer(uri)` (path and query as the client sent them).
    pub fn start<F>(delay: Duration, answer: F) -> Self
    where
        F: Fn(&Uri) -> Answer + Send + Sync + 'static,
    {
        let answer = Arc::new(answer);
        // The request's body is read whole before answering, as a server
        // does (an answer sent while a client still streams its body races
        // the upload).
        let app = axum::Router::new().fallback(move |uri: Uri, _body: Bytes| {
            let answer = Arc::clone(&answer);
            async move {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                answer(&uri).into_response()
            }
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base_url = format!("http://{}", listener.local_addr().expect("an address"));
        listener.set_nonblocking(true).expect("non-blocking");
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("a listener");
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
                    .expect("serve");
            });
        });
        Self {
            base_url,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The server's base URL, `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The runtime a benchmark's client runs on: one thread, since the server has
/// its own.
pub fn client_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// The value of query parameter `name` in `uri`, parsed.
pub fn query_number(uri: &Uri, name: &str) -> Option<u64> {
    uri.query()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .and_then(|(_, value)| value.parse().ok())
}
