import XCTest
@testable import Harness

/// report.html from a hand-made results directory: sections, plots, the frontier, phase bands, escaping, embedded
/// flame graphs, and nothing that would make the browser fetch anything.
final class HTMLReportTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("hw-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // Four configurations of workload `job`: mode × n; `a<b>"c` tests escaping. Two repeats each; one run failed.
        var runs = "run_id,config_id,repeat,workload,allocator,status,error,param_mode,param_n,wall_s,rows_per_s,peak_rss_mb,peak_rss_hwm_mb,phase_load_rss_delta_mb,phase_load_s\n"
        var ts = "run_id,config_id,t_ms,rss_mb,event\n"
        let configs: [(id: String, mode: String, n: String, rows: Double, rss: Double)] = [
            ("c1", "plain", "1", 1000, 100), ("c2", "plain", "2", 800, 50), ("c3", "a<b>\"c", "1", 900, 120), ("c4", "a<b>\"c", "2", 1200, 30),
        ]
        for rep in 0..<2 {
            for c in configs {
                let run = "\(c.id)-r\(rep)"
                let failed = c.id == "c2" && rep == 1
                runs += "\(run),\(c.id),\(rep),job,system,\(failed ? "failed" : "ok"),\(failed ? "boom" : ""),\"\(c.mode.replacingOccurrences(of: "\"", with: "\"\""))\",\(c.n),1.5,"
                runs += "\(c.rows + Double(rep)),\(c.rss + Double(rep)),\(c.rss),\(c.rss / 2),0.5\n"
                ts += "\(run),\(c.id),5,,begin\n\(run),\(c.id),100,,phase:load\n\(run),\(c.id),600,,phase:work\n"
                for i in 0..<50 { ts += "\(run),\(c.id),\(10 + i * 20),\(Double(i) * c.rss / 50),\n" }
                ts += "\(run),\(c.id),990,,end\n"
            }
        }
        try Data(runs.utf8).write(to: dir.appendingPathComponent("runs.csv"))
        try Data(ts.utf8).write(to: dir.appendingPathComponent("timeseries.csv"))
        let prof = dir.appendingPathComponent("profiles/c1")
        try FileManager.default.createDirectory(at: prof, withIntermediateDirectories: true)
        try Data("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script><rect width=\"10\" height=\"10\"/></svg>".utf8)
            .write(to: prof.appendingPathComponent("heap.svg"))
        let diff = dir.appendingPathComponent("profiles/diffs/n_1_vs_2")
        try FileManager.default.createDirectory(at: diff, withIntermediateDirectories: true)
        try Data("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"10\" height=\"10\"/></svg>".utf8).write(to: diff.appendingPathComponent("cpu_diff.svg"))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func testReportHasEverySectionAndPlot() throws {
        try ReportWriter.write(directory: dir, drawPlots: false)
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        for id in ["overview", "findings", "w-job", "table-job", "phases-job", "plot-job_throughput_vs_n", "plot-job_peak_rss_vs_mode",
                   "plot-job_frontier", "plot-job_rss_time_all", "plot-job_rss_time_c1", "plot-job_rss_time_c4", "compare-job", "profiles", "failures"] {
            XCTAssertTrue(html.contains("id=\"\(id)\""), "no element #\(id)")
        }
        // Flame graphs: the configuration's label in the caption, the difference graph after it, links to the files.
        XCTAssertTrue(html.contains("<figcaption>job mode=plain n=1 (c1): memory held at the peak (heap)</figcaption>"))
        XCTAssertTrue(html.contains("<figcaption>difference n_1_vs_2: CPU time</figcaption>"))
        XCTAssertTrue(html.contains("<a href=\"profiles/diffs/n_1_vs_2/cpu_diff.svg\">"))
        // Both repeats drawn, the second hidden until chosen.
        XCTAssertTrue(html.contains("<div class=\"rep\" data-rep=\"1\" hidden>"))
        XCTAssertTrue(html.contains("<option value=\"1\">repeat 1</option>"))
        // Phase bands with their names (load from 0.1 s to 0.6 s).
        XCTAssertTrue(html.contains("data-tip=\"phase load: 0.100–0.600 s\""))
        XCTAssertTrue(html.contains(">work</text>"))
        // Frontier: c4 (30 MB, 1200 rows/s) beats every other configuration on both axes.
        XCTAssertTrue(html.contains("the Pareto frontier, 1 of 4 configurations: mode=a&lt;b&gt;&quot;c n=2."), "frontier note")
        // The failed run is listed; findings are the Markdown report's sentences.
        XCTAssertTrue(html.contains("<td>c2-r1</td>") && html.contains("<td>boom</td>"))
        let md = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
        let sentence = try XCTUnwrap(md.split(separator: "\n").first { $0.hasPrefix("- mode=") }).dropFirst(2)
        XCTAssertTrue(html.contains(HTML.esc(String(sentence))), "finding missing: \(sentence)")
    }

    func testReportLoadsNothingAndEscapesEverything() throws {
        let html = try HTMLReportWriter.render(directory: dir)
        // Outside the JSON data blocks (where only `</` matters, tested below) no value reaches the page unescaped.
        let markup = html.components(separatedBy: "<script type=\"application/json\"").enumerated()
            .map { $0.offset == 0 ? $0.element : String($0.element[($0.element.range(of: "</script>")?.upperBound ?? $0.element.endIndex)...]) }.joined()
        XCTAssertFalse(markup.contains("a<b>"), "a parameter value reached the page unescaped")
        XCTAssertTrue(html.contains("a<b>\\\"c"), "the JSON has the raw value")
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "a URL in the page")
        XCTAssertFalse(html.contains("<link") || html.contains("<script src") || html.contains("<img src=\"file") || html.contains("url("))
        // Scripts: the page's one script and the comparison data; the flame graph's own script stays inside its image.
        let scripts = html.components(separatedBy: "<script").dropFirst().map { String($0.prefix(30)) }
        XCTAssertEqual(scripts.filter { $0.hasPrefix(">") }.count, 1, "\(scripts)")
        XCTAssertEqual(scripts.filter { $0.hasPrefix(" type=\"application/json\"") }.count, 1)
        XCTAssertFalse(html.contains("alert(1)"))
        XCTAssertTrue(html.contains("src=\"data:image/svg+xml;base64,"))
        XCTAssertTrue(html.contains("Content-Security-Policy"))
        // Screen readers: every plot SVG has a title and a description.
        let svgs = html.components(separatedBy: "<svg class=\"plot-svg").count - 1
        XCTAssertGreaterThan(svgs, 6)
        XCTAssertEqual(html.components(separatedBy: "role=\"img\" aria-labelledby=").count - 1, svgs)
    }

    func testComparisonDataCannotCloseItsScriptElement() throws {
        let s = try HTML.scriptJSON(["x": "</script><script>alert(1)</script>"])
        XCTAssertFalse(s.contains("</script"))
        XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: String], ["x": "</script><script>alert(1)</script>"])
    }
}
