//! The shared runtime on the wire, through a generated client: retries (each
//! retryable status, both `Retry-After` forms, the cap, POST not retried unless
//! asked, byte-identical resends), timeouts and connection failures as their own
//! error kinds, none of it ever showing the token (the tracing span is tested
//! alone in `tracing_span.rs`: a scoped subscriber misses events that other
//! tests' threads race it for).

use std::time::{Duration, Instant};

use dev_platform_runtime::RetryPolicy;
use dev_platform_tests::wire::{failing_then, raw_server};
use gitcode_api::client::ACCESS_TOKEN_QUERY;
use gitcode_api::types::CreateRepoRequest;
use gitcode_api::{Client, Error};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

const TOKEN: &str = "gc-runtime-secret-3c8d";

/// A server answering `first` to the first `times` requests, then `200 {}` /
/// the organization.
async fn failing_then_ok(first: ResponseTemplate, times: u64) -> MockServer {
    let org = ResponseTemplate::new(200).set_body_json(json!({
        "id": 1, "login": "o", "name": "O", "avatar_url": null, "repos_url": null,
        "events_url": null, "members_url": null, "description": "", "follow_count": 0
    }));
    failing_then(first, times, org).await
}

/// Fast retries: no backoff, `Retry-After` capped at 2 s.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry_policy(RetryPolicy {
            initial_backoff: Duration::ZERO,
            max_retry_after: Duration::from_secs(2),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

#[tokio::test]
async fn each_retryable_status_is_retried_and_the_resend_is_identical() {
    for status in [429, 502, 503, 504] {
        let server = failing_then_ok(ResponseTemplate::new(status), 2).await;
        let org = client(&server).get_org().org("o").send().await.unwrap();
        assert_eq!(org.login, "o", "{status}");
        let sent = requests(&server).await;
        assert_eq!(sent.len(), 3, "{status}: two failures and a success");
        for request in &sent[1..] {
            assert_eq!(request.method, sent[0].method);
            assert_eq!(request.url, sent[0].url);
            assert_eq!(request.headers, sent[0].headers);
            assert_eq!(request.body, sent[0].body);
        }
    }
}

#[tokio::test]
async fn other_error_statuses_are_not_retried() {
    for status in [400, 401, 403, 404, 500] {
        let server = failing_then_ok(ResponseTemplate::new(status), 1).await;
        let error = client(&server).get_org().org("o").send().await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(requests(&server).await.len(), 1, "{status}");
    }
}

#[tokio::test]
async fn attempts_are_limited_and_the_last_answer_is_the_error() {
    let server = failing_then_ok(ResponseTemplate::new(503), 10).await;
    let error = client(&server).get_org().org("o").send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await.len(), 3, "the default: 3 attempts");

    let server = failing_then_ok(ResponseTemplate::new(503), 10).await;
    let once = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .max_attempts(1)
        .build()
        .unwrap();
    once.get_org().org("o").send().await.unwrap_err();
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn retry_after_in_seconds_is_honoured() {
    let server = failing_then_ok(
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        1,
    )
    .await;
    let started = Instant::now();
    client(&server).get_org().org("o").send().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let at = chrono::Utc::now() + chrono::Duration::seconds(2);
    let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let server = failing_then_ok(
        ResponseTemplate::new(503).insert_header("retry-after", date.as_str()),
        1,
    )
    .await;
    let started = Instant::now();
    client(&server).get_org().org("o").send().await.unwrap();
    // The date has whole seconds: the wait is between 1 and 2 s.
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_long_retry_after_is_capped() {
    let server = failing_then_ok(
        ResponseTemplate::new(429).insert_header("retry-after", "3600"),
        1,
    )
    .await;
    let capped = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry_policy(RetryPolicy {
            max_retry_after: Duration::from_millis(50),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let started = Instant::now();
    capped.get_org().org("o").send().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await.len(), 2);
}

fn create_repo(client: &Client) -> gitcode_api::builder::CreateOrgRepo<'_> {
    client
        .create_org_repo()
        .org("o")
        .body(CreateRepoRequest::builder().name("r"))
}

#[tokio::test]
async fn a_post_is_not_retried_unless_asked() {
    let server = failing_then_ok(ResponseTemplate::new(503), 1).await;
    let error = create_repo(&client(&server)).send().await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await.len(), 1);

    let server = failing_then_ok(ResponseTemplate::new(503), 1).await;
    let opted_in = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry_non_idempotent(true)
        .build()
        .unwrap();
    let _ = create_repo(&opted_in).send().await;
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body, "the same body, byte for byte");
    assert!(!sent[0].body.is_empty());
}

#[tokio::test]
async fn a_stalled_response_is_a_timeout() {
    let base_url = raw_server(|socket| async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(socket);
    })
    .await;
    let client = Client::builder()
        .token(TOKEN)
        .token_placement(ACCESS_TOKEN_QUERY)
        .base_url(base_url)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = client.get_org().org("o").send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    let text = format!("{error} {error:?}");
    assert!(text.starts_with("the request timed out"), "{text}");
    assert!(
        !text.contains(TOKEN),
        "the URL (with the token) is left out: {text}"
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_network_error_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder()
        .token(TOKEN)
        .token_placement(ACCESS_TOKEN_QUERY)
        .base_url(format!("http://{address}"))
        .retry_policy(RetryPolicy {
            initial_backoff: Duration::ZERO,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let error = client.get_org().org("o").send().await.unwrap_err();
    assert!(matches!(error, Error::Network(_)), "{error:?}");
    let text = format!("{error} {error:?}");
    assert!(text.starts_with("the connection failed"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
}

#[tokio::test]
async fn no_error_kind_shows_the_token_even_when_it_travels_in_the_query() {
    let query_client = |base_url: String| {
        Client::builder()
            .token(TOKEN)
            .token_placement(ACCESS_TOKEN_QUERY)
            .base_url(base_url)
            .max_attempts(1)
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap()
    };
    let mut errors = Vec::new();
    // InvalidRequest: a path parameter that would lead elsewhere.
    let server = failing_then_ok(ResponseTemplate::new(200), 1).await;
    errors.push(
        query_client(server.uri())
            .get_org()
            .org("..")
            .send()
            .await
            .unwrap_err(),
    );
    // Api: an error status with a body that echoes the request.
    let server = failing_then_ok(
        ResponseTemplate::new(400).set_body_json(json!({"message": "bad request"})),
        1,
    )
    .await;
    errors.push(
        query_client(server.uri())
            .get_org()
            .org("o")
            .send()
            .await
            .unwrap_err(),
    );
    // Decode: a success body that is not the organization.
    let server = failing_then_ok(ResponseTemplate::new(200).set_body_string("[1, 2"), 1).await;
    errors.push(
        query_client(server.uri())
            .get_org()
            .org("o")
            .send()
            .await
            .unwrap_err(),
    );
    // Timeout.
    let stalled = raw_server(|socket| async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(socket);
    })
    .await;
    errors.push(
        query_client(stalled)
            .get_org()
            .org("o")
            .send()
            .await
            .unwrap_err(),
    );
    // Network: a connection refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    errors.push(
        query_client(closed)
            .get_org()
            .org("o")
            .send()
            .await
            .unwrap_err(),
    );

    let kinds: Vec<&str> = errors
        .iter()
        .map(|error| match error {
            Error::InvalidRequest(_) => "invalid",
            Error::Api(_) => "api",
            Error::Decode { .. } => "decode",
            Error::Timeout(_) => "timeout",
            Error::Network(_) => "network",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["invalid", "api", "decode", "timeout", "network"]);
    for error in &errors {
        let text = format!("{error} | {error:?}");
        assert!(!text.contains(TOKEN), "{text}");
        assert!(!text.contains("access_token"), "{text}");
    }
}
