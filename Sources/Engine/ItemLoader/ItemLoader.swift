import Foundation

/// Serves items out of chunk files (`count | offsets | items`, see `ChunkFile`) that "download" through
/// `ThrottledSource`s, keeping at most `memoryBudgetBytes` of chunk bytes in memory (LitData's in-memory item loader,
/// note 002).
///
/// - Serving: `.wholeChunk` hands out an item only once its whole chunk has arrived; `.asAvailable` reads the
///   header as soon as it arrives and hands out item `i` once `offsets[i+1]` bytes are there.
/// - Memory: accounting and eviction are at chunk granularity. A chunk counts its full size from the moment its
///   download (or offload read) starts until it is evicted; before starting one the loader evicts complete,
///   unpinned chunks chosen by `EvictionPolicy` until the new chunk fits, waiting for an in-flight download to
///   finish when nothing else can go. So the bytes held never exceed the budget; the budget must hold at least the
///   largest chunk.
/// - Offload: with an offload directory, an evicted chunk is written there once and later re-read from there
///   instead of downloaded again.
/// - Prefetch: `forEach(order:)` keeps downloads running for the next `prefetchChunks` distinct chunks of the
///   access order, as far as the budget allows without evicting the chunk in use or the prefetch window.
///   Offloaded chunks are not prefetched (they are local).
///
/// One consumer thread at a time (not thread-safe); downloads run on their own threads.
public final class ItemLoader {
    private enum Phase: UInt8 { case remote, downloading, resident, offloaded }

    /// The chunks served, in item order (item indices run through chunk 0, then chunk 1, ...).
    public let chunks: [ChunkDescriptor]
    /// Items in all chunks.
    public let itemCount: Int
    /// The configuration.
    public let options: Options

    private let makeSource: (Int, ChunkDescriptor) throws -> ThrottledSource
    private let offload: DiskOffload?
    private let items: ChunkItemIndex
    private let byteCounts: [Int]         // chunks[i].byteCount (kept apart so the hot path touches no URL)
    private var phase: [Phase]
    private var buffers: [ChunkBuffer?]
    private var bases: [UnsafeMutableRawPointer?]
    private var sources: [ThrottledSource?]
    private var headerValidated: [Bool]
    private var wideOffsets: [Bool]
    private var everDownloaded: [Bool]
    private var lastAccess: [UInt64]
    private var accessCount: [UInt64]
    private var loadSequence: [UInt64]
    private var pins: [Int]
    private var inMemory: [Int] = []      // chunks downloading or resident
    private var positionInMemory: [Int]   // index in inMemory, or -1
    private var tick: UInt64 = 0
    private var loads: UInt64 = 0
    private var held = 0
    private var stats = ItemLoaderStatistics()
    private var firstRequestNs: UInt64?
    private var window: [Int] = []
    private var current = -1

    /// Creates a loader; nothing is downloaded until an item is requested.
    /// - Parameters:
    ///   - chunks: the chunk files, with their item counts and sizes (see `ChunkFile.describe`).
    ///   - options: serving, budget, eviction, offload, prefetch and bandwidth.
    ///   - makeSource: creates the source that downloads chunk `index` (default: a `ThrottledSource` into memory
    ///     at `options.bandwidthBytesPerSecond`). It must use the `.memory` destination and not be started.
    /// - Throws: `.budgetTooSmall` when the budget cannot hold the largest chunk; offload directory errors.
    public init(chunks: [ChunkDescriptor], options: Options,
                makeSource: ((Int, ChunkDescriptor) throws -> ThrottledSource)? = nil) throws {
        self.chunks = chunks
        self.options = options
        let largest = chunks.map(\.byteCount).max() ?? 0
        guard largest <= options.memoryBudgetBytes else {
            throw ItemLoaderError.budgetTooSmall(budgetBytes: options.memoryBudgetBytes, chunkBytes: largest)
        }
        let bw = options.bandwidthBytesPerSecond
        let step = options.sourceStepBytes
        self.makeSource = makeSource ?? { _, d in
            try ThrottledSource(url: d.url, bandwidthBytesPerSecond: bw, destination: .memory, stepBytes: step)
        }
        offload = try options.offloadDirectory.map { try DiskOffload(directory: $0) }
        items = ChunkItemIndex(chunks)
        byteCounts = chunks.map(\.byteCount)
        itemCount = items.itemCount
        let n = chunks.count
        phase = Array(repeating: .remote, count: n)
        buffers = Array(repeating: nil, count: n)
        bases = Array(repeating: nil, count: n)
        sources = Array(repeating: nil, count: n)
        headerValidated = Array(repeating: false, count: n)
        wideOffsets = Array(repeating: false, count: n)
        everDownloaded = Array(repeating: false, count: n)
        lastAccess = Array(repeating: 0, count: n)
        accessCount = Array(repeating: 0, count: n)
        loadSequence = Array(repeating: 0, count: n)
        pins = Array(repeating: 0, count: n)
        positionInMemory = Array(repeating: -1, count: n)
        window.reserveCapacity(max(options.prefetchChunks, 0))
        inMemory.reserveCapacity(n)
    }

    deinit { close() }

    /// Stops every download, waits for the download threads, drops the chunks held and deletes offloaded files.
    public func close() {
        for s in sources { s?.cancel() }
        for s in sources { s?.waitUntilFinished() }
        for c in inMemory {
            drop(c)
            positionInMemory[c] = -1
        }
        inMemory.removeAll()
        offload?.removeAll()
        for c in 0..<phase.count { phase[c] = .remote }
    }

    /// Counters so far.
    public var statistics: ItemLoaderStatistics {
        var s = stats
        s.bytesHeld = held
        return s
    }

    /// The chunk holding item `index` (O(log chunks)).
    public func chunkIndex(ofItem index: Int) -> Int { items.chunk(ofItem: index) }

    /// Whether chunk `chunk` is in memory now (downloading or complete).
    public func isInMemory(chunk: Int) -> Bool { positionInMemory[chunk] >= 0 }

    /// Whether chunk `chunk` has a copy in the offload directory.
    public func isOffloaded(chunk: Int) -> Bool { offload?.contains(chunk) ?? false }

    /// Calls `body` with item `index`'s bytes, valid only during the call (no copy: they point into the chunk
    /// buffer). Blocks until the bytes are available under the serve mode.
    public func withItem<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard index >= 0 && index < itemCount else { throw ItemLoaderError.itemOutOfRange(index: index, itemCount: itemCount) }
        let c = chunkIndex(ofItem: index)
        let item = try locate(index, chunk: c)
        pins[c] += 1
        defer { pins[c] -= 1 }
        return try body(item)
    }

    /// Serves the items of `order` (item indices, any order, repeats allowed) one after another, prefetching the
    /// next `prefetchChunks` distinct chunks of the order. `body` gets the item index and its bytes (valid only
    /// during the call).
    public func forEach(order: [Int], _ body: (Int, UnsafeRawBufferPointer) throws -> Void) throws {
        // Runs of consecutive accesses to the same chunk, for the prefetch look-ahead.
        var runs: [Int32] = []
        runs.reserveCapacity(min(order.count, 1 << 20))
        for i in order {
            guard i >= 0 && i < itemCount else { throw ItemLoaderError.itemOutOfRange(index: i, itemCount: itemCount) }
            let c = Int32(chunkIndex(ofItem: i))
            if runs.last != c { runs.append(c) }
        }
        var run = -1
        var previous = -1
        defer { current = -1; window.removeAll(keepingCapacity: true) }
        for i in order {
            let c = chunkIndex(ofItem: i)
            if c != previous {
                run += 1
                previous = c
                current = c
                let item = try locate(i, chunk: c)
                if options.prefetchChunks > 0 { try prefetch(after: run, runs: runs) }
                pins[c] += 1
                defer { pins[c] -= 1 }
                try body(i, item)
            } else {
                let item = try locate(i, chunk: c)
                pins[c] += 1
                defer { pins[c] -= 1 }
                try body(i, item)
            }
        }
    }

    // MARK: - serving

    /// Makes item `index` of chunk `c` available and returns its bytes; updates the statistics.
    private func locate(_ index: Int, chunk c: Int) throws -> UnsafeRawBufferPointer {
        if firstRequestNs == nil { firstRequestNs = EngineClock.monotonicNanoseconds() }
        tick &+= 1
        lastAccess[c] = tick
        accessCount[c] &+= 1
        switch phase[c] {
        case .resident, .downloading:
            stats.hits += 1
        case .remote, .offloaded:
            stats.misses += 1
            try reserve(byteCounts[c], forChunk: c, demand: true)
            try load(c, prefetch: false)
        }
        let total = byteCounts[c]
        let base = bases[c]!
        var arrived = total
        if phase[c] == .downloading, let source = sources[c] {
            arrived = source.arrivedBytes
            if options.serve == .wholeChunk {
                arrived = try wait(source, for: total, arrived: arrived)
            } else if !headerValidated[c] {
                arrived = try wait(source, for: 4, arrived: arrived)
                let (count, wide) = ChunkFile.decodeCount(base)
                let header = ChunkFile.headerBytes(itemCount: count, wideOffsets: wide)
                guard count == chunks[c].itemCount, header <= total else {
                    throw ItemLoaderError.corrupt(file: chunks[c].url.path, offset: 0,
                                                  reason: "item count \(count), expected \(chunks[c].itemCount)")
                }
                arrived = try wait(source, for: header, arrived: arrived)
            }
            if !headerValidated[c] { try validateHeader(c, available: arrived) }
            let local = index - items.firstItem[c]
            let end = ChunkFile.offset(base, wideOffsets: wideOffsets[c], index: local + 1)
            arrived = try wait(source, for: end, arrived: arrived)
            if arrived == total { markResident(c) }
        } else if !headerValidated[c] {
            try validateHeader(c, available: total)
        }
        let local = index - items.firstItem[c]
        let start = ChunkFile.offset(base, wideOffsets: wideOffsets[c], index: local)
        let end = ChunkFile.offset(base, wideOffsets: wideOffsets[c], index: local + 1)
        stats.itemsServed += 1
        if stats.timeToFirstItemNanoseconds == nil {
            stats.timeToFirstItemNanoseconds = EngineClock.monotonicNanoseconds() - firstRequestNs!
            stats.firstItemArrivedBytes = arrived
            stats.firstItemChunkBytes = total
        }
        return UnsafeRawBufferPointer(start: base + start, count: end - start)
    }

    @inline(__always)
    private func wait(_ source: ThrottledSource, for bytes: Int, arrived: Int) throws -> Int {
        if arrived >= bytes { return arrived }
        let t0 = EngineClock.monotonicNanoseconds()
        let now = try source.waitForBytes(bytes)
        stats.waitNanoseconds &+= EngineClock.monotonicNanoseconds() - t0
        return now
    }

    private func validateHeader(_ c: Int, available: Int) throws {
        let (_, wide) = try ChunkFile.validateHeader(bases[c]!, availableBytes: available, fileBytes: chunks[c].byteCount,
                                                     file: chunks[c].url.path, expectedItemCount: chunks[c].itemCount)
        wideOffsets[c] = wide
        headerValidated[c] = true
    }

    // MARK: - memory

    /// Makes room for `bytes` more and accounts them, evicting by policy. A demand reservation waits for in-flight
    /// downloads when nothing else can be evicted; a prefetch reservation gives up instead.
    /// - Returns: whether the bytes were reserved (always true for demand, which throws otherwise).
    @discardableResult
    private func reserve(_ bytes: Int, forChunk c: Int, demand: Bool) throws -> Bool {
        refreshDownloads()
        while held + bytes > options.memoryBudgetBytes {
            if let v = victim(excluding: c, demand: demand) {
                try evict(v)
                continue
            }
            if demand, let d = oldestDownload(excluding: c) {
                let s = sources[d]!
                let t0 = EngineClock.monotonicNanoseconds()
                try s.waitForBytes(s.totalBytes)
                stats.waitNanoseconds &+= EngineClock.monotonicNanoseconds() - t0
                markResident(d)
                continue
            }
            if demand { throw ItemLoaderError.budgetTooSmall(budgetBytes: options.memoryBudgetBytes, chunkBytes: bytes) }
            return false
        }
        held += bytes
        if held > stats.peakBytesHeld { stats.peakBytesHeld = held }
        return true
    }

    private func isProtected(_ x: Int, demand: Bool) -> Bool {
        if pins[x] > 0 || x == current { return true }
        if !demand { for w in window where w == x { return true } }
        return false
    }

    private func victim(excluding c: Int, demand: Bool) -> Int? {
        let candidates = inMemory.lazy
            .filter { x in x != c && self.phase[x] == .resident && !self.isProtected(x, demand: demand) }
            .map { x in
                EvictionPolicy.Usage(id: x, lastAccess: self.lastAccess[x], accessCount: self.accessCount[x],
                                     loadSequence: self.loadSequence[x])
            }
        return options.eviction.victim(among: candidates)?.id
    }

    private func oldestDownload(excluding c: Int) -> Int? {
        var best = -1
        for x in inMemory where x != c && phase[x] == .downloading && pins[x] == 0 {
            if best < 0 || loadSequence[x] < loadSequence[best] { best = x }
        }
        return best >= 0 ? best : nil
    }

    private func refreshDownloads() {
        for x in inMemory where phase[x] == .downloading {
            if let s = sources[x], s.isComplete { markResident(x) }
        }
    }

    private func markResident(_ c: Int) {
        phase[c] = .resident
        sources[c] = nil
    }

    private func evict(_ v: Int) throws {
        if let o = offload, !o.contains(v) {
            try o.write(v, UnsafeRawBufferPointer(start: bases[v]!, count: chunks[v].byteCount))
            stats.offloadedBytes += chunks[v].byteCount
        }
        drop(v)
        let p = positionInMemory[v]
        let last = inMemory.removeLast()
        if last != v {
            inMemory[p] = last
            positionInMemory[last] = p
        }
        positionInMemory[v] = -1
        stats.evictions += 1
    }

    /// Releases chunk `v`'s memory (the caller fixes `inMemory`).
    private func drop(_ v: Int) {
        held -= chunks[v].byteCount
        buffers[v] = nil
        bases[v] = nil
        sources[v] = nil
        headerValidated[v] = false
        phase[v] = (offload?.contains(v) ?? false) ? .offloaded : .remote
    }

    /// Starts bringing chunk `c` into memory (bytes already reserved): an offload read, or a download.
    private func load(_ c: Int, prefetch: Bool) throws {
        loads &+= 1
        loadSequence[c] = loads
        lastAccess[c] = max(lastAccess[c], tick)
        headerValidated[c] = false
        do {
            if phase[c] == .offloaded, let o = offload {
                let b = try o.read(c)
                guard b.count == chunks[c].byteCount else {
                    throw ItemLoaderError.truncated(file: o.url(of: c).path, offset: b.count)
                }
                stats.offloadReadBytes += b.count
                buffers[c] = b
                bases[c] = b.base
                phase[c] = .resident
            } else {
                let s = try makeSource(c, chunks[c])
                guard let b = s.buffer else {
                    preconditionFailure("ItemLoader sources must download into memory")
                }
                guard s.totalBytes == chunks[c].byteCount else {
                    throw ItemLoaderError.corrupt(file: chunks[c].url.path, offset: s.totalBytes,
                                                  reason: "file has \(s.totalBytes) B, expected \(chunks[c].byteCount) B")
                }
                s.start()
                if everDownloaded[c] { stats.redownloadedBytes += s.totalBytes }
                everDownloaded[c] = true
                stats.downloadedBytes += s.totalBytes
                if prefetch { stats.prefetches += 1 }
                sources[c] = s
                buffers[c] = b
                bases[c] = b.base
                phase[c] = .downloading
            }
        } catch {
            held -= chunks[c].byteCount
            throw error
        }
        positionInMemory[c] = inMemory.count
        inMemory.append(c)
    }

    /// Downloads ahead the next distinct chunks of the access order after run `run`.
    private func prefetch(after run: Int, runs: [Int32]) throws {
        window.removeAll(keepingCapacity: true)
        let want = options.prefetchChunks
        var r = run + 1
        let limit = min(runs.count, run + 1 + 64 * want + 64)
        while r < limit && window.count < want {
            let x = Int(runs[r])
            if x != current && !window.contains(x) { window.append(x) }
            r += 1
        }
        for x in window where phase[x] == .remote {
            guard try reserve(chunks[x].byteCount, forChunk: x, demand: false) else { break }
            try load(x, prefetch: true)
        }
    }
}
