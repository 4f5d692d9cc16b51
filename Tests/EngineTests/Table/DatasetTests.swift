import XCTest
import Foundation
@testable import Engine

/// Versions written by real writers: checkout of older versions, overwrite, countRows from the manifest,
/// size estimates, and merge-insert-style updates through FragmentWriter.
final class DatasetTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws { root = DatasetFixtures.temporaryDirectory("dataset") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func write(_ batches: [RecordBatch], mode: WriteMode = .append) throws -> WriteSummary {
        let writer = try DatasetWriter(at: root, schema: DatasetFixtures.schema, options: WriteOptions(mode: mode))
        for b in batches { try writer.write(b) }
        return try writer.close()
    }

    func readAll(_ ds: Dataset) throws -> RecordBatch {
        RecordBatch.concatenate(try DatasetFixtures.drain(try ds.scanner(ScanOptions(batchSize: 1_000)), batchSize: 1_000),
                                schema: ds.schema)
    }

    func testOlderVersionsStayReadableAfterAppendsAndOverwrite() throws {
        let a = DatasetFixtures.batches(count: 2, rows: 150, seed: 21)
        let b = DatasetFixtures.batches(count: 3, rows: 80, seed: 22)
        let c = DatasetFixtures.batches(count: 1, rows: 60, seed: 23)
        XCTAssertEqual(try write(a).finalVersion, 2)
        XCTAssertEqual(try write(b).finalVersion, 3)
        XCTAssertEqual(try write(c, mode: .overwrite).finalVersion, 4)
        XCTAssertEqual(try Dataset.versions(at: root), [1, 2, 3, 4])
        XCTAssertEqual(try readAll(try Dataset.open(at: root, version: 2)), RecordBatch.concatenate(a))
        XCTAssertEqual(try readAll(try Dataset.open(at: root, version: 3)), RecordBatch.concatenate(a + b))
        let latest = try Dataset.open(at: root)
        XCTAssertEqual(latest.version, 4)
        XCTAssertEqual(try readAll(latest), RecordBatch.concatenate(c))
        XCTAssertEqual(latest.countRows(), 60)
        XCTAssertEqual(try latest.checkout(version: 3).countRows(), 540)
        XCTAssertEqual(try Dataset.open(at: root, version: 1).countRows(), 0)
        XCTAssertNil(try Dataset.open(at: root, version: 1).scanner().next())
        XCTAssertEqual(latest.estimateInMemoryDataSize(), latest.fragments.reduce(0) { $0 + $1.fileBytes })
        // Files of older versions are kept: the overwrite did not delete them.
        XCTAssertEqual(try readAll(try latest.checkout(version: 2)).rowCount, 300)
    }

    func testFragmentWriterThenCommitAndUpdate() throws {
        let base = try Dataset.create(at: root, schema: DatasetFixtures.schema)
        let batches = DatasetFixtures.batches(count: 5, rows: 100, seed: 24)
        let fw = FragmentWriter(dataset: base, options: WriteOptions(maxRowsPerFile: 200))
        for b in batches { try fw.write(b) }
        let fragments = try fw.finish()
        XCTAssertEqual(fragments.map(\.physicalRows), [200, 200, 100])
        XCTAssertEqual(try Dataset.open(at: root).version, 1, "FragmentWriter does not commit")
        let v2 = try base.commit(.append(fragments))
        XCTAssertEqual(try readAll(v2), RecordBatch.concatenate(batches))
        // Merge-insert style: replace the rows whose id is a multiple of 50 by new rows.
        var deletions: [Int: [UInt32]] = [:]
        for fragment in v2.fragments {
            let reader = try FragmentReader(dataset: v2, fragment: fragment, columns: ["id"], filter: .isIn("id", [.int(0), .int(50), .int(250), .int(450)]))
            while let (batch, offsets) = try reader.next() {
                XCTAssertEqual(batch.rowCount, offsets.count)
                deletions[fragment.id, default: []] += offsets
            }
        }
        XCTAssertEqual(deletions.values.reduce(0) { $0 + $1.count }, 4)
        var random = TestRandom(seed: 25)
        let replacement = DatasetFixtures.batch(firstId: 10_000, rows: 4, random: &random)
        let added = FragmentWriter(dataset: v2, options: WriteOptions())
        try added.write(replacement)
        let v3 = try v2.commit(.update(deletions: deletions, added: try added.finish()))
        XCTAssertEqual(v3.countRows(), 500)
        let ids = try readAll(v3).columns[0]
        let idSet = Set((0..<ids.length).map { ids.int64($0) })
        XCTAssertFalse(idSet.contains(50))
        XCTAssertTrue(idSet.contains(10_003))
        XCTAssertEqual(idSet.count, 500)
    }

    func testDeleteWhere() throws {
        let batches = DatasetFixtures.batches(count: 4, rows: 100, seed: 27)
        _ = try write(batches)
        let all = RecordBatch.concatenate(batches)
        let v2 = try Dataset.open(at: root)
        let predicate: RowFilter = .and([.compare("small", .ge, .int(0)), .isIn("tag", [.string("alpha"), .string("eta")])])
        let v3 = try v2.delete(where: predicate)
        XCTAssertEqual(v3.version, 3)
        let keep = (0..<all.rowCount).filter { !DatasetFixtures.matches(predicate, all, $0) }
        XCTAssertEqual(v3.countRows(), keep.count)
        XCTAssertEqual(try readAll(v3), all.take(keep))
        XCTAssertTrue(try v3.delete(where: predicate) === v3, "nothing left to delete: no new version")
        XCTAssertEqual(try Dataset.versions(at: root), [1, 2, 3])
    }

    func testCountRowsReadsOnlyTheManifest() throws {
        _ = try write(DatasetFixtures.batches(count: 2, rows: 50, seed: 26))
        let ds = try Dataset.open(at: root)
        try FileManager.default.removeItem(at: root.appendingPathComponent("data"))
        XCTAssertEqual(ds.countRows(), 100)
        XCTAssertEqual(try Dataset.open(at: root).countRows(), 100)
    }
}
