import XCTest
import RunContract
@testable import Harness

/// The history file round trip and the change-point test on synthetic series.
final class HistoryTests: XCTestCase {
    /// A deterministic "noisy" series: `base` times 1 ± up to `noise`.
    func series(_ base: Double, count: Int, noise: Double, seed: UInt64) -> [Double] {
        var s = seed
        return (0..<count).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(s >> 11) / Double(1 << 53)
            return base * (1 + noise * (2 * u - 1))
        }
    }

    func testOneStepIsFoundWhereItIs() {
        let x = series(100, count: 12, noise: 0.02, seed: 1) + series(120, count: 10, noise: 0.02, seed: 2)
        let found = ChangePoints().detect(x)
        XCTAssertEqual(found.map(\.index), [12], "\(found)")
        XCTAssertEqual(found[0].relativeStep, 0.2, accuracy: 0.03)
    }

    func testNoiseAloneHasNoChangePoint() {
        for seed: UInt64 in 1...20 {
            XCTAssertEqual(ChangePoints().detect(series(100, count: 30, noise: 0.04, seed: seed)), [], "seed \(seed)")
        }
        XCTAssertEqual(ChangePoints().detect([5, 5, 5, 5, 5, 5, 5]), [], "flat")
        XCTAssertEqual(ChangePoints().detect([1, 2, 3, 4, 5]), [], "too short for two segments of 3")
    }

    func testTwoStepsAndTheMinimumStep() {
        let x = series(100, count: 8, noise: 0.01, seed: 3) + series(70, count: 8, noise: 0.01, seed: 4) + series(90, count: 8, noise: 0.01, seed: 5)
        XCTAssertEqual(ChangePoints().detect(x).map(\.index), [8, 16])
        // A steady 2% shift is significant but smaller than the 5% minimum step.
        let small = series(100, count: 10, noise: 0.001, seed: 6) + series(102, count: 10, noise: 0.001, seed: 7)
        XCTAssertEqual(ChangePoints().detect(small), [])
        XCTAssertEqual(ChangePoints(minRelativeStep: 0.01).detect(small).map(\.index), [10])
    }

    func testTheFileRoundTripsAndRefusesOtherCSVs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hw-history-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("history.csv")
        func report(_ current: Double, verdict: Verdict) -> ComparisonReport {
            let c = MetricComparison(configuration: "write streaming", workload: "write", metric: "rows_per_s", direction: .higherIsBetter,
                                     kind: .noisy, baseline: [100, 101], current: [current], baselineMedian: 100.5, currentMedian: current,
                                     change: current / 100.5 - 1, changeRelativeToMachine: nil, threshold: "-5%", thresholdSource: "default", verdict: verdict, pValue: nil,
                                     test: "", ratioCI: nil, note: "")
            return ComparisonReport(baseline: "b", current: "c", baselineEnvironment: BaselineEnvironment(),
                                    currentEnvironment: BaselineEnvironment(gitRev: "abc123"), warnings: [], comparisons: [c], failedRuns: [],
                                    missingConfigurations: [], newConfigurations: [], notJudged: [], alpha: 0.05, minRepeats: 3, exitCode: 0)
        }
        XCTAssertFalse(try HistoryFile.validate(url))
        for (i, v) in [100.0, 99, 101, 100, 80, 79, 81, 80].enumerated() {
            try HistoryFile.append(HistoryFile.rows(of: report(v, verdict: v < 90 ? .regressed : .unchanged), suite: "ci",
                                                    recordedAt: "2026-12-0\(i + 1)T00:00:00Z"), to: url)
        }
        XCTAssertTrue(try HistoryFile.validate(url))
        let all = try HistoryFile.read(url)
        XCTAssertEqual(all.count, 1)
        XCTAssertEqual(all[0].points.map(\.value), [100, 99, 101, 100, 80, 79, 81, 80])
        XCTAssertEqual(all[0].points[4].verdict, "regressed")
        XCTAssertEqual(all[0].points[0].gitRev, "abc123")
        XCTAssertEqual(all[0].points[0].baseline, 100.5)
        let r = try HistoryPlotter.write(history: url, to: dir.appendingPathComponent("plots"))
        XCTAssertEqual(r.changes.map(\.change.index), [4])
        let cp = try CSVTable.read(from: dir.appendingPathComponent("plots/change_points.csv"))
        XCTAssertEqual(cp.records.first?["index"], "5")
        XCTAssertEqual(cp.records.first?["recorded_at"], "2026-12-05T00:00:00Z")
        if r.plotsSkipped == nil { XCTAssertTrue(r.files.contains { $0.lastPathComponent.hasPrefix("history_write_rows_per_s") && $0.pathExtension == "svg" }) }

        let other = dir.appendingPathComponent("runs.csv")
        try "run_id,wall_s\nx,1\n".write(to: other, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try HistoryFile.append([], to: other)) { XCTAssertTrue("\($0)".contains("not a highwater history file"), "\($0)") }
    }
}

extension HistoryTests {
    /// The machine-relative medians are recorded, a machine that slowed down does not read as a step, and a file from
    /// before those columns keeps its own.
    func testRelativeMediansDriveTheTrendAndOldFilesStayReadable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hw-history-rel-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func report(raw: Double, relative: Double?) -> ComparisonReport {
            let c = MetricComparison(configuration: "write streaming", workload: "write", metric: "rows_per_s", direction: .higherIsBetter,
                                     kind: .noisy, baseline: [100], current: [raw], baselineMedian: 100, currentMedian: raw,
                                     change: raw / 100 - 1, changeRelativeToMachine: relative.map { $0 / 100 - 1 }, threshold: "-5%",
                                     thresholdSource: "default", verdict: .unchanged, pValue: nil, test: "", ratioCI: nil, note: "")
            return ComparisonReport(baseline: "b", current: "c", baselineEnvironment: BaselineEnvironment(), currentEnvironment: BaselineEnvironment(),
                                    warnings: [], comparisons: [c], failedRuns: [], missingConfigurations: [], newConfigurations: [],
                                    notJudged: [], alpha: 0.05, minRepeats: 3, exitCode: 0)
        }
        // The machine got 25% slower from the fifth check on; relative to it, nothing changed.
        let url = dir.appendingPathComponent("history.csv")
        for (i, raw) in [100.0, 99, 101, 100, 80, 79, 81, 80].enumerated() {
            let relative = raw > 90 ? raw : raw * 1.25
            try HistoryFile.append(HistoryFile.rows(of: report(raw: raw, relative: relative), suite: "ci", recordedAt: "t\(i)"), to: url)
        }
        let series = try XCTUnwrap(try HistoryFile.read(url).first)
        XCTAssertTrue(series.isRelative)
        XCTAssertEqual(series.trend[4], 100, accuracy: 1e-9)
        XCTAssertEqual(try HistoryPlotter.write(history: url, to: dir.appendingPathComponent("plots")).changes.count, 0,
                       "no step relative to the machine")

        // A file from before the relative columns: appended to in its own columns, read with raw medians.
        let old = dir.appendingPathComponent("old.csv")
        try (CSVTable.line(HistoryFile.legacyHeader) + CSVTable.line(["t0", "", "ci", "write", "write streaming", "rows_per_s", "100", "100", "0",
                                                                      "unchanged", ""])).write(to: old, atomically: true, encoding: .utf8)
        try HistoryFile.append(HistoryFile.rows(of: report(raw: 80, relative: 100), suite: "ci", recordedAt: "t1"), to: old)
        let table = try CSVTable.read(from: old)
        XCTAssertEqual(table.header, HistoryFile.legacyHeader)
        XCTAssertEqual(table.rows.last?.count, HistoryFile.legacyHeader.count)
        let oldSeries = try XCTUnwrap(try HistoryFile.read(old).first)
        XCTAssertFalse(oldSeries.isRelative)
        XCTAssertEqual(oldSeries.trend, [100, 80])
    }
}
