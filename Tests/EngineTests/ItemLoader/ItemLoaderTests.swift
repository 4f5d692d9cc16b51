import XCTest
import Foundation
@testable import Engine

final class ItemLoaderTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("hw-items-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// Deterministic content of global item `g`: 1...400 bytes, byte k = (g * 31 + k) & 0xff.
    private func itemBytes(_ g: Int) -> [UInt8] {
        let n = (g &* 7919) % 400 + 1
        return (0..<n).map { UInt8(truncatingIfNeeded: g &* 31 &+ $0) }
    }

    /// Writes `chunks` chunk files of `perChunk` items each.
    private func makeChunks(_ chunks: Int, perChunk: Int) throws -> [ChunkDescriptor] {
        var out: [ChunkDescriptor] = []
        var g = 0
        for c in 0..<chunks {
            var b = ChunkFileBuilder()
            for _ in 0..<perChunk {
                b.append(itemBytes(g))
                g += 1
            }
            out.append(try b.write(to: dir.appendingPathComponent("chunk-\(c).bin")))
        }
        return out
    }

    private func check(_ g: Int, _ bytes: UnsafeRawBufferPointer) {
        XCTAssertEqual(Array(bytes), itemBytes(g), "item \(g)")
    }

    // MARK: chunk format

    func testChunkFileRoundTripNarrowAndWide() throws {
        for wide in [false, true] {
            var b = ChunkFileBuilder(forceWideOffsets: wide)
            let items: [[UInt8]] = [[1, 2, 3], [], [9], Array(repeating: 7, count: 1000)]
            for i in items { b.append(i) }
            let bytes = b.encoded()
            XCTAssertEqual(bytes.count, b.fileBytes)
            XCTAssertEqual(bytes.count, ChunkFile.headerBytes(itemCount: 4, wideOffsets: wide) + 1004)
            try bytes.withUnsafeBytes { raw in
                let (count, w) = try ChunkFile.validateHeader(raw.baseAddress!, availableBytes: raw.count, fileBytes: raw.count, file: "mem")
                XCTAssertEqual(count, 4)
                XCTAssertEqual(w, wide)
                for i in 0..<count {
                    let s = ChunkFile.offset(raw.baseAddress!, wideOffsets: w, index: i)
                    let e = ChunkFile.offset(raw.baseAddress!, wideOffsets: w, index: i + 1)
                    XCTAssertEqual(Array(raw[s..<e]), items[i])
                }
            }
            let url = dir.appendingPathComponent("rt-\(wide).bin")
            let d = try b.write(to: url)
            XCTAssertEqual(try ChunkFile.describe(url), d)
            XCTAssertEqual(d.byteCount, bytes.count)
            XCTAssertEqual(try Data(contentsOf: url), Data(bytes))
        }
    }

    func testCorruptHeadersAreRejectedWithOffsets() throws {
        var b = ChunkFileBuilder()
        for i in 0..<5 { b.append([UInt8](repeating: UInt8(i), count: 10)) }
        let good = b.encoded()
        // Decreasing offset at entry 3.
        var bad = good
        bad[4 + 3 * 4] = 0
        bad[4 + 3 * 4 + 1] = 0
        XCTAssertThrowsError(try bad.withUnsafeBytes {
            try ChunkFile.validateHeader($0.baseAddress!, availableBytes: $0.count, fileBytes: $0.count, file: "x")
        }) { e in
            guard case let ItemLoaderError.corrupt(file, offset, _) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(file, "x")
            XCTAssertEqual(offset, 4 + 3 * 4)
        }
        // Wrong file size (truncated file) and wrong expected count.
        XCTAssertThrowsError(try good.withUnsafeBytes {
            try ChunkFile.validateHeader($0.baseAddress!, availableBytes: $0.count, fileBytes: $0.count - 1, file: "x")
        })
        XCTAssertThrowsError(try good.withUnsafeBytes {
            try ChunkFile.validateHeader($0.baseAddress!, availableBytes: $0.count, fileBytes: $0.count, file: "x", expectedItemCount: 6)
        })
        // Header announcing more items than the file can hold.
        var huge = good
        huge[0] = 0xff
        huge[1] = 0xff
        XCTAssertThrowsError(try huge.withUnsafeBytes {
            try ChunkFile.validateHeader($0.baseAddress!, availableBytes: $0.count, fileBytes: $0.count, file: "x")
        })
        let url = dir.appendingPathComponent("trunc.bin")
        try Data(good.prefix(30)).write(to: url)
        XCTAssertThrowsError(try ChunkFile.describe(url))
    }

    // MARK: throttled source

    func testThrottledSourceIntoMemoryAndStagingFile() throws {
        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        let url = dir.appendingPathComponent("blob.bin")
        try Data(payload).write(to: url)
        let mem = try ThrottledSource(url: url, bandwidthBytesPerSecond: 0, stepBytes: 16 << 10)
        mem.start()
        XCTAssertEqual(try mem.waitForBytes(payload.count), payload.count)
        XCTAssertTrue(mem.isComplete)
        XCTAssertEqual(Array(mem.buffer!.bytes), payload)

        let staged = dir.appendingPathComponent("staged.bin")
        let file = try ThrottledSource(url: url, bandwidthBytesPerSecond: 200 << 20, destination: .stagingFile(staged),
                                       stepBytes: 32 << 10)
        XCTAssertNil(file.buffer)
        file.start()
        var out = [UInt8](repeating: 0, count: 1000)
        try out.withUnsafeMutableBytes { try file.copyBytes(5000..<6000, into: $0.baseAddress!) }
        XCTAssertEqual(out, Array(payload[5000..<6000]))
        file.waitUntilFinished()
        XCTAssertEqual(try Data(contentsOf: staged), Data(payload))
        XCTAssertNotNil(file.downloadNanoseconds)
    }

    func testThrottledSourcePausesAtAPrefixAndResumes() throws {
        let url = dir.appendingPathComponent("blob.bin")
        try Data(repeating: 5, count: 100_000).write(to: url)
        let s = try ThrottledSource(url: url, bandwidthBytesPerSecond: 0, stepBytes: 4096, pauseAtBytes: 10_000)
        s.start()
        XCTAssertEqual(try s.waitForBytes(10_000), 10_000)
        XCTAssertEqual(s.arrivedBytes, 10_000, "the download holds at the pause point")
        XCTAssertFalse(s.isComplete)
        s.resume()
        try s.waitForBytes(100_000)
        s.waitUntilFinished()
        XCTAssertTrue(s.isComplete)

        let c = try ThrottledSource(url: url, bandwidthBytesPerSecond: 0, stepBytes: 4096, pauseAtBytes: 8192)
        c.start()
        try c.waitForBytes(8192)
        c.cancel()
        XCTAssertThrowsError(try c.waitForBytes(100_000)) { e in
            XCTAssertEqual(e as? ItemLoaderError, .cancelled(file: url.path))
        }
        c.waitUntilFinished()
    }

    // MARK: loader

    func testAsAvailableServesFirstItemBeforeChunkCompletes() throws {
        let chunks = try makeChunks(2, perChunk: 200)
        let pauseAt = chunks[0].byteCount / 2
        var made: [ThrottledSource] = []
        // Only chunk 0's download holds half way (until resumed below).
        let loader = try ItemLoader(chunks: chunks, options: .init(serve: .asAvailable, memoryBudgetBytes: 1 << 20)) { i, d in
            let s = try ThrottledSource(url: d.url, bandwidthBytesPerSecond: 0, stepBytes: 1024,
                                        pauseAtBytes: i == 0 ? pauseAt : nil)
            made.append(s)
            return s
        }
        try loader.withItem(0) { check(0, $0) }
        let st = loader.statistics
        XCTAssertEqual(st.firstItemChunkBytes, chunks[0].byteCount)
        XCTAssertLessThan(st.firstItemArrivedBytes!, chunks[0].byteCount, "served before the chunk completed")
        XCTAssertLessThanOrEqual(st.firstItemArrivedBytes!, pauseAt)
        XCTAssertFalse(made[0].isComplete)
        XCTAssertEqual(made.count, 1)
        XCTAssertNotNil(st.timeToFirstItemNanoseconds)
        for s in made { s.resume() }
        for g in 0..<400 { try loader.withItem(g) { check(g, $0) } }
        XCTAssertEqual(loader.statistics.itemsServed, 401)
        XCTAssertEqual(loader.statistics.misses, 2)
        XCTAssertEqual(loader.statistics.hits, 399)
    }

    func testWholeChunkServesOnlyCompleteChunks() throws {
        let chunks = try makeChunks(2, perChunk: 200)
        let loader = try ItemLoader(chunks: chunks, options: .init(serve: .wholeChunk, memoryBudgetBytes: 1 << 20,
                                                                   bandwidthBytesPerSecond: 64 << 20, sourceStepBytes: 4096))
        try loader.withItem(0) { check(0, $0) }
        XCTAssertEqual(loader.statistics.firstItemArrivedBytes, chunks[0].byteCount)
        try loader.forEach(order: Array(0..<400)) { g, b in check(g, b) }
        XCTAssertEqual(loader.statistics.itemsServed, 401)
    }

    func testSmallBudgetEvictsAndNeverExceedsBudgetWithoutOffload() throws {
        let chunks = try makeChunks(8, perChunk: 50)
        let budget = 3 * chunks.map(\.byteCount).max()!
        let loader = try ItemLoader(chunks: chunks, options: .init(serve: .asAvailable, memoryBudgetBytes: budget,
                                                                   eviction: .lru, prefetchChunks: 2))
        let order = Array(0..<400) + Array(0..<400)
        try loader.forEach(order: order) { g, b in check(g, b) }
        let st = loader.statistics
        XCTAssertGreaterThan(st.evictions, 0)
        XCTAssertLessThanOrEqual(st.peakBytesHeld, budget)
        XCTAssertLessThanOrEqual(st.bytesHeld, budget)
        XCTAssertGreaterThan(st.redownloadedBytes, 0, "evicted chunks are downloaded again")
        XCTAssertEqual(st.offloadedBytes, 0)
        XCTAssertGreaterThan(st.prefetches, 0)
        XCTAssertEqual(st.itemsServed, 800)
        XCTAssertEqual(st.hits + st.misses, 800)
    }

    func testRandomAccessWithPrefetchStaysWithinBudgetForEveryPolicy() throws {
        let chunks = try makeChunks(10, perChunk: 40)
        let budget = 4 * chunks.map(\.byteCount).max()!
        var rng = TestRandom(seed: 7)
        let order = (0..<2_000).map { _ in Int(rng.next() % 400) }
        for policy in EvictionPolicy.allCases {
            for serve in ItemLoader.ServeMode.allCases {
                let loader = try ItemLoader(chunks: chunks, options: .init(serve: serve, memoryBudgetBytes: budget,
                                                                           eviction: policy, prefetchChunks: 3))
                try loader.forEach(order: order) { g, b in check(g, b) }
                let st = loader.statistics
                XCTAssertLessThanOrEqual(st.peakBytesHeld, budget, "\(policy) \(serve)")
                XCTAssertGreaterThan(st.evictions, 0)
                XCTAssertEqual(st.itemsServed, order.count)
            }
        }
    }

    func testOffloadRereadsFromDiskInsteadOfDownloading() throws {
        let chunks = try makeChunks(6, perChunk: 30)
        let budget = 2 * chunks.map(\.byteCount).max()!
        let total = chunks.reduce(0) { $0 + $1.byteCount }
        let off = dir.appendingPathComponent("offload")
        let loader = try ItemLoader(chunks: chunks, options: .init(serve: .asAvailable, memoryBudgetBytes: budget,
                                                                   eviction: .fifo, offloadDirectory: off))
        let order = Array(0..<180) + Array(0..<180)
        try loader.forEach(order: order) { g, b in check(g, b) }
        let st = loader.statistics
        XCTAssertEqual(st.downloadedBytes, total, "every chunk is downloaded exactly once")
        XCTAssertEqual(st.redownloadedBytes, 0)
        XCTAssertGreaterThan(st.offloadedBytes, 0)
        XCTAssertGreaterThan(st.offloadReadBytes, 0)
        XCTAssertTrue(loader.isOffloaded(chunk: 0))
        XCTAssertTrue(FileManager.default.fileExists(atPath: off.appendingPathComponent("chunk-0.bin").path))
        XCTAssertLessThanOrEqual(st.peakBytesHeld, budget)
        loader.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: off.appendingPathComponent("chunk-0.bin").path))
        XCTAssertEqual(loader.statistics.bytesHeld, 0)
        // Still usable after close: chunks are downloaded again.
        try loader.withItem(0) { check(0, $0) }
        XCTAssertEqual(loader.statistics.redownloadedBytes, chunks[0].byteCount)
    }

    /// Chunks A, B, C (all fit), accessed A×1, B×3, C×2, A×1, then D needs room for one:
    /// LRU evicts B (oldest last access), LFU evicts C (A and C have 2 accesses, C is older), FIFO evicts A (loaded first).
    func testEachPolicyEvictsTheRightVictim() throws {
        let chunks = try makeChunks(4, perChunk: 10)
        let largest = chunks.map(\.byteCount).max()!
        let budget = chunks[0].byteCount + chunks[1].byteCount + chunks[2].byteCount + largest / 2
        XCTAssertLessThan(budget, chunks.reduce(0) { $0 + $1.byteCount })
        let expected: [EvictionPolicy: Int] = [.lru: 1, .lfu: 2, .fifo: 0]
        for policy in EvictionPolicy.allCases {
            let loader = try ItemLoader(chunks: chunks, options: .init(serve: .wholeChunk, memoryBudgetBytes: budget, eviction: policy))
            for g in [0, 10, 11, 12, 20, 21, 1] { try loader.withItem(g) { check(g, $0) } }
            XCTAssertEqual((0..<3).filter { loader.isInMemory(chunk: $0) }, [0, 1, 2])
            try loader.withItem(30) { check(30, $0) }
            let victim = expected[policy]!
            XCTAssertEqual((0..<4).filter { !loader.isInMemory(chunk: $0) }, [victim], "\(policy)")
            XCTAssertEqual(loader.statistics.evictions, 1)
        }
    }

    func testPolicyOrderingUnit() {
        let a = EvictionPolicy.Usage(id: 0, lastAccess: 7, accessCount: 2, loadSequence: 1)
        let b = EvictionPolicy.Usage(id: 1, lastAccess: 4, accessCount: 3, loadSequence: 2)
        let c = EvictionPolicy.Usage(id: 2, lastAccess: 6, accessCount: 2, loadSequence: 3)
        XCTAssertEqual(EvictionPolicy.lru.victim(among: [a, b, c])?.id, 1)
        XCTAssertEqual(EvictionPolicy.lfu.victim(among: [a, b, c])?.id, 2)
        XCTAssertEqual(EvictionPolicy.fifo.victim(among: [a, b, c])?.id, 0)
        XCTAssertNil(EvictionPolicy.lru.victim(among: []))
    }

    func testBudgetSmallerThanAChunkIsRejected() throws {
        let chunks = try makeChunks(1, perChunk: 20)
        XCTAssertThrowsError(try ItemLoader(chunks: chunks, options: .init(memoryBudgetBytes: chunks[0].byteCount - 1))) { e in
            XCTAssertEqual(e as? ItemLoaderError, .budgetTooSmall(budgetBytes: chunks[0].byteCount - 1, chunkBytes: chunks[0].byteCount))
        }
        let loader = try ItemLoader(chunks: chunks, options: .init(memoryBudgetBytes: 1 << 20))
        XCTAssertThrowsError(try loader.withItem(20) { _ in })
    }

    func testCorruptChunkGivesTypedErrorInBothServeModes() throws {
        let chunks = try makeChunks(1, perChunk: 20)
        var bytes = [UInt8](try Data(contentsOf: chunks[0].url))
        bytes[4 + 5 * 4] = 0xff   // offset 5 now exceeds offset 6
        bytes[4 + 5 * 4 + 1] = 0xff
        try Data(bytes).write(to: chunks[0].url)
        for serve in ItemLoader.ServeMode.allCases {
            let loader = try ItemLoader(chunks: chunks, options: .init(serve: serve, memoryBudgetBytes: 1 << 20))
            XCTAssertThrowsError(try loader.withItem(0) { _ in }) { e in
                guard case let ItemLoaderError.corrupt(file, offset, _)? = e as? ItemLoaderError else { return XCTFail("\(e)") }
                XCTAssertEqual(file, chunks[0].url.path)
                XCTAssertEqual(offset, 4 + 6 * 4)
            }
        }
        // A descriptor whose size disagrees with the file is caught before serving.
        var wrong = chunks[0]
        wrong.byteCount += 1
        let loader = try ItemLoader(chunks: [wrong], options: .init(memoryBudgetBytes: 1 << 20))
        XCTAssertThrowsError(try loader.withItem(0) { _ in })
        XCTAssertEqual(loader.statistics.bytesHeld, 0)
    }
}
