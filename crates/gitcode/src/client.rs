//! The provider's settings for building a [`Client`](crate::Client): the base
//! URL, the environment variables and where the token goes.

use dev_platform_runtime::TokenPlacement;

/// The documented base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.gitcode.com/api/v5";
/// The environment variable [`Client::from_env`](crate::Client::from_env) reads
/// the token from.
pub const TOKEN_ENV: &str = "GITCODE_TOKEN";
/// The environment variable that, when set, overrides the base URL in
/// [`Client::from_env`](crate::Client::from_env).
pub const BASE_URL_ENV: &str = "GITCODE_BASE_URL";

/// The token in the `PRIVATE-TOKEN` header: the default.
pub const PRIVATE_TOKEN_HEADER: TokenPlacement = TokenPlacement::Header("PRIVATE-TOKEN");
/// Where the token goes unless the builder says otherwise.
pub const DEFAULT_TOKEN_PLACEMENT: TokenPlacement = PRIVATE_TOKEN_HEADER;
/// The token as `Authorization: Bearer <token>`, which GitCode also accepts.
pub const BEARER: TokenPlacement = TokenPlacement::Bearer;
/// The token as the `access_token` query parameter, as the documentation's tables
/// list it. The token is then part of every request URL (and of any error or log
/// line that prints one): choose it only for a deployment that requires it.
pub const ACCESS_TOKEN_QUERY: TokenPlacement = TokenPlacement::Query("access_token");
