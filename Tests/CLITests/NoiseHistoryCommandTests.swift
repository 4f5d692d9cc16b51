import Foundation
import XCTest

/// `highwater noise` and `highwater history` from the command line: files written, bad input refused with exit 2.
final class NoiseHistoryCommandTests: XCTestCase {
    func testNoiseSuggestsThresholdsFromAnAASweep() throws {
        let dir = try CLI.scratch(self)
        try """
        [suite]
        name = "aa"
        [[run]]
        workload = "alloc"
        [run.params]
        mb = 4
        step_mb = 1
        hold_ms = 0
        """.write(to: dir.appendingPathComponent("aa.toml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["noise", "--suite", "aa.toml", "--repeat", "4", "--out", "n", "--plain", "--sample-ms", "5"], in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("alloc.peak_rss_mb"), r.stdout)
        XCTAssertTrue(r.stdout.contains("reference.wall_s"), "the machine's own noise beside the suite's: \(r.stdout)")
        XCTAssertTrue(r.stdout.contains("A/A check of ") && r.stdout.contains("(even against odd repeats"), r.stdout)
        let rows = try CLI.csv(dir.appendingPathComponent("n/noise.csv"))
        XCTAssertTrue(rows.contains { $0["workload"] == "alloc" && $0["metric"] == "wall_s" && $0["repeats"] == "4" }, "\(rows)")
        let toml = try String(contentsOf: dir.appendingPathComponent("n/noise-thresholds.toml"), encoding: .utf8)
        XCTAssertTrue(toml.contains("[thresholds]") && toml.contains("\"alloc.wall_s\" = \"+"), toml)
        // The same analysis again from the directory, without running.
        XCTAssertEqual(try CLI.run(["noise", "--from", "n"], in: dir).status, 0)
        // A second session beside the first: the shifts between them are measured and written.
        let two = try CLI.run(["noise", "--suite", "aa.toml", "--repeat", "4", "--from", "n", "--out", "n2", "--plain", "--sample-ms", "5"], in: dir)
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertTrue(two.stdout.contains("between sessions (baseline ") && two.stdout.contains("/n/runs.csv, current ")
                      && two.stdout.contains("/n2/runs.csv"), two.stdout)
        let shifts = try CLI.csv(dir.appendingPathComponent("n2/noise-shifts.csv"))
        XCTAssertTrue(shifts.contains { $0["workload"] == "alloc" && $0["metric"] == "peak_rss_mb" && $0["judged"] == "yes" }, "\(shifts)")
        let sessions = Set(try CLI.csv(dir.appendingPathComponent("n2/noise.csv")).compactMap { $0["session"] })
        XCTAssertEqual(sessions.count, 2, "\(sessions)")
        XCTAssertTrue(sessions.contains { $0.hasSuffix("/n2/runs.csv") }, "\(sessions)")

        let few = try CLI.run(["noise", "--suite", "aa.toml", "--repeat", "3", "--out", "m"], in: dir)
        XCTAssertEqual(few.status, 2)
        XCTAssertTrue(few.stderr.contains("--repeat") && few.stderr.contains("at least 4"), few.stderr)
    }

    func testHistoryRefusesAFileThatIsNotAHistory() throws {
        let dir = try CLI.scratch(self)
        try "run_id,wall_s\nx,1\n".write(to: dir.appendingPathComponent("runs.csv"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["history", "runs.csv"], in: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("runs.csv") && r.stderr.contains("missing column"), r.stderr)
        let missing = try CLI.run(["history", "nope.csv"], in: dir)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("nope.csv"), missing.stderr)
        // check refuses it before running anything.
        let check = try CLI.run(["check", "--suite", CLI.repositoryRoot.appendingPathComponent("suites/ci.toml").path, "--baseline", "none-such",
                                 "--history", "runs.csv"], in: dir)
        XCTAssertEqual(check.status, 2, check.stderr)
        XCTAssertTrue(check.stderr.contains("not a highwater history file"), check.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("results").path), "nothing ran")
    }
}
