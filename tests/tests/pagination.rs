//! Auto-pagination, generated from each spec's `x-pagination`, in the four
//! styles of our providers, against a mock server that pages like the real
//! one: several pages, an empty last page, a server that changes the page
//! size, the cap, prefetching, and an error in the middle.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use dev_platform_runtime::pagination::{PagingError, Position};
use dev_platform_tests::spec::Spec;
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "paging-secret-77aa";

/// A mock answering each request with `page(query)`.
async fn paging(page: impl Fn(&Request) -> ResponseTemplate + Send + Sync + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(page).mount(&server).await;
    server
}

fn query(request: &Request, name: &str) -> Option<u64> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .and_then(|(_, value)| value.parse().ok())
}

fn query_text(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

async fn sent(server: &MockServer, name: &str) -> Vec<Option<u64>> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|request| query(request, name))
        .collect()
}

/// `count` copies of `item` with `key` set to `item-<n>`, `n` from `first`.
fn items(item: &Value, key: &str, first: u64, count: u64) -> Vec<Value> {
    (first..first + count)
        .map(|n| {
            let mut item = item.clone();
            item[key] = json!(format!("item-{n}"));
            item
        })
        .collect()
}

#[tokio::test]
async fn gitcode_pages_until_a_short_or_empty_page() {
    let member = Spec::load("gitcode").response_example("list_org_members", "200")[0].clone();
    // 5 members, 2 per page: pages of 2, 2 and 1 (short: the last).
    let template = member.clone();
    let server = paging(move |request| {
        let page = query(request, "page").unwrap();
        let size = query(request, "per_page").unwrap();
        let start = (page - 1) * size;
        let count = 5u64.saturating_sub(start).min(size);
        ResponseTemplate::new(200).set_body_json(items(&template, "login", start, count))
    })
    .await;
    let client: gitcode_api::Client = client_at(&server);
    let logins: Vec<String> = client
        .list_org_members()
        .org("o")
        .per_page(2)
        .stream()
        .map_ok(|member| member.login)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(logins, ["item-0", "item-1", "item-2", "item-3", "item-4"]);
    assert_eq!(sent(&server, "page").await, [Some(1), Some(2), Some(3)]);
    assert_eq!(sent(&server, "per_page").await, [Some(2); 3]);

    // 4 members, 2 per page: the third page is empty and ends the stream.
    let template = member.clone();
    let server = paging(move |request| {
        let page = query(request, "page").unwrap();
        let count = if page <= 2 { 2 } else { 0 };
        ResponseTemplate::new(200).set_body_json(items(&template, "login", (page - 1) * 2, count))
    })
    .await;
    let client: gitcode_api::Client = client_at(&server);
    let all: Vec<_> = client
        .list_org_members()
        .org("o")
        .per_page(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(sent(&server, "page").await, [Some(1), Some(2), Some(3)]);
}

#[tokio::test]
async fn gitcode_sends_the_documented_page_size_when_unset_and_starts_at_the_builders_page() {
    let member = Spec::load("gitcode").response_example("list_org_members", "200")[0].clone();
    let server =
        paging(move |_| ResponseTemplate::new(200).set_body_json(items(&member, "login", 0, 3)))
            .await;
    let client: gitcode_api::Client = client_at(&server);
    let all: Vec<_> = client
        .list_org_members()
        .org("o")
        .page(4)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3, "3 < 20: one short page");
    assert_eq!(sent(&server, "page").await, [Some(4)]);
    assert_eq!(sent(&server, "per_page").await, [Some(20)]);
}

#[tokio::test]
async fn qoder_repos_stop_at_the_total_count() {
    let server = paging(|request| {
        let page = query(request, "page").unwrap();
        let repos: Vec<Value> = (0..2)
            .map(|n| json!({"repoName": format!("repo-{page}-{n}"), "commitCount": 1, "totalLinesAdded": 2}))
            .collect();
        // 6 repos in all; the server pages by 2 whatever was asked.
        ResponseTemplate::new(200).set_body_json(json!({
            "repos": repos, "totalCount": 6, "page": page, "perPage": 2
        }))
    })
    .await;
    let client: qoder_api::Client = client_at(&server);
    let names: Vec<String> = client
        .list_ai_code_repos()
        .organization_id("org")
        .per_page(100)
        .stream()
        .map_ok(|repo| repo.repo_name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        names.len(),
        6,
        "pages shorter than asked do not end it: {names:?}"
    );
    assert_eq!(sent(&server, "page").await, [Some(1), Some(2), Some(3)]);
}

#[tokio::test]
async fn qoder_tracking_stops_at_the_total_pages_even_when_the_size_changes() {
    let change =
        Spec::load("qoder").response_example("list_tracked_changes", "200")["data"]["items"][0]
            .clone();
    let server = paging(move |request| {
        let page = query(request, "page").unwrap();
        let count = [3, 1, 2][usize::try_from(page).unwrap() - 1];
        ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": {
            "items": items(&change, "changeId", page * 10, count),
            "pagination": {"currentPage": page, "pageSize": 3, "totalItems": 6, "totalPages": 3}
        }}))
    })
    .await;
    let client: qoder_api::Client = client_at(&server);
    let all: Vec<_> = client
        .list_tracked_changes()
        .organization_id("org")
        .page_size(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 6);
    assert_eq!(sent(&server, "page").await, [Some(1), Some(2), Some(3)]);
    assert_eq!(sent(&server, "pageSize").await, [Some(3); 3]);
}

#[tokio::test]
async fn devin_offsets_advance_by_what_arrived_until_a_short_page() {
    // Pages of 3, then 2: the short one is the last.
    let server = paging(|request| {
        let offset = query(request, "skip").unwrap();
        let count = match offset {
            0 | 3 => 3,
            6 => 2,
            _ => 0,
        };
        let sessions: Vec<Value> = (offset..offset + count)
            .map(|n| json!({"id": format!("devin-{n}")}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "sessions": sessions }))
    })
    .await;
    let client: devin_api::Client = client_at(&server);
    let ids: Vec<String> = client
        .list_session_insights()
        .limit(3)
        .stream()
        .map_ok(|session| session.id)
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<String> = (0..8).map(|n| format!("devin-{n}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(sent(&server, "skip").await, [Some(0), Some(3), Some(6)]);
    assert_eq!(sent(&server, "limit").await, [Some(3); 3]);
}

#[tokio::test]
async fn devin_asks_for_50_and_stops_at_the_total_in_the_reference_shape() {
    // The reference's shape: `items` and `total`; the server sends 20 a page.
    let server = paging(|request| {
        let offset = query(request, "skip").unwrap();
        let items: Vec<Value> = (offset..(offset + 20).min(45))
            .map(|n| json!({"session_id": format!("devin-{n}")}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "items": items, "total": 45 }))
    })
    .await;
    let client: devin_api::Client = client_at(&server);
    let all: Vec<_> = client
        .list_session_insights()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.len(),
        45,
        "pages shorter than asked do not end it before the total"
    );
    assert_eq!(sent(&server, "skip").await, [Some(0), Some(20), Some(40)]);
    assert_eq!(sent(&server, "limit").await, [Some(50); 3]);
}

#[tokio::test]
async fn devin_members_stop_when_has_more_is_false() {
    // Full pages of 2, no `total`: `has_more` says when the list ends.
    let member = Spec::load("devin").response_example("list_members", "200")["items"][0].clone();
    let server = paging(move |request| {
        let skip = query(request, "skip").unwrap();
        ResponseTemplate::new(200).set_body_json(json!({
            "items": items(&member, "email", skip, 2), "skip": skip, "has_more": skip < 4
        }))
    })
    .await;
    let client: devin_api::Client = client_at(&server);
    let all: Vec<_> = client
        .list_members()
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 6);
    assert_eq!(sent(&server, "skip").await, [Some(0), Some(2), Some(4)]);
}

#[tokio::test]
async fn qoder_members_follow_the_cursor_until_it_is_empty() {
    let member = Spec::load("qoder").response_example("list_members", "200")["members"][0].clone();
    let server = paging(move |request| {
        let (first, next) = match query_text(request, "nextToken").as_deref() {
            None => (0, "c2"),
            Some("c2") => (2, "c4"),
            Some("c4") => (4, ""),
            Some(other) => panic!("a cursor the server never gave: {other}"),
        };
        ResponseTemplate::new(200).set_body_json(json!({
            "members": items(&member, "id", first, 2), "maxResults": 2, "nextToken": next
        }))
    })
    .await;
    let client: qoder_api::Client = client_at(&server);
    let ids: Vec<String> = client
        .list_members()
        .organization_id("org_xxx")
        .max_results(2)
        .stream()
        .map_ok(|member| member.id)
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<String> = (0..6).map(|n| format!("item-{n}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(sent(&server, "maxResults").await, [Some(2); 3]);
}

#[tokio::test]
async fn the_cap_fetches_no_page_beyond_it_and_prefetching_yields_the_same_items() {
    let member = Spec::load("gitcode").response_example("list_org_members", "200")[0].clone();
    let template = member.clone();
    let server = paging(move |request| {
        let page = query(request, "page").unwrap();
        ResponseTemplate::new(200).set_body_json(items(&template, "login", (page - 1) * 10, 10))
    })
    .await;
    let client: gitcode_api::Client = client_at(&server);
    let capped: Vec<_> = client
        .list_org_members()
        .org("o")
        .per_page(10)
        .stream()
        .max_items(25)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(capped.len(), 25);
    assert_eq!(sent(&server, "page").await, [Some(1), Some(2), Some(3)]);

    let prefetched: Vec<String> = client
        .list_org_members()
        .org("o")
        .per_page(10)
        .stream()
        .prefetch(true)
        .max_items(25)
        .map_ok(|member| member.login)
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<String> = (0..25).map(|n| format!("item-{n}")).collect();
    assert_eq!(prefetched, expected);
}

#[tokio::test]
async fn an_error_mid_way_is_yielded_after_the_items_before_it() {
    let member = Spec::load("gitcode").response_example("list_org_members", "200")[0].clone();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let server = paging(move |request| {
        counter.fetch_add(1, Ordering::SeqCst);
        match query(request, "page").unwrap() {
            1 => ResponseTemplate::new(200).set_body_json(items(&member, "login", 0, 2)),
            _ => ResponseTemplate::new(404).set_body_json(json!({"message": "gone"})),
        }
    })
    .await;
    let client: gitcode_api::Client = client_at(&server);
    let results: Vec<_> = client
        .list_org_members()
        .org("o")
        .per_page(2)
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    let error = results[2].as_ref().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(!error.to_string().contains(TOKEN));
    assert_eq!(calls.load(Ordering::SeqCst), 2, "nothing after the error");
}

#[tokio::test]
async fn a_page_without_its_list_is_an_error_not_the_end() {
    // Page 2 of 3 leaves `items` out (or sends `null`): the stream must not end
    // there as if the data were complete.
    let change =
        Spec::load("qoder").response_example("list_tracked_changes", "200")["data"]["items"][0]
            .clone();
    for missing in [None, Some(Value::Null)] {
        let template = change.clone();
        let server = paging(move |request| {
            let page = query(request, "page").unwrap();
            let mut data = json!({
                "items": items(&template, "changeId", page * 10, 2),
                "pagination": {"currentPage": page, "pageSize": 2, "totalItems": 6, "totalPages": 3}
            });
            if page == 2 {
                match &missing {
                    None => data.as_object_mut().unwrap().remove("items"),
                    Some(value) => data
                        .as_object_mut()
                        .unwrap()
                        .insert("items".into(), value.clone()),
                };
            }
            ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": data}))
        })
        .await;
        let client: qoder_api::Client = client_at(&server);
        let results: Vec<_> = client
            .list_tracked_changes()
            .organization_id("org")
            .page_size(2)
            .stream()
            .collect()
            .await;
        assert_eq!(results.len(), 3, "two items, then the error");
        let Err(qoder_api::Error::Decode { path, .. }) = &results[2] else {
            panic!("expected a decode error, got {:?}", results[2]);
        };
        assert_eq!(path.as_deref(), Some("$.items"));
        assert_eq!(sent(&server, "page").await, [Some(1), Some(2)]);
    }
}

#[tokio::test]
async fn totals_left_out_fall_back_to_the_page_size() {
    // Qoder's repositories without `totalCount`: a short page ends the list.
    let repo =
        Spec::load("qoder").response_example("list_ai_code_repos", "200")["repos"][0].clone();
    let server = paging(move |request| {
        let page = query(request, "page").unwrap();
        let count = [2, 2, 1][usize::try_from(page).unwrap() - 1];
        ResponseTemplate::new(200)
            .set_body_json(json!({"repos": items(&repo, "repoName", page * 10, count)}))
    })
    .await;
    let client: qoder_api::Client = client_at(&server);
    let all: Vec<_> = client
        .list_ai_code_repos()
        .organization_id("org")
        .per_page(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
}

/// The items a stream yielded before its error, and the error.
async fn until_error<T: std::fmt::Debug>(
    stream: impl futures_util::Stream<Item = Result<T, dev_platform_runtime::Error>>,
) -> (usize, PagingError) {
    let results: Vec<_> = stream.collect().await;
    let (last, items) = results.split_last().expect("at least the error");
    assert!(items.iter().all(Result::is_ok), "{results:?}");
    match last {
        Err(dev_platform_runtime::Error::Paging(error)) => (items.len(), error.clone()),
        other => panic!("expected a paging error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_ignores_the_page_ends_the_stream_at_the_repeat() {
    // GitCode (a bare array): the same full page, whatever the page asked for.
    let member = Spec::load("gitcode").response_example("list_org_members", "200")[0].clone();
    let server =
        paging(move |_| ResponseTemplate::new(200).set_body_json(items(&member, "login", 0, 2)))
            .await;
    let client: gitcode_api::Client = client_at(&server);
    let (yielded, error) =
        until_error(client.list_org_members().org("o").per_page(2).stream()).await;
    assert_eq!(yielded, 2, "the first page's items only");
    assert_eq!(
        error,
        PagingError::RepeatedPage {
            position: Position::Page(2)
        }
    );
    assert_eq!(sent(&server, "page").await, [Some(1), Some(2)]);

    // Devin in the seed's shape (no `skip`): the same sessions at every skip.
    let session =
        Spec::load("devin").response_example("list_session_insights", "200")["items"][0].clone();
    let server = paging(move |_| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"sessions": items(&session, "session_id", 0, 3)}))
    })
    .await;
    let client: devin_api::Client = client_at(&server);
    let (yielded, error) = until_error(client.list_session_insights().limit(3).stream()).await;
    assert_eq!(
        (yielded, error),
        (
            3,
            PagingError::RepeatedPage {
                position: Position::Offset(3)
            }
        )
    );
}

#[tokio::test]
async fn a_page_numbered_otherwise_than_asked_ends_the_stream() {
    // Qoder tracking: `currentPage` stays 1 while a million items are promised.
    let commit =
        Spec::load("qoder").response_example("list_tracked_commits", "200")["data"]["items"][0]
            .clone();
    let server = paging(move |request| {
        let page = query(request, "page").unwrap();
        ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": {
            "items": items(&commit, "commitHash", page * 10, 2),
            "pagination": {"currentPage": 1, "pageSize": 2, "totalItems": 1_000_000, "totalPages": 500_000}
        }}))
    })
    .await;
    let client: qoder_api::Client = client_at(&server);
    let (yielded, error) = until_error(
        client
            .list_tracked_commits()
            .organization_id("o")
            .page_size(2)
            .stream(),
    )
    .await;
    assert_eq!(yielded, 2);
    assert_eq!(
        error,
        PagingError::UnexpectedPage {
            requested: Position::Page(2),
            reported: 1
        }
    );
    assert_eq!(sent(&server, "page").await, [Some(1), Some(2)]);

    // Qoder repositories report `page`; Devin's reference shape reports `skip`.
    let repo =
        Spec::load("qoder").response_example("list_ai_code_repos", "200")["repos"][0].clone();
    let server = paging(move |request| {
        let page = query(request, "page").unwrap();
        ResponseTemplate::new(200).set_body_json(json!({
            "repos": items(&repo, "repoName", page * 10, 2), "totalCount": 100, "page": 1
        }))
    })
    .await;
    let client: qoder_api::Client = client_at(&server);
    let (_, error) = until_error(
        client
            .list_ai_code_repos()
            .organization_id("o")
            .per_page(2)
            .stream(),
    )
    .await;
    assert_eq!(
        error,
        PagingError::UnexpectedPage {
            requested: Position::Page(2),
            reported: 1
        }
    );

    let session =
        Spec::load("devin").response_example("list_session_insights", "200")["items"][0].clone();
    let server = paging(move |request| {
        let offset = query(request, "skip").unwrap();
        ResponseTemplate::new(200).set_body_json(json!({
            "items": items(&session, "session_id", offset, 3), "total": 100, "skip": 0
        }))
    })
    .await;
    let client: devin_api::Client = client_at(&server);
    let (_, error) = until_error(client.list_session_insights().limit(3).stream()).await;
    assert_eq!(
        error,
        PagingError::UnexpectedPage {
            requested: Position::Offset(3),
            reported: 0
        }
    );
}

#[tokio::test]
async fn the_page_limit_ends_an_endless_listing_after_its_items() {
    assert_eq!(dev_platform_runtime::pagination::DEFAULT_MAX_PAGES, 10_000);
    let member = Spec::load("gitcode").response_example("list_org_members", "200")[0].clone();
    // A new full page for every page number, forever.
    let server = paging(move |request| {
        let page = query(request, "page").unwrap();
        ResponseTemplate::new(200).set_body_json(items(&member, "login", page * 10, 2))
    })
    .await;
    let client: gitcode_api::Client = client_at(&server);
    let stream = client
        .list_org_members()
        .org("o")
        .per_page(2)
        .stream()
        .max_pages(3);
    let (yielded, error) = until_error(stream).await;
    assert_eq!((yielded, error), (6, PagingError::PageLimit { limit: 3 }));
    assert_eq!(sent(&server, "page").await.len(), 3);
    // A limit the listing fits in is no error.
    let server = paging(move |request| {
        let page = query(request, "page").unwrap();
        let count = if page < 3 { 2 } else { 1 };
        ResponseTemplate::new(200).set_body_json(items(
            &Spec::load("gitcode").response_example("list_org_members", "200")[0],
            "login",
            page * 10,
            count,
        ))
    })
    .await;
    let client: gitcode_api::Client = client_at(&server);
    let all: Vec<_> = client
        .list_org_members()
        .org("o")
        .per_page(2)
        .stream()
        .max_pages(3)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
}

#[tokio::test]
async fn every_style_repeats_and_limits_alike() {
    // Qoder's repositories (page, a total) without `page` in the answer: the
    // same page again is a repeat; Qoder's tracking (an envelope, total pages)
    // and Devin's offsets: an endless listing hits the limit.
    let repo =
        Spec::load("qoder").response_example("list_ai_code_repos", "200")["repos"][0].clone();
    let server = paging(move |_| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"repos": items(&repo, "repoName", 0, 2), "totalCount": 100}))
    })
    .await;
    let client: qoder_api::Client = client_at(&server);
    let (yielded, error) = until_error(
        client
            .list_ai_code_repos()
            .organization_id("o")
            .per_page(2)
            .stream(),
    )
    .await;
    assert_eq!(
        (yielded, error),
        (
            2,
            PagingError::RepeatedPage {
                position: Position::Page(2)
            }
        )
    );

    let commit =
        Spec::load("qoder").response_example("list_tracked_commits", "200")["data"]["items"][0]
            .clone();
    let server = paging(move |request| {
        let page = query(request, "page").unwrap();
        ResponseTemplate::new(200).set_body_json(json!({"success": true, "data": {
            "items": items(&commit, "commitHash", page * 10, 2),
            "pagination": {"currentPage": page, "pageSize": 2, "totalItems": 1_000_000, "totalPages": 500_000}
        }}))
    })
    .await;
    let client: qoder_api::Client = client_at(&server);
    let stream = client
        .list_tracked_commits()
        .organization_id("o")
        .page_size(2)
        .stream()
        .max_pages(2);
    assert_eq!(
        until_error(stream).await,
        (4, PagingError::PageLimit { limit: 2 })
    );

    let session =
        Spec::load("devin").response_example("list_session_insights", "200")["items"][0].clone();
    let server = paging(move |request| {
        let offset = query(request, "skip").unwrap();
        ResponseTemplate::new(200)
            .set_body_json(json!({"sessions": items(&session, "session_id", offset, 3)}))
    })
    .await;
    let client: devin_api::Client = client_at(&server);
    let stream = client
        .list_session_insights()
        .limit(3)
        .stream()
        .max_pages(2);
    assert_eq!(
        until_error(stream).await,
        (6, PagingError::PageLimit { limit: 2 })
    );
    assert_eq!(sent(&server, "skip").await, [Some(0), Some(3)]);
}

#[tokio::test]
async fn devplat_all_stops_at_a_repeated_page_or_its_page_limit() {
    let member = Spec::load("gitcode").response_example("list_org_members", "200")[0].clone();
    let repeating = {
        let member = member.clone();
        paging(move |_| ResponseTemplate::new(200).set_body_json(items(&member, "login", 0, 20)))
            .await
    };
    let endless = paging(move |request| {
        let page = query(request, "page").unwrap();
        ResponseTemplate::new(200).set_body_json(items(&member, "login", page * 100, 20))
    })
    .await;
    for (server, extra, expected, requests) in [
        (&repeating, vec![], "page 2 repeats the page before it", 2),
        (
            &endless,
            vec!["--max-pages", "4"],
            "stopped after 4 pages",
            4,
        ),
    ] {
        let base_url = server.uri();
        let vars = |name: &str| match name {
            "GITCODE_TOKEN" => Some(TOKEN.to_owned()),
            "GITCODE_BASE_URL" => Some(base_url.clone()),
            _ => None,
        };
        let args: Vec<String> = [
            "gitcode",
            "list-org-members",
            "--org",
            "o",
            "--per-page",
            "20",
            "--all",
        ]
        .into_iter()
        .chain(extra)
        .map(String::from)
        .collect();
        let failure = dev_platform_tests::cli::devplat_with(&args, &vars)
            .await
            .unwrap_err();
        assert!(failure.contains(expected), "{failure}");
        assert_eq!(sent(server, "page").await.len(), requests);
    }
}

fn client_at<C: dev_platform_runtime::Provider>(server: &MockServer) -> C {
    dev_platform_runtime::ClientBuilder::<C>::new()
        .token(TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap()
}
