"""Small helpers shared by write_bench.py and scan_bench.py: counts with suffixes, a scratch directory, file
sizes, the process's own peak RSS, and the library versions line."""

import argparse
import os
import re
import shutil
import sys
import tempfile
from contextlib import contextmanager

_SUFFIX = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}


def count(text):
    """A non-negative integer as Highwater writes them: ``1000000``, ``1_000_000``, ``1e6``, ``576k``, ``6M``."""
    m = re.fullmatch(r"\s*([0-9][0-9_]*(?:\.[0-9]+)?(?:e[0-9]+)?)\s*([kKmMgG]?)\s*", str(text))
    if not m:
        raise argparse.ArgumentTypeError("'%s' is not a count (e.g. 1000000, 1e6, 576k, 6M)" % text)
    value = float(m.group(1).replace("_", "")) * _SUFFIX[m.group(2).lower()]
    if value != int(value):
        raise argparse.ArgumentTypeError("'%s' is not a whole number" % text)
    return int(value)


def boolean(text):
    """``true``/``false`` (also 1/0, yes/no), as Highwater writes boolean parameters."""
    value = str(text).strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    raise argparse.ArgumentTypeError("'%s' is not true or false" % text)


def positive(text):
    n = count(text)
    if n <= 0:
        raise argparse.ArgumentTypeError("'%s' must be positive" % text)
    return n


@contextmanager
def scratch_directory(out=None, prefix="hw-bench-"):
    """``out`` (created if missing, kept afterwards), or a new temporary directory removed on exit."""
    if out:
        os.makedirs(out, exist_ok=True)
        yield out
        return
    path = tempfile.mkdtemp(prefix=prefix)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def tree_size(path, suffix=None):
    """(bytes, files) of the regular files under ``path``; only names ending in ``suffix`` when given."""
    total = files = 0
    for dirpath, _, names in os.walk(path):
        for name in names:
            if suffix and not name.endswith(suffix):
                continue
            st = os.lstat(os.path.join(dirpath, name))
            total += st.st_size
            files += 1
    return total, files


def _status_kb(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def peak_rss_mb():
    """This process's peak RSS so far (VmHWM), in MB (10^6 bytes); None when /proc is not there."""
    kb = _status_kb("VmHWM")
    return kb * 1024 / 1e6 if kb is not None else None


def reset_peak_rss():
    """Resets the kernel's peak-RSS mark (Linux >= 4.0: ``echo 5 > /proc/self/clear_refs``), so the peak that
    wait4 reports at exit, and VmHWM, cover only what follows. Returns True when it worked."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def release_memory():
    """Gives freed memory back to the OS where the allocators allow it (Arrow's pool, then glibc's heap)."""
    import gc
    gc.collect()
    try:
        import pyarrow as pa
        pa.default_memory_pool().release_unused()
    except Exception:
        pass
    try:
        import ctypes
        ctypes.CDLL(None).malloc_trim(0)
    except Exception:
        pass


def versions_line():
    """``python 3.11.7 numpy ... pyarrow ... pylance ...`` for the run's log."""
    parts = ["python %d.%d.%d" % sys.version_info[:3]]
    for module, label in (("numpy", "numpy"), ("pyarrow", "pyarrow"), ("lance", "pylance"), ("pandas", "pandas")):
        mod = sys.modules.get(module)
        if mod is not None:
            parts.append("%s %s" % (label, getattr(mod, "__version__", "?")))
    return " ".join(parts)
