//! TLS without process-wide state: building a client installs no rustls
//! crypto provider, and a provider the application installed is the one its
//! clients use.
//!
//! One test, in a process of its own (an integration test binary), because a
//! process's default provider can be installed only once. A plain TCP server
//! on 127.0.0.1 reads the first TLS record each client sends (its
//! ClientHello) and closes the connection; the cipher suites the hello offers
//! tell which provider configured it.

use dev_platform_runtime::RetryPolicy;
use gitcode_api::Client;
use rustls::crypto::CryptoProvider;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

/// The cipher suites of the ClientHello a client sends to
/// `https://127.0.0.1:<port>` when calling `get_org`.
async fn offered_suites(client_for: impl FnOnce(String) -> Client) -> Vec<u16> {
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
        let mut record = vec![0u8; length];
        socket.read_exact(&mut record).await.unwrap();
        record
    });
    let client = client_for(base_url);
    let error = client.get_org().org("x").send().await.unwrap_err();
    let record = server.await.unwrap();
    assert!(error.status().is_none(), "no HTTP answer: {error}");
    // Handshake type (1) and length (3), version (2), random (32), session id.
    assert_eq!(record[0], 1, "a ClientHello");
    let session_id = record[38] as usize;
    let at = 39 + session_id;
    let suites = u16::from_be_bytes([record[at], record[at + 1]]) as usize;
    record[at + 2..at + 2 + suites]
        .chunks(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        // TLS_EMPTY_RENEGOTIATION_INFO_SCSV, a signal rather than a suite.
        .filter(|&suite| suite != 0x00ff)
        .collect()
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

    // No provider installed: the client speaks TLS with ring's suites, and
    // installs nothing.
    let ring = rustls::crypto::ring::default_provider();
    let suites = offered_suites(client).await;
    let expected: Vec<u16> = ring
        .cipher_suites
        .iter()
        .map(|suite| u16::from(suite.suite()))
        .collect();
    assert_eq!(suites, expected);
    assert!(
        CryptoProvider::get_default().is_none(),
        "building a client installed a process-wide provider"
    );

    // The application installs a provider of its own, with one cipher suite:
    // the next client uses it.
    let only = rustls::crypto::ring::cipher_suite::TLS13_CHACHA20_POLY1305_SHA256;
    let mine = CryptoProvider {
        cipher_suites: vec![only],
        ..ring
    };
    mine.install_default().unwrap();
    let suites = offered_suites(client).await;
    assert_eq!(suites, vec![u16::from(only.suite())]);
}
