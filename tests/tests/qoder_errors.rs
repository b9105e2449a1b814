//! Qoder bad input: every documented limit is checked before a request is sent;
//! the documented error statuses, an envelope with `success: false` and bodies
//! of unknown shape each give a typed error that keeps what the server said;
//! the documented error body reads into a `QoderError`, and `devplat` names its
//! request id; the API key is in no error.

use chrono::{Duration, TimeZone, Utc};
use dev_platform_cli::Kind;
use dev_platform_tests::cli::devplat_run;
use dev_platform_tests::wire::{Recorder, client_for};
use qoder_api::types::CommitAttributionsRequest;
use qoder_api::{Client, Error, ErrorCode, QoderError};
use serde_json::json;
use wiremock::ResponseTemplate;

const TOKEN: &str = "qd-secret-4b7f";
const ORG: &str = "org_xxx";

fn client(recorder: &Recorder) -> Client {
    client_for(recorder, TOKEN)
}

/// The error is `InvalidRequest` containing `expected`, and nothing was sent.
async fn assert_refused<T: std::fmt::Debug>(
    mock: &Recorder,
    result: Result<T, Error>,
    expected: &str,
) {
    match result {
        Err(Error::InvalidRequest(message)) => {
            assert!(message.contains(expected), "`{message}` lacks `{expected}`");
            assert!(!message.contains(TOKEN));
        }
        other => panic!("expected InvalidRequest({expected}), got {other:?}"),
    }
    assert!(mock.requests().await.is_empty(), "nothing is sent");
}

#[tokio::test]
async fn a_window_over_90_days_is_refused_before_sending() {
    let mock = Recorder::json(json!({})).await;
    let start = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
    let client = client(&mock);
    let result = client
        .get_ai_code_overview()
        .organization_id(ORG)
        .start_date(start)
        .end_date(start + Duration::days(90) + Duration::seconds(1))
        .send()
        .await;
    assert_refused(&mock, result, "is longer than 90 days").await;
    let result = client
        .get_ai_code_daily_trend()
        .organization_id(ORG)
        .start_date(start)
        .end_date(start + Duration::days(91))
        .send()
        .await;
    assert_refused(&mock, result, "get_ai_code_daily_trend: the window").await;
    let result = client
        .get_ai_code_member_ranking()
        .organization_id(ORG)
        .start_date(1_748_736_000_000_i64)
        .end_date(start + Duration::days(120))
        .send()
        .await;
    assert_refused(&mock, result, "longer than 90 days").await;
}

#[tokio::test]
async fn a_window_of_exactly_90_days_is_sent() {
    let mock = Recorder::json(json!({"items": []})).await;
    let start = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
    client(&mock)
        .get_ai_code_member_ranking()
        .organization_id(ORG)
        .start_date(start)
        .end_date(start + Duration::days(90))
        .send()
        .await
        .unwrap();
    assert_eq!(mock.requests().await.len(), 1);
}

#[tokio::test]
async fn a_window_ending_before_it_starts_is_refused() {
    let mock = Recorder::json(json!({})).await;
    let start = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
    let result = client(&mock)
        .get_ai_code_overview()
        .organization_id(ORG)
        .start_date(start)
        .end_date(start - Duration::days(1))
        .send()
        .await;
    assert_refused(&mock, result, "is before `start_date`").await;
}

#[tokio::test]
async fn both_dates_are_required_by_the_windowed_metrics() {
    let mock = Recorder::json(json!({})).await;
    let start = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
    let result = client(&mock)
        .get_ai_code_overview()
        .organization_id(ORG)
        .start_date(start)
        .send()
        .await;
    assert_refused(&mock, result, "end_date").await;
    let result = client(&mock)
        .get_ai_code_member_ranking()
        .organization_id(ORG)
        .end_date(start)
        .send()
        .await;
    assert_refused(&mock, result, "start_date").await;
}

#[tokio::test]
async fn unrepresentable_milliseconds_are_refused() {
    let mock = Recorder::json(json!({})).await;
    let result = client(&mock)
        .list_tracked_commits()
        .organization_id(ORG)
        .start_date(i64::MAX)
        .send()
        .await;
    assert_refused(&mock, result, "start_date").await;
}

#[tokio::test]
async fn commit_hashes_must_number_1_to_50() {
    let mock = Recorder::json(json!({"success": true, "data": {"commits": []}})).await;
    let request = |count: usize| {
        CommitAttributionsRequest::builder()
            .commit_hashes((0..count).map(|i| format!("{i:012x}")).collect::<Vec<_>>())
            .branch(None)
    };
    for count in [0, 51] {
        let result = client(&mock)
            .get_commit_attributions()
            .organization_id(ORG)
            .body(request(count))
            .send()
            .await;
        assert_refused(
            &mock,
            result,
            &format!("`commitHashes` must have 1 to 50 items, got {count}"),
        )
        .await;
    }
    for count in [1, 50] {
        client(&mock)
            .get_commit_attributions()
            .organization_id(ORG)
            .body(request(count))
            .send()
            .await
            .unwrap();
    }
    assert_eq!(mock.requests().await.len(), 2);
}

#[tokio::test]
async fn page_sizes_over_the_documented_maximum_are_refused() {
    let mock = Recorder::json(json!({})).await;
    let result = client(&mock)
        .list_ai_code_repos()
        .organization_id(ORG)
        .per_page(101)
        .send()
        .await;
    assert_refused(
        &mock,
        result,
        "`per_page` must be between 1 and 100, got 101",
    )
    .await;
    let result = client(&mock)
        .list_tracked_commits()
        .organization_id(ORG)
        .page_size(201)
        .send()
        .await;
    assert_refused(
        &mock,
        result,
        "`pageSize` must be between 1 and 200, got 201",
    )
    .await;
    let result = client(&mock)
        .list_tracked_changes()
        .organization_id(ORG)
        .page_size(0)
        .send()
        .await;
    assert_refused(&mock, result, "page_size").await;
}

#[tokio::test]
async fn a_file_extension_list_that_would_split_differently_is_refused() {
    let mock = Recorder::json(json!({})).await;
    let result = client(&mock)
        .list_ai_code_file_extensions()
        .organization_id(ORG)
        .file_extensions(vec![".go,.ts"])
        .send()
        .await;
    assert_refused(&mock, result, "file_extensions").await;
    let result = client(&mock)
        .list_ai_code_file_extensions()
        .organization_id(ORG)
        .file_extensions(Vec::<String>::new())
        .send()
        .await;
    assert_refused(&mock, result, "file_extensions").await;
}

#[tokio::test]
async fn documented_error_statuses_carry_status_code_and_message() {
    for (status, code, message) in [
        (400, "BadRequest", "start_date and end_date are required"),
        (401, "Unauthorized", "invalid API key"),
        (
            403,
            "Forbidden",
            "no permission to access this organization",
        ),
        (500, "InternalError", "internal error"),
    ] {
        let mock = Recorder::answering(
            ResponseTemplate::new(status).set_body_json(json!({"code": code, "message": message})),
        )
        .await;
        let error = client(&mock)
            .list_tracked_commits()
            .organization_id(ORG)
            .send()
            .await
            .unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(!text.contains(TOKEN), "{text}");
        let Error::Api(api) = &error else {
            panic!("{status}: expected Api, got {error:?}")
        };
        assert_eq!(api.status.as_u16(), status);
        assert_eq!(api.code(), Some(code));
        assert_eq!(api.message(), Some(message));
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert!(
            error
                .to_string()
                .starts_with(&format!("the server answered {status}"))
        );
    }
}

/// The error body of Qoder's Conventions page, as documented.
fn documented_error_body() -> serde_json::Value {
    json!({
        "requestId": "req_abc123",
        "code": "NotFound",
        "message": "resource not found",
        "details": ["the requested resource does not exist"]
    })
}

#[tokio::test]
async fn the_documented_error_body_reads_into_a_qoder_error() {
    let mock =
        Recorder::answering(ResponseTemplate::new(404).set_body_json(documented_error_body()))
            .await;
    let error = client(&mock)
        .list_members()
        .organization_id(ORG)
        .send()
        .await
        .unwrap_err();
    let qoder = QoderError::from_error(&error).expect("an error answer");
    assert_eq!(qoder.status.as_u16(), 404);
    assert_eq!(qoder.request_id.as_deref(), Some("req_abc123"));
    assert_eq!(qoder.code, Some(ErrorCode::NotFound));
    assert_eq!(qoder.message.as_deref(), Some("resource not found"));
    assert_eq!(
        qoder.details,
        [json!("the requested resource does not exist")]
    );
    assert_eq!(
        qoder.to_string(),
        "Qoder answered 404 Not Found: NotFound: resource not found (request id req_abc123)"
    );
    // The runtime's error names the same request id.
    assert_eq!(
        error.to_string(),
        "the server answered 404 Not Found: NotFound: resource not found (request id req_abc123)"
    );
    let Error::Api(api) = &error else {
        panic!("expected Api, got {error:?}")
    };
    assert_eq!(api.request_id.as_deref(), Some("req_abc123"));
    assert_eq!(api.body.raw(), &documented_error_body());
    assert!(!format!("{error} {error:?} {qoder:?}").contains(TOKEN));
    // A code the documentation does not name is kept; a body without the
    // documented fields gives none of them.
    for (body, code) in [
        (
            json!({"requestId": "r-2", "code": "QuotaExceeded", "message": "no credits left"}),
            Some(ErrorCode::from("QuotaExceeded")),
        ),
        (json!({"unexpected": true}), None),
    ] {
        let mock = Recorder::answering(ResponseTemplate::new(409).set_body_json(body)).await;
        let error = client(&mock)
            .list_members()
            .organization_id(ORG)
            .send()
            .await
            .unwrap_err();
        let qoder = QoderError::from_error(&error).expect("an error answer");
        assert_eq!((qoder.status.as_u16(), qoder.code), (409, code));
        assert!(qoder.details.is_empty());
    }
    // Not an answer of the server: nothing to read.
    let refused = client(&mock)
        .list_members()
        .organization_id(ORG)
        .max_results(101)
        .send()
        .await
        .unwrap_err();
    assert!(QoderError::from_error(&refused).is_none(), "{refused:?}");
}

#[tokio::test]
async fn devplat_names_the_request_id_of_a_documented_error() {
    let mock =
        Recorder::answering(ResponseTemplate::new(404).set_body_json(documented_error_body()))
            .await;
    let base_url = mock.uri();
    let vars = move |name: &str| match name {
        "QODER_API_KEY" => Some(TOKEN.to_owned()),
        "QODER_BASE_URL" => Some(base_url.clone()),
        _ => None,
    };
    let args = ["qoder", "list-members", "--organization-id", ORG];
    let (printed, result) = devplat_run(&args, &vars, None).await;
    assert_eq!(printed, "");
    let failure = result.unwrap_err();
    assert_eq!((failure.kind(), failure.exit_code()), (Kind::Provider, 3));
    let line = failure.to_string();
    assert_eq!(
        line,
        "the server answered 404 Not Found: NotFound: resource not found (request id req_abc123)"
    );
    assert!(!line.contains(TOKEN));
}

#[tokio::test]
async fn an_error_body_of_unknown_shape_is_kept_whole() {
    let body = json!({"error": {"reason": "quota", "details": [1, 2]}, "requestId": "r-9"});
    let mock = Recorder::answering(ResponseTemplate::new(403).set_body_json(body.clone())).await;
    let error = client(&mock)
        .list_ai_code_file_extensions()
        .organization_id(ORG)
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = error else {
        panic!("expected Api, got {error:?}")
    };
    assert_eq!(api.status.as_u16(), 403);
    assert_eq!(api.code(), None);
    assert_eq!(api.body.raw(), &body);
}

#[tokio::test]
async fn a_plain_text_error_keeps_its_status_and_text() {
    let mock = Recorder::answering(
        ResponseTemplate::new(500).set_body_raw("upstream timed out\n", "text/plain"),
    )
    .await;
    let error = client(&mock)
        .list_tracked_changes()
        .organization_id(ORG)
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = error else {
        panic!("expected Api, got {error:?}")
    };
    assert_eq!(api.status.as_u16(), 500);
    assert_eq!(api.message(), Some("upstream timed out"));
}

#[tokio::test]
async fn an_envelope_with_success_false_is_an_error() {
    let mock = Recorder::json(json!({
        "success": false,
        "code": "Forbidden",
        "message": "AI-code analytics is not enabled for this organization"
    }))
    .await;
    let error = client(&mock)
        .list_tracked_changes()
        .organization_id(ORG)
        .send()
        .await
        .unwrap_err();
    let Error::Api(api) = error else {
        panic!("expected Api, got {error:?}")
    };
    assert_eq!(api.status.as_u16(), 200);
    assert_eq!(api.code(), Some("Forbidden"));
    assert_eq!(
        api.message(),
        Some("AI-code analytics is not enabled for this organization")
    );
}

#[tokio::test]
async fn a_body_that_is_not_the_envelope_is_a_decode_error_naming_where() {
    for (body, path) in [
        (json!({"items": [], "pagination": {}}), "$.success"),
        (json!({"success": true}), "$.data"),
        (json!({"success": "yes", "data": {}}), "$.success"),
        (json!({"success": true, "data": null}), "$.data"),
        (
            json!({"success": true, "data": {"items": "not a list"}}),
            "$.data.items",
        ),
        (
            json!({"success": true, "data": {"items": [{"userId": "u"}]}}),
            "$.data.items[0].commitHash",
        ),
        (json!([1, 2, 3]), "$"),
    ] {
        let mock = Recorder::json(body.clone()).await;
        let error = client(&mock)
            .list_tracked_commits()
            .organization_id(ORG)
            .send()
            .await
            .unwrap_err();
        let Error::Decode {
            excerpt, path: at, ..
        } = &error
        else {
            panic!("{body}: expected Decode, got {error:?}")
        };
        assert_eq!(at.as_deref(), Some(path), "{body}: {error}");
        assert!(error.to_string().contains(path), "{error}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(excerpt).unwrap(),
            body
        );
    }
}

#[tokio::test]
async fn a_truncated_json_body_is_an_error_never_fewer_rows() {
    let mock = Recorder::answering(ResponseTemplate::new(200).set_body_raw(
        r#"{"success": true, "data": {"items": [{"commitHash": "a1"#,
        "application/json",
    ))
    .await;
    let error = client(&mock)
        .list_tracked_commits()
        .organization_id(ORG)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[test]
fn the_client_reads_the_documented_variables_and_hides_the_key() {
    assert_eq!(qoder_api::client::TOKEN_ENV, "QODER_API_KEY");
    assert_eq!(qoder_api::client::BASE_URL_ENV, "QODER_BASE_URL");
    assert_eq!(
        qoder_api::client::DEFAULT_BASE_URL,
        "https://api.qoder.com/v1"
    );
    let client = Client::new(TOKEN).unwrap();
    assert_eq!(client.base_url(), "https://api.qoder.com/v1");
    assert!(!format!("{client:?}").contains(TOKEN));
}
