import XCTest
import RunContract
@testable import Harness

/// A/A noise floors and suggested thresholds from synthetic result sets.
final class NoiseFloorTests: XCTestCase {
    func set(_ metrics: [String: [Double]]) -> ResultSet {
        ResultSet(name: "aa", source: "test", environment: BaselineEnvironment(),
                  configurations: [ConfigurationResults(workload: "write", allocator: "system", parameters: ["rows": "1000"], runs: 10,
                                                        metrics: metrics)])
    }

    func testEveryBalancedSplitIsEnumerated() {
        var c = [0, 1, 2]
        var n = 1
        while let next = NoiseFloor.nextCombination(c, n: 6) { c = next; n += 1 }
        XCTAssertEqual(n, 20, "C(6,3)")
        XCTAssertEqual(NoiseFloor.binomial(10, 5), 252)
    }

    func testFloorsAndSuggestions() throws {
        let steady = [Double](repeating: 1000, count: 10)
        // Throughput alternating 95/105: the even/odd split sees the whole 10.5% gap; most other splits see less.
        let alternating = (0..<10).map { $0 % 2 == 0 ? 95.0 : 105.0 }
        let n = NoiseFloor(set(["bytes_written": steady, "rows_per_s": alternating, "peak_rss_mb": [50, 50.5, 49.5, 50, 50.2, 49.8, 50, 50.1, 49.9, 50]]))
        let byMetric = Dictionary(uniqueKeysWithValues: n.entries.map { ($0.metric, $0) })
        XCTAssertEqual(byMetric["bytes_written"]?.floorPercent, 0)
        XCTAssertEqual(try XCTUnwrap(byMetric["rows_per_s"]).abChangePercent, 105.0 / 95 * 100 - 100, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(byMetric["rows_per_s"]).spreadPercent, 10, accuracy: 1e-9)
        // Of the 252 splits, the 95th percentile still separates the two groups completely.
        XCTAssertEqual(try XCTUnwrap(byMetric["rows_per_s"]).floorPercent, 105.0 / 95 * 100 - 100, accuracy: 1e-9)
        let spec = Dictionary(uniqueKeysWithValues: n.suggestions.map { ($0.metric, $0.spec) })
        XCTAssertEqual(spec["bytes_written"], "exact")
        XCTAssertEqual(spec["rows_per_s"], "-16%", "10.53% x 1.5 = 15.8, rounded up")
        XCTAssertEqual(spec["peak_rss_mb"], "+1%", "at least 1%")
        XCTAssertTrue(n.thresholdsTOML.contains("\"write.rows_per_s\" = \"-16%\""), n.thresholdsTOML)
        XCTAssertEqual(n.table.rows.count, 3)
    }

    func testManyRepeatsUseASeededSample() {
        let values = (0..<24).map { 100 + Double($0 % 5) }
        XCTAssertGreaterThan(NoiseFloor.binomial(24, 12), Double(NoiseFloor.maxSplits))
        XCTAssertEqual(NoiseFloor.floor(values), NoiseFloor.floor(values), "deterministic")
        XCTAssertGreaterThan(NoiseFloor.floor(values), 0)
    }

    func testTheHalvesAreAnAAComparisonWithoutFalseAlarmsOnSteadyData() throws {
        let s = set(["rows_per_s": (0..<10).map { 100 + Double($0 % 3) * 0.1 }, "bytes_written": [Double](repeating: 7, count: 10)])
        let h = NoiseFloor.halves(s)
        XCTAssertEqual(h.a.configurations[0].metrics["rows_per_s"]?.count, 5)
        XCTAssertEqual(h.b.configurations[0].metrics["bytes_written"], [7, 7, 7, 7, 7])
        let aa = try Comparator.compare(baseline: h.a, current: h.b)
        XCTAssertEqual(aa.count(.regressed), 0)
    }
}

extension NoiseFloorTests {
    func testTheSuggestionKeepsTheDefaultAbsoluteFloorAndParses() throws {
        let cpu = (0..<10).map { 0.02 + Double($0 % 2) * 0.004 }
        let n = NoiseFloor(set(["cpu_sys_s": cpu]))
        let spec = try XCTUnwrap(n.suggestions.first?.spec)
        XCTAssertTrue(spec.hasPrefix("+") && spec.hasSuffix(",abs:0.05"), spec)
        var t = ThresholdSet()
        XCTAssertNoThrow(try t.add(option: "cpu_sys_s=\(spec)"))
    }
}
