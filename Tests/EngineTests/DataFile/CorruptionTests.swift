import XCTest
@testable import Engine

/// Damaged data files: every read either throws an `EngineError` naming the file, or returns exactly the
/// rows that were written. Never a crash, never a wrong row.
final class CorruptionTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hw-corrupt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A small file covering every encoding, nulls and both compressions.
    func smallFile(level: Int) throws -> (URL, RecordBatch) {
        let batches = [TestData.batch(rows: 40, nullable: true, repetitive: true, seed: 21),
                       TestData.batch(rows: 25, nullable: true, repetitive: false, seed: 22)]
        let url = directory.appendingPathComponent("small-\(level).hwd")
        let writer = try DataFileWriter(url: url, schema: batches[0].schema)
        try writer.write(BatchEncoder.encode(batches[0], options: EncodingOptions(compressionLevel: level, forcedEncoding: .dictionary)))
        try writer.write(BatchEncoder.encode(batches[1], options: EncodingOptions(compressionLevel: level)))
        _ = try writer.finish(sync: false)
        return (url, RecordBatch.concatenate(batches))
    }

    /// Reads the whole file; returns nil when it threw an EngineError naming the file (anything else fails).
    func readOrError(_ url: URL) -> RecordBatch? {
        do {
            return try DataFileReader(url: url).readAll()
        } catch let error as EngineError {
            switch error {
            case .corrupt(let file, let offset, _):
                XCTAssertEqual(file, url.path)
                // The offset names a place in the file as it is now.
                let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? -1
                XCTAssertTrue((0...max(0, size)).contains(offset), "offset \(offset) outside the \(size)-byte file")
            case .truncated(let file, _):
                XCTAssertEqual(file, url.path)
            default:
                XCTFail("unexpected error \(error)")
            }
            return nil
        } catch {
            XCTFail("untyped error \(error)")
            return nil
        }
    }

    func flipEveryByte(level: Int) throws {
        let (url, expected) = try smallFile(level: level)
        XCTAssertEqual(readOrError(url), expected)
        let original = try Data(contentsOf: url)
        let fd = open(url.path, O_RDWR)
        defer { close(fd) }
        var detected = 0
        for offset in 0..<original.count {
            for mask: UInt8 in [0x01, 0xFF] {
                var byte = original[offset] ^ mask
                XCTAssertEqual(pwrite(fd, &byte, 1, off_t(offset)), 1)
                if let batch = readOrError(url) {
                    XCTAssertEqual(batch, expected, "flip \(mask) at \(offset) returned wrong rows")
                } else {
                    detected += 1
                }
                byte = original[offset]
                XCTAssertEqual(pwrite(fd, &byte, 1, off_t(offset)), 1)
            }
        }
        // Every byte is covered by a magic, a checksum or a checked field, so every flip is detected.
        XCTAssertEqual(detected, original.count * 2)
    }

    func testEveryByteFlipOfCompressedFileIsDetected() throws { try flipEveryByte(level: 1) }

    func testEveryByteFlipOfUncompressedFileIsDetected() throws { try flipEveryByte(level: 0) }

    func testEveryTruncationIsDetected() throws {
        let (url, _) = try smallFile(level: 1)
        let size = try Data(contentsOf: url).count
        let fd = open(url.path, O_RDWR)
        defer { close(fd) }
        // Every length, from one byte short down to empty.
        for length in stride(from: size - 1, through: 0, by: -1) {
            XCTAssertEqual(ftruncate(fd, off_t(length)), 0)
            XCTAssertNil(readOrError(url), "truncated to \(length) bytes was accepted")
        }
    }

    /// Bypasses the checksums: damaged pages whose checksum is recomputed must still never crash a decoder
    /// or yield an inconsistent column (every bound read from disk is checked, not just trusted).
    func testDecodersBoundsCheckDamagedPagesWithValidChecksums() throws {
        var decodedOK = 0, rejected = 0
        for encoding in PageEncoding.allCases {
            let batch = TestData.batch(rows: 30, nullable: true, repetitive: true, seed: 60 + UInt64(encoding.rawValue))
            let encoded = try BatchEncoder.encode(batch, options: EncodingOptions(compressionLevel: 0, forcedEncoding: encoding))
            let storage = encoded.storage.withUnsafeBytes { [UInt8]($0) }
            for page in encoded.pages {
                let original = Array(storage[page.storageOffset ..< page.storageOffset + page.byteCount])
                let type = batch.schema.fields[page.column].type
                for offset in 4 ..< original.count where !(24..<32).contains(offset) {
                    for mask: UInt8 in [0x01, 0x80, 0xFF] {
                        var damaged = original
                        damaged[offset] ^= mask
                        let seed = damaged.withUnsafeBytes { Checksum.xxh3(UnsafeRawBufferPointer(rebasing: $0[0..<24])) }
                        let sum = damaged.withUnsafeBytes { Checksum.xxh3(UnsafeRawBufferPointer(rebasing: $0[32...]), seed: seed) }
                        withUnsafeBytes(of: sum.littleEndian) { for i in 0..<8 { damaged[24 + i] = $0[i] } }
                        do {
                            let column = try damaged.withUnsafeBytes {
                                try PageDecoder.decode($0, type: type, expectedRows: page.rowCount, file: "page", offset: 0)
                            }
                            XCTAssertEqual(column.length, page.rowCount)
                            _ = column.rawValueBytes
                            for row in 0..<column.length { _ = column.scalar(row) }
                            decodedOK += 1
                        } catch let error as EngineError {
                            guard case .corrupt(let file, _, _) = error else { return XCTFail("\(error)") }
                            XCTAssertEqual(file, "page")
                            rejected += 1
                        }
                    }
                }
            }
        }
        // Both outcomes occur: value bytes may change freely, structure bytes may not.
        XCTAssertGreaterThan(decodedOK, 0)
        XCTAssertGreaterThan(rejected, 0)
    }

    func testDamageAfterOpenIsCaughtWhenReadingPages() throws {
        let (url, _) = try smallFile(level: 1)
        let reader = try DataFileReader(url: url)
        let page = reader.pages(column: 3)[1]
        let fd = open(url.path, O_RDWR)
        defer { close(fd) }
        var byte: UInt8 = 0
        XCTAssertEqual(pread(fd, &byte, 1, off_t(page.offset + 40)), 1)
        byte ^= 0x10
        XCTAssertEqual(pwrite(fd, &byte, 1, off_t(page.offset + 40)), 1)
        XCTAssertThrowsError(try reader.readPage(column: 3, page: 1)) { error in
            XCTAssertEqual(error as? EngineError, .corrupt(file: url.path, offset: page.offset + 24, reason: "page checksum mismatch"))
        }
        XCTAssertNoThrow(try reader.readPage(column: 3, page: 0))
        XCTAssertEqual(ftruncate(fd, off_t(page.offset + 10)), 0)
        XCTAssertThrowsError(try reader.readPage(column: 3, page: 1)) { error in
            XCTAssertEqual(error as? EngineError, .truncated(file: url.path, offset: page.offset + 10))
        }
    }
}
