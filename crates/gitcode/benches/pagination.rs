//! Auto-pagination: the generated `stream()` against a hand-written page loop
//! (same server, same decoded type), over 100,000 members in 1,000 pages; then,
//! with the server taking 5 ms per page and the reader 5 ms per page of items
//! (a batched write, say), the prefetching stream against the sequential loop.

#![allow(missing_docs)] // criterion_group! and criterion_main! generate undocumented items.

mod common;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use dev_platform_tests::loopback::{Answer, Loopback, client_runtime, query_number};
use dev_platform_tests::spec::Spec;
use futures_util::StreamExt;
use gitcode_api::{Client, types};
use serde_json::Value;
const PAGE_SIZE: usize = 100;

/// A server of `pages` full pages of members, then empty pages, each answered
/// after `delay`.
fn server(pages: u64, delay: Duration) -> Loopback {
    let member = Spec::load("gitcode").response_example("list_org_members", "200")[0].clone();
    let full = Answer::Json(Value::Array(vec![member; PAGE_SIZE]).to_string().into());
    let empty = Answer::Json("[]".into());
    Loopback::start(delay, move |uri| {
        if query_number(uri, "page").is_some_and(|page| page <= pages) {
            full.clone()
        } else {
            empty.clone()
        }
    })
}

/// Every member through the generated stream; `work` after each page's worth
/// of items.
async fn by_stream(client: &Client, prefetch: bool, work: Duration) -> usize {
    let mut stream = client
        .list_org_members()
        .org("o")
        .per_page(PAGE_SIZE as u32)
        .stream()
        .prefetch(prefetch);
    let mut count = 0;
    while let Some(member) = stream.next().await {
        member.unwrap();
        count += 1;
        if count % PAGE_SIZE == 0 && !work.is_zero() {
            tokio::time::sleep(work).await;
        }
    }
    count
}

/// Every member through the page loop a user would write without the SDK.
async fn by_hand(http: &reqwest::Client, base_url: &str, work: Duration) -> usize {
    let mut count = 0;
    for page in 1.. {
        let url = format!(
            "{base_url}/orgs/{}/members?page={page}&per_page={PAGE_SIZE}",
            "o"
        );
        let members: Vec<types::OrgMember> = common::by_hand(http, url).await;
        count += members.len();
        if members.len() == PAGE_SIZE && !work.is_zero() {
            tokio::time::sleep(work).await;
        }
        if members.len() < PAGE_SIZE {
            break;
        }
    }
    count
}

fn pagination(c: &mut Criterion) {
    let runtime = client_runtime();
    let http = common::hand_client();

    for (group, pages, delay, work, cases) in [
        (
            "paginate_100k",
            1_000,
            Duration::ZERO,
            Duration::ZERO,
            &[("stream", false)][..],
        ),
        (
            "paginate_5ms_per_page",
            20,
            Duration::from_millis(5),
            Duration::from_millis(5),
            &[("stream", false), ("stream_prefetch", true)][..],
        ),
    ] {
        let server = server(pages, delay);
        let client = common::client(server.base_url());
        let items = pages as usize * PAGE_SIZE;
        let mut group = c.benchmark_group(group);
        group.sample_size(20);
        for (name, prefetch) in cases {
            group.bench_function(*name, |b| {
                b.iter(|| {
                    let count = runtime.block_on(by_stream(&client, *prefetch, work));
                    assert_eq!(count, items);
                })
            });
        }
        group.bench_function("hand_loop", |b| {
            b.iter(|| {
                let count = runtime.block_on(by_hand(&http, server.base_url(), work));
                assert_eq!(count, items);
            })
        });
        group.finish();
    }
}

criterion_group!(benches, pagination);
criterion_main!(benches);
