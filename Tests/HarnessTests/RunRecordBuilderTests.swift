import XCTest
import RunContract
@testable import Harness

/// The pieces that turn an observed run into its row: status, phases, metric cells.
final class RunRecordBuilderTests: XCTestCase {
    private let plan = SweepPlan(name: "t", entries: [SweepEntry(workload: "alloc", command: nil, params: [])])

    private func classify(_ outcome: ProcessOutcome, report: ChildReport? = ChildReport(), command: Bool = false) -> (RunStatus, String) {
        let v = StatusClassifier(plan: plan).classify(outcome: outcome, report: report, isCommand: command,
                                                      lastLogLine: "last log", lastStdoutLine: "last out")
        return (v.status, v.error)
    }

    func testStatusPrecedence() {
        var o = ProcessOutcome()
        o.exitCode = 0
        XCTAssertEqual(classify(o).0, .ok)
        XCTAssertEqual(classify(o, report: nil).0, .failed, "a workload child without a report failed")
        XCTAssertEqual(classify(o, report: nil, command: true).0, .ok, "commands write no report")
        o.exitCode = 3
        XCTAssertEqual(classify(o, report: nil, command: true).0, .failed)
        XCTAssertEqual(classify(o, report: nil, command: true).1, "exit status 3: last log")
        o.exitCode = nil
        o.signal = SIGSEGV
        XCTAssertEqual(classify(o).0, .crashed)
        XCTAssertEqual(classify(o).1, "SIGSEGV: last log")
        o.signal = SIGKILL
        XCTAssertEqual(classify(o).0, .crashed, "a SIGKILL nobody can explain is a crash, not an OOM")
        o.oomKillsBefore = 3
        o.oomKillsAfter = 3
        XCTAssertEqual(classify(o).0, .crashed)
        o.oomKillsAfter = 4
        XCTAssertEqual(classify(o).0, .oom, "the kernel counted an OOM kill during the run")
        o.killedBy = .timeout
        XCTAssertEqual(classify(o).0, .timeout, "our own kill explains the SIGKILL")
        o.killedBy = .memoryLimit(rssBytes: 123_400_000)
        XCTAssertEqual(classify(o).0, .oom)
        XCTAssertTrue(classify(o).1.hasPrefix("RSS 123.4 MB over the --memory-limit"), classify(o).1)
        o.killedBy = .outputLimit(bytes: 1_500_000_000)
        XCTAssertEqual(classify(o).0, .failed)
        XCTAssertTrue(classify(o).1.contains("--max-log-mb"), classify(o).1)
    }

    func testPhasesLastUntilTheNextAndSumByName() {
        let ms: UInt64 = 1_000_000
        let p = PhaseAttribution(marks: [("encode", 0, 10_000_000), ("Flush!", 10 * ms, 15_000_000), ("encode", 30 * ms, 12_000_000)],
                                 endNs: 45 * ms, endRSS: 20_000_000)
        XCTAssertEqual(p.phases.map(\.name), ["encode", "flush_"])
        XCTAssertEqual(p.phases[0].seconds, 0.025, accuracy: 1e-12)   // 10 ms + 15 ms
        XCTAssertEqual(p.phases[1].seconds, 0.020, accuracy: 1e-12)
        XCTAssertEqual(p.phases[0].rssDeltaMB!, 5 + 8, accuracy: 1e-9)  // (15-10) + (20-12) MB
        XCTAssertEqual(p.phases[1].rssDeltaMB!, -3, accuracy: 1e-9)
        var r = RunRecord()
        p.write(to: &r)
        XCTAssertEqual(r["phase_encode_s"], "0.025")
        XCTAssertEqual(r["phase_flush__rss_delta_mb"], "-3")
    }

    func testAPhaseWithoutRSSReadingsHasNoDelta() {
        let p = PhaseAttribution(marks: [("a", 5, nil)], endNs: 1_000_000_005, endRSS: 7)
        XCTAssertEqual(p.phases, [.init(name: "a", seconds: 1, rssDeltaMB: nil)])
    }

    func testMetricCellsConvertUnitsAndRoundOnce() {
        var r = RunRecord()
        r.set(.peakRSSMB, base: 212_345_678)
        r.set(.rowsPerS, 3_643_287.26)
        r.set(.rows, 6_000_000)
        r.set(.heapAllocatedMB, base: -1)
        r.set(.wallS, base: 1_500_000_000)
        XCTAssertEqual(r["peak_rss_mb"], "212.346")
        XCTAssertEqual(r["rows_per_s"], "3643287.3")
        XCTAssertEqual(r["rows"], "6000000")
        XCTAssertEqual(r["heap_allocated_mb"], "", "unknown is empty, not -0.000001")
        XCTAssertEqual(r["wall_s"], "1.5")
        r.setStatus(.crashed, error: String(repeating: "x", count: 500))
        XCTAssertEqual(r.status, .crashed)
        XCTAssertEqual(r["error"]?.count, 400)
    }

    func testFormatNumberKeepsIntegersWhole() {
        XCTAssertEqual(formatNumber(1000, digits: 0), "1000")
        XCTAssertEqual(formatNumber(1000.4, digits: 0), "1000")
        XCTAssertEqual(formatNumber(0.1250, digits: 3), "0.125")
    }

    func testABCheckArgumentsWarmUpOncePerSide() {
        let ab = ABCheck(suitePath: "s.toml", referenceBinary: "/a/highwater", currentBinary: "/b/highwater", repeats: 3, warmup: 1,
                         outputDirectory: URL(fileURLWithPath: "/tmp/x"), extraArguments: ["--param", "rows=1"])
        let first = ab.arguments(repeatIndex: 0, into: URL(fileURLWithPath: "/tmp/x/A/r0"))
        XCTAssertEqual(first, ["run", "--suite", "s.toml", "--repeat", "1", "--out", "/tmp/x/A/r0", "--no-plots", "--no-overhead-check",
                               "--plain", "--param", "rows=1"])
        XCTAssertEqual(ab.arguments(repeatIndex: 1, into: URL(fileURLWithPath: "/tmp/x/A/r1")).suffix(2), ["--warmup", "0"])
    }

    func testABCheckRefusesAMissingReference() {
        let ab = ABCheck(suitePath: "s.toml", referenceBinary: "/nonexistent/highwater", currentBinary: "/b", repeats: 1, warmup: 0,
                         outputDirectory: URL(fileURLWithPath: "/tmp/x"))
        XCTAssertThrowsError(try ab.run(log: FileHandle.nullDevice)) { e in
            XCTAssertEqual((e as? HarnessError)?.source, "--against")
        }
    }

    func testThresholdHelpIsDerivedFromTheMetricTable() {
        let text = MetricCatalogue.defaultsDescription
        XCTAssertTrue(text.contains("batch_p99_ms +50%"), text)
        XCTAssertTrue(text.contains("rows_per_s -5%"), text)
        XCTAssertTrue(text.contains("files exact"), text)
        XCTAssertEqual(MetricCatalogue.known.count, Metric.gated.count)
    }
}
