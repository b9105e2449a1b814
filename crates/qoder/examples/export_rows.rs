//! Reads a commit export from a loopback server into typed rows, through the
//! client (or, with `by-hand`, with reqwest and csv-async directly), and
//! prints the rows, bytes, seconds and MB/s. Run it under `/usr/bin/time -v`
//! for its peak memory (BENCHMARKS.md):
//!
//! ```text
//! cargo build --release -p qoder-api --example export_rows
//! /usr/bin/time -v target/release/examples/export_rows 1000            # MB of the example row, repeated
//! /usr/bin/time -v target/release/examples/export_rows 1000 by-hand
//! target/release/examples/export_rows write FILE 200 [varied]          # an export file
//! /usr/bin/time -v target/release/examples/export_rows read FILE [by-hand]   # that file, served from disk
//! ```
//!
//! `benches/peers.sh` runs the last two against pyarrow and polars.

#[path = "../benches/common/mod.rs"]
mod common;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (server, bytes, rows, by_hand) = match args[..] {
        ["write", path, megabytes, ref rest @ ..] => {
            let path = std::path::Path::new(path);
            let size = megabytes.parse::<u64>().expect("a size in MB") * 1_000_000;
            let rows = common::write_export_file(path, size, rest == ["varied"]);
            let bytes = std::fs::metadata(path).expect("the file").len();
            println!("{rows} rows, {bytes} bytes written to {}", path.display());
            return;
        }
        ["read", path, ref rest @ ..] => {
            let path = std::path::Path::new(path);
            let bytes = std::fs::metadata(path).expect("the file").len();
            (common::file_server(path), bytes, None, rest == ["by-hand"])
        }
        ref rest => {
            let megabytes = rest
                .first()
                .map_or(100, |arg| arg.parse().expect("a size in MB"));
            let (server, bytes, rows) = common::export_server(megabytes * 1_000_000);
            (server, bytes, Some(rows), rest.get(1) == Some(&"by-hand"))
        }
    };
    let started = std::time::Instant::now();
    let read = if by_hand {
        common::read_export_by_hand(&common::hand_client(), server.base_url()).await
    } else {
        common::read_export(server.base_url()).await
    };
    let seconds = started.elapsed().as_secs_f64();
    if let Some(rows) = rows {
        assert_eq!(read, rows, "every row of the export");
    }
    println!(
        "{read} rows, {bytes} bytes in {seconds:.3} s: {:.0} MB/s",
        bytes as f64 / seconds / 1e6
    );
}
