//! TLS: rustls, configured for each client's own `reqwest::Client`, never
//! installed as the process's default.
//!
//! reqwest is built here without a crypto provider of its own (its
//! `rustls-no-provider` feature): without one, reqwest would use the
//! process's default and panic when there is none, and installing one for
//! the user would change process-wide state behind their back. So a client
//! gets a rustls configuration of its own, with the provider of this crate's
//! feature: aws-lc-rs (the default), which offers the post-quantum hybrid key
//! exchange X25519MLKEM768 first, or ring (a faster clean build: no C
//! library to compile; no post-quantum key exchange).

#[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
compile_error!(
    "dev-platform-runtime needs a TLS provider: its `aws-lc-rs` feature (the default) or `ring`"
);

use std::sync::{Arc, OnceLock};

use rustls::crypto::CryptoProvider;
use rustls_platform_verifier::BuilderVerifierExt;

use crate::ConfigError;

/// The rustls crypto provider a client uses when the application installed
/// none as the process's default: aws-lc-rs's default provider with the
/// `aws-lc-rs` feature (the default; its key exchange offers X25519MLKEM768
/// first), else ring's.
pub fn crypto_provider() -> CryptoProvider {
    #[cfg(feature = "aws-lc-rs")]
    {
        rustls::crypto::aws_lc_rs::default_provider()
    }
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    {
        // Deprecated by rustls for its lack of post-quantum key exchange:
        // the reason this is a choice, not the default.
        #[allow(deprecated)]
        rustls::crypto::ring::default_provider()
    }
}

/// The TLS of a `reqwest::ClientBuilder`: when the application installed a
/// process-wide rustls provider, reqwest's own configuration with that
/// provider, unchanged; otherwise [`crypto_provider`] for this client only,
/// with the platform's certificate verifier (as reqwest's own configuration
/// has) and HTTP/2 or HTTP/1.1 offered by ALPN.
///
/// That configuration is made once and cloned for each client (a clone shares
/// its immutable parts): making it reads the platform's certificate store,
/// which took most of the 19 ms a client took to build. Each client keeps a
/// TLS session cache of its own, as before.
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
) -> Result<reqwest::ClientBuilder, ConfigError> {
    if CryptoProvider::get_default().is_some() {
        return Ok(builder);
    }
    static CONFIG: OnceLock<Result<rustls::ClientConfig, String>> = OnceLock::new();
    let mut config = CONFIG
        .get_or_init(|| {
            let provider = Arc::new(crypto_provider());
            let mut config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .and_then(|config| config.with_platform_verifier())
                .map_err(|error| error.to_string())?
                .with_no_client_auth();
            config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
            Ok(config)
        })
        .clone()
        .map_err(ConfigError::Tls)?;
    config.resumption = rustls::client::Resumption::default();
    Ok(builder.tls_backend_preconfigured(config))
}
