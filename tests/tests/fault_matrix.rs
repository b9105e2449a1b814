//! The fault matrix: a loopback server that misbehaves on purpose, against a
//! list operation of every provider crate. Each fault ends in success after a
//! retry or in the documented error kind, never a panic or a shorter list, and
//! no error's `Display` or `Debug`, nor any `tracing` output, ever shows the
//! token (GitCode sends it in the query here, the hardest case).

use std::sync::OnceLock;
use std::time::Duration;

use dev_platform_runtime::{Error, RetryPolicy};
use dev_platform_tests::Captured;
use dev_platform_tests::spec::Spec;
use dev_platform_tests::wire::{failing_then, raw_server};
use serde_json::Value;
use tokio::io::AsyncWriteExt;
use wiremock::ResponseTemplate;

const TOKEN: &str = "fault-secret-0b5d";
const PROVIDERS: [&str; 3] = ["gitcode", "qoder", "devin"];

/// Fast retries and a short timeout.
fn policy() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(1),
        max_retry_after: Duration::from_millis(50),
        ..RetryPolicy::default()
    }
}

/// Calls the provider's list operation at `base_url`: the number of items.
async fn call(provider: &str, base_url: &str) -> Result<usize, Error> {
    let timeout = Duration::from_millis(400);
    match provider {
        "gitcode" => {
            let client = gitcode_api::Client::builder()
                .token(TOKEN)
                .token_placement(gitcode_api::client::ACCESS_TOKEN_QUERY)
                .base_url(base_url)
                .timeout(timeout)
                .retry_policy(policy())
                .build()
                .unwrap();
            client
                .list_org_members()
                .org("o")
                .send()
                .await
                .map(|members| members.len())
        }
        "qoder" => {
            let client = qoder_api::Client::builder()
                .token(TOKEN)
                .base_url(base_url)
                .timeout(timeout)
                .retry_policy(policy())
                .build()
                .unwrap();
            let page = client
                .list_tracked_commits()
                .organization_id("o")
                .send()
                .await?;
            Ok(page.items.as_ref().map_or(0, Vec::len))
        }
        _ => {
            let client = devin_api::Client::builder()
                .token(TOKEN)
                .base_url(base_url)
                .timeout(timeout)
                .retry_policy(policy())
                .build()
                .unwrap();
            let members = client.list_members().send().await?.into_inner().members;
            Ok(members.map_or(0, |members| members.len()))
        }
    }
}

/// The operation's documented answer with its list repeated `times` times.
fn answer(provider: &str, times: usize) -> Value {
    let (operation, list): (&str, &[&str]) = match provider {
        "gitcode" => ("list_org_members", &[]),
        "qoder" => ("list_tracked_commits", &["data", "items"]),
        _ => ("list_members", &["items"]),
    };
    let mut body = Spec::load(provider).response_example(operation, "200");
    let mut items = &mut body;
    for key in list {
        items = &mut items[*key];
    }
    let one = items.as_array().unwrap().clone();
    *items = Value::Array(
        one.iter()
            .cycle()
            .take(one.len() * times)
            .cloned()
            .collect(),
    );
    body
}

fn items_in(provider: &str, times: usize) -> usize {
    match provider {
        "devin" => 2 * times,
        _ => times,
    }
}

fn assert_no_token(error: &Error) {
    let text = format!("{error} | {error:?}");
    assert!(
        !text.contains(TOKEN) && !text.contains("access_token"),
        "{text}"
    );
}

/// Everything every test of this binary traced, at every level: one global
/// subscriber (a scoped one would compete for tracing's callsite cache).
fn traced() -> &'static Captured {
    static LOG: OnceLock<Captured> = OnceLock::new();
    LOG.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .init();
        captured
    })
}

/// The calls were traced, and the trace never shows the token.
fn assert_trace_has_no_token(log: &Captured) {
    let text = log.text();
    assert!(text.contains("dev_platform.request"), "nothing traced");
    assert!(
        !text.contains(TOKEN) && !text.contains("access_token"),
        "{text}"
    );
}

/// The base URL of a raw server that answers the first connection with
/// `bytes` (a status line and headers included), then closes it.
async fn raw(bytes: Vec<u8>) -> String {
    raw_server(move |mut socket| async move {
        let _ = socket.write_all(&bytes).await;
        let _ = socket.flush().await;
    })
    .await
}

#[tokio::test]
async fn retryable_statuses_end_in_success() {
    let log = traced();
    for provider in PROVIDERS {
        let ok = ResponseTemplate::new(200).set_body_json(answer(provider, 1));
        for first in [
            ResponseTemplate::new(429).insert_header("retry-after", "0"),
            ResponseTemplate::new(502).set_body_raw("<html>Bad Gateway</html>", "text/html"),
            ResponseTemplate::new(503),
        ] {
            let server = failing_then(first, 2, ok.clone()).await;
            let count = call(provider, &server.uri()).await.unwrap();
            assert_eq!(count, items_in(provider, 1), "{provider}");
            assert_eq!(
                server.received_requests().await.unwrap().len(),
                3,
                "{provider}"
            );
        }
    }
    assert_trace_has_no_token(log);
}

#[tokio::test]
async fn lasting_errors_end_in_the_api_error_with_status_and_message() {
    let log = traced();
    for provider in PROVIDERS {
        let ok = ResponseTemplate::new(200).set_body_json(answer(provider, 1));
        for (status, body, attempts) in [
            (500, "internal error", 1),
            (502, "<html><h1>502 Bad Gateway</h1></html>", 3),
            (429, "slow down", 3),
        ] {
            let failing = ResponseTemplate::new(status).set_body_raw(body, "text/html");
            let server = failing_then(failing, 10, ok.clone()).await;
            let error = call(provider, &server.uri()).await.unwrap_err();
            assert_no_token(&error);
            let api = error
                .api()
                .unwrap_or_else(|| panic!("{provider}: {error:?}"));
            assert_eq!(api.status.as_u16(), status, "{provider}");
            assert_eq!(api.message(), Some(body), "{provider}");
            assert_eq!(server.received_requests().await.unwrap().len(), attempts);
        }
    }
    assert_trace_has_no_token(log);
}

#[tokio::test]
async fn broken_bodies_are_decode_errors_never_shorter_lists() {
    let log = traced();
    for provider in PROVIDERS {
        let full = answer(provider, 1).to_string();
        for body in [
            full[..full.len() / 2].to_owned(),
            full.replacen(':', "", 1),
            String::new(),
            "<html>maintenance</html>".to_owned(),
        ] {
            let server = failing_then(
                ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"),
                1,
                ResponseTemplate::new(500),
            )
            .await;
            let error = call(provider, &server.uri()).await.unwrap_err();
            assert!(
                matches!(error, Error::Decode { .. }),
                "{provider} {body:?}: {error:?}"
            );
            assert_no_token(&error);
        }
    }
    assert_trace_has_no_token(log);
}

#[tokio::test]
async fn a_response_ten_times_larger_decodes_whole() {
    let log = traced();
    for provider in PROVIDERS {
        let server = failing_then(
            ResponseTemplate::new(200).set_body_json(answer(provider, 10)),
            1,
            ResponseTemplate::new(500),
        )
        .await;
        let count = call(provider, &server.uri()).await.unwrap();
        assert_eq!(count, items_in(provider, 10), "{provider}");
    }
    assert_trace_has_no_token(log);
}

#[tokio::test]
async fn a_connection_reset_before_or_during_the_body_is_a_network_error() {
    let log = traced();
    for provider in PROVIDERS {
        // Closed before any answer: retried, then the listener is gone.
        let error = call(provider, &raw(Vec::new()).await).await.unwrap_err();
        assert!(matches!(error, Error::Network(_)), "{provider}: {error:?}");
        assert_no_token(&error);

        // Closed in the middle of the announced body.
        let full = answer(provider, 1).to_string();
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            full.len()
        );
        let bytes = [head.as_bytes(), &full.as_bytes()[..full.len() / 2]].concat();
        let error = call(provider, &raw(bytes).await).await.unwrap_err();
        assert!(matches!(error, Error::Network(_)), "{provider}: {error:?}");
        assert_no_token(&error);
    }
    assert_trace_has_no_token(log);
}

#[tokio::test]
async fn a_stalled_response_is_a_timeout() {
    let log = traced();
    for provider in PROVIDERS {
        let stalled = raw_server(|socket| async move {
            tokio::time::sleep(Duration::from_secs(30)).await;
            drop(socket);
        })
        .await;
        let error = call(provider, &stalled).await.unwrap_err();
        assert!(matches!(error, Error::Timeout(_)), "{provider}: {error:?}");
        assert_no_token(&error);
    }
    assert_trace_has_no_token(log);
}
