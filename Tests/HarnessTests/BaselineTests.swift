import XCTest
import RunContract
@testable import Harness

final class BaselineTests: XCTestCase {
    private var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("highwater-baseline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    func testRoundTripThroughAFile() throws {
        var set = try RegressionVerdictTests.set("base", RegressionVerdictTests.sample(failing: 4))
        set.name = "main"
        set.created = "2026-11-21T13:00:00Z"
        set.environment.kernel = "6.1.0"
        set.environment.gitRev = "abc123"
        set.configurations[0].metrics["phase_free_rss_delta_mb"] = [-33.57, 1e-7, 2.5e21]
        let url = tmp.appendingPathComponent("baselines/main.json")
        try set.write(to: url)
        let back = try ResultSet.readBaseline(from: url)
        XCTAssertEqual(back, set)
        XCTAssertEqual(back.schema, "highwater-baseline/1")
        let cfg = try XCTUnwrap(back.configurations.first)
        XCTAssertEqual(cfg.metrics["rows_per_s"]?.count, 4, "every ok repeat is kept, not just the median")
        XCTAssertEqual(cfg.failures.first?.status, "crashed")
        XCTAssertEqual(cfg.parameters, ["rows": "200000", "flush_every": "100"])
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains("\"schema\" : \"highwater-baseline/1\""), text)
        XCTAssertLessThan(text.utf8.count, 4_000, "small enough to commit")
        XCTAssertTrue(text.contains("\"alloc_count\" : [ 5000, 5000, 5000, 5000 ]"), "one line per metric: \(text)")
        XCTAssertTrue(text.contains("\"failures\" : [\n"), "arrays of objects stay expanded")
    }

    func testMissingFile() {
        let url = tmp.appendingPathComponent("nope.json")
        XCTAssertThrowsError(try ResultSet.readBaseline(from: url)) { e in
            XCTAssertEqual("\(e)", "\(url.path): cannot read the baseline file (no such file)")
        }
    }

    func testMalformedJSON() throws {
        XCTAssertThrowsError(try ResultSet.decodeBaseline(Data("{\"schema\": ".utf8), file: "b.json")) { e in
            XCTAssertTrue("\(e)".hasPrefix("b.json: malformed JSON"), "\(e)")
        }
        XCTAssertThrowsError(try ResultSet.decodeBaseline(Data("[1, 2]".utf8), file: "b.json")) { e in
            XCTAssertTrue("\(e)".contains("top level must be a JSON object"), "\(e)")
        }
    }

    func testWrongSchema() {
        XCTAssertThrowsError(try ResultSet.decodeBaseline(Data("{\"schema\": \"highwater-baseline/2\"}".utf8), file: "b.json")) { e in
            XCTAssertEqual("\(e)", "b.json: schema: 'highwater-baseline/2': unsupported baseline schema (expected \"highwater-baseline/1\")")
        }
        XCTAssertThrowsError(try ResultSet.decodeBaseline(Data("{\"name\": \"x\"}".utf8), file: "b.json")) { e in
            XCTAssertTrue("\(e)".hasPrefix("b.json: schema: missing"), "\(e)")
        }
    }

    func testMissingAndMistypedFieldsAreNamed() throws {
        let set = try RegressionVerdictTests.set("base", RegressionVerdictTests.sample())
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: set.encoded()) as? [String: Any])
        var configs = try XCTUnwrap(object["configurations"] as? [[String: Any]])
        configs[0].removeValue(forKey: "workload")
        object["configurations"] = configs
        XCTAssertThrowsError(try ResultSet.decodeBaseline(JSONSerialization.data(withJSONObject: object), file: "b.json")) { e in
            XCTAssertEqual("\(e)", "b.json: configurations[0].workload: missing")
        }
        configs[0]["workload"] = "write"
        configs[0]["metrics"] = ["rows_per_s": ["fast"]]
        object["configurations"] = configs
        XCTAssertThrowsError(try ResultSet.decodeBaseline(JSONSerialization.data(withJSONObject: object), file: "b.json")) { e in
            XCTAssertTrue("\(e)".hasPrefix("b.json: configurations[0].metrics.rows_per_s[0]: expected"), "\(e)")
        }
    }

    func testResultDirectoryReadsRunsAndEnvironment() throws {
        let dir = tmp.appendingPathComponent("run1")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try RegressionVerdictTests.sample().write(to: dir.appendingPathComponent("runs.csv"))
        let runJSON = #"{"environment": {"host": "box", "cpu_model": "EPYC", "cores": 2, "kernel": "6.1", "git_rev": "deadbeef"}, "command_line": ["highwater", "run"]}"#
        try runJSON.write(to: dir.appendingPathComponent("run.json"), atomically: true, encoding: .utf8)
        let set = try ResultDirectory.read(dir)
        XCTAssertEqual(set.name, "run1")
        XCTAssertEqual(set.environment.host, "box")
        XCTAssertEqual(set.environment.cpuModel, "EPYC")
        XCTAssertEqual(set.environment.cores, 2)
        XCTAssertEqual(set.environment.gitRev, "deadbeef")
        XCTAssertEqual(set.environment.commandLine, "highwater run")
        XCTAssertEqual(set.configurations.count, 1)
        XCTAssertEqual(set.configurations[0].runs, 5)
        XCTAssertEqual(set.configurations[0].metrics["rss_baseline_mb"]?.count, 5, "numeric columns are kept; judging decides what matters")
        XCTAssertNil(set.configurations[0].metrics["host"])
        XCTAssertThrowsError(try ResultDirectory.read(tmp.appendingPathComponent("empty"))) { e in
            XCTAssertTrue("\(e)".contains("not a result directory: no runs.csv"), "\(e)")
        }
    }
}
