import XCTest
import Foundation
@testable import Engine

final class CacheTests: XCTestCase {
    func testHitsMissesAndStatistics() {
        let c = ByteBoundedCache<String, Int>(name: "t", budgetBytes: 100)
        XCTAssertNil(c.get("a"))
        c.insert("a", 1, bytes: 10)
        c.insert("b", 2, bytes: 20)
        XCTAssertEqual(c.get("a"), 1)
        XCTAssertEqual(c.get("b"), 2)
        XCTAssertNil(c.get("c"))
        XCTAssertEqual(c.statistics, CacheStatistics(hits: 2, misses: 2, evictions: 0, entries: 2, bytes: 30))
        // Replacing an entry adjusts bytes, not entries.
        c.insert("a", 5, bytes: 15)
        XCTAssertEqual(c.get("a"), 5)
        XCTAssertEqual(c.statistics.bytes, 35)
        XCTAssertEqual(c.statistics.entries, 2)
        XCTAssertTrue(c.remove("a"))
        XCTAssertFalse(c.remove("a"))
        XCTAssertEqual(c.statistics.bytes, 20)
        XCTAssertEqual(c.statistics.evictions, 0)
        c.removeAll()
        XCTAssertEqual(c.statistics.entries, 0)
        XCTAssertEqual(c.statistics.bytes, 0)
        XCTAssertNil(c.get("b"))
        c.insert("z", 9, bytes: 100)
        XCTAssertEqual(c.get("z"), 9)
    }

    func testLRUOrderAndEvictionCounts() {
        let c = ByteBoundedCache<Int, Int>(name: "t", budgetBytes: 30)
        c.insert(1, 1, bytes: 10)
        c.insert(2, 2, bytes: 10)
        c.insert(3, 3, bytes: 10)
        XCTAssertEqual(c.keysByRecency(), [3, 2, 1])
        _ = c.get(1)                       // 1 becomes most recent; 2 is now the LRU
        XCTAssertEqual(c.keysByRecency(), [1, 3, 2])
        c.insert(4, 4, bytes: 10)          // evicts 2
        XCTAssertNil(c.get(2))
        XCTAssertEqual(c.keysByRecency(), [4, 1, 3])
        c.insert(5, 5, bytes: 20)          // evicts 3 then 1
        XCTAssertEqual(c.keysByRecency(), [5, 4])
        XCTAssertEqual(c.statistics.evictions, 3)
        XCTAssertEqual(c.statistics.bytes, 30)
    }

    func testOversizedEntryIsNotCached() {
        let c = ByteBoundedCache<Int, Int>(name: "t", budgetBytes: 50)
        c.insert(1, 1, bytes: 40)
        XCTAssertFalse(c.insert(2, 2, bytes: 51))
        XCTAssertEqual(c.rejectedInserts, 1)
        XCTAssertEqual(c.get(1), 1)        // nothing evicted for the refused entry
        XCTAssertNil(c.get(2))
        XCTAssertEqual(c.statistics.evictions, 0)
        // Replacing an existing key with an oversized value drops the old one.
        XCTAssertFalse(c.insert(1, 7, bytes: 60))
        XCTAssertNil(c.get(1))
        XCTAssertEqual(c.statistics.bytes, 0)
        let zero = ByteBoundedCache<Int, Int>(name: "off", budgetBytes: 0)
        XCTAssertTrue(zero.insert(1, 1, bytes: 0))
        XCTAssertFalse(zero.insert(2, 2, bytes: 1))
    }

    func testBudgetNeverExceededUnderRandomOperations() {
        var rng = TestRandom(seed: 42)
        let budget = 10_000
        let c = ByteBoundedCache<Int, Int>(name: "t", budgetBytes: budget)
        var model: [Int] = []              // keys from most to least recent, with sizes
        var sizes: [Int: Int] = [:]
        var expectedEvictions = 0
        for _ in 0..<20_000 {
            let key = Int(rng.next() % 400)
            switch rng.next() % 4 {
            case 0, 1:
                let bytes = Int(rng.next() % 1_500)
                c.insert(key, key, bytes: bytes)
                if let i = model.firstIndex(of: key) { model.remove(at: i) }
                sizes[key] = bytes
                var total = model.reduce(0) { $0 + sizes[$1]! }
                while total + bytes > budget, let last = model.last {
                    total -= sizes[last]!
                    model.removeLast()
                    expectedEvictions += 1
                }
                model.insert(key, at: 0)
            case 2:
                let v = c.get(key)
                if let i = model.firstIndex(of: key) {
                    XCTAssertEqual(v, key)
                    model.remove(at: i)
                    model.insert(key, at: 0)
                } else {
                    XCTAssertNil(v)
                }
            default:
                let removed = c.remove(key)
                if let i = model.firstIndex(of: key) { model.remove(at: i); XCTAssertTrue(removed) } else { XCTAssertFalse(removed) }
            }
            let s = c.statistics
            XCTAssertLessThanOrEqual(s.bytes, budget)
            XCTAssertEqual(s.entries, model.count)
            XCTAssertEqual(s.bytes, model.reduce(0) { $0 + sizes[$1]! })
        }
        XCTAssertEqual(c.keysByRecency(), model)
        XCTAssertEqual(c.statistics.evictions, expectedEvictions)
        XCTAssertLessThanOrEqual(c.peakBytes, budget)
        XCTAssertGreaterThan(expectedEvictions, 0)
    }

    func testConcurrentInsertsAndGets() {
        let budget = 64 * 100
        let c = ByteBoundedCache<Int, Int>(name: "t", budgetBytes: budget)
        let threads = 4
        let opsPerThread = 5_000
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<opsPerThread {
                let key = t * opsPerThread + i
                c.insert(key, key &* 3, bytes: 64)
                if let v = c.get(key - (i % 7)) { precondition(v == (key - (i % 7)) &* 3) }
            }
        }
        let s = c.statistics
        XCTAssertEqual(s.hits + s.misses, threads * opsPerThread)
        XCTAssertLessThanOrEqual(s.bytes, budget)
        XCTAssertEqual(s.entries, 100)
        XCTAssertEqual(s.evictions, threads * opsPerThread - 100)
        XCTAssertLessThanOrEqual(c.peakBytes, budget)
        XCTAssertEqual(c.keysByRecency().count, 100)
    }

    func testGetOrInsertBuildsOnce() {
        let c = ByteBoundedCache<String, Int>(name: "t", budgetBytes: 100)
        var builds = 0
        for _ in 0..<3 {
            let v = c.getOrInsert("k") { builds += 1; return (42, 8) }
            XCTAssertEqual(v, 42)
        }
        XCTAssertEqual(builds, 1)
        XCTAssertEqual(c.statistics.hits, 2)
        XCTAssertEqual(c.statistics.misses, 1)
    }
}

