/// The caches that outlive a table handle: one byte-bounded LRU cache for index entries (key indices) and one for
/// metadata (manifests, data-file footers), as in Lance's `Session`.
///
/// Open every table with the same `Session` to bound the whole process by one budget ("shared"), or give each
/// table its own ("per table", Lance's default): then the total grows with the number of tables. Cache keys are
/// strings that include the dataset path and the version (see `CacheKey`), so each new version adds new entries and
/// old ones stay until LRU eviction pushes them out.
public final class Session: Sendable {
    /// Lance's default index cache budget: 6 GiB.
    public static let defaultIndexCacheBytes = 6 << 30
    /// Lance's default metadata cache budget: 1 GiB.
    public static let defaultMetadataCacheBytes = 1 << 30

    /// Index entries (e.g. merge-insert `KeyIndex`), named `index` in statistics.
    public let indexCache: ByteBoundedCache<String, any Sendable>
    /// Manifests and data-file footers, named `metadata` in statistics.
    public let metadataCache: ByteBoundedCache<String, any Sendable>

    /// Creates a session.
    /// - Parameters:
    ///   - indexCacheBytes: index cache budget in bytes (default 6 GiB, Lance's default).
    ///   - metadataCacheBytes: metadata cache budget in bytes (default 1 GiB, Lance's default).
    public init(indexCacheBytes: Int = Session.defaultIndexCacheBytes,
                metadataCacheBytes: Int = Session.defaultMetadataCacheBytes) {
        indexCache = ByteBoundedCache(name: "index", budgetBytes: indexCacheBytes)
        metadataCache = ByteBoundedCache(name: "metadata", budgetBytes: metadataCacheBytes)
    }

    /// Statistics per cache name (`index`, `metadata`), for the `cache_<name>_*` columns.
    public var statistics: [String: CacheStatistics] {
        [indexCache.name: indexCache.statistics, metadataCache.name: metadataCache.statistics]
    }

    /// Bytes held by both caches now.
    public var sizeBytes: Int {
        indexCache.statistics.bytes + metadataCache.statistics.bytes
    }

    /// Sums the statistics of several sessions per cache name (e.g. all per-table sessions of a run).
    public static func combinedStatistics(_ sessions: [Session]) -> [String: CacheStatistics] {
        var out: [String: CacheStatistics] = [:]
        for s in sessions {
            for (name, st) in s.statistics { out[name, default: CacheStatistics()] = out[name, default: CacheStatistics()] + st }
        }
        return out
    }
}
