//! Devin wire tests: each documentation example's request reproduced (method,
//! path, query, JSON body, Bearer key) against a mock server on 127.0.0.1, its
//! response decoded in the seed's shape and in the public reference's; and the
//! three documented error statuses as distinct, well-worded errors.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use dev_platform_tests::wire::{
    Recorder, assert_bearer_request, client_for, client_without_retries, header,
};
use devin_api::types::{
    AddPermissionRequest, CreateOrganizationRequest, EnterpriseRole, GitProvider,
    InviteMembersRequest, RepoPermission,
};
use devin_api::{ApiError, Client, DateOrDateTime, Error};
use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

const KEY: &str = "devin-test-key-61ab";

async fn answering_example(operation_id: &str) -> Recorder {
    Recorder::example("devin", operation_id).await
}

fn client(recorder: &Recorder) -> Client {
    client_for(recorder, KEY)
}

/// The request matches a documentation example; see `assert_bearer_request`.
fn assert_request(request: &Request, method: &str, expected: &str) {
    let user_agent = concat!("devin-api/", env!("CARGO_PKG_VERSION"));
    assert_bearer_request(request, method, expected, KEY, user_agent);
}

fn assert_json_body(request: &Request, expected: Value) {
    assert_eq!(header(request, "content-type"), Some("application/json"));
    let sent: Value = serde_json::from_slice(&request.body).expect("a JSON body");
    assert_eq!(sent, expected);
}

#[tokio::test]
async fn list_members() {
    let mock = answering_example("list_members").await;
    let members = client(&mock).list_members().send().await.unwrap();
    assert_request(&mock.only_request().await, "GET", "/members");
    let members = members.into_inner().members.unwrap();
    let read: Vec<(&str, Option<&str>)> = members
        .iter()
        .map(|m| (m.email.as_str(), m.role.as_ref().map(|role| role.as_str())))
        .collect();
    assert_eq!(
        read,
        [
            ("alice@example.com", Some("admin")),
            ("bob@example.com", Some("member"))
        ]
    );
    assert_eq!(members[0].role, Some(EnterpriseRole::Admin));
}

#[tokio::test]
async fn list_members_in_the_reference_shape() {
    let mock = Recorder::json(json!({"items": [
        {"email": "carol@example.com", "enterprise_role": "billing_admin", "user_id": "u-1"}
    ]}))
    .await;
    let members = client(&mock).list_members().send().await.unwrap();
    let carol = &members.members.as_ref().unwrap()[0];
    assert_eq!(carol.email, "carol@example.com");
    let role = carol.role.as_ref().unwrap();
    assert!(role.is_unknown());
    assert_eq!(role.as_str(), "billing_admin");
    assert_eq!(carol.extra_field("user_id"), Some(&json!("u-1")));
}

#[tokio::test]
async fn invite_members() {
    let mock = answering_example("invite_members").await;
    let result = client(&mock)
        .invite_members()
        .body(
            InviteMembersRequest::builder()
                .emails(vec!["alice@example.com".into(), "bob@example.com".into()])
                .role(Some(EnterpriseRole::Member)),
        )
        .send()
        .await
        .unwrap();
    let request = mock.only_request().await;
    assert_request(&request, "POST", "/members/invite");
    assert_json_body(
        &request,
        json!({"emails": ["alice@example.com", "bob@example.com"], "role": "member"}),
    );
    assert_eq!(result.invited.as_ref().map(Vec::len), Some(2));
}

#[tokio::test]
async fn inviting_nobody_is_refused_before_sending() {
    let mock = answering_example("invite_members").await;
    let error = client(&mock)
        .invite_members()
        .body(InviteMembersRequest::builder().emails(vec![]).role(None))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest(m) if m.contains("invite_members: `emails` must have at least 1 item, got 0")),
        "{error:?}"
    );
    assert!(mock.requests().await.is_empty());
}

#[tokio::test]
async fn create_organization() {
    let mock = answering_example("create_organization").await;
    let org = client(&mock)
        .create_organization()
        .body(
            CreateOrganizationRequest::builder()
                .name("工程团队")
                .acu_limit(Some(1000)),
        )
        .send()
        .await
        .unwrap();
    let request = mock.only_request().await;
    assert_request(&request, "POST", "/organizations");
    assert_json_body(&request, json!({"name": "工程团队", "acu_limit": 1000}));
    assert_eq!(org.id, "org_8f2c");
    assert_eq!(org.name.as_deref(), Some("工程团队"));
    assert_eq!(org.acu_limit, Some(1000.0));
}

#[tokio::test]
async fn create_organization_in_the_reference_shape() {
    let mock = Recorder::json(json!({"org_id": "org-77", "display_name": "Platform"})).await;
    let org = client(&mock)
        .create_organization()
        .body(
            CreateOrganizationRequest::builder()
                .name("Platform")
                .acu_limit(None),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(org.id, "org-77");
    assert_eq!(org.name.as_deref(), Some("Platform"));
    assert_json_body(&mock.only_request().await, json!({"name": "Platform"}));
}

#[tokio::test]
async fn add_organization_permission() {
    let mock = answering_example("add_organization_permission").await;
    let result = client(&mock)
        .add_organization_permission()
        .org_id("your_org_id")
        .body(
            AddPermissionRequest::builder()
                .provider(GitProvider::Github)
                .repository("org/repo-name")
                .permission(RepoPermission::Read),
        )
        .send()
        .await
        .unwrap();
    let request = mock.only_request().await;
    assert_request(&request, "POST", "/organizations/your_org_id/permissions");
    assert_json_body(
        &request,
        json!({"provider": "github", "repository": "org/repo-name", "permission": "read"}),
    );
    assert_eq!(result.get("permission"), Some(&json!("read")));
}

#[tokio::test]
async fn undocumented_enum_values_can_be_sent() {
    let mock = Recorder::json(json!({})).await;
    client(&mock)
        .add_organization_permission()
        .org_id("org-1")
        .body(
            AddPermissionRequest::builder()
                .provider("gitlab".parse::<GitProvider>().unwrap())
                .repository("group/project")
                .permission("write".parse::<RepoPermission>().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_json_body(
        &mock.only_request().await,
        json!({"provider": "gitlab", "repository": "group/project", "permission": "write"}),
    );
}

#[tokio::test]
async fn list_consumption_cycles() {
    let mock = answering_example("list_consumption_cycles").await;
    let cycles = client(&mock)
        .list_consumption_cycles()
        .send()
        .await
        .unwrap();
    assert_request(&mock.only_request().await, "GET", "/consumption/cycles");
    let cycles = cycles.into_inner().cycles.unwrap();
    let current = &cycles[0];
    assert_eq!(current.start_date.to_string(), "2026-11-01");
    assert_eq!(current.end_date.unwrap().to_string(), "2026-11-30");
    assert_eq!(current.acus_used, Some(1234.5));
    assert_eq!(cycles[1].acus_used, Some(2048.0));
}

#[tokio::test]
async fn consumption_cycle_dates_may_be_date_times() {
    let mock = Recorder::json(json!({"cycles": [{
        "start_date": "2026-11-01T00:00:00Z", "end_date": "2026-11-30T23:59:59+08:00", "acus_used": 0
    }]}))
    .await;
    let cycles = client(&mock)
        .list_consumption_cycles()
        .send()
        .await
        .unwrap();
    let cycle = &cycles.cycles.as_ref().unwrap()[0];
    assert_eq!(
        cycle.start_date,
        DateOrDateTime::DateTime(Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap())
    );
    assert_eq!(
        cycle.end_date.unwrap().start(),
        Utc.with_ymd_and_hms(2026, 11, 30, 15, 59, 59).unwrap()
    );
}

#[tokio::test]
async fn list_session_insights() {
    let mock = answering_example("list_session_insights").await;
    let page = client(&mock)
        .list_session_insights()
        .limit(50)
        .offset(0)
        .send()
        .await
        .unwrap();
    assert_request(
        &mock.only_request().await,
        "GET",
        "/sessions/insights?limit=50&offset=0",
    );
    let sessions = page.into_inner().sessions.unwrap();
    assert_eq!(sessions[0].id, "devin-5a1b");
    assert_eq!(
        sessions[0].insight,
        Some(json!(
            "Fixed the flaky login test; suggested adding a retry to the CI step."
        ))
    );
}

#[tokio::test]
async fn list_session_insights_with_skip_in_the_reference_shape() {
    let mock = Recorder::json(json!({
        "items": [{
            "session_id": "devin-9", "url": "https://app.devin.ai/sessions/9", "status": "finished",
            "title": "Bump deps", "tags": ["deps"], "user_id": "u-1", "org_id": "org-1",
            "created_at": "2026-11-20T09:00:00Z", "updated_at": "2026-11-20T10:00:00Z",
            "acus_consumed": 3.5,
            "pull_requests": [{"pr_url": "https://github.com/o/r/pull/1", "pr_state": "merged", "state": "done"}],
            "session_analysis": {"issues": [], "timeline": [], "action_items": ["x"], "suggested_prompt": "y"},
            "initial_user_message": "bump the deps"
        }],
        "total": 51, "skip": 50, "limit": 50, "has_more": false, "next_cursor": null
    }))
    .await;
    let page = client(&mock)
        .list_session_insights()
        .limit(50)
        .skip(50)
        .send()
        .await
        .unwrap();
    assert_request(
        &mock.only_request().await,
        "GET",
        "/sessions/insights?limit=50&skip=50",
    );
    let session = &page.sessions.as_ref().unwrap()[0];
    assert_eq!(session.id, "devin-9");
    assert_eq!(session.status.as_deref(), Some("finished"));
    assert_eq!(session.tags, Some(vec!["deps".to_owned()]));
    assert_eq!(session.acus_consumed, Some(3.5));
    assert_eq!(
        session.created_at,
        Some(Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap())
    );
    assert_eq!(
        session.pull_requests.as_ref().unwrap()[0]
            .pr_state
            .as_deref(),
        Some("merged")
    );
    let analysis = session.session_analysis.as_ref().unwrap();
    assert_eq!(analysis.suggested_prompt, Some(json!("y")));
    assert_eq!(
        (page.total, page.skip, page.has_more),
        (Some(51), Some(50), Some(false))
    );
    assert_eq!(page.next_cursor, None);
}

#[tokio::test]
async fn list_audit_logs() {
    let mock = answering_example("list_audit_logs").await;
    let since = Utc.with_ymd_and_hms(2026, 11, 16, 8, 30, 0).unwrap();
    let logs = client(&mock)
        .list_audit_logs()
        .start_date(since)
        .limit(100)
        .send()
        .await
        .unwrap();
    assert_request(
        &mock.only_request().await,
        "GET",
        "/audit-logs?start_date=2026-11-16T08:30:00Z&limit=100",
    );
    let entry = &logs.logs.as_ref().unwrap()[0];
    assert_eq!(
        entry.timestamp,
        Some(Utc.with_ymd_and_hms(2026, 11, 20, 9, 15, 0).unwrap())
    );
    assert_eq!(entry.action.as_deref(), Some("member.invite"));
    assert_eq!(entry.actor, Some(json!("alice@example.com")));
}

async fn error_of(response: ResponseTemplate) -> ApiError {
    let mock = Recorder::answering(response).await;
    let error = client_without_retries::<Client>(&mock, KEY)
        .list_members()
        .send()
        .await
        .map_err(ApiError::from)
        .unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(!text.contains(KEY), "{text}");
    error
}

#[tokio::test]
async fn status_401_is_an_invalid_api_key() {
    let error =
        error_of(ResponseTemplate::new(401).set_body_json(json!({"detail": "Invalid API key"})))
            .await;
    assert!(matches!(error, ApiError::InvalidApiKey { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the Devin API key is invalid (401 Unauthorized): Invalid API key"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn status_403_is_missing_enterprise_admin_rights() {
    let error = error_of(ResponseTemplate::new(403).set_body_raw("Forbidden", "text/plain")).await;
    let ApiError::NotEnterpriseAdmin { body } = &error else {
        panic!("expected NotEnterpriseAdmin, got {error:?}")
    };
    assert_eq!(body.message(), Some("Forbidden"));
    assert_eq!(
        error.to_string(),
        "the Devin API key lacks Enterprise admin rights (403 Forbidden): Forbidden"
    );
}

#[tokio::test]
async fn status_429_is_the_rate_limit_with_retry_after_in_either_form() {
    let error = error_of(
        ResponseTemplate::new(429)
            .insert_header("retry-after", "17")
            .set_body_json(json!({"detail": "Rate limit exceeded"})),
    )
    .await;
    let ApiError::RateLimited { retry_after, .. } = &error else {
        panic!("expected RateLimited, got {error:?}")
    };
    assert_eq!(*retry_after, Some(Duration::from_secs(17)));
    assert_eq!(
        error.to_string(),
        "the Devin API rate limit is exceeded (429 Too Many Requests); retry after 17 s"
    );

    let in_a_minute = Utc::now() + chrono::Duration::seconds(61);
    let http_date = in_a_minute.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let error = error_of(
        ResponseTemplate::new(429)
            .insert_header("retry-after", http_date.as_str())
            .set_body_raw("<html>slow down</html>", "text/html"),
    )
    .await;
    let ApiError::RateLimited { retry_after, .. } = &error else {
        panic!("expected RateLimited, got {error:?}")
    };
    let wait = retry_after.expect("a wait").as_secs();
    assert!((55..=61).contains(&wait), "{wait}");

    let error = error_of(ResponseTemplate::new(429)).await;
    assert!(
        matches!(
            error,
            ApiError::RateLimited {
                retry_after: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().ends_with("; retry later"), "{error}");
}

#[tokio::test]
async fn other_errors_keep_their_status_or_cause() {
    let error =
        error_of(ResponseTemplate::new(404).set_body_json(json!({"detail": "Not Found"}))).await;
    assert!(
        matches!(&error, ApiError::Status { status, .. } if status.as_u16() == 404),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the Devin API answered 404 Not Found: Not Found"
    );

    let error =
        error_of(ResponseTemplate::new(200).set_body_raw("{\"members\": [", "application/json"))
            .await;
    assert!(
        matches!(error, ApiError::Other(Error::Decode { .. })),
        "{error:?}"
    );
}

#[test]
fn the_client_reads_the_documented_variables_and_hides_the_key() {
    assert_eq!(devin_api::client::TOKEN_ENV, "DEVIN_API_KEY");
    assert_eq!(devin_api::client::BASE_URL_ENV, "DEVIN_BASE_URL");
    let client = Client::new(KEY).unwrap();
    assert_eq!(client.base_url(), "https://api.devin.ai/v2/enterprise");
    assert!(!format!("{client:?}").contains(KEY));
}

#[tokio::test]
async fn a_key_under_both_its_names_decodes_when_they_agree() {
    // A server between the seed's shape and the reference's sends both.
    let both = |session_id: &str| json!({"items": [{"id": "devin-1", "session_id": session_id, "status": "finished"}]});
    let mock = Recorder::json(both("devin-1")).await;
    let page = client(&mock).list_session_insights().send().await.unwrap();
    assert_eq!(page.sessions.as_ref().unwrap()[0].id, "devin-1");
    // Two different ids: which one is meant is lost, so it is an error.
    let mock = Recorder::json(both("devin-2")).await;
    let error = client(&mock)
        .list_session_insights()
        .send()
        .await
        .unwrap_err();
    let devin_api::Error::Decode { message, path, .. } = &error else {
        panic!("expected Decode, got {error:?}")
    };
    assert!(message.contains("duplicate field `id`"), "{message}");
    assert_eq!(path.as_deref(), Some("$.items[0]"));
}
