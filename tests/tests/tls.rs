//! TLS without process-wide state, and post-quantum by default: building a
//! client installs no rustls crypto provider, its ClientHello offers the
//! hybrid post-quantum key exchange X25519MLKEM768 first (the runtime's
//! default `aws-lc-rs` provider), and a provider the application installed is
//! the one its clients use.
//!
//! One test, in a process of its own (an integration test binary), because a
//! process's default provider can be installed only once. A plain TCP server
//! on 127.0.0.1 reads the first TLS record each client sends (its
//! ClientHello), has rustls's own `Acceptor` parse it, and closes the
//! connection; the cipher suites and key-exchange groups the hello offers tell
//! which provider configured it.

use dev_platform_runtime::RetryPolicy;
use gitcode_api::Client;
use rustls::crypto::CryptoProvider;
use rustls::{CipherSuite, NamedGroup};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

/// The cipher suites and key-exchange groups of the ClientHello a client
/// sends to `https://127.0.0.1:<port>` when calling `get_org`.
async fn offered(client_for: impl FnOnce(String) -> Client) -> (Vec<CipherSuite>, Vec<NamedGroup>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut header = [0u8; 5];
        socket.read_exact(&mut header).await.unwrap();
        assert_eq!(header[0], 0x16, "a TLS handshake record");
        let length = u16::from_be_bytes([header[3], header[4]]) as usize;
        let mut record = header.to_vec();
        record.resize(5 + length, 0);
        socket.read_exact(&mut record[5..]).await.unwrap();
        record
    });
    let client = client_for(base_url);
    let error = client.get_org().org("x").send().await.unwrap_err();
    let record = server.await.unwrap();
    assert!(error.status().is_none(), "no HTTP answer: {error}");
    let mut acceptor = rustls::server::Acceptor::default();
    acceptor.read_tls(&mut record.as_slice()).unwrap();
    let accepted = acceptor
        .accept()
        .map_err(|(error, _)| error)
        .unwrap()
        .expect("a whole ClientHello");
    let hello = accepted.client_hello();
    let suites = hello
        .cipher_suites()
        .iter()
        .copied()
        // TLS_EMPTY_RENEGOTIATION_INFO_SCSV, a signal rather than a suite.
        .filter(|&suite| suite != CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV)
        .collect();
    let groups = hello.named_groups().unwrap_or_default().to_vec();
    (suites, groups)
}

fn client(base_url: String) -> Client {
    Client::builder()
        .token("tls-test-token")
        .base_url(base_url)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

#[tokio::test]
async fn clients_configure_their_own_tls_and_keep_the_applications_provider() {
    assert!(CryptoProvider::get_default().is_none());

    // No provider installed: the client speaks TLS with the runtime's
    // provider (aws-lc-rs), offers the post-quantum hybrid first, and
    // installs nothing.
    let provider = dev_platform_runtime::tls::crypto_provider();
    let (suites, groups) = offered(client).await;
    let expected: Vec<CipherSuite> = provider
        .cipher_suites
        .iter()
        .map(|suite| suite.suite())
        .collect();
    assert_eq!(suites, expected);
    assert_eq!(
        groups.first(),
        Some(&NamedGroup::X25519MLKEM768),
        "a post-quantum key exchange first: {groups:?}"
    );
    assert!(
        groups.contains(&NamedGroup::X25519),
        "and a classical one: {groups:?}"
    );
    assert!(
        CryptoProvider::get_default().is_none(),
        "building a client installed a process-wide provider"
    );

    // The application installs a provider of its own, with one cipher suite
    // and no post-quantum group: the next client uses it.
    let only = rustls::crypto::aws_lc_rs::cipher_suite::TLS13_CHACHA20_POLY1305_SHA256;
    let mine = CryptoProvider {
        cipher_suites: vec![only],
        kx_groups: vec![rustls::crypto::aws_lc_rs::kx_group::X25519],
        ..provider
    };
    mine.install_default().unwrap();
    let (suites, groups) = offered(client).await;
    assert_eq!(suites, vec![only.suite()]);
    assert_eq!(groups, vec![NamedGroup::X25519]);
}
