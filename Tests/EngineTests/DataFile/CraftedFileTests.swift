import XCTest
import Foundation
@testable import Engine

/// Files with valid checksums whose content lies (issue 13): each must give a typed `EngineError` naming the
/// file and an offset inside it, before any allocation the lie could drive. Runs in debug and release builds
/// (Makefile RELEASE_TESTS), and once more in a child process under a 2 GiB address-space limit.
final class CraftedFileTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = DatasetFixtures.temporaryDirectory("crafted")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    static let schema = Schema(fields: [Field(name: "id", type: .int64), Field(name: "name", type: .utf8)])

    /// A real two-page file: ids 0..<100 and 100..<200, names "n<id>".
    func realFile(_ encoding: PageEncoding? = nil) throws -> (URL, [UInt8]) {
        let url = directory.appendingPathComponent("real-\(UUID().uuidString).hwd")
        let writer = try DataFileWriter(url: url, schema: Self.schema)
        for page in 0..<2 {
            let ids = (page * 100 ..< page * 100 + 100).map { Int64($0) }
            let batch = RecordBatch(schema: Self.schema, columns: [ColumnData(int64s: ids), ColumnData(strings: ids.map { "n\($0)" })])
            try writer.write(batch, options: EncodingOptions(compressionLevel: 0, forcedEncoding: encoding))
        }
        _ = try writer.finish(sync: false)
        return (url, [UInt8](try Data(contentsOf: url)))
    }

    /// The real file with its footer rebuilt by `change` (checksum valid).
    func withFooter(_ encoding: PageEncoding? = nil, _ change: (DataFileFooter) -> DataFileFooter) throws -> URL {
        let (url, bytes) = try realFile(encoding)
        let footer = change(try DataFileReader(url: url).footer)
        let range = CraftedFiles.footerRange(bytes)
        try CraftedFiles.write(CraftedFiles.seal(Array(bytes[..<range.lowerBound]), footer: try footer.serialize()), to: url)
        return url
    }

    /// Replaces the statistics of page `page` of column `column`.
    static func restat(_ footer: DataFileFooter, column: Int, page: Int, _ change: (inout PageStatistics) -> Void) -> DataFileFooter {
        var pages = footer.pages
        let p = pages[column][page]
        var s = p.statistics
        change(&s)
        pages[column][page] = PageInfo(offset: p.offset, byteCount: p.byteCount, firstRow: p.firstRow, rowCount: p.rowCount,
                                       compression: p.compression, statistics: s)
        return DataFileFooter(schema: footer.schema, rowCount: footer.rowCount, pages: pages)
    }

    /// Asserts `body` throws `.corrupt` naming `file` at an offset inside the file; returns the reason.
    @discardableResult
    func assertCorrupt(_ file: String, size: Int, _ body: () throws -> Void, line: UInt = #line) -> String {
        do {
            try body()
            XCTFail("accepted", line: line)
        } catch EngineError.corrupt(let f, let offset, let reason) {
            XCTAssertEqual(f, file, line: line)
            XCTAssertTrue((0...size).contains(offset), "offset \(offset) outside \(size) bytes: \(reason)", line: line)
            return reason
        } catch {
            XCTFail("\(error)", line: line)
        }
        return ""
    }

    func testStatisticsOfTheWrongKindAreRejectedAtOpen() throws {
        let cases: [(inout PageStatistics) -> Void] = [
            { $0.min = .string("a"); $0.max = .string("z") },  // strings for an int64 column
            { $0.min = .int(5); $0.max = .int(1) },            // min above max
            { $0.min = .int(0); $0.max = .double(1) },         // mixed kinds
            { $0.min = .null; $0.max = .null },                // no range for 100 valid ints
        ]
        for change in cases {
            let url = try withFooter { Self.restat($0, column: 0, page: 1, change) }
            let size = try Data(contentsOf: url).count
            assertCorrupt(url.path, size: size) { _ = try DataFileReader(url: url) }
        }
        let url = try withFooter { Self.restat($0, column: 1, page: 0) { $0.min = .int(1); $0.max = .int(2) } }
        assertCorrupt(url.path, size: try Data(contentsOf: url).count) { _ = try DataFileReader(url: url) }
    }

    /// Statistics of the right kind that exclude some of the page's values: reading the page is an error, so a
    /// scan that reads it fails instead of returning rows a filtered scan would drop.
    func testPageContradictingItsStatisticsIsAnError() throws {
        let cases: [(PageEncoding?, Int, (inout PageStatistics) -> Void)] = [
            (nil, 0, { $0.max = .int(150) }), (nil, 1, { $0.min = .string("n15") }), (nil, 0, { $0.nullCount = 3 }),
            // Dictionary and run-length pages without nulls check their distinct values.
            (.dictionary, 0, { $0.max = .int(150) }), (.dictionary, 1, { $0.max = .string("n15") }), (.runLength, 0, { $0.min = .int(101) }),
        ]
        for (encoding, column, change) in cases {
            let url = try withFooter(encoding) { Self.restat($0, column: column, page: 1, change) }
            let reader = try DataFileReader(url: url)
            let size = try Data(contentsOf: url).count
            XCTAssertNoThrow(try reader.readPage(column: column, page: 0))
            let reason = assertCorrupt(url.path, size: size) { _ = try reader.readPage(column: column, page: 1) }
            XCTAssertFalse(reason.isEmpty)
            assertCorrupt(url.path, size: size) { _ = try reader.readAll() }
        }
    }

    /// A run-length page of 20 body bytes claiming 2^30 rows (one run): refused from the row count, before the
    /// 4 GiB of run indices and 8 GiB of values it would take.
    func testRunLengthPageClaimingTwoToTheThirtyRowsIsRefused() throws {
        let rows = 1 << 30
        var body = ByteWriter()
        body.u32(1); body.u32(0); body.u64(42); body.u32(UInt32(rows))
        let page = CraftedFiles.page(.runLength, rows: rows, body: body.bytes)
        let schema = Schema(fields: [Field(name: "v", type: .int64)])
        let stats = PageStatistics(min: .int(42), max: .int(42), runCount: 1, distinctEstimate: 1, encoding: .runLength)
        let footer = DataFileFooter(schema: schema, rowCount: rows,
                                    pages: [[PageInfo(offset: 8, byteCount: page.count, firstRow: 0, rowCount: rows, compression: .none, statistics: stats)]])
        let url = directory.appendingPathComponent("rle.hwd")
        let file = try CraftedFiles.dataFile(pages: [page], footer: footer)
        try CraftedFiles.write(file, to: url)
        let reason = assertCorrupt(url.path, size: file.count) { _ = try DataFileReader(url: url) }
        XCTAssertTrue(reason.contains("rows"), reason)
        // The page alone, handed to the decoder, is refused from its header too.
        let pageReason = assertCorrupt("p", size: page.count) {
            _ = try page.withUnsafeBytes { try PageDecoder.decode($0, type: .int64, expectedRows: rows, file: "p", offset: 0) }
        }
        XCTAssertTrue(pageReason.contains("rows"), pageReason)
    }

    /// Footer u64 fields beyond `Int`: the row count set to 2^63 + 1 is an error, not a trap.
    func testFooterRowCountBeyondIntIsRefused() throws {
        let (url, bytes) = try realFile()
        let range = CraftedFiles.footerRange(bytes)
        var footer = Array(bytes[range])
        for i in 0..<8 { footer[4 + i] = i == 7 ? 0x80 : (i == 0 ? 1 : 0) }
        let file = CraftedFiles.seal(Array(bytes[..<range.lowerBound]), footer: footer)
        try CraftedFiles.write(file, to: url)
        let reason = assertCorrupt(url.path, size: file.count) { _ = try DataFileReader(url: url) }
        XCTAssertTrue(reason.contains("row count"), reason)
    }

    /// A manifest of 2^28 fragments and no entries: refused from the bytes left, before reserving 16 GiB.
    func testManifestClaimingTwoToTheTwentyEightFragmentsIsRefused() throws {
        let bytes = CraftedFiles.container(.manifest) { w in
            CraftedFiles.manifestHead(&w, rowCount: 0)
            w.u32(1 << 28)
        }
        assertCorrupt("m", size: bytes.count) { _ = try bytes.withUnsafeBytes { try Manifest.deserialize($0, file: "m") } }
    }

    /// Fragment rows and data file bytes whose sums overflow `Int`.
    func testManifestSumsThatOverflowAreRefused() throws {
        let half = UInt64(Int.max / 2 + 1)
        for (rows, fileBytes) in [(half, UInt64(1)), (UInt64(1), half)] {
            let bytes = CraftedFiles.container(.manifest) { w in
                CraftedFiles.manifestHead(&w, rowCount: 2)
                w.u32(2)
                CraftedFiles.fragment(&w, id: 0, rows: rows, fileBytes: fileBytes)
                CraftedFiles.fragment(&w, id: 1, rows: rows, fileBytes: fileBytes)
            }
            let reason = assertCorrupt("m", size: bytes.count) { _ = try bytes.withUnsafeBytes { try Manifest.deserialize($0, file: "m") } }
            XCTAssertTrue(reason.contains("overflow"), reason)
        }
    }

    /// The cases above again in a child process whose address space is capped at 2 GiB (`ulimit -v`): any
    /// allocation a lie drives (4-16 GiB) would kill the child instead of failing a check.
    func testCraftedCasesUnderAnAddressSpaceLimit() throws {
        if ProcessInfo.processInfo.environment["HW_CRAFTED_CHILD"] != nil { return }
        let binary = CommandLine.arguments[0]
        guard FileManager.default.isExecutableFile(atPath: binary), binary.hasSuffix(".xctest") else {
            throw XCTSkip("cannot re-run the test binary (\(binary))")
        }
        let filters = ["testRunLengthPageClaimingTwoToTheThirtyRowsIsRefused", "testManifestClaimingTwoToTheTwentyEightFragmentsIsRefused",
                       "testPageContradictingItsStatisticsIsAnError", "testManifestSumsThatOverflowAreRefused"]
            .map { "EngineTests.CraftedFileTests/\($0)" }.joined(separator: ",")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -v 2097152 && exec \"$0\" \"$1\"", binary, filters]
        process.environment = ProcessInfo.processInfo.environment.merging(["HW_CRAFTED_CHILD": "1"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("Executed 4 tests, with 0 failures"), text)
    }
}
