import XCTest
import Foundation
@testable import Engine

/// Damaged manifests and deletion files give typed errors naming the file and offset, never a crash or a
/// wrong answer.
final class DatasetCorruptionTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("hw-corrupt-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    static let schema = Schema(fields: [Field(name: "id", type: .int64), Field(name: "s", type: .utf8)])

    /// A dataset whose version 3 has two fragments, one with a deletion file.
    func makeDataset() throws -> Dataset {
        var ds = try Dataset.create(at: root, schema: Self.schema)
        ds = try ds.commit(.append([FragmentMetadata(dataFile: "data/a.hwd", physicalRows: 100, fileBytes: 1000),
                                    FragmentMetadata(dataFile: "data/b.hwd", physicalRows: 40, fileBytes: 400)]))
        ds = try ds.commit(.update(deletions: [1: [0, 7, 39]], added: []))
        return ds
    }

    /// Whether `error` is a typed corruption error naming `path`.
    func isCorruption(_ error: Error, naming path: String) -> Bool {
        switch error {
        case EngineError.corrupt(let file, let offset, _): return file == path && offset >= 0
        case EngineError.truncated(let file, let offset): return file == path && offset >= 0
        default: return false
        }
    }

    func testEveryByteFlipInTheManifestIsDetected() throws {
        let ds = try makeDataset()
        let path = ManifestStore(root: root).path(version: ds.version)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        // Every offset, three masks, parsed in memory (the same code `open` runs on the file's bytes)...
        for offset in 0..<original.count {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = [UInt8](original)
                damaged[offset] ^= mask
                XCTAssertThrowsError(try damaged.withUnsafeBytes { try Manifest.deserialize($0, file: path) }) { error in
                    XCTAssertTrue(self.isCorruption(error, naming: path), "offset \(offset) mask \(mask): \(error)")
                }
            }
        }
        // ...and through the file for every 7th offset.
        for offset in stride(from: 0, to: original.count, by: 7) {
            var damaged = original
            damaged[offset] ^= 0x04
            try damaged.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try Dataset.open(at: root), "offset \(offset)") { error in
                XCTAssertTrue(self.isCorruption(error, naming: path), "offset \(offset): \(error)")
            }
        }
        try original.write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try Dataset.open(at: root).manifest, ds.manifest)
        // Older versions stay readable whatever happens to the newest.
        XCTAssertEqual(try Dataset.open(at: root, version: 2).countRows(), 140)
    }

    func testEveryTruncationOfTheManifestIsDetected() throws {
        let ds = try makeDataset()
        let path = ManifestStore(root: root).path(version: ds.version)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        for length in 0..<original.count {
            try original.prefix(length).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try Dataset.open(at: root), "length \(length)") { error in
                XCTAssertTrue(self.isCorruption(error, naming: path), "length \(length): \(error)")
            }
        }
        // Trailing garbage is corruption too.
        try (original + Data([0])).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Dataset.open(at: root)) { XCTAssertTrue(self.isCorruption($0, naming: path)) }
    }

    func testDamagedDeletionFileIsDetected() throws {
        let ds = try makeDataset()
        let fragment = ds.fragments[1]
        let path = ds.path(of: try XCTUnwrap(fragment.deletionFile))
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(try ds.deletionFile(of: fragment)?.deletedOffsets, [0, 7, 39])
        for offset in 0..<original.count {
            var damaged = original
            damaged[offset] ^= 0x10
            try damaged.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try ds.deletionFile(of: fragment), "offset \(offset)") { error in
                XCTAssertTrue(self.isCorruption(error, naming: path), "offset \(offset): \(error)")
            }
        }
        for length in 0..<original.count {
            try original.prefix(length).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try ds.deletionFile(of: fragment)) { XCTAssertTrue(self.isCorruption($0, naming: path)) }
        }
        try FileManager.default.removeItem(atPath: path)
        XCTAssertThrowsError(try ds.deletionFile(of: fragment)) { error in
            guard case EngineError.missingFile(let missing) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(missing, path)
        }
    }

    func testDeletionFileOfAnotherFragmentIsRejected() throws {
        let ds = try makeDataset()
        // A valid, checksummed deletion file that belongs to another fragment (e.g. files swapped by hand).
        let wrong = DeletionFile(fragmentId: 0, deletedOffsets: [0, 7, 39])
        let path = ds.path(of: try XCTUnwrap(ds.fragments[1].deletionFile))
        try Data(wrong.serialized()).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ds.deletionFile(of: ds.fragments[1])) { XCTAssertTrue(self.isCorruption($0, naming: path)) }
    }
}
