/// When a `DatasetWriter` commits new versions.
public enum CommitMode: String, Sendable, CaseIterable {
    /// One commit at `close()` adding every fragment written.
    case once
    /// A commit at every flush: each flush ends the current data file and commits it as a new
    /// fragment in a new version (exposes per-version and per-fragment overhead).
    case everyFlush
}
