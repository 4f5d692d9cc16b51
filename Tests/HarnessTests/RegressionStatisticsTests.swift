import XCTest
import RunContract
@testable import Harness

/// Mann-Whitney U against SciPy 1.17 `scipy.stats.mannwhitneyu(x, y)` (two-sided, method="auto"), and the
/// deterministic bootstrap.
final class RegressionStatisticsTests: XCTestCase {
    private func check(_ x: [Double], _ y: [Double], u: Double, p: Double, method: String, file: StaticString = #filePath, line: UInt = #line) {
        let r = RegressionStatistics.mannWhitneyU(x, y)
        XCTAssertEqual(r.u, u, accuracy: 1e-9, "U", file: file, line: line)
        XCTAssertEqual(r.pValue, p, accuracy: 1e-12, "p", file: file, line: line)
        XCTAssertEqual(r.method, method, file: file, line: line)
    }

    func testExactSmallSamplesMatchSciPy() {
        // Complete separation, 5 vs 5: p = 2 / C(10, 5).
        check([1.1, 2.2, 3.3, 4.4, 5.5], [6.6, 7.7, 8.8, 9.9, 10.1], u: 0, p: 0.007936507936507936, method: "exact")
        check([10.2, 11.5, 9.8, 10.9, 10.4], [10.6, 12.1, 11.8, 10.1, 11.3], u: 7, p: 0.30952380952380953, method: "exact")
        check([1, 2, 3], [4, 5, 6], u: 0, p: 0.1, method: "exact")
        check([3, 1, 2, 5], [4, 6, 7], u: 1, p: 0.11428571428571428, method: "exact")
    }

    func testNormalApproximationWithTiesMatchesSciPy() {
        check([1, 2, 2, 3, 3, 3, 4], [2, 3, 4, 4, 5, 5, 6], u: 8.5, p: 0.043051432728945134, method: "normal")
        check([5, 5, 5, 5], [5, 5, 5, 5], u: 8, p: 1, method: "normal")
    }

    func testNormalApproximationLargeSamplesMatchesSciPy() {
        let x = [19.1, 20.3, 18.7, 21.4, 20.0, 19.6, 22.1, 18.9, 20.8, 19.9]
        let y = [21.0, 22.5, 20.6, 23.1, 21.9, 22.8, 20.2, 24.0, 21.7, 22.2, 23.5, 21.3]
        let r = RegressionStatistics.mannWhitneyU(x, y)
        XCTAssertEqual(r.u, 13)
        XCTAssertEqual(r.method, "normal")
        XCTAssertEqual(r.pValue, 0.0021685684190888687, accuracy: 1e-9)
    }

    func testExactDistributionSumsToBinomial() {
        let counts = RegressionStatistics.exactCounts(4, 6)
        XCTAssertEqual(counts.count, 25)
        XCTAssertEqual(counts.reduce(0, +), 210)  // C(10, 4)
        XCTAssertEqual(counts, counts.reversed(), "the null distribution of U is symmetric")
    }

    func testMinimumPValue() {
        XCTAssertEqual(RegressionStatistics.minimumPValue(3, 3), 0.1, accuracy: 1e-12)
        XCTAssertEqual(RegressionStatistics.minimumPValue(4, 4), 2.0 / 70, accuracy: 1e-12)
        XCTAssertEqual(RegressionStatistics.minimumPValue(5, 5), 2.0 / 252, accuracy: 1e-12)
        XCTAssertEqual(RegressionStatistics.minimumPValue(3, 5), 2.0 / 56, accuracy: 1e-12)
    }

    func testMedian() {
        XCTAssertNil(RegressionStatistics.median([]))
        XCTAssertEqual(RegressionStatistics.median([3, 1, 2]), 2)
        XCTAssertEqual(RegressionStatistics.median([4, 1, 3, 2]), 2.5)
    }

    func testBootstrapIsDeterministicAndBracketsTheRatio() throws {
        let b = [100.0, 102, 98, 101, 99]
        let c = [90.0, 91, 89, 92, 90.5]
        let first = try XCTUnwrap(RegressionStatistics.bootstrapRatioCI(baseline: b, current: c))
        let second = try XCTUnwrap(RegressionStatistics.bootstrapRatioCI(baseline: b, current: c))
        XCTAssertEqual(first.low, second.low)
        XCTAssertEqual(first.high, second.high)
        XCTAssertLessThanOrEqual(first.low, 0.905)
        XCTAssertGreaterThanOrEqual(first.high, 0.905)
        XCTAssertLessThan(first.high, 1, "a clear 10% drop excludes a ratio of 1")
        XCTAssertNil(RegressionStatistics.bootstrapRatioCI(baseline: [], current: c))
    }
}
