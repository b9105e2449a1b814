//! The debug events that name where a response strays from its spec: one per
//! operation, kind and path for a client (whatever the number of
//! calls or of items in a page), at `dev_platform_runtime::deviation`, naming the field and never its
//! value. Alone in its test binary, since a scoped subscriber competes with
//! other tests' threads for tracing's callsite cache.

use dev_platform_runtime::DEVIATION_TARGET;
use dev_platform_tests::wire::Recorder;
use gitcode_api::Client;
use serde_json::json;

fn client(mock: &Recorder) -> Client {
    Client::builder()
        .token("t0ken")
        .base_url(mock.uri())
        .build()
        .unwrap()
}

#[tokio::test]
async fn each_deviation_is_traced_once_per_operation() {
    let (captured, _guard) = dev_platform_tests::capture_traces();

    let member = |login: &str| {
        json!({"id": "1", "login": login, "name": "n", "type": "User", "url": "u",
               "followers_url": "f", "html_url": "h", "pronouns": "secret-value-1"})
    };
    let members = Recorder::json(json!([member("a"), member("b")])).await;
    // One client remembers what it has traced.
    let client = client(&members);
    for _ in 0..3 {
        let page = client.list_org_members().org("o").send().await.unwrap();
        assert_eq!(
            page[1].extra_field("pronouns"),
            Some(&json!("secret-value-1"))
        );
    }
    let org = Recorder::json(json!({
        "id": 1, "login": "o", "name": "O", "avatar_url": null, "repos_url": null,
        "events_url": null, "members_url": null, "description": "", "follow_count": "7",
        "pronouns": "secret-value-2"
    }))
    .await;
    let other = Client::builder()
        .token("t0ken")
        .base_url(org.uri())
        .build()
        .unwrap();
    other.get_org().org("o").send().await.unwrap();
    other.get_org().org("o").send().await.unwrap();

    let log = captured.text();
    let deviations: Vec<&str> = log
        .lines()
        .filter(|line| line.contains(DEVIATION_TARGET))
        .collect();
    let named = |operation: &str, path: &str| {
        deviations
            .iter()
            .filter(|line| {
                line.contains(&format!("operation=\"{operation}\""))
                    && line.contains(&format!("path={path} "))
            })
            .count()
    };
    assert_eq!(named("list_org_members", "$[0].pronouns"), 1, "{log}");
    assert_eq!(
        named("list_org_members", "$[1].pronouns"),
        0,
        "the same field of another item: {log}"
    );
    assert_eq!(named("get_org", "$.pronouns"), 1, "{log}");
    assert_eq!(
        named("get_org", "$.follow_count"),
        1,
        "a number sent as text: {log}"
    );
    assert_eq!(deviations.len(), 3, "nothing else strays: {log}");
    assert!(
        deviations[0].contains("a field the spec does not describe"),
        "{log}"
    );
    assert!(
        !log.contains("secret-value"),
        "values are not traced: {log}"
    );

    // Strict mode reports deviations as errors, not events.
    let strict = Client::builder()
        .token("t0ken")
        .base_url(org.uri())
        .strict(true)
        .build()
        .unwrap();
    let error = strict.get_org().org("o").send().await.unwrap_err();
    assert!(
        matches!(error, gitcode_api::Error::Deviations(_)),
        "{error}"
    );
    assert_eq!(
        captured
            .text()
            .lines()
            .filter(|line| line.contains(DEVIATION_TARGET))
            .count(),
        3
    );
}
