import XCTest
import RunContract
@testable import Harness

/// `highwater plot` / `report` work from the CSV files alone, and the CLI refuses bad input with one line and exit 2.
final class OutputTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("hw-out-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// A small results directory: strategy × batch_size × 2 repeats, with phases and a time series.
    func writeResults() throws {
        var runs = CSVTable(header: ["run_id", "config_id", "repeat", "workload", "allocator", "status", "error", "param_strategy", "param_batch_size",
                                     "wall_s", "rows", "rows_per_s", "peak_rss_mb", "peak_rss_hwm_mb", "phase_generate_s", "phase_generate_rss_delta_mb",
                                     "phase_flush_s", "phase_flush_rss_delta_mb"])
        // The six columns of timeseries.csv before per-tree PSS and process counts: old files still plot.
        var ts = CSVTable(header: ["run_id", "config_id", "repeat", "t_ms", "rss_mb", "event"])
        for rep in 0..<2 {
            for (s, strategy) in ["accumulate", "streaming"].enumerated() {
                for batch in [1000, 10000] {
                    let id = "\(strategy)-\(batch)"
                    let peak = strategy == "accumulate" ? 1200.0 + Double(rep) : 12.0 + Double(batch) / 1000
                    let rps = strategy == "accumulate" ? 1_000_000.0 : 970_000.0 + Double(rep)
                    runs.rows.append(["\(id)-r\(rep)", id, String(rep), "write", "system", "ok", "", strategy, String(batch), "1", "1000000",
                                      String(rps), String(peak), String(peak), "0.5", String(peak * 0.9), "0.5", String(peak * 0.1)])
                    if rep == 0 {
                        ts.rows.append(["\(id)-r0", id, "0", "0", "10", ""])
                        ts.rows.append(["\(id)-r0", id, "0", "5", "10", "begin"])
                        ts.rows.append(["\(id)-r0", id, "0", "6", "11", "phase:generate"])
                        ts.rows.append(["\(id)-r0", id, "0", "50", String(peak), ""])
                        ts.rows.append(["\(id)-r0", id, "0", "60", String(peak), "phase:flush"])
                        ts.rows.append(["\(id)-r0", id, "0", "90", String(10 + s), ""])
                    }
                }
            }
        }
        try runs.write(to: dir.appendingPathComponent("runs.csv"))
        try ts.write(to: dir.appendingPathComponent("timeseries.csv"))
    }

    func testPlotsFromCSVAlone() throws {
        // make test installs gnuplot: its absence is a failure here, not a skip.
        XCTAssertNotNil(Subprocess.which("gnuplot"), "gnuplot is not installed (scripts/install-deps.sh installs it)")
        try writeResults()
        let files = try Plotter.drawAll(directory: dir)
        let names = Set(files.map(\.lastPathComponent))
        for expected in ["write_throughput_vs_batch_size.png", "write_peak_rss_vs_strategy.svg", "write_frontier.png",
                         "write_rss_time_accumulate-1000.png", "write_rss_time_all.svg"] {
            XCTAssertTrue(names.contains(expected), "missing \(expected) in \(names.sorted())")
        }
        for f in files {
            let size = (try FileManager.default.attributesOfItem(atPath: f.path)[.size] as? Int) ?? 0
            XCTAssertGreaterThan(size, 1000, f.lastPathComponent)
        }
        let report = try String(contentsOf: try ReportWriter.write(directory: dir, drawPlots: false), encoding: .utf8)
        XCTAssertTrue(report.contains("![write_frontier.png](plots/write_frontier.png)"), "the report shows the plots drawn")
    }

    /// The report needs no gnuplot: tables and findings come from the CSV files.
    func testReportFromCSVAlone() throws {
        try writeResults()
        let report = try String(contentsOf: try ReportWriter.write(directory: dir, drawPlots: false), encoding: .utf8)
        XCTAssertTrue(report.contains("## Workload `write`"))
        XCTAssertTrue(report.contains("strategy=streaming lowers peak RSS 92.3x (1200.5 → 13.0 MB) at a 3.0% throughput cost (1.00M → 970000 rows/s) vs strategy=accumulate at batch_size=1000"), report)
        XCTAssertTrue(report.contains("phase `generate` accounts for 90.0% of RSS growth"), report)
        XCTAssertTrue(report.contains("## Runs not ok\n\nNone."))
    }

    func testCLIRefusesBadInputWithOneLineAndExit2() throws {
        let exe = RunnerTests.productsDir.appendingPathComponent("highwater").path
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: exe), "swift test builds highwater next to the tests")
        let cases: [([String], String)] = [
            (["run", "--workload", "nope"], "highwater: error: --workload: 'nope': unknown workload"),
            (["run", "--workload", "alloc", "--param", "mb=lots"], "highwater: error: --param: mb: 'lots':"),
            (["run", "--workload", "alloc", "--allocator", "tcmalloc"], "highwater: error: --allocator: 'tcmalloc':"),
            (["run", "--workload", "alloc", "--out", "/proc/highwater"], "highwater: error: --out: '/proc/highwater':"),
            (["run", "--workload", "alloc", "--repeat", "x"], "highwater: error:"),
            (["plot", dir.path], "highwater: error: \(dir.path): runs.csv:"),
        ]
        for (args, prefix) in cases {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = args
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 2, "\(args): \(text)")
            XCTAssertTrue(text.hasPrefix(prefix), "\(args): \(text)")
            XCTAssertEqual(text.split(separator: "\n").count, 1, "\(args): \(text)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/proc/highwater"))
    }
}
