"""Smoke tests of write_bench.py and scan_bench.py on a few thousand rows: the phase and metric lines they send,
the figures that must be exact (rows, input_bytes), and what they wrote. Skipped without pyarrow / pylance
(the test environment of scripts/python-env.sh test has numpy only; `full` has them). About 4 s.
"""

import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import unittest

ADAPTERS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ADAPTERS)
import codechunks  # noqa: E402


def have(module):
    """Whether ``module`` is installed, without importing it (lance warns when a process that imported it forks)."""
    return importlib.util.find_spec(module) is not None


def run(script, *args):
    """Runs an adapter with HIGHWATER_EVENTS_FD on a file; returns (phases, metrics, stdout)."""
    with tempfile.TemporaryFile() as events:
        env = dict(os.environ, HIGHWATER_EVENTS_FD=str(events.fileno()))
        proc = subprocess.run([sys.executable, os.path.join(ADAPTERS, script), *args], env=env, capture_output=True,
                              text=True, pass_fds=(events.fileno(),), timeout=120)
        if proc.returncode != 0:
            raise AssertionError("%s failed:\n%s" % (script, proc.stderr))
        events.seek(0)
        lines = events.read().decode().splitlines()
    phases = [line.split(" ", 1)[1] for line in lines if line.startswith("phase ")]
    metrics = {}
    for line in lines:
        m = re.fullmatch(r"metric ([A-Za-z_][A-Za-z0-9_]*)=(\S+)", line)
        if m:
            metrics[m.group(1)] = float(m.group(2))
    assert len(phases) + len(metrics) == len(lines), lines
    return phases, metrics, proc.stdout


ROWS = 25_000
RAW = codechunks.test_vectors(ROWS)["raw_value_bytes"]


@unittest.skipUnless(have("pyarrow"), "pyarrow is not installed (scripts/python-env.sh full)")
class ParquetBenchTests(unittest.TestCase):
    def test_streaming_write(self):
        phases, m, _ = run("write_bench.py", "--system", "parquet", "--strategy", "streaming", "--rows", str(ROWS),
                           "--batch-size", "10000", "--max-rows-per-file", "20000")
        self.assertEqual(phases, ["write", "close", "cleanup"])
        self.assertEqual((m["rows"], m["input_bytes"], m["files"], m["row_groups"]), (ROWS, RAW, 2, 3))
        self.assertGreater(m["bytes_written"], 0)
        self.assertIn("batch_p99_ms", m)

    def test_accumulate_write_pregenerated(self):
        phases, m, _ = run("write_bench.py", "--system", "parquet", "--strategy", "accumulate", "--rows", "25k",
                           "--pregenerate")
        self.assertEqual(phases, ["prepare", "generate", "write", "close", "cleanup"])
        self.assertEqual((m["rows"], m["input_bytes"], m["files"]), (ROWS, RAW, 1))

    def test_streaming_scan_with_filter(self):
        phases, m, _ = run("scan_bench.py", "--system", "parquet", "--mode", "streaming", "--rows", str(ROWS),
                           "--filter", "language", "--projection", "id")
        self.assertEqual(phases, ["prepare", "scan", "cleanup"])
        go = codechunks.test_vectors(ROWS)["language_counts"][codechunks.LANGS.index("go")]
        self.assertEqual((m["rows"], m["input_bytes"], m["table_rows"]), (go, 8 * go, ROWS))


@unittest.skipUnless(have("lance"), "pylance is not installed (scripts/python-env.sh full)")
class LanceBenchTests(unittest.TestCase):
    def test_streaming_write(self):
        phases, m, _ = run("write_bench.py", "--system", "lance", "--strategy", "streaming", "--rows", str(ROWS),
                           "--batch-size", "5000", "--compression-level", "3")
        self.assertEqual(phases, ["write", "close", "cleanup"])
        self.assertEqual((m["rows"], m["input_bytes"], m["files"], m["versions"]), (ROWS, RAW, 1, 1))
        self.assertGreater(m["compression_ratio"], 1.5)

    def test_materialize_all_scan(self):
        phases, m, _ = run("scan_bench.py", "--system", "lance", "--mode", "materialize_all", "--rows", str(ROWS))
        self.assertEqual(phases, ["prepare", "scan", "iterate", "cleanup"])
        self.assertEqual((m["rows"], m["input_bytes"], m["batches"]), (ROWS, RAW, 3))


if __name__ == "__main__":
    unittest.main()
