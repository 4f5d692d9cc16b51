"""The ``code_chunks`` table of WORKLOAD.md, byte for byte, generated with numpy a batch at a time.

Row ``r`` uses outputs ``34*r .. 34*r+33`` of the splitmix64 stream with seed 42, so any row range is generated
on its own (the data does not depend on the batch size). Per batch, all draws are computed at once as an
``(n, 34)`` uint64 array (numpy wraps modulo 2**64 like Swift's ``&+``/``&*``), and the string columns are
assembled by one gather from padded byte tables; there is no per-row Python loop.

    generate(start, stop)       -> Batch: numpy columns (strings as int32 offsets + uint8 bytes), numpy only
    batches(rows, batch_size)   -> pyarrow RecordBatches when pyarrow is importable, else Batches
    test_vectors(rows)          -> WORKLOAD.md section 6 figures computed from the generated columns
    reference_row(r)            -> one row by the letter of the spec, with Python ints (slow; for tests)

``python codechunks.py ROWS`` prints the test vectors for ROWS rows.
"""

import hashlib
import sys
from typing import NamedTuple

import numpy as np

SEED = 42
VOCAB_SEED = 7
DRAWS_PER_ROW = 34
CONTENT_WORDS = 30
MAX_CONTENT_BYTES = 120
GAMMA = 0x9E3779B97F4A7C15
LANGS = ["swift", "rust", "python", "go", "java", "c", "cpp", "ts"]
COLUMNS = ["id", "file_path", "language", "start_line", "content", "score"]
STRING_COLUMNS = ("file_path", "language", "content")
_M64 = (1 << 64) - 1
_WORD_SLOT = 16  # bytes per word in the padded table: a space, the word, zero padding


# --- splitmix64 -------------------------------------------------------------------------------------------------

def splitmix64_mix(z):
    """The output function of splitmix64 on Python ints (the state after the increment)."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return z ^ (z >> 31)


def splitmix64(seed, skip=0):
    """Generator of the outputs of splitmix64(seed), starting at output number ``skip``."""
    state = (seed + skip * GAMMA) & _M64
    while True:
        state = (state + GAMMA) & _M64
        yield splitmix64_mix(state)


def mix_array(z):
    """splitmix64's output function on a uint64 array (wrapping arithmetic)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def row_draws(start, stop):
    """The 34 draws of rows ``start..stop-1`` as a uint64 array of shape (rows, 34)."""
    rows = np.arange(start, stop, dtype=np.uint64)
    with np.errstate(over="ignore"):
        base = np.uint64(SEED) + rows * np.uint64(DRAWS_PER_ROW * GAMMA & _M64)
        steps = np.arange(1, DRAWS_PER_ROW + 1, dtype=np.uint64) * np.uint64(GAMMA)
        return mix_array(base[:, None] + steps[None, :])


# --- the fixed tables -------------------------------------------------------------------------------------------

def vocabulary():
    """The 256 words (bytes, 3..9 letters), drawn one after another from splitmix64(7)."""
    rng = splitmix64(VOCAB_SEED)
    words = []
    for _ in range(256):
        n = 3 + next(rng) % 7
        words.append(bytes(97 + next(rng) % 26 for _ in range(n)))
    return words


def file_path(f):
    """File path number ``f`` (0..4999), as bytes."""
    return b"src/mod_%d/file_%d.swift" % (f % 500, f)


def _packed(values):
    """(flat uint8 table, start of each value, length of each value) of a list of bytes."""
    lengths = np.array([len(v) for v in values], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    return np.frombuffer(b"".join(values), dtype=np.uint8), starts, lengths


class _Tables:
    """Byte tables the string columns are gathered from; built once per process."""

    def __init__(self):
        self.words = vocabulary()
        slots = np.zeros(256 * _WORD_SLOT, dtype=np.uint8)
        for i, w in enumerate(self.words):
            slots[i * _WORD_SLOT: i * _WORD_SLOT + 1 + len(w)] = np.frombuffer(b" " + w, dtype=np.uint8)
        self.word_slots = slots
        self.word_lengths = np.array([len(w) for w in self.words], dtype=np.int64)
        self.paths = _packed([file_path(f) for f in range(5000)])
        self.langs = _packed([s.encode() for s in LANGS])


_tables = None


def tables():
    global _tables
    if _tables is None:
        _tables = _Tables()
    return _tables


def _gather(flat, starts, lengths):
    """Concatenation of ``flat[starts[i] : starts[i] + lengths[i]]`` over i, by one cumulative sum of index steps:
    +1 inside a piece, a jump to the next piece's start at each boundary (int32: tables and batches < 2 GiB)."""
    keep = lengths > 0
    if not keep.all():
        starts, lengths = starts[keep], lengths[keep]
    if len(lengths) == 0:
        return flat[:0].copy()
    ends = np.cumsum(lengths)
    step = np.ones(int(ends[-1]), dtype=np.int32)
    step[0] = starts[0]
    step[ends[:-1]] = starts[1:] - (starts[:-1] + lengths[:-1] - 1)
    return flat[np.cumsum(step, dtype=np.int32)]


def _offsets(lengths):
    out = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=out[1:])
    if out[-1] > np.iinfo(np.int32).max:
        raise OverflowError("string column over 2 GiB in one batch: use smaller batches")
    return out.astype(np.int32)


# --- batches ----------------------------------------------------------------------------------------------------

class Strings(NamedTuple):
    """A utf8 column as Arrow lays it out: ``offsets`` (int32, rows+1) into ``data`` (uint8)."""
    offsets: np.ndarray
    data: np.ndarray

    def __len__(self):
        return len(self.offsets) - 1

    def value(self, i):
        return self.data[self.offsets[i]: self.offsets[i + 1]].tobytes()

    def to_pylist(self):
        return [self.value(i) for i in range(len(self))]


class Batch(NamedTuple):
    """Rows ``start .. start+num_rows-1`` as numpy columns (WORKLOAD.md section 4)."""
    start: int
    id: np.ndarray          # int64
    file_path: Strings
    language: Strings
    start_line: np.ndarray  # int32
    content: Strings
    score: np.ndarray       # float64

    @property
    def num_rows(self):
        return len(self.id)

    @property
    def raw_value_bytes(self):
        """Value bytes: 8 + 4 + 8 per row for the numbers, plus the UTF-8 bytes of the strings (no offsets)."""
        return 20 * self.num_rows + sum(len(getattr(self, c).data) for c in STRING_COLUMNS)


def _content(draws, t):
    """``content``: the longest run of leading words (d3..d32), joined by spaces, of at most 120 bytes."""
    w = (draws[:, 3:3 + CONTENT_WORDS] & np.uint64(0xFF)).astype(np.int64)
    wl = t.word_lengths[w]
    # Length of the content made of words 0..j: the words plus j spaces; strictly increasing in j.
    length_through = np.cumsum(wl, axis=1) + np.arange(CONTENT_WORDS)
    fits = length_through <= MAX_CONTENT_BYTES  # a prefix: once a word does not fit, none after it counts
    # Piece j is " word" (slot offset 0) or, for the first word, "word" (slot offset 1).
    first = np.zeros(CONTENT_WORDS, dtype=np.int64)
    first[0] = 1
    starts = (w * _WORD_SLOT + first)[fits]
    lengths = (wl + 1 - first)[fits]
    row_lengths = length_through[np.arange(len(w)), fits.sum(axis=1) - 1]
    return Strings(_offsets(row_lengths), _gather(t.word_slots, starts, lengths))


def _lookup(table, index):
    flat, starts, lengths = table
    return Strings(_offsets(lengths[index]), _gather(flat, starts[index], lengths[index]))


def generate(start, stop):
    """Rows ``start .. stop-1`` as a Batch of numpy arrays."""
    if not 0 <= start <= stop:
        raise ValueError("bad row range %d..%d" % (start, stop))
    t = tables()
    d = row_draws(start, stop)
    return Batch(
        start=start,
        id=np.arange(start, stop, dtype=np.int64),
        file_path=_lookup(t.paths, (d[:, 0] % np.uint64(5000)).astype(np.int64)),
        language=_lookup(t.langs, (d[:, 1] % np.uint64(8)).astype(np.int64)),
        start_line=(d[:, 2] % np.uint64(10000)).astype(np.int32),
        content=_content(d, t),
        score=(d[:, 33] >> np.uint64(11)).astype(np.float64) * 2.0 ** -53,
    )


def batch_ranges(rows, batch_size):
    """Consecutive (start, stop) ranges of ``batch_size`` rows covering 0..rows-1 (the last may be shorter)."""
    if batch_size <= 0:
        raise ValueError("batch_size must be positive")
    return [(s, min(s + batch_size, rows)) for s in range(0, rows, batch_size)]


# --- pyarrow ----------------------------------------------------------------------------------------------------

def have_pyarrow():
    try:
        import pyarrow  # noqa: F401
        return True
    except ImportError:
        return False


def arrow_schema(field_metadata=None):
    """``id int64, file_path utf8, language utf8, start_line int32, content utf8, score float64``, not nullable;
    ``field_metadata`` (a dict) is set on every field (e.g. Lance's compression settings)."""
    import pyarrow as pa
    types = [pa.int64(), pa.utf8(), pa.utf8(), pa.int32(), pa.utf8(), pa.float64()]
    return pa.schema([pa.field(n, t, nullable=False, metadata=field_metadata) for n, t in zip(COLUMNS, types)])


def to_arrow(batch, schema=None):
    """The Batch as a pyarrow RecordBatch, sharing the numpy buffers (no copy)."""
    import pyarrow as pa
    schema = schema or arrow_schema()
    arrays = []
    for name, field in zip(COLUMNS, schema):
        col = getattr(batch, name)
        if isinstance(col, Strings):
            arrays.append(pa.Array.from_buffers(pa.utf8(), len(col), [None, pa.py_buffer(col.offsets),
                                                                       pa.py_buffer(col.data)]))
        else:
            arrays.append(pa.array(col, type=field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def batches(rows, batch_size, arrow=None, schema=None):
    """Yields the table's batches: pyarrow RecordBatches when ``arrow`` (default: pyarrow importable), else Batch."""
    if arrow is None:
        arrow = have_pyarrow()
    for start, stop in batch_ranges(rows, batch_size):
        b = generate(start, stop)
        yield to_arrow(b, schema) if arrow else b


# --- the spec, literally, and the test vectors ------------------------------------------------------------------

def reference_row(r, words=None):
    """Row ``r`` by the letter of WORKLOAD.md section 3 (Python ints and strings): a dict of the six columns."""
    words = words or vocabulary()
    rng = splitmix64(SEED, skip=DRAWS_PER_ROW * r)
    d = [next(rng) for _ in range(DRAWS_PER_ROW)]
    f = d[0] % 5000
    content = b""
    for j in range(CONTENT_WORDS):
        word = words[d[3 + j] & 0xFF]
        candidate = word if not content else content + b" " + word
        if len(candidate) > MAX_CONTENT_BYTES:
            break
        content = candidate
    return {"id": r, "file_path": b"src/mod_%d/file_%d.swift" % (f % 500, f), "language": LANGS[d[1] % 8].encode(),
            "start_line": d[2] % 10000, "content": content, "score": (d[33] >> 11) * 2.0 ** -53}


def _lines(col):
    """Every value of a Strings column followed by ``\\n``, as one uint8 array."""
    n = len(col)
    out = np.empty(len(col.data) + n, dtype=np.uint8)
    newline = col.offsets[1:].astype(np.int64) + np.arange(n)
    keep = np.ones(len(out), dtype=bool)
    keep[newline] = False
    out[keep] = col.data
    out[newline] = 10
    return out


def test_vectors(rows, batch_size=20_000):
    """WORKLOAD.md section 6 for the first ``rows`` rows, computed from the generated columns: sums, language
    counts (in LANGS order), raw value bytes, and the sha256 of each column's canonical serialisation (numbers
    little-endian, strings as UTF-8 bytes each followed by a newline). The result does not depend on batch_size."""
    digests = {c: hashlib.sha256() for c in COLUMNS}
    sum_start_line = raw = 0
    lengths = {c: 0 for c in STRING_COLUMNS}
    counts = np.zeros(8, dtype=np.int64)
    # A language is identified by (first byte, length), as the Swift test does.
    lang_key = np.full(256 * 8, -1, dtype=np.int64)
    for i, s in enumerate(LANGS):
        lang_key[ord(s[0]) * 8 + len(s)] = i
    for start, stop in batch_ranges(rows, batch_size):
        b = generate(start, stop)
        for c in COLUMNS:
            col = getattr(b, c)
            if isinstance(col, Strings):
                digests[c].update(_lines(col).data)
                lengths[c] += len(col.data)
            else:
                digests[c].update(col.astype(col.dtype.newbyteorder("<"), copy=False).tobytes())
        sum_start_line += int(b.start_line.sum(dtype=np.int64))
        raw += b.raw_value_bytes
        lang = b.language
        key = lang.data[lang.offsets[:-1]].astype(np.int64) * 8 + np.diff(lang.offsets)
        counts += np.bincount(lang_key[key], minlength=8)
    out = {"sum_start_line": sum_start_line, "sum_len_content": lengths["content"],
           "sum_len_file_path": lengths["file_path"], "language_counts": [int(x) for x in counts],
           "raw_value_bytes": raw}
    out.update({"sha256_" + c: digests[c].hexdigest() for c in COLUMNS})
    return out


def vocabulary_sha256():
    """sha256 of the 256 words joined by newlines, with a trailing newline."""
    return hashlib.sha256(b"".join(w + b"\n" for w in vocabulary())).hexdigest()


if __name__ == "__main__":
    n = int(float(sys.argv[1])) if len(sys.argv) > 1 else 1_000_000
    print("vocabulary sha256", vocabulary_sha256())
    for k, v in test_vectors(n).items():
        print(k, v)
