//! [`ClientBuilder`]: one builder for every provider's client.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use reqwest::header::HeaderValue;
use secrecy::SecretString;

use crate::token::Token;
use crate::{ConfigError, RetryPolicy, Route, Runtime, TokenPlacement};

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole request, from sending to the end of the
/// body, and for each wait for the next bytes of a streamed export.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// What a provider crate tells the shared builder about itself. Implemented by
/// each provider's `Client`.
pub trait Provider: Sized {
    /// The documented base URL.
    const DEFAULT_BASE_URL: &'static str;
    /// The environment variable holding the token.
    const TOKEN_ENV: &'static str;
    /// The environment variable that may override the base URL.
    const BASE_URL_ENV: &'static str;
    /// Where the token goes unless the user chooses otherwise.
    const DEFAULT_TOKEN_PLACEMENT: TokenPlacement;
    /// The `User-Agent` header: `<crate>/<version>`.
    const USER_AGENT: &'static str;
    /// Every operation of the provider's spec (generated).
    const ROUTES: &'static [Route];

    /// Assembles the client from what the builder made.
    fn from_parts(parts: ClientParts) -> Self;
}

/// What [`ClientBuilder::build`] hands to [`Provider::from_parts`].
#[derive(Debug)]
pub struct ClientParts {
    /// The base URL without a trailing `/`.
    pub base_url: String,
    /// The HTTP client.
    pub http: reqwest::Client,
    /// The runtime: token, checks, user agent.
    pub runtime: Runtime,
}

/// Builds a provider's client: base URL, token and where it goes, timeouts, or a
/// `reqwest::Client` of your own.
///
/// `Debug` never shows the token.
pub struct ClientBuilder<C> {
    base_url: Option<String>,
    token: Option<SecretString>,
    placement: Option<TokenPlacement>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    strict: bool,
    allow_http: bool,
    client: PhantomData<fn() -> C>,
}

impl<C: Provider> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self {
            base_url: None,
            token: None,
            placement: None,
            timeout: None,
            connect_timeout: None,
            http: None,
            retry: RetryPolicy::default(),
            strict: false,
            allow_http: false,
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "[REDACTED]"))
            .field("placement", &self.placement)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field(
                "http",
                &self.http.as_ref().map(|_| "custom reqwest::Client"),
            )
            .field("retry", &self.retry)
            .field("strict", &self.strict)
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

impl<C: Provider> ClientBuilder<C> {
    /// A builder with the provider's defaults and no token.
    pub fn new() -> Self {
        Self::default()
    }

    /// The API token.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(SecretString::from(token.into()));
        self
    }

    /// The base URL, e.g. a mock server's `http://127.0.0.1:PORT`.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Where the token is sent (the provider's documented default otherwise).
    pub fn token_placement(mut self, placement: TokenPlacement) -> Self {
        self.placement = Some(placement);
        self
    }

    /// Time allowed for a whole request (default 60 s). A streamed CSV export
    /// has no total limit, since a large one takes minutes: this is then the
    /// longest wait for its next bytes.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// When failed attempts are retried (the default: see [`RetryPolicy`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Attempts in all, the first included (default 3; 1 never retries).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.retry.max_attempts = attempts.max(1);
        self
    }

    /// Whether POST and PATCH are retried too (default: no, as they may not be
    /// idempotent).
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry.retry_non_idempotent = retry;
        self
    }

    /// Strict mode, for maintainers checking a spec against a real server:
    /// every JSON response must be exactly as the spec documents it (every
    /// documented field present, `null` only where documented, each value of
    /// its documented type, format and values, no field the spec does not
    /// describe), or `send()` fails with
    /// [`Error::Deviations`](crate::Error::Deviations) listing every
    /// deviation with its JSON path. Default: off, and responses decode
    /// tolerantly (the README's "What the clients accept").
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// Accepts a plain `http://` base URL to a host other than this machine
    /// (default: refused, since the token would travel in clear; loopback
    /// addresses and `localhost` are always allowed).
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Sends requests with this `reqwest::Client` (its own timeouts, proxy and
    /// TLS settings apply; setting a timeout on this builder too is an error).
    /// Build it from [`http_client_builder`](crate::http_client_builder), or at
    /// least with `.redirect(reqwest::redirect::Policy::none())`: the runtime
    /// follows redirects itself, only within the base URL's origin, and a
    /// client that follows them on its own would take a custom token header
    /// (`PRIVATE-TOKEN`) or a token in the query to whatever origin a server
    /// names. A client not built from `http_client_builder` needs TLS of its
    /// own: a process-wide rustls crypto provider, or reqwest's default
    /// features.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Reads the token from the provider's token variable (required) and the base
    /// URL from its base-URL variable (when set), over anything set before.
    pub fn from_env(self) -> Result<Self, ConfigError> {
        self.from_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) over any source of variables (a
    /// configuration file, a secret store, a test's own table): `var` is asked
    /// for the token variable and the base-URL variable by name.
    pub fn from_vars(mut self, var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let token = var(C::TOKEN_ENV).ok_or(ConfigError::MissingEnv(C::TOKEN_ENV))?;
        self = self.token(token);
        if let Some(base_url) = var(C::BASE_URL_ENV) {
            self = self.base_url(base_url);
        }
        Ok(self)
    }

    /// Builds the client.
    pub fn build(self) -> Result<C, ConfigError> {
        let token = self
            .token
            .ok_or(ConfigError::MissingToken { env: C::TOKEN_ENV })?;
        let token = Token::new(token, self.placement.unwrap_or(C::DEFAULT_TOKEN_PLACEMENT))?;
        let base_url = self.base_url.as_deref().unwrap_or(C::DEFAULT_BASE_URL);
        let provider_base =
            base_url.trim_end_matches('/') == C::DEFAULT_BASE_URL.trim_end_matches('/');
        let (base_url, base_path) = parse_base_url(base_url, self.allow_http)?;
        let timeouts_set = self.timeout.is_some() || self.connect_timeout.is_some();
        if self.http.is_some() && timeouts_set {
            return Err(ConfigError::Conflict(
                "a timeout was set together with a custom reqwest::Client; set it on that client",
            ));
        }
        let http = match self.http {
            Some(http) => http,
            None => crate::http_client_builder()?
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .read_timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .build()
                .map_err(ConfigError::Http)?,
        };
        let runtime = Runtime::new(
            token,
            (base_path, provider_base),
            HeaderValue::from_static(C::USER_AGENT),
            C::ROUTES,
            self.retry,
            self.strict,
        );
        Ok(C::from_parts(ClientParts {
            base_url,
            http,
            runtime,
        }))
    }
}

/// A `reqwest::ClientBuilder` as the builders start theirs: no redirect
/// followed by reqwest (the runtime follows them itself, only within the base
/// URL's origin), and TLS through rustls with the process's default crypto
/// provider when the application installed one, or else with
/// [`tls::crypto_provider`](crate::tls::crypto_provider) for this client
/// only: nothing is installed process-wide. Start here to pass a
/// client of your own to [`ClientBuilder::http_client`].
///
/// Fails only when the platform's certificate store cannot be read.
///
/// ```
/// let http = dev_platform_runtime::http_client_builder()?
///     .pool_max_idle_per_host(4)
///     .build()?;
/// # let _ = http;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, ConfigError> {
    crate::tls::configure(reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()))
}

/// Whether a URL's host is this machine: `localhost` or a loopback address.
fn is_loopback(url: &reqwest::Url) -> bool {
    // The URL parser has lowercased the host name already.
    match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost" || name.ends_with(".localhost"),
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    }
}

/// Checks a base URL and returns it without a trailing `/`, with its path.
fn parse_base_url(given: &str, allow_http: bool) -> Result<(String, String), ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidBaseUrl {
        url: given
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .to_owned(),
        reason: reason.to_owned(),
    };
    let url = reqwest::Url::parse(given).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL has no query or fragment"));
    }
    if url.scheme() == "http" && !is_loopback(&url) && !allow_http {
        return Err(ConfigError::InsecureBaseUrl {
            url: url.as_str().trim_end_matches('/').to_owned(),
        });
    }
    let base_url = url.as_str().trim_end_matches('/').to_owned();
    let base_path = url.path().trim_end_matches('/').to_owned();
    Ok((base_url, base_path))
}

#[cfg(test)]
mod tests {
    use super::{ClientBuilder, ClientParts, Provider, parse_base_url};
    use crate::{ConfigError, Route, TokenPlacement};

    #[derive(Debug)]
    struct Probe(ClientParts);

    impl Provider for Probe {
        const DEFAULT_BASE_URL: &'static str = "https://probe.example/v1";
        const TOKEN_ENV: &'static str = "PROBE_TOKEN";
        const BASE_URL_ENV: &'static str = "PROBE_BASE_URL";
        const DEFAULT_TOKEN_PLACEMENT: TokenPlacement = TokenPlacement::Bearer;
        const USER_AGENT: &'static str = "probe/0";
        const ROUTES: &'static [Route] = &[];

        fn from_parts(parts: ClientParts) -> Self {
            Self(parts)
        }
    }

    #[test]
    fn from_env_needs_the_token_variable_and_takes_the_base_url_variable() {
        let error = ClientBuilder::<Probe>::new()
            .from_vars(|_| None)
            .unwrap_err();
        assert!(matches!(error, ConfigError::MissingEnv("PROBE_TOKEN")));
        assert_eq!(
            error.to_string(),
            "the environment variable PROBE_TOKEN is not set"
        );

        let only_token = ClientBuilder::<Probe>::new()
            .from_vars(|name| (name == "PROBE_TOKEN").then(|| "t0k".to_owned()))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(only_token.0.base_url, "https://probe.example/v1");

        let both = ClientBuilder::<Probe>::new()
            .from_vars(|name| match name {
                "PROBE_TOKEN" => Some("t0k".to_owned()),
                "PROBE_BASE_URL" => Some("http://127.0.0.1:1/".to_owned()),
                _ => None,
            })
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(both.0.base_url, "http://127.0.0.1:1");
        assert!(!format!("{both:?}").contains("t0k"));
    }

    #[test]
    fn base_urls_lose_their_trailing_slash_and_keep_their_path() {
        assert_eq!(
            parse_base_url("https://api.gitcode.com/api/v5/", false).unwrap(),
            ("https://api.gitcode.com/api/v5".into(), "/api/v5".into())
        );
        assert_eq!(
            parse_base_url("http://127.0.0.1:8080", false).unwrap(),
            ("http://127.0.0.1:8080".into(), "".into())
        );
        assert!(parse_base_url("ftp://x", false).is_err());
        assert!(parse_base_url("https://x/?access_token=t", false).is_err());
        assert!(parse_base_url("not a url", false).is_err());
    }

    #[test]
    fn plain_http_is_for_this_machine_unless_allowed() {
        for local in [
            "http://127.0.0.1:8080/api",
            "http://127.9.9.9",
            "http://localhost:3000",
            "http://LOCALHOST",
            "http://mock.localhost",
            "http://[::1]:8080",
        ] {
            assert!(parse_base_url(local, false).is_ok(), "{local}");
        }
        for remote in [
            "http://api.gitcode.com/api/v5",
            "http://10.0.0.1",
            "http://localhost.evil.example",
        ] {
            let error = parse_base_url(remote, false).unwrap_err();
            assert!(
                matches!(error, ConfigError::InsecureBaseUrl { .. }),
                "{remote}"
            );
            assert!(error.to_string().contains("travel in clear"), "{error}");
            assert!(parse_base_url(remote, true).is_ok(), "{remote}");
        }
    }
}
