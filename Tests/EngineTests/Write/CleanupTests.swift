import XCTest
import Foundation
@testable import Engine

/// `Dataset.cleanup`: after writers are SIGKILLed mid-write, it removes every data file and temporary manifest
/// no version names, touches nothing a version names, and does nothing while a writer is live.
final class CleanupTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws { root = DatasetFixtures.temporaryDirectory("cleanup") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    /// Every file some version names, with its size and content hash.
    func referencedFiles() throws -> [String: UInt64] {
        var files: [String: UInt64] = [:]
        for v in try Dataset.versions(at: root) {
            for f in try Dataset.open(at: root, version: v).fragments {
                for relative in [f.dataFile] + (f.deletionFile.map { [$0] } ?? []) {
                    let bytes = try Data(contentsOf: root.appendingPathComponent(relative))
                    files[relative] = bytes.withUnsafeBytes { Checksum.xxh3($0) } ^ UInt64(bytes.count)
                }
            }
        }
        return files
    }

    /// Files in `data/`, `_deletions/` and `.tmp-*` in `_versions/` that no version names.
    func unreferencedFiles(_ referenced: [String: UInt64]) -> [String] {
        var result: [String] = []
        for directory in ["data", "_deletions"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(directory).path)) ?? []
            result += names.map { directory + "/" + $0 }.filter { referenced[$0] == nil }
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("_versions").path)) ?? []
        result += versions.filter { $0.hasPrefix(".tmp-") }.map { "_versions/" + $0 }
        return result.sorted()
    }

    func testCleanupAfterKilledWritersRemovesOnlyUnreferencedFiles() throws {
        if ProcessInfo.processInfo.environment[KillMidWriteTests.childDirectoryVariable] != nil { throw XCTSkip("running as a child") }
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var random = TestRandom(seed: 13)
        var roundsWithGarbage = 0
        for round in 0..<4 {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: executable)
            child.arguments = ["EngineTests.KillMidWriteTests/testChildWriterEntryPoint"]
            child.environment = ProcessInfo.processInfo.environment.merging([KillMidWriteTests.childDirectoryVariable: root.path]) { $1 }
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            let deadline = Date().addingTimeInterval(15)
            let before = (try? Dataset.versions(at: root).last) ?? 0
            while Date() < deadline, ((try? Dataset.versions(at: root).last) ?? 0) <= before + 1 { usleep(2_000) }
            usleep(useconds_t(random.next() % 100_000))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            XCTAssertEqual(child.terminationReason, .uncaughtSignal, "round \(round)")
            if !unreferencedFiles(try referencedFiles()).isEmpty { roundsWithGarbage += 1 }
        }
        // Garbage every crash can leave, planted so that the test never depends on the kill's timing alone: a
        // finished data file never committed and a temporary manifest.
        let orphan = try DataFileWriter(url: root.appendingPathComponent("data/00000000000000000000000000000000.hwd"), schema: KillMidWriteTests.schema)
        try orphan.write(KillMidWriteTests.batch(firstId: 0, rows: 10))
        _ = try orphan.finish(sync: false)
        try Data([1, 2, 3]).write(to: root.appendingPathComponent("_versions/.tmp-1-2"))

        let referenced = try referencedFiles()
        let garbage = unreferencedFiles(referenced)
        XCTAssertGreaterThanOrEqual(garbage.count, 2)
        let young = try Dataset.cleanup(at: root)  // default minimum age: an hour, and these are seconds old
        XCTAssertEqual(young.removedDataFiles + young.removedTemporaryManifests + young.removedDeletionFiles, 0)
        XCTAssertEqual(young.keptYoungFiles, garbage.count)
        XCTAssertEqual(unreferencedFiles(referenced), garbage)

        let report = try Dataset.cleanup(at: root, minimumAgeSeconds: 0)
        XCTAssertFalse(report.skippedBecauseWritersActive)
        XCTAssertEqual(report.removedDataFiles + report.removedDeletionFiles + report.removedTemporaryManifests, garbage.count)
        XCTAssertEqual(report.referencedFiles, referenced.count)
        XCTAssertEqual(unreferencedFiles(referenced), [], "unreferenced files remain")
        XCTAssertEqual(try referencedFiles(), referenced, "a referenced file changed")
        let rows = try KillMidWriteTests.verify(root, round: 99)
        XCTAssertGreaterThan(rows, 0)
        print("cleanup after kills: unreferenced files present after \(roundsWithGarbage) of 4 kills; removed \(report.removedDataFiles) data files, "
              + "\(report.removedTemporaryManifests) temporary manifests, \(report.removedBytes) bytes; \(referenced.count) referenced kept")
    }

    /// While a writer has written files it has not committed, cleanup does nothing; after it closes, cleanup
    /// removes none of the files it committed.
    func testCleanupNeverRunsWhileAWriterIsLive() throws {
        let writer = try DatasetWriter(at: root, schema: DatasetFixtures.schema,
                                       options: WriteOptions(maxRowsPerFile: 100, commitMode: .once))
        for b in DatasetFixtures.batches(count: 5, rows: 100, seed: 3) { try writer.write(b) }
        let skipped = try Dataset.cleanup(at: root, minimumAgeSeconds: 0)
        XCTAssertTrue(skipped.skippedBecauseWritersActive)
        let summary = try writer.close()
        XCTAssertEqual(summary.files, 5)
        let fragmentWriter = FragmentWriter(at: root, schema: DatasetFixtures.schema)
        try fragmentWriter.write(DatasetFixtures.batches(count: 1, rows: 10, seed: 4)[0])
        XCTAssertTrue(try Dataset.cleanup(at: root, minimumAgeSeconds: 0).skippedBecauseWritersActive)
        let fragments = try fragmentWriter.finish()
        _ = try Dataset.open(at: root).commit(.append(fragments))
        let report = try Dataset.cleanup(at: root, minimumAgeSeconds: 0)
        XCTAssertFalse(report.skippedBecauseWritersActive)
        XCTAssertEqual(report.removedDataFiles, 0)
        XCTAssertEqual(report.referencedFiles, 6)
        XCTAssertEqual(try Dataset.open(at: root).countRows(), 510)
    }
}
