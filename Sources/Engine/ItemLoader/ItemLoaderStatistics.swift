/// What an `ItemLoader` measured. Bytes are chunk bytes (header included); times are monotonic nanoseconds.
public struct ItemLoaderStatistics: Sendable, Equatable {
    /// Nanoseconds from the first item request to the moment the first item's bytes were available (nil before).
    public var timeToFirstItemNanoseconds: UInt64?
    /// Bytes of the first item's chunk that had arrived when the first item was served.
    public var firstItemArrivedBytes: Int?
    /// Size in bytes of the first item's chunk.
    public var firstItemChunkBytes: Int?
    /// Items handed to callers.
    public var itemsServed = 0
    /// Item requests whose chunk was in memory or already downloading (started by an earlier demand or a prefetch).
    public var hits = 0
    /// Item requests that had to start a download or an offload read.
    public var misses = 0
    /// Chunks evicted from memory to stay within the budget.
    public var evictions = 0
    /// Bytes written to the offload directory by evictions.
    public var offloadedBytes = 0
    /// Bytes read back from the offload directory instead of downloading again.
    public var offloadReadBytes = 0
    /// Bytes downloaded (every download, first or repeated).
    public var downloadedBytes = 0
    /// Bytes downloaded again for chunks that had been downloaded before and evicted without offload.
    public var redownloadedBytes = 0
    /// Downloads started ahead of demand by prefetch.
    public var prefetches = 0
    /// Chunk bytes held in memory now (downloading chunks count their full size from the moment they start).
    public var bytesHeld = 0
    /// The most chunk bytes held at any moment (never above the budget).
    public var peakBytesHeld = 0
    /// Nanoseconds callers spent blocked waiting for bytes to arrive.
    public var waitNanoseconds: UInt64 = 0

    public init() {}

    /// hits / (hits + misses), or nil before any request.
    public var hitRatio: Double? {
        hits + misses == 0 ? nil : Double(hits) / Double(hits + misses)
    }
}
