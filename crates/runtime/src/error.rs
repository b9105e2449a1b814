//! [`ConfigError`]: what can go wrong while building a client.

/// A client could not be built from the given configuration or environment.
///
/// No variant ever contains the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No token was given to the builder.
    #[error("no API token was given: call `.token(...)` on the builder or set {env}")]
    MissingToken {
        /// The environment variable `from_env` reads the token from.
        env: &'static str,
    },
    /// A required environment variable is unset (or not valid Unicode).
    #[error("the environment variable {0} is not set")]
    MissingEnv(&'static str),
    /// The token is empty or only white space.
    #[error("the API token is empty")]
    EmptyToken,
    /// The token contains characters that cannot be sent in an HTTP header
    /// (a line break, say).
    #[error("the API token contains characters that are not allowed in an HTTP header")]
    InvalidToken,
    /// A header name for the token is not a valid HTTP header name.
    #[error("`{0}` is not a valid HTTP header name")]
    InvalidHeaderName(&'static str),
    /// The base URL cannot be parsed or is not `http`/`https`.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL as given, without query and fragment.
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A plain `http://` base URL to a host other than this machine: the token
    /// would travel in clear. Use https, or opt in with
    /// [`allow_http`](crate::ClientBuilder::allow_http).
    #[error(
        "the base URL `{url}` is plain http to another machine, where the token would travel in clear; use https (or allow_http / --allow-http to send it anyway)"
    )]
    InsecureBaseUrl {
        /// The URL as given, without query and fragment.
        url: String,
    },
    /// Two builder options that exclude each other were both set.
    #[error("conflicting client options: {0}")]
    Conflict(&'static str),
    /// The TLS configuration could not be built (the platform's certificate
    /// store could not be read, say).
    #[error("could not configure TLS: {0}")]
    Tls(String),
    /// `reqwest` could not build its HTTP client (TLS initialisation, say).
    #[error("could not build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}
