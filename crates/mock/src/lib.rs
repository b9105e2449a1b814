#![doc = include_str!("../README.md")]
//!
//! ## What it checks and answers
//!
//! It serves every operation of a spec on 127.0.0.1, under the path of the
//! documented base URL (`/api/v5` for GitCode), and:
//! - answers an unknown path or method with 404;
//! - answers a request without credentials of the spec's security schemes
//!   with 401;
//! - answers a missing required parameter, a parameter or body field of the
//!   wrong type, outside its enum or range, or a body that is not valid JSON
//!   with 400, in the provider's error shape and naming what is wrong (never a
//!   token);
//! - answers anything else with the operation's example (CSV exports as
//!   `text/csv`); a paginated list's example is its first page, and a later
//!   page is empty (numbered as asked), so `--all` ends.
//!
//! The server stops when the [`MockServer`] is dropped.

mod check;
mod respond;
mod spec;

use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{Method, Uri};
use axum::response::Response;
use tokio::sync::oneshot;

use crate::spec::Spec;

/// A provider whose API the mock can serve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    /// GitCode API v5 (`specs/gitcode.yaml`).
    Gitcode,
    /// Qoder API v1 (`specs/qoder.yaml`).
    Qoder,
    /// Devin Enterprise API v2 (`specs/devin.yaml`).
    Devin,
}

impl Provider {
    /// Every provider.
    pub const ALL: [Provider; 3] = [Provider::Gitcode, Provider::Qoder, Provider::Devin];

    /// The provider's name, as in `specs/<name>.yaml`.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Gitcode => "gitcode",
            Provider::Qoder => "qoder",
            Provider::Devin => "devin",
        }
    }
}

impl FromStr for Provider {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, String> {
        Provider::ALL
            .into_iter()
            .find(|provider| provider.name() == name)
            .ok_or_else(|| format!("unknown provider `{name}` (gitcode, qoder or devin)"))
    }
}

/// A request the mock received, as it arrived.
#[derive(Clone, Debug)]
pub struct Received {
    /// The method.
    pub method: Method,
    /// The path (with the base path) and query.
    pub uri: Uri,
    /// The headers.
    pub headers: axum::http::HeaderMap,
    /// The body.
    pub body: Bytes,
}

/// What the handler shares: the spec and the log of requests.
struct Shared {
    spec: Spec,
    received: Mutex<Vec<Received>>,
}

/// A running mock server; it stops when dropped.
pub struct MockServer {
    address: SocketAddr,
    base_url: String,
    base_path: String,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Serves `provider` on 127.0.0.1, on a port the OS picks.
    pub async fn start(provider: Provider) -> std::io::Result<Self> {
        Self::start_on(provider, 0).await
    }

    /// Serves `provider` on 127.0.0.1:`port` (0: a port the OS picks).
    pub async fn start_on(provider: Provider, port: u16) -> std::io::Result<Self> {
        let spec = Spec::load(provider);
        let base_path = spec.base_path.clone();
        let shared = Arc::new(Shared {
            spec,
            received: Mutex::new(Vec::new()),
        });
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let address = listener.local_addr()?;
        let base_url = format!("http://{address}{base_path}");
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self {
            address,
            base_url,
            base_path,
            shared,
            stop: Some(stop),
        })
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT` and the path of
    /// the provider's documented base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The path of the provider's documented base URL (`/api/v5`), under
    /// which the operations are served.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// Every request received so far, in order (checked or refused).
    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().expect("the log").clone()
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response<Body> {
    shared.received.lock().expect("the log").push(Received {
        method: method.clone(),
        uri: uri.clone(),
        headers: headers.clone(),
        body: body.clone(),
    });
    let spec = &shared.spec;
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
    let request = check::Request {
        query,
        headers: &headers,
        body: &body,
    };
    let Some(path) = uri.path().strip_prefix(spec.base_path.as_str()) else {
        return respond::error(spec, 404, "no such path");
    };
    let matched = match spec.find(method.as_str(), path) {
        Ok(matched) => matched,
        Err(spec::NoOperation::Path) => return respond::error(spec, 404, "no such path"),
        Err(spec::NoOperation::Method) => {
            return respond::error(spec, 404, "no such method for this path");
        }
    };
    let checked = check::authenticated(spec, &request)
        .and_then(|()| check::parameters(spec, &matched, &request))
        .and_then(|()| check::body(spec, &matched, &request));
    match checked {
        Ok(()) => respond::example(spec, matched.operation, &request.query),
        Err(refusal) => respond::error(spec, refusal.status, &refusal.message),
    }
}
