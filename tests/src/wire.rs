//! What a client sent to a wiremock server, checked exactly; and a raw HTTP
//! server for responses wiremock cannot send (cut off, paused mid-body).

use std::future::Future;

use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A mock server that answers every request with one response and records it.
pub struct Recorder {
    server: MockServer,
}

impl Recorder {
    /// Starts a server on 127.0.0.1 that answers every request with `response`.
    pub async fn answering(response: ResponseTemplate) -> Self {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(response)
            .mount(&server)
            .await;
        Self { server }
    }

    /// Starts a server that answers every request `200` with this JSON body.
    pub async fn json(body: serde_json::Value) -> Self {
        Self::answering(ResponseTemplate::new(200).set_body_json(body)).await
    }

    /// The server's base URL, `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Every request received so far.
    pub async fn requests(&self) -> Vec<Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The one request received; panics unless exactly one arrived.
    pub async fn only_request(&self) -> Request {
        let mut requests = self.requests().await;
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {}",
            requests.len()
        );
        requests.remove(0)
    }
}

/// A provider client pointed at this recorder, with `token`.
pub fn client_for<C: dev_platform_runtime::Provider>(recorder: &Recorder, token: &str) -> C {
    dev_platform_runtime::ClientBuilder::<C>::new()
        .token(token)
        .base_url(recorder.uri())
        .build()
        .expect("client")
}

/// Like [`client_for`], with retries off: for tests of how one answer is
/// reported.
pub fn client_without_retries<C: dev_platform_runtime::Provider>(
    recorder: &Recorder,
    token: &str,
) -> C {
    dev_platform_runtime::ClientBuilder::<C>::new()
        .token(token)
        .base_url(recorder.uri())
        .max_attempts(1)
        .build()
        .expect("client")
}

/// `PATH?QUERY` of a request, as sent.
pub fn path_and_query(request: &Request) -> String {
    match request.url.query() {
        Some(query) => format!("{}?{query}", request.url.path()),
        None => request.url.path().to_owned(),
    }
}

/// A header's value as text, if present.
pub fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// The query of a request as sorted `(name, value)` pairs, decoded: the same
/// for `a=1&b=2` and `b=2&a=1`, and for `:` sent as `%3A`.
pub fn query_pairs(request: &Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

/// Checks a request against a documentation demo for an API with a Bearer
/// token: the method, the path and query of `expected` (`/path?a=1&b=2`; the
/// pairs compared decoded and in any order), `Authorization: Bearer <token>`,
/// the crate's `user_agent` and no progenitor `api-version` header; the token
/// is not in the URL, and a GET has no body.
pub fn assert_bearer_request(
    request: &Request,
    method: &str,
    expected: &str,
    token: &str,
    user_agent: &str,
) {
    let (path, query) = expected.split_once('?').unwrap_or((expected, ""));
    assert_eq!(request.method.as_str(), method);
    assert_eq!(request.url.path(), path, "{}", path_and_query(request));
    assert_eq!(query_pairs(request), demo_query_pairs(query));
    let bearer = format!("Bearer {token}");
    assert_eq!(header(request, "authorization"), Some(bearer.as_str()));
    assert_eq!(header(request, "api-version"), None);
    assert_eq!(header(request, "user-agent"), Some(user_agent));
    assert!(!request.url.as_str().contains(token));
    if method == "GET" {
        assert!(request.body.is_empty());
    }
}

/// `query_pairs` of a query string as a documentation demo writes it
/// (`start_date=2025-06-01T00:00:00Z&limit=20`).
pub fn demo_query_pairs(query: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect();
    pairs.sort();
    pairs
}

/// Starts an HTTP server on 127.0.0.1 that accepts one connection, reads the
/// request head and hands the socket to `respond`, which writes whatever it
/// likes (a body shorter than its `Content-Length`, a pause mid-body). Returns
/// the base URL.
pub async fn raw_server<F, Fut>(respond: F) -> String
where
    F: FnOnce(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            if stream.read(&mut byte).await.expect("read") == 0 {
                return;
            }
            head.push(byte[0]);
        }
        respond(stream).await;
    });
    format!("http://{address}")
}
