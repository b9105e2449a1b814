//! [`Error`]: what can go wrong in a call, told apart without string matching.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Serialize;

use crate::ErrorBody;
use crate::redirect::{self, RedirectRefusal};
use crate::shape::Deviations;

/// The most of a body an [`Error::Decode`] keeps.
const EXCERPT_CHARS: usize = 200;
/// Headers that carry a request's id, most common first.
const REQUEST_ID_HEADERS: [&str; 4] = ["x-request-id", "request-id", "x-trace-id", "trace-id"];

/// The error of every generated operation's `send()`, the same type for every
/// provider. Its kinds:
///
/// - [`InvalidRequest`](Self::InvalidRequest): a wrong argument; nothing was sent;
/// - [`Api`](Self::Api): the server answered with an error (status, the
///   provider's code and message, request id, `Retry-After`);
/// - [`Timeout`](Self::Timeout): connecting or the whole request took too long;
/// - [`Network`](Self::Network): the connection failed;
/// - [`Redirect`](Self::Redirect): a redirect the client does not follow (to
///   another origin, or from https to http);
/// - [`Decode`](Self::Decode): the answer could not be decoded (with the JSON
///   path of the offending value and the start of the body);
/// - [`Deviations`](Self::Deviations): in strict mode, the answer strays from
///   the spec.
///
/// `Display` is one sentence; no variant contains the token (URLs are left out
/// of network errors, since a token may travel in the query).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request was not sent: a missing or out-of-range argument.
    #[error("invalid request, not sent: {0}")]
    InvalidRequest(String),
    /// The server answered with an error.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// Connecting, or the whole request, took longer than the client's timeout.
    #[error("the request timed out: {0}")]
    Timeout(#[source] reqwest::Error),
    /// The connection failed (refused, reset, closed early).
    #[error("the connection failed: {0}")]
    Network(#[source] reqwest::Error),
    /// The answer could not be decoded: a value the type cannot hold without
    /// losing something (text where a number belongs, a `null` identity
    /// field), or a body that is not JSON or is cut off.
    #[error(
        "the response could not be decoded{}: {message}; it starts {excerpt:?}",
        at(path)
    )]
    Decode {
        /// What is wrong with it.
        message: String,
        /// The JSON path of the offending value (`$.items[3].id`), when known.
        path: Option<String>,
        /// The body's first 200 characters.
        excerpt: String,
    },
    /// A paginated stream stopped because the server does not page as it
    /// should (a repeated page, another page than the one asked for), or at
    /// its page limit.
    #[error("pagination stopped: {0}")]
    Paging(#[from] crate::pagination::PagingError),
    /// The server redirected the call where the client does not follow it:
    /// to another origin (credentials stay with the configured base URL's),
    /// from https to http, or too many times. Nothing was sent to the target.
    #[error(
        "the server redirected the request ({status}) to {target}, which the client does not follow: {reason}"
    )]
    Redirect {
        /// The redirect's status (301, 302, 303, 307, 308).
        status: StatusCode,
        /// Where it pointed, without query or fragment (or `(none)`).
        target: String,
        /// Why it was not followed.
        reason: RedirectRefusal,
    },
    /// Strict mode ([`ClientBuilder::strict`](crate::ClientBuilder::strict)):
    /// the answer strays from what the spec documents; every deviation is
    /// listed with its JSON path.
    #[error("the response strays from the spec (strict mode): {0}")]
    Deviations(Deviations),
}

fn at(path: &Option<String>) -> String {
    match path {
        Some(path) => format!(" at {path}"),
        None => String::new(),
    }
}

/// An error answer of the server.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status (a 2xx for an error inside a success envelope).
    pub status: StatusCode,
    /// The body, decoded tolerantly: its code and message, and the whole body.
    pub body: ErrorBody,
    /// The request's id from the response headers (`x-request-id`, …), else
    /// from the body (`request_id`, `trace_id`, …), when there is one.
    pub request_id: Option<String>,
    /// The wait `Retry-After` asks for, when present.
    pub retry_after: Option<Duration>,
    /// The response headers.
    pub headers: HeaderMap,
}

impl ApiError {
    /// Builds the error of an answer from its status, headers and body.
    pub fn new(status: StatusCode, headers: HeaderMap, body: ErrorBody) -> Self {
        let request_id = REQUEST_ID_HEADERS
            .iter()
            .find_map(|name| headers.get(*name)?.to_str().ok())
            .or_else(|| body.request_id())
            .map(str::to_owned);
        Self {
            status,
            request_id,
            retry_after: crate::retry_after(&headers),
            body,
            headers,
        }
    }

    /// The provider's error code, when the body has one.
    pub fn code(&self) -> Option<&str> {
        self.body.code()
    }

    /// The provider's error message, when the body has one.
    pub fn message(&self) -> Option<&str> {
        self.body.message()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server answered {}", self.status)?;
        match (self.code(), self.message()) {
            (Some(code), Some(message)) if code != message => write!(f, ": {code}: {message}")?,
            (_, Some(text)) | (Some(text), None) => write!(f, ": {text}")?,
            (None, None) => {}
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl Error {
    /// The HTTP status, when the server answered (an error, or a redirect
    /// that is not followed).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Redirect { status, .. } => Some(*status),
            _ => self.api().map(|api| api.status),
        }
    }

    /// The server's error answer, when there is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(api) => Some(api),
            _ => None,
        }
    }

    pub(crate) fn decode_at(message: impl fmt::Display, path: Option<String>, body: &[u8]) -> Self {
        Self::Decode {
            message: message.to_string(),
            path,
            excerpt: String::from_utf8_lossy(body)
                .chars()
                .take(EXCERPT_CHARS)
                .collect(),
        }
    }

    pub(crate) fn transport(error: reqwest::Error) -> Self {
        let error = error.without_url();
        if error.is_timeout() {
            Self::Timeout(error)
        } else {
            Self::Network(error)
        }
    }
}

/// From what progenitor's generated code returns. An error body of any
/// serializable type is re-read as an [`ErrorBody`].
impl<E: Serialize> From<progenitor_client::Error<E>> for Error {
    fn from(error: progenitor_client::Error<E>) -> Self {
        use progenitor_client::Error as Progenitor;
        match error {
            Progenitor::InvalidRequest(message) | Progenitor::Custom(message) => {
                Self::InvalidRequest(message)
            }
            Progenitor::CommunicationError(error)
            | Progenitor::InvalidUpgrade(error)
            | Progenitor::ResponseBodyError(error) => Self::transport(error),
            Progenitor::ErrorResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                let body = serde_json::to_value(response.into_inner())
                    .map(ErrorBody::from_value)
                    .unwrap_or_else(|_| ErrorBody::from_value(serde_json::Value::Null));
                Self::Api(Box::new(ApiError::new(status, headers, body)))
            }
            Progenitor::InvalidResponsePayload(body, error) => Self::decode_at(error, None, &body),
            Progenitor::UnexpectedResponse(response)
                if redirect::is_redirect(response.status()) =>
            {
                // The runtime followed what it may; this one it did not.
                let from = response.url();
                let (target, reason) = match redirect::target(from, &response) {
                    Some(target) => {
                        let reason = redirect::refusal(from, &target, redirect::MAX_REDIRECTS)
                            .unwrap_or(RedirectRefusal::TooMany);
                        (redirect::shown(&target), reason)
                    }
                    None => ("(none)".to_owned(), RedirectRefusal::NoTarget),
                };
                Self::Redirect {
                    status: response.status(),
                    target,
                    reason,
                }
            }
            Progenitor::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                let body = ErrorBody::from_value(serde_json::Value::Null);
                Self::Api(Box::new(ApiError::new(status, headers, body)))
            }
        }
    }
}
