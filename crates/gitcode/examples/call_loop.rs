//! Makes N `get_org` calls against a loopback server, through the generated
//! client (`generated`) or written by hand with reqwest and serde_json (`hand`),
//! for counting instructions per call, which unlike time does not drift
//! between runs (BENCHMARKS.md):
//!
//! ```text
//! cargo build --release -p gitcode-api --example call_loop
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/call_loop generated 1000
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/call_loop generated 2000
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
        _ => panic!("usage: call_loop generated|hand CALLS"),
    };
    let calls: usize = args.next().map_or(1000, |n| n.parse().expect("a number"));
    let org = Spec::load("gitcode").response_example("get_org", "200");
    let org = Answer::Json(org.to_string().into());
    let server = Loopback::start(std::time::Duration::ZERO, move |_| org.clone());
    let base_url = server.base_url();
    let client = common::client(base_url);
    let http = common::hand_client();
    client_runtime().block_on(async {
        for _ in 0..calls {
            if generated {
                client.get_org().org("o").send().await.unwrap();
            } else {
                let url = format!("{base_url}/orgs/{}", "o");
                common::by_hand::<types::Organization>(&http, url).await;
            }
        }
    });
}
