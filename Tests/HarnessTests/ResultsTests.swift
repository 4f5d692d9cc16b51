import XCTest
import RunContract
@testable import Harness

final class ResultsTests: XCTestCase {
    func testAppendingCSVRoundTripsAndWidensHeader() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hw-csv-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("runs.csv")
        let file = try AppendingCSV(url: url)
        var a = RunRecord()
        a["run_id"] = "a"
        a["error"] = "said \"no\", then\nleft"
        a.set("wall_s", 1.5)
        try file.append(a.values)
        // After each append the file is complete and valid.
        XCTAssertEqual(try CSVTable.read(from: url).rows.count, 1)
        var b = RunRecord()
        b["run_id"] = "b"
        b["error"] = ""
        b.set("wall_s", 2)
        b.set("cache_index_bytes", 4096)
        try file.append(b.values)
        var c = RunRecord()
        c["run_id"] = "c"
        c.set("wall_s", 0.25)
        try file.append(c.values)
        let t = try CSVTable.read(from: url)
        XCTAssertEqual(t.header, ["run_id", "error", "wall_s", "cache_index_bytes"])
        XCTAssertEqual(t.rows, [["a", "said \"no\", then\nleft", "1.5", ""], ["b", "", "2", "4096"], ["c", "", "0.25", ""]])
    }

    func testNumberFormatting() {
        XCTAssertEqual(formatNumber(3), "3")
        XCTAssertEqual(formatNumber(0.1 + 0.2), "0.3")
        XCTAssertEqual(formatNumber(1234.5678, digits: 2), "1234.57")
        XCTAssertEqual(formatNumber(-2.5), "-2.5")
    }

    func testStatisticsOnKnownSamples() throws {
        let s = try XCTUnwrap(SampleStatistics([3, 1, 2]))
        XCTAssertEqual(s.median, 2)
        XCTAssertEqual(s.min, 1)
        XCTAssertEqual(s.max, 3)
        XCTAssertEqual(s.mean, 2)
        XCTAssertEqual(s.stddev, 1, accuracy: 1e-12)
        // t(0.975, 2) = 4.302653 (published tables; R: qt(0.975, 2)); half width = 4.302653 * 1 / sqrt(3).
        XCTAssertEqual(s.ci95!.lowerBound, 2 - 4.302653 / 3.0.squareRoot(), accuracy: 1e-5)
        XCTAssertEqual(s.ci95!.upperBound, 2 + 4.302653 / 3.0.squareRoot(), accuracy: 1e-5)
        XCTAssertEqual(SampleStatistics([4, 1, 3, 2])?.median, 2.5)
        let one = try XCTUnwrap(SampleStatistics([7]))
        XCTAssertNil(one.ci95)
        XCTAssertEqual(one.median, 7)
        XCTAssertNil(SampleStatistics([]))
        XCTAssertNil(SampleStatistics([.nan]))
        // Reference quantiles t(0.975, df) to 6 decimals from published tables (R: qt(0.975, df)), independent of the code.
        for (df, t) in [(1, 12.706205), (2, 4.302653), (4, 2.776445), (10, 2.228139), (29, 2.045230), (50, 2.008559),
                        (1000, 1.962339)] {
            XCTAssertEqual(SampleStatistics.tCritical975(degreesOfFreedom: df), t, accuracy: 2e-6, "df \(df)")
        }
        // The distribution function itself: P(T <= 0) = 0.5; t(0.95, 5) = 2.015048.
        XCTAssertEqual(StudentT.cdf(0, degreesOfFreedom: 7), 0.5, accuracy: 1e-12)
        XCTAssertEqual(StudentT.quantile(0.95, degreesOfFreedom: 5), 2.015048, accuracy: 2e-6)
        // Identical samples: zero-width interval.
        let same = try XCTUnwrap(SampleStatistics([5, 5, 5]))
        XCTAssertEqual(same.ci95, 5...5)
    }

    func testSummaryGroupsByConfigurationAndSkipsFailedRuns() throws {
        let runs = CSVTable(header: ["run_id", "config_id", "repeat", "workload", "allocator", "status", "error", "param_n", "wall_s", "peak_rss_mb"],
                            rows: [["a-r0", "a", "0", "w", "system", "ok", "", "1", "1.0", "10"],
                                   ["b-r0", "b", "0", "w", "system", "ok", "", "2", "2.0", "20"],
                                   ["a-r1", "a", "1", "w", "system", "ok", "", "1", "3.0", "30"],
                                   ["b-r1", "b", "1", "w", "system", "crashed", "SIGSEGV", "2", "9.0", ""]])
        let s = Summary.table(from: runs)
        let recs = s.records
        XCTAssertEqual(recs.map { $0["config_id"]! }, ["a", "b"])
        XCTAssertEqual(recs[0]["wall_s_median"], "2")
        XCTAssertEqual(recs[0]["peak_rss_mb_max"], "30")
        XCTAssertEqual(recs[0]["param_n"], "1")
        XCTAssertEqual(recs[1]["ok"], "1")
        XCTAssertEqual(recs[1]["runs"], "2")
        XCTAssertEqual(recs[1]["statuses"], "crashed:1 ok:1")
        XCTAssertEqual(recs[1]["wall_s_median"], "2")
        XCTAssertEqual(recs[1]["wall_s_ci95_lo"], "")
        XCTAssertNil(recs[0]["status_median"])
    }

    func testFindingsComputeRatiosFromTheData() {
        let rows: [[String: String]] = [
            ["param_strategy": "accumulate", "param_batch_size": "1000", "allocator": "system", "peak_rss_mb_median": "1200", "rows_per_s_median": "100",
             "rows_per_s_min": "99", "rows_per_s_max": "101"],
            ["param_strategy": "streaming", "param_batch_size": "1000", "allocator": "system", "peak_rss_mb_median": "80", "rows_per_s_median": "97",
             "rows_per_s_min": "96", "rows_per_s_max": "98"],
        ]
        let f = Findings.compute(rows: rows, dims: ["param_strategy"], throughput: "rows_per_s")
        XCTAssertEqual(f.count, 1)
        XCTAssertTrue(f[0].hasPrefix("strategy=streaming lowers peak RSS 15.0x (1200.0 → 80.0 MB) at a 3.0% throughput cost"), f[0])
        XCTAssertTrue(f[0].contains("vs strategy=accumulate"), f[0])
    }

    func testEventLineParsing() {
        if case .metric(let n, let v)? = EventLine.parseCommand("highwater: metric rows=1000", nowNs: 5) {
            XCTAssertEqual(n, "rows")
            XCTAssertEqual(v, 1000)
        } else { XCTFail("metric not parsed") }
        if case .phase(let n, let t, _)? = EventLine.parseCommand("highwater: phase load data", nowNs: 5) {
            XCTAssertEqual(n, "load data")
            XCTAssertEqual(t, 5)
        } else { XCTFail("phase not parsed") }
        XCTAssertNil(EventLine.parseCommand("highwater: metric rows=abc", nowNs: 0))
        XCTAssertNil(EventLine.parseCommand("highwater: metric 1x=2", nowNs: 0))
        XCTAssertNil(EventLine.parseCommand("rows=1", nowNs: 0))
        if case .phase(let n, let t, let rss)? = EventLine.parseChild("phase 7 8192 encode pages") {
            XCTAssertEqual(n, "encode pages")
            XCTAssertEqual(t, 7)
            XCTAssertEqual(rss, 8192)
        } else { XCTFail("child phase not parsed") }
        if case .begin(let t, let b)? = EventLine.parseChild("begin 12 4096") {
            XCTAssertEqual(t, 12)
            XCTAssertEqual(b, 4096)
        } else { XCTFail("begin not parsed") }
    }

    func testRSSSeriesDecimatesWithoutLosingTheMaximum() {
        let s = RSSSeries(capacity: 8)
        for i in 0..<100 { s.record(tNs: UInt64(i), bytes: i == 37 ? 1_000 : Int64(i)) }
        XCTAssertLessThanOrEqual(s.count, 8)
        XCTAssertEqual(s.maxBytes, 1_000)
        XCTAssertEqual(s.taken, 100)
        // Times stay increasing after decimation.
        for i in 1..<s.count { XCTAssertLessThan(s.times[i - 1], s.times[i]) }
    }
}
