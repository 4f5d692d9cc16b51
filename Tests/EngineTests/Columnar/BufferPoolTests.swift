import XCTest
@testable import Engine

final class BufferPoolTests: XCTestCase {
    func testReleasedBlockIsReusedForTheSameSizeOnly() {
        let pool = BufferPool(budgetBytes: 1 << 20)
        let size = BufferPool.minimumBytes * 2
        let a = pool.allocate(size)
        pool.release(a, capacityBytes: size)
        XCTAssertEqual(pool.statistics.heldBytes, size)
        let other = pool.allocate(size + 1)  // a different size misses
        XCTAssertNotEqual(other, a)
        let b = pool.allocate(size)
        XCTAssertEqual(b, a)
        XCTAssertEqual(pool.statistics.heldBytes, 0)
        XCTAssertEqual(pool.statistics.reuses, 1)
        XCTAssertEqual(pool.statistics.misses, 2)
        free(b); free(other)
    }

    func testBudgetAndSmallBlocksAreNotPooled() {
        let size = BufferPool.minimumBytes
        let pool = BufferPool(budgetBytes: size * 2)
        let blocks = (0..<3).map { _ in pool.allocate(size) }
        for p in blocks { pool.release(p, capacityBytes: size) }
        XCTAssertEqual(pool.statistics.heldBytes, size * 2, "the third block is freed: over budget")
        let small = pool.allocate(100)
        pool.release(small, capacityBytes: 100)
        XCTAssertEqual(pool.statistics.heldBytes, size * 2, "blocks under minimumBytes are freed")
        pool.trim()
        XCTAssertEqual(pool.statistics.heldBytes, 0)
    }

    /// A block whose size does not come back is freed after `maximumAgeReleases` releases; a recurring one stays.
    func testBlocksThatAreNotTakenAgainExpire() {
        let m = BufferPool.minimumBytes
        let pool = BufferPool(budgetBytes: 64 * m)
        let oneOff = pool.allocate(3 * m)
        pool.release(oneOff, capacityBytes: 3 * m)
        let recurring = pool.allocate(m)
        pool.release(recurring, capacityBytes: m)
        for _ in 0..<Int(BufferPool.maximumAgeReleases) + 64 {
            let p = pool.allocate(m)
            XCTAssertEqual(p, recurring, "the recurring size is served from the pool every time")
            pool.release(p, capacityBytes: m)
        }
        let stats = pool.statistics
        XCTAssertEqual(stats.expired, 1)
        XCTAssertEqual(stats.heldBytes, m, "only the recurring block is left")
        pool.trim()
    }

    func testRoundedCapacity() {
        let m = BufferPool.minimumBytes
        XCTAssertEqual(BufferPool.roundedCapacity(0), 1)
        XCTAssertEqual(BufferPool.roundedCapacity(m - 1), m - 1)
        XCTAssertEqual(BufferPool.roundedCapacity(m), m)
        XCTAssertEqual(BufferPool.roundedCapacity(m + 1), 2 * m)
    }

    /// Slices are views: they share the parent's bytes, keep them alive, and read the same values.
    func testSliceIsAZeroCopyViewThatOutlivesItsParent() {
        let schema = Schema(fields: [Field(name: "id", type: .int64, nullable: false),
                                     Field(name: "s", type: .utf8, nullable: false)])
        let builder = RecordBatchBuilder(schema: schema, capacityRows: 100)
        for i in 0..<100 {
            builder.appendInt64(column: 0, Int64(i))
            builder.appendString(column: 1, "value-\(i)")
        }
        var parent: RecordBatch? = builder.finish()
        let slice = parent!.slice(10..<30)
        let inner = slice.slice(5..<10)
        XCTAssertEqual(slice.columns[0].values.pointer, parent!.columns[0].values.pointer + 10 * 8)
        XCTAssertEqual(inner.columns[0].values.pointer, parent!.columns[0].values.pointer + 15 * 8)
        parent = nil
        XCTAssertEqual(slice.rowCount, 20)
        for r in 0..<20 {
            XCTAssertEqual(slice.int64(column: 0, row: r), Int64(10 + r))
            XCTAssertEqual(slice.utf8(column: 1, row: r), "value-\(10 + r)")
        }
        for r in 0..<5 { XCTAssertEqual(inner.utf8(column: 1, row: r), "value-\(15 + r)") }
    }
}
