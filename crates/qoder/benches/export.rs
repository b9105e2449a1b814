//! CSV export throughput: a 100 MB commit export (the spec's example rows,
//! quoted fields and Chinese text included) streamed by a loopback server and
//! decoded into typed rows, against the same rows read by hand with reqwest
//! and csv-async. Peak memory is measured apart, by the OS, with the
//! `export_rows` example (see BENCHMARKS.md).

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
    group.finish();
}

criterion_group!(benches, export);
criterion_main!(benches);
