//! Reads a commit export of the given size (in MB, default 100) from a
//! loopback server into typed rows, through the client (or, with a second
//! argument `by-hand`, with reqwest and csv-async directly), and prints the
//! rows, bytes, seconds and MB/s. Run it under `/usr/bin/time -v` for its peak memory (BENCHMARKS.md):
//!
//! ```text
//! cargo build --release -p qoder-api --example export_rows
//! /usr/bin/time -v target/release/examples/export_rows 1000
//! ```

#[path = "../benches/common/mod.rs"]
mod common;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let megabytes: u64 = std::env::args()
        .nth(1)
        .map_or(100, |arg| arg.parse().expect("a size in MB"));
    let (server, bytes, rows) = common::export_server(megabytes * 1_000_000);
    let by_hand = std::env::args().nth(2).is_some_and(|arg| arg == "by-hand");
    let started = std::time::Instant::now();
    let read = if by_hand {
        common::read_export_by_hand(&common::hand_client(), server.base_url()).await
    } else {
        common::read_export(server.base_url()).await
    };
    let seconds = started.elapsed().as_secs_f64();
    assert_eq!(read, rows, "every row of the export");
    println!(
        "{read} rows, {bytes} bytes in {seconds:.2} s: {:.0} MB/s",
        bytes as f64 / seconds / 1e6
    );
}
