import XCTest
import RunContract
import Workloads
@testable import Harness

/// Noise across sessions (a quiet one and a busy one), CPU time under drift, and the machine-relative change.
final class SessionShiftTests: XCTestCase {
    /// Ten repeats of `write` and of the reference, each metric scaled by `factor` over a small fixed spread.
    private func session(_ source: String, rowsPerS: Double, referenceMS: Double, peakMB: Double, cpuUserS: Double = 0.6,
                         referenceCPUMS: Double? = nil) -> ResultSet {
        let spread = [0.99, 1.0, 1.01, 0.995, 1.005, 1.002, 0.998, 1.003, 0.997, 1.001]
        let write = ConfigurationResults(workload: "write", allocator: "system", parameters: ["rows": "1000000"], runs: 10,
                                         metrics: ["rows_per_s": spread.map { $0 * rowsPerS }, "peak_rss_mb": spread.map { $0 * peakMB },
                                                   "cpu_user_s": spread.map { $0 * cpuUserS }, "bytes_written": Array(repeating: 6e7, count: 10)])
        var reference = ConfigurationResults(workload: ReferenceWorkload.name, allocator: "system", parameters: [:], runs: 10,
                                             metrics: ["reference_compress_ms": spread.map { $0 * referenceMS }])
        if let cpu = referenceCPUMS { reference.metrics["reference_compress_cpu_ms"] = spread.map { $0 * cpu } }
        return ResultSet(name: source, source: source, environment: BaselineEnvironment(), configurations: [write, reference])
    }

    private func shift(_ shifts: [SessionShift], _ metric: String) throws -> SessionShift {
        try XCTUnwrap(shifts.first { $0.metric == metric }, "\(metric) in \(shifts.map(\.metric))")
    }

    func testAShiftWithinTheBoundIsMeasuredAfterNormalizing() throws {
        // The machine 5% slower (reference), the writer 12% slower: 1.12 / 1.05 - 1 = 6.7% slower relative to the machine.
        let quiet = session("quiet", rowsPerS: 2.0e6, referenceMS: 80, peakMB: 38)
        let busy = session("busy", rowsPerS: 2.0e6 / 1.12, referenceMS: 84, peakMB: 38 * 1.03)
        let shifts = SessionShift.between([quiet, busy], driftBound: 0.10)
        let rows = try shift(shifts, "rows_per_s")
        XCTAssertEqual(try XCTUnwrap(rows.machineRatio), 1.05, accuracy: 1e-9)
        XCTAssertEqual(rows.changePercent, (1.05 / 1.12 - 1) * 100, accuracy: 1e-6)
        XCTAssertTrue(rows.judged)
        XCTAssertEqual(try shift(shifts, "peak_rss_mb").changePercent, 3, accuracy: 1e-6, "memory is not scaled")
        XCTAssertEqual(try shift(shifts, "bytes_written").changePercent, 0)
        XCTAssertNil(shifts.first { $0.workload == ReferenceWorkload.name }, "the reference is the yardstick, not a shift")

        let noise = NoiseFloor(sessions: [quiet, busy])
        let byMetric = Dictionary(uniqueKeysWithValues: noise.suggestions.map { ($0.metric, $0) })
        // The A/A floors of the tiny spread are below 1%; the shifts between sessions set the suggestions.
        XCTAssertEqual(byMetric["rows_per_s"]?.spec, "-10%", "6.25% x 1.5 = 9.4, rounded up")
        XCTAssertEqual(byMetric["peak_rss_mb"]?.spec, "+5%", "3% x 1.5 = 4.5, rounded up")
        XCTAssertEqual(byMetric["bytes_written"]?.spec, "exact")
        XCTAssertEqual(Set(noise.entries.map(\.session)), ["quiet", "busy"], "each session's A/A entries")
        XCTAssertTrue(noise.thresholdsTOML.contains("between sessions 6.25%"), noise.thresholdsTOML)
        XCTAssertEqual(noise.shiftsTable.rows.count, shifts.count)
        XCTAssertTrue(noise.summary.contains("between"), noise.summary)
    }

    func testAShiftBeyondTheDriftBoundLeavesTimeAlone() throws {
        // A CPU hog: the reference 1.5x slower, the writer 1.8x slower; check would say `drift` for rows_per_s.
        let quiet = session("quiet", rowsPerS: 2.0e6, referenceMS: 80, peakMB: 38)
        let hog = session("hog", rowsPerS: 2.0e6 / 1.8, referenceMS: 120, peakMB: 38.2)
        let shifts = SessionShift.between([quiet, hog], driftBound: 0.10)
        XCTAssertFalse(try shift(shifts, "rows_per_s").judged)
        XCTAssertTrue(try shift(shifts, "peak_rss_mb").judged)
        let noise = NoiseFloor(sessions: [quiet, hog])
        let rows = try XCTUnwrap(noise.suggestions.first { $0.metric == "rows_per_s" })
        XCTAssertNil(rows.shiftPercent)
        XCTAssertEqual(rows.spec, NoiseFloor(quiet).suggestions.first { $0.metric == "rows_per_s" }?.spec, "the A/A floor alone")
    }

    func testOneSessionHasNoShifts() {
        let noise = NoiseFloor(session("only", rowsPerS: 2e6, referenceMS: 80, peakMB: 38))
        XCTAssertTrue(noise.shifts.isEmpty)
        XCTAssertNil(noise.suggestions.first?.shiftPercent)
        XCTAssertFalse(noise.thresholdsTOML.contains("between sessions"))
    }

    func testWithoutTheReferenceCPUTimeCPUTimeIsDriftWhenTheWallRatioDrifted() throws {
        let base = session("base", rowsPerS: 2e6, referenceMS: 80, peakMB: 38, cpuUserS: 0.6)
        // The hog: reference 1.5x slower, and 15% more CPU time for the same code.
        let hog = try Comparator.compare(baseline: base, current: session("hog", rowsPerS: 2e6 / 1.5, referenceMS: 120, peakMB: 38, cpuUserS: 0.69))
        let cpu = try XCTUnwrap(hog.comparisons.first { $0.metric == "cpu_user_s" })
        XCTAssertEqual(cpu.verdict, .drift)
        XCTAssertTrue(cpu.note.contains("the machine drifted"), cpu.note)
        XCTAssertNil(cpu.changeRelativeToMachine, "CPU time is not scaled")
        XCTAssertEqual(hog.exitCode, 0)
        // The same 15% on a steady machine is a regression.
        let quiet = try Comparator.compare(baseline: base, current: session("q", rowsPerS: 2e6, referenceMS: 80, peakMB: 38, cpuUserS: 0.69))
        XCTAssertEqual(quiet.comparisons.first { $0.metric == "cpu_user_s" }?.verdict, .regressed)
        XCTAssertEqual(quiet.exitCode, 1)
    }

    func testCPUTimeIsJudgedAgainstTheReferenceCPUTimeEvenWhenTheWallRatioDrifted() throws {
        let base = session("base", rowsPerS: 2e6, referenceMS: 50, peakMB: 38, cpuUserS: 0.6, referenceCPUMS: 100)
        // A hog: wall ratio 1.8, the reference's CPU time 2% up, the writer's 4% up: unchanged, not drift.
        let hog = try Comparator.compare(baseline: base, current: session("hog", rowsPerS: 2e6 / 1.8, referenceMS: 90, peakMB: 38,
                                                                          cpuUserS: 0.624, referenceCPUMS: 102))
        XCTAssertEqual(try XCTUnwrap(hog.machineSpeed?.cpuRatio), 1.02, accuracy: 1e-9)
        let cpu = try XCTUnwrap(hog.comparisons.first { $0.metric == "cpu_user_s" })
        XCTAssertEqual(cpu.verdict, .unchanged, cpu.note)
        XCTAssertEqual(try XCTUnwrap(cpu.changeRelativeToMachine), 1.04 / 1.02 - 1, accuracy: 1e-9)
        XCTAssertTrue(cpu.note.contains("CPU speed (÷1.02)"), cpu.note)
        // The same hog with code using 20% more CPU: a regression, although the wall time says `drift`.
        let slower = try Comparator.compare(baseline: base, current: session("slow", rowsPerS: 2e6 / 2, referenceMS: 90, peakMB: 38,
                                                                             cpuUserS: 0.72 * 1.02, referenceCPUMS: 102))
        XCTAssertEqual(slower.comparisons.first { $0.metric == "cpu_user_s" }?.verdict, .regressed)
        XCTAssertEqual(slower.comparisons.first { $0.metric == "rows_per_s" }?.verdict, .drift)
        XCTAssertEqual(slower.exitCode, 1)
        // A baseline whose reference CPU time was 40% higher: a ratio of 0.71, beyond the 25% bound: CPU time is `drift`.
        let inflated = session("inflated", rowsPerS: 2e6, referenceMS: 50, peakMB: 38, cpuUserS: 0.6 * 1.4, referenceCPUMS: 140)
        let now = try Comparator.compare(baseline: inflated, current: session("now", rowsPerS: 2e6, referenceMS: 50, peakMB: 38,
                                                                              cpuUserS: 0.6 * 1.2, referenceCPUMS: 100))
        XCTAssertEqual(now.comparisons.first { $0.metric == "cpu_user_s" }?.verdict, .drift)
        XCTAssertFalse(now.machineSpeed!.drifted, "the wall ratio did not move")
    }

    func testTimeIsDriftWhenMostCurrentRunsSharedTheMachine() throws {
        let base = session("base", rowsPerS: 2e6, referenceMS: 50, peakMB: 38)
        // A neighbour the reference did not feel: the ratio stays 1, the writer loses 20%, 7 of 10 runs flagged shared.
        var now = session("now", rowsPerS: 1.6e6, referenceMS: 50, peakMB: 38)
        now.configurations[0].metrics["machine_shared"] = [1, 1, 1, 0, 1, 1, 0, 1, 1, 0]
        let r = try Comparator.compare(baseline: base, current: now)
        XCTAssertEqual(r.machineSpeed?.currentSharedFraction ?? 0, 0.7, accuracy: 1e-9)
        XCTAssertEqual(r.comparisons.first { $0.metric == "rows_per_s" }?.verdict, .drift)
        XCTAssertEqual(r.exitCode, 0)
        XCTAssertTrue(r.warnings.contains { $0.contains("70% of the runs shared the machine") }, "\(r.warnings)")
        // Three of ten is not most: judged, and a regression.
        now.configurations[0].metrics["machine_shared"] = [1, 0, 0, 0, 1, 0, 0, 1, 0, 0]
        XCTAssertEqual(try Comparator.compare(baseline: base, current: now).comparisons.first { $0.metric == "rows_per_s" }?.verdict, .regressed)
    }

    func testTheMachineRelativeChangeIsReportedAndShown() throws {
        let base = session("base", rowsPerS: 2e6, referenceMS: 80, peakMB: 38)
        let now = session("now", rowsPerS: 2e6 * 0.92, referenceMS: 80 * 0.95, peakMB: 38)  // machine 5% faster, code 8% slower
        let r = try Comparator.compare(baseline: base, current: now)
        let rows = try XCTUnwrap(r.comparisons.first { $0.metric == "rows_per_s" })
        XCTAssertEqual(try XCTUnwrap(rows.change), -0.08, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(rows.changeRelativeToMachine), 0.92 * 0.95 - 1, accuracy: 1e-9)
        XCTAssertEqual(ComparisonFormatter.change(rows), "-8.0% (rel. -12.6%)")
        XCTAssertNil(r.comparisons.first { $0.metric == "peak_rss_mb" }?.changeRelativeToMachine)
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        XCTAssertTrue(json.contains("\"change_relative_to_machine\""), json)
    }
}
