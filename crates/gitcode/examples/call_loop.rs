//! Makes N `get_org` calls (or, with `list`, N `list_org_members` calls
//! answering 100 members) against a loopback server, through the generated
//! client (`generated`) or written by hand with reqwest and serde_json (`hand`),
//! for counting instructions per call, which unlike time does not drift
//! between runs (BENCHMARKS.md):
//!
//! ```text
//! cargo build --release -p gitcode-api --example call_loop
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/call_loop generated 1000
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/call_loop generated 2000
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/call_loop generated 1000 list
//! ```
//!
//! The difference between the two totals, divided by 1,000, is one call's
//! instructions (client and server, in one process).

#[path = "../benches/common/mod.rs"]
mod common;

use dev_platform_tests::loopback::{Answer, Loopback, client_runtime};
use dev_platform_tests::spec::Spec;
use gitcode_api::types;

fn main() {
    let mut args = std::env::args().skip(1);
    let generated = match args.next().as_deref() {
        Some("generated") => true,
        Some("hand") => false,
        _ => panic!("usage: call_loop generated|hand CALLS [list]"),
    };
    let calls: usize = args.next().map_or(1000, |n| n.parse().expect("a number"));
    let list = args.next().as_deref() == Some("list");
    let spec = Spec::load("gitcode");
    let answer = if list {
        let member = spec.response_example("list_org_members", "200")[0].clone();
        serde_json::Value::Array(vec![member; 100])
    } else {
        spec.response_example("get_org", "200")
    };
    let answer = Answer::Json(answer.to_string().into());
    let server = Loopback::start(std::time::Duration::ZERO, move |_| answer.clone());
    let base_url = server.base_url();
    let client = common::client(base_url);
    let http = common::hand_client();
    client_runtime().block_on(async {
        for _ in 0..calls {
            match (generated, list) {
                (true, false) => {
                    client.get_org().org("o").send().await.unwrap();
                }
                (false, false) => {
                    let url = format!("{base_url}/orgs/{}", "o");
                    common::by_hand::<types::Organization>(&http, url).await;
                }
                (true, true) => {
                    client.list_org_members().org("o").send().await.unwrap();
                }
                (false, true) => {
                    let url = format!("{base_url}/orgs/{}/members", "o");
                    common::by_hand::<Vec<types::OrgMember>>(&http, url).await;
                }
            }
        }
    });
}
