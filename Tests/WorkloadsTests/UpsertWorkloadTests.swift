import Foundation
import XCTest
@testable import Workloads
import Engine

final class UpsertWorkloadTests: XCTestCase {
    /// Under a budget that binds, one shared session stays within it (evicting), while per-table sessions each get
    /// the whole budget, so their total grows with the number of tables.
    func testSharedSessionStaysWithinBudgetPerTableTotalGrowsWithTables() throws {
        let common = ["index_cache_mb": "1", "metadata_cache_mb": "1", "flushes": "3", "rows_per_flush": "2000",
                      "other_rows_per_flush": "2000"]
        var shared = common
        shared["session"] = "shared"
        var perTable = common
        perTable["session"] = "per_table"
        let s = try WorkloadHarness.run(UpsertWorkload.self, shared)
        let p = try WorkloadHarness.run(UpsertWorkload.self, perTable)
        let budget = 1 << 20
        XCTAssertLessThanOrEqual(s.caches["index"]!.bytes, budget)
        XCTAssertLessThanOrEqual(s.caches["metadata"]!.bytes, budget)
        XCTAssertLessThanOrEqual(s.metrics["cache_peak_bytes_mb"]!, 2 * Double(budget) / 1e6)
        XCTAssertGreaterThan(s.caches["index"]!.evictions, 0)
        XCTAssertEqual(s.metrics["sessions"], 1)
        XCTAssertEqual(p.metrics["sessions"], 8)
        XCTAssertGreaterThan(p.caches["index"]!.bytes, 2 * s.caches["index"]!.bytes)
        XCTAssertLessThanOrEqual(p.caches["index"]!.bytes, 8 * budget)
    }

    /// Cache keys include the version: with room to spare, entries pile up with every flush.
    func testEntriesPileUpWithVersionsWhenNothingEvicts() throws {
        let common = ["session": "per_table", "index_cache_mb": "64", "metadata_cache_mb": "64", "rows_per_flush": "1000",
                      "other_rows_per_flush": "100"]
        var two = common
        two["flushes"] = "2"
        var four = common
        four["flushes"] = "4"
        let a = try WorkloadHarness.run(UpsertWorkload.self, two)
        let b = try WorkloadHarness.run(UpsertWorkload.self, four)
        XCTAssertEqual(a.caches["index"]!.evictions, 0)
        XCTAssertEqual(b.caches["index"]!.evictions, 0)
        // Every merge adds its new version's key index: 8 tables x (flushes + 1) versions.
        XCTAssertEqual(a.caches["index"]!.entries, 8 * 3)
        XCTAssertEqual(b.caches["index"]!.entries, 8 * 5)
        XCTAssertGreaterThan(b.caches["metadata"]!.entries, a.caches["metadata"]!.entries)
        XCTAssertEqual(b.rows, 4 * (1000 + 7 * 100))
        XCTAssertEqual(b.versions, 4 * 8)
    }

    /// Delete-by-source leaves exactly the last flush's rows; without it the table keeps every id it saw.
    /// Every flush marks the prep, upsert and other_tables phases and reports their RSS growth.
    func testDeleteBySourceAndPhases() throws {
        for delete in [true, false] {
            let dir = try WorkloadHarness.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let c = try WorkloadHarness.run(UpsertWorkload.self, ["session": "shared", "flushes": "3", "rows_per_flush": "1000",
                                                                  "other_rows_per_flush": "10", "delete_by_source": "\(delete)"], in: dir)
            let table = try Dataset.open(at: dir.appendingPathComponent("db/code_chunks"))
            XCTAssertEqual(table.countRows(), delete ? 1000 : 500 * (3 + 2))
            XCTAssertEqual(c.metrics["rows_deleted"]! > 0, delete)
            XCTAssertEqual(c.phases.filter { $0.name == "upsert" }.count, 3)
            XCTAssertEqual(c.phases.filter { $0.name == "prep" }.count, 3)
            XCTAssertEqual(c.phases.filter { $0.name == "other_tables" }.count, 3)
            XCTAssertNotNil(c.metrics["prep_rss_growth_mb"])
            XCTAssertNotNil(c.metrics["upsert_rss_growth_mb"])
            let ids = try table.materializeAll(columns: ["id"])
            XCTAssertEqual(Set((0..<ids.rowCount).map { ids.int64(column: 0, row: $0) }).count, ids.rowCount)
        }
    }

    /// A fresh session at every open reuses nothing: every merge rebuilds its key index by scanning.
    func testPerOpenSessionsNeverReuseTheKeyIndex() throws {
        let common = ["index_cache_mb": "64", "metadata_cache_mb": "64", "flushes": "3", "rows_per_flush": "1000",
                      "other_rows_per_flush": "10"]
        var open = common
        open["session"] = "per_open"
        var shared = common
        shared["session"] = "shared"
        let o = try WorkloadHarness.run(UpsertWorkload.self, open)
        let s = try WorkloadHarness.run(UpsertWorkload.self, shared)
        XCTAssertEqual(o.metrics["key_index_cache_hits"], 0)
        XCTAssertGreaterThan(s.metrics["key_index_cache_hits"]!, 0)
        XCTAssertGreaterThan(o.metrics["rows_scanned"]!, s.metrics["rows_scanned"]!)
        XCTAssertEqual(o.metrics["sessions"], 3 * 8)
        XCTAssertEqual(o.metrics["cache_bytes_mb"], 0)
        XCTAssertEqual(o.caches["index"]!.entries, 0)
        XCTAssertGreaterThan(o.caches["index"]!.misses, 0)
    }

    func testOtherTableRecordsAreWrittenInPlace() {
        let builder = RecordBatchBuilder(schema: UpsertWorkload.recordSchema, capacityRows: 4)
        let batch = UpsertWorkload.records(table: Array("sessions".utf8), rows: 98..<101, flush: 2, builder: builder)
        XCTAssertEqual((0..<3).map { batch.utf8(column: 1, row: $0) }, ["sessions/98", "sessions/99", "sessions/100"])
        let w = CodeChunksVocabulary.words
        XCTAssertEqual(batch.utf8(column: 2, row: 0), [w[(98 * 31 + 2) & 0xFF], w[(98 * 17) & 0xFF], w[2]].joined(separator: " "))
        XCTAssertEqual(batch.int64(column: 3, row: 2), 2)
    }
}
