import XCTest
import Foundation
@testable import Engine

final class BoundedQueueTests: XCTestCase {
    func testFIFOAcrossThreadsWithBackpressure() throws {
        let q = BoundedQueue<Int>(capacity: 3)
        let n = 10_000
        let state = TestLockedBox((maxHeld: 0, received: [Int]()))
        let done = runOnThread {
            while let v = try? q.pop() {
                let held = q.count
                state.with { $0.maxHeld = max($0.maxHeld, held); $0.received.append(v) }
            }
        }
        for i in 0..<n { try q.push(i) }
        q.close()
        done.wait()
        XCTAssertEqual(state.get.received, Array(0..<n))
        XCTAssertLessThanOrEqual(state.get.maxHeld, 3)
        XCTAssertThrowsError(try q.push(1))
    }

    func testFailWakesBlockedProducerAndConsumer() throws {
        struct Boom: Error {}
        let full = BoundedQueue<Int>(capacity: 1)
        try full.push(1)
        let errors = TestLockedBox([String]())
        let producer = runOnThread {
            do { try full.push(2) } catch { errors.with { $0.append("producer \(error is Boom)") } }
        }
        let empty = BoundedQueue<Int>(capacity: 1)
        let consumer = runOnThread {
            do { _ = try empty.pop() } catch { errors.with { $0.append("consumer \(error is Boom)") } }
        }
        // Wait (bounded) until both threads are really blocked inside the queues, not merely started.
        let deadline = Date().addingTimeInterval(10)
        while (full.blockedThreads < 1 || empty.blockedThreads < 1) && Date() < deadline { usleep(500) }
        XCTAssertEqual(full.blockedThreads, 1, "the producer is blocked in push")
        XCTAssertEqual(empty.blockedThreads, 1, "the consumer is blocked in pop")
        full.fail(Boom())
        empty.fail(Boom())
        producer.wait()
        consumer.wait()
        XCTAssertEqual(Set(errors.get), ["producer true", "consumer true"])
        XCTAssertTrue(full.error is Boom)
        XCTAssertThrowsError(try full.pop())
    }

    func testCloseDrainsThenReturnsNil() throws {
        let q = BoundedQueue<String>(capacity: 4)
        try q.push("a")
        try q.push("b")
        q.close()
        XCTAssertEqual(try q.pop(), "a")
        XCTAssertEqual(try q.pop(), "b")
        XCTAssertNil(try q.pop())
    }
}

/// DatasetWriter: both strategies, flush settings, file rolling, commit modes; read back through DatasetScanner.
final class WriterTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws { root = DatasetFixtures.temporaryDirectory("writer") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    /// Writes `batches` with `options`, then checks the dataset reads back equal, batch size by batch size.
    @discardableResult
    func roundTrip(_ batches: [RecordBatch], _ options: WriteOptions, file: StaticString = #filePath, line: UInt = #line) throws -> WriteSummary {
        try? FileManager.default.removeItem(at: root)
        let writer = try DatasetWriter(at: root, schema: DatasetFixtures.schema, options: options)
        for b in batches { try writer.write(b) }
        let summary = try writer.close()
        let expected = RecordBatch.concatenate(batches, schema: DatasetFixtures.schema)
        XCTAssertEqual(summary.rows, expected.rowCount, file: file, line: line)
        XCTAssertEqual(summary.rawBytes, expected.rawValueBytes, file: file, line: line)
        XCTAssertEqual(summary.batchLatenciesNanoseconds.count, batches.count, file: file, line: line)
        let ds = try Dataset.open(at: root)
        XCTAssertEqual(ds.version, summary.finalVersion, file: file, line: line)
        XCTAssertEqual(ds.countRows(), expected.rowCount, file: file, line: line)
        XCTAssertEqual(ds.fragments.count, summary.files, file: file, line: line)
        XCTAssertTrue(ds.fragments.allSatisfy { $0.physicalRows <= options.maxRowsPerFile }, file: file, line: line)
        XCTAssertEqual(ds.estimateInMemoryDataSize(), summary.dataFileBytes, file: file, line: line)
        XCTAssertEqual(try ds.materializeAll(), expected, file: file, line: line)
        let scanned = try DatasetFixtures.drain(try ds.scanner(ScanOptions(batchSize: 97)), batchSize: 97, file: file, line: line)
        XCTAssertEqual(RecordBatch.concatenate(scanned, schema: DatasetFixtures.schema), expected, file: file, line: line)
        return summary
    }

    func testStreamingRoundTripAcrossFlushAndQueueSettings() throws {
        let batches = DatasetFixtures.batches(count: 9, rows: 230, seed: 1)
        for flush in [1, 2, 5] {
            for depth in [1, 3] {
                let s = try roundTrip(batches, WriteOptions(strategy: .streaming, flushEveryBatches: flush, queueDepth: depth))
                XCTAssertEqual(s.versions, 1)
                XCTAssertEqual(s.files, 1)
                XCTAssertEqual(s.flushes, (9 + flush - 1) / flush)
                XCTAssertNotNil(s.firstWriteNanoseconds)
                XCTAssertGreaterThan(s.compressionRatio ?? 0, 0)
            }
        }
    }

    func testAccumulateRoundTrip() throws {
        let batches = DatasetFixtures.batches(count: 7, rows: 150, seed: 2)
        let s = try roundTrip(batches, WriteOptions(strategy: .accumulate, flushEveryBatches: 3))
        XCTAssertEqual(s.versions, 1)
        XCTAssertEqual(s.flushes, 3)
    }

    func testRollingAtMaxRowsSplitsBatches() throws {
        let batches = DatasetFixtures.batches(count: 6, rows: 250, seed: 3)
        for strategy in WriteStrategy.allCases {
            let s = try roundTrip(batches, WriteOptions(strategy: strategy, flushEveryBatches: 2, maxRowsPerFile: 400))
            XCTAssertEqual(s.files, 4, "\(strategy)") // 1500 rows / 400 per file
            let ds = try Dataset.open(at: root)
            XCTAssertEqual(ds.fragments.map(\.physicalRows), [400, 400, 400, 300], "\(strategy)")
        }
    }

    func testRollingAtMaxBytes() throws {
        let batches = DatasetFixtures.batches(count: 4, rows: 1_000, seed: 4)
        let limit = 8 << 10
        for strategy in WriteStrategy.allCases {
            let s = try roundTrip(batches, WriteOptions(strategy: strategy, maxBytesPerFile: limit))
            // A 1,000-row batch encodes to more than 8 KiB, so batches are split across files, each within the limit.
            XCTAssertGreaterThan(s.files, 4, "\(strategy)")
            for fragment in try Dataset.open(at: root).fragments {
                let pageBytes = try DatasetFixtures.headerAndPageBytes(root.appendingPathComponent(fragment.dataFile))
                XCTAssertLessThanOrEqual(pageBytes, limit, "\(strategy) \(fragment.dataFile)")
            }
        }
    }

    func testCommitEveryFlushMakesOneVersionPerFlush() throws {
        let batches = DatasetFixtures.batches(count: 6, rows: 120, seed: 5)
        for strategy in WriteStrategy.allCases {
            let s = try roundTrip(batches, WriteOptions(strategy: strategy, flushEveryBatches: 2, commitMode: .everyFlush))
            XCTAssertEqual(s.versions, 3, "\(strategy)")
            XCTAssertEqual(s.files, 3, "\(strategy)")
            XCTAssertEqual(try Dataset.versions(at: root), [1, 2, 3, 4], "\(strategy)")
            XCTAssertEqual(try Dataset.open(at: root, version: 2).countRows(), 240)
            XCTAssertEqual(try Dataset.open(at: root, version: 3).countRows(), 480)
        }
    }

    func testPhasesAreReported() throws {
        let phases = TestLockedBox([String]())
        let batches = DatasetFixtures.batches(count: 4, rows: 50, seed: 6)
        _ = try roundTrip(batches, WriteOptions(strategy: .accumulate, flushEveryBatches: 2, commitMode: .everyFlush,
                                                onPhase: { name in phases.with { $0.append(name) } }))
        XCTAssertEqual(phases.get, ["close", "encode", "flush", "commit", "encode", "flush", "commit"])
    }

    func testAppendModesAndSchemaChecks() throws {
        let batches = DatasetFixtures.batches(count: 2, rows: 40, seed: 7)
        let w1 = try DatasetWriter(at: root, schema: DatasetFixtures.schema)
        try w1.write(batches[0])
        _ = try w1.close()
        let w2 = try DatasetWriter(at: root, schema: DatasetFixtures.schema, options: WriteOptions(mode: .append))
        try w2.write(batches[1])
        _ = try w2.close()
        XCTAssertEqual(try Dataset.open(at: root).countRows(), 80)
        XCTAssertThrowsError(try DatasetWriter(at: root, schema: DatasetFixtures.schema, options: WriteOptions(mode: .create))) {
            XCTAssertEqual($0 as? EngineError, .alreadyExists(path: self.root.path))
        }
        let other = Schema(fields: [Field(name: "x", type: .int32)])
        XCTAssertThrowsError(try DatasetWriter(at: root, schema: other)) {
            guard case EngineError.schemaMismatch = $0 else { return XCTFail("\($0)") }
        }
        let w3 = try DatasetWriter(at: root, schema: other, options: WriteOptions(mode: .overwrite))
        XCTAssertThrowsError(try w3.write(batches[0])) {
            guard case EngineError.schemaMismatch = $0 else { return XCTFail("\($0)") }
        }
        try w3.write(RecordBatch(schema: other, columns: [ColumnData(int32s: [1, 2, 3])]))
        _ = try w3.close()
        let ds = try Dataset.open(at: root)
        XCTAssertEqual(ds.schema, other)
        XCTAssertEqual(ds.countRows(), 3)
        XCTAssertThrowsError(try w3.write(batches[0]))
        XCTAssertThrowsError(try w3.close())
    }

    func testWorkerErrorSurfacesInWriteOrClose() throws {
        // The data directory is a file, so the I/O thread cannot create the first data file.
        let batches = DatasetFixtures.batches(count: 12, rows: 30, seed: 8)
        _ = try Dataset.create(at: root, schema: DatasetFixtures.schema)
        try Data([1]).write(to: root.appendingPathComponent("data"))
        let writer = try DatasetWriter(at: root, schema: DatasetFixtures.schema,
                                       options: WriteOptions(strategy: .streaming, queueDepth: 1))
        var failed = false
        do {
            for b in batches { try writer.write(b) }
            _ = try writer.close()
        } catch {
            failed = true
            XCTAssertNotNil(error as? EngineError, "\(error)")
        }
        XCTAssertTrue(failed)
        XCTAssertEqual(try Dataset.open(at: root).version, 1, "nothing committed")
    }

    func testConcurrentWritersOnAFreshDatasetAllCommit() throws {
        let root = self.root!
        let sets = (0..<3).map { DatasetFixtures.batches(count: 3, rows: 40, seed: 30 + UInt64($0)) }
        let errors = TestLockedBox([String]())
        let done = sets.map { batches in
            runOnThread {
                do {
                    let w = try DatasetWriter(at: root, schema: DatasetFixtures.schema,
                                              options: WriteOptions(retryPolicy: CommitRetryPolicy(maxAttempts: 100, baseDelayMicros: 50)))
                    for b in batches { try w.write(b) }
                    _ = try w.close()
                } catch {
                    errors.with { $0.append("\(error)") }
                }
            }
        }
        done.forEach { $0.wait() }
        XCTAssertEqual(errors.get, [])
        let ds = try Dataset.open(at: root)
        XCTAssertEqual(ds.version, 4)
        XCTAssertEqual(ds.countRows(), 360)
        let ids = try ds.materializeAll(columns: ["id"]).columns[0]
        XCTAssertEqual((0..<ids.length).map { ids.int64($0) }.sorted(), (0..<3).flatMap { _ in (0..<120).map(Int64.init) }.sorted())
    }

    func testWriterDroppedWithoutCloseCommitsNothing() throws {
        let batches = DatasetFixtures.batches(count: 6, rows: 64, seed: 9)
        do {
            let writer = try DatasetWriter(at: root, schema: DatasetFixtures.schema, options: WriteOptions(queueDepth: 1))
            for b in batches { try writer.write(b) }
        } // released without close(): its threads are stopped, nothing is committed
        XCTAssertEqual(try Dataset.versions(at: root), [1])
        XCTAssertEqual(try Dataset.open(at: root).countRows(), 0)
    }

    func testEmptyWriteCommitsNothingNew() throws {
        let writer = try DatasetWriter(at: root, schema: DatasetFixtures.schema)
        let s = try writer.close()
        XCTAssertEqual(s.rows, 0)
        XCTAssertEqual(s.versions, 0)
        XCTAssertEqual(try Dataset.open(at: root).countRows(), 0)
    }
}
