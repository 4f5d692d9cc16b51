/// What one merge-insert did.
public struct MergeInsertResult: Sendable {
    /// Target rows replaced by their source row (matched keys, with `whenMatchedUpdateAll`).
    public var rowsUpdated = 0
    /// Source rows whose key was not in the target, added (with `whenNotMatchedInsertAll`).
    public var rowsInserted = 0
    /// Target rows whose key was not in the source, deleted (with `whenNotMatchedBySourceDelete`).
    public var rowsDeleted = 0
    /// Target rows whose key column was read (full scan or key-index build); 0 when the cached index served.
    public var rowsScanned = 0
    /// Whether the key index came from the session's index cache.
    public var keyIndexCacheHit = false
    /// Bytes the key index of the new version is charged in the index cache (0 without a session or commit).
    public var keyIndexBytes = 0
    /// The version after the merge (the input version when nothing changed and nothing was committed).
    public var version = 0
    /// Bytes written: the new data file, deletion files and the manifest.
    public var bytesWritten = 0
    /// Data files written (0 or 1).
    public var filesWritten = 0
    /// The dataset at `version`.
    public var dataset: Dataset?

    public init() {}
}
