//! Building a [`Client`]: the token, where it goes, the base URL and timeouts.

use dev_platform_runtime::{ClientParts, Provider, Route, TokenPlacement};

use crate::Client;

/// The documented base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.gitcode.com/api/v5";
/// The environment variable [`Client::from_env`] reads the token from.
pub const TOKEN_ENV: &str = "GITCODE_TOKEN";
/// The environment variable that, when set, overrides the base URL in [`Client::from_env`].
pub const BASE_URL_ENV: &str = "GITCODE_BASE_URL";

/// The token in the `PRIVATE-TOKEN` header: the default.
pub const PRIVATE_TOKEN_HEADER: TokenPlacement = TokenPlacement::Header("PRIVATE-TOKEN");
/// The token as `Authorization: Bearer <token>`, which GitCode also accepts.
pub const BEARER: TokenPlacement = TokenPlacement::Bearer;
/// The token as the `access_token` query parameter, as the documentation's tables
/// list it. The token is then part of every request URL (and of any error or log
/// line that prints one): choose it only for a deployment that requires it.
pub const ACCESS_TOKEN_QUERY: TokenPlacement = TokenPlacement::Query("access_token");

/// Builds a [`Client`]; see [`Client::builder`].
pub type ClientBuilder = dev_platform_runtime::ClientBuilder<Client>;

impl Provider for Client {
    const DEFAULT_BASE_URL: &'static str = DEFAULT_BASE_URL;
    const TOKEN_ENV: &'static str = TOKEN_ENV;
    const BASE_URL_ENV: &'static str = BASE_URL_ENV;
    const DEFAULT_TOKEN_PLACEMENT: TokenPlacement = PRIVATE_TOKEN_HEADER;
    const USER_AGENT: &'static str =
        concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
    const ROUTES: &'static [Route] = crate::generated::ROUTES;

    fn from_parts(parts: ClientParts) -> Self {
        Self {
            baseurl: parts.base_url,
            client: parts.http,
            inner: parts.runtime,
        }
    }
}

impl Client {
    /// A client for the public GitCode API with this personal access token,
    /// sent in the `PRIVATE-TOKEN` header.
    ///
    /// Fails when the token is empty or cannot be sent in a header.
    pub fn new(token: impl Into<String>) -> Result<Self, dev_platform_runtime::ConfigError> {
        Self::builder().token(token).build()
    }

    /// A client configured from the environment: the token from `GITCODE_TOKEN`
    /// (required) and the base URL from `GITCODE_BASE_URL` (optional).
    pub fn from_env() -> Result<Self, dev_platform_runtime::ConfigError> {
        Self::builder().from_env()?.build()
    }

    /// A builder for a base URL, token placement, timeouts or a `reqwest::Client`
    /// of your own.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.baseurl
    }
}
