"""highwater_client.py and highwater.h: exact lines on the HIGHWATER_EVENTS_FD pipe, nothing without the variable,
bad names refused, and a closed descriptor or a vanished reader never stopping the program (one warning).

Each case runs in a child process (Python, or a C program compiled here with gcc; the C cases skip without gcc),
with the write end of a pipe passed at the descriptor number the variable names. stdlib only.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest
from unittest import mock

ADAPTERS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ADAPTERS)
import highwater_client as hw  # noqa: E402

PY_PROGRAM = textwrap.dedent("""
    import sys
    sys.path.insert(0, %r)
    import highwater_client as hw
    print("enabled", hw.enabled())
    hw.phase("generate")
    with hw.phase("write") as p:
        hw.metric("rows", 1000000)
    hw.metric("compression_ratio", 2.5)
    hw.metric("first_write_ms", 0.1)
    hw.metric("big", 999652231)
    hw.metric("flag", True)
    hw.phase("close")
    print("done", p.name)
""" % ADAPTERS)
PY_LINES = (b"phase generate\nphase write\nmetric rows=1000000\nmetric compression_ratio=2.5\n"
            b"metric first_write_ms=0.1\nmetric big=999652231\nmetric flag=1\nphase close\n")

C_PROGRAM = r"""
#include "highwater.h"
int main(void) {
    int bad = hw_phase("1bad") + hw_phase("a-b") + hw_phase("") + hw_metric("x y", 1) + hw_metric("ok", INFINITY);
    printf("bad %d\n", bad);
    hw_phase("generate");
    hw_phase("write");
    hw_metric("rows", 1000000);
    hw_metric("compression_ratio", 2.5);
    hw_metric("bytes_written", 56800000);
    hw_metric("neg_x1", -0.25);
    hw_phase("close");
    printf("done\n");
    return 0;
}
"""
C_LINES = (b"phase generate\nphase write\nmetric rows=1000000\nmetric compression_ratio=2.5\n"
           b"metric bytes_written=56800000\nmetric neg_x1=-0.25\nphase close\n")


def run_with_pipe(argv, fd=7, close_reader_first=False):
    """Runs argv with HIGHWATER_EVENTS_FD=fd naming a pipe's write end (placed at fd in the child only); returns
    (events, stdout, stderr, exit code). With close_reader_first the read end is gone before the child starts."""
    r, w = os.pipe()  # both non-inheritable: only the child's copy at fd survives exec

    def place():
        if w == fd:
            os.set_inheritable(fd, True)
        else:
            os.dup2(w, fd)

    env = dict(os.environ, HIGHWATER_EVENTS_FD=str(fd))
    if close_reader_first:
        os.close(r)
    try:
        proc = subprocess.Popen(argv, env=env, close_fds=False, preexec_fn=place,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    finally:
        os.close(w)
    events = b""
    if not close_reader_first:
        with os.fdopen(r, "rb") as f:
            events = f.read()
    out, err = proc.communicate(timeout=60)
    return events, out.decode(), err.decode(), proc.returncode


def run_without_variable(argv, **env_changes):
    env = {k: v for k, v in os.environ.items() if k != hw.ENV_VAR}
    env.update(env_changes)
    proc = subprocess.run(argv, env=env, capture_output=True, timeout=60)
    return proc.stdout.decode(), proc.stderr.decode(), proc.returncode


class PythonClientTests(unittest.TestCase):
    argv = [sys.executable, "-c", PY_PROGRAM]

    def test_exact_lines_on_the_descriptor(self):
        events, out, err, code = run_with_pipe(self.argv)
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(events, PY_LINES)
        self.assertEqual(out, "enabled True\ndone write\n")

    def test_descriptor_three_as_highwater_sets_it(self):
        events, _, err, code = run_with_pipe(self.argv, fd=3)
        self.assertEqual((code, err, events), (0, "", PY_LINES))

    def test_nothing_without_the_variable(self):
        out, err, code = run_without_variable(self.argv)
        self.assertEqual((code, out, err), (0, "enabled False\ndone write\n", ""))

    def test_closed_descriptor_warns_once_and_goes_on(self):
        out, err, code = run_without_variable(self.argv, HIGHWATER_EVENTS_FD="57")
        self.assertEqual(code, 0)
        self.assertEqual(out, "enabled True\ndone write\n")
        self.assertEqual(err.count("highwater: warning:"), 1, err)
        self.assertIn("Bad file descriptor", err)

    def test_vanished_reader_warns_once_and_goes_on(self):
        _, out, err, code = run_with_pipe(self.argv, close_reader_first=True)
        self.assertEqual((code, out), (0, "enabled True\ndone write\n"))
        self.assertEqual(err.count("highwater: warning:"), 1, err)
        self.assertIn("Broken pipe", err)

    def test_malformed_variable_warns_once(self):
        out, err, code = run_without_variable(self.argv, HIGHWATER_EVENTS_FD="three")
        self.assertEqual((code, out), (0, "enabled False\ndone write\n"))
        self.assertEqual(err.count("highwater: warning:"), 1, err)

    def test_bad_names_and_values_are_refused(self):
        with mock.patch.dict(os.environ, {}, clear=False):
            os.environ.pop(hw.ENV_VAR, None)
            for name in ["", "1bad", "a-b", "a b", "rows\n", "phase=1", "caf\u00e9", None, 3]:
                with self.assertRaises(ValueError, msg=repr(name)):
                    hw.metric(name, 1)
                with self.assertRaises(ValueError, msg=repr(name)):
                    hw.phase(name)
            for value in [float("nan"), float("inf"), -float("inf")]:
                with self.assertRaises(ValueError):
                    hw.metric("x", value)
            with self.assertRaises(TypeError):
                hw.metric("x", "12")
            with self.assertRaises(ValueError):
                hw.phase("p" * 5000)
            self.assertFalse(hw.enabled())
            hw.metric("_Ok_9", 1.5)
            with hw.phase("fine"):
                pass


@unittest.skipUnless(shutil.which("gcc"), "gcc is not installed")
class CHeaderTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="hw-client-test-")
        src = os.path.join(cls.dir, "prog.c")
        with open(src, "w") as f:
            f.write(C_PROGRAM)
        cls.exe = os.path.join(cls.dir, "prog")
        base = ["-I", ADAPTERS, "-Wall", "-Wextra", "-Werror"]
        subprocess.run(["gcc", "-O2", *base, "-o", cls.exe, src], check=True)
        # Strict C99 with the POSIX declarations, and C++, compile too.
        subprocess.run(["gcc", "-std=c99", "-D_POSIX_C_SOURCE=200809L", "-pedantic", *base, "-fsyntax-only", src], check=True)
        if shutil.which("g++"):
            subprocess.run(["g++", "-x", "c++", *base, "-fsyntax-only", src], check=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_exact_lines_on_the_descriptor(self):
        events, out, err, code = run_with_pipe([self.exe], fd=3)
        self.assertEqual((code, err), (0, ""))
        self.assertEqual(events, C_LINES)
        self.assertEqual(out, "bad -5\ndone\n")

    def test_nothing_without_the_variable(self):
        self.assertEqual(run_without_variable([self.exe]), ("bad -5\ndone\n", "", 0))

    def test_vanished_reader_does_not_kill_the_program(self):
        _, out, err, code = run_with_pipe([self.exe], close_reader_first=True)
        self.assertEqual((code, out), (0, "bad -5\ndone\n"))
        self.assertEqual(err.count("highwater: warning:"), 1, err)
        self.assertIn("Broken pipe", err)

    def test_closed_descriptor_warns_once(self):
        out, err, code = run_without_variable([self.exe], HIGHWATER_EVENTS_FD="57")
        self.assertEqual((code, out), (0, "bad -5\ndone\n"))
        self.assertEqual(err.count("highwater: warning:"), 1, err)


if __name__ == "__main__":
    unittest.main()
