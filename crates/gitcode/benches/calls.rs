//! Per-call overhead: a generated client call against the same call written by
//! hand with reqwest and serde_json (see `common`), for a small object
//! (`get_org`) and a 100-item list (`list_org_members`), on one loopback
//! server: the ratio of the two times is the client's overhead. And what
//! building a client costs (`client_build`): its TLS configuration is made
//! once per process and cloned.

#![allow(missing_docs)] // criterion_group! and criterion_main! generate undocumented items.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use dev_platform_tests::loopback::{Answer, Loopback, client_runtime};
use dev_platform_tests::spec::Spec;
use gitcode_api::types;
use serde_json::Value;

fn calls(c: &mut Criterion) {
    let spec = Spec::load("gitcode");
    let org = Answer::Json(spec.response_example("get_org", "200").to_string().into());
    let member = spec.response_example("list_org_members", "200")[0].clone();
    let members = Answer::Json(Value::Array(vec![member; 100]).to_string().into());
    let server = Loopback::start(std::time::Duration::ZERO, move |uri| {
        if uri.path().ends_with("/members") {
            members.clone()
        } else {
            org.clone()
        }
    });
    let base_url = server.base_url();
    let runtime = client_runtime();
    let client = common::client(base_url);
    let http = common::hand_client();

    c.bench_function("client_build", |b| {
        b.iter(|| {
            gitcode_api::Client::builder()
                .token("bench-token")
                .base_url(base_url)
                .build()
                .unwrap()
        })
    });

    let mut group = c.benchmark_group("get_org");
    group.bench_function("generated", |b| {
        b.iter(|| runtime.block_on(client.get_org().org("o").send()).unwrap())
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| {
            let url = format!("{base_url}/orgs/{}", "o");
            runtime.block_on(common::by_hand::<types::Organization>(&http, url))
        })
    });
    group.finish();

    let mut group = c.benchmark_group("list_org_members_100");
    group.bench_function("generated", |b| {
        b.iter(|| {
            let members = runtime
                .block_on(client.list_org_members().org("o").per_page(100).send())
                .unwrap();
            assert_eq!(members.len(), 100);
        })
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| {
            let url = format!("{base_url}/orgs/{}/members?page=1&per_page=100", "o");
            let members = runtime.block_on(common::by_hand::<Vec<types::OrgMember>>(&http, url));
            assert_eq!(members.len(), 100);
        })
    });
    group.finish();
}

criterion_group!(benches, calls);
criterion_main!(benches);
