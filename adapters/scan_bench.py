#!/usr/bin/env python3
"""The ``scan`` workload (note 004) on pylance or on Parquet (pyarrow.dataset), for Highwater's command runs.

    python adapters/scan_bench.py --system lance|parquet --mode materialize_all|streaming --rows 1M \\
        --batch-size 10000 [--filter none|language|file_path] [--projection all|no_content|content|id]
        [--materialize pandas|table]

Phase ``prepare`` (not part of the comparison) writes a ``code_chunks`` table of --rows rows with the streaming
strategy of write_bench.py (zstd level 1) into a scratch directory. Then:

- ``materialize_all``: phase ``scan`` loads the projected columns (plus the filter's) whole, with
  ``to_table()`` and, by default, ``.to_pandas()`` (the note's anti-pattern); phase ``iterate`` filters in
  memory and hands out slices of --batch-size rows.
- ``streaming``: phase ``scan`` iterates ``to_batches(batch_size=...)`` with the projection and the filter
  pushed down.

Then ``cleanup`` removes the scratch directory. Between prepare and scan the script frees what it can and
resets the kernel's peak-RSS mark (``/proc/self/clear_refs``), so Highwater's peak_rss_mb (from wait4) covers
the read only; the sampled peak (peak_rss_sampled_mb) still sees prepare. Metrics: rows (rows handed out),
input_bytes (their raw value bytes, WORKLOAD.md section 5), batches, table_rows (count_rows()),
prepare_peak_rss_mb (MB), peak_rss_reset (1 when the reset worked), measured_s (s, phases scan..iterate) and
measured_rows_per_s.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchutil  # noqa: E402
import highwater_client as hw  # noqa: E402
import write_bench  # noqa: E402

PROJECTIONS = {"all": None, "no_content": ["id", "file_path", "language", "start_line", "score"],
               "content": ["id", "content"], "id": ["id"]}
FILTERS = {"none": None, "language": ("language", "go"), "file_path": ("file_path", "src/mod_7/file_7.swift")}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--system", choices=["lance", "parquet"], required=True)
    p.add_argument("--mode", choices=["materialize_all", "streaming"], default="streaming")
    p.add_argument("--rows", type=benchutil.count, default=1_000_000, help="rows in the prepared table (default 1M)")
    p.add_argument("--batch-size", type=benchutil.positive, default=10_000, help="rows per batch handed out (default 10000)")
    p.add_argument("--filter", choices=sorted(FILTERS), default="none",
                   help="language = 'go' (1/8 of rows) or file_path = 'src/mod_7/file_7.swift' (1/5000)")
    p.add_argument("--projection", choices=sorted(PROJECTIONS), default="all")
    p.add_argument("--materialize", choices=["pandas", "table"], default="pandas",
                   help="materialize_all: to_table().to_pandas() (default) or to_table() alone")
    p.add_argument("--out", default=None, help="prepare the table here and keep it (default: a temporary directory)")
    return p.parse_args(argv)


def prepare(args, out):
    """Writes the table (streaming, zstd 1); returns a dataset with to_table / to_batches / count_rows."""
    wargs = write_bench.parse_args(["--system", args.system, "--strategy", "streaming", "--rows", str(args.rows)])
    quiet = lambda name: None  # noqa: E731  (the write's own phases would split this script's "prepare")
    if args.system == "lance":
        import lance
        write_bench.write_lance(wargs, out, write_bench.make_source(wargs), mark=quiet)
        return lance.dataset(os.path.join(out, "code_chunks.lance"))
    import pyarrow.dataset as pads
    write_bench.write_parquet(wargs, out, write_bench.make_source(wargs), mark=quiet)
    return pads.dataset(os.path.join(out, "code_chunks.parquet"), format="parquet")


def _string_bytes(array):
    """Value bytes of a (large_)string array from its offsets buffer, O(1)."""
    import numpy as np
    width = np.int64 if array.type.equals("large_string") else np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=width)
    return int(offsets[array.offset + len(array)] - offsets[array.offset])


def raw_bytes(data, mask=None):
    """Raw value bytes of a pa.Table or RecordBatch (fixed-width values plus string bytes, no offsets), counting
    only the rows where the boolean array ``mask`` is true when given."""
    import pyarrow as pa
    import pyarrow.compute as pc
    rows = data.num_rows if mask is None else pc.sum(mask).as_py() or 0
    total = 0
    for col in data.columns:
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            if mask is None:
                chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
                total += sum(_string_bytes(c) for c in chunks)
            else:
                total += pc.sum(pc.filter(pc.binary_length(col), mask)).as_py() or 0
        else:
            total += col.type.bit_width // 8 * rows
    return total


def scan_materialize(args, ds, columns, flt):
    """to_table()[.to_pandas()] whole, then filter in memory and slice; returns (rows, bytes, batches)."""
    import pyarrow.compute as pc
    wanted = columns if (columns is None or flt is None or flt[0] in columns) else columns + [flt[0]]
    table = ds.to_table(columns=wanted)
    mask = pc.equal(table[flt[0]], flt[1]) if flt is not None else None
    nbytes = raw_bytes(table.select(columns) if columns is not None else table, mask)
    del mask
    data = table.to_pandas() if args.materialize == "pandas" else table
    del table
    hw.phase("iterate")
    if flt is not None:
        if args.materialize == "pandas":
            data = data[data[flt[0]] == flt[1]]
            if columns is not None:
                data = data[columns]
        else:
            data = data.filter(pc.equal(data[flt[0]], flt[1]))
            if columns is not None:
                data = data.select(columns)
    rows = batches = 0
    for start in range(0, len(data), args.batch_size):
        part = data.iloc[start:start + args.batch_size] if args.materialize == "pandas" else data.slice(start, args.batch_size)
        rows += len(part)
        batches += 1
    return rows, nbytes, batches


def scan_streaming(args, ds, columns, flt):
    """to_batches(batch_size=...) with projection and filter pushed down; returns (rows, bytes, batches)."""
    if flt is None:
        condition = None
    elif args.system == "lance":
        condition = "%s = '%s'" % flt
    else:
        import pyarrow.dataset as pads
        condition = pads.field(flt[0]) == flt[1]
    rows = nbytes = batches = 0
    for batch in ds.to_batches(columns=columns, filter=condition, batch_size=args.batch_size):
        rows += batch.num_rows
        nbytes += raw_bytes(batch)
        batches += 1
    return rows, nbytes, batches


def main(argv=None):
    args = parse_args(argv)
    import pyarrow  # noqa: F401
    if args.system == "lance":
        import lance  # noqa: F401
    if args.mode == "materialize_all" and args.materialize == "pandas":
        import pandas  # noqa: F401
    print(benchutil.versions_line())
    with benchutil.scratch_directory(args.out, prefix="hw-scan-") as out:
        hw.phase("prepare")
        ds = prepare(args, out)
        benchutil.release_memory()
        hw.metric("prepare_peak_rss_mb", benchutil.peak_rss_mb() or 0)
        hw.metric("peak_rss_reset", 1 if benchutil.reset_peak_rss() else 0)
        hw.phase("scan")
        t0 = time.perf_counter()
        table_rows = ds.count_rows()
        scan = scan_materialize if args.mode == "materialize_all" else scan_streaming
        rows, nbytes, batches = scan(args, ds, PROJECTIONS[args.projection], FILTERS[args.filter])
        measured_s = time.perf_counter() - t0
        for name, value in [("rows", rows), ("input_bytes", nbytes), ("batches", batches), ("table_rows", table_rows),
                            ("measured_s", measured_s), ("measured_rows_per_s", rows / measured_s if measured_s > 0 else 0)]:
            hw.metric(name, value)
        print("%s %s: %d rows in %d batches, %.1f MB raw, %.2f s (%.0f rows/s), peak RSS after prepare %.1f MB"
              % (args.system, args.mode, rows, batches, nbytes / 1e6, measured_s, rows / max(measured_s, 1e-9),
                 benchutil.peak_rss_mb() or 0))
        hw.phase("cleanup")
    return 0


if __name__ == "__main__":
    sys.exit(main())
