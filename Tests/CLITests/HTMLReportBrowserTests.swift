import Foundation
import XCTest

/// report.html of a small run, opened in headless Chromium by scripts/browser-check.py: no console error, no request,
/// every expected section and plot rendered, sorting and series toggles working; and the same check failing when a
/// plot is missing, a script throws or the page reaches for the network. Skips (with the reason) when Chromium is
/// absent: `make test` installs it (scripts/install-deps.sh --test).
final class HTMLReportBrowserTests: XCTestCase {
    static let script = CLI.repositoryRoot.appendingPathComponent("scripts/browser-check.py").path
    /// Where the screenshot of the small run's report is kept for a look (under .build, not committed).
    static let screenshot = CLI.repositoryRoot.appendingPathComponent(".build/browser-check/report-screenshot.png")

    static func chromium() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let p = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: p) { return p }
            }
        }
        return nil
    }

    func check(_ report: URL, _ extra: [String], in dir: URL) throws -> CLI.Result {
        try CLI.run(["python3", Self.script, report.path] + extra, in: dir, executable: "/usr/bin/env")
    }

    func testReportRendersInHeadlessChromiumAndTheCheckCatchesBreakage() throws {
        guard Self.chromium() != nil else {
            print("HTMLReportBrowserTests: skipped: no chromium on PATH (scripts/install-deps.sh --test installs it)")
            throw XCTSkip("no chromium on PATH (scripts/install-deps.sh --test installs it)")
        }
        let dir = try CLI.scratch(self)
        let out = dir.appendingPathComponent("r")
        let run = try CLI.run(["run", "--workload", "write", "--param", "strategy=accumulate,streaming", "--param", "batch_size=1000,10000",
                               "--param", "rows=100000", "--repeat", "2", "--out", out.path, "--no-plots", "--plain"], in: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        // A flame graph where the profiling work will put them (DIR/profiles/<config>/heap.svg), with a script of its own
        // as flamegraph.pl writes: the report embeds it as an image, where that script cannot run.
        let configs = try CLI.csv(out.appendingPathComponent("summary.csv")).compactMap { $0["config_id"] }
        XCTAssertEqual(configs.count, 4)
        let profile = out.appendingPathComponent("profiles/\(configs[0])")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        try Data(("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"60\"><script>throw new Error('flame graph script')</script>"
            + "<rect x=\"0\" y=\"20\" width=\"400\" height=\"18\" fill=\"#e0703a\"/><text x=\"4\" y=\"33\">main</text></svg>").utf8)
            .write(to: profile.appendingPathComponent("heap.svg"))
        let rep = try CLI.run(["report", out.path, "--no-plots"], in: dir)
        XCTAssertEqual(rep.status, 0, rep.stderr)
        let report = out.appendingPathComponent("report.html")
        var expect = ["overview", "findings", "w-write", "sampler-overhead", "environment", "sweep", "compare-write", "profiles"].flatMap { ["--expect-section", $0] }
        let plots = ["write_throughput_vs_strategy", "write_peak_rss_vs_strategy", "write_throughput_vs_batch_size", "write_peak_rss_vs_batch_size",
                     "write_frontier", "write_rss_time_all"] + configs.map { "write_rss_time_\($0)" }
        expect += plots.flatMap { ["--expect-plot", $0] }
        try FileManager.default.createDirectory(at: Self.screenshot.deletingLastPathComponent(), withIntermediateDirectories: true)
        let good = try check(report, expect + ["--screenshot", Self.screenshot.path], in: dir)
        print(good.stdout + good.stderr)
        XCTAssertEqual(good.status, 0, good.stdout + good.stderr)
        XCTAssertTrue(good.stdout.contains("browser-check: PASS"), good.stdout)
        let png = try Data(contentsOf: Self.screenshot)
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "the screenshot is a PNG")
        XCTAssertGreaterThan(png.count, 20_000, "the screenshot shows a page, not a blank")

        // compare --format html: the verdict page with the same look, checked the same way (a result set against itself: PASS).
        let cmp = try CLI.run(["compare", out.path, out.path, "--format", "html"], in: dir)
        XCTAssertEqual(cmp.status, 0, cmp.stderr)
        let cmpURL = dir.appendingPathComponent("compare.html")
        try Data(cmp.stdout.utf8).write(to: cmpURL)
        XCTAssertTrue(cmp.stdout.contains("Highwater compare: PASS"), String(cmp.stdout.prefix(500)))
        let cmpCheck = try check(cmpURL, ["--expect-section", "verdict", "--expect-section", "metrics"], in: dir)
        print(cmpCheck.stdout)
        XCTAssertEqual(cmpCheck.status, 0, cmpCheck.stdout + cmpCheck.stderr)

        let html = try String(contentsOf: report, encoding: .utf8)
        // A plot missing: the frontier figure cut out of the page.
        let start = try XCTUnwrap(html.range(of: "<figure class=\"plot\" id=\"plot-write_frontier\""))
        let end = try XCTUnwrap(html.range(of: "</figure>", range: start.upperBound..<html.endIndex))
        try expectFailure(html.replacingCharacters(in: start.lowerBound..<end.upperBound, with: ""), "no-plot", expect,
                          "missing plot: write_frontier", in: dir)
        // A script that throws.
        let script = "<script>(function () {"
        XCTAssertTrue(html.contains(script))
        try expectFailure(html.replacingOccurrences(of: script, with: script + " throw new Error('deliberate test failure');"), "throws", expect,
                          "script error: Error: deliberate test failure", in: dir)
        // A request for anything at all (the page's Content-Security-Policy blocks it; the check sees the attempt).
        try expectFailure(html.replacingOccurrences(of: "<main>", with: "<main><img alt=\"\" src=\"https://example.invalid/x.png\">"), "request", expect,
                          "request: https://example.invalid/x.png", in: dir)
    }

    func expectFailure(_ page: String, _ name: String, _ expect: [String], _ message: String, in dir: URL) throws {
        let url = dir.appendingPathComponent("broken-\(name).html")
        try Data(page.utf8).write(to: url)
        let r = try check(url, expect, in: dir)
        print(r.stdout)
        XCTAssertEqual(r.status, 1, "\(name): the check must fail: \(r.stdout)\(r.stderr)")
        XCTAssertTrue(r.stdout.contains(message), "\(name): expected \"\(message)\" in: \(r.stdout)")
    }
}
