//! GitCode wire tests: for every operation, the exact request the client sends
//! (method, path, query, auth header, body) against a mock server on 127.0.0.1,
//! answered with the spec's example, decoded and spot-checked. The documentation's
//! curl demos are the reference requests (with its `pre_page` typo fixed).

use dev_platform_tests::wire::{Recorder, client_for, header, path_and_query};
use gitcode_api::Client;
use gitcode_api::types::{
    CreateRepoRequest, EnterpriseRole, EnterpriseRoleAssignment, InviteOrgMemberRequest,
    MemberPermission, MemberRoleFilter, OrgRole, RepoTypeFilter, UpdateEnterpriseMemberRoleRequest,
    UpdateOrgRequest, Visibility,
};
use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

const TOKEN: &str = "gc-test-token-5f1d";

/// A mock answering with the spec's 200 example for `operation_id`.
async fn answering_example(operation_id: &str) -> Recorder {
    Recorder::example("gitcode", operation_id).await
}

fn client(recorder: &Recorder) -> Client {
    client_for(recorder, TOKEN)
}

/// The request line, the auth header and the headers every request carries.
fn assert_request(request: &Request, method: &str, expected_path_and_query: &str) {
    assert_eq!(request.method.as_str(), method);
    assert_eq!(path_and_query(request), expected_path_and_query);
    assert_eq!(header(request, "private-token"), Some(TOKEN));
    assert_eq!(header(request, "authorization"), None);
    assert_eq!(
        header(request, "api-version"),
        None,
        "progenitor's api-version header is stripped"
    );
    assert_eq!(
        header(request, "user-agent"),
        // gitcode-api's own version (not this test crate's).
        Some(<gitcode_api::Client as dev_platform_runtime::Provider>::USER_AGENT)
    );
    assert!(
        !request.url.as_str().contains(TOKEN),
        "the token is never in the URL"
    );
}

fn assert_no_body(request: &Request) {
    assert!(
        request.body.is_empty(),
        "unexpected body: {:?}",
        String::from_utf8_lossy(&request.body)
    );
}

fn assert_json_body(request: &Request, expected: Value) {
    assert_eq!(header(request, "content-type"), Some("application/json"));
    let sent: Value = serde_json::from_slice(&request.body).expect("a JSON body");
    assert_eq!(sent, expected);
}

#[tokio::test]
async fn list_user_orgs() {
    let mock = answering_example("list_user_orgs").await;
    let orgs = client(&mock)
        .list_user_orgs()
        .username("user1")
        .send()
        .await
        .unwrap();
    let request = mock.only_request().await;
    assert_request(&request, "GET", "/users/user1/orgs");
    assert_no_body(&request);
    assert_eq!(orgs.len(), 1);
    assert_eq!(orgs[0].id, 133039);
    assert_eq!(orgs[0].login, "openharmony");
    assert_eq!(orgs[0].avatar_url, None);
    assert_eq!(orgs[0].follow_count, Some(3));
    assert!(
        orgs[0]
            .description
            .as_deref()
            .is_some_and(|text| text.starts_with("OpenHarmony是由开放原子开源基金会"))
    );
}

#[tokio::test]
async fn list_user_orgs_with_paging() {
    let mock = answering_example("list_user_orgs").await;
    client(&mock)
        .list_user_orgs()
        .username("user1")
        .page(2)
        .per_page(100)
        .send()
        .await
        .unwrap();
    assert_request(
        &mock.only_request().await,
        "GET",
        "/users/user1/orgs?page=2&per_page=100",
    );
}

#[tokio::test]
async fn list_my_orgs() {
    let mock = answering_example("list_my_orgs").await;
    let orgs = client(&mock)
        .list_my_orgs()
        .admin(true)
        .send()
        .await
        .unwrap();
    assert_request(&mock.only_request().await, "GET", "/users/orgs?admin=true");
    assert_eq!(orgs[0].path.as_deref(), Some("openharmony"));
    assert_eq!(orgs[0].name.as_deref(), Some("OpenHarmony"));
}

#[tokio::test]
async fn get_org_member() {
    let mock = answering_example("get_org_member").await;
    let membership = client(&mock)
        .get_org_member()
        .org("xiaogang_test")
        .username("xiapgang")
        .send()
        .await
        .unwrap();
    assert_request(
        &mock.only_request().await,
        "GET",
        "/orgs/xiaogang_test/members/xiapgang",
    );
    assert_eq!(membership.id, 133039);
    assert_eq!(membership.user.id, "64dc3b13b8b9504cec223ab1");
    assert_eq!(membership.user.login, "theo6789");
    assert_eq!(membership.role, None);
}

#[tokio::test]
async fn get_org() {
    let mock = answering_example("get_org").await;
    let org = client(&mock)
        .get_org()
        .org("xiaogang_test")
        .send()
        .await
        .unwrap();
    assert_request(&mock.only_request().await, "GET", "/orgs/xiaogang_test");
    assert_eq!(org.id, 6486504);
    assert_eq!(org.enterprise.as_deref(), Some("openharmony"));
    assert_eq!(org.follow_count, Some(40819));
    assert_eq!(org.gitee.as_ref().and_then(|g| g.follows), Some(43454));
    assert_eq!(
        org.members_url.as_deref(),
        Some("https://api.gitcode.com/openharmony/members{/member}")
    );
    assert!(
        org.description
            .as_deref()
            .is_some_and(|text| text.ends_with("\r\n"))
    );
}

#[tokio::test]
async fn list_org_repos() {
    let mock = answering_example("list_org_repos").await;
    let repos = client(&mock)
        .list_org_repos()
        .org("xiaogang_test")
        .type_(RepoTypeFilter::Private)
        .page(1)
        .per_page(20)
        .send()
        .await
        .unwrap();
    assert_request(
        &mock.only_request().await,
        "GET",
        "/orgs/xiaogang_test/repos?page=1&per_page=20&type=private",
    );
    let repo = &repos[0];
    assert_eq!(repo.full_name, "openharmony/.gitee");
    let namespace = repo.namespace.as_ref().unwrap();
    assert_eq!(namespace.type_.as_deref(), Some("group"));
    assert_eq!(repo.forks_count, Some(4));
    assert_eq!(repo.license, None);
    assert_eq!(repo.status.as_deref(), Some("开始"));
    // `2024-02-06T18:25:26+08:00` is 10:25:26 UTC.
    assert_eq!(
        repo.pushed_at.unwrap().to_rfc3339(),
        "2024-02-06T10:25:26+00:00"
    );
}

#[tokio::test]
async fn create_org_repo() {
    let mock = answering_example("create_org_repo").await;
    let body = CreateRepoRequest::builder().name("test");
    let repo = client(&mock)
        .create_org_repo()
        .org("xiaogang_test")
        .body(body)
        .send()
        .await
        .unwrap();
    let request = mock.only_request().await;
    assert_request(&request, "POST", "/orgs/xiaogang_test/repos");
    // Only what the user set is sent, as in the documentation's demo.
    assert_json_body(&request, json!({ "name": "test" }));
    assert_eq!(repo.id, 34171993);
    assert_eq!(
        repo.human_name.as_deref(),
        Some("daming/test_create_project_2")
    );
    assert_eq!(repo.visibility, Some(Visibility::Public));
    let namespace = repo.namespace.as_ref().unwrap();
    assert_eq!(namespace.visibility_level, Some(20));
    assert_eq!(namespace.parent_id, None);
    assert_eq!(repo.owner, None);
    assert_eq!(repo.homepage.as_deref(), Some("http://www.baidi.com"));
}

#[tokio::test]
async fn create_org_repo_with_every_field() {
    let mock = answering_example("create_org_repo").await;
    let body = CreateRepoRequest::builder()
        .name("sdk")
        .description(Some("描述".to_owned()))
        .homepage(Some("https://example.com".to_owned()))
        .has_issues(Some(false))
        .has_wiki(Some(true))
        .can_comment(Some(false))
        .public(Some(2.try_into().unwrap()))
        .private(Some(true))
        .auto_init(Some(true))
        .gitignore_template(Some("Rust".to_owned()))
        .license_template(Some("MIT".to_owned()))
        .path(Some("sdk-path".to_owned()))
        .default_branch(Some("trunk".to_owned()));
    client(&mock)
        .create_org_repo()
        .org("o")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_json_body(
        &mock.only_request().await,
        json!({
            "name": "sdk", "description": "描述", "homepage": "https://example.com",
            "has_issues": false, "has_wiki": true, "can_comment": false, "public": 2,
            "private": true, "auto_init": true, "gitignore_template": "Rust",
            "license_template": "MIT", "path": "sdk-path", "default_branch": "trunk"
        }),
    );
}

#[test]
fn repo_visibility_level_rejects_undocumented_values() {
    use gitcode_api::types::RepoVisibilityLevel;
    assert!(RepoVisibilityLevel::try_from(3).is_err());
    assert_eq!(*RepoVisibilityLevel::try_from(0).unwrap(), 0);
}

#[tokio::test]
async fn get_enterprise_member() {
    let mock = answering_example("get_enterprise_member").await;
    let member = client(&mock)
        .get_enterprise_member()
        .enterprise("go-tribe")
        .username("dengmengmian")
        .send()
        .await
        .unwrap();
    assert_request(
        &mock.only_request().await,
        "GET",
        "/enterprises/go-tribe/members/dengmengmian",
    );
    // The id is a string here ...
    assert_eq!(member.user.id, "268");
    assert_eq!(member.user.id, 268);
    assert_eq!(member.role, Some(EnterpriseRole::Admin));
    assert_eq!(member.enterprise.as_ref().map(|e| e.id), Some(0));
}

#[tokio::test]
async fn update_enterprise_member_role() {
    let mock = answering_example("update_enterprise_member_role").await;
    let member = client(&mock)
        .update_enterprise_member_role()
        .enterprise("litestabc")
        .username("malongge5")
        .body(
            UpdateEnterpriseMemberRoleRequest::builder().role(EnterpriseRoleAssignment::Developer),
        )
        .send()
        .await
        .unwrap();
    let request = mock.only_request().await;
    assert_request(&request, "PUT", "/enterprises/litestabc/members/malongge5");
    assert_json_body(&request, json!({ "role": "developer" }));
    // ... and an integer here: the same type, comparable either way.
    assert_eq!(member.user.id, 953);
    assert_eq!(member.user.id.to_string(), "953");
    // The role table does not list `member`, yet the API answers it.
    assert_eq!(member.role, Some(EnterpriseRole::Member));
}

#[tokio::test]
async fn get_my_org_membership() {
    let mock = answering_example("get_my_org_membership").await;
    let membership = client(&mock)
        .get_my_org_membership()
        .org("go-tribe")
        .send()
        .await
        .unwrap();
    assert_request(
        &mock.only_request().await,
        "GET",
        "/user/memberships/orgs/go-tribe",
    );
    assert_eq!(membership.role, Some(OrgRole::Admin));
    assert_eq!(membership.active, Some(true));
    assert_eq!(
        membership.organization.as_ref().map(|o| o.login.as_str()),
        Some("Go-Tribe")
    );
    assert_eq!(membership.user.name.as_deref(), Some("麻凡"));
}

#[tokio::test]
async fn list_org_members() {
    let mock = answering_example("list_org_members").await;
    let members = client(&mock)
        .list_org_members()
        .org("go-tribe")
        .page(1)
        .per_page(10)
        .role(MemberRoleFilter::All)
        .send()
        .await
        .unwrap();
    assert_request(
        &mock.only_request().await,
        "GET",
        "/orgs/go-tribe/members?page=1&per_page=10&role=all",
    );
    assert_eq!(members[0].id, 268);
    assert_eq!(members[0].member_role, Some(OrgRole::Admin));
    assert_eq!(members[0].type_.as_deref(), Some("User"));
}

#[tokio::test]
async fn list_enterprise_members() {
    let mock = answering_example("list_enterprise_members").await;
    let members = client(&mock)
        .list_enterprise_members()
        .enterprise("go-tribe")
        .page(1)
        .per_page(10)
        .role(MemberRoleFilter::All)
        .send()
        .await
        .unwrap();
    assert_request(
        &mock.only_request().await,
        "GET",
        "/enterprises/go-tribe/members?page=1&per_page=10&role=all",
    );
    assert_eq!(
        members[0].user.url.as_deref(),
        Some("https://api.gitcode.com/api/v5/dengmengmian")
    );
    assert_eq!(members[0].enterprise, None);
}

#[tokio::test]
async fn remove_org_member_accepts_an_empty_object() {
    let mock = Recorder::json(json!({})).await;
    client(&mock)
        .remove_org_member()
        .org("tiandi")
        .username("yinlin")
        .send()
        .await
        .unwrap();
    let request = mock.only_request().await;
    assert_request(&request, "DELETE", "/orgs/tiandi/memberships/yinlin");
    assert_no_body(&request);
}

#[tokio::test]
async fn remove_org_member_accepts_an_empty_body() {
    let mock = Recorder::answering(ResponseTemplate::new(200)).await;
    client(&mock)
        .remove_org_member()
        .org("tiandi")
        .username("yinlin")
        .send()
        .await
        .unwrap();
    let mock = Recorder::answering(ResponseTemplate::new(204)).await;
    client(&mock)
        .remove_org_member()
        .org("tiandi")
        .username("yinlin")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn list_org_followers() {
    let mock = answering_example("list_org_followers").await;
    let followers = client(&mock)
        .list_org_followers()
        .owner("xiaogang_test")
        .send()
        .await
        .unwrap();
    assert_request(
        &mock.only_request().await,
        "GET",
        "/orgs/xiaogang_test/followers",
    );
    assert_eq!(followers[0].login, "xiaogang");
    assert_eq!(
        followers[0]
            .watch_at
            .unwrap()
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "2024-11-13T08:15:53.287Z"
    );
}

#[tokio::test]
async fn get_org_issue_extend_settings() {
    let mock = answering_example("get_org_issue_extend_settings").await;
    let settings = client(&mock)
        .get_org_issue_extend_settings()
        .org("openharmony")
        .send()
        .await
        .unwrap();
    assert_request(
        &mock.only_request().await,
        "GET",
        "/orgs/openharmony/issue/extend/settings",
    );
    assert_eq!(settings.len(), 2);
    assert_eq!(settings[0].type_name.as_deref(), Some("需求"));
    assert_eq!(settings[0].status.as_ref().unwrap()[1].status_id, 20);
    assert_eq!(settings[1].type_id, 36138);
    assert_eq!(
        settings[1].status.as_ref().unwrap()[1].gitcode_issue_status,
        Some(1)
    );
}

#[tokio::test]
async fn invite_org_member() {
    let mock = answering_example("invite_org_member").await;
    let member = client(&mock)
        .invite_org_member()
        .org("xiaogang_test")
        .username("xiaogang2")
        .body(InviteOrgMemberRequest::builder().permission(Some(MemberPermission::Push)))
        .send()
        .await
        .unwrap();
    let request = mock.only_request().await;
    assert_request(
        &request,
        "POST",
        "/orgs/xiaogang_test/memberships/xiaogang2",
    );
    assert_json_body(&request, json!({ "permission": "push" }));
    assert_eq!(member.id, "65ffca965079ba0d1c00f6f2");
    let permissions = member.into_inner().permissions.unwrap();
    assert_eq!(
        (
            permissions.customized,
            permissions.push,
            permissions.pull,
            permissions.admin
        ),
        (Some(true), Some(true), Some(true), Some(false))
    );
}

#[tokio::test]
async fn invite_org_member_with_a_custom_role() {
    let mock = answering_example("invite_org_member").await;
    client(&mock)
        .invite_org_member()
        .org("o")
        .username("u")
        .body(
            InviteOrgMemberRequest::builder()
                .permission(Some(MemberPermission::Customized))
                .role_id(Some("42".to_owned())),
        )
        .send()
        .await
        .unwrap();
    assert_json_body(
        &mock.only_request().await,
        json!({ "permission": "customized", "role_id": "42" }),
    );
}

#[tokio::test]
async fn update_org_sends_json_as_the_reference_documents() {
    let mock = answering_example("update_org").await;
    let profile = client(&mock)
        .update_org()
        .org("test444")
        .body(UpdateOrgRequest::builder().name(Some("组织".to_owned())))
        .send()
        .await
        .unwrap();
    let request = mock.only_request().await;
    assert_request(&request, "PATCH", "/orgs/test444");
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_json_body(&request, json!({ "name": "组织" }));
    assert_eq!(profile.id, 138108);
    assert_eq!(profile.path, "xiaogang444");
    assert_eq!(profile.location, None);
}

#[tokio::test]
async fn update_org_sends_every_field() {
    let mock = answering_example("update_org").await;
    let body = UpdateOrgRequest::builder()
        .name(Some("n".to_owned()))
        .email(Some("a@b.c".to_owned()))
        .location(Some("Shenzhen".to_owned()))
        .description(Some("d e".to_owned()))
        .html_url(Some("https://x.y".to_owned()));
    client(&mock)
        .update_org()
        .org("o")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_json_body(
        &mock.only_request().await,
        json!({
            "description": "d e",
            "email": "a@b.c",
            "html_url": "https://x.y",
            "location": "Shenzhen",
            "name": "n",
        }),
    );
}

#[tokio::test]
async fn leave_org_accepts_an_empty_body_and_an_empty_object() {
    let mock = Recorder::answering(ResponseTemplate::new(204)).await;
    client(&mock)
        .leave_org()
        .org("xiaogang_test")
        .send()
        .await
        .unwrap();
    let request = mock.only_request().await;
    assert_request(&request, "DELETE", "/user/memberships/orgs/xiaogang_test");
    assert_no_body(&request);
    let mock = Recorder::json(json!({})).await;
    client(&mock)
        .leave_org()
        .org("xiaogang_test")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn an_upload_sends_its_file_as_a_multipart_form_and_refuses_one_without_it() {
    use dev_platform_runtime::{FilePart, Multipart};
    // The spec-checking mock: it refuses a malformed form or a missing part.
    let mock = Recorder::spec_mock("gitcode").await;
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("notes.txt");
    std::fs::write(&path, "release notes\r\n--not-a-boundary\r\n").unwrap();
    let stored = client(&mock)
        .upload_repo_file()
        .owner("openharmony")
        .repo("docs")
        .body(Multipart::new().file("file", FilePart::open(&path).await.unwrap()))
        .send()
        .await
        .unwrap();
    assert!(stored.path.starts_with("uploads/"), "{stored:?}");
    let request = mock.only_request().await;
    assert_request(&request, "POST", "/repos/openharmony/docs/file/upload");
    let content_type = header(&request, "content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let body = String::from_utf8(request.body.clone()).unwrap();
    assert_eq!(
        body,
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n\
             Content-Type: application/octet-stream\r\n\r\nrelease notes\r\n--not-a-boundary\r\n\
             \r\n--{boundary}--\r\n"
        )
    );

    // Without its required part: refused before anything is sent.
    let mock = Recorder::spec_mock("gitcode").await;
    let error = client(&mock)
        .upload_repo_file()
        .owner("openharmony")
        .repo("docs")
        .body(Multipart::new().text("comment", "no file"))
        .send()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("lacks its required part `file`"),
        "{error}"
    );
    assert!(mock.requests().await.is_empty());
}

#[tokio::test]
async fn an_operation_under_v8_goes_beside_v5_with_the_same_token() {
    let mock = Recorder::spec_mock("gitcode").await;
    let roles = client(&mock)
        .list_enterprise_custom_roles()
        .enterprise_id("10089084")
        .send()
        .await
        .unwrap();
    assert_eq!(roles[0].id, "64e5ed8f7e20aa73efcbc302");
    let request = mock.only_request().await;
    assert_eq!(
        request.url.path(),
        "/api/v8/enterprise/10089084/customized_roles"
    );
    assert_eq!(header(&request, "private-token"), Some(TOKEN));

    // A base URL whose path does not end with /api/v5: nothing is sent.
    let elsewhere = Recorder::json(json!([])).await;
    let client = gitcode_api::Client::builder()
        .token(TOKEN)
        .base_url(format!("{}/gitcode", elsewhere.uri()))
        .build()
        .unwrap();
    let error = client
        .list_enterprise_custom_roles()
        .enterprise_id("1")
        .send()
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("does not end with `/api/v5`"),
        "{error}"
    );
    assert!(elsewhere.requests().await.is_empty());
}

#[tokio::test]
async fn a_file_at_a_commit_comes_from_the_raw_host_without_the_token() {
    let mock = Recorder::spec_mock("gitcode").await;
    let answer = client(&mock)
        .get_repo_raw_file_at_commit()
        .owner("openharmony")
        .repo("docs")
        .head_sha("5d165dae3b073d3e92ca91c3edcb21994361462c")
        .name("docs/README.md")
        .send()
        .await
        .unwrap();
    let chunks: Vec<_> = futures_util::TryStreamExt::try_collect(answer.into_inner().into_inner())
        .await
        .unwrap();
    assert!(chunks.concat().starts_with(b"# docs"), "{chunks:?}");
    let request = mock.only_request().await;
    // At the host's root (raw.gitcode.com's path), not under /api/v5, the
    // file path's slashes kept.
    assert_eq!(
        request.url.path(),
        "/openharmony/docs/raw/5d165dae3b073d3e92ca91c3edcb21994361462c/docs/README.md"
    );
    assert_eq!(header(&request, "private-token"), None);
    assert_eq!(header(&request, "authorization"), None);
    assert!(request.url.query().is_none());
}
