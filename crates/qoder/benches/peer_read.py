"""Reads one commit export file with a peer CSV reader, for peers.sh.

Usage: python peer_read.py READER FILE newlines|plain

READER is `pyarrow` (pyarrow.csv.read_csv, the whole table in memory),
`pyarrow-stream` (pyarrow.csv.open_csv, record batch by record batch) or
`polars` (polars.read_csv with try_parse_dates). `newlines` tells the reader
that quoted values may hold line breaks (pyarrow needs to be told). Prints
`ROWS rows, BYTES bytes in SECONDS s` (the time excludes Python's start and
the imports) and, on stderr, the type each reader gave the time columns.
"""

import os
import sys
import time


def main():
    reader, path, newlines = sys.argv[1], sys.argv[2], sys.argv[3] == "newlines"
    size = os.path.getsize(path)
    if reader.startswith("pyarrow"):
        import pyarrow.csv as csv

        options = csv.ParseOptions(newlines_in_values=newlines)
        started = time.perf_counter()
        if reader == "pyarrow":
            table = csv.read_csv(path, parse_options=options)
            rows, schema = table.num_rows, table.schema
        else:
            batches = csv.open_csv(path, parse_options=options)
            rows, schema = 0, batches.schema
            for batch in batches:
                rows += batch.num_rows
        seconds = time.perf_counter() - started
        types = {name: str(schema.field(name).type) for name in ("commitTs", "createdAt", "totalLinesAdded")}
    elif reader == "polars":
        import polars

        started = time.perf_counter()
        frame = polars.read_csv(path, try_parse_dates=True)
        seconds = time.perf_counter() - started
        rows = frame.height
        types = {name: str(frame.schema[name]) for name in ("commitTs", "createdAt", "totalLinesAdded")}
    else:
        sys.exit(f"unknown reader {reader}")
    print(f"{rows} rows, {size} bytes in {seconds:.3f} s")
    print(f"{reader}: {types}", file=sys.stderr)


main()
