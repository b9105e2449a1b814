//! What a client sent to a wiremock server, checked exactly; and a raw HTTP
//! server for responses wiremock cannot send (cut off, paused mid-body).

use std::future::Future;

use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The environment variable that, set to `mock`, makes [`Recorder::example`]
/// use the spec-checking mock server (`dev-platform-mock`) instead of
/// wiremock: `.ci/run` runs the wire tests once that way too.
pub const BACKEND_ENV: &str = "WIRE_BACKEND";

/// A mock server that answers requests and records them: a wiremock server
/// answering one response, or the spec-checking mock server.
pub struct Recorder {
    backend: Backend,
}

enum Backend {
    Wiremock(MockServer),
    Spec(dev_platform_mock::MockServer),
}

impl Recorder {
    /// Starts a server on 127.0.0.1 that answers every request with `response`.
    pub async fn answering(response: ResponseTemplate) -> Self {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(response)
            .mount(&server)
            .await;
        Self {
            backend: Backend::Wiremock(server),
        }
    }

    /// Starts a server answering with the documented example of `operation_id`
    /// (JSON, or CSV with its documented headers). With `WIRE_BACKEND=mock`,
    /// it is `dev-platform-mock`, which also checks each request against the
    /// spec (a request it refuses gets its 4xx, and the test fails).
    pub async fn example(provider: &str, operation_id: &str) -> Self {
        if std::env::var(BACKEND_ENV).as_deref() == Ok("mock") {
            let provider = provider.parse().expect("a provider");
            let mock = dev_platform_mock::MockServer::start(provider)
                .await
                .expect("the mock server starts");
            return Self {
                backend: Backend::Spec(mock),
            };
        }
        let spec = crate::spec::Spec::load(provider);
        let json = spec.response_example(operation_id, "200");
        let response = if json.is_null() {
            let mut response = ResponseTemplate::new(200)
                .set_body_raw(spec.csv_example(operation_id), "text/csv; charset=utf-8");
            for (name, value) in spec.response_header_examples(operation_id, "200") {
                response = response.insert_header(name.as_str(), value.as_str());
            }
            response
        } else {
            ResponseTemplate::new(200).set_body_json(json)
        };
        Self::answering(response).await
    }

    /// Starts the spec-checking mock server (`dev-platform-mock`) of
    /// `provider`: each operation answers its documented example, and a
    /// request the spec does not allow gets its 4xx.
    pub async fn spec_mock(provider: &str) -> Self {
        let provider = provider.parse().expect("a provider");
        let mock = dev_platform_mock::MockServer::start(provider)
            .await
            .expect("the mock server starts");
        Self {
            backend: Backend::Spec(mock),
        }
    }

    /// Starts a server that answers every request `200` with this JSON body.
    pub async fn json(body: serde_json::Value) -> Self {
        Self::answering(ResponseTemplate::new(200).set_body_json(body)).await
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT` (and the
    /// provider's base path for the spec-checking mock).
    pub fn uri(&self) -> String {
        match &self.backend {
            Backend::Wiremock(server) => server.uri(),
            Backend::Spec(mock) => mock.base_url().to_owned(),
        }
    }

    /// Every request received so far, with paths below the base URL.
    pub async fn requests(&self) -> Vec<Request> {
        match &self.backend {
            Backend::Wiremock(server) => server.received_requests().await.unwrap_or_default(),
            Backend::Spec(mock) => mock
                .received()
                .into_iter()
                .map(|received| {
                    let path = received.uri.path();
                    let below = path.strip_prefix(mock.base_path()).unwrap_or(path);
                    let query = received
                        .uri
                        .query()
                        .map(|query| format!("?{query}"))
                        .unwrap_or_default();
                    let url = format!("http://{}{below}{query}", mock.address());
                    Request {
                        url: url.parse().expect("a URL"),
                        method: received.method,
                        headers: received.headers,
                        body: received.body.to_vec(),
                    }
                })
                .collect(),
        }
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

/// A wiremock server on 127.0.0.1 answering `first` to the first `times`
/// requests and `then` to every later one: a fault that a retry gets past.
pub async fn failing_then(
    first: ResponseTemplate,
    times: u64,
    then: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(then).mount(&server).await;
    server
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
