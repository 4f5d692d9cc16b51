/// How a `DatasetWriter` turns batches into data files (seed note 003).
public enum WriteStrategy: String, Sendable, CaseIterable {
    /// Hold every batch in memory until `close()`, then encode and write them all: peak memory grows
    /// with the rows written (the note's 601-batches-in-memory model).
    case accumulate
    /// Encode and write batches as they arrive through a bounded queue, overlapping generation (the
    /// caller), encoding (worker threads) and file I/O (another worker): memory stays
    /// O(batch size × queue depth) however many rows are written.
    case streaming
}

/// When a `DatasetWriter` commits new versions.
public enum CommitMode: String, Sendable, CaseIterable {
    /// One commit at `close()` adding every fragment written.
    case once
    /// A commit at every flush: each flush ends the current data file and commits it as a new
    /// fragment in a new version (exposes per-version and per-fragment overhead).
    case everyFlush
}

/// What a `DatasetWriter` does with an existing dataset.
public enum WriteMode: String, Sendable, CaseIterable {
    /// Create the dataset if missing, else append to it (schemas must match). The default.
    case append
    /// Create the dataset; fail if one exists.
    case create
    /// Create the dataset if missing, else replace its fragments (and schema) in the first commit.
    case overwrite
}
