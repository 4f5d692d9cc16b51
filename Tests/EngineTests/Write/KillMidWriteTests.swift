import XCTest
import Foundation
@testable import Engine

/// A writer process killed with SIGKILL at arbitrary moments leaves the newest version complete and
/// readable, equal to a prefix of what it was writing, with no partial version visible.
///
/// The parent re-runs this test binary (`/proc/self/exe`) with `HW_KILL_CHILD_DIR` set and a filter that
/// selects `testChildWriterEntryPoint`, which then writes in a loop of commits until killed.
final class KillMidWriteTests: XCTestCase {
    static let childDirectoryVariable = "HW_KILL_CHILD_DIR"
    static let schema = Schema(fields: [
        Field(name: "id", type: .int64),
        Field(name: "tag", type: .utf8),
        Field(name: "half", type: .float64),
    ])

    /// Row `id`'s values are a function of `id`, so any prefix can be checked.
    static func batch(firstId: Int, rows: Int) -> RecordBatch {
        let b = RecordBatchBuilder(schema: schema, capacityRows: rows)
        for id in firstId..<(firstId + rows) {
            b.appendInt64(column: 0, Int64(id))
            b.appendString(column: 1, "tag-\(id % 7)-" + String(repeating: "z", count: id % 11))
            b.appendFloat64(column: 2, Double(id) * 0.5)
        }
        return b.finish()
    }

    /// Child mode only: appends batches forever (bounded), committing after every batch, and now and then
    /// deletes nothing but rewrites nothing either: every version is a prefix of the id stream.
    func testChildWriterEntryPoint() throws {
        guard let path = ProcessInfo.processInfo.environment[Self.childDirectoryVariable] else {
            throw XCTSkip("entry point of the child process that testKilledWriterLeavesAConsistentDataset spawns")
        }
        let url = URL(fileURLWithPath: path)
        var nextId = Dataset.exists(at: url) ? try Dataset.open(at: url).countRows() : 0
        for _ in 0..<2_000 {
            let writer = try DatasetWriter(at: url, schema: Self.schema,
                                           options: WriteOptions(strategy: .streaming, flushEveryBatches: 1, queueDepth: 2,
                                                                 maxRowsPerFile: 700, commitMode: .everyFlush))
            for _ in 0..<3 {
                let rows = 100 + nextId % 257
                try writer.write(Self.batch(firstId: nextId, rows: rows))
                nextId += rows
            }
            _ = try writer.close()
        }
    }

    /// Checks that `url`'s newest version is the id prefix 0 ..< countRows with the right values, and
    /// that every older version is a shorter prefix. Returns the newest row count.
    static func verify(_ url: URL, round: Int) throws -> Int {
        let versions = try Dataset.versions(at: url)
        XCTAssertEqual(versions, Array(1...(versions.last ?? 1)), "round \(round): version numbers have gaps")
        let latest = try Dataset.open(at: url)
        var expected = 0
        let scanner = try latest.scanner(ScanOptions(batchSize: 333))
        while let b = try scanner.next() {
            for r in 0..<b.rowCount {
                let id = expected + r
                XCTAssertEqual(b.int64(column: 0, row: r), Int64(id), "round \(round)")
                XCTAssertEqual(b.utf8(column: 1, row: r), "tag-\(id % 7)-" + String(repeating: "z", count: id % 11))
                XCTAssertEqual(b.float64(column: 2, row: r), Double(id) * 0.5)
                if b.int64(column: 0, row: r) != Int64(id) { return -1 }
            }
            expected += b.rowCount
        }
        XCTAssertEqual(expected, latest.countRows(), "round \(round)")
        var previous = 0
        for v in versions {
            let rows = try Dataset.open(at: url, version: v).countRows()
            XCTAssertGreaterThanOrEqual(rows, previous, "round \(round): version \(v) shrank")
            previous = rows
        }
        return expected
    }

    func testKilledWriterLeavesAConsistentDataset() throws {
        if ProcessInfo.processInfo.environment[Self.childDirectoryVariable] != nil {
            throw XCTSkip("running as the child")
        }
        let url = DatasetFixtures.temporaryDirectory("kill")
        defer { try? FileManager.default.removeItem(at: url) }
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var random = TestRandom(seed: 2026)
        var rowsSeen: [Int] = []
        for round in 0..<6 {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: executable)
            child.arguments = ["EngineTests.KillMidWriteTests/testChildWriterEntryPoint"]
            var environment = ProcessInfo.processInfo.environment
            environment[Self.childDirectoryVariable] = url.path
            child.environment = environment
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            try child.run()
            // Wait until the child has committed something new (or a bound), then a random extra moment.
            let deadline = Date().addingTimeInterval(15)
            let before = (try? Dataset.versions(at: url).last) ?? 0
            while Date() < deadline, ((try? Dataset.versions(at: url).last) ?? 0) <= before + 1 {
                usleep(2_000)
            }
            usleep(useconds_t(random.next() % 150_000))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            XCTAssertEqual(child.terminationReason, .uncaughtSignal, "round \(round): child ended by itself (status \(child.terminationStatus))")
            let rows = try Self.verify(url, round: round)
            // The child committed at least one new version before the kill: its rows are there.
            XCTAssertGreaterThan(rows, 0)
            rowsSeen.append(rows)
        }
        // The writer made progress across rounds (each round resumes from the previous prefix).
        XCTAssertEqual(rowsSeen, rowsSeen.sorted())
        XCTAssertGreaterThan(rowsSeen.last ?? 0, rowsSeen.first ?? 0)
    }
}
