/// Counters of one byte-bounded cache, as reported in the `cache_<name>_*` columns.
public struct CacheStatistics: Sendable, Equatable, Codable {
    public var hits: Int
    public var misses: Int
    public var evictions: Int
    /// Entries held now.
    public var entries: Int
    /// Bytes held now (the cache's own accounting of its entries' sizes).
    public var bytes: Int

    public init(hits: Int = 0, misses: Int = 0, evictions: Int = 0, entries: Int = 0, bytes: Int = 0) {
        self.hits = hits
        self.misses = misses
        self.evictions = evictions
        self.entries = entries
        self.bytes = bytes
    }

    /// Sum of two caches' counters (e.g. all per-table caches of one kind).
    public static func + (a: CacheStatistics, b: CacheStatistics) -> CacheStatistics {
        CacheStatistics(hits: a.hits + b.hits, misses: a.misses + b.misses, evictions: a.evictions + b.evictions,
                        entries: a.entries + b.entries, bytes: a.bytes + b.bytes)
    }
}
