//! CSV export throughput: a 100 MB commit export (the spec's example rows,
//! quoted fields and Chinese text included) streamed by a loopback server and
//! decoded into typed rows, against the same rows read by hand with reqwest
//! and csv-async; then 100 MB of rows that vary as a real export's do, served
//! from a file. Peak memory is measured apart, by the OS, with the
//! `export_rows` example, and the comparison with pyarrow and polars by
//! `peers.sh` (see BENCHMARKS.md).

#![allow(missing_docs)] // criterion_group! and criterion_main! generate undocumented items.

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const SIZE: u64 = 100_000_000;

fn export(c: &mut Criterion) {
    let (server, bytes, rows) = common::export_server(SIZE);
    let runtime = dev_platform_tests::loopback::client_runtime();
    let mut group = c.benchmark_group("export_tracked_commits");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("rows_100MB", |b| {
        b.iter(|| {
            assert_eq!(
                runtime.block_on(common::read_export(server.base_url())),
                rows
            )
        })
    });
    let http = common::hand_client();
    group.bench_function("rows_100MB_hand_written", |b| {
        b.iter(|| {
            let read = runtime.block_on(common::read_export_by_hand(&http, server.base_url()));
            assert_eq!(read, rows)
        })
    });
    let file = std::env::temp_dir().join(format!("devplat-export-{}.csv", std::process::id()));
    let varied_rows = common::write_export_file(&file, SIZE, true);
    let server = common::file_server(&file);
    group.throughput(Throughput::Bytes(std::fs::metadata(&file).unwrap().len()));
    group.bench_function("varied_rows_100MB", |b| {
        b.iter(|| {
            assert_eq!(
                runtime.block_on(common::read_export(server.base_url())),
                varied_rows
            )
        })
    });
    group.bench_function("varied_rows_100MB_hand_written", |b| {
        b.iter(|| {
            let read = runtime.block_on(common::read_export_by_hand(&http, server.base_url()));
            assert_eq!(read, varied_rows)
        })
    });
    group.finish();
    drop(server);
    let _ = std::fs::remove_file(file);
}

criterion_group!(benches, export);
criterion_main!(benches);
