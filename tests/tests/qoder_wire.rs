//! Qoder wire tests: for every operation, the exact request the client sends
//! (method, path, query, auth header, body) against a mock server on 127.0.0.1,
//! answered with the spec's example, decoded and checked. The documentation's
//! curl demos are the reference requests; query pairs are compared decoded and
//! in any order (the client sends them in alphabetical order, `:` as `%3A`).

use chrono::{TimeZone, Utc};
use dev_platform_tests::wire::{Recorder, assert_bearer_request, client_for, header};
use qoder_api::Client;
use qoder_api::types::{CommitAttributionsRequest, ModelLevel, RangeType, Source};
use serde_json::{Value, json};
use wiremock::Request;

const TOKEN: &str = "qd-test-key-93c1";
const ORG: &str = "org_xxx";

async fn answering_example(operation_id: &str) -> Recorder {
    Recorder::example("qoder", operation_id).await
}

async fn answering_csv(operation_id: &str) -> Recorder {
    Recorder::example("qoder", operation_id).await
}

fn client(recorder: &Recorder) -> Client {
    client_for(recorder, TOKEN)
}

fn june_1() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap()
}

fn june_30_end() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 30, 23, 59, 59).unwrap()
}

/// The request matches a documentation demo; see `assert_bearer_request`.
fn assert_demo(request: &Request, method: &str, expected: &str) {
    // The crate's own name and version (qoder-api has a version of its own).
    let user_agent = <qoder_api::Client as dev_platform_runtime::Provider>::USER_AGENT;
    let version = user_agent
        .strip_prefix("qoder-api/")
        .expect("qoder-api/<version>");
    assert_eq!(version.split('.').count(), 3, "{user_agent}");
    assert_bearer_request(request, method, expected, TOKEN, user_agent);
}

#[tokio::test]
async fn get_ai_code_overview() {
    let mock = answering_example("get_ai_code_overview").await;
    let overview = client(&mock)
        .get_ai_code_overview()
        .organization_id(ORG)
        .start_date(june_1())
        .end_date(june_30_end())
        .send()
        .await
        .unwrap();
    assert_demo(
        &mock.only_request().await,
        "GET",
        "/organizations/org_xxx/ai-code/stats/overview?start_date=2025-06-01T00:00:00Z&end_date=2025-06-30T23:59:59Z",
    );
    assert_eq!(overview.committed_total_lines_edit, Some(50000));
    assert_eq!(overview.committed_ai_lines_edit, Some(15000));
    assert_eq!(overview.accepted_lines_edit, Some(18000));
    assert_eq!(overview.ai_share_rate, Some(30.0));
    assert_eq!(overview.agent_edit_count, Some(1200));
    assert_eq!(overview.tab_completion_count, Some(5600));
    assert_eq!(overview.message_count, Some(3400));
}

#[tokio::test]
async fn dates_given_as_unix_milliseconds_are_sent_as_rfc3339() {
    let mock = answering_example("get_ai_code_overview").await;
    client(&mock)
        .get_ai_code_overview()
        .organization_id(ORG)
        .start_date(1_748_736_000_000_i64)
        .end_date(1_751_327_999_000_i64)
        .send()
        .await
        .unwrap();
    assert_demo(
        &mock.only_request().await,
        "GET",
        "/organizations/org_xxx/ai-code/stats/overview?start_date=2025-06-01T00:00:00Z&end_date=2025-06-30T23:59:59Z",
    );
}

#[tokio::test]
async fn get_ai_code_daily_trend() {
    let mock = answering_example("get_ai_code_daily_trend").await;
    let trend = client(&mock)
        .get_ai_code_daily_trend()
        .organization_id(ORG)
        .start_date(june_1())
        .end_date(june_30_end())
        .repo_name("my-project")
        .primary_branch_only(true)
        .send()
        .await
        .unwrap();
    assert_demo(
        &mock.only_request().await,
        "GET",
        "/organizations/org_xxx/ai-code/stats/daily-trend?start_date=2025-06-01T00:00:00Z&end_date=2025-06-30T23:59:59Z&repo_name=my-project&primary_branch_only=true",
    );
    let day = &trend.items.as_ref().unwrap()[0];
    assert_eq!(day.date, june_1());
    assert_eq!(
        (
            day.ai_lines_added,
            day.other_lines_added,
            day.ai_share_rate,
            day.commit_count
        ),
        (Some(500), Some(1500), Some(25.0), Some(30))
    );
    let extension = &trend.ext_items.as_ref().unwrap()[0];
    assert_eq!(extension.file_extension, ".go");
    assert_eq!(
        (extension.total_lines_added, extension.ai_lines_added),
        (Some(800), Some(300))
    );
    let completion = &trend.next_items.as_ref().unwrap()[0];
    assert_eq!(
        (
            completion.next_suggested_count,
            completion.next_accepted_count,
            completion.next_accept_rate
        ),
        (Some(200), Some(120), Some(60.0))
    );
}

#[tokio::test]
async fn file_extensions_and_the_user_filter_of_the_metrics() {
    let mock = answering_example("get_ai_code_daily_trend").await;
    client(&mock)
        .get_ai_code_daily_trend()
        .organization_id(ORG)
        .start_date(june_1())
        .end_date(june_30_end())
        .user_id("user_abc123")
        .file_extensions([".go", ".ts"])
        .send()
        .await
        .unwrap();
    let request = mock.only_request().await;
    assert_demo(
        &request,
        "GET",
        "/organizations/org_xxx/ai-code/stats/daily-trend?start_date=2025-06-01T00:00:00Z&end_date=2025-06-30T23:59:59Z&user_id=user_abc123&file_extensions=.go,.ts",
    );
}

#[tokio::test]
async fn get_ai_code_member_ranking() {
    let mock = answering_example("get_ai_code_member_ranking").await;
    let ranking = client(&mock)
        .get_ai_code_member_ranking()
        .organization_id(ORG)
        .start_date(june_1())
        .end_date(june_30_end())
        .limit(20)
        .send()
        .await
        .unwrap();
    assert_demo(
        &mock.only_request().await,
        "GET",
        "/organizations/org_xxx/ai-code/stats/member-ranking?start_date=2025-06-01T00:00:00Z&end_date=2025-06-30T23:59:59Z&limit=20",
    );
    let member = &ranking.items.as_ref().unwrap()[0];
    assert_eq!(member.user_id, "user_abc123");
    assert_eq!(member.email.as_deref(), Some("zhangsan@example.com"));
    assert_eq!(member.display_name.as_deref(), Some("张三"));
    assert_eq!(member.total_lines_added, Some(5000));
    assert_eq!(member.ai_lines_added, Some(2000));
    assert_eq!(member.ai_share_rate, Some(40.0));
    assert_eq!(member.commit_count, Some(50));
}

#[tokio::test]
async fn a_member_without_email_or_name_decodes() {
    let mock = Recorder::json(json!({"items": [{
        "userId": "u2", "email": null, "totalLinesAdded": 1, "aiLinesAdded": 0,
        "aiShareRate": 0.0, "commitCount": 1
    }]}))
    .await;
    let ranking = client(&mock)
        .get_ai_code_member_ranking()
        .organization_id(ORG)
        .start_date(june_1())
        .end_date(june_30_end())
        .send()
        .await
        .unwrap();
    assert_eq!(ranking.items.as_ref().unwrap()[0].email, None);
    assert_eq!(ranking.items.as_ref().unwrap()[0].display_name, None);
}

#[tokio::test]
async fn list_ai_code_repos() {
    let mock = answering_example("list_ai_code_repos").await;
    let page = client(&mock)
        .list_ai_code_repos()
        .organization_id(ORG)
        .query("my-project")
        .send()
        .await
        .unwrap();
    assert_demo(
        &mock.only_request().await,
        "GET",
        "/organizations/org_xxx/ai-code/repos?query=my-project",
    );
    assert_eq!(page.repos.as_ref().unwrap()[0].repo_name, "my-project");
    assert_eq!(page.repos.as_ref().unwrap()[0].commit_count, Some(120));
    assert_eq!(
        page.repos.as_ref().unwrap()[0].total_lines_added,
        Some(8000)
    );
    assert_eq!(page.total_count, Some(42));
    assert_eq!(page.page, Some(1));
    assert_eq!(page.per_page, Some(30));
}

#[tokio::test]
async fn list_ai_code_repos_pages_and_windows() {
    let mock = answering_example("list_ai_code_repos").await;
    client(&mock)
        .list_ai_code_repos()
        .organization_id(ORG)
        .start_date(june_1())
        .end_date(june_30_end())
        .page(2)
        .per_page(100)
        .send()
        .await
        .unwrap();
    assert_demo(
        &mock.only_request().await,
        "GET",
        "/organizations/org_xxx/ai-code/repos?start_date=2025-06-01T00:00:00Z&end_date=2025-06-30T23:59:59Z&page=2&per_page=100",
    );
}

#[tokio::test]
async fn list_ai_code_file_extensions() {
    let mock = answering_example("list_ai_code_file_extensions").await;
    let extensions = client(&mock)
        .list_ai_code_file_extensions()
        .organization_id(ORG)
        .start_date(june_1())
        .send()
        .await
        .unwrap();
    assert_demo(
        &mock.only_request().await,
        "GET",
        "/organizations/org_xxx/ai-code/file-extensions?start_date=2025-06-01T00:00:00Z",
    );
    let go = &extensions.file_extensions.as_ref().unwrap()[0];
    assert_eq!(go.extension, ".go");
    assert_eq!(go.change_count, Some(500));
    assert_eq!(go.total_lines_added, Some(12000));
    assert_eq!(go.ai_share_rate, Some(35.5));
}

#[tokio::test]
async fn get_commit_attributions() {
    let mock = answering_example("get_commit_attributions").await;
    let attributions = client(&mock)
        .get_commit_attributions()
        .organization_id(ORG)
        .body(
            CommitAttributionsRequest::builder()
                .commit_hashes(vec!["abc123def456".into(), "789ghi012jkl".into()])
                .branch(Some("main".into())),
        )
        .send()
        .await
        .unwrap();
    let request = mock.only_request().await;
    assert_demo(
        &request,
        "POST",
        "/organizations/org_xxx/ai-code-tracking/commits/detail",
    );
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    let sent: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        sent,
        json!({"commitHashes": ["abc123def456", "789ghi012jkl"], "branch": "main"})
    );
    // The envelope is unwrapped: `send()` returns `data`.
    let [first, second] = &attributions.commits.as_ref().unwrap()[..] else {
        panic!("two commits, in the order requested")
    };
    assert_eq!(first.commit_hash, "abc123def456");
    let annotation = &first.range_annotations.as_ref().unwrap()[0];
    assert_eq!(annotation.file_path, "src/main.go");
    let group = &annotation.groups.as_ref().unwrap()[0];
    assert_eq!(group.conversation_id.as_deref(), Some("session-001"));
    assert_eq!(group.source, Some(Source::Agent));
    assert_eq!(group.product_type.as_deref(), Some("ide"));
    assert_eq!(group.type_, Some(RangeType::Added));
    let ranges: Vec<(Option<i32>, Option<i32>)> = group
        .ranges
        .iter()
        .flatten()
        .map(|r| (r.start, r.end))
        .collect();
    assert_eq!(ranges, [(Some(47), Some(48)), (Some(55), Some(60))]);
    assert_eq!(second.commit_hash, "789ghi012jkl");
    assert_eq!(
        second.range_annotations,
        Some(Vec::new()),
        "an empty list is not an absent one"
    );
}

#[tokio::test]
async fn attribution_enums_accept_values_the_documentation_does_not_list() {
    let mock = Recorder::json(json!({"success": true, "data": {"commits": [{
        "commitHash": "c1",
        "rangeAnnotations": [{"filePath": "a.rs", "groups": [{
            "conversationId": "s", "source": "REVIEW", "productType": "cli",
            "type": "modified", "ranges": []
        }]}]
    }]}}))
    .await;
    let attributions = client(&mock)
        .get_commit_attributions()
        .organization_id(ORG)
        .body(
            CommitAttributionsRequest::builder()
                .commit_hashes(vec!["c1".into()])
                .branch(None),
        )
        .send()
        .await
        .unwrap();
    let group = &attributions.commits.as_ref().unwrap()[0]
        .range_annotations
        .as_ref()
        .unwrap()[0]
        .groups
        .as_ref()
        .unwrap()[0];
    let source = group.source.as_ref().unwrap();
    assert!(source.is_unknown());
    assert_eq!(source.as_str(), "REVIEW");
    assert_eq!(
        group.type_.as_ref().map(|kind| kind.as_str()),
        Some("modified")
    );
    let sent: Value = serde_json::from_slice(&mock.only_request().await.body).unwrap();
    assert_eq!(
        sent,
        json!({"commitHashes": ["c1"]}),
        "no `branch` when unset"
    );
}

#[tokio::test]
async fn list_tracked_commits_by_repository() {
    let mock = answering_example("list_tracked_commits").await;
    let page = client(&mock)
        .list_tracked_commits()
        .organization_id(ORG)
        .start_date(june_1())
        .end_date(june_30_end())
        .repo_name("my-project")
        .page_size(50)
        .send()
        .await
        .unwrap();
    assert_demo(
        &mock.only_request().await,
        "GET",
        "/organizations/org_xxx/ai-code-tracking/commits?startDate=2025-06-01T00:00:00Z&endDate=2025-06-30T23:59:59Z&repoName=my-project&pageSize=50",
    );
    let commit = &page.items.as_ref().unwrap()[0];
    assert_eq!(commit.commit_hash, "a1b2c3d4e5f6");
    assert_eq!(
        commit.user_id.as_deref(),
        Some("550e8400-e29b-41d4-a716-446655440000")
    );
    assert_eq!(commit.user_email.as_deref(), Some("zhangsan@example.com"));
    assert_eq!(commit.repo_name.as_deref(), Some("my-project"));
    assert_eq!(commit.branch_name.as_deref(), Some("main"));
    assert_eq!(commit.is_primary_branch, Some(true));
    let counts = [
        (commit.total_lines_added, commit.total_lines_deleted),
        (commit.ide_next_lines_added, commit.ide_next_lines_deleted),
        (
            commit.plugin_next_lines_added,
            commit.plugin_next_lines_deleted,
        ),
        (commit.ide_agent_lines_added, commit.ide_agent_lines_deleted),
        (
            commit.plugin_agent_lines_added,
            commit.plugin_agent_lines_deleted,
        ),
        (commit.cli_agent_lines_added, commit.cli_agent_lines_deleted),
        (commit.ide_quest_lines_added, commit.ide_quest_lines_deleted),
        (
            commit.ide_inline_chat_lines_added,
            commit.ide_inline_chat_lines_deleted,
        ),
        (
            commit.jb_inline_chat_lines_added,
            commit.jb_inline_chat_lines_deleted,
        ),
        (commit.non_ai_lines_added, commit.non_ai_lines_deleted),
    ];
    assert_eq!(
        counts,
        [
            (Some(120), Some(30)),
            (Some(40), Some(10)),
            (Some(0), Some(0)),
            (Some(50), Some(15)),
            (Some(0), Some(0)),
            (Some(0), Some(0)),
            (Some(10), Some(0)),
            (Some(5), Some(2)),
            (Some(0), Some(0)),
            (Some(15), Some(3))
        ]
    );
    assert_eq!(commit.message.as_deref(), Some("feat: add user login"));
    assert_eq!(
        commit.commit_ts,
        Some(Utc.with_ymd_and_hms(2025, 6, 15, 10, 30, 0).unwrap())
    );
    assert_eq!(
        commit.created_at,
        Some(Utc.with_ymd_and_hms(2025, 6, 15, 10, 35, 0).unwrap())
    );
    assert_eq!(page.pagination.as_ref().unwrap().current_page, Some(1));
    assert_eq!(page.pagination.as_ref().unwrap().page_size, Some(100));
    assert_eq!(page.pagination.as_ref().unwrap().total_items, Some(256));
    assert_eq!(page.pagination.as_ref().unwrap().total_pages, Some(3));
}

#[tokio::test]
async fn list_tracked_commits_by_email() {
    let mock = answering_example("list_tracked_commits").await;
    client(&mock)
        .list_tracked_commits()
        .organization_id(ORG)
        .start_date(june_1())
        .user_email("zhangsan@example.com")
        .send()
        .await
        .unwrap();
    assert_demo(
        &mock.only_request().await,
        "GET",
        "/organizations/org_xxx/ai-code-tracking/commits?startDate=2025-06-01T00:00:00Z&userEmail=zhangsan@example.com",
    );
}

#[tokio::test]
async fn list_tracked_commits_sends_user_id_and_email_as_given() {
    // The server gives `userId` precedence; the client sends both unchanged.
    let mock = answering_example("list_tracked_commits").await;
    client(&mock)
        .list_tracked_commits()
        .organization_id(ORG)
        .user_id("550e8400-e29b-41d4-a716-446655440000")
        .user_email("zhangsan@example.com")
        .page(3)
        .page_size(200)
        .send()
        .await
        .unwrap();
    assert_demo(
        &mock.only_request().await,
        "GET",
        "/organizations/org_xxx/ai-code-tracking/commits?userId=550e8400-e29b-41d4-a716-446655440000&userEmail=zhangsan@example.com&page=3&pageSize=200",
    );
}

#[tokio::test]
async fn export_tracked_commits() {
    let mock = answering_csv("export_tracked_commits").await;
    let export = client(&mock)
        .export_tracked_commits()
        .organization_id(ORG)
        .start_date(june_1())
        .csv()
        .await
        .unwrap();
    assert_eq!(export.file_name(), Some("ai-code-commits.csv"));
    let rows: Vec<_> = futures_util::TryStreamExt::try_collect(export.rows())
        .await
        .unwrap();
    assert_demo(
        &mock.only_request().await,
        "GET",
        "/organizations/org_xxx/ai-code-tracking/commits/export?startDate=2025-06-01T00:00:00Z",
    );
    let [row] = &rows[..] else { panic!("one row") };
    assert_eq!(row.commit_hash, "a1b2c3d4e5f6");
    assert_eq!(row.user_name.as_deref(), Some("张三"));
    assert_eq!(row.total_lines_added, Some(120));
    assert_eq!(row.non_ai_lines_deleted, Some(3));
    assert_eq!(
        row.message.as_deref(),
        Some("feat: add user login, with \"remember me\"")
    );
}

#[tokio::test]
async fn list_tracked_changes_by_source() {
    let mock = answering_example("list_tracked_changes").await;
    let page = client(&mock)
        .list_tracked_changes()
        .organization_id(ORG)
        .start_date(june_1())
        .source(Source::Quest)
        .page_size(50)
        .send()
        .await
        .unwrap();
    assert_demo(
        &mock.only_request().await,
        "GET",
        "/organizations/org_xxx/ai-code-tracking/changes?startDate=2025-06-01T00:00:00Z&source=QUEST&pageSize=50",
    );
    let change = &page.items.as_ref().unwrap()[0];
    assert_eq!(change.change_id, "chg_abc123");
    assert_eq!(
        change.user_id.as_deref(),
        Some("550e8400-e29b-41d4-a716-446655440000")
    );
    assert_eq!(change.user_email.as_deref(), Some("zhangsan@example.com"));
    assert_eq!(change.source, Some(Source::Agent));
    assert_eq!(change.model, Some(ModelLevel::Efficient));
    assert_eq!(change.total_lines_added, Some(45));
    assert_eq!(change.total_lines_deleted, Some(12));
    let files = change.metadata.as_ref().unwrap();
    let described: Vec<String> = files
        .iter()
        .map(|f| {
            let extension = f.file_extension.as_deref().unwrap_or("?");
            format!(
                "{} {extension} +{:?} -{:?}",
                f.file_name, f.lines_added, f.lines_deleted
            )
        })
        .collect();
    assert_eq!(
        described,
        [
            "main.go .go +Some(30) -Some(8)",
            "utils.go .go +Some(15) -Some(4)"
        ]
    );
    assert_eq!(
        change.created_at,
        Some(Utc.with_ymd_and_hms(2025, 6, 15, 10, 28, 0).unwrap())
    );
    assert_eq!(page.pagination.as_ref().unwrap().total_items, Some(1024));
    assert_eq!(page.pagination.as_ref().unwrap().total_pages, Some(11));
}

#[tokio::test]
async fn a_change_without_model_or_metadata_decodes() {
    let mock = Recorder::json(json!({"success": true, "data": {
        "items": [{"changeId": "c", "userId": "u", "source": "INLINECHAT", "model": null,
                   "totalLinesAdded": 1, "totalLinesDeleted": 0, "metadata": null,
                   "createdAt": "2025-06-15T10:28:00Z"}],
        "pagination": {"currentPage": 1, "pageSize": 100, "totalItems": 1, "totalPages": 1}
    }}))
    .await;
    let page = client(&mock)
        .list_tracked_changes()
        .organization_id(ORG)
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.items.as_ref().unwrap()[0].source,
        Some(Source::InlineChat)
    );
    assert_eq!(page.items.as_ref().unwrap()[0].model, None);
    assert_eq!(page.items.as_ref().unwrap()[0].metadata, None);
}

#[tokio::test]
async fn export_tracked_changes() {
    let mock = answering_csv("export_tracked_changes").await;
    let export = client(&mock)
        .export_tracked_changes()
        .organization_id(ORG)
        .start_date(june_1())
        .source(Source::Agent)
        .csv()
        .await
        .unwrap();
    let rows: Vec<_> = futures_util::TryStreamExt::try_collect(export.rows())
        .await
        .unwrap();
    assert_demo(
        &mock.only_request().await,
        "GET",
        "/organizations/org_xxx/ai-code-tracking/changes/export?startDate=2025-06-01T00:00:00Z&source=AGENT",
    );
    let [row] = &rows[..] else { panic!("one row") };
    assert_eq!(row.change_id, "chg_abc123");
    assert_eq!(row.source, Some(Source::Agent));
    assert_eq!(row.model, Some(ModelLevel::Efficient));
    assert_eq!(
        (row.total_lines_added, row.total_lines_deleted),
        (Some(45), Some(12))
    );
    assert_eq!(
        row.created_at,
        Some(Utc.with_ymd_and_hms(2025, 6, 15, 10, 28, 0).unwrap())
    );
}

#[tokio::test]
async fn what_the_documentation_does_not_show_still_decodes_and_nothing_is_lost() {
    // Counters left out or sent as text, a list that is `null`, a field and an
    // envelope member the spec does not know.
    let mock = Recorder::json(json!({
        "success": "true",
        "requestId": "req-42",
        "data": {
            "items": [{
                "commitHash": "c1", "totalLinesAdded": "120", "totalLinesDeleted": null,
                "isPrimaryBranch": "false", "commitTs": "2025-06-15T10:30:00+08:00",
                "reviewer": {"login": "lisi"}
            }],
            "pagination": {"currentPage": "1", "totalPages": 1}
        }
    }))
    .await;
    let page = client(&mock)
        .list_tracked_commits()
        .organization_id(ORG)
        .send()
        .await
        .unwrap();
    let commit = &page.items.as_ref().unwrap()[0];
    assert_eq!(commit.commit_hash, "c1");
    assert_eq!(commit.total_lines_added, Some(120));
    assert_eq!(commit.total_lines_deleted, None, "null is None, not 0");
    assert_eq!(commit.ide_next_lines_added, None, "absent is None, not 0");
    assert_eq!(commit.is_primary_branch, Some(false));
    assert_eq!(
        commit.extra_field("reviewer"),
        Some(&json!({"login": "lisi"}))
    );
    let pagination = page.pagination.as_ref().unwrap();
    assert_eq!(
        (pagination.current_page, pagination.page_size),
        (Some(1), None)
    );
    assert_eq!(
        page.extra_field("requestId"),
        Some(&json!("req-42")),
        "the envelope's own member"
    );
}

#[tokio::test]
async fn a_value_that_would_lose_information_is_an_error_naming_its_path() {
    let mock = Recorder::json(json!({
        "committedTotalLinesEdit": 50000, "aiShareRate": "thirty", "messageCount": 1
    }))
    .await;
    let error = client(&mock)
        .get_ai_code_overview()
        .organization_id(ORG)
        .start_date(june_1())
        .end_date(june_30_end())
        .send()
        .await
        .unwrap_err();
    let qoder_api::Error::Decode { path, message, .. } = &error else {
        panic!("expected Decode, got {error:?}")
    };
    assert_eq!(path.as_deref(), Some("$.aiShareRate"));
    assert!(message.contains("expected a number"), "{message}");
    assert!(error.to_string().contains("at $.aiShareRate"), "{error}");
}
