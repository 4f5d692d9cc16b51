import Foundation
import XCTest

/// `baseline`, `compare`, `check` (with `--baseline` and `--against`), `--shard` and `merge` through the binary.
final class RegressionCommandTests: XCTestCase {
    private func sweep(_ dir: URL, _ out: String, mb: String = "2", repeats: Int = 3, extra: [String] = []) throws {
        let r = try CLI.run(["run", "--workload", "alloc", "--param", "mb=\(mb)", "--repeat", String(repeats), "--out", out, "--no-plots",
                             "--no-overhead-check", "--plain", "--sample-ms", "5"] + extra, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testBaselineSaveListAndCompare() throws {
        let dir = try CLI.scratch(self)
        try sweep(dir, "a")
        let save = try CLI.run(["baseline", "save", "a", "--as", "base"], in: dir)
        XCTAssertEqual(save.status, 0, save.stderr)
        XCTAssertTrue(save.stdout.hasPrefix("baseline 'base' saved: "), save.stdout)
        let list = try CLI.run(["baseline", "list"], in: dir)
        XCTAssertTrue(list.stdout.hasPrefix("base\t"), list.stdout)
        // A result set compared with itself: nothing regressed.
        let same = try CLI.run(["compare", "base", "a"], in: dir)
        XCTAssertEqual(same.status, 0, same.stdout + same.stderr)
        XCTAssertTrue(same.stdout.contains("PASS"), same.stdout)
        let bad = try CLI.run(["baseline", "save", "a", "--as", "../x"], in: dir)
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(try CLI.run(["compare", "nope", "a"], in: dir).status, 2)
    }

    func testARealRegressionFailsTheComparison() throws {
        let dir = try CLI.scratch(self)
        // 4 against 4 repeats: the smallest two-sided p of the exact U test is 2/70 = 0.029 < 0.05.
        try sweep(dir, "small", mb: "2", repeats: 4)
        try sweep(dir, "big", mb: "96", repeats: 4)
        // Paired across the changed parameter: 96 MiB instead of 2 MiB is a peak RSS regression, found by the U test.
        let r = try CLI.run(["compare", "small", "big", "--ignore-param", "mb", "--format", "json"], in: dir)
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let comparisons = json["comparisons"] as! [[String: Any]]
        let peak = try XCTUnwrap(comparisons.first { $0["metric"] as? String == "peak_rss_mb" })
        XCTAssertEqual(peak["verdict"] as? String, "regressed")
    }

    func testCheckAgainstABaselineAndAgainstAnotherBinary() throws {
        let dir = try CLI.scratch(self)
        try """
            [suite]
            name = "c"
            repeat = 3
            sample_ms = 5
            [[run]]
            workload = "alloc"
            [run.params]
            mb = 2
            [thresholds]
            # An unchanged build against itself, 3 repeats of 50 ms runs on a possibly loaded machine: the U test
            # cannot decide at 3 vs 3, so thresholds alone judge; these are wide enough that only a broken protocol
            # (or a doubled time) fails, which is what this test is about.
            peak_rss_mb = "+50%"
            peak_rss_sampled_mb = "+50%"
            wall_s = "+100%"
            mb_per_s = "-50%"
            cpu_user_s = "+100%,+0.2s"
            cpu_sys_s = "+100%,+0.2s"
            rss_end_mb = "+50%"
            heap_allocated_mb = "+50%"
            heap_resident_mb = "+50%"
            """.write(to: dir.appendingPathComponent("c.toml"), atomically: true, encoding: .utf8)
        let run = try CLI.run(["run", "--suite", "c.toml", "--out", "first", "--no-plots", "--no-overhead-check", "--plain"], in: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try CLI.run(["baseline", "save", "first", "--as", "c"], in: dir).status, 0)
        let check = try CLI.run(["check", "--suite", "c.toml", "--baseline", "c", "--plain"], in: dir)
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("peak_rss_mb"), check.stdout)

        // A copy of the binary (with its spawner) is "another build": the runs alternate A, B, A, B.
        let other = dir.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        for f in ["highwater", "highwater-spawn"] {
            try FileManager.default.copyItem(at: CLI.productsDir.appendingPathComponent(f), to: other.appendingPathComponent(f))
        }
        let ab = try CLI.run(["check", "--suite", "c.toml", "--against", other.appendingPathComponent("highwater").path,
                              "--repeat", "3", "--out", "ab", "--format", "json"], in: dir)
        XCTAssertEqual(ab.status, 0, ab.stdout + ab.stderr)
        let order = ab.stderr.split(separator: "\n").filter { $0.hasPrefix("highwater check: repeat") }.map { $0.contains("side A") ? "A" : "B" }
        XCTAssertEqual(order, ["A", "B", "A", "B", "A", "B"])
        // Each side: 3 repeats of the suite's run, and 3 of the reference workload check interleaves with it.
        for side in ["A", "B"] {
            let rows = try CLI.runs(dir.appendingPathComponent("ab/\(side)"))
            XCTAssertEqual(rows.filter { $0["workload"] == "alloc" }.count, 3)
            XCTAssertEqual(rows.filter { $0["workload"] == "reference" }.count, 3)
        }
        let missing = try CLI.run(["check", "--suite", "c.toml", "--against", "/nonexistent/highwater"], in: dir)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.hasPrefix("highwater: error: --against: '/nonexistent/highwater'"), missing.stderr)
    }

    func testShardsMergeIntoTheWholeSweep() throws {
        let dir = try CLI.scratch(self)
        let args = ["run", "--workload", "alloc", "--param", "mb=1,2,3", "--repeat", "2", "--no-plots", "--no-overhead-check", "--plain", "--sample-ms", "5"]
        XCTAssertEqual(try CLI.run(args + ["--shard", "1/2", "--out", "s1", "--name", "sh"], in: dir).status, 0)
        XCTAssertEqual(try CLI.run(args + ["--shard", "2/2", "--out", "s2", "--name", "sh"], in: dir).status, 0)
        let a = try CLI.runs(dir.appendingPathComponent("s1")), b = try CLI.runs(dir.appendingPathComponent("s2"))
        XCTAssertEqual(a.count + b.count, 6)
        XCTAssertTrue(Set(a.map { $0["run_id"]! }).isDisjoint(with: b.map { $0["run_id"]! }))
        let m = try CLI.run(["merge", "all", "s1", "s2"], in: dir)
        XCTAssertEqual(m.status, 0, m.stderr)
        XCTAssertEqual(try CLI.runs(dir.appendingPathComponent("all")).count, 6)
        XCTAssertEqual(try CLI.csv(dir.appendingPathComponent("all/summary.csv")).count, 3)
        XCTAssertEqual(try CLI.run(["merge", "again", "s1", "s1"], in: dir).status, 2, "the same shard twice")
    }
}
