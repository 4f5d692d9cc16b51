import XCTest
import Foundation
@testable import Engine

/// DatasetScanner: projection, filters against a brute-force evaluation, page skipping, deletions, batch sizes.
final class ScannerTests: XCTestCase {
    var root: URL!
    var all: RecordBatch!

    override func setUpWithError() throws {
        root = DatasetFixtures.temporaryDirectory("scan")
        // 12 batches of 100 rows → pages of 100 rows, files of 500 rows (3 fragments).
        let batches = DatasetFixtures.batches(count: 12, rows: 100, seed: 11)
        let writer = try DatasetWriter(at: root, schema: DatasetFixtures.schema,
                                       options: WriteOptions(strategy: .streaming, maxRowsPerFile: 500))
        for b in batches { try writer.write(b) }
        _ = try writer.close()
        all = RecordBatch.concatenate(batches)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func scanAll(_ ds: Dataset, _ options: ScanOptions) throws -> RecordBatch {
        let scanner = try ds.scanner(options)
        let batches = try DatasetFixtures.drain(scanner, batchSize: options.batchSize)
        return RecordBatch.concatenate(batches, schema: scanner.schema)
    }

    func randomPredicate(_ random: inout TestRandom, depth: Int = 0) -> RowFilter {
        let ops = ComparisonOperator.allCases
        let op = ops[Int(random.next() % UInt64(ops.count))]
        switch random.next() % (depth == 0 ? 8 : 7) {
        case 0: return .compare("id", op, .int(Int64(random.next() % 1300)))
        case 1: return .compare("small", op, .int(Int64(random.next() % 220) - 110))
        case 2: return .compare("score", op, .double(Double(random.next() % 10_000) / 100))
        case 3: return .compare("tag", op, .string(DatasetFixtures.tags[Int(random.next() % 8)]))
        case 4: return .isIn("tag", [.string("beta"), .string(DatasetFixtures.tags[Int(random.next() % 8)]), .string("nope")])
        case 5: return .isIn("small", (0..<3).map { _ in .int(Int64(random.next() % 220) - 110) })
        case 6: return .compare("id", op, .double(Double(random.next() % 13_000) / 10)) // int column vs double literal
        default: return .and((0..<2).map { _ in randomPredicate(&random, depth: 1) })
        }
    }

    func testFiltersMatchBruteForce() throws {
        let ds = try Dataset.open(at: root)
        var random = TestRandom(seed: 99)
        for i in 0..<60 {
            let predicate = randomPredicate(&random)
            let expectedIds = (0..<all.rowCount).filter { DatasetFixtures.matches(predicate, all, $0) }.map { all.int64(column: 0, row: $0) }
            let got = try scanAll(ds, ScanOptions(columns: ["id", "note"], filter: predicate, batchSize: 64, readAhead: i % 2 == 0))
            let ids = (0..<got.rowCount).map { got.int64(column: 0, row: $0) }
            XCTAssertEqual(ids, expectedIds, "\(predicate)")
            for r in 0..<got.rowCount {
                XCTAssertEqual(got.scalar(column: 1, row: r), all.scalar(column: 4, row: Int(ids[r])))
            }
        }
    }

    func testPagesOutsideTheFilterAreSkippedUnread() throws {
        let ds = try Dataset.open(at: root)
        let scanner = try ds.scanner(ScanOptions(filter: .and([.compare("id", .ge, .int(250)), .compare("id", .lt, .int(420))])))
        var rows = 0
        while let b = try scanner.next() { rows += b.rowCount }
        XCTAssertEqual(rows, 170)
        XCTAssertEqual(scanner.pagesRead, 3) // pages 200-299, 300-399, 400-499
        XCTAssertEqual(scanner.pagesSkipped, 9)
        let none = try ds.scanner(ScanOptions(filter: .compare("id", .gt, .int(5_000))))
        XCTAssertNil(try none.next())
        XCTAssertEqual(none.pagesRead, 0)
    }

    func testProjectionOrderAndBatchSizes() throws {
        let ds = try Dataset.open(at: root)
        for batchSize in [1, 7, 100, 128, 5_000] {
            let got = try scanAll(ds, ScanOptions(columns: ["vec", "id"], batchSize: batchSize))
            XCTAssertEqual(got, all.project([5, 0]), "batch size \(batchSize)")
        }
        XCTAssertThrowsError(try ds.scanner(ScanOptions(columns: ["nope"])))
        XCTAssertThrowsError(try ds.scanner(ScanOptions(filter: .compare("tag", .eq, .int(1)))))
        XCTAssertThrowsError(try ds.scanner(ScanOptions(filter: .compare("vec", .eq, .int(1)))))
        XCTAssertEqual(try ds.materializeAll(columns: ["tag"]), all.project([3]))
    }

    func testDeletedRowsAreSkippedAndOffsetsReported() throws {
        var ds = try Dataset.open(at: root)
        // Delete every 3rd row of fragment 1 (ids 500..<1000) and the whole first page of fragment 0.
        let f1 = ds.fragments[1]
        ds = try ds.commit(.update(deletions: [f1.id: stride(from: 0, to: 500, by: 3).map(UInt32.init),
                                               ds.fragments[0].id: (0..<100).map(UInt32.init)], added: []))
        let keep = (0..<all.rowCount).filter { id in !(id < 100 || (id >= 500 && id < 1000 && (id - 500) % 3 == 0)) }
        XCTAssertEqual(ds.countRows(), keep.count)
        let got = try scanAll(ds, ScanOptions(batchSize: 333))
        XCTAssertEqual(got, all.take(keep))
        let reader = try FragmentReader(dataset: ds, fragment: ds.fragments[1], columns: ["id"])
        var offsets: [UInt32] = []
        while let (b, o) = try reader.next() {
            XCTAssertEqual(b.rowCount, o.count)
            for r in 0..<b.rowCount { XCTAssertEqual(b.int64(column: 0, row: r), 500 + Int64(o[r])) }
            offsets += o
        }
        XCTAssertEqual(offsets, (0..<500).filter { $0 % 3 != 0 }.map(UInt32.init))
    }

    func testDroppingAScannerMidwayStopsItsThreads() throws {
        let ds = try Dataset.open(at: root)
        for i in 0..<30 {
            let scanner = try ds.scanner(ScanOptions(batchSize: 50 + i))
            XCTAssertEqual(try scanner.next()?.rowCount, 50 + i)
        } // each scanner is released here with its read-ahead threads possibly mid-decode
        XCTAssertEqual(try scanAll(ds, ScanOptions()).rowCount, 1200)
    }

    func testMissingDataFileIsATypedError() throws {
        let ds = try Dataset.open(at: root)
        let path = ds.path(of: ds.fragments[1].dataFile)
        try FileManager.default.removeItem(atPath: path)
        XCTAssertEqual(ds.countRows(), 1200, "countRows reads only the manifest")
        for readAhead in [false, true] {
            let scanner = try ds.scanner(ScanOptions(batchSize: 500, readAhead: readAhead))
            XCTAssertEqual(try scanner.next()?.rowCount, 500) // fragment 0 only: the scan stops at the missing file
            XCTAssertThrowsError(try scanner.next()) {
                XCTAssertEqual($0 as? EngineError, .missingFile(path: path))
            }
        }
    }

    func testCorruptDataFileIsATypedErrorNamingTheFile() throws {
        let ds = try Dataset.open(at: root)
        let path = ds.path(of: ds.fragments[2].dataFile)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[40] ^= 0x5A // inside the first page
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try scanAll(ds, ScanOptions())) { error in
            switch error {
            case EngineError.corrupt(let file, _, _), EngineError.truncated(let file, _): XCTAssertEqual(file, path)
            default: XCTFail("\(error)")
            }
        }
    }

    func testFooterCacheKeysIncludeTheVersion() throws {
        let session = Session(indexCacheBytes: 1 << 20, metadataCacheBytes: 1 << 24)
        let v = try Dataset.open(at: root, session: session)
        _ = try scanAll(v, ScanOptions())
        let entries = session.metadataCache.statistics.entries
        XCTAssertEqual(entries, 1 + v.fragments.count) // manifest + one footer per fragment
        _ = try scanAll(v, ScanOptions())
        XCTAssertEqual(session.metadataCache.statistics.entries, entries, "same version: footers reused")
        let v2 = try v.commit(.update(deletions: [v.fragments[0].id: [1]], added: []))
        _ = try scanAll(v2, ScanOptions())
        // A new version adds a manifest and footers again (stale entries stay until evicted, as in Lance),
        // plus its deletion file.
        XCTAssertEqual(session.metadataCache.statistics.entries, 2 * entries + 1)
        let hits = session.metadataCache.statistics.hits
        _ = try scanAll(v2, ScanOptions())
        XCTAssertEqual(session.metadataCache.statistics.entries, 2 * entries + 1)
        XCTAssertEqual(session.metadataCache.statistics.hits, hits + v2.fragments.count + 1, "footers and the deletion file come from the cache")
    }
}
