#![doc = include_str!("../README.md")]
//!
//! ## What it checks and answers
//!
//! It serves every operation of a spec on 127.0.0.1, under the path of the
//! documented base URL (`/api/v5` for GitCode), and:
//! - answers an unknown path with 404, and a method the path does not
//!   declare with 405 and an `Allow` header;
//! - answers a request without credentials of the spec's security schemes
//!   with 401;
//! - answers a missing required parameter, a parameter or body field of the
//!   wrong type, outside its enum, range or length, a body whose root is not
//!   the documented type, that lacks a required field (at any depth), has a
//!   field the spec's closed object does not list, or is not valid JSON with
//!   400, in the provider's error shape and naming what is wrong (never a
//!   token);
//! - answers a valid request with what the test programmed for it
//!   ([`MockServer::mock`], or typed, the provider crates' `mock` feature),
//!   else with the operation's example (CSV exports as `text/csv`); a
//!   paginated list's example is its first page, and a later page is empty
//!   (numbered as asked), so `--all` ends.
//!
//! ## Programming answers
//!
//! ```
//! use std::time::Duration;
//! use dev_platform_mock::{MockServer, Provider};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mock = MockServer::start(Provider::Gitcode).await?;
//! // The first `get_org` of `openharmony` is told to wait, the next succeed.
//! let org = mock
//!     .mock("get_org", |when, then| {
//!         when.param("org", "openharmony");
//!         then.error(429, "slow down")
//!             .retry_after(Duration::ZERO)
//!             .example();
//!     })
//!     .expect(2);
//! let client = gitcode_api::Client::builder()
//!     .token("any-token")
//!     .base_url(mock.base_url())
//!     .build()?;
//! let answer = client.get_org().org("openharmony").send().await?; // retried once
//! assert_eq!(answer.login, "openharmony");
//! org.assert();
//! # Ok(())
//! # }
//! ```
//!
//! Answers are given in order, and the last repeats; `expect(n)` is checked
//! by [`Mock::assert`], [`MockServer::verify`] and when the server is
//! dropped. Faults ([`Then::delay`], [`Then::reset`], [`Then::truncate`])
//! test a caller's timeouts and retries; [`Then::pages_json`] serves a list
//! of one's own through the operation's pagination.
//!
//! The server stops when the [`MockServer`] is dropped.

mod check;
mod connection;
mod pages;
mod program;
mod respond;
mod spec;

pub use program::{Mock, Then, When};

use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, Method, Uri, header};
use axum::response::Response;
use tokio::sync::oneshot;

use crate::connection::Peer;
use crate::program::{Kind, Rule};
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
#[non_exhaustive]
pub struct Received {
    /// The method.
    pub method: Method,
    /// The path (with the base path) and query.
    pub uri: Uri,
    /// The headers.
    pub headers: axum::http::HeaderMap,
    /// The body.
    pub body: Bytes,
    /// The `operationId` of the operation it was for, when its method and
    /// path are one of the spec's.
    pub operation: Option<String>,
}

/// What the handler shares: the spec, the log of requests and the programmed
/// answers.
pub(crate) struct Shared {
    spec: Spec,
    received: Mutex<Vec<Received>>,
    rules: Mutex<Vec<Arc<Rule>>>,
}

impl Shared {
    /// `Ok` when `rule`'s expectation holds; else what failed, the requests
    /// of its operation the server received, and how the others fared.
    pub(crate) fn check_rule(&self, rule: &Rule) -> Result<(), String> {
        let Some(expected) = *rule.expected.lock().expect("the expectation") else {
            return Ok(());
        };
        let hits = rule.hits.load(Ordering::SeqCst);
        if hits == expected {
            return Ok(());
        }
        let received = self.received.lock().expect("the log");
        let of_operation: Vec<String> = received
            .iter()
            .filter(|request| request.operation.as_deref() == Some(rule.operation.as_str()))
            .map(|request| format!("\n  {} {}", request.method, self.spec.shown(&request.uri)))
            .collect();
        let times = |n: usize| {
            if n == 1 {
                "1 time".to_owned()
            } else {
                format!("{n} times")
            }
        };
        Err(format!(
            "dev-platform-mock: {} was expected {} and answered {}; the server received {} request(s) for `{}`:{}{}",
            rule.describe(),
            times(expected),
            times(hits),
            of_operation.len(),
            rule.operation,
            if of_operation.is_empty() {
                " none".to_owned()
            } else {
                of_operation.concat()
            },
            match received.len() - of_operation.len() {
                0 => String::new(),
                others => format!("\n  ({others} other request(s) for other operations or none)"),
            }
        ))
    }

    /// Every failed expectation, one message each.
    fn unmet(&self) -> Vec<String> {
        let rules = self.rules.lock().expect("the rules").clone();
        rules
            .iter()
            .filter_map(|rule| self.check_rule(rule).err())
            .collect()
    }
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
            rules: Mutex::new(Vec::new()),
        });
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let address = listener.local_addr()?;
        let base_url = format!("http://{address}{base_path}");
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(shared.clone())
            .into_make_service_with_connect_info::<Peer>();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(connection::Listener(listener), app)
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

    /// Programs the answers to the operation `operation_id`: `program` says
    /// which requests ([`When`]) and what to answer them, in order
    /// ([`Then`]). Operations are matched in the order they were programmed,
    /// the first that fits answering; a valid request that none fits gets
    /// the documented example.
    ///
    /// # Panics
    /// When the spec has no operation `operation_id`.
    pub fn mock(&self, operation_id: &str, program: impl FnOnce(&When, &Then)) -> Mock {
        let spec = &self.shared.spec;
        assert!(
            spec.operation(operation_id).is_some(),
            "dev-platform-mock: the spec has no operation `{operation_id}` (it has: {})",
            spec.operation_ids().join(", ")
        );
        let when = When::new(operation_id, spec.parameter_names(operation_id));
        let then = Then::new(operation_id);
        program(&when, &then);
        let rule = Arc::new(Rule {
            operation: operation_id.to_owned(),
            matcher: when.into_matcher(),
            answers: then.into_answers(),
            hits: Default::default(),
            expected: Mutex::new(None),
        });
        self.shared
            .rules
            .lock()
            .expect("the rules")
            .push(rule.clone());
        Mock {
            rule,
            server: self.shared.clone(),
        }
    }

    /// Panics with every expectation ([`Mock::expect`]) not met so far, each
    /// naming its operation and the requests the server received for it.
    #[track_caller]
    pub fn verify(&self) {
        let unmet = self.shared.unmet();
        if !unmet.is_empty() {
            panic!("{}", unmet.join("\n"));
        }
    }
}

/// Stops the server, and checks the expectations ([`Mock::expect`]) unless
/// the thread is already panicking.
impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if !std::thread::panicking() {
            self.verify();
        }
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<Peer>,
    method: Method,
    uri: Uri,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let spec = &shared.spec;
    let found = spec.locate(method.as_str(), uri.path());
    let operation = found.as_ref().ok().and_then(|matched| {
        let id = matched.operation.get("operationId")?.as_str()?;
        Some(id.to_owned())
    });
    shared.received.lock().expect("the log").push(Received {
        method: method.clone(),
        uri: uri.clone(),
        headers: headers.clone(),
        body: body.clone(),
        operation: operation.clone(),
    });
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
    let request = check::Request {
        query,
        headers: &headers,
        body: &body,
    };
    let matched = match found {
        Ok(matched) => matched,
        Err(spec::NoOperation::Path) => return respond::error(spec, 404, None, "no such path"),
        Err(spec::NoOperation::Method(allowed)) => {
            let mut answer = respond::error(spec, 405, None, "no such method for this path");
            if let Ok(allow) = HeaderValue::from_str(&allowed.join(", ")) {
                answer.headers_mut().insert(header::ALLOW, allow);
            }
            return answer;
        }
    };
    let checked = check::authenticated(spec, matched.operation, &request)
        .and_then(|()| check::parameters(spec, &matched, &request))
        .and_then(|()| check::body(spec, &matched, &request));
    if let Err(refusal) = checked {
        return respond::error(spec, refusal.status, None, &refusal.message);
    }
    let rules = shared.rules.lock().expect("the rules").clone();
    let rule = rules.iter().find(|rule| {
        Some(&rule.operation) == operation.as_ref()
            && check::fits(&rule.matcher, &matched, &request)
    });
    let Some(answer) = rule.and_then(|rule| rule.next_answer()) else {
        return respond::example(spec, matched.operation, &request.query);
    };
    if let Some(wait) = answer.delay {
        tokio::time::sleep(wait).await;
    }
    if let Kind::Reset = answer.kind {
        peer.reset();
    }
    respond::programmed(spec, matched.operation, &request.query, answer).await
}
