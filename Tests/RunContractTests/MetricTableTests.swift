import XCTest
import RunContract

final class MetricTableTests: XCTestCase {
    func testNamesAreUniqueAndSnakeCase() {
        let names = Metric.all.map(\.name)
        XCTAssertEqual(Set(names).count, names.count, "duplicate metric names")
        for n in names {
            XCTAssertNotNil(n.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression), n)
        }
    }

    /// A name that ends in a unit suffix must carry that unit (DESIGN.md: names say the unit).
    func testNameSuffixMatchesUnit() {
        for m in Metric.all {
            if m.name.hasSuffix("_mb") { XCTAssertEqual(m.unit, .megabytes, m.name) }
            if m.name.hasSuffix("_ms") { XCTAssertEqual(m.unit, .milliseconds, m.name) }
            if m.name.hasSuffix("_s") && !m.name.hasSuffix("_per_s") { XCTAssertEqual(m.unit, .seconds, m.name) }
            if m.name.hasSuffix("_per_s") { XCTAssertTrue([.rowsPerSecond, .megabytesPerSecond].contains(m.unit), m.name) }
            if m.name.hasSuffix("_bytes") { XCTAssertEqual(m.unit, .bytes, m.name) }
        }
    }

    func testDeterministicMetricsAreCountsOrRatios() {
        for m in Metric.all where m.kind == .deterministic {
            XCTAssertTrue([.count, .bytes, .rows, .ratio, .milliseconds].contains(m.unit), m.name)
        }
        XCTAssertEqual(Metric.named("bytes_written")?.kind, .deterministic)
        XCTAssertEqual(Metric.named("peak_rss_mb")?.kind, .noisy)
        XCTAssertNil(Metric.named("phase_generate_s"))
    }

    func testUnitConversionFromBaseQuantities() {
        XCTAssertEqual(2_500_000 * MetricUnit.megabytes.fromBase, 2.5, accuracy: 1e-12)
        XCTAssertEqual(1_500_000_000 * MetricUnit.seconds.fromBase, 1.5, accuracy: 1e-12)
        XCTAssertEqual(3_000_000 * MetricUnit.milliseconds.fromBase, 3, accuracy: 1e-12)
    }

    func testCommandReportableMetricsAreInTheTable() {
        for m in Metric.commandReportable { XCTAssertEqual(Metric.named(m.name), m) }
        XCTAssertFalse(Metric.commandReportable.contains(.peakRSSMB), "a command must not fill a harness-measured column")
    }
}
