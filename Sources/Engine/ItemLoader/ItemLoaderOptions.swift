import Foundation

extension ItemLoader {
    /// When an item may be served.
    public enum ServeMode: String, Sendable, CaseIterable {
        /// Only once the item's whole chunk has arrived.
        case wholeChunk = "whole_chunk"
        /// As soon as the item's own bytes (and the chunk header) have arrived.
        case asAvailable = "as_available"
    }

    /// Loader configuration.
    public struct Options: Sendable {
        /// When an item may be served (default `.asAvailable`).
        public var serve: ServeMode
        /// Most chunk bytes held in memory at once (default 1 GiB); at least the largest chunk.
        public var memoryBudgetBytes: Int
        /// Which chunk to evict (default `.lru`).
        public var eviction: EvictionPolicy
        /// Directory for evicted chunks (nil = no offload: evicted chunks are downloaded again).
        public var offloadDirectory: URL?
        /// Distinct upcoming chunks of the access order to download ahead (default 0 = none).
        public var prefetchChunks: Int
        /// Download rate per source in bytes per second (default 0 = unthrottled).
        public var bandwidthBytesPerSecond: Int
        /// Bytes a source copies per step (default 64 KiB).
        public var sourceStepBytes: Int

        public init(serve: ServeMode = .asAvailable, memoryBudgetBytes: Int = 1 << 30, eviction: EvictionPolicy = .lru,
                    offloadDirectory: URL? = nil, prefetchChunks: Int = 0, bandwidthBytesPerSecond: Int = 0,
                    sourceStepBytes: Int = 64 << 10) {
            self.serve = serve
            self.memoryBudgetBytes = memoryBudgetBytes
            self.eviction = eviction
            self.offloadDirectory = offloadDirectory
            self.prefetchChunks = prefetchChunks
            self.bandwidthBytesPerSecond = bandwidthBytesPerSecond
            self.sourceStepBytes = sourceStepBytes
        }
    }
}
