import Foundation
import XCTest
@testable import Workloads
import Engine

final class ScanWorkloadTests: XCTestCase {
    /// Streaming hands out batches of at most batch_size rows, one at a time (each a view that keeps at most one
    /// decoded page group alive); materialize_all holds the table.
    func testStreamingHoldsOneBatchMaterializeHoldsTheTable() throws {
        let s = try WorkloadHarness.run(ScanWorkload.self, ["rows": "200000", "mode": "streaming", "batch_size": "4000"])
        let m = try WorkloadHarness.run(ScanWorkload.self, ["rows": "200000", "mode": "materialize_all", "batch_size": "4000"])
        XCTAssertEqual(s.rows, 200_000)
        XCTAssertEqual(m.rows, 200_000)
        XCTAssertEqual(s.inputBytes, m.inputBytes)
        XCTAssertEqual(s.metrics["table_rows"], 200_000)
        XCTAssertNotNil(s.metrics["count_rows_ms"])
        XCTAssertLessThanOrEqual(s.metrics["max_batch_rows_held"]!, 4_000)
        XCTAssertEqual(s.metrics["batches_held_peak"], 1, "a streaming scan holds exactly one batch at a time")
        XCTAssertEqual(m.metrics["max_batch_rows_held"], 200_000)
        XCTAssertGreaterThan(m.metrics["max_batch_mb_held"]!, 10 * s.metrics["max_batch_mb_held"]!)
        XCTAssertEqual(s.metrics["batches"], 50)
        XCTAssertEqual(m.metrics["batches"], 50)
    }

    /// Filters and projections return the same rows in both modes, matching the generator.
    func testFiltersAndProjectionsAgreeAcrossModes() throws {
        let rows = 30_000
        let batch = CodeChunksGenerator().batch(rows: 0..<rows)
        let go = (0..<rows).filter { batch.utf8(column: CodeChunksGenerator.Column.language, row: $0) == "go" }.count
        let path = (0..<rows).filter { batch.utf8(column: CodeChunksGenerator.Column.filePath, row: $0) == ScanWorkload.filePathFilterValue }.count
        XCTAssertGreaterThan(path, 0)
        for mode in ["streaming", "materialize_all"] {
            let l = try WorkloadHarness.run(ScanWorkload.self, ["rows": "\(rows)", "mode": mode, "filter": "language", "projection": "id"])
            XCTAssertEqual(l.rows, go, mode)
            XCTAssertEqual(l.inputBytes, go * 8, mode)
            let p = try WorkloadHarness.run(ScanWorkload.self, ["rows": "\(rows)", "mode": mode, "filter": "file_path", "projection": "content"])
            XCTAssertEqual(p.rows, path, mode)
        }
    }
}
