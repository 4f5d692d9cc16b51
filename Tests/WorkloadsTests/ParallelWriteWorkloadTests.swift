import Foundation
import XCTest
@testable import Workloads
import Engine

/// Environment variable that turns this test executable into a `parallel_write` worker (see `ParallelWriteWorkerHost`).
private let workerVariable = "HIGHWATER_TEST_PARALLEL_WRITE_WORKER"

/// Not a test: the entry point through which `ParallelWriteWorkloadTests` starts worker processes. The workload
/// spawns this test executable (`/proc/self/exe`) filtered to this method with the worker's arguments in
/// `HIGHWATER_TEST_PARALLEL_WRITE_WORKER`; the method then runs `workerMain` and exits with its code. In an
/// ordinary test run the variable is absent and the method returns at once.
final class ParallelWriteWorkerHost: XCTestCase {
    func testRunWorkerWhenSpawned() throws {
        guard let raw = ProcessInfo.processInfo.environment[workerVariable] else {
            throw XCTSkip("not a test: the entry point ParallelWriteWorkloadTests starts its worker processes through")
        }
        fflush(nil)  // every stdio stream (the global `stdout` is not concurrency-safe in Swift 6)
        let code = ParallelWriteWorkload.workerMain(arguments: raw.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init))
        fflush(nil)  // every stdio stream (the global `stdout` is not concurrency-safe in Swift 6)
        exit(code)
    }
}

final class ParallelWriteWorkloadTests: XCTestCase {
    private func run(_ raw: [String: String], in dir: URL) throws -> RunContext {
        let values = try ParameterValues(specs: ParallelWriteWorkload.parameters, raw: raw, workload: ParallelWriteWorkload.name)
        let context = RunContext(workDirectory: dir, parameters: values)
        var workload = try ParallelWriteWorkload(parameters: values)
        workload.workerCommand = .init(executable: "/proc/self/exe",
                                       leadingArguments: ["WorkloadsTests.ParallelWriteWorkerHost/testRunWorkerWhenSpawned"],
                                       argumentsEnvironmentVariable: workerVariable)
        try workload.prepare(context)
        try workload.run(context)
        return context
    }

    /// Three worker processes write disjoint slices; one commit adds every fragment after losing a race.
    func testWorkersWriteDisjointSlicesAndOneCommitAddsThem() throws {
        let dir = try WorkloadHarness.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try run(["workers": "3", "rows": "30000", "max_rows_per_file": "4000"], in: dir)
        XCTAssertEqual(c.rows, 30_000)
        // Each worker's 10,000 rows roll over 4,000-row files: 3 files each.
        XCTAssertEqual(c.files, 9)
        XCTAssertGreaterThanOrEqual(c.metrics["commit_retries"]!, 1)
        // Each worker holds at least its own generated batch (4,000 rows of code_chunks, ~0.6 MB) plus the runtime.
        XCTAssertGreaterThan(c.metrics["worker_peak_rss_mb_min"]!, 5)
        XCTAssertGreaterThan(c.metrics["worker_cpu_s_sum"]!, 0)
        let dataset = try Dataset.open(at: dir.appendingPathComponent("code_chunks"))
        // create (1), the rival's empty append (2), the workers' fragments (3).
        XCTAssertEqual(dataset.version, 3)
        XCTAssertEqual(dataset.fragments.count, 9)
        // The estimate is the bytes of the data files: the file system says how many (an independent count).
        let onDisk = try dataset.fragments.reduce(0) { total, f in
            total + ((try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("code_chunks/\(f.dataFile)").path)[.size] as? Int) ?? -1)
        }
        XCTAssertGreaterThan(onDisk, 0)
        XCTAssertEqual(c.metrics["estimate_in_memory_data_size_mb"]!, Double(onDisk) / 1e6, accuracy: 1e-9)
        let ids = try dataset.materializeAll(columns: ["id"])
        XCTAssertEqual(Set((0..<ids.rowCount).map { ids.int64(column: 0, row: $0) }), Set(0..<30_000))
        XCTAssertEqual(c.inputBytes, CodeChunksGenerator().batch(rows: 0..<30_000).rawValueBytes)
    }

    func testWorkerRejectsBadArguments() {
        XCTAssertEqual(ParallelWriteWorkload.workerMain(arguments: ["x"]), 2)
        XCTAssertNotNil(WorkloadRegistry.helperEntryPoint(for: ParallelWriteWorkload.workerArgument))
        XCTAssertNil(WorkloadRegistry.helperEntryPoint(for: "__nothing"))
    }
}
