//! The provider's settings for building a [`Client`](crate::Client): the base
//! URL, the environment variables and where the API key goes.

use dev_platform_runtime::TokenPlacement;

/// The documented base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.devin.ai/v2/enterprise";
/// The environment variable [`Client::from_env`](crate::Client::from_env) reads
/// the API key from: the one the documentation's examples use.
pub const TOKEN_ENV: &str = "DEVIN_API_KEY";
/// The environment variable that, when set, overrides the base URL in
/// [`Client::from_env`](crate::Client::from_env).
pub const BASE_URL_ENV: &str = "DEVIN_BASE_URL";
/// The API key as `Authorization: Bearer <api key>`, as documented.
pub const DEFAULT_TOKEN_PLACEMENT: TokenPlacement = TokenPlacement::Bearer;
