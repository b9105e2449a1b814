//! GitCode bad input: error statuses, HTML and malformed bodies, hostile path
//! parameters and out-of-range arguments each give a typed error or a correctly
//! encoded request, never a panic or a request to another path. Also: the token
//! placements and the token's absence from every `Debug` and error message.

use dev_platform_tests::wire::{
    Recorder, client_for, client_without_retries, header, path_and_query,
};
use gitcode_api::client::{ACCESS_TOKEN_QUERY, BEARER};
use gitcode_api::{Client, ConfigError, Error};
use serde_json::json;
use wiremock::ResponseTemplate;

const TOKEN: &str = "gc-secret-7a9e";

fn client(recorder: &Recorder) -> Client {
    client_for(recorder, TOKEN)
}

#[tokio::test]
async fn an_error_status_with_a_json_body_is_a_typed_error() {
    let mock = Recorder::answering(ResponseTemplate::new(404).set_body_json(json!({
        "error_code": 404,
        "error_code_name": "NOT_FOUND",
        "error_message": "Organization not found",
        "trace_id": "d1c2"
    })))
    .await;
    let error = client(&mock)
        .get_org()
        .org("nobody")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        error.to_string(),
        "the server answered 404 Not Found: 404: Organization not found (request id d1c2)"
    );
    let Error::Api(api) = error else {
        panic!("expected Api, got {error:?}")
    };
    assert_eq!(api.code(), Some("404"));
    assert_eq!(api.message(), Some("Organization not found"));
    assert_eq!(api.body.raw()["error_code_name"], "NOT_FOUND");
    assert_eq!(api.body.raw()["trace_id"], "d1c2");
    // GitCode's `trace_id` is the request's id in its logs.
    assert_eq!(api.request_id.as_deref(), Some("d1c2"));
}

#[tokio::test]
async fn the_documented_401_body_decodes() {
    let mock = Recorder::answering(
        ResponseTemplate::new(401).set_body_json(json!({ "message": "401 Unauthorized" })),
    )
    .await;
    let error = client(&mock).list_my_orgs().send().await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected Api, got {error:?}")
    };
    assert_eq!(api.status.as_u16(), 401);
    assert_eq!(api.message(), Some("401 Unauthorized"));
    assert!(!format!("{error} {error:?}").contains(TOKEN));
}

#[tokio::test]
async fn an_html_error_page_keeps_its_status_and_text() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let mock = Recorder::answering(
        ResponseTemplate::new(502)
            .set_body_raw(page, "text/html")
            .insert_header("x-request-id", "r-1"),
    )
    .await;
    let error = client_without_retries::<Client>(&mock, TOKEN)
        .get_org()
        .org("openharmony")
        .send()
        .await
        .unwrap_err();
    assert!(!format!("{error} {error:?}").contains(TOKEN));
    let Error::Api(api) = &error else {
        panic!("expected Api, got {error:?}")
    };
    assert_eq!(api.status.as_u16(), 502);
    assert_eq!(api.request_id.as_deref(), Some("r-1"));
    assert_eq!(api.message(), Some(page), "the page, as text");
    assert!(error.to_string().ends_with("(request id r-1)"), "{error}");
}

#[tokio::test]
async fn an_empty_error_body_keeps_its_status() {
    let mock = Recorder::answering(ResponseTemplate::new(401)).await;
    let error = client(&mock).list_my_orgs().send().await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected Api, got {error:?}")
    };
    assert_eq!(api.status.as_u16(), 401);
    assert_eq!(api.message(), None);
    assert_eq!(error.to_string(), "the server answered 401 Unauthorized");
}

#[tokio::test]
async fn an_html_page_with_status_200_is_a_decode_error_with_an_excerpt() {
    let mock = Recorder::answering(
        ResponseTemplate::new(200).set_body_raw("<html>login</html>", "text/html"),
    )
    .await;
    let error = client(&mock).list_my_orgs().send().await.unwrap_err();
    let Error::Decode { excerpt, .. } = &error else {
        panic!("expected Decode, got {error:?}")
    };
    assert_eq!(excerpt, "<html>login</html>");
    assert!(
        error
            .to_string()
            .starts_with("the response could not be decoded: expected value at line 1 column 1"),
        "{error}"
    );
}

#[tokio::test]
async fn a_malformed_or_truncated_body_is_an_error_never_fewer_rows() {
    for body in [
        r#"[{"id": 1, "login": "a""#,
        r#"[{"id": "#,
        "[",
        "{}",
        r#"[{"id": 1}]"#,
    ] {
        let mock =
            Recorder::answering(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
                .await;
        let error = client(&mock)
            .list_user_orgs()
            .username("u")
            .send()
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Decode { .. }), "{body}: {error:?}");
    }
}

#[tokio::test]
async fn an_undocumented_status_is_an_error_with_that_status() {
    let mock = Recorder::answering(ResponseTemplate::new(304)).await;
    let error = client(&mock).get_org().org("o").send().await.unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(304), "{error:?}");
    // A redirect without a target is not followed, and says so.
    let mock = Recorder::answering(ResponseTemplate::new(302)).await;
    let error = client(&mock).get_org().org("o").send().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Redirect {
                reason: dev_platform_runtime::RedirectRefusal::NoTarget,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(302), "{error:?}");
}

#[tokio::test]
async fn a_slash_in_a_path_parameter_is_encoded_into_one_segment() {
    let mock = Recorder::json(json!({
        "id": 1, "login": "a/b", "name": "n", "avatar_url": null, "repos_url": null,
        "events_url": null, "members_url": null, "description": "", "follow_count": 0
    }))
    .await;
    client(&mock).get_org().org("a/b").send().await.unwrap();
    assert_eq!(path_and_query(&mock.only_request().await), "/orgs/a%2Fb");
}

#[tokio::test]
async fn dot_segments_and_empty_path_parameters_are_rejected_before_sending() {
    let mock = Recorder::json(json!({})).await;
    let client = client(&mock);
    for org in ["..", ".", ""] {
        let error = client
            .remove_org_member()
            .org(org)
            .username("victim")
            .send()
            .await
            .unwrap_err();
        let Error::InvalidRequest(message) = &error else {
            panic!("{org:?}: expected InvalidRequest, got {error:?}")
        };
        assert!(message.contains("remove_org_member"), "{message}");
    }
    let error = client
        .get_org_member()
        .org("o")
        .username("..")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(mock.requests().await.is_empty(), "nothing may be sent");
    // An encoded dot segment is text, sent percent-encoded as one segment.
    client
        .remove_org_member()
        .org("%2e%2e")
        .username("u")
        .send()
        .await
        .unwrap();
    assert_eq!(
        path_and_query(&mock.only_request().await),
        "/orgs/%252e%252e/memberships/u"
    );
}

#[tokio::test]
async fn documented_limits_are_checked_before_sending() {
    let mock = Recorder::json(json!([])).await;
    let client = client(&mock);
    let error = client
        .list_org_members()
        .org("o")
        .per_page(101)
        .send()
        .await
        .unwrap_err();
    let Error::InvalidRequest(message) = &error else {
        panic!("expected InvalidRequest, got {error:?}")
    };
    assert_eq!(
        message,
        "list_org_members: `per_page` must be between 1 and 100, got 101"
    );
    let error = client
        .list_org_members()
        .org("o")
        .per_page(0)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    let error = client
        .list_org_repos()
        .org("o")
        .page(0)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    let error = client.list_org_members().send().await.unwrap_err();
    let Error::InvalidRequest(message) = &error else {
        panic!("expected InvalidRequest, got {error:?}")
    };
    assert!(message.contains("org"), "{message}");
    assert!(mock.requests().await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn the_token_can_be_sent_as_access_token_or_bearer() {
    let mock = Recorder::json(json!([])).await;
    let query_client = Client::builder()
        .token(TOKEN)
        .base_url(mock.uri())
        .token_placement(ACCESS_TOKEN_QUERY)
        .build()
        .unwrap();
    query_client
        .list_org_members()
        .org("o")
        .page(2)
        .send()
        .await
        .unwrap();
    let request = mock.only_request().await;
    assert_eq!(
        path_and_query(&request),
        format!("/orgs/o/members?page=2&access_token={TOKEN}")
    );
    assert_eq!(header(&request, "private-token"), None);

    let mock = Recorder::json(json!([])).await;
    let bearer = Client::builder()
        .token(TOKEN)
        .base_url(mock.uri())
        .token_placement(BEARER)
        .build()
        .unwrap();
    bearer.list_org_members().org("o").send().await.unwrap();
    let request = mock.only_request().await;
    assert_eq!(
        header(&request, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(header(&request, "private-token"), None);
    assert_eq!(path_and_query(&request), "/orgs/o/members");
}

#[test]
fn debug_output_never_shows_the_token() {
    let builder = Client::builder().token(TOKEN);
    assert!(!format!("{builder:?}").contains(TOKEN), "{builder:?}");
    for placement in [
        gitcode_api::client::PRIVATE_TOKEN_HEADER,
        BEARER,
        ACCESS_TOKEN_QUERY,
    ] {
        let client = Client::builder()
            .token(TOKEN)
            .token_placement(placement)
            .build()
            .unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains(TOKEN), "{debug}");
        assert!(debug.contains("REDACTED"), "{debug}");
    }
}

#[test]
fn configuration_errors_are_clear_and_never_show_the_token() {
    assert_eq!(
        Client::new("").unwrap_err().to_string(),
        "the API token is empty"
    );
    let error = Client::new("line\nbreak").unwrap_err();
    assert!(matches!(error, ConfigError::InvalidToken), "{error:?}");
    let error = Client::builder().build().unwrap_err();
    assert_eq!(
        error.to_string(),
        "no API token was given: call `.token(...)` on the builder or set GITCODE_TOKEN"
    );
    let error = Client::builder()
        .token(TOKEN)
        .base_url("ftp://example.com")
        .build()
        .unwrap_err();
    assert!(
        matches!(error, ConfigError::InvalidBaseUrl { .. }),
        "{error:?}"
    );
    let error = Client::builder()
        .token(TOKEN)
        .http_client(
            dev_platform_runtime::http_client_builder()
                .unwrap()
                .build()
                .unwrap(),
        )
        .timeout(std::time::Duration::from_secs(1))
        .build()
        .unwrap_err();
    assert!(matches!(error, ConfigError::Conflict(_)), "{error:?}");
}

#[test]
fn the_default_base_url_is_the_documented_one() {
    let client = Client::new(TOKEN).unwrap();
    assert_eq!(client.base_url(), "https://api.gitcode.com/api/v5");
    let client = Client::builder()
        .token(TOKEN)
        .base_url("http://127.0.0.1:9/api/")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9/api");
}
