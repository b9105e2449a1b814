//! The programmable mock from a user's side, through the public API only: the
//! typed `mock` module of each provider crate (typed matchers and answers,
//! sequences, expectations, faults, pages, CSV rows) and the generic
//! `dev_platform_mock` answers it derefs to.

use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use dev_platform_runtime::{Error, RetryPolicy};
use futures_util::TryStreamExt;
use serde_json::json;

fn gitcode_member(n: u64) -> gitcode_api::types::OrgMember {
    gitcode_api::types::OrgMember::builder()
        .id(n)
        .login(format!("user{n}"))
        .name(Some(format!("成员{n}")))
        .try_into()
        .unwrap()
}

#[tokio::test]
async fn a_programmed_404_for_one_organization_and_the_example_for_the_others() {
    let mock = gitcode_api::mock::MockServer::start().await.unwrap();
    let missing = mock
        .get_org(|when, then| {
            when.org("no-such-org");
            then.error(404, "404 Not Found Group");
        })
        .expect(1);
    let client = mock.client();
    match client.get_org().org("no-such-org").send().await {
        Err(Error::Api(api)) => {
            assert_eq!(api.status, 404);
            assert_eq!(api.body.message(), Some("404 Not Found Group"));
        }
        other => panic!("expected the programmed 404, got {other:?}"),
    }
    // Another organization: the documented example.
    let org = client.get_org().org("openharmony").send().await.unwrap();
    assert_eq!(org.login, "openharmony");
    assert_eq!(missing.hits(), 1);
    missing.assert();
}

#[tokio::test]
async fn a_typed_answer_is_what_the_client_decodes() {
    let mock = gitcode_api::mock::MockServer::start().await.unwrap();
    let members = vec![gitcode_member(7), gitcode_member(8)];
    mock.list_org_members(|when, then| {
        when.org("openharmony")
            .role(gitcode_api::types::MemberRoleFilter::Admin);
        then.ok(&members);
    });
    let client = mock.client();
    let answer = client
        .list_org_members()
        .org("openharmony")
        .role(gitcode_api::types::MemberRoleFilter::Admin)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.into_inner(), members);
    // Without the role: not this answer, the documented example.
    let example = client
        .list_org_members()
        .org("openharmony")
        .send()
        .await
        .unwrap();
    assert_eq!(example[0].login, "dengmengmian");
}

#[tokio::test]
async fn a_429_with_retry_after_then_a_success_is_retried_by_the_client() {
    let mock = devin_api::mock::MockServer::start().await.unwrap();
    let member = devin_api::types::Member::builder()
        .email("ada@example.com")
        .try_into()
        .unwrap();
    let list: devin_api::types::MemberList = devin_api::types::MemberList::builder()
        .members(Some(vec![member]))
        .try_into()
        .unwrap();
    let members = mock
        .list_members(|_, then| {
            then.error(429, "slow down")
                .code("rate_limited")
                .retry_after(Duration::ZERO);
            then.ok(&list);
        })
        .expect(2);
    let answer = mock.client().list_members().send().await.unwrap();
    assert_eq!(answer.members.as_ref().unwrap()[0].email, "ada@example.com");
    members.assert();
    // The first answer carried the header and the provider's error shape.
    let received = mock.received();
    assert_eq!(received.len(), 2);
    assert!(
        received
            .iter()
            .all(|request| request.operation.as_deref() == Some("list_members"))
    );
}

#[tokio::test]
async fn the_last_answer_repeats_and_errors_carry_the_code_given() {
    // Qoder's errors have a code and a message.
    let mock = qoder_api::mock::MockServer::start().await.unwrap();
    mock.get_ai_code_overview(|_, then| {
        then.error(403, "no access").code("Forbidden");
    });
    let client = qoder_api::Client::builder()
        .token("t")
        .base_url(mock.base_url())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    for _ in 0..3 {
        let answer = client
            .get_ai_code_overview()
            .organization_id("org_1")
            .start_date(1_748_736_000_000_i64)
            .end_date(1_749_000_000_000_i64)
            .send()
            .await;
        match answer {
            Err(Error::Api(api)) => {
                assert_eq!(api.status, 403);
                assert_eq!(api.body.message(), Some("no access"));
                assert_eq!(api.body.code(), Some("Forbidden"));
            }
            other => panic!("expected the programmed 403, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_users_own_items_are_served_page_by_page_in_each_style() {
    // GitCode: bare arrays, `page`/`per_page`, ends on a short page.
    let gitcode = gitcode_api::mock::MockServer::start().await.unwrap();
    let members: Vec<_> = (1..=1_000).map(gitcode_member).collect();
    gitcode.list_org_members(|when, then| {
        when.org("openharmony");
        then.pages(&members);
    });
    let streamed: Vec<_> = gitcode
        .client()
        .list_org_members()
        .org("openharmony")
        .per_page(100)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, members);
    // Ten full pages and the empty eleventh.
    assert_eq!(gitcode.received().len(), 11);

    // Qoder: the `{success, data}` envelope, `pagination.totalPages`.
    let qoder = qoder_api::mock::MockServer::start().await.unwrap();
    let commits: Vec<qoder_api::types::TrackedCommit> = (0..250)
        .map(|n| {
            qoder_api::types::TrackedCommit::builder()
                .commit_hash(format!("{n:040x}"))
                .total_lines_added(Some(n))
                .try_into()
                .unwrap()
        })
        .collect();
    qoder.list_tracked_commits(|_, then| {
        then.pages(&commits);
    });
    let streamed: Vec<_> = qoder
        .client()
        .list_tracked_commits()
        .organization_id("org_1")
        .start_date(1_748_736_000_000_i64)
        .page_size(100)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, commits);
    assert_eq!(qoder.received().len(), 3, "stops at totalPages");

    // Devin: `offset`/`limit`, ends on an empty page.
    let devin = devin_api::mock::MockServer::start().await.unwrap();
    let sessions: Vec<devin_api::types::SessionInsight> = (0..120)
        .map(|n| {
            devin_api::types::SessionInsight::builder()
                .id(format!("devin-{n}"))
                .try_into()
                .unwrap()
        })
        .collect();
    devin.list_session_insights(|_, then| {
        then.pages(&sessions);
    });
    let streamed: Vec<_> = devin
        .client()
        .list_session_insights()
        .limit(50)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, sessions);
    // 50, 50 and 20 sessions, each page saying whether more follow: the
    // short third ends it, with no empty fourth asked for.
    assert_eq!(devin.received().len(), 3, "stops where has_more is false");

    // Qoder's members: `maxResults`/`nextToken`, ends on an empty cursor.
    let qoder = qoder_api::mock::MockServer::start().await.unwrap();
    let members: Vec<qoder_api::types::Member> = (0..45)
        .map(|n| {
            qoder_api::types::Member::builder()
                .id(format!("member_{n}"))
                .try_into()
                .unwrap()
        })
        .collect();
    qoder.list_members(|_, then| {
        then.pages(&members);
    });
    let streamed: Vec<_> = qoder
        .client()
        .list_members()
        .organization_id("org_1")
        .max_results(20)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, members);
    assert_eq!(
        qoder.received().len(),
        3,
        "20, 20, 5: the last gives no cursor"
    );
}

#[tokio::test]
async fn a_csv_export_of_typed_rows_reads_back_as_those_rows() {
    let mock = qoder_api::mock::MockServer::start().await.unwrap();
    let rows: Vec<qoder_api::types::TrackedCommitCsvRow> = (0..3)
        .map(|n| {
            qoder_api::types::TrackedCommitCsvRow::builder()
                .commit_hash(format!("{n:040x}"))
                .user_name(Some(format!("用户{n}")))
                .total_lines_added((n != 1).then_some(i64::from(n) * 10))
                .try_into()
                .unwrap()
        })
        .collect();
    mock.export_tracked_commits(|_, then| {
        then.csv(&rows);
    });
    let read: Vec<_> = mock
        .client()
        .export_tracked_commits()
        .organization_id("org_1")
        .start_date(1_748_736_000_000_i64)
        .csv()
        .await
        .unwrap()
        .rows()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(read, rows);
    assert_eq!(read[1].total_lines_added, None, "an empty cell stays None");
}

#[tokio::test]
async fn a_typed_body_matcher_answers_only_that_body() {
    let mock = devin_api::mock::MockServer::start().await.unwrap();
    let platform = mock
        .create_organization(|when, then| {
            when.body(
                devin_api::types::CreateOrganizationRequest::builder().display_name("Platform"),
            );
            then.error(409, "the name is taken");
        })
        .expect(1);
    let client = mock.client();
    let taken = client
        .create_organization()
        .body(devin_api::types::CreateOrganizationRequest::builder().display_name("Platform"))
        .send()
        .await;
    assert!(matches!(taken, Err(Error::Api(api)) if api.status == 409));
    let other = client
        .create_organization()
        .body(devin_api::types::CreateOrganizationRequest::builder().display_name("Research"))
        .send()
        .await;
    assert!(other.is_ok(), "{other:?}");
    platform.assert();
}

#[tokio::test]
async fn faults_a_delay_a_reset_and_a_truncated_body() {
    let mock = gitcode_api::mock::MockServer::start().await.unwrap();
    mock.get_org(|when, then| {
        when.org("slow");
        then.example().delay(Duration::from_secs(5));
    });
    mock.get_org(|when, then| {
        when.org("reset");
        then.reset();
    });
    mock.get_org(|when, then| {
        when.org("cut");
        then.example().truncate(10);
    });
    let client = gitcode_api::Client::builder()
        .token("t")
        .base_url(mock.base_url())
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let started = Instant::now();
    let slow = client.get_org().org("slow").send().await;
    assert!(matches!(slow, Err(Error::Timeout(_))), "{slow:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    let reset = client.get_org().org("reset").send().await;
    assert!(matches!(reset, Err(Error::Network(_))), "{reset:?}");
    let cut = client.get_org().org("cut").send().await;
    assert!(
        matches!(cut, Err(Error::Network(_) | Error::Decode { .. })),
        "{cut:?}"
    );
    // The server still answers afterwards.
    assert!(client.get_org().org("openharmony").send().await.is_ok());
}

#[tokio::test]
async fn raw_bytes_are_answered_as_given() {
    let mock = gitcode_api::mock::MockServer::start().await.unwrap();
    mock.get_org(|_, then| {
        then.raw(502, "text/html", "<html><body>Bad Gateway</body></html>");
    });
    let client = gitcode_api::Client::builder()
        .token("t")
        .base_url(mock.base_url())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    match client.get_org().org("openharmony").send().await {
        Err(Error::Api(api)) => assert_eq!(api.status, 502),
        other => panic!("expected the 502, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unmet_expectation_names_the_operation_and_what_was_received() {
    let mock = gitcode_api::mock::MockServer::start().await.unwrap();
    let expected = mock
        .get_org(|when, then| {
            when.org("no-such-org");
            then.error(404, "404 Not Found Group");
        })
        .expect(1);
    mock.client()
        .get_org()
        .org("openharmony")
        .send()
        .await
        .unwrap();
    let message = expected.check().unwrap_err();
    assert!(
        message.contains("`get_org` (org = \"no-such-org\")"),
        "{message}"
    );
    assert!(
        message.contains("expected 1 time and answered 0 times"),
        "{message}"
    );
    assert!(
        message.contains("GET /api/v5/orgs/openharmony"),
        "{message}"
    );
    // Dropping the server checks it too.
    let dropped = std::panic::catch_unwind(AssertUnwindSafe(|| drop(mock)));
    let panic = dropped.unwrap_err();
    let text = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(text.contains("`get_org`"), "{text}");
}

#[tokio::test]
async fn an_expectation_message_never_shows_a_query_token() {
    let mock = gitcode_api::mock::MockServer::start().await.unwrap();
    let expected = mock
        .get_org(|when, _| {
            when.org("no-such-org");
        })
        .expect(1);
    let secret = "query-secret-4f1d";
    gitcode_api::Client::builder()
        .token(secret)
        .token_placement(gitcode_api::client::ACCESS_TOKEN_QUERY)
        .base_url(mock.base_url())
        .build()
        .unwrap()
        .get_org()
        .org("openharmony")
        .send()
        .await
        .unwrap();
    let message = expected.check().unwrap_err();
    assert!(!message.contains(secret), "{message}");
    assert!(
        message.contains("GET /api/v5/orgs/openharmony?access_token=<redacted>"),
        "{message}"
    );
    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| drop(mock)));
}

#[tokio::test]
async fn a_met_expectation_and_none_at_all_drop_quietly() {
    let mock = gitcode_api::mock::MockServer::start().await.unwrap();
    let once = mock.leave_org(|_, then| {
        then.ok();
    });
    let once = once.expect(1);
    mock.client().leave_org().org("o").send().await.unwrap();
    once.assert();
    mock.verify();
}

#[test]
#[should_panic(expected = "has no parameter `orgg`")]
fn a_misspelt_parameter_is_refused_at_once() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mock = runtime
        .block_on(dev_platform_mock::MockServer::start(
            dev_platform_mock::Provider::Gitcode,
        ))
        .unwrap();
    mock.mock("get_org", |when, _| {
        when.param("orgg", "x");
    });
}

#[tokio::test]
async fn the_generic_answers_take_json_for_any_operation() {
    let mock = dev_platform_mock::MockServer::start(dev_platform_mock::Provider::Qoder)
        .await
        .unwrap();
    mock.mock("get_ai_code_overview", |when, then| {
        when.param("organization_id", "org_1");
        then.ok_json(json!({"aiShareRate": 42.5}));
    });
    let overview = qoder_api::Client::builder()
        .token("t")
        .base_url(mock.base_url())
        .build()
        .unwrap()
        .get_ai_code_overview()
        .organization_id("org_1")
        .start_date(1_748_736_000_000_i64)
        .end_date(1_749_000_000_000_i64)
        .send()
        .await
        .unwrap();
    assert_eq!(overview.ai_share_rate, Some(42.5));
}
