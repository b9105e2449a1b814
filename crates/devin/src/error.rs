//! [`ApiError`]: the error statuses the documentation handles, as distinct kinds.

use std::time::Duration;

use dev_platform_runtime::ErrorBody;
use reqwest::StatusCode;

use crate::Error;

/// An error of a Devin call, with the documented statuses told apart: 401 (the
/// API key is invalid), 403 (it lacks Enterprise admin rights) and 429 (the
/// rate limit; with the wait `Retry-After` asks for). Build it from what
/// `send()` returned:
///
/// ```no_run
/// use devin_api::{ApiError, Client};
///
/// # async fn run(client: Client) {
/// match client.list_members().send().await.map_err(ApiError::from) {
///     Ok(members) => println!("{} members", members.members.as_ref().map_or(0, Vec::len)),
///     Err(ApiError::RateLimited { retry_after, .. }) => {
///         println!("rate limited; retry after {retry_after:?}")
///     }
///     Err(error) => eprintln!("{error}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// 401: the API key is invalid or missing.
    #[error("the Devin API key is invalid (401 Unauthorized){}", detail(body))]
    InvalidApiKey {
        /// The error body.
        body: ErrorBody,
    },
    /// 403: the API key lacks Enterprise admin rights.
    #[error(
        "the Devin API key lacks Enterprise admin rights (403 Forbidden){}",
        detail(body)
    )]
    NotEnterpriseAdmin {
        /// The error body.
        body: ErrorBody,
    },
    /// 429: the rate limit is exceeded.
    #[error(
        "the Devin API rate limit is exceeded (429 Too Many Requests); {}",
        wait(retry_after)
    )]
    RateLimited {
        /// How long the server asks to wait (`Retry-After`), when it says.
        retry_after: Option<Duration>,
        /// The error body.
        body: ErrorBody,
    },
    /// Another error status.
    #[error("the Devin API answered {status}{}", detail(body))]
    Status {
        /// The status.
        status: StatusCode,
        /// The error body.
        body: ErrorBody,
    },
    /// No error answer to classify: an invalid argument (nothing was sent), a
    /// timeout, a network failure, or a response that does not decode.
    #[error(transparent)]
    Other(Error),
}

fn detail(body: &ErrorBody) -> String {
    match body.message() {
        Some(message) => format!(": {message}"),
        None => String::new(),
    }
}

fn wait(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!("retry after {} s", wait.as_secs()),
        None => "retry later".to_owned(),
    }
}

impl ApiError {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::InvalidApiKey { .. } => Some(StatusCode::UNAUTHORIZED),
            Self::NotEnterpriseAdmin { .. } => Some(StatusCode::FORBIDDEN),
            Self::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Self::Status { status, .. } => Some(*status),
            Self::Other(error) => error.status(),
        }
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        let Error::Api(api) = error else {
            return Self::Other(error);
        };
        let dev_platform_runtime::ApiError {
            status,
            body,
            retry_after,
            ..
        } = *api;
        match status {
            StatusCode::UNAUTHORIZED => Self::InvalidApiKey { body },
            StatusCode::FORBIDDEN => Self::NotEnterpriseAdmin { body },
            StatusCode::TOO_MANY_REQUESTS => Self::RateLimited { retry_after, body },
            status => Self::Status { status, body },
        }
    }
}
