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
    let user_agent = concat!("qoder-api/", env!("CARGO_PKG_VERSION"));
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
    assert_eq!(overview.committed_total_lines_edit, 50000);
    assert_eq!(overview.committed_ai_lines_edit, 15000);
    assert_eq!(overview.accepted_lines_edit, 18000);
    assert_eq!(overview.ai_share_rate, 30.0);
    assert_eq!(overview.agent_edit_count, 1200);
    assert_eq!(overview.tab_completion_count, 5600);
    assert_eq!(overview.message_count, 3400);
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
    assert_eq!(trend.items[0].date, june_1());
    assert_eq!(trend.items[0].ai_lines_added, 500);
    assert_eq!(trend.items[0].other_lines_added, 1500);
    assert_eq!(trend.items[0].ai_share_rate, 25.0);
    assert_eq!(trend.items[0].commit_count, 30);
    assert_eq!(trend.ext_items[0].file_extension, ".go");
    assert_eq!(trend.ext_items[0].total_lines_added, 800);
    assert_eq!(trend.ext_items[0].ai_lines_added, 300);
    assert_eq!(trend.next_items[0].next_suggested_count, 200);
    assert_eq!(trend.next_items[0].next_accepted_count, 120);
    assert_eq!(trend.next_items[0].next_accept_rate, 60.0);
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
    let member = &ranking.items[0];
    assert_eq!(member.user_id, "user_abc123");
    assert_eq!(member.email.as_deref(), Some("zhangsan@example.com"));
    assert_eq!(member.display_name.as_deref(), Some("张三"));
    assert_eq!(member.total_lines_added, 5000);
    assert_eq!(member.ai_lines_added, 2000);
    assert_eq!(member.ai_share_rate, 40.0);
    assert_eq!(member.commit_count, 50);
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
    assert_eq!(ranking.items[0].email, None);
    assert_eq!(ranking.items[0].display_name, None);
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
    assert_eq!(page.repos[0].repo_name, "my-project");
    assert_eq!(page.repos[0].commit_count, 120);
    assert_eq!(page.repos[0].total_lines_added, 8000);
    assert_eq!(page.total_count, 42);
    assert_eq!(page.page, 1);
    assert_eq!(page.per_page, 30);
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
    let go = &extensions.file_extensions[0];
    assert_eq!(go.extension, ".go");
    assert_eq!(go.change_count, 500);
    assert_eq!(go.total_lines_added, 12000);
    assert_eq!(go.ai_share_rate, 35.5);
}

#[tokio::test]
async fn get_commit_attributions() {
    let mock = answering_example("get_commit_attributions").await;
    let attributions = client(&mock)
        .get_commit_attributions()
        .organization_id(ORG)
        .body(CommitAttributionsRequest {
            commit_hashes: vec!["abc123def456".into(), "789ghi012jkl".into()],
            branch: Some("main".into()),
        })
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
    let [first, second] = &attributions.commits[..] else {
        panic!("two commits, in the order requested")
    };
    assert_eq!(first.commit_hash, "abc123def456");
    let annotation = &first.range_annotations[0];
    assert_eq!(annotation.file_path, "src/main.go");
    let group = &annotation.groups[0];
    assert_eq!(group.conversation_id, "session-001");
    assert_eq!(group.source, Source::Agent);
    assert_eq!(group.product_type, "ide");
    assert_eq!(group.type_, RangeType::Added);
    let ranges: Vec<(i32, i32)> = group.ranges.iter().map(|r| (r.start, r.end)).collect();
    assert_eq!(ranges, [(47, 48), (55, 60)]);
    assert_eq!(second.commit_hash, "789ghi012jkl");
    assert!(second.range_annotations.is_empty());
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
        .body(CommitAttributionsRequest {
            commit_hashes: vec!["c1".into()],
            branch: None,
        })
        .send()
        .await
        .unwrap();
    let group = &attributions.commits[0].range_annotations[0].groups[0];
    assert!(group.source.is_unknown());
    assert_eq!(group.source.as_str(), "REVIEW");
    assert_eq!(group.type_.as_str(), "modified");
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
    let commit = &page.items[0];
    assert_eq!(commit.commit_hash, "a1b2c3d4e5f6");
    assert_eq!(commit.user_id, "550e8400-e29b-41d4-a716-446655440000");
    assert_eq!(commit.user_email.as_deref(), Some("zhangsan@example.com"));
    assert_eq!(commit.repo_name, "my-project");
    assert_eq!(commit.branch_name, "main");
    assert!(commit.is_primary_branch);
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
            (120, 30),
            (40, 10),
            (0, 0),
            (50, 15),
            (0, 0),
            (0, 0),
            (10, 0),
            (5, 2),
            (0, 0),
            (15, 3)
        ]
    );
    assert_eq!(commit.message.as_deref(), Some("feat: add user login"));
    assert_eq!(
        commit.commit_ts,
        Utc.with_ymd_and_hms(2025, 6, 15, 10, 30, 0).unwrap()
    );
    assert_eq!(
        commit.created_at,
        Utc.with_ymd_and_hms(2025, 6, 15, 10, 35, 0).unwrap()
    );
    assert_eq!(page.pagination.current_page, 1);
    assert_eq!(page.pagination.page_size, 100);
    assert_eq!(page.pagination.total_items, 256);
    assert_eq!(page.pagination.total_pages, 3);
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
    assert_eq!(row.total_lines_added, 120);
    assert_eq!(row.non_ai_lines_deleted, 3);
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
    let change = &page.items[0];
    assert_eq!(change.change_id, "chg_abc123");
    assert_eq!(change.user_id, "550e8400-e29b-41d4-a716-446655440000");
    assert_eq!(change.user_email.as_deref(), Some("zhangsan@example.com"));
    assert_eq!(change.source, Source::Agent);
    assert_eq!(change.model, Some(ModelLevel::Efficient));
    assert_eq!(change.total_lines_added, 45);
    assert_eq!(change.total_lines_deleted, 12);
    let files: Vec<(&str, &str, i64, i64)> = change
        .metadata
        .iter()
        .flatten()
        .map(|f| {
            (
                f.file_name.as_str(),
                f.file_extension.as_str(),
                f.lines_added,
                f.lines_deleted,
            )
        })
        .collect();
    assert_eq!(
        files,
        [("main.go", ".go", 30, 8), ("utils.go", ".go", 15, 4)]
    );
    assert_eq!(
        change.created_at,
        Utc.with_ymd_and_hms(2025, 6, 15, 10, 28, 0).unwrap()
    );
    assert_eq!(page.pagination.total_items, 1024);
    assert_eq!(page.pagination.total_pages, 11);
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
    assert_eq!(page.items[0].source, Source::InlineChat);
    assert_eq!(page.items[0].model, None);
    assert_eq!(page.items[0].metadata, None);
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
    assert_eq!(row.source, Source::Agent);
    assert_eq!(row.model, Some(ModelLevel::Efficient));
    assert_eq!((row.total_lines_added, row.total_lines_deleted), (45, 12));
    assert_eq!(
        row.created_at,
        Utc.with_ymd_and_hms(2025, 6, 15, 10, 28, 0).unwrap()
    );
}
