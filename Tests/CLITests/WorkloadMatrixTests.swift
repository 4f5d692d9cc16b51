import Foundation
import XCTest

/// Every workload through a real child process under every allocator, on small inputs: each run ends `ok`, reports
/// its rows, and its allocator's own statistics come from the allocator that was preloaded.
final class WorkloadMatrixTests: XCTestCase {
    func testEveryWorkloadUnderEveryAllocator() throws {
        let dir = try CLI.scratch(self)
        try """
            [suite]
            name = "matrix"
            repeat = 1
            sample_ms = 5
            timeout_s = 120
            allocators = ["system", "jemalloc", "mimalloc"]
            [[run]]
            workload = "write"
            [run.params]
            rows = 20000
            batch_size = 2000
            strategy = ["accumulate", "streaming"]
            [[run]]
            workload = "scan"
            [run.params]
            rows = 20000
            mode = ["materialize_all", "streaming"]
            [[run]]
            workload = "upsert"
            [run.params]
            flushes = 3
            rows_per_flush = 200
            other_rows_per_flush = 8
            [[run]]
            workload = "load"
            [run.params]
            chunk_mb = 0.25
            items = 64
            memory_budget_mb = 1
            bandwidth_mb_s = 0
            [[run]]
            workload = "parallel_write"
            [run.params]
            workers = 2
            rows = 20000
            max_rows_per_file = 8000
            [[run]]
            workload = "alloc"
            [run.params]
            mb = 4
            """.write(to: dir.appendingPathComponent("m.toml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", "--suite", "m.toml", "--out", "o", "--no-plots", "--no-overhead-check", "--plain"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let runs = try CLI.runs(dir.appendingPathComponent("o"))
        XCTAssertEqual(runs.count, 8 * 3)
        for row in runs {
            let what = "\(row["workload"]!) \(row["allocator"]!)"
            XCTAssertEqual(row["status"], "ok", "\(what): \(row["error"] ?? "")")
            XCTAssertGreaterThan(Double(row["peak_rss_mb"] ?? "") ?? 0, Double(row["rss_baseline_mb"] ?? "") ?? .infinity, what)
            if row["workload"] != "alloc" && row["workload"] != "load" {
                XCTAssertGreaterThan(Int(row["rows"] ?? "") ?? 0, 0, what)
            }
            XCTAssertFalse((row["heap_resident_mb"] ?? "").isEmpty, "\(what): the allocator's own view")
        }
        // jemalloc answers stats.allocated and stats.active; glibc and mimalloc have no active-pages figure.
        for row in runs where row["allocator"] == "jemalloc" { XCTAssertFalse((row["heap_active_mb"] ?? "").isEmpty) }
        for row in runs where row["allocator"] != "jemalloc" { XCTAssertEqual(row["heap_active_mb"] ?? "", "") }
        let writes = runs.filter { $0["workload"] == "write" }
        for strategy in ["accumulate", "streaming"] {
            let bytes = Set(writes.filter { $0["param_strategy"] == strategy }.map { $0["bytes_written"]! })
            XCTAssertEqual(bytes.count, 1, "\(strategy): the same rows write the same bytes under every allocator: \(bytes)")
        }
    }
}
