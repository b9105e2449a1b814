//! The API token and where it goes on the wire.

use std::fmt;

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::ConfigError;

/// Where the token is placed on every request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenPlacement {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// The token alone as the value of the named header (GitCode's `PRIVATE-TOKEN`).
    Header(&'static str),
    /// The token as the named query parameter (GitCode's `access_token`). The
    /// token is then part of every URL; use it only where a deployment requires it.
    Query(&'static str),
}

/// The token, ready to be injected: the secret and, for header placements, the
/// header value marked sensitive (so `reqwest` and `http` redact it in `Debug`).
#[derive(Clone)]
pub(crate) struct Token {
    placement: TokenPlacement,
    injection: Injection,
}

/// How the token is put on a request, ready-made.
#[derive(Clone)]
enum Injection {
    /// A header whose value is marked sensitive.
    Header(HeaderName, HeaderValue),
    /// A query parameter holding the secret.
    Query(&'static str, SecretString),
}

impl Token {
    pub(crate) fn new(
        secret: SecretString,
        placement: TokenPlacement,
    ) -> Result<Self, ConfigError> {
        let raw = secret.expose_secret();
        if raw.trim().is_empty() {
            return Err(ConfigError::EmptyToken);
        }
        let value = |text: &str| {
            let mut value = HeaderValue::from_str(text).map_err(|_| ConfigError::InvalidToken)?;
            value.set_sensitive(true);
            Ok::<_, ConfigError>(value)
        };
        let injection = match placement {
            TokenPlacement::Bearer => {
                Injection::Header(AUTHORIZATION, value(&format!("Bearer {raw}"))?)
            }
            TokenPlacement::Header(name) => Injection::Header(
                HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| ConfigError::InvalidHeaderName(name))?,
                value(raw)?,
            ),
            TokenPlacement::Query(name) => {
                // Same character rules as a header value, so a token with a line
                // break is rejected whatever the placement.
                value(raw)?;
                Injection::Query(name, secret)
            }
        };
        Ok(Self {
            placement,
            injection,
        })
    }

    /// Puts the token on `request`, replacing any value already there (a
    /// redirect's `Location` may carry a query parameter of the same name).
    pub(crate) fn apply(&self, request: &mut reqwest::Request) {
        match &self.injection {
            Injection::Header(name, value) => {
                request.headers_mut().insert(name.clone(), value.clone());
            }
            Injection::Query(name, secret) => {
                let url = request.url_mut();
                remove_query_pair(url, name);
                url.query_pairs_mut()
                    .append_pair(name, secret.expose_secret());
            }
        }
    }

    /// Takes the credential [`apply`](Self::apply) put on a request off it
    /// again (a request that goes to another origin).
    pub(crate) fn remove(&self, request: &mut reqwest::Request) {
        match &self.injection {
            Injection::Header(name, _) => {
                request.headers_mut().remove(name);
            }
            Injection::Query(name, _) => remove_query_pair(request.url_mut(), name),
        }
    }

    pub(crate) fn placement(&self) -> TokenPlacement {
        self.placement
    }
}

/// `url` without its `name` query parameter (any number of them), the other
/// pairs in their order; no query at all when none is left.
fn remove_query_pair(url: &mut reqwest::Url, name: &str) {
    if !url.query_pairs().any(|(key, _)| key == name) {
        return;
    }
    let others: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(key, _)| key != name)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    if others.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(others);
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("placement", &self.placement)
            .field("value", &"[REDACTED]")
            .finish()
    }
}
