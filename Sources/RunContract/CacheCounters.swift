/// One engine cache's counters as a child reports them (`cache_<name>_{hits,misses,evictions,entries,bytes}`).
public struct CacheCounters: Sendable, Equatable, Codable {
    public var hits: Int
    public var misses: Int
    public var evictions: Int
    /// Entries held at the end of the run.
    public var entries: Int
    /// Bytes held at the end of the run (the cache's own accounting).
    public var bytes: Int

    public init(hits: Int = 0, misses: Int = 0, evictions: Int = 0, entries: Int = 0, bytes: Int = 0) {
        self.hits = hits
        self.misses = misses
        self.evictions = evictions
        self.entries = entries
        self.bytes = bytes
    }

    /// Column suffixes and values, in column order.
    public var columns: [(suffix: String, value: Int)] {
        [("hits", hits), ("misses", misses), ("evictions", evictions), ("entries", entries), ("bytes", bytes)]
    }
}
