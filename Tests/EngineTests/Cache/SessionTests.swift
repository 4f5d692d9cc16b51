import XCTest
@testable import Engine

final class SessionTests: XCTestCase {
    func testDefaultsAreLanceDefaults() {
        let s = Session()
        XCTAssertEqual(s.indexCache.budgetBytes, 6 << 30)
        XCTAssertEqual(s.metadataCache.budgetBytes, 1 << 30)
        XCTAssertEqual(Set(s.statistics.keys), ["index", "metadata"])
    }

    /// Simulates `tables` tables each committing `versions` versions, caching a manifest and a key index per version
    /// under version-bearing keys; returns the sessions used.
    private func simulate(tables: Int, versions: Int, shared: Session?) -> [Session] {
        var sessions: [Session] = []
        for t in 0..<tables {
            let s = shared ?? Session(indexCacheBytes: 1 << 20, metadataCacheBytes: 256 << 10)
            if shared == nil || sessions.isEmpty { sessions.append(s) }
            let path = "/db/table\(t)"
            for v in 1...versions {
                s.metadataCache.insert(CacheKey.manifest(path: path, version: v), v, bytes: 4_096)
                s.indexCache.insert(CacheKey.keyIndex(path: path, version: v, column: "id"), v, bytes: 64 << 10)
                // The previous version's entries are not reused by the new version (its key differs).
                XCTAssertNotNil(s.indexCache.get(CacheKey.keyIndex(path: path, version: v, column: "id")))
            }
        }
        return sessions
    }

    func testPerTableSessionsGrowWithTablesSharedStaysWithinBudget() {
        var perTableTotals: [Int] = []
        for n in [1, 2, 4, 8] {
            let sessions = simulate(tables: n, versions: 10, shared: nil)
            XCTAssertEqual(sessions.count, n)
            let combined = Session.combinedStatistics(sessions)
            perTableTotals.append(combined["index"]!.bytes + combined["metadata"]!.bytes)
            // Each per-table session alone holds all 10 versions (stale entries pile up: nothing evicts them).
            for s in sessions {
                XCTAssertEqual(s.indexCache.statistics.entries, 10)
                XCTAssertEqual(s.indexCache.statistics.evictions, 0)
            }
        }
        for i in 1..<perTableTotals.count { XCTAssertGreaterThan(perTableTotals[i], perTableTotals[i - 1]) }
        XCTAssertEqual(perTableTotals[3], 8 * perTableTotals[0])

        let shared = Session(indexCacheBytes: 1 << 20, metadataCacheBytes: 256 << 10)
        _ = simulate(tables: 8, versions: 10, shared: shared)
        XCTAssertLessThanOrEqual(shared.indexCache.statistics.bytes, 1 << 20)
        XCTAssertLessThanOrEqual(shared.metadataCache.statistics.bytes, 256 << 10)
        XCTAssertLessThanOrEqual(shared.indexCache.peakBytes, 1 << 20)
        XCTAssertLessThanOrEqual(shared.sizeBytes, (1 << 20) + (256 << 10))
        XCTAssertEqual(shared.indexCache.statistics.evictions, 80 - 16)
        XCTAssertLessThan(shared.sizeBytes, perTableTotals[3])
    }

    func testKeysIncludePathAndVersion() {
        XCTAssertNotEqual(CacheKey.manifest(path: "/a", version: 1), CacheKey.manifest(path: "/a", version: 2))
        XCTAssertNotEqual(CacheKey.manifest(path: "/a", version: 1), CacheKey.manifest(path: "/b", version: 1))
        XCTAssertNotEqual(CacheKey.keyIndex(path: "/a", version: 1, column: "id"),
                          CacheKey.keyIndex(path: "/a", version: 1, column: "name"))
        XCTAssertNotEqual(CacheKey.footer(path: "/a", version: 1, file: "f1"), CacheKey.footer(path: "/a", version: 1, file: "f2"))
    }

    /// Real tables: `tables` datasets each upserted `flushes` times, with one session per table or one shared one.
    private func upsertTables(_ tables: Int, flushes: Int, sessions: [Session], root: URL) throws {
        let schema = Schema(fields: [Field(name: "id", type: .int64), Field(name: "v", type: .float64)])
        let upsert = MergeInsert(on: "id").whenMatchedUpdateAll().whenNotMatchedInsertAll()
        for t in 0..<tables {
            let session = sessions[sessions.count == 1 ? 0 : t]
            var d = try Dataset.create(at: root.appendingPathComponent("table\(t)"), schema: schema, session: session)
            for f in 0..<flushes {
                let keys = (0..<200).map { Int64(f * 50 + $0) }
                let batch = RecordBatch(schema: schema, columns: [ColumnData(int64s: keys), ColumnData(float64s: keys.map(Double.init))])
                d = try upsert.execute(source: batch, dataset: d).dataset!
                // Reopen by version, as a handle per call would (metadata cache entries per version).
                d = try Dataset.open(at: d.url, session: session)
            }
        }
    }

    func testRealTablesPerTableSessionsGrowSharedSessionBounded() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hw-sessions-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var totals: [Int] = []
        for n in [1, 2, 4] {
            let sessions = (0..<n).map { _ in Session() }
            try upsertTables(n, flushes: 4, sessions: sessions, root: root.appendingPathComponent("per\(n)"))
            let c = Session.combinedStatistics(sessions)
            totals.append(c["index"]!.bytes + c["metadata"]!.bytes)
            XCTAssertEqual(c["index"]!.evictions, 0)
        }
        XCTAssertLessThan(totals[0], totals[1])
        XCTAssertLessThan(totals[1], totals[2])
        let budget = 3 * KeyIndex(capacity: 400).byteSize
        let shared = Session(indexCacheBytes: budget, metadataCacheBytes: 16 << 10)
        try upsertTables(4, flushes: 4, sessions: [shared], root: root.appendingPathComponent("shared"))
        XCTAssertLessThanOrEqual(shared.indexCache.peakBytes, budget)
        XCTAssertLessThanOrEqual(shared.metadataCache.peakBytes, 16 << 10)
        XCTAssertGreaterThan(shared.indexCache.statistics.evictions, 0)
        XCTAssertLessThan(shared.sizeBytes, totals[2])
    }
}
