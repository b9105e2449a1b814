//! What a client sent to a wiremock server, checked exactly.

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
