import XCTest
import Foundation
@testable import Engine

/// The write pipeline's byte budget: the bytes in flight (the `ByteBudget` high-water mark, a counter, no
/// timing) stay within `memoryBudgetBytes` whether batches are far smaller or far larger than the budget.
final class ByteBudgetTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws { root = DatasetFixtures.temporaryDirectory("budget") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    private func write(_ batches: [RecordBatch], _ options: WriteOptions) throws -> WriteSummary {
        try? FileManager.default.removeItem(at: root)
        let writer = try DatasetWriter(at: root, schema: DatasetFixtures.schema, options: options)
        for b in batches { try writer.write(b) }
        let summary = try writer.close()
        let ds = try Dataset.open(at: root)
        XCTAssertEqual(try ds.materializeAll(), RecordBatch.concatenate(batches, schema: DatasetFixtures.schema))
        return summary
    }

    /// Batch sizes from a fraction of the budget to about 25 times it (1 MiB budget; 100 rows is ~10 KB raw,
    /// 50,000 rows ~5 MB, which the reservation roughly doubles), both strategies.
    func testInFlightBytesStayWithinBudgetAtEveryBatchSize() throws {
        let budget = 1 << 20
        for (rows, count) in [(100, 30), (1_000, 12), (10_000, 4), (50_000, 2)] {
            let batches = DatasetFixtures.batches(count: count, rows: rows, seed: UInt64(rows))
            let raw = BatchByteBounds(batch: batches[0]).reservation(0, rows)
            for strategy in WriteStrategy.allCases {
                let s = try write(batches, WriteOptions(strategy: strategy, queueDepth: 8, memoryBudgetBytes: budget))
                XCTAssertGreaterThan(s.inFlightHighWaterBytes, 0, "\(strategy) rows \(rows)")
                XCTAssertLessThanOrEqual(s.inFlightHighWaterBytes, budget, "\(strategy) rows \(rows), batch reserves \(raw)")
                XCTAssertEqual(s.budgetOvershoots, 0, "\(strategy) rows \(rows)")
            }
        }
    }

    /// Without a budget the same large batches hold far more: the counter is what the budget changes.
    func testWithoutBudgetNothingIsCounted() throws {
        let batches = DatasetFixtures.batches(count: 2, rows: 5_000, seed: 7)
        let s = try write(batches, WriteOptions(memoryBudgetBytes: 0))
        XCTAssertEqual(s.inFlightHighWaterBytes, 0)
    }

    /// A flush every 1,000 batches would hold far more than the budget: the sink flushes early instead of
    /// letting the writer wait forever.
    func testRareFlushesDoNotDeadlockUnderTheBudget() throws {
        let batches = DatasetFixtures.batches(count: 40, rows: 500, seed: 8)
        let s = try write(batches, WriteOptions(flushEveryBatches: 1_000, memoryBudgetBytes: 512 << 10))
        XCTAssertGreaterThan(s.flushes, 1)
        XCTAssertLessThanOrEqual(s.inFlightHighWaterBytes, 512 << 10)
    }

    /// A budget smaller than one row: each row is admitted alone, and the write completes.
    func testBudgetSmallerThanARowStillWrites() throws {
        let batches = DatasetFixtures.batches(count: 2, rows: 40, seed: 9)
        let s = try write(batches, WriteOptions(queueDepth: 2, memoryBudgetBytes: 1))
        XCTAssertGreaterThan(s.inFlightHighWaterBytes, 1)
    }

    /// The bound the budget reserves is never below what the encoder produces, for every encoding.
    func testEncodedBoundCoversEveryEncoding() throws {
        let batch = DatasetFixtures.batches(count: 1, rows: 3_000, seed: 10)[0]
        let bounds = BatchByteBounds(batch: batch)
        for encoding in [PageEncoding.plain, .dictionary, .runLength] {
            for level in [0, 1] {
                let encoded = try BatchEncoder.encode(batch, options: EncodingOptions(compressionLevel: level, forcedEncoding: encoding))
                XCTAssertLessThanOrEqual(encoded.encodedBytes, bounds.encodedBound(0, batch.rowCount), "\(encoding) level \(level)")
            }
        }
    }
}
