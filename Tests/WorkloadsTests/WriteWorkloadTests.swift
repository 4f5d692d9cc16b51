import Foundation
import XCTest
@testable import Workloads
import Engine

final class WriteWorkloadTests: XCTestCase {
    /// Raw value bytes of rows `0..<rows`, from the generator directly.
    private func rawBytes(rows: Int) -> Int {
        let g = CodeChunksGenerator()
        return CodeChunksGenerator.batchRanges(totalRows: rows, batchSize: 10_000).reduce(0) { $0 + g.batch(rows: $1).rawValueBytes }
    }

    /// Accumulate keeps every batch alive until close; streaming only O(queue depth) of them.
    func testAccumulateHoldsEveryBatchStreamingHoldsQueueDepth() throws {
        let common = ["rows": "200k", "batch_size": "5000", "queue_depth": "2"]
        var acc = common
        acc["strategy"] = "accumulate"
        var str = common
        str["strategy"] = "streaming"
        let a = try WorkloadHarness.run(WriteWorkload.self, acc)
        let s = try WorkloadHarness.run(WriteWorkload.self, str)
        XCTAssertEqual(a.metrics["batches_held_peak"], 40)
        // The pipeline's bound (README): queue_depth raw batches queued, one raw and one encoded batch per encoder
        // thread (one per core), queue_depth encoded batches queued, one flush's batches and the caller's own.
        let encoders = ProcessInfo.processInfo.activeProcessorCount
        let bound = 2 * 2 + 2 * encoders + 1 + 1
        XCTAssertLessThanOrEqual(s.metrics["batches_held_peak"]!, Double(bound))
        XCTAssertGreaterThanOrEqual(s.metrics["batches_held_peak"]!, 1)
        XCTAssertGreaterThan(a.metrics["batch_mb_held_peak"]!, 4 * s.metrics["batch_mb_held_peak"]!)
        let raw = rawBytes(rows: 200_000)
        for c in [a, s] {
            XCTAssertEqual(c.rows, 200_000)
            XCTAssertEqual(c.inputBytes, raw)
            XCTAssertGreaterThan(c.bytesWritten, 0)
            XCTAssertEqual(c.versions, 1)
            XCTAssertGreaterThan(c.compressionRatio ?? 0, 1)
            XCTAssertNotNil(c.firstWriteMs)
            XCTAssertEqual(c.batchLatencyMicros.totalCount, 40)
            XCTAssertTrue(c.phases.contains { $0.name == "close" })
        }
        // Accumulate writes nothing before close; streaming starts right away.
        XCTAssertGreaterThan(a.firstWriteMs!, s.firstWriteMs!)
    }

    /// memory_budget_mb bounds the bytes in flight (the pipeline's counter) even when a batch is 4x the budget,
    /// and max_mb_per_file splits such a batch across files; the rows are all there.
    func testMemoryBudgetAndFileByteLimit() throws {
        let dir = try WorkloadHarness.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try WorkloadHarness.run(WriteWorkload.self, ["rows": "60000", "batch_size": "20000", "memory_budget_mb": "1",
                                                             "max_mb_per_file": "1"], in: dir)
        XCTAssertGreaterThan(c.metrics["in_flight_peak_mb"]!, 0)
        XCTAssertLessThanOrEqual(c.metrics["in_flight_peak_mb"]!, Double(1 << 20) / 1e6)
        XCTAssertGreaterThan(c.files, 3)
        XCTAssertEqual(try Dataset.open(at: dir.appendingPathComponent("code_chunks")).countRows(), 60_000)
    }

    /// Files roll at max_rows_per_file, every_flush commits one version per flush, and the dataset holds the rows.
    func testFileRollingCommitModesAndContents() throws {
        let dir = try WorkloadHarness.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try WorkloadHarness.run(WriteWorkload.self, ["rows": "30000", "batch_size": "10000", "max_rows_per_file": "15000",
                                                             "pregenerate": "true"], in: dir)
        XCTAssertEqual(c.files, 2)
        XCTAssertNil(c.metrics["batches_held_peak"])
        let dataset = try Dataset.open(at: dir.appendingPathComponent("code_chunks"))
        XCTAssertEqual(dataset.countRows(), 30_000)
        let all = try dataset.materializeAll()
        XCTAssertEqual(all.slice(0..<3), CodeChunksGenerator().batch(rows: 0..<3))

        let e = try WorkloadHarness.run(WriteWorkload.self, ["rows": "30000", "batch_size": "5000", "flush_every": "2",
                                                             "commit": "every_flush"])
        XCTAssertEqual(e.metrics["flushes"], 3)
        XCTAssertEqual(e.versions, 3)
        XCTAssertEqual(e.files, 3)
    }
}
