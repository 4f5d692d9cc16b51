import Foundation
import RunContract

/// `highwater history FILE`: per-metric trend plots of a history file, with the change points marked, and
/// `change_points.csv`, as files a CI job can publish.
public enum HistoryPlotter {
    /// A change point found in one series.
    public struct Found: Sendable {
        public var series: HistorySeries
        public var change: ChangePoints.Change
    }

    /// Writes `<out>/change_points.csv` and, when gnuplot is installed (else `plotsSkipped` says why), one plot per
    /// series with at least two points: `history_<workload>_<metric>_<n>.png/.svg`. Returns the change points and the
    /// files written.
    public static func write(history: URL, to out: URL, detector: ChangePoints = ChangePoints()) throws
        -> (changes: [Found], files: [URL], plotsSkipped: String?) {
        let all = try HistoryFile.read(history)
        try FileManager.default.createDirectory(at: out.appendingPathComponent("data"), withIntermediateDirectories: true)
        var changes: [Found] = []
        for s in all { changes += detector.detect(s.trend).map { Found(series: s, change: $0) } }
        var table = CSVTable(header: ["workload", "configuration", "metric", "index", "recorded_at", "git_rev", "before", "after", "step_pct", "score"])
        for f in changes {
            let p = f.series.points[f.change.index]
            table.rows.append([f.series.workload, f.series.configuration, f.series.metric, String(f.change.index + 1), p.recordedAt, p.gitRev,
                               formatNumber(f.change.before), formatNumber(f.change.after), formatNumber(f.change.relativeStep * 100, digits: 2),
                               formatNumber(f.change.score, digits: 2)])
        }
        let csv = out.appendingPathComponent("change_points.csv")
        try table.write(to: csv)
        var files = [csv]
        let gnuplot: GnuplotRunner
        do { gnuplot = try GnuplotRunner() } catch { return (changes, files, "\(error)") }
        for (n, s) in all.enumerated() where s.points.count >= 2 {
            files += try plot(s, number: n, changes: changes.filter { $0.series == s }.map(\.change), out: out, gnuplot: gnuplot)
        }
        return (changes, files, nil)
    }

    static func plot(_ s: HistorySeries, number: Int, changes: [ChangePoints.Change], out: URL, gnuplot: GnuplotRunner) throws -> [URL] {
        let name = Plotter.fileSafe("history_\(s.workload)_\(s.metric)_\(number)")
        let dataURL = out.appendingPathComponent("data/\(name).dat")
        // Block 0: every check (index, current median, baseline median); block 1: the regressed ones. The current
        // median is the machine-relative one when every check recorded it.
        let trend = s.trend
        var data = ""
        for (i, p) in s.points.enumerated() { data += "\(i + 1) \(trend[i]) \(p.baseline.map { String($0) } ?? "NaN")\n" }
        data += "\n\n"
        for (i, p) in s.points.enumerated() where p.verdict == "regressed" { data += "\(i + 1) \(trend[i])\n" }
        if !s.points.contains(where: { $0.verdict == "regressed" }) { data += "NaN NaN\n" }
        try data.write(to: dataURL, atomically: true, encoding: .utf8)
        let unit = Metric.named(s.metric)?.unit.label ?? ""
        var setup = ["set title \(Plotter.q("\(s.workload) \(s.configuration): \(s.metric) over \(s.points.count) checks"))",
                     "set xlabel \"check (in the order recorded)\"", "set ylabel \(Plotter.q(s.metric + (unit.isEmpty ? "" : " (\(unit))")))",
                     "set grid", "set key outside right top", "set xrange [0.5:\(Double(s.points.count) + 0.5)]"]
        for (j, c) in changes.enumerated() {
            // The step lies between check `index` and `index + 1` (1-based).
            let x = Double(c.index) + 0.5
            setup.append("set arrow \(j + 1) from \(x), graph 0 to \(x), graph 1 nohead lc rgb \"#cc3311\" lw 2 dt 2")
            setup.append("set label \(j + 1) \(Plotter.q(String(format: "step %+.1f%%", c.relativeStep * 100))) at \(x), graph 0.95 left offset 0.5,0 textcolor rgb \"#cc3311\"")
        }
        let q = Plotter.q(dataURL.path)
        let plot = "plot \(q) index 0 using 1:2 with linespoints lw 2 pt 7 lc rgb \"#0077bb\" title \(Plotter.q(s.isRelative ? "current median, relative to the machine" : "current median")), "
            + "\(q) index 0 using 1:3 with steps lw 1 dt 3 lc rgb \"#555555\" title \"baseline median\", "
            + "\(q) index 1 using 1:2 with points pt 9 ps 2 lc rgb \"#cc3311\" title \"regressed\""
        return try gnuplot.draw(name: name, setup: setup, plot: plot, plotsDir: out)
    }
}
