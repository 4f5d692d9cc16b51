import XCTest
import RunContract
import Workloads
@testable import Harness

/// Machine speed from the reference workload: a slower machine is `drift`, slower code is still a regression.
final class DriftTests: XCTestCase {
    /// Six repeats of `write` (wall time `wall`, throughput 1M rows / wall) and of the reference (`referenceWall`),
    /// each with a little spread so the U test has ranks to work with.
    private func results(wall: Double, referenceWall: Double, name: String) -> ResultSet {
        let spread = [0.99, 1.0, 1.01, 0.995, 1.005, 1.002]
        let walls = spread.map { $0 * wall }
        let write = ConfigurationResults(workload: "write", allocator: "system", parameters: ["strategy": "streaming"], runs: 6,
                                         metrics: ["wall_s": walls, "rows_per_s": walls.map { 1e6 / $0 }, "peak_rss_mb": spread.map { 48 * $0 },
                                                   "rows": Array(repeating: 1e6, count: 6)])
        let reference = ConfigurationResults(workload: ReferenceWorkload.name, allocator: "system", parameters: [:], runs: 6,
                                             metrics: ["wall_s": spread.map { $0 * referenceWall }])
        return ResultSet(name: name, source: name, environment: BaselineEnvironment(), configurations: [write, reference])
    }

    private func verdict(_ r: ComparisonReport, _ metric: String) -> Verdict? {
        r.comparisons.first { $0.metric == metric }?.verdict
    }

    func testASlowerMachineIsDriftNotARegression() throws {
        let base = results(wall: 1.0, referenceWall: 0.2, name: "base")
        let now = results(wall: 1.3, referenceWall: 0.26, name: "now")  // everything 30% slower: the machine
        let r = try Comparator.compare(baseline: base, current: now)
        XCTAssertEqual(r.machineSpeed?.ratio ?? 0, 1.3, accuracy: 1e-9)
        XCTAssertTrue(r.machineSpeed!.drifted)
        // Normalized, the code did not change: unchanged, so not even drift.
        XCTAssertEqual(verdict(r, "wall_s"), .unchanged)
        XCTAssertEqual(verdict(r, "rows_per_s"), .unchanged)
        XCTAssertEqual(verdict(r, "peak_rss_mb"), .unchanged, "memory is not scaled")
        XCTAssertEqual(r.exitCode, 0)
        XCTAssertTrue(r.warnings.contains { $0.hasPrefix("drift: machine 1.30x slower") }, "\(r.warnings)")
        XCTAssertNil(r.comparisons.first { $0.workload == ReferenceWorkload.name }, "the reference is not judged as code")
    }

    func testWithoutTheReferenceTheSameSlowdownWouldFail() throws {
        var base = results(wall: 1.0, referenceWall: 0.2, name: "base")
        var now = results(wall: 1.3, referenceWall: 0.26, name: "now")
        base.configurations.removeLast()
        now.configurations.removeLast()
        let r = try Comparator.compare(baseline: base, current: now)
        XCTAssertNil(r.machineSpeed)
        XCTAssertEqual(verdict(r, "wall_s"), .regressed)
        XCTAssertEqual(r.exitCode, 1)
    }

    func testSlowerCodeOnAnUnchangedMachineIsARegression() throws {
        let base = results(wall: 1.0, referenceWall: 0.2, name: "base")
        let now = results(wall: 1.1, referenceWall: 0.2, name: "now")  // code 10% slower, machine the same
        let r = try Comparator.compare(baseline: base, current: now)
        XCTAssertEqual(r.machineSpeed?.ratio ?? 0, 1.0, accuracy: 1e-9)
        XCTAssertEqual(verdict(r, "wall_s"), .regressed)
        XCTAssertEqual(verdict(r, "rows_per_s"), .regressed)
        XCTAssertEqual(r.exitCode, 1)
    }

    func testSlowerCodeOnADriftingMachineIsDriftUnlessAsked() throws {
        let base = results(wall: 1.0, referenceWall: 0.2, name: "base")
        let now = results(wall: 1.3 * 1.2, referenceWall: 0.26, name: "now")  // machine 30% slower and code 20% slower
        var options = ComparisonOptions()
        let r = try Comparator.compare(baseline: base, current: now, options: options)
        XCTAssertEqual(verdict(r, "wall_s"), .drift)
        XCTAssertEqual(r.exitCode, 0)
        options.failOnDrift = true
        let strict = try Comparator.compare(baseline: base, current: now, options: options)
        XCTAssertEqual(verdict(strict, "wall_s"), .drift)
        XCTAssertEqual(strict.exitCode, 1)
    }

    func testWithinTheBoundTimesAreJudgedRelativeToTheMachine() throws {
        let base = results(wall: 1.0, referenceWall: 0.2, name: "base")
        let now = results(wall: 1.08, referenceWall: 0.216, name: "now")  // machine 8% slower, within the 10% bound
        let r = try Comparator.compare(baseline: base, current: now)
        XCTAssertFalse(r.machineSpeed!.drifted)
        XCTAssertEqual(verdict(r, "wall_s"), .unchanged, "an 8% slower wall time on an 8% slower machine")
    }

    func testTimeAndThroughputScaleOthersDoNot() {
        XCTAssertEqual(MachineSpeed.scaling(of: "wall_s"), .time)
        XCTAssertEqual(MachineSpeed.scaling(of: "phase_encode_s"), .time)
        XCTAssertEqual(MachineSpeed.scaling(of: "rows_per_s"), .throughput)
        XCTAssertNil(MachineSpeed.scaling(of: "peak_rss_mb"))
        XCTAssertNil(MachineSpeed.scaling(of: "bytes_written"))
        XCTAssertNil(MachineSpeed.scaling(of: "cpu_others_s"))
        // The run's own CPU time is not stretched by a busy neighbour the way wall time is: it has its own ratio.
        XCTAssertEqual(MachineSpeed.scaling(of: "cpu_user_s"), .cpuTime)
        XCTAssertEqual(MachineSpeed.scaling(of: "rows_per_cpu_second"), .cpuThroughput)
    }
}

extension DriftTests {
    /// The CPU part of the reference sets the ratio when both sides recorded it: a memory part slowed by what the
    /// previous run left behind does not make slower code look like a slower machine.
    func testTheReferenceCPUPartSetsTheRatio() throws {
        func withCPUPart(_ set: ResultSet, cpuMs: Double) -> ResultSet {
            var s = set
            let i = s.configurations.firstIndex { $0.workload == ReferenceWorkload.name }!
            s.configurations[i].metrics["reference_cpu_ms"] = [0.99, 1.0, 1.01, 0.995, 1.005, 1.002].map { $0 * cpuMs }
            return s
        }
        let base = withCPUPart(results(wall: 1.0, referenceWall: 0.10, name: "base"), cpuMs: 70)
        // Code 25% slower; the reference's whole run 15% slower (its memory part), its CPU part unchanged.
        let now = withCPUPart(results(wall: 1.25, referenceWall: 0.115, name: "now"), cpuMs: 70)
        let r = try Comparator.compare(baseline: base, current: now)
        XCTAssertEqual(r.machineSpeed?.ratio ?? 0, 1.0, accuracy: 1e-9)
        XCTAssertEqual(r.comparisons.first { $0.metric == "rows_per_s" }?.verdict, .regressed)
    }
}

extension DriftTests {
    func testEachRunIsJudgedAgainstItsOwnReferenceRunWhenTheyPair() throws {
        let refs = ReferenceRuns(wall: (baseline: [0.2, 0.2, 0.2, 0.2], current: [0.2, 0.3, 0.2, 0.3]), cpu: nil)
        // Runs 2 and 4 shared the machine with a neighbour that slowed the writer and its reference by 1.5x together.
        let p = try XCTUnwrap(refs.paired(baseline: [1, 1, 1, 1], current: [1, 1.5, 1, 1.5], .time))
        XCTAssertEqual(p.baseline, [1, 1, 1, 1])
        XCTAssertEqual(p.current[1], 1, accuracy: 1e-12)
        XCTAssertEqual(p.current[3], 1, accuracy: 1e-12)
        let throughput = try XCTUnwrap(refs.paired(baseline: [10, 10, 10, 10], current: [10, 10 / 1.5, 10, 10 / 1.5], .throughput))
        XCTAssertEqual(throughput.current[1], 10, accuracy: 1e-12)
        XCTAssertNil(refs.paired(baseline: [1, 1, 1], current: [1, 1.5, 1, 1.5], .time), "a failed run breaks the pairing")
        XCTAssertNil(refs.paired(baseline: [1, 1, 1, 1], current: [1, 1, 1, 1], .cpuTime), "no CPU-time reference runs")
        // Through MachineSpeed: the fallback divides the current side by the ratio of medians.
        var speed = MachineSpeed(ratio: 1.25, bound: 0.1)
        speed.referenceRuns = refs
        XCTAssertEqual(speed.normalized(baseline: [1, 1, 1], current: [1.25, 1.25, 1.25, 1.25], .time).current, [1, 1, 1, 1])
    }
}

