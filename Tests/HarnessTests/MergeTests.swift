import XCTest
import RunContract
@testable import Harness

final class MergeTests: XCTestCase {
    private var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("highwater-merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    /// 4 configurations x 3 repeats, in the harness's run order (repeat 0 of every configuration, then repeat 1, ...).
    private func fullRuns() -> [[String]] {
        var rows: [[String]] = []
        for r in 0..<3 {
            for (i, batch) in ["1000", "10000", "100000", "1000000"].enumerated() {
                rows.append(["c\(i)-r\(r)", "c\(i)", String(r), "write", "system", batch, String(1_000_000 + 1000 * i + r), "30.5", "ok", ""])
            }
        }
        return rows
    }

    private let header = ["run_id", "config_id", "repeat", "workload", "allocator", "param_batch_rows", "rows_per_s", "peak_rss_mb", "status", "error"]

    private func writeShard(_ name: String, rows: [[String]], shard: String?, repeats: Int = 3, extraColumn: Bool = false) throws -> URL {
        let dir = tmp.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var t = CSVTable(header: header, rows: rows)
        if extraColumn {
            t.header.append("cache_index_hits")
            t.rows = t.rows.map { $0 + ["7"] }
        }
        try t.write(to: dir.appendingPathComponent("runs.csv"))
        let ts = CSVTable(header: ["run_id", "config_id", "repeat", "t_ms", "rss_mb", "event"], rows: rows.map { [$0[0], $0[1], $0[2], "0", "10", "begin"] })
        try ts.write(to: dir.appendingPathComponent("timeseries.csv"))
        var plan: [String: Any] = ["name": "ci", "repeats": repeats, "commandLine": ["highwater", "run", "--shard", shard ?? ""]]
        if let shard { plan["shard"] = shard }
        let obj: [String: Any] = ["schema": 1, "plan": plan, "environment": ["host": "runner-\(name)"], "wallS": 2.5, "statuses": ["ok": rows.count]]
        try JSONSerialization.data(withJSONObject: obj).write(to: dir.appendingPathComponent("run.json"))
        return dir
    }

    func testMergeOfShardsEqualsTheWholeSweep() throws {
        let all = fullRuns()
        var dirs: [URL] = []
        for i in 1...3 {
            dirs.append(try writeShard("shard\(i)", rows: try Shard(index: i, count: 3).select(all), shard: "\(i)/3", extraColumn: i == 2))
        }
        let out = tmp.appendingPathComponent("merged")
        let outcome = try ResultMerge.merge(inputs: dirs, into: out)
        XCTAssertEqual(outcome.runs, 12)
        XCTAssertEqual(outcome.files, ["runs.csv", "summary.csv", "timeseries.csv", "run.json"])
        XCTAssertEqual(outcome.notes, ["shards 1/3, 2/3, 3/3 (complete)"])
        let merged = try CSVTable.read(from: out.appendingPathComponent("runs.csv"))
        XCTAssertEqual(Set(merged.rows.map { $0[0] }), Set(all.map { $0[0] }))
        XCTAssertEqual(merged.header, header + ["cache_index_hits"], "union of columns, first appearance order")
        XCTAssertEqual(merged.rows.filter { merged.value($0, "cache_index_hits") == "7" }.count, 4)
        let summary = try CSVTable.read(from: out.appendingPathComponent("summary.csv"))
        XCTAssertEqual(summary.rows.count, 4, "one row per configuration")
        XCTAssertEqual(summary.records.first { $0["config_id"] == "c0" }?["rows_per_s_median"], "1000001")
        XCTAssertEqual(try CSVTable.read(from: out.appendingPathComponent("timeseries.csv")).rows.count, 12)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as? [String: Any])
        XCTAssertNil((json["plan"] as? [String: Any])?["shard"])
        XCTAssertEqual((json["merged_from"] as? [String])?.count, 3)
        XCTAssertEqual((json["wallS"] as? NSNumber)?.doubleValue, 7.5)
        // The merged directory reads back as one result set with every repeat.
        let set = try ResultDirectory.read(out)
        XCTAssertEqual(set.configurations.count, 4)
        XCTAssertTrue(set.configurations.allSatisfy { $0.metrics["rows_per_s"]?.count == 3 })
    }

    func testMissingShardIsNoted() throws {
        let all = fullRuns()
        let a = try writeShard("a", rows: try Shard(index: 1, count: 3).select(all), shard: "1/3")
        let b = try writeShard("b", rows: try Shard(index: 3, count: 3).select(all), shard: "3/3")
        let outcome = try ResultMerge.merge(inputs: [a, b], into: tmp.appendingPathComponent("out"))
        XCTAssertEqual(outcome.notes, ["shards 1/3, 3/3; missing 2/3: the merged sweep is incomplete"])
    }

    func testDuplicateRunIDsAreRejected() throws {
        let all = fullRuns()
        let a = try writeShard("a", rows: try Shard(index: 1, count: 2).select(all), shard: "1/2")
        let b = try writeShard("b", rows: try Shard(index: 1, count: 2).select(all), shard: "2/2")
        XCTAssertThrowsError(try ResultMerge.merge(inputs: [a, b], into: tmp.appendingPathComponent("out"))) { e in
            XCTAssertTrue("\(e)".contains("run_id: 'c0-r0': duplicate run id: also in \(a.path)"), "\(e)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: tmp.appendingPathComponent("out/runs.csv").path), "nothing written")
    }

    func testDifferentPlansAreRejected() throws {
        let all = fullRuns()
        let a = try writeShard("a", rows: try Shard(index: 1, count: 2).select(all), shard: "1/2", repeats: 3)
        let b = try writeShard("b", rows: try Shard(index: 2, count: 2).select(all), shard: "2/2", repeats: 5)
        XCTAssertThrowsError(try ResultMerge.merge(inputs: [a, b], into: tmp.appendingPathComponent("out"))) { e in
            XCTAssertTrue("\(e)".contains("plan.repeats: different plan"), "\(e)")
        }
        let c = try writeShard("c", rows: try Shard(index: 2, count: 3).select(all), shard: "2/3")
        XCTAssertThrowsError(try ResultMerge.merge(inputs: [a, c], into: tmp.appendingPathComponent("out2"))) { e in
            XCTAssertTrue("\(e)".contains("shards of different counts"), "\(e)")
        }
    }

    func testRefusesToOverwriteResults() throws {
        let a = try writeShard("a", rows: fullRuns(), shard: nil)
        XCTAssertThrowsError(try ResultMerge.merge(inputs: [a], into: a)) { e in
            XCTAssertTrue("\(e)".contains("already holds a runs.csv"), "\(e)")
        }
        XCTAssertThrowsError(try ResultMerge.merge(inputs: [tmp.appendingPathComponent("nope")], into: tmp.appendingPathComponent("o"))) { e in
            XCTAssertTrue("\(e)".contains("no runs.csv"), "\(e)")
        }
    }
    func testConcatenateRepeatsRenumbersRunsFromSingleRepeatInvocations() throws {
        // Three invocations with --repeat 1 each: every one records <config>-r0.
        let once = fullRuns().filter { $0[2] == "0" }
        let dirs = try (0..<3).map { try writeShard("rep\($0)", rows: once, shard: nil, repeats: 1) }
        let out = tmp.appendingPathComponent("A")
        XCTAssertEqual(try ResultMerge.concatenateRepeats(inputs: dirs, into: out), 12)
        let t = try CSVTable.read(from: out.appendingPathComponent("runs.csv"))
        XCTAssertEqual(Set(t.rows.map { $0[0] }).count, 12, "run ids unique after renumbering")
        XCTAssertEqual(t.rows.filter { $0[1] == "c2" }.map { "\($0[0]) \($0[2])" }, ["c2-r0 0", "c2-r1 1", "c2-r2 2"])
        let ts = try CSVTable.read(from: out.appendingPathComponent("timeseries.csv"))
        XCTAssertEqual(ts.rows.filter { $0[1] == "c2" }.map { $0[0] }, ["c2-r0", "c2-r1", "c2-r2"])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as? [String: Any])
        XCTAssertEqual((json["plan"] as? [String: Any])?["repeats"] as? Int, 3)
        let set = try ResultDirectory.read(out)
        XCTAssertTrue(set.configurations.allSatisfy { $0.metrics["rows_per_s"]?.count == 3 })
    }
}
