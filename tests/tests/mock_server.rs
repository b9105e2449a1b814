//! The mock server (`dev-platform-mock`): every operation of every spec
//! answered with its example when the request is valid; 404, 401 and 400 in the
//! provider's error shape otherwise, never echoing a token; the typed clients
//! work against it; it stops when dropped.

use dev_platform_mock::{MockServer, Provider};
use dev_platform_tests::spec::Spec;
use futures_util::TryStreamExt;
use serde_json::{Value, json};

/// A plain `reqwest::Client`, with the TLS the SDK uses.
fn http() -> reqwest::Client {
    dev_platform_runtime::http_client_builder()
        .unwrap()
        .build()
        .unwrap()
}

const TOKEN: &str = "mock-secret-5e0c";

/// A request with the provider's credentials.
fn authorized(provider: Provider, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    match provider {
        Provider::Gitcode => request.header("PRIVATE-TOKEN", TOKEN),
        _ => request.bearer_auth(TOKEN),
    }
}

/// Sends every operation of `provider`'s spec a valid request and checks the
/// answer is the operation's example.
async fn every_operation_answers_its_example(provider: Provider) {
    let spec = Spec::load(provider.name());
    let mock = MockServer::start(provider).await.unwrap();
    let http = http();
    let mut answered = 0;
    for valid in spec.valid_requests() {
        let id = valid.operation_id.as_str();
        let url = valid.url(mock.base_url());
        let method = reqwest::Method::from_bytes(valid.method.as_bytes()).unwrap();
        let mut request = authorized(provider, http.request(method, &url).query(&valid.query));
        if let Some((media_type, example)) = &valid.body {
            request = if media_type == "application/json" {
                request.json(example)
            } else if media_type == "multipart/form-data" {
                let form = spec.multipart(valid.operation, example);
                request
                    .header("content-type", form.content_type())
                    .body(form.into_body())
            } else {
                request.form(example)
            };
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{id}: {status} {text}");
        let json_example = spec.response_example(id, status.as_str());
        if !json_example.is_null() {
            let answered: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(answered, json_example, "{id}");
        } else if let Some(raw) = spec.raw_example(id) {
            assert_eq!(text, raw, "{id}: a file, as documented");
        } else if text.contains(',') {
            assert_eq!(text, spec.csv_example(id), "{id}");
        } else {
            assert!(text.is_empty(), "{id}: {text}");
        }
        answered += 1;
    }
    assert_eq!(answered, spec.operations().len());
}

#[tokio::test]
async fn a_paginated_lists_first_page_is_its_example_and_the_next_is_empty() {
    let mock = MockServer::start(Provider::Qoder).await.unwrap();
    let client = qoder_api::Client::builder()
        .token(TOKEN)
        .base_url(mock.base_url())
        .build()
        .unwrap();
    let second = client
        .list_tracked_changes()
        .organization_id("org_xxx")
        .page(2)
        .send()
        .await
        .unwrap();
    assert_eq!(second.items, Some(Vec::new()));
    let pagination = second.pagination.as_ref().unwrap();
    assert_eq!(pagination.current_page, Some(2), "the page asked for");
    let all: Vec<_> = client
        .list_tracked_changes()
        .organization_id("org_xxx")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1, "the example's one change");
}

#[tokio::test]
async fn every_gitcode_operation_answers_its_example() {
    every_operation_answers_its_example(Provider::Gitcode).await;
}

#[tokio::test]
async fn every_qoder_operation_answers_its_example() {
    every_operation_answers_its_example(Provider::Qoder).await;
}

#[tokio::test]
async fn every_devin_operation_answers_its_example() {
    every_operation_answers_its_example(Provider::Devin).await;
}

/// `(status, body)` of a request to the mock.
async fn answer(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert!(!text.contains(TOKEN), "the token is never echoed: {text}");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn unknown_paths_are_404_and_undeclared_methods_405_with_allow() {
    let mock = MockServer::start(Provider::Gitcode).await.unwrap();
    let http = http();
    let base = mock.base_url();
    for request in [
        http.get(format!("{base}/nothing/here")),
        http.get(format!("{base}/orgs")),
        http.get(format!("{}/orgs/o", base.trim_end_matches("/api/v5"))),
    ] {
        let (status, body) = answer(request.header("PRIVATE-TOKEN", TOKEN)).await;
        assert_eq!(status, 404, "{body}");
        assert_eq!(body["message"], "no such path");
    }
    for (request, allow) in [
        (http.patch(format!("{base}/users/orgs")), "GET"),
        (http.post(format!("{base}/orgs/o")), "GET, PATCH"),
        (
            http.put(format!("{base}/orgs/o/memberships/u")),
            "POST, DELETE",
        ),
    ] {
        let response = request.header("PRIVATE-TOKEN", TOKEN).send().await.unwrap();
        assert_eq!(response.status(), 405);
        assert_eq!(response.headers()["allow"], allow);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["message"], "no such method for this path");
    }
}

#[tokio::test]
async fn a_request_without_credentials_is_401_in_each_providers_shape() {
    let http = http();
    let cases = [
        (
            Provider::Gitcode,
            "/users/orgs",
            json!({"message": "missing or malformed credentials"}),
        ),
        (
            Provider::Qoder,
            "/organizations/o/ai-code/file-extensions",
            json!({"code": "Unauthorized", "message": "missing or malformed credentials"}),
        ),
        (
            Provider::Devin,
            "/members",
            json!({"detail": "missing or malformed credentials"}),
        ),
    ];
    for (provider, path, expected) in cases {
        let mock = MockServer::start(provider).await.unwrap();
        let (status, body) = answer(http.get(format!("{}{path}", mock.base_url()))).await;
        assert_eq!((status, body), (401, expected), "{provider:?}");
        let (status, _) = answer(
            http.get(format!("{}{path}", mock.base_url()))
                .header("authorization", "Bearer "),
        )
        .await;
        assert_eq!(status, 401, "{provider:?}: an empty token");
    }
    // GitCode also accepts the token as the `access_token` query parameter.
    let mock = MockServer::start(Provider::Gitcode).await.unwrap();
    let (status, _) = answer(
        http.get(format!("{}/users/orgs", mock.base_url()))
            .query(&[("access_token", TOKEN)]),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn invalid_parameters_and_bodies_are_400_naming_the_problem() {
    let http = http();
    let gitcode = MockServer::start(Provider::Gitcode).await.unwrap();
    let qoder = MockServer::start(Provider::Qoder).await.unwrap();
    let devin = MockServer::start(Provider::Devin).await.unwrap();
    let cases = [
        (
            authorized(
                Provider::Gitcode,
                http.get(format!("{}/orgs/o/members", gitcode.base_url())),
            )
            .query(&[("role", "boss")]),
            "parameter `role`: `boss` is not one of the documented values",
        ),
        (
            authorized(
                Provider::Gitcode,
                http.get(format!("{}/orgs/o/members", gitcode.base_url())),
            )
            .query(&[("per_page", "many")]),
            "parameter `per_page`: `many` is not an integer",
        ),
        (
            authorized(
                Provider::Gitcode,
                http.get(format!("{}/orgs/o/members", gitcode.base_url())),
            )
            .query(&[("per_page", "101")]),
            "parameter `per_page`: `101` is out of range",
        ),
        (
            authorized(
                Provider::Qoder,
                http.get(format!(
                    "{}/organizations/o/ai-code/stats/overview",
                    qoder.base_url()
                )),
            )
            .query(&[("end_date", "2025-06-30T00:00:00Z")]),
            "missing required parameter `start_date`",
        ),
        (
            authorized(
                Provider::Devin,
                http.post(format!("{}/members/invite", devin.base_url())),
            )
            .header("content-type", "application/json")
            .body("{\"emails\": ["),
            "the body is not valid JSON",
        ),
        (
            authorized(
                Provider::Devin,
                http.post(format!("{}/organizations", devin.base_url())),
            )
            .json(&json!({"acu_limit": 10})),
            "the body lacks the required field `display_name`",
        ),
        (
            authorized(
                Provider::Devin,
                http.post(format!("{}/organizations", devin.base_url())),
            )
            .json(&json!({"display_name": 7})),
            "body field `display_name`: 7 is not of the documented type",
        ),
        (
            authorized(
                Provider::Gitcode,
                http.post(format!("{}/orgs/o/memberships/u", gitcode.base_url())),
            )
            .json(&json!([1])),
            "the body must be a JSON object (not an array)",
        ),
        (
            authorized(
                Provider::Gitcode,
                http.post(format!("{}/orgs/o/memberships/u", gitcode.base_url())),
            )
            .json(&json!("x")),
            "the body must be a JSON object (not \"x\")",
        ),
        (
            authorized(
                Provider::Devin,
                http.post(format!("{}/members/invite", devin.base_url())),
            )
            .json(&json!({"emails": []})),
            "body field `emails`: 0 items is not a documented number of items",
        ),
        (
            authorized(
                Provider::Devin,
                http.post(format!("{}/members/invite", devin.base_url())),
            )
            .json(&json!({"emails": ["a@example.com", 7]})),
            "body field `emails[1]`: 7 is not of the documented type",
        ),
        (
            authorized(
                Provider::Qoder,
                http.post(format!(
                    "{}/organizations/o/ai-code-tracking/commits/detail",
                    qoder.base_url()
                )),
            )
            .json(&json!({"commitHashes": vec!["a"; 51]})),
            "body field `commitHashes`: 51 items is not a documented number of items",
        ),
        (
            authorized(
                Provider::Gitcode,
                http.get(format!("{}/orgs/o/members", gitcode.base_url())),
            )
            .query(&[("page", "2147483648")]),
            "parameter `page`: `2147483648` is out of range",
        ),
        (
            authorized(
                Provider::Devin,
                http.post(format!("{}/organizations", devin.base_url())),
            )
            .json(&json!({"display_name": "Platform", "acu_limit": 9_223_372_036_854_775_808_u64})),
            "body field `acu_limit`: `9223372036854775808` is out of range",
        ),
        (
            authorized(
                Provider::Gitcode,
                http.patch(format!("{}/orgs/o", gitcode.base_url())),
            ),
            "the request body is missing",
        ),
    ];
    for (request, expected) in cases {
        let (status, body) = answer(request).await;
        assert_eq!(status, 400, "{expected}: {body}");
        let message = body
            .get("message")
            .or_else(|| body.get("detail"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        assert!(message.contains(expected), "`{message}` lacks `{expected}`");
    }
}

#[tokio::test]
async fn the_typed_clients_work_against_the_mock() {
    let gitcode = MockServer::start(Provider::Gitcode).await.unwrap();
    let client = gitcode_api::Client::builder()
        .token(TOKEN)
        .base_url(gitcode.base_url())
        .build()
        .unwrap();
    let org = client.get_org().org("openharmony").send().await.unwrap();
    assert_eq!(org.login, "openharmony");
    let members: Vec<_> = client
        .list_org_members()
        .org("openharmony")
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(!members.is_empty());
    // The GitCode spec documents three placements of the token (the
    // `PRIVATE-TOKEN` header, `Authorization: Bearer`, the `access_token`
    // query parameter): each is accepted; a token elsewhere is refused as a
    // typed error.
    for placement in [
        gitcode_api::client::PRIVATE_TOKEN_HEADER,
        gitcode_api::client::BEARER,
        gitcode_api::client::ACCESS_TOKEN_QUERY,
    ] {
        let client = gitcode_api::Client::builder()
            .token(TOKEN)
            .token_placement(placement)
            .base_url(gitcode.base_url())
            .build()
            .unwrap();
        let org = client.get_org().org("openharmony").send().await;
        assert!(org.is_ok(), "{placement:?}: {org:?}");
    }
    let other_header = gitcode_api::Client::builder()
        .token(TOKEN)
        .token_placement(dev_platform_runtime::TokenPlacement::Header("X-Token"))
        .base_url(gitcode.base_url())
        .build()
        .unwrap();
    let error = other_header.get_org().org("o").send().await.unwrap_err();
    let api = error.api().expect("an error answer");
    assert_eq!(api.status.as_u16(), 401);
    assert_eq!(api.message(), Some("missing or malformed credentials"));

    let qoder = MockServer::start(Provider::Qoder).await.unwrap();
    let client = qoder_api::Client::builder()
        .token(TOKEN)
        .base_url(qoder.base_url())
        .build()
        .unwrap();
    let rows: Vec<_> = client
        .export_tracked_commits()
        .organization_id("org_xxx")
        .csv()
        .await
        .unwrap()
        .rows()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rows[0].commit_hash, "a1b2c3d4e5f6");
    let page = client
        .list_tracked_changes()
        .organization_id("org_xxx")
        .send()
        .await
        .unwrap();
    assert_eq!(page.items.as_ref().unwrap()[0].change_id, "chg_abc123");

    let devin = MockServer::start(Provider::Devin).await.unwrap();
    let client = devin_api::Client::builder()
        .token(TOKEN)
        .base_url(devin.base_url())
        .build()
        .unwrap();
    let members = client.list_members().send().await.unwrap();
    assert_eq!(members.members.as_ref().map(Vec::len), Some(2));
}

#[tokio::test]
async fn the_server_stops_when_dropped() {
    let mock = MockServer::start(Provider::Devin).await.unwrap();
    let address = mock.address();
    drop(mock);
    let mut refused = false;
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(address).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(refused, "{address} still accepts connections");
}
