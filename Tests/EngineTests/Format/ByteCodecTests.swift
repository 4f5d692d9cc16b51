import XCTest
import Foundation
@testable import Engine

/// The one byte codec: `ByteWriter` refuses values that do not fit their field with a typed error (never a trap or
/// a truncation), `ByteReader` checks every conversion of a stored count to `Int` and every sum of row counts.
final class ByteCodecTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hw-codec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Asserts `body` throws `EngineError.valueOutOfRange` for `value` in `range`, naming something containing `what`.
    func assertOutOfRange(_ what: String, value: Int, range: ClosedRange<Int>, _ body: () throws -> Void,
                          file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard case let EngineError.valueOutOfRange(name, v, r) = error else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertTrue(name.contains(what), "\(name)", file: file, line: line)
            XCTAssertEqual(v, value, file: file, line: line)
            XCTAssertEqual(r, range, file: file, line: line)
        }
    }

    func testWriterRefusesValuesThatDoNotFitTheirField() throws {
        var w = ByteWriter()
        assertOutOfRange("name length", value: 70_000, range: 0...65_535) { try w.u16(70_000, "name length") }
        assertOutOfRange("count", value: 1 << 32, range: 0...Int(UInt32.max)) { try w.u32(1 << 32, "count") }
        assertOutOfRange("offset", value: -1, range: 0...Int.max) { try w.u64(-1, "offset") }
        assertOutOfRange("field name length", value: 65_536, range: 0...65_535) {
            try w.string16(String(repeating: "x", count: 65_536), "field name")
        }
        XCTAssertEqual(w.count, 0, "a refused value writes nothing")
        try w.u16(65_535, "name length")
        try w.u32(Int(UInt32.max), "count")
        try w.u64(Int.max, "offset")
        try w.string16("é", "field name")
        XCTAssertEqual(w.bytes, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]
                                + [2, 0, 0xC3, 0xA9])
        XCTAssertTrue(EngineError.valueOutOfRange(what: "count", value: -1, range: 0...9).description.contains("count -1"))
    }

    func testManifestAndDeletionFileRefuseWhatTheyCannotStore() throws {
        let longName = String(repeating: "n", count: 70_000)
        let manifest = Manifest(version: 1, schema: Schema(fields: [Field(name: longName, type: .int64)]), fragments: [],
                                nextFragmentId: 0)
        assertOutOfRange("field name", value: 70_000, range: 0...65_535) { _ = try manifest.serialized() }
        XCTAssertThrowsError(try Dataset.create(at: directory.appendingPathComponent("ds"), schema: manifest.schema))
        XCTAssertEqual((try? Dataset.versions(at: directory.appendingPathComponent("ds"))) ?? [], [], "nothing committed")

        let negative = Manifest(version: 2, schema: Schema(fields: [Field(name: "id", type: .int64)]),
                                fragments: [FragmentMetadata(dataFile: "data/a.hwd", physicalRows: 1, fileBytes: -5)],
                                nextFragmentId: 1)
        assertOutOfRange("data file bytes", value: -5, range: 0...Int.max) { _ = try negative.serialized() }
        assertOutOfRange("fragment id", value: -1, range: 0...Int.max) {
            _ = try DeletionFile(fragmentId: -1, deletedOffsets: [1]).serialized()
        }
    }

    func testDataFileRefusesAnOverlongColumnName() throws {
        let schema = Schema(fields: [Field(name: String(repeating: "c", count: 65_536), type: .int32)])
        let writer = try DataFileWriter(url: directory.appendingPathComponent("long.hwd"), schema: schema)
        try writer.write(RecordBatch(schema: schema, columns: [ColumnData(int32s: [1, 2, 3])]))
        assertOutOfRange("field name", value: 65_536, range: 0...65_535) { _ = try writer.finish(sync: false) }
        writer.abandon()
    }

    func testFooterSizeIsComputedWithoutSerializing() throws {
        let batches = [TestData.batch(rows: 200, nullable: true, repetitive: false, seed: 7),
                       TestData.batch(rows: 0, nullable: true, repetitive: true, seed: 8)]
        let info = try DataFileTests.write(batches, to: directory.appendingPathComponent("f.hwd"))
        XCTAssertEqual(info.footer.byteCount, try info.footer.serialize().count)
        let rebuilt = DataFileFooter(schema: info.footer.schema, rowCount: info.rowCount, pages: info.footer.pages)
        XCTAssertEqual(rebuilt.byteCount, info.footer.byteCount)
    }

    /// A manifest body written by hand: one int64 field "id", then the given fragments.
    func manifestBytes(storedRows: UInt64, fragments: [(physical: UInt64, deleted: UInt64)]) -> [UInt8] {
        ChecksummedContainer.manifest.serialize(bodyBytes: 256) { w in
            w.u64(1); w.u64(0); w.u64(UInt64(fragments.count)); w.u64(storedRows)
            w.u32(1); w.u16(2); w.append([0x69, 0x64]); w.u8(2); w.u32(0); w.u8(0)
            w.u32(UInt32(fragments.count))
            for (i, f) in fragments.enumerated() {
                w.u64(UInt64(i)); w.u64(f.physical); w.u64(0)
                w.u16(10); w.append(Array("data/a.hwd".utf8))
                w.u64(f.deleted); w.u16(0)
            }
        }
    }

    func testReaderChecksConversionsAndRowSums() throws {
        // Sanity: the hand-written manifest parses.
        let ok = manifestBytes(storedRows: 7, fragments: [(10, 3)])
        XCTAssertEqual(try ok.withUnsafeBytes { try Manifest.deserialize($0, file: "m") }.rowCount, 7)
        // A count beyond Int: corrupt at the field's offset (16 + 4 u64 + 4 + field entry 2+2+1+4+1 + 4 + id 8 = 74).
        let huge = manifestBytes(storedRows: 0, fragments: [(UInt64.max, 0)])
        XCTAssertThrowsError(try huge.withUnsafeBytes { try Manifest.deserialize($0, file: "m") }) { error in
            guard case let EngineError.corrupt(file, offset, reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "m")
            XCTAssertEqual(offset, 74)
            XCTAssertTrue(reason.contains("physical rows"), reason)
        }
        // Live rows whose sum overflows Int: corrupt, not a trap.
        let max = UInt64(Int.max)
        let overflow = manifestBytes(storedRows: max, fragments: [(max, 0), (max, 0)])
        XCTAssertThrowsError(try overflow.withUnsafeBytes { try Manifest.deserialize($0, file: "m") }) { error in
            guard case let EngineError.corrupt(_, _, reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("overflow"), reason)
        }
        // Reading past the end of a container body is truncation at the absolute offset.
        let deletion = try DeletionFile(fragmentId: 3, deletedOffsets: [1]).serialized()
        try deletion.withUnsafeBytes { raw in
            var body = try ChecksummedContainer.deletionFile.open(raw, file: "d")
            XCTAssertEqual(try body.int64("fragment id"), 3)
            _ = try body.take(8, "rest")
            XCTAssertThrowsError(try body.u8("past the end")) { error in
                XCTAssertEqual(error as? EngineError, .truncated(file: "d", offset: 16 + 8 + 8))
            }
        }
    }

    func testChunkOffsetsBeyondIntAreCorruptNotATrap() throws {
        var b = ChunkFileBuilder(forceWideOffsets: true)
        b.append([1, 2, 3])
        var bytes = b.encoded()
        for i in 0..<8 { bytes[4 + 8 + i] = 0xFF }  // offsets[1] = UInt64.max
        XCTAssertThrowsError(try bytes.withUnsafeBytes {
            try ChunkFile.validateHeader($0.baseAddress!, availableBytes: $0.count, fileBytes: $0.count, file: "c")
        }) { error in
            guard case let ItemLoaderError.corrupt(file, offset, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "c")
            XCTAssertEqual(offset, 4 + 8)
        }
    }
}
