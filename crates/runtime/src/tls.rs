//! TLS: rustls, configured for each client's own `reqwest::Client`, never
//! installed as the process's default.
//!
//! reqwest is built here without a crypto provider of its own (its
//! `rustls-no-provider` feature), so that the aws-lc-rs C library, which alone
//! takes about 40 s of a clean build, is not compiled. Without a provider,
//! reqwest would use the process's default one and panic when there is none;
//! installing one for the user would change process-wide state behind their
//! back. So a client gets a rustls configuration of its own.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls_platform_verifier::BuilderVerifierExt;

use crate::ConfigError;

/// The TLS of a `reqwest::ClientBuilder`: when the application installed a
/// process-wide rustls provider, reqwest's own configuration with that
/// provider, unchanged; otherwise rustls's `ring` provider for this client
/// only, with the platform's certificate verifier (as reqwest's own
/// configuration has) and HTTP/2 or HTTP/1.1 offered by ALPN.
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
) -> Result<reqwest::ClientBuilder, ConfigError> {
    if CryptoProvider::get_default().is_some() {
        return Ok(builder);
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|config| config.with_platform_verifier())
        .map_err(|error| ConfigError::Tls(error.to_string()))?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(builder.tls_backend_preconfigured(config))
}
