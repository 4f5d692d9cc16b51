"""Highwater's metric protocol for Python programs (no dependencies).

When Highwater runs a command it sets ``HIGHWATER_EVENTS_FD`` to a file descriptor number (3) and timestamps
every line that arrives on it:

    phase NAME          a phase starts now; it lasts until the next phase line (or the end of the process)
    metric NAME=VALUE   a finite number; NAME is [A-Za-z_][A-Za-z0-9_]*

Standard metric names fill Highwater's columns (rows, input_bytes in bytes, bytes_written in bytes, files,
versions, compression_ratio, first_write_ms / batch_p50_ms / batch_p99_ms in milliseconds); any other name
becomes its own column.

Usage::

    import highwater_client as hw

    hw.phase("generate")            # marks the start of "generate"
    with hw.phase("write"):         # the same, as a context manager: marks the start of "write" on entry;
        write_everything()          # leaving the block does NOT end the phase: the next phase() call does
    hw.phase("close")
    hw.metric("rows", 1_000_000)

Without the variable (the program was not started by Highwater) every call does nothing. Bad names and
non-finite values raise ValueError whether or not the variable is set, so mistakes show up outside the harness
too. A failed write (descriptor closed, EBADF; reader gone, EPIPE; ...) never raises: the first one prints a
warning on stderr and every later call does nothing.
"""

import math
import os
import re
import sys

__all__ = ["phase", "metric", "enabled", "ENV_VAR", "MAX_LINE_BYTES"]

ENV_VAR = "HIGHWATER_EVENTS_FD"
#: Longest line the harness accepts, in bytes, without the newline.
MAX_LINE_BYTES = 4096

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_failed = False


class _Phase:
    """What phase() returns: the line is already written; entering and leaving the block do nothing."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __repr__(self):
        return "phase(%r)" % self.name


def _check_name(name):
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError("highwater: bad name %r (must match [A-Za-z_][A-Za-z0-9_]*)" % (name,))


def _format_value(value):
    """The number as text Highwater parses: integers exactly, floats by repr (shortest round-trip)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (str, bytes)):
        raise TypeError("highwater: metric value must be a number, not %r" % (value,))
    try:
        return str(int(value.__index__()))  # int, numpy integers
    except (AttributeError, TypeError):
        pass
    v = float(value)  # TypeError for things that are not numbers
    if not math.isfinite(v):
        raise ValueError("highwater: metric value %r is not finite" % (value,))
    return repr(v)


def _fd():
    """The events descriptor, or None when absent, malformed, or after a failed write."""
    if _failed:
        return None
    text = os.environ.get(ENV_VAR)
    if not text:
        return None
    try:
        fd = int(text)
    except ValueError:
        _fail("%s=%r is not a descriptor number" % (ENV_VAR, text))
        return None
    if fd < 0:
        _fail("%s=%r is not a descriptor number" % (ENV_VAR, text))
        return None
    return fd


def _fail(why):
    global _failed
    _failed = True
    try:
        sys.stderr.write("highwater: warning: %s; phases and metrics are no longer sent\n" % why)
        sys.stderr.flush()
    except Exception:
        pass


def _send(line):
    if len(line.encode("utf-8")) > MAX_LINE_BYTES:
        raise ValueError("highwater: line over %d bytes: %r..." % (MAX_LINE_BYTES, line[:60]))
    fd = _fd()
    if fd is None:
        return
    data = (line + "\n").encode("utf-8")
    try:
        while data:  # one line per call; a pipe takes up to PIPE_BUF (4096) bytes atomically
            n = os.write(fd, data)
            data = data[n:]
    except OSError as e:
        _fail("cannot write to %s=%d (%s)" % (ENV_VAR, fd, e.strerror or e))


def enabled():
    """True when lines are sent: HIGHWATER_EVENTS_FD holds a descriptor number and no write has failed."""
    return _fd() is not None


def phase(name):
    """Marks the start of phase ``name`` now; it lasts until the next phase. Returns a no-op context manager."""
    _check_name(name)
    _send("phase " + name)
    return _Phase(name)


def metric(name, value):
    """Reports ``metric name=value`` (a finite number; units are those of the column, e.g. bytes, ms)."""
    _check_name(name)
    _send("metric %s=%s" % (name, _format_value(value)))
