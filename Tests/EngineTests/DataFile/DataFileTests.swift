import XCTest
@testable import Engine

final class DataFileTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hw-datafile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `batches` to one file and returns its info.
    static func write(_ batches: [RecordBatch], to url: URL, level: Int = 1) throws -> DataFileInfo {
        let writer = try DataFileWriter(url: url, schema: batches[0].schema)
        for b in batches { try writer.write(BatchEncoder.encode(b, options: EncodingOptions(compressionLevel: level))) }
        return try writer.finish(sync: false)
    }

    func testWriteReadRoundTripWithProjectionAndPages() throws {
        let batches = [TestData.batch(rows: 300, nullable: true, repetitive: false, seed: 1),
                       TestData.batch(rows: 50, nullable: true, repetitive: true, seed: 2),
                       TestData.batch(rows: 0, nullable: true, repetitive: true, seed: 3),
                       TestData.batch(rows: 120, nullable: true, repetitive: true, seed: 4)]
        let url = directory.appendingPathComponent("a.hwd")
        let info = try Self.write(batches, to: url)
        XCTAssertEqual(info.rowCount, 470)
        XCTAssertEqual(info.pageCount, 4)
        XCTAssertEqual(info.fileName, "a.hwd")
        XCTAssertEqual(info.byteCount, try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)

        let reader = try DataFileReader(url: url)
        XCTAssertEqual(reader.rowCount, 470)
        XCTAssertEqual(reader.schema, batches[0].schema)
        XCTAssertEqual(reader.footer, info.footer)
        XCTAssertEqual(reader.pages(column: 2).map(\.rowRange), [0..<300, 300..<350, 350..<350, 350..<470])
        XCTAssertEqual(try reader.readAll(), RecordBatch.concatenate(batches))
        XCTAssertEqual(try reader.readBatch(page: 3, columns: [3, 0]), batches[3].project([3, 0]))
        XCTAssertEqual(try reader.readPage(column: 1, page: 1), batches[1].columns[1])
        XCTAssertEqual(try reader.readColumns([4], pages: 1..<4), RecordBatch.concatenate(Array(batches[1...])).project([4]))
        XCTAssertEqual(reader.pages(column: 0)[0].statistics, try BatchEncoder.encode(batches[0]).pages[0].statistics)

        let cached = try DataFileReader(url: url, footer: info.footer)
        XCTAssertEqual(try cached.readBatch(page: 0), batches[0])
        XCTAssertThrowsError(try reader.readPage(column: 9, page: 0))
    }

    func testUncompressedFileRoundTrips() throws {
        let batch = TestData.batch(rows: 200, nullable: false, repetitive: false, seed: 8)
        let url = directory.appendingPathComponent("raw.hwd")
        _ = try Self.write([batch], to: url, level: 0)
        XCTAssertEqual(try DataFileReader(url: url).readAll(), batch)
    }

    func testMissingFileAndSchemaMismatchAreTypedErrors() throws {
        let url = directory.appendingPathComponent("nope.hwd")
        XCTAssertThrowsError(try DataFileReader(url: url)) { error in
            XCTAssertEqual(error as? EngineError, .missingFile(path: url.path))
        }
        let writer = try DataFileWriter(url: url, schema: Schema(fields: [Field(name: "x", type: .int64)]))
        let other = TestData.batch(rows: 3, nullable: false, repetitive: false, seed: 1)
        XCTAssertThrowsError(try writer.write(BatchEncoder.encode(other))) { error in
            guard case .schemaMismatch = error as? EngineError else { return XCTFail("\(error)") }
        }
        writer.abandon()
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path))
    }

    func testUnfinishedFileIsRejected() throws {
        let url = directory.appendingPathComponent("partial.hwd")
        let writer = try DataFileWriter(url: url, schema: TestData.batch(rows: 1, nullable: false, repetitive: false, seed: 1).schema)
        try writer.write(TestData.batch(rows: 100, nullable: false, repetitive: false, seed: 1))
        // No finish(): the file has pages but no footer.
        XCTAssertThrowsError(try DataFileReader(url: url)) { error in
            guard case .corrupt(let file, let offset, _) = error as? EngineError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, url.path)
            XCTAssertGreaterThan(offset, 0)
        }
    }
}

/// The byte-level example of docs/FORMAT.md, checked against what the writer produces.
final class FormatDocumentationTests: XCTestCase {
    func testDocumentedExampleBytes() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hw-format-\(UUID().uuidString).hwd")
        defer { try? FileManager.default.removeItem(at: url) }
        let schema = Schema(fields: [Field(name: "id", type: .int64)])
        let writer = try DataFileWriter(url: url, schema: schema)
        try writer.write(RecordBatch(schema: schema, columns: [ColumnData(int64s: [7, 8, 9])]), options: EncodingOptions(compressionLevel: 0))
        let info = try writer.finish(sync: false)
        let bytes = [UInt8](try Data(contentsOf: url))
        XCTAssertEqual(Array(bytes[0..<8]), [0x48, 0x57, 0x44, 0x46, 1, 0, 0, 0])
        XCTAssertEqual(Array(bytes[8..<32]), [0x48, 0x57, 0x50, 0x47, 0, 0, 0, 0, 3, 0, 0, 0, 24, 0, 0, 0, 24, 0, 0, 0, 0, 0, 0, 0])
        let header = Array(bytes[8..<32])
        let body = Array(bytes[40..<64])
        let seed = header.withUnsafeBytes { Checksum.xxh3($0) }
        let checksum = body.withUnsafeBytes { Checksum.xxh3($0, seed: seed) }
        XCTAssertEqual(Array(bytes[32..<40]), withUnsafeBytes(of: checksum.littleEndian) { Array($0) })
        XCTAssertEqual(body, [7, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0])
        // Trailer: footer length L, 0, checksum seeded with (L << 32 | version), version, magic.
        let n = bytes.count
        let trailer = Array(bytes[(n - 24)...])
        let footerLength = Int(trailer[0]) | Int(trailer[1]) << 8 | Int(trailer[2]) << 16 | Int(trailer[3]) << 24
        XCTAssertEqual(64 + footerLength + 24, n)
        XCTAssertEqual(Array(trailer[16..<24]), [1, 0, 0, 0, 0x48, 0x57, 0x44, 0x46])
        let footer = Array(bytes[64 ..< 64 + footerLength])
        let footerSum = footer.withUnsafeBytes { Checksum.xxh3($0, seed: UInt64(footerLength) << 32 | 1) }
        XCTAssertEqual(Array(trailer[8..<16]), withUnsafeBytes(of: footerSum.littleEndian) { Array($0) })
        // Footer: version 1, 3 rows, 1 column "id" int64 not nullable, 1 page at 8 of 56 bytes.
        XCTAssertEqual(Array(footer[0..<16]), [1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0])
        XCTAssertEqual(Array(footer[16..<20]), [2, 0, 0x69, 0x64])
        XCTAssertEqual(Array(footer[20..<32]), [2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0])
        XCTAssertEqual(Array(footer[32..<44]), [8, 0, 0, 0, 0, 0, 0, 0, 56, 0, 0, 0])
        XCTAssertEqual(info.footer.pages[0][0].statistics, PageStatistics(min: .int(7), max: .int(9), nullCount: 0, runCount: 3,
                                                                          distinctEstimate: 3, encoding: .plain))
        XCTAssertEqual(footer.count, 20 + 12 + 44 + 9 + 9)
    }
}
