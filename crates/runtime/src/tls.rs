//! The TLS crypto provider: rustls with `ring`.
//!
//! reqwest is built here without a crypto provider of its own (its
//! `rustls-no-provider` feature), so that the aws-lc-rs C library, which alone
//! takes about 40 s of a clean build, is not compiled. rustls then uses the
//! process's default provider, which this module installs.

/// Installs rustls's `ring` provider as the process's default, unless a
/// provider is installed already (then that one stays). Every builder calls it
/// before building its `reqwest::Client`; call it yourself before building a
/// `reqwest::Client` of your own (for
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client)), unless
/// your own reqwest dependency brings a provider (its default `rustls` feature
/// does).
///
/// ```
/// dev_platform_runtime::install_crypto_provider();
/// let http = reqwest::Client::builder().build().unwrap();
/// # let _ = http;
/// ```
pub fn install_crypto_provider() {
    // An error means a provider is installed already: keep it.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
