import XCTest
import Foundation
@testable import Engine

final class MergeInsertTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("hw-merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func testKeyIndexAgainstDictionary() {
        var rng = TestRandom(seed: 3)
        var index = KeyIndex(capacity: 4)
        var model: [Int64: RowAddress] = [:]
        for step in 0..<20_000 {
            let key = Int64(rng.next() % 3_000) - 1_500
            let h = KeyIndex.hash(key)
            if rng.next() % 3 == 0 {
                XCTAssertEqual(index.remove(h), model.removeValue(forKey: key) != nil)
            } else {
                let a = RowAddress(fragmentId: Int(rng.next() % 50), rowOffset: UInt32(step))
                index.set(h, a)
                model[key] = a
            }
            if step % 1000 == 0 {
                for k in Int64(-1_500)..<1_500 { XCTAssertEqual(index.lookup(KeyIndex.hash(k)), model[k]) }
            }
        }
        XCTAssertEqual(index.count, model.count)
        for k in Int64(-1_500)..<1_500 { XCTAssertEqual(index.lookup(KeyIndex.hash(k)), model[k]) }
        XCTAssertEqual(index.byteSize, index.capacity * 16 + 64)
        var copy = index  // a value: the copy changes, the original does not
        copy.remove(KeyIndex.hash(model.keys.first!))
        XCTAssertEqual(copy.count, index.count - 1)
        XCTAssertEqual(index.lookup(KeyIndex.hash(model.keys.first!)), model[model.keys.first!])
    }

    private struct Row: Equatable { var name: String; var value: Double }

    private let schema = Schema(fields: [Field(name: "id", type: .int64, nullable: false),
                                         Field(name: "name", type: .utf8, nullable: false),
                                         Field(name: "value", type: .float64, nullable: false)])

    private func batch(_ rows: [(Int64, Row)]) -> RecordBatch {
        RecordBatch(schema: schema, columns: [ColumnData(int64s: rows.map(\.0)),
                                              ColumnData(strings: rows.map(\.1.name)),
                                              ColumnData(float64s: rows.map(\.1.value))])
    }

    private func contents(_ d: Dataset) throws -> [Int64: Row] {
        let all = try d.materializeAll()
        var out: [Int64: Row] = [:]
        for r in 0..<all.rowCount {
            let k = all.int64(column: 0, row: r)
            XCTAssertNil(out[k], "key \(k) appears twice")
            out[k] = Row(name: all.utf8(column: 1, row: r), value: all.float64(column: 2, row: r))
        }
        return out
    }

    func testMergeInsertMatchesBruteForceModel() throws {
        var rng = TestRandom(seed: 11)
        let session = Session(indexCacheBytes: 64 << 20, metadataCacheBytes: 8 << 20)
        var dataset = try Dataset.create(at: dir.appendingPathComponent("t"), schema: schema, session: session)
        var model: [Int64: Row] = [:]
        var filteredDeletes = 0, keptByFilter = 0
        let combos: [(Bool, Bool, Bool)] = [(false, true, false), (true, true, false), (true, false, false),
                                            (true, true, true), (false, true, true), (true, false, true),
                                            (false, false, true)]
        for round in 0..<21 {
            let (update, insert, delete) = round == 0 ? (false, true, false) : combos[round % combos.count]
            let n = round == 0 ? 150 : Int(rng.next() % 60) + 1
            var source: [(Int64, Row)] = []
            for i in 0..<n {
                let key = Int64(rng.next() % 250)
                source.append((key, Row(name: "r\(round)-\(i)-\(key)", value: Double(round * 1000 + i))))
            }
            // Model: the last source row per key wins.
            var src: [Int64: Row] = [:]
            for (k, r) in source { src[k] = r }
            var expected = model
            var updated = 0, inserted = 0, deleted = 0
            for (k, r) in src {
                if model[k] != nil {
                    if update { expected[k] = r; updated += 1 }
                } else if insert {
                    expected[k] = r
                    inserted += 1
                }
            }
            // Every other deleting round only deletes rows older than three rounds (value < threshold).
            let filtered = round % 2 == 0
            let threshold = Double((round - 3) * 1000)
            if delete {
                for (k, r) in model where src[k] == nil {
                    if filtered && r.value >= threshold { keptByFilter += 1; continue }
                    expected.removeValue(forKey: k)
                    deleted += 1
                    if filtered { filteredDeletes += 1 }
                }
            }
            var m = MergeInsert(on: "id")
            if update { m = m.whenMatchedUpdateAll() }
            if insert { m = m.whenNotMatchedInsertAll() }
            if delete {
                m = m.whenNotMatchedBySourceDelete(filter: filtered ? .compare("value", .lt, .double(threshold)) : nil)
            }
            let before = dataset.version
            let result = try m.execute(source: [batch(source)], dataset: dataset)
            XCTAssertEqual(result.rowsUpdated, updated, "round \(round)")
            XCTAssertEqual(result.rowsInserted, inserted, "round \(round)")
            XCTAssertEqual(result.rowsDeleted, deleted, "round \(round)")
            if delete { XCTAssertEqual(result.rowsScanned, model.count, "by-source delete reads every live key") }
            dataset = result.dataset!
            if updated + inserted + deleted > 0 {
                XCTAssertEqual(result.version, before + 1)
                XCTAssertGreaterThan(result.bytesWritten, 0)
            } else {
                XCTAssertEqual(result.version, before)
            }
            model = expected
            XCTAssertEqual(try contents(dataset), model, "round \(round)")
            XCTAssertEqual(dataset.countRows(), model.count)

            // The cached index of the new version equals one built from scratch.
            if let cached = session.indexCache.get(CacheKey.keyIndex(path: dataset.url.path, version: dataset.version, column: "id")) as? KeyIndex {
                let fresh = try KeyIndex.build(dataset: Dataset.open(at: dataset.url), column: "id").index
                XCTAssertEqual(cached.count, fresh.count)
                for k in Int64(0)..<250 { XCTAssertEqual(cached.lookup(KeyIndex.hash(k)), fresh.lookup(KeyIndex.hash(k)), "key \(k)") }
            } else {
                XCTFail("new version's key index not cached (round \(round))")
            }
        }
        XCTAssertGreaterThan(filteredDeletes, 0)
        XCTAssertGreaterThan(keptByFilter, 0)
        // Every version added its own index entry; nothing was evicted at this budget.
        let s = session.indexCache.statistics
        XCTAssertEqual(s.evictions, 0)
        XCTAssertGreaterThanOrEqual(s.entries, 15)
    }

    func testCachedIndexAvoidsScanAndBySourceDeleteAlwaysScans() throws {
        let session = Session(indexCacheBytes: 64 << 20, metadataCacheBytes: 8 << 20)
        var d = try Dataset.create(at: dir.appendingPathComponent("t"), schema: schema, session: session)
        let initial = (0..<100).map { (Int64($0), Row(name: "n\($0)", value: Double($0))) }
        d = try MergeInsert(on: "id").whenNotMatchedInsertAll().execute(source: batch(initial), dataset: d).dataset!
        let upsert = MergeInsert(on: "id").whenMatchedUpdateAll().whenNotMatchedInsertAll()
        let r1 = try upsert.execute(source: batch([(5, Row(name: "x", value: 1)), (500, Row(name: "y", value: 2))]), dataset: d)
        XCTAssertTrue(r1.keyIndexCacheHit, "the previous merge cached the new version's index")
        XCTAssertEqual(r1.rowsScanned, 0)
        XCTAssertEqual(r1.rowsUpdated, 1)
        XCTAssertEqual(r1.rowsInserted, 1)
        // A fresh session misses and builds the index by scanning.
        let cold = try Dataset.open(at: r1.dataset!.url, session: Session())
        let r2 = try upsert.execute(source: batch([(6, Row(name: "z", value: 3))]), dataset: cold)
        XCTAssertFalse(r2.keyIndexCacheHit)
        XCTAssertEqual(r2.rowsScanned, 101)
        // By-source delete reads every key even with a cached index.
        let r3 = try upsert.whenNotMatchedBySourceDelete().execute(source: batch([(7, Row(name: "w", value: 4))]), dataset: r2.dataset!)
        XCTAssertEqual(r3.rowsScanned, 101)
        XCTAssertEqual(r3.rowsDeleted, 100)
        XCTAssertEqual(try contents(r3.dataset!), [7: Row(name: "w", value: 4)])
    }

    func testIndexEntriesPileUpPerVersionAndSharedBudgetBoundsThem() throws {
        let small = Session(indexCacheBytes: 2 * KeyIndex(capacity: 110).byteSize, metadataCacheBytes: 1 << 20)
        let big = Session()
        for session in [big, small] {
            var d = try Dataset.create(at: dir.appendingPathComponent("t\(session === big ? "big" : "small")"), schema: schema, session: session)
            let upsert = MergeInsert(on: "id").whenMatchedUpdateAll().whenNotMatchedInsertAll()
            for round in 0..<10 {
                let rows = (0..<20).map { (Int64(round * 10 + $0), Row(name: "n\(round)", value: Double($0))) }
                d = try upsert.execute(source: batch(rows), dataset: d).dataset!
                XCTAssertLessThanOrEqual(session.indexCache.statistics.bytes, session.indexCache.budgetBytes)
            }
            XCTAssertEqual(try contents(d).count, 110)
        }
        XCTAssertEqual(big.indexCache.statistics.evictions, 0)
        XCTAssertGreaterThanOrEqual(big.indexCache.statistics.entries, 10, "one key index per version, old ones kept")
        XCTAssertGreaterThan(small.indexCache.statistics.evictions, 0)
        XCTAssertLessThan(small.indexCache.statistics.bytes, big.indexCache.statistics.bytes)
    }

    func testUTF8KeysAndInt32Keys() throws {
        let s = Schema(fields: [Field(name: "path", type: .utf8, nullable: false), Field(name: "n", type: .int64, nullable: false)])
        var d = try Dataset.create(at: dir.appendingPathComponent("u"), schema: s, session: Session())
        func b(_ rows: [(String, Int64)]) -> RecordBatch {
            RecordBatch(schema: s, columns: [ColumnData(strings: rows.map(\.0)), ColumnData(int64s: rows.map(\.1))])
        }
        var rng = TestRandom(seed: 5)
        var model: [String: Int64] = [:]
        let upsert = MergeInsert(on: "path").whenMatchedUpdateAll().whenNotMatchedInsertAll()
        for round in 0..<8 {
            var rows: [(String, Int64)] = []
            for i in 0..<30 { rows.append(("src/file\(rng.next() % 80).swift", Int64(round * 100 + i))) }
            for (k, v) in rows { model[k] = v }
            let r = try (round == 7 ? upsert.whenNotMatchedBySourceDelete() : upsert).execute(source: b(rows), dataset: d)
            if round == 7 {
                model = [:]
                for (k, v) in rows { model[k] = v }
            }
            d = r.dataset!
            let all = try d.materializeAll()
            var got: [String: Int64] = [:]
            for row in 0..<all.rowCount { got[all.utf8(column: 0, row: row)] = all.int64(column: 1, row: row) }
            XCTAssertEqual(got, model, "round \(round)")
            XCTAssertEqual(all.rowCount, model.count)
        }
        let bad = Schema(fields: [Field(name: "v", type: .float64, nullable: false)])
        let dv = try Dataset.create(at: dir.appendingPathComponent("v"), schema: bad)
        XCTAssertThrowsError(try MergeInsert(on: "v").whenNotMatchedInsertAll()
            .execute(source: RecordBatch(schema: bad, columns: [ColumnData(float64s: [1])]), dataset: dv))
        XCTAssertThrowsError(try MergeInsert(on: "missing").execute(source: b([("a", 1)]), dataset: d))
        XCTAssertEqual(KeyIndex.hash(ColumnData(int32s: [7]), row: 0), KeyIndex.hash(Int64(7)))
    }
}
