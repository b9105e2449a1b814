#!/usr/bin/env bash
# The CSV export against the readers an analyst would otherwise use (outside
# CI: it installs pyarrow and polars from PyPI into a virtual environment).
#
#   crates/qoder/benches/peers.sh [MB] [ROUNDS]      # defaults: 200 MB, 5 rounds
#
# For two export files of MB megabytes, the spec's example row repeated and
# rows that vary as a real export's do (multi-line messages included), it
# runs each reader ROUNDS times, interleaved, and prints one table per file:
# the median MB/s and the peak RSS of each reader, as ratios to pyarrow's.
# Our readers get the file through a loopback HTTP server that streams it from
# disk (the server's work counts against us); the Python readers read it from
# the page cache. Then it reports our peak RSS at 100 MB and at 1 GB.
#
# PEERS_VENV names the virtual environment (default: a directory in $TMPDIR,
# kept between runs).
set -euo pipefail

megabytes=${1:-200}
rounds=${2:-5}
root=$(cd "$(dirname "$0")/../../.." && pwd)
venv=${PEERS_VENV:-${TMPDIR:-/tmp}/devplat-peers-venv}
if ! "$venv/bin/python" -c 'import pyarrow, polars' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pyarrow polars
fi
cargo build --quiet --release --manifest-path "$root/Cargo.toml" -p qoder-api --example export_rows
rows_bin=$root/target/release/examples/export_rows
reader_py=$root/crates/qoder/benches/peer_read.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# `run NAME COMMAND...`: one timed run; appends "NAME rows bytes seconds kib".
run() {
    local name=$1
    shift
    /usr/bin/time -f '%M' -o "$work/rss" "$@" > "$work/out" 2> "$work/err" || {
        cat "$work/err" >&2
        exit 1
    }
    read -r rows _ bytes _ _ seconds _ < "$work/out"
    echo "$name $rows $bytes $seconds $(tail -1 "$work/rss")" >> "$work/results"
}

echo "$(date -u +%FT%TZ), $(nproc) cores, $("$venv/bin/python" -c 'import pyarrow, polars; print(f"pyarrow {pyarrow.__version__}, polars {polars.__version__}")')"
for kind in example varied; do
    file=$work/$kind.csv
    newlines=plain
    if [ "$kind" = varied ]; then
        "$rows_bin" write "$file" "$megabytes" varied > /dev/null
        newlines=newlines
    else
        "$rows_bin" write "$file" "$megabytes" > /dev/null
    fi
    : > "$work/results"
    for _ in $(seq "$rounds"); do
        run "typed rows (this SDK)" "$rows_bin" read "$file"
        run "csv-async by hand" "$rows_bin" read "$file" by-hand
        run "pyarrow read_csv" "$venv/bin/python" "$reader_py" pyarrow "$file" "$newlines"
        run "pyarrow open_csv (batches)" "$venv/bin/python" "$reader_py" pyarrow-stream "$file" "$newlines"
        run "polars read_csv" "$venv/bin/python" "$reader_py" polars "$file" "$newlines"
    done
    "$venv/bin/python" - "$kind" "$work/results" <<'EOF'
import statistics, sys
from collections import defaultdict

kind, path = sys.argv[1], sys.argv[2]
runs = defaultdict(list)
for line in open(path):
    *name, rows, size, seconds, kib = line.split()
    runs[" ".join(name)].append((int(rows), int(size), float(seconds), int(kib)))
counts = {run[0] for results in runs.values() for run in results}
assert len(counts) == 1, f"the readers disagree on the row count: {counts}"
size = next(iter(runs.values()))[0][1]
table = {}
for name, results in runs.items():
    speeds = [size / seconds / 1e6 for _, _, seconds, _ in results]
    table[name] = (statistics.median(speeds), min(speeds), max(speeds), max(r[3] for r in results) / 1024)
base_speed, _, _, base_rss = table["pyarrow read_csv"]
print(f"\n{kind} rows: {size / 1e6:.0f} MB, {counts.pop()} rows, {len(results)} runs each\n")
print("| reader | MB/s (median) | range | × pyarrow | peak RSS | × pyarrow |")
print("|---|---|---|---|---|---|")
for name, (median, low, high, rss) in table.items():
    print(f"| {name} | **{median:.0f}** | {low:.0f}–{high:.0f} | **{median / base_speed:.2f}×** | {rss:.1f} MiB | {rss / base_rss:.3f}× |")
EOF
    rm -f "$file"
done

echo
for size in 100 1000; do
    /usr/bin/time -f '%M' -o "$work/rss" "$rows_bin" "$size" > "$work/out"
    echo "typed rows, $size MB of the example row: $(cat "$work/out"), peak RSS $(( $(tail -1 "$work/rss") / 1024 )) MiB"
done
