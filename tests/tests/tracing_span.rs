//! The `tracing` span of a call: its fields, and never the token, even when the
//! token travels in the query. Alone in its test binary, since a scoped
//! subscriber competes with other tests' threads for tracing's callsite cache.

use std::time::Duration;

use dev_platform_runtime::RetryPolicy;
use dev_platform_tests::wire::failing_then;
use gitcode_api::Client;
use gitcode_api::client::ACCESS_TOKEN_QUERY;
use serde_json::json;
use wiremock::ResponseTemplate;

const TOKEN: &str = "gc-tracing-secret-91fe";

#[tokio::test]
async fn one_span_per_call_with_its_fields_and_never_the_token() {
    let (captured, _guard) = dev_platform_tests::capture_traces();

    let org = ResponseTemplate::new(200).set_body_json(json!({
        "id": 1, "login": "openharmony", "name": "O", "avatar_url": null, "repos_url": null,
        "events_url": null, "members_url": null, "description": "", "follow_count": 0
    }));
    let server = failing_then(ResponseTemplate::new(503), 1, org).await;
    let client = Client::builder()
        .token(TOKEN)
        .token_placement(ACCESS_TOKEN_QUERY)
        .base_url(server.uri())
        .retry_policy(RetryPolicy {
            initial_backoff: Duration::ZERO,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    client.get_org().org("openharmony").send().await.unwrap();
    assert!(
        server.received_requests().await.unwrap()[0]
            .url
            .as_str()
            .contains(TOKEN),
        "the token travels in the query here"
    );

    let log = captured.text();
    assert!(log.contains("dev_platform.request"), "{log}");
    assert!(log.contains("operation=\"get_org\""), "{log}");
    assert!(log.contains("method=GET"), "{log}");
    assert!(log.contains("path=\"/orgs/openharmony\""), "{log}");
    assert!(
        log.contains("status=503") && log.contains("status=200"),
        "{log}"
    );
    assert!(log.contains("attempt=2"), "{log}");
    assert!(log.contains("latency_ms="), "{log}");
    assert!(!log.contains(TOKEN), "{log}");
    assert!(!log.contains("access_token"), "{log}");
}
