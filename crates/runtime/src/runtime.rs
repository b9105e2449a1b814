//! [`Runtime`]: the inner value of every generated client, and the checks and
//! headers applied to each request before it is sent.

use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use progenitor_client::{Error, OperationInfo, ResponseValue};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue, USER_AGENT};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::decode::{self, Enveloped};
use crate::redirect::{self, Decision};
use crate::shape::{Deviation, Shape};
use crate::token::{Token, TokenPlacement};
use crate::{ApiError, RetryPolicy, Route};

/// The `tracing` target of the debug events that name where a response
/// strays from its spec (one event per operation, kind and path, for a client).
pub const DEVIATION_TARGET: &str = "dev_platform_runtime::deviation";
/// The most deviations a client remembers having reported; beyond them, it
/// stops reporting new ones (a server cannot grow its memory).
const MAX_REPORTED: usize = 1024;

/// The total timeout of a streamed export: none in practice (a gigabyte over a
/// slow link takes minutes); the client's read timeout still ends a stall.
const STREAMED_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

/// What a generated client carries besides its base URL and `reqwest::Client`:
/// the token, the path of the base URL, the user agent and the provider's route
/// table, and how responses are decoded. Built by
/// [`ClientBuilder`](crate::ClientBuilder); its `Debug` output never shows the
/// token.
#[derive(Clone, Debug)]
pub struct Runtime {
    token: Token,
    base_path: String,
    /// Whether the base URL is the provider's own (the default), so an
    /// operation on another host goes to that host rather than to the base
    /// URL's origin (a mock, a proxy).
    provider_base: bool,
    user_agent: HeaderValue,
    routes: &'static [Route],
    retry: RetryPolicy,
    strict: bool,
    reported: Reported,
}

/// The deviations a client has already traced.
#[derive(Clone, Default)]
struct Reported(Arc<Mutex<HashSet<String>>>);

impl Reported {
    /// Whether this deviation of this operation is reported for the first time.
    fn first(&self, operation: &str, deviation: &Deviation) -> bool {
        let Ok(mut seen) = self.0.lock() else {
            return false;
        };
        seen.len() < MAX_REPORTED && seen.insert(format!("{operation} {}", deviation.key()))
    }
}

impl fmt::Debug for Reported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.lock().map_or(0, |seen| seen.len());
        write!(f, "Reported({count} deviations)")
    }
}

impl Runtime {
    pub(crate) fn new(
        token: Token,
        (base_path, provider_base): (String, bool),
        user_agent: HeaderValue,
        routes: &'static [Route],
        retry: RetryPolicy,
        strict: bool,
    ) -> Self {
        Self {
            token,
            base_path,
            provider_base,
            user_agent,
            routes,
            retry,
            strict,
            reported: Reported::default(),
        }
    }

    /// Whether responses must be exactly as the spec documents them
    /// ([`ClientBuilder::strict`](crate::ClientBuilder::strict)).
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// Decodes a JSON success response of `operation`, documented as `shape`
    /// (see [`decode_json`](crate::decode_json)). In tolerant mode, when
    /// [`DEVIATION_TARGET`] is enabled at debug level, each way the response
    /// strays from `shape` is traced, once per operation, kind and path
    /// (array indices left out) for this client: what a maintainer reads to
    /// extend the spec.
    pub async fn decode_json<T: DeserializeOwned>(
        &self,
        response: reqwest::Response,
        operation: &'static str,
        shape: &'static Shape,
    ) -> Result<ResponseValue<T>, crate::Error> {
        let (status, headers, body) = read(response).await?;
        self.decoded(operation, shape, (status, headers), &body)
    }

    /// Decodes a JSON success response of `operation` documented as `shape`,
    /// an object whose list `field` may also arrive alone: a bare JSON array
    /// is read as `{"<field>": [...]}` (a provider whose documents disagree
    /// on whether the list is wrapped), then decoded as
    /// [`decode_json`](Self::decode_json) does, strict mode included (a
    /// deviation inside the list is named under `$.<field>`).
    pub async fn decode_json_or_bare_array<T: DeserializeOwned>(
        &self,
        response: reqwest::Response,
        operation: &'static str,
        field: &'static str,
        shape: &'static Shape,
    ) -> Result<ResponseValue<T>, crate::Error> {
        let (status, headers, body) = read(response).await?;
        let body = decode::wrap_bare_array(&body, field);
        self.decoded(operation, shape, (status, headers), &body)
    }

    /// `body`, a JSON success response of `operation` with `status` and
    /// `headers`, decoded as `shape` documents it (and its deviations traced).
    fn decoded<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        shape: &'static Shape,
        (status, headers): (reqwest::StatusCode, reqwest::header::HeaderMap),
        body: &[u8],
    ) -> Result<ResponseValue<T>, crate::Error> {
        self.trace_deviations(operation, shape, body);
        let value = decode::decode_json(body, shape, self.strict)?;
        Ok(ResponseValue::new(value, status, headers))
    }

    /// Decodes an envelope response of `operation` whose payload is `field`
    /// (see [`decode_envelope`](crate::decode_envelope)): the payload, or
    /// `"success": false` as [`Error::Api`](crate::Error::Api) with the HTTP
    /// status (a 2xx).
    pub async fn decode_envelope<T: DeserializeOwned>(
        &self,
        response: reqwest::Response,
        operation: &'static str,
        field: &'static str,
        shape: &'static Shape,
    ) -> Result<ResponseValue<T>, crate::Error> {
        let (status, headers, body) = read(response).await?;
        self.trace_deviations(operation, shape, &body);
        match decode::decode_envelope(&body, field, shape, self.strict)? {
            Enveloped::Success(value) => Ok(ResponseValue::new(value, status, headers)),
            Enveloped::Failure(error) => Err(crate::Error::Api(Box::new(ApiError::new(
                status, headers, error,
            )))),
        }
    }

    fn trace_deviations(&self, operation: &'static str, shape: &Shape, body: &[u8]) {
        if self.strict || !tracing::enabled!(target: DEVIATION_TARGET, tracing::Level::DEBUG) {
            return;
        }
        let Ok(value) = serde_json::from_slice(body) else {
            return;
        };
        let deviations = shape.deviations(&value);
        for deviation in deviations
            .list
            .iter()
            .filter(|d| self.reported.first(operation, d))
        {
            tracing::debug!(
                target: DEVIATION_TARGET,
                operation,
                path = %deviation.path,
                deviation = %deviation.kind,
                "the response strays from the spec"
            );
        }
    }

    /// When failed attempts are retried.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Where this client puts its token.
    pub fn token_placement(&self) -> TokenPlacement {
        self.token.placement()
    }

    /// Moves a prepared request of an operation served elsewhere than the
    /// API's base URL (the operation's own `servers` in the spec) there.
    ///
    /// When `to` is a path (GitCode's `/api/v8` beside its `/api/v5`), the
    /// base URL's path ends with `from`, which becomes `to`: same origin,
    /// same credential. When `to` is another origin's URL (GitCode's
    /// `https://raw.gitcode.com`, for an operation that needs no credential),
    /// the request goes there without the token when the client talks to the
    /// provider's own base URL, and to the base URL's origin under `to`'s
    /// path otherwise (a mock, a proxy), still without the token. A base URL
    /// that does not end with `from` is an error, nothing is sent.
    // The error type is progenitor's, fixed by the `ClientHooks::pre` signature.
    #[allow(clippy::result_large_err)]
    pub fn rebase<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
        from: &str,
        to: &str,
    ) -> Result<(), Error<E>> {
        let elsewhere = match to.split_once("://") {
            Some(_) => Some(reqwest::Url::parse(to).map_err(|error| {
                Error::InvalidRequest(format!(
                    "{}: the operation's server `{to}`: {error}",
                    info.operation_id
                ))
            })?),
            None => None,
        };
        let to_path = elsewhere
            .as_ref()
            .map_or(to, |url| url.path().trim_end_matches('/'));
        let Some(root) = self.base_path.strip_suffix(from) else {
            return Err(Error::InvalidRequest(format!(
                "{}: the operation is served under `{to}` beside the API's `{from}`, and the \
                 base URL's path `{}` does not end with `{from}`: there is no telling where \
                 its `{to}` is",
                info.operation_id, self.base_path
            )));
        };
        let below = request
            .url()
            .path()
            .strip_prefix(self.base_path.as_str())
            .unwrap_or_default()
            .to_owned();
        let root = match elsewhere {
            Some(ref url) => {
                self.token.remove(request);
                if self.provider_base {
                    let target = request.url_mut();
                    // Both are absolute http(s) URLs: these cannot fail.
                    let _ = target.set_scheme(url.scheme());
                    let _ = target.set_host(url.host_str());
                    let _ = target.set_port(url.port());
                    ""
                } else {
                    root
                }
            }
            None => root,
        };
        request
            .url_mut()
            .set_path(&format!("{root}{to_path}{below}"));
        Ok(())
    }

    /// Prepares a request built by a generated operation: checks it against the
    /// operation's [`Route`] (method, path shape, documented query limits, date
    /// window, lengths of body arrays), so a
    /// wrong argument fails here as [`Error::InvalidRequest`] and nothing is sent;
    /// lifts the total timeout of a streamed export (its reads keep theirs);
    /// sets the user agent; injects the token. (The xtask generates requests
    /// without progenitor's undocumented `api-version` header.)
    // The error type is progenitor's, fixed by the `ClientHooks::pre` signature.
    #[allow(clippy::result_large_err)]
    pub fn prepare<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let route = self
            .routes
            .iter()
            .find(|route| route.operation_id == info.operation_id)
            .ok_or_else(|| {
                Error::InvalidRequest(format!(
                    "{}: operation missing from the route table",
                    info.operation_id
                ))
            })?;
        if request.method().as_str() != route.method {
            return Err(Error::InvalidRequest(format!(
                "{}: built a {} request, the spec says {}",
                route.operation_id,
                request.method(),
                route.method
            )));
        }
        let below_base = request
            .url()
            .path()
            .strip_prefix(self.base_path.as_str())
            .unwrap_or("");
        route
            .check_path(below_base)
            .map_err(Error::InvalidRequest)?;
        route
            .check_query(request.url().query_pairs())
            .map_err(Error::InvalidRequest)?;
        if let Some(body) = request.body().and_then(reqwest::Body::as_bytes) {
            route.check_body(body).map_err(Error::InvalidRequest)?;
        }
        if route.streamed {
            *request.timeout_mut() = Some(STREAMED_TIMEOUT);
        }

        let headers = request.headers_mut();
        headers.insert(USER_AGENT, self.user_agent.clone());
        self.token.apply(request);
        Ok(())
    }

    /// Sends a prepared request, retrying as the [`RetryPolicy`] says, inside
    /// one `tracing` span per call (`dev_platform.request`, with the operation
    /// id, method, URL path, and the last attempt's number, status and latency;
    /// never the query, headers or bodies, so never the token).
    ///
    /// A redirect within the request's origin (the base URL's) is followed, at
    /// most [`MAX_REDIRECTS`](crate::redirect::MAX_REDIRECTS) times, with the
    /// credential put on the new request as on the first; one to another
    /// origin, or from https to http, is not followed and goes back to the
    /// generated code as it is, which reports
    /// [`Error::Redirect`](crate::Error::Redirect) (see [`redirect`](crate::redirect)).
    ///
    /// A response with an error status (4xx, 5xx) whose body is not JSON (an
    /// HTML error page, plain text, nothing) is handed on as
    /// `{"message": "<the body as text>"}` (or `{}` when empty): the generated
    /// code then reports it as an [`Error::Api`](crate::Error::Api), keeping
    /// its status and headers (`Retry-After`), instead of a decode error that
    /// has lost them.
    pub async fn execute(
        &self,
        http: &reqwest::Client,
        request: reqwest::Request,
        operation_id: &str,
    ) -> reqwest::Result<reqwest::Response> {
        let span = tracing::info_span!(
            "dev_platform.request",
            operation = operation_id,
            method = %request.method(),
            path = request.url().path(),
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        async move {
            let mut request = request;
            let mut followed = 0;
            loop {
                let (response, sent) = self.send_with_retries(http, request).await?;
                // A request that could not be copied (a streamed body) cannot
                // be sent again: its redirect goes back as it is.
                let decision = sent.as_ref().map_or(Decision::Answer, |sent| {
                    redirect::decide(sent.url(), sent.method(), &response, followed)
                });
                match (decision, sent) {
                    (Decision::Follow(target, method), Some(sent)) => {
                        tracing::debug!(
                            status = response.status().as_u16(),
                            to = target.path(),
                            "following a redirect within the origin"
                        );
                        request = redirect::next_request(sent, target, method);
                        self.token.apply(&mut request);
                        followed += 1;
                    }
                    _ => return wrap_non_json_error(response).await,
                }
            }
        }
        .instrument(span)
        .await
    }

    /// Sends `request`, retrying as the policy says; the answer, with a copy
    /// of the request that got it (for following a redirect), when the
    /// request could be copied.
    async fn send_with_retries(
        &self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
    ) -> reqwest::Result<(reqwest::Response, Option<reqwest::Request>)> {
        let retryable = self.retry.allows(request.method());
        let span = tracing::Span::current();
        let mut attempt = 1;
        loop {
            let again = request.try_clone();
            let started = Instant::now();
            let result = http.execute(request).await;
            let latency_ms = started.elapsed().as_millis() as u64;
            span.record("attempt", attempt);
            span.record("latency_ms", latency_ms);
            let retry_after = match &result {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    tracing::debug!(
                        attempt,
                        status = response.status().as_u16(),
                        latency_ms,
                        "answer"
                    );
                    RetryPolicy::retries_status(response.status())
                        .then(|| crate::retry_after(response.headers()))
                }
                Err(error) => {
                    tracing::debug!(
                        attempt,
                        latency_ms,
                        failure = failure_kind(error),
                        "no answer"
                    );
                    RetryPolicy::retries_failure(error).then_some(None)
                }
            };
            let retry = retryable && attempt < self.retry.max_attempts;
            match (retry_after, again) {
                (Some(retry_after), Some(next)) if retry => {
                    let wait = self.retry.wait(attempt, retry_after);
                    tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                    request = next;
                    attempt += 1;
                }
                (_, again) => return result.map(|response| (response, again)),
            }
        }
    }
}

/// What kind of failure a `reqwest` error is, for logs: its `Display` would
/// print the URL, and a token may travel in the query.
fn failure_kind(error: &reqwest::Error) -> &'static str {
    if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect"
    } else if error.is_body() {
        "body"
    } else if error.is_request() {
        "request"
    } else {
        "other"
    }
}

/// A response's status, headers and whole body.
async fn read(
    response: reqwest::Response,
) -> Result<
    (
        reqwest::StatusCode,
        reqwest::header::HeaderMap,
        bytes::Bytes,
    ),
    crate::Error,
> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(crate::Error::transport)?;
    Ok((status, headers, body))
}

/// See [`Runtime::execute`].
async fn wrap_non_json_error(response: reqwest::Response) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(response);
    }
    let version = response.version();
    let mut headers = response.headers().clone();
    let body = response.bytes().await?;
    let body = if serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_ok() {
        body
    } else {
        let text = String::from_utf8_lossy(&body);
        let text = text.trim();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.remove(CONTENT_LENGTH);
        let wrapped = if text.is_empty() {
            serde_json::json!({})
        } else {
            serde_json::json!({ "message": text })
        };
        bytes::Bytes::from(wrapped.to_string())
    };
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok(reqwest::Response::from(rebuilt))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime(placement: TokenPlacement, provider_base: bool) -> Runtime {
        let token = Token::new("sekrit".to_owned().into(), placement).unwrap();
        Runtime::new(
            token,
            ("/api/v5".to_owned(), provider_base),
            HeaderValue::from_static("test"),
            &[],
            RetryPolicy::default(),
            false,
        )
    }

    fn prepared(runtime: &Runtime, url: &str) -> reqwest::Request {
        let mut request = reqwest::Request::new(reqwest::Method::GET, url.parse().unwrap());
        runtime.token.apply(&mut request);
        request
    }

    const INFO: OperationInfo = OperationInfo {
        operation_id: "probe",
    };

    #[test]
    fn another_path_keeps_the_origin_and_the_token() {
        let runtime = runtime(TokenPlacement::Header("PRIVATE-TOKEN"), true);
        let mut request = prepared(
            &runtime,
            "https://api.gitcode.com/api/v5/enterprises/e/labels",
        );
        runtime
            .rebase::<()>(&mut request, &INFO, "/api/v5", "")
            .unwrap();
        assert_eq!(
            request.url().as_str(),
            "https://api.gitcode.com/enterprises/e/labels"
        );
        assert!(request.headers().contains_key("private-token"));
    }

    #[test]
    fn another_host_gets_the_request_without_the_token() {
        for placement in [
            TokenPlacement::Header("PRIVATE-TOKEN"),
            TokenPlacement::Bearer,
            TokenPlacement::Query("access_token"),
        ] {
            // The provider's own base URL: the operation's host.
            let runtime = runtime(placement, true);
            let mut request = prepared(
                &runtime,
                "https://api.gitcode.com/api/v5/o/r/raw/s/a.md?x=1",
            );
            runtime
                .rebase::<()>(&mut request, &INFO, "/api/v5", "https://raw.gitcode.com")
                .unwrap();
            assert_eq!(
                request.url().as_str(),
                "https://raw.gitcode.com/o/r/raw/s/a.md?x=1"
            );
            assert!(request.headers().is_empty(), "{:?}", request.headers());

            // Another base URL (a mock): its origin, the operation's path, no token.
            let runtime = super::tests::runtime(placement, false);
            let mut request = prepared(&runtime, "http://127.0.0.1:9/api/v5/o/r/raw/s/a.md");
            runtime
                .rebase::<()>(&mut request, &INFO, "/api/v5", "https://raw.gitcode.com")
                .unwrap();
            assert_eq!(request.url().as_str(), "http://127.0.0.1:9/o/r/raw/s/a.md");
            assert!(request.headers().is_empty(), "{:?}", request.headers());
        }
    }
}
