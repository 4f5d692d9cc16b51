import Foundation
import RunContract
import Engine

/// Note 002 (LitData's in-memory item loader): items served out of chunk files (`count | offsets | items`)
/// that "download" through a throttled source, under a memory budget with LRU/LFU/FIFO eviction, optional
/// disk offload and prefetch. Serving an item as soon as its own bytes arrive (`as_available`) should beat
/// waiting for its whole chunk (`whole_chunk`) on time to first item.
///
/// `prepare` (unmeasured) writes the chunk files; `run` serves `items` accesses in the `access` order and
/// checks that every served item carries its own index.
public struct LoadWorkload: Workload {
    public static let name = "load"
    public static let summary = "Serve items from chunk files downloading through a throttled source (note 002)"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("serve", .choice(["whole_chunk", "as_available"]), default: "as_available",
                      help: "serve an item once its whole chunk has arrived, or as soon as its own bytes have"),
        ParameterSpec("memory_budget_mb", .int, unit: "MiB", default: "256", range: 1...1_048_576,
                      help: "most chunk bytes held in memory (must hold one chunk)"),
        ParameterSpec("eviction", .choice(["lru", "lfu", "fifo"]), default: "lru", help: "which chunk leaves memory first"),
        ParameterSpec("disk_offload", .bool, default: "false",
                      help: "write evicted chunks to local disk and re-read them instead of downloading again"),
        ParameterSpec("prefetch", .int, unit: "chunks", default: "1", range: 0...1_024,
                      help: "distinct upcoming chunks of the access order to download ahead"),
        ParameterSpec("access", .choice(["sequential", "random", "zipf"]), default: "sequential",
                      help: "item order: storage order, a random permutation, or Zipf(1) draws favouring low item indices"),
        ParameterSpec("chunk_mb", .double, unit: "MiB", default: "64", range: 0.001...4_096, help: "size of each chunk file"),
        ParameterSpec("items", .int, unit: "items", default: "4096", range: 1...1e9,
                      help: "items in the dataset, and accesses made"),
        ParameterSpec("item_bytes", .int, unit: "B", default: "65536", range: 8...1e9, help: "size of each item"),
        ParameterSpec("bandwidth_mb_s", .double, unit: "MB/s", default: "200", range: 0...1e6,
                      help: "download rate per chunk source (1 MB = 1e6 B); 0 = as fast as the disk reads"),
    ]

    let serve: ItemLoader.ServeMode
    let memoryBudgetBytes: Int
    let eviction: EvictionPolicy
    let diskOffload: Bool
    let prefetchChunks: Int
    let access: AccessPattern
    let itemsPerChunk: Int
    let items: Int
    let itemBytes: Int
    let bandwidthBytesPerSecond: Int
    private var chunks: [ChunkDescriptor] = []

    public init(parameters: ParameterValues) throws {
        serve = parameters.string("serve") == "whole_chunk" ? .wholeChunk : .asAvailable
        memoryBudgetBytes = parameters.int("memory_budget_mb") << 20
        eviction = EvictionPolicy(rawValue: parameters.string("eviction"))!
        diskOffload = parameters.bool("disk_offload")
        prefetchChunks = parameters.int("prefetch")
        access = AccessPattern(rawValue: parameters.string("access"))!
        items = parameters.int("items")
        itemBytes = parameters.int("item_bytes")
        let chunkBytes = Int(parameters.double("chunk_mb") * 1_048_576)
        itemsPerChunk = max(1, chunkBytes / itemBytes)
        bandwidthBytesPerSecond = Int(parameters.double("bandwidth_mb_s") * 1e6)
        let largestChunk = ChunkFile.headerBytes(itemCount: min(itemsPerChunk, items), wideOffsets: false) + min(itemsPerChunk, items) * itemBytes
        if largestChunk > memoryBudgetBytes {
            throw ParameterError("load: memory_budget_mb=\(parameters.int("memory_budget_mb")) cannot hold one chunk of \(largestChunk) bytes")
        }
    }

    /// Writes the chunk files: item `i` is `item_bytes` bytes whose first 8 hold `i` (little-endian) and the
    /// rest a splitmix64 stream seeded with `i`.
    public mutating func prepare(_ context: RunContext) throws {
        let dir = context.workDirectory.appendingPathComponent("chunks", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let item = UnsafeMutableRawPointer.allocate(byteCount: (itemBytes + 7) & ~7, alignment: 8)
        defer { item.deallocate() }
        var builder = ChunkFileBuilder(reserveBytes: min(itemsPerChunk, items) * itemBytes)
        chunks = []
        var first = 0
        while first < items {
            let end = min(first + itemsPerChunk, items)
            builder.reset()
            for i in first..<end {
                Self.fillItem(i, item, itemBytes)
                builder.append(UnsafeRawBufferPointer(start: item, count: itemBytes))
            }
            let url = dir.appendingPathComponent(String(format: "chunk-%06d.bin", chunks.count))
            chunks.append(try builder.write(to: url))
            first = end
        }
    }

    static func fillItem(_ index: Int, _ p: UnsafeMutableRawPointer, _ bytes: Int) {
        var rng = SplitMix64(seed: UInt64(index))
        p.storeBytes(of: UInt64(index).littleEndian, as: UInt64.self)
        var at = 8
        while at < bytes {
            (p + at).storeBytes(of: rng.next(), as: UInt64.self)
            at += 8
        }
    }

    public mutating func run(_ context: RunContext) throws {
        let offloadDir = diskOffload ? context.workDirectory.appendingPathComponent("offload", isDirectory: true) : nil
        let order = access.order(itemCount: items)
        context.phase("serve")
        let start = Clock.nowNs()
        let loader = try ItemLoader(chunks: chunks, options: ItemLoader.Options(
            serve: serve, memoryBudgetBytes: memoryBudgetBytes, eviction: eviction, offloadDirectory: offloadDir,
            prefetchChunks: prefetchChunks, bandwidthBytesPerSecond: bandwidthBytesPerSecond))
        var servedBytes = 0
        var mismatches = 0
        try loader.forEach(order: order) { index, bytes in
            // Touch the item: its first word must be its own index.
            if bytes.count != itemBytes || bytes.loadUnaligned(as: UInt64.self) != UInt64(index).littleEndian { mismatches += 1 }
            servedBytes += bytes.count
        }
        let serveNs = Clock.nowNs() - start
        let stats = loader.statistics
        let resident = (0..<chunks.count).filter { loader.isInMemory(chunk: $0) }.count
        context.phase("close")
        loader.close()
        guard mismatches == 0 else { throw ParameterError("load: \(mismatches) items served with the wrong bytes") }

        context.rows = stats.itemsServed
        context.inputBytes = servedBytes
        context.caches["items"] = CacheStatistics(hits: stats.hits, misses: stats.misses, evictions: stats.evictions,
                                                  entries: resident, bytes: stats.bytesHeld)
        if let ttfi = stats.timeToFirstItemNanoseconds { context.setMetric("time_to_first_item_ms", Double(ttfi) / 1e6) }
        if let arrived = stats.firstItemArrivedBytes, let size = stats.firstItemChunkBytes, size > 0 {
            context.setMetric("first_item_chunk_arrived_pct", 100 * Double(arrived) / Double(size))
        }
        context.setMetric("items_per_s", Double(stats.itemsServed) / max(Double(serveNs) / 1e9, 1e-9))
        context.setMetric("hit_ratio", stats.hitRatio ?? 0)
        context.setMetric("evictions", Double(stats.evictions))
        context.setMetric("offloaded_mb", Double(stats.offloadedBytes) / 1e6)
        context.setMetric("offload_read_mb", Double(stats.offloadReadBytes) / 1e6)
        context.setMetric("downloaded_mb", Double(stats.downloadedBytes) / 1e6)
        context.setMetric("redownloaded_mb", Double(stats.redownloadedBytes) / 1e6)
        context.setMetric("prefetches", Double(stats.prefetches))
        context.setMetric("peak_chunk_bytes_held_mb", Double(stats.peakBytesHeld) / 1e6)
        context.setMetric("wait_ms", Double(stats.waitNanoseconds) / 1e6)
        context.setMetric("chunks", Double(chunks.count))
    }
}
