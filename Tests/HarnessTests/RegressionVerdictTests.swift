import XCTest
import RunContract
@testable import Harness

/// Verdict logic on synthetic samples, and whole comparisons of result sets.
final class RegressionVerdictTests: XCTestCase {
    private let set = ThresholdSet()
    private func rule(_ metric: String) -> MetricRule { set.rule(metric: metric, workload: "write")! }

    func testClearThroughputRegression() {
        let j = Comparator.judge(baseline: [100, 101, 99, 100.5, 99.5], current: [80, 81, 79, 80.5, 79.5], rule: rule("rows_per_s"))
        XCTAssertEqual(j.verdict, .regressed)
        XCTAssertEqual(j.test, "mann-whitney exact")
        XCTAssertEqual(j.pValue ?? 1, 2.0 / 252, accuracy: 1e-12)
    }

    func testNoiseOnlyIsUnchanged() {
        let j = Comparator.judge(baseline: [100, 103, 97, 101, 99], current: [99, 102, 98, 100, 101], rule: rule("rows_per_s"))
        XCTAssertEqual(j.verdict, .unchanged)
    }

    func testBeyondThresholdButNotSignificantIsNoise() {
        // The median drops 8% but the samples overlap heavily: no evidence of a real change.
        let j = Comparator.judge(baseline: [100, 70, 130, 95, 105], current: [92, 65, 125, 90, 110], rule: rule("rows_per_s"))
        XCTAssertEqual(j.verdict, .noise)
        XCTAssertGreaterThan(j.pValue ?? 0, 0.05)
    }

    func testImprovement() {
        let j = Comparator.judge(baseline: [50, 51, 49, 50.2, 50.1], current: [40, 41, 39, 40.5, 40.2], rule: rule("peak_rss_mb"))
        XCTAssertEqual(j.verdict, .improved)
    }

    func testTooFewRepeatsFallsBackToThresholdWithMarker() {
        let j = Comparator.judge(baseline: [100, 101], current: [80, 81], rule: rule("rows_per_s"))
        XCTAssertEqual(j.verdict, .regressed)
        XCTAssertNil(j.pValue)
        XCTAssertEqual(j.test, "threshold only")
        XCTAssertTrue(j.note.contains("insufficient repeats (2 vs 2"), j.note)
        // 3 vs 3 can never reach p < 0.05 with the exact test, so it is insufficient too.
        let k = Comparator.judge(baseline: [100, 101, 99], current: [100, 100.5, 99.5], rule: rule("rows_per_s"))
        XCTAssertEqual(k.verdict, .unchanged)
        XCTAssertEqual(k.test, "threshold only")
        XCTAssertTrue(k.note.contains("needs 4 per side"), k.note)
    }

    func testDeterministicMetricNeedsNoStatistics() {
        let j = Comparator.judge(baseline: [1000, 1000, 1000], current: [1020, 1020, 1020], rule: rule("alloc_count"))
        XCTAssertEqual(j.verdict, .regressed, "+2% beyond the default +1%, even with 3 repeats")
        XCTAssertNil(j.pValue)
        XCTAssertEqual(j.note, "deterministic: no statistics needed")
        XCTAssertEqual(Comparator.judge(baseline: [1000], current: [1005], rule: rule("alloc_count")).verdict, .unchanged)
        XCTAssertEqual(Comparator.judge(baseline: [3], current: [4], rule: rule("files")).verdict, .regressed)
        XCTAssertEqual(Comparator.judge(baseline: [3], current: [2], rule: rule("files")).verdict, .improved)
        let rows = Comparator.judge(baseline: [200_000], current: [100_000], rule: rule("rows"))
        XCTAssertEqual(rows.verdict, .regressed, "rows must be equal")
    }

    // MARK: Whole comparisons

    static func csv(_ rows: [(config: String, flush: Int, repeatIndex: Int, rowsPerS: Double, rss: Double, allocs: Double, status: String)]) -> CSVTable {
        var t = CSVTable(header: ["run_id", "config_id", "repeat", "workload", "allocator", "param_rows", "param_flush_every",
                                  "wall_s", "rows_per_s", "peak_rss_mb", "rss_baseline_mb", "alloc_count", "status", "error", "git_rev", "host"])
        for r in rows {
            t.rows.append(["\(r.config)-r\(r.repeatIndex)", r.config, String(r.repeatIndex), "write", "system", "200000", String(r.flush),
                           String(200_000 / r.rowsPerS), String(r.rowsPerS), String(r.rss), "5.5", String(r.allocs), r.status,
                           r.status == "ok" ? "" : "killed by signal 9", "abc123", "ci-runner"])
        }
        return t
    }

    static func set(_ name: String, _ table: CSVTable, host: String = "ci-runner") throws -> ResultSet {
        var env = BaselineEnvironment(host: host, cpuModel: "Test CPU", cores: 2)
        return try ResultDirectory.resultSet(from: table, file: "\(name)/runs.csv", name: name, environment: &env)
    }

    static func sample(flush: Int = 100, speed: Double = 1, rss: Double = 30, allocs: Double = 5000, failing: Int? = nil) -> CSVTable {
        let base: [Double] = [1_000_000, 1_010_000, 990_000, 1_005_000, 995_000]
        return csv(base.enumerated().map { i, v in
            ("cfg\(flush)", flush, i, v * speed, rss + Double(i) * 0.1, allocs, i == failing ? "crashed" : "ok")
        })
    }

    func testUnchangedComparisonPasses() throws {
        let report = try Comparator.compare(baseline: Self.set("base", Self.sample()), current: Self.set("cur", Self.sample(speed: 1.01)))
        XCTAssertEqual(report.exitCode, 0)
        XCTAssertEqual(report.count(.regressed), 0)
        XCTAssertEqual(Set(report.comparisons.map(\.metric)), ["wall_s", "rows_per_s", "peak_rss_mb", "alloc_count"])
        XCTAssertTrue(report.warnings.isEmpty, "\(report.warnings)")
    }

    func testRegressionFailsAndImprovementPasses() throws {
        let slower = try Comparator.compare(baseline: Self.set("base", Self.sample()), current: Self.set("cur", Self.sample(speed: 0.8)))
        XCTAssertEqual(slower.exitCode, 1)
        XCTAssertEqual(slower.comparisons.first { $0.metric == "rows_per_s" }?.verdict, .regressed)
        XCTAssertEqual(slower.comparisons.first { $0.metric == "wall_s" }?.verdict, .regressed)
        let faster = try Comparator.compare(baseline: Self.set("base", Self.sample()), current: Self.set("cur", Self.sample(speed: 1.3, rss: 20)))
        XCTAssertEqual(faster.exitCode, 0)
        XCTAssertEqual(faster.comparisons.first { $0.metric == "rows_per_s" }?.verdict, .improved)
        XCTAssertEqual(faster.comparisons.first { $0.metric == "peak_rss_mb" }?.verdict, .improved)
    }

    func testDeterministicRegressionOnItsOwn() throws {
        let r = try Comparator.compare(baseline: Self.set("base", Self.sample()), current: Self.set("cur", Self.sample(allocs: 5200)))
        XCTAssertEqual(r.exitCode, 1)
        let c = try XCTUnwrap(r.comparisons.first { $0.metric == "alloc_count" })
        XCTAssertEqual(c.verdict, .regressed)
        XCTAssertEqual(c.test, "deterministic")
        XCTAssertEqual(c.change ?? 0, 0.04, accuracy: 1e-12)
        let text = ComparisonFormatter.table(r)
        XCTAssertTrue(text.contains("REGRESSED"), text)
        XCTAssertTrue(text.contains("no statistics needed"), text)
    }

    func testFailedRunInCurrentFails() throws {
        let r = try Comparator.compare(baseline: Self.set("base", Self.sample()), current: Self.set("cur", Self.sample(failing: 2)))
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(r.failedRuns.map(\.status), ["crashed"])
        XCTAssertEqual(r.failedRuns.first?.runID, "cfg100-r2")
        XCTAssertEqual(r.count(.regressed), 0, "the remaining 4 ok runs are still compared")
    }

    func testDifferentParametersAreBadInputUnlessAllowedOrIgnored() throws {
        let base = try Self.set("base", Self.sample(flush: 100))
        let cur = try Self.set("cur", Self.sample(flush: 1, speed: 0.5))
        XCTAssertThrowsError(try Comparator.compare(baseline: base, current: cur)) { error in
            let d = "\(error)"
            XCTAssertTrue(d.contains("flush_every (100 vs 1)"), d)
            XCTAssertTrue(d.hasPrefix("cur/runs.csv: configurations"), d)
        }
        var allow = ComparisonOptions()
        allow.allowMissing = true
        let r = try Comparator.compare(baseline: base, current: cur, options: allow)
        XCTAssertEqual(r.exitCode, 0)
        XCTAssertEqual(r.missingConfigurations.count, 1)
        XCTAssertEqual(r.newConfigurations.count, 1)
        var ignore = ComparisonOptions()
        ignore.ignoreParameters = ["flush_every"]
        let paired = try Comparator.compare(baseline: base, current: cur, options: ignore)
        XCTAssertEqual(paired.exitCode, 1)
        XCTAssertEqual(paired.comparisons.first { $0.metric == "rows_per_s" }?.verdict, .regressed)
        XCTAssertTrue(paired.warnings.contains { $0.contains("flush_every 100 → 1") }, "\(paired.warnings)")
    }

    func testDifferentMachineIsFlagged() throws {
        let r = try Comparator.compare(baseline: Self.set("base", Self.sample(), host: "laptop"), current: Self.set("cur", Self.sample()))
        XCTAssertTrue(r.warnings.contains { $0.contains("different machine") && $0.contains("host laptop vs ci-runner") }, "\(r.warnings)")
        XCTAssertTrue(ComparisonFormatter.markdown(r).contains("different machine"))
    }

    func testStepSummaryIsAppended() throws {
        let r = try Comparator.compare(baseline: Self.set("base", Self.sample()), current: Self.set("cur", Self.sample(speed: 0.8)))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("highwater-summary-\(UUID().uuidString).md").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertNil(try ComparisonFormatter.appendStepSummary(r, environment: [:]))
        XCTAssertEqual(try ComparisonFormatter.appendStepSummary(r, environment: ["GITHUB_STEP_SUMMARY": path]), path)
        try ComparisonFormatter.appendStepSummary(r, environment: ["GITHUB_STEP_SUMMARY": path])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(text.components(separatedBy: "### Highwater: ❌").count - 1, 2, "appended, not overwritten")
    }

    func testNumberAndChangeFormatting() {
        XCTAssertEqual(ComparisonFormatter.number(1_234_567.8), "1,234,568")
        XCTAssertEqual(ComparisonFormatter.number(-33.57), "-33.57")
        XCTAssertEqual(ComparisonFormatter.number(0.0040812), "0.004081")
        XCTAssertEqual(ComparisonFormatter.number(200), "200")
    }

    func testFormatsCarryTheVerdicts() throws {
        let r = try Comparator.compare(baseline: Self.set("base", Self.sample()), current: Self.set("cur", Self.sample(speed: 0.8)))
        let md = ComparisonFormatter.markdown(r)
        XCTAssertTrue(md.contains("| `rows_per_s` |"), md)
        XCTAssertTrue(md.contains("**regressed**"), md)
        let json = try ComparisonFormatter.json(r)
        let decoded = try JSONDecoder().decode(ComparisonReport.self, from: Data(json.utf8))
        XCTAssertEqual(decoded, r)
        let table = ComparisonFormatter.table(r)
        XCTAssertTrue(table.contains("FAIL:"), table)
        XCTAssertTrue(table.contains("-20.0%"), table)
    }
}

/// `check` pairs the plan's configurations with the baseline before running anything.
final class RegressionPlanPairingTests: XCTestCase {
    private func baseline(mb: String) throws -> ResultSet {
        let t = CSVTable(header: ["run_id", "config_id", "repeat", "workload", "allocator", "param_mb", "param_step_mb", "param_hold_ms",
                                  "param_other_workloads_param", "wall_s", "status"],
                         rows: [["x-r0", "x", "0", "alloc", "system", mb, "8", "0", "", "0.03", "ok"]])
        var env = BaselineEnvironment()
        return try ResultDirectory.resultSet(from: t, file: "base/runs.csv", name: "base", environment: &env)
    }

    private func plan(mb: String) throws -> ResultSet {
        let plan = SweepPlan(name: "t", entries: [SweepEntry(workload: "alloc", params: [Axis(name: "mb", values: [mb]), Axis(name: "hold_ms", values: ["0"])])])
        return .planned(try plan.configurations(), source: "suite.toml")
    }

    func testPlanMatchingTheBaselinePairs() throws {
        let r = try Comparator.compare(baseline: baseline(mb: "32"), current: plan(mb: "32"))
        XCTAssertTrue(r.missingConfigurations.isEmpty && r.newConfigurations.isEmpty)
        XCTAssertEqual(r.exitCode, 0)
    }

    func testPlanDifferingFromTheBaselineIsBadInputBeforeAnyRun() throws {
        XCTAssertThrowsError(try Comparator.compare(baseline: baseline(mb: "32"), current: plan(mb: "48"))) { e in
            XCTAssertTrue("\(e)".hasPrefix("suite.toml: configurations: "), "\(e)")
            XCTAssertTrue("\(e)".contains("mb (32 vs 48)"), "\(e)")
        }
        var o = ComparisonOptions()
        o.ignoreParameters = ["mb"]
        XCTAssertNoThrow(try Comparator.compare(baseline: baseline(mb: "32"), current: plan(mb: "48"), options: o))
    }
}
