//! [`QoderError`]: the error body Qoder documents, as a typed value.
//!
//! Qoder's Conventions page gives every error answer one body,
//! `{"requestId", "code", "message", "details"?}`, and names six codes.
//! [`Error::Api`] keeps that body as a tolerant [`ErrorBody`](crate::ErrorBody)
//! (any JSON decodes, a gateway's page included); [`QoderError`] reads it into
//! typed fields, with the code as an [`ErrorCode`].

use std::fmt;

use dev_platform_runtime::ApiError;
use reqwest::StatusCode;
use serde_json::Value;

use crate::Error;

dev_platform_runtime::open_enum! {
    /// An error code of Qoder's error body. The six codes the Conventions page
    /// names each have a variant; any other code is kept in `Unknown`, as it
    /// arrived (an open enum, as the generated types' are).
    ///
    /// The documentation warns that a gateway may pair a code with another
    /// status than its usual one: tell errors apart by their code, not their
    /// status.
    ///
    /// ```
    /// use qoder_api::ErrorCode;
    ///
    /// assert_eq!(ErrorCode::from("NotFound"), ErrorCode::NotFound);
    /// assert_eq!(ErrorCode::NotFound.as_str(), "NotFound");
    /// assert_eq!(ErrorCode::NotFound.usual_status().map(|s| s.as_u16()), Some(404));
    /// let other = ErrorCode::from("QuotaExceeded");
    /// assert!(other.is_unknown());
    /// assert_eq!(other.as_str(), "QuotaExceeded");
    /// assert_eq!(other.usual_status(), None);
    /// ```
    pub enum ErrorCode {
        /// `BadRequest` (usually 400): the input is invalid.
        BadRequest = "BadRequest",
        /// `Unauthorized` (usually 401): the API key is missing or invalid.
        Unauthorized = "Unauthorized",
        /// `Forbidden` (usually 403): the key may not act on this organization
        /// or resource.
        Forbidden = "Forbidden",
        /// `NotFound` (usually 404): there is no such resource.
        NotFound = "NotFound",
        /// `AlreadyExists` (usually 409): the request conflicts with what exists.
        AlreadyExists = "AlreadyExists",
        /// `InternalError` (usually 500): the server failed.
        InternalError = "InternalError",
    }
}

impl ErrorCode {
    /// The HTTP status the documentation pairs with the code, for the six
    /// documented codes; an answer may still carry another one.
    pub fn usual_status(&self) -> Option<StatusCode> {
        Some(match self {
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::AlreadyExists => StatusCode::CONFLICT,
            Self::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Unknown(_) => return None,
        })
    }
}

/// A Qoder error answer, its body read into typed fields: the status, the
/// request's id (give it to Qoder's support), the [`ErrorCode`], the message
/// and the optional further `details`.
///
/// Built from the [`Error`] a `send()` returned, when it is [`Error::Api`]
/// (the server answered with an error); every other kind of error (nothing
/// sent, a timeout, a body that does not decode) gives `None`. The body is read
/// as tolerantly as [`ErrorBody`](crate::ErrorBody) reads it: a field it lacks
/// is `None` (or no `details`), and [`Error::api`] still has the whole body.
///
/// ```no_run
/// use qoder_api::{Client, ErrorCode, QoderError};
///
/// # async fn run(client: Client) {
/// match client.list_members().organization_id("org_xxx").email("alice@example.com").send().await {
///     Ok(page) => println!("{} members", page.members.as_ref().map_or(0, Vec::len)),
///     Err(error) => match QoderError::from_error(&error) {
///         Some(QoderError { code: Some(ErrorCode::NotFound), .. }) => println!("no such organization"),
///         Some(qoder) => eprintln!("{qoder}"), // names the request id for support
///         None => eprintln!("{error}"),
///     },
/// }
/// # }
/// ```
///
/// The documented body, read:
///
/// ```
/// use dev_platform_runtime::ApiError;
/// use qoder_api::{Error, ErrorBody, ErrorCode, QoderError};
/// use reqwest::{StatusCode, header::HeaderMap};
/// use serde_json::json;
///
/// let body = ErrorBody::from_value(json!({
///     "requestId": "req_abc123",
///     "code": "NotFound",
///     "message": "resource not found",
///     "details": ["the requested resource does not exist"],
/// }));
/// let error = Error::Api(Box::new(ApiError::new(StatusCode::NOT_FOUND, HeaderMap::new(), body)));
///
/// let qoder = QoderError::from_error(&error).expect("an error answer");
/// assert_eq!(qoder.status, StatusCode::NOT_FOUND);
/// assert_eq!(qoder.request_id.as_deref(), Some("req_abc123"));
/// assert_eq!(qoder.code, Some(ErrorCode::NotFound));
/// assert_eq!(qoder.message.as_deref(), Some("resource not found"));
/// assert_eq!(qoder.details, [json!("the requested resource does not exist")]);
/// assert_eq!(
///     qoder.to_string(),
///     "Qoder answered 404 Not Found: NotFound: resource not found (request id req_abc123)"
/// );
///
/// // Not an error answer: nothing to read.
/// assert!(QoderError::from_error(&Error::InvalidRequest("a bad argument".into())).is_none());
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct QoderError {
    /// The HTTP status of the answer (200 for `{"success": false}` in the
    /// tracking API's envelope).
    pub status: StatusCode,
    /// The request's id: the body's `requestId`, else one from the response
    /// headers (`x-request-id`, …), when there is one.
    pub request_id: Option<String>,
    /// The error code (the body's `code`), when there is one.
    pub code: Option<ErrorCode>,
    /// The human-readable summary (the body's `message`), when there is one.
    pub message: Option<String>,
    /// Further context (the body's `details`), as the values arrived; empty
    /// when the body has none.
    pub details: Vec<Value>,
}

impl QoderError {
    /// The typed view of `error` when the server answered with an error
    /// ([`Error::Api`]), else `None`.
    pub fn from_error(error: &Error) -> Option<Self> {
        error.api().map(Self::from)
    }
}

impl From<&ApiError> for QoderError {
    fn from(api: &ApiError) -> Self {
        let body = &api.body;
        Self {
            status: api.status,
            request_id: body
                .request_id()
                .or(api.request_id.as_deref())
                .map(str::to_owned),
            code: body.code().map(ErrorCode::from),
            message: body.message().map(str::to_owned),
            details: body.details().map(<[Value]>::to_vec).unwrap_or_default(),
        }
    }
}

/// `Qoder answered <status>: <code>: <message> (request id <id>)`, each part
/// there when the body has it.
impl fmt::Display for QoderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Qoder answered {}", self.status)?;
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, ": {code}: {message}")?,
            (Some(code), None) => write!(f, ": {code}")?,
            (None, Some(message)) => write!(f, ": {message}")?,
            (None, None) => {}
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for QoderError {}
