//! What the benchmarks and the `call_loop` example share: the client under
//! test, and the same call written by hand with reqwest and serde_json, sending
//! the same request (URL built per call, same headers) with the same timeouts.

use dev_platform_runtime::Provider;
use gitcode_api::Client;
use reqwest::header::{ACCEPT, USER_AGENT};
use serde::de::DeserializeOwned;

const TOKEN: &str = "bench-token";

/// The generated client, with its defaults.
pub fn client(base_url: &str) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(base_url)
        .build()
        .unwrap()
}

/// The `reqwest::Client` of the hand-written calls, with the SDK's TLS and
/// timeouts.
pub fn hand_client() -> reqwest::Client {
    dev_platform_runtime::http_client_builder()
        .unwrap()
        .connect_timeout(dev_platform_runtime::DEFAULT_CONNECT_TIMEOUT)
        .timeout(dev_platform_runtime::DEFAULT_TIMEOUT)
        .build()
        .unwrap()
}

/// A GET written by hand, sending what the SDK sends, decoded as `T`.
pub async fn by_hand<T: DeserializeOwned>(http: &reqwest::Client, url: String) -> T {
    let response = http
        .get(url)
        .header("PRIVATE-TOKEN", TOKEN)
        .header(ACCEPT, "application/json")
        .header(USER_AGENT, <Client as Provider>::USER_AGENT)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}
