import XCTest
import RunContract
@testable import Harness

final class RegressionThresholdTests: XCTestCase {
    func testParsesRelativeAbsoluteAndExact() throws {
        XCTAssertEqual(try Threshold.parse("+10%", metric: "peak_rss_mb"), Threshold(relative: 0.10, direction: .lowerIsBetter))
        XCTAssertEqual(try Threshold.parse("-3%", metric: "rows_per_s"), Threshold(relative: 0.03, direction: .higherIsBetter))
        XCTAssertEqual(try Threshold.parse("5%", metric: "rows_per_s"), Threshold(relative: 0.05))
        XCTAssertEqual(try Threshold.parse("+5MB", metric: "peak_rss_mb"), Threshold(absolute: 5, direction: .lowerIsBetter))
        XCTAssertEqual(try Threshold.parse("+5 MB", metric: "peak_rss_mb"), Threshold(absolute: 5, direction: .lowerIsBetter))
        XCTAssertEqual(try Threshold.parse("abs:5", metric: "peak_rss_mb"), Threshold(absolute: 5))
        XCTAssertEqual(try Threshold.parse("abs:+250", metric: "alloc_count"), Threshold(absolute: 250, direction: .lowerIsBetter))
        XCTAssertEqual(try Threshold.parse("+2ms", metric: "batch_p99_ms"), Threshold(absolute: 2, direction: .lowerIsBetter))
        XCTAssertEqual(try Threshold.parse("exact", metric: "files"), Threshold.exact)
        XCTAssertEqual(try Threshold.parse("+10%,+5MB", metric: "peak_rss_mb"), Threshold(relative: 0.10, absolute: 5, direction: .lowerIsBetter))
    }

    func testRejectsBadThresholds() {
        for (text, metric, fragment) in [
            ("", "peak_rss_mb", "empty"),
            ("5", "peak_rss_mb", "ambiguous"),
            ("ten%", "peak_rss_mb", "not a number"),
            ("+5GB", "peak_rss_mb", "unknown unit"),
            ("+5ms", "peak_rss_mb", "does not match"),
            ("+5MB", "rows_per_s", "does not match"),
            ("+5%,-2%", "wall_s", "mixes"),
            ("5%,6%", "wall_s", "twice"),
        ] {
            XCTAssertThrowsError(try Threshold.parse(text, metric: metric), "\(text)") { error in
                XCTAssertTrue("\(error)".contains(fragment), "'\(text)': \(error)")
            }
        }
    }

    func testCommandLineOptionsAndPrecedence() throws {
        var set = ThresholdSet()
        try set.add(option: "peak_rss_mb=+5%")
        try set.add(option: "write.rows_per_s=-3%")
        try set.add(option: "rows_per_s=-8%")
        XCTAssertEqual(set.rule(metric: "peak_rss_mb", workload: "write")?.threshold.relative, 0.05)
        XCTAssertEqual(set.rule(metric: "peak_rss_mb", workload: "write")?.source, "--threshold")
        XCTAssertEqual(set.rule(metric: "rows_per_s", workload: "write")?.threshold.relative, 0.03, "workload entry wins")
        XCTAssertEqual(set.rule(metric: "rows_per_s", workload: "scan")?.threshold.relative, 0.08)
        // Defaults from the catalogue.
        let wall = try XCTUnwrap(set.rule(metric: "wall_s", workload: "write"))
        XCTAssertEqual(wall.source, "default")
        XCTAssertEqual(wall.threshold, .relative(0.05))
        XCTAssertEqual(set.rule(metric: "alloc_count", workload: "write")?.info.kind, .deterministic)
        XCTAssertEqual(set.rule(metric: "files", workload: "write")?.threshold, .exact)
        XCTAssertNil(set.rule(metric: "rss_baseline_mb", workload: "write"), "informational")
        XCTAssertNil(set.rule(metric: "encode_compress_ms", workload: "write"), "per-stage figures are not gated by default")
        XCTAssertNil(set.rule(metric: "mystery", workload: "write"))
        // Outside the catalogue, a threshold opts a metric in; the direction comes from the name or the sign.
        try set.add(option: "load.time_to_first_item_ms=20%")
        let ttfi = try XCTUnwrap(set.rule(metric: "time_to_first_item_ms", workload: "load"))
        XCTAssertEqual(ttfi.info.direction, .lowerIsBetter)
        XCTAssertEqual(ttfi.info.kind, .noisy)
        XCTAssertNil(set.rule(metric: "time_to_first_item_ms", workload: "write"))
        try set.add(option: "batches_held_count=exact")
        XCTAssertEqual(set.rule(metric: "batches_held_count", workload: "write")?.info.kind, .deterministic)
        try set.add(option: "mystery=-2%")
        XCTAssertEqual(set.rule(metric: "mystery", workload: "write")?.info.direction, .higherIsBetter)
        XCTAssertThrowsError(try set.add(option: "enigma=2%")) { e in
            XCTAssertTrue("\(e)".contains("no known direction"), "\(e)")
        }
    }

    func testCommandLineErrorsNameTheOption() {
        var set = ThresholdSet()
        for (text, fragment) in [
            ("peak_rss_mb", "expected METRIC=SPEC"),
            ("peak_rss_mb=-10%", "lower-is-better"),
            ("rows_per_s=+5%", "higher-is-better"),
            ("a.b.c=+1%", "not a metric name"),
            ("peak_rss_mb=lots", "not a number"),
        ] {
            XCTAssertThrowsError(try set.add(option: text)) { error in
                let d = "\(error)"
                XCTAssertTrue(d.hasPrefix("--threshold"), d)
                XCTAssertTrue(d.contains(fragment), "'\(text)': \(d)")
            }
        }
    }

    func testSuiteThresholdTable() throws {
        let toml = """
        [suite]
        name = "ci"

        [[run]]
        workload = "write"

        [thresholds]
        peak_rss_mb = "+15%"
        "write.batch_p99_ms" = "+30%"

        [thresholds.scan]
        rows_per_s = "-2%"
        """
        let set = try ThresholdSet.fromSuite(text: toml, file: "suites/ci.toml")
        XCTAssertEqual(set.rule(metric: "peak_rss_mb", workload: "write")?.threshold.relative, 0.15)
        XCTAssertEqual(set.rule(metric: "peak_rss_mb", workload: "write")?.source, "suite")
        XCTAssertEqual(set.rule(metric: "batch_p99_ms", workload: "write")?.threshold.relative, 0.30)
        XCTAssertEqual(set.rule(metric: "batch_p99_ms", workload: "scan")?.threshold.relative, 0.50)
        XCTAssertEqual(set.rule(metric: "rows_per_s", workload: "scan")?.threshold.relative, 0.02)
        XCTAssertEqual(try ThresholdSet.fromSuite(text: "[suite]\nname = \"x\"\n", file: "a.toml"), ThresholdSet())
    }

    func testSuiteThresholdErrorsNameFileAndField() {
        for (toml, fragment) in [
            ("[thresholds]\npeak_rss_mb = 10\n", "suites/bad.toml: thresholds.peak_rss_mb: '10': not a threshold string"),
            ("[thresholds]\npeak_rss_mb = \"-10%\"\n", "suites/bad.toml: thresholds.peak_rss_mb: '-10%'"),
            ("thresholds = 3\n", "suites/bad.toml: thresholds: must be a table"),
            ("[thresholds\n", "suites/bad.toml: line 1"),
        ] {
            XCTAssertThrowsError(try ThresholdSet.fromSuite(text: toml, file: "suites/bad.toml")) { error in
                XCTAssertTrue("\(error)".hasPrefix(fragment), "\(error)")
            }
        }
    }

    func testIsExceeded() {
        let t = Threshold(relative: 0.10, absolute: 5)
        XCTAssertFalse(t.isExceeded(baseline: 20, current: 24), "beyond 10% but not beyond 5 MB")
        XCTAssertTrue(t.isExceeded(baseline: 20, current: 26))
        XCTAssertFalse(Threshold.relative(0.10).isExceeded(baseline: 100, current: 110), "exactly at the threshold is within it")
        XCTAssertTrue(Threshold.relative(0.10).isExceeded(baseline: 100, current: 110.5))
        XCTAssertTrue(Threshold.exact.isExceeded(baseline: 7, current: 8))
        XCTAssertFalse(Threshold.exact.isExceeded(baseline: 7, current: 7))
        XCTAssertTrue(Threshold.relative(0.01).isExceeded(baseline: 0, current: 1))
    }
}
