import Foundation
import RunContract

/// Draws the plots of a results directory with gnuplot, from its CSV files alone, into `DIR/plots/` as PNG
/// (pngcairo when available, else png) and SVG. Per workload:
/// - `<w>_throughput_vs_<param>`: median throughput vs each swept parameter, one line per combination of the other
///   swept dimensions (strategy, allocator, ...), error bars min–max over repeats;
/// - `<w>_peak_rss_vs_<param>`: median peak RSS (wait4) the same way;
/// - `<w>_frontier`: throughput vs peak RSS, one point per configuration (the trade-off frontier);
/// - `<w>_rss_time_<config_id>`: RSS over time of repeat 0 of each configuration, with phase markers; `<w>_rss_time_all`;
/// - `<w>_processes_<config_id>`: each process's RSS over time under the tree's sum, for runs of several processes;
/// - `<w>_allocators_{peak_rss,throughput}`: clustered bars per allocator, when more than one allocator ran.
public enum Plotter {
    /// Draws every plot; returns the files written. Throws when gnuplot is missing or fails.
    @discardableResult
    public static func drawAll(directory: URL) throws -> [URL] {
        let set = try ResultsOnDisk(directory: directory)
        let plotsDir = directory.appendingPathComponent("plots")
        let dataDir = plotsDir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
        let gnuplot = try GnuplotRunner()
        var out: [URL] = []
        for w in set.workloads {
            let rows = set.configurations(of: w)
            let dims = ResultsOnDisk.sweptDimensions(rows, header: set.summary.header)
            let tp = ResultsOnDisk.throughputMetric(rows)
            for d in dims where d != "allocator" {
                if let tp {
                    out += try lineVsParam(set, w, rows, dims, d, metric: tp, ylabel: scale(tp, rows).label,
                                           name: "\(w)_throughput_vs_\(ResultsOnDisk.dimensionName(d))", title: "\(w): throughput vs \(ResultsOnDisk.dimensionName(d))",
                                           dataDir: dataDir, plotsDir: plotsDir, gnuplot: gnuplot)
                } else {
                    out += try lineVsParam(set, w, rows, dims, d, metric: Metric.wallS.name, ylabel: "wall time (\(Metric.wallS.unit.label))",
                                           name: "\(w)_wall_vs_\(ResultsOnDisk.dimensionName(d))", title: "\(w): wall time vs \(ResultsOnDisk.dimensionName(d))",
                                           dataDir: dataDir, plotsDir: plotsDir, gnuplot: gnuplot)
                }
                out += try lineVsParam(set, w, rows, dims, d, metric: Metric.peakRSSMB.name, ylabel: "peak RSS (\(Metric.peakRSSMB.unit.label), wait4 ru_maxrss)",
                                       name: "\(w)_peak_rss_vs_\(ResultsOnDisk.dimensionName(d))", title: "\(w): peak RSS vs \(ResultsOnDisk.dimensionName(d))",
                                       dataDir: dataDir, plotsDir: plotsDir, gnuplot: gnuplot)
            }
            if let tp, rows.count > 1 {
                out += try frontier(w, rows, dims, metric: tp, dataDir: dataDir, plotsDir: plotsDir, gnuplot: gnuplot)
            }
            if let ts = set.timeseries {
                out += try rssOverTime(set, w, rows, dims, ts, dataDir: dataDir, plotsDir: plotsDir, gnuplot: gnuplot)
                out += try processesOverTime(set, w, rows, dims, dataDir: dataDir, plotsDir: plotsDir, gnuplot: gnuplot)
            }
            if dims.contains("allocator") {
                out += try allocatorBars(w, rows, dims, metric: Metric.peakRSSMB.name, ylabel: "peak RSS (\(Metric.peakRSSMB.unit.label))", name: "\(w)_allocators_peak_rss",
                                         dataDir: dataDir, plotsDir: plotsDir, gnuplot: gnuplot)
                if let tp {
                    out += try allocatorBars(w, rows, dims, metric: tp, ylabel: scale(tp, rows).label,
                                             name: "\(w)_allocators_throughput", dataDir: dataDir, plotsDir: plotsDir, gnuplot: gnuplot)
                }
            }
        }
        return out
    }

    /// Display scale of a metric over `rows`: rows/s in millions when large, else as is.
    static func scale(_ metric: String, _ rows: [[String: String]]) -> (divisor: Double, label: String) {
        let top = rows.compactMap { Double($0["\(metric)_median"] ?? "") }.max() ?? 0
        guard let m = Metric.named(metric) else { return (1, metric) }
        if m.unit == .rowsPerSecond && top >= 1e5 { return (1e6, "throughput (M \(m.unit.label))") }
        return (1, m.unit == .rowsPerSecond || m.unit == .megabytesPerSecond ? "throughput (\(m.unit.label))" : m.label)
    }

    static func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }

    static func fileSafe(_ s: String) -> String { String(s.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" }) }

    /// Label of a row over `dims` (`strategy=streaming jemalloc`).
    static func label(_ row: [String: String], _ dims: [String]) -> String {
        dims.map { d in d == "allocator" ? (row[d] ?? "") : "\(ResultsOnDisk.dimensionName(d))=\(row[d] ?? "")" }.joined(separator: " ")
    }

    static func numeric(_ values: [String]) -> [Double]? {
        let xs = values.compactMap(Double.init)
        return xs.count == values.count ? xs : nil
    }

    static func lineVsParam(_ set: ResultsOnDisk, _ w: String, _ rows: [[String: String]], _ dims: [String], _ d: String, metric: String, ylabel: String,
                            name: String, title: String, dataDir: URL, plotsDir: URL, gnuplot: GnuplotRunner) throws -> [URL] {
        let others = dims.filter { $0 != d }
        var xsOrder: [String] = []
        for r in rows where !xsOrder.contains(r[d] ?? "") { xsOrder.append(r[d] ?? "") }
        let nums = numeric(xsOrder)
        if let n = nums { xsOrder = zip(xsOrder, n).sorted { $0.1 < $1.1 }.map(\.0) }
        var seriesOrder: [String] = []
        var series: [String: [[String: String]]] = [:]
        for r in rows {
            let l = label(r, others)
            if series[l] == nil { seriesOrder.append(l) }
            series[l, default: []].append(r)
        }
        var data = ""
        var clauses: [String] = []
        var idx = 0
        let div = scale(metric, rows).divisor
        for l in seriesOrder {
            let pts = series[l]!.compactMap { r -> (x: String, m: Double, lo: Double, hi: Double)? in
                guard let m = Double(r["\(metric)_median"] ?? ""), let lo = Double(r["\(metric)_min"] ?? ""), let hi = Double(r["\(metric)_max"] ?? "") else { return nil }
                return (r[d] ?? "", m / div, lo / div, hi / div)
            }.sorted { xsOrder.firstIndex(of: $0.x)! < xsOrder.firstIndex(of: $1.x)! }
            guard !pts.isEmpty else { continue }
            data += "# \(l)\n"
            for p in pts {
                let xi = xsOrder.firstIndex(of: p.x)!
                let x = nums != nil ? p.x : String(xi)
                data += "\(x) \(p.m) \(p.lo) \(p.hi) \(q(p.x))\n"
            }
            data += "\n\n"
            let using = nums != nil ? "1:2:3:4" : "1:2:3:4:xtic(5)"
            clauses.append("DATA index \(idx) using \(using) with yerrorlines lw 2 pt 7 title \(q(l.isEmpty ? metric : l))")
            idx += 1
        }
        guard !clauses.isEmpty else { return [] }
        let dataURL = dataDir.appendingPathComponent("\(fileSafe(name)).dat")
        try data.write(to: dataURL, atomically: true, encoding: .utf8)
        var setup = ["set title \(q(title + " (medians; bars: min-max over repeats)"))", "set xlabel \(q(xlabelFor(d, set: set, workload: w)))", "set ylabel \(q(ylabel))",
                     "set grid", "set key outside right top", "set yrange [0:*]"]
        if let n = nums, let lo = n.min(), let hi = n.max(), lo > 0, hi / lo >= 50 {
            setup += ["set logscale x 10", "set xrange [\(lo / 1.6):\(hi * 1.6)]"]
        } else if nums == nil {
            setup.append("set xrange [-0.5:\(Double(xsOrder.count) - 0.5)]")
        } else {
            setup.append("set offsets graph 0.03, graph 0.03, graph 0.05, 0")
        }
        return try gnuplot.draw(name: fileSafe(name), setup: setup, plot: "plot " + clauses.joined(separator: ", \\\n     ")
            .replacingOccurrences(of: "DATA", with: q(dataURL.path)), plotsDir: plotsDir)
    }

    /// Axis label for a parameter: its name and unit from the workload declaration when known.
    static func xlabelFor(_ d: String, set: ResultsOnDisk, workload: String) -> String {
        let n = ResultsOnDisk.dimensionName(d)
        if let unit = WorkloadUnits.unit(workload: workload, parameter: n), !unit.isEmpty { return "\(n) (\(unit))" }
        return n
    }

    static func frontier(_ w: String, _ rows: [[String: String]], _ dims: [String], metric: String, dataDir: URL, plotsDir: URL,
                         gnuplot: GnuplotRunner) throws -> [URL] {
        // Series by the first swept non-numeric parameter (e.g. strategy), else by allocator, else one series.
        let choice = dims.first { d in d != "allocator" && numeric(Set(rows.map { $0[d] ?? "" }).sorted()) == nil } ?? (dims.contains("allocator") ? "allocator" : nil)
        let rest = dims.filter { $0 != choice }
        var order: [String] = []
        var groups: [String: [[String: String]]] = [:]
        for r in rows {
            let k = choice.map { label(r, [$0]) } ?? w
            if groups[k] == nil { order.append(k) }
            groups[k, default: []].append(r)
        }
        var data = ""
        var clauses: [String] = []
        let dataURL = dataDir.appendingPathComponent("\(fileSafe(w))_frontier.dat")
        let sc = scale(metric, rows)
        for (i, k) in order.enumerated() {
            data += "# \(k)\n"
            for r in groups[k]! {
                guard let x = Double(r["peak_rss_mb_median"] ?? ""), let y = Double(r["\(metric)_median"] ?? "") else { continue }
                data += "\(x) \(y / sc.divisor) \(q(label(r, rest)))\n"
            }
            data += "\n\n"
            clauses.append("\(q(dataURL.path)) index \(i) using 1:2 with points pt 7 ps 1.5 title \(q(k))")
            clauses.append("\(q(dataURL.path)) index \(i) using 1:2:3 with labels offset 0.8,0.6 left font \",8\" notitle")
        }
        try data.write(to: dataURL, atomically: true, encoding: .utf8)
        let xs = rows.compactMap { Double($0["peak_rss_mb_median"] ?? "") }
        var setup = ["set title \(q("\(w): throughput vs peak RSS (one point per configuration, medians)"))", "set xlabel \"peak RSS (\(Metric.peakRSSMB.unit.label))\"",
                     "set ylabel \(q(sc.label))", "set grid", "set key outside right top",
                     "set yrange [0:*]", "set offsets graph 0.05, graph 0.25, graph 0.1, 0"]
        if let lo = xs.min(), let hi = xs.max(), lo > 0, hi / lo >= 20 { setup.append("set logscale x 10") }
        return try gnuplot.draw(name: "\(fileSafe(w))_frontier", setup: setup, plot: "plot " + clauses.joined(separator: ", \\\n     "), plotsDir: plotsDir)
    }

    static func rssOverTime(_ set: ResultsOnDisk, _ w: String, _ rows: [[String: String]], _ dims: [String], _ ts: CSVTable, dataDir: URL,
                            plotsDir: URL, gnuplot: GnuplotRunner) throws -> [URL] {
        guard let iRun = ts.index(of: RunColumn.runID), let iT = ts.index(of: "t_ms"), let iR = ts.index(of: "rss_mb"), let iE = ts.index(of: "event"),
              let iCfg = ts.index(of: RunColumn.configID) else { return [] }
        let ids = Set(rows.compactMap { $0[RunColumn.configID] })
        // First recorded run (lowest repeat) of each configuration of this workload.
        var firstRun: [String: String] = [:]
        var byRun: [String: [[String]]] = [:]
        for row in ts.rows where ids.contains(row[iCfg]) {
            if firstRun[row[iCfg]] == nil { firstRun[row[iCfg]] = row[iRun] }
            if firstRun[row[iCfg]] == row[iRun] { byRun[row[iRun], default: []].append(row) }
        }
        var out: [URL] = []
        var allData = ""
        var allClauses: [String] = []
        let allURL = dataDir.appendingPathComponent("\(fileSafe(w))_rss_time_all.dat")
        var idx = 0
        for r in rows {
            guard let cfg = r[RunColumn.configID], let run = firstRun[cfg], let pts = byRun[run] else { continue }
            let samples = pts.filter { $0[iE].isEmpty && !$0[iR].isEmpty }
            guard !samples.isEmpty else { continue }
            var data = ""
            for s in samples { data += "\(Double(s[iT])! / 1000) \(s[iR])\n" }
            let name = "\(fileSafe(w))_rss_time_\(cfg)"
            let dataURL = dataDir.appendingPathComponent("\(name).dat")
            try data.write(to: dataURL, atomically: true, encoding: .utf8)
            allData += "# \(label(r, dims))\n" + data + "\n\n"
            let palette = ["#0077bb", "#ee7733", "#009988", "#cc3311", "#33bbee", "#ee3377", "#555555", "#aa8800", "#5566dd", "#66aa00", "#aa44aa", "#000000"]
            allClauses.append("\(q(allURL.path)) index \(idx) using 1:2 with lines lw 2 lc rgb \(q(palette[idx % palette.count])) dt \(idx / palette.count + 1) title \(q(label(r, dims)))")
            idx += 1
            // Phase markers: a dashed line at each phase start, labelled at the first occurrence of each name.
            var setup = ["set title \(q("\(w) \(label(r, dims)): RSS over time (\(run))"))", "set xlabel \"time since spawn (s)\"",
                         "set ylabel \"RSS (MB)\"", "set grid", "set key outside right top", "set yrange [0:*]"]
            var labelled = Set<String>()
            var marks = pts.filter { $0[iE].hasPrefix("phase:") || $0[iE] == "begin" || $0[iE] == "end" }
            if marks.count > 30 {
                // Many repeated phases (one per batch): mark the first occurrence of each name only.
                var seen = Set<String>()
                marks = marks.filter { seen.insert($0[iE]).inserted }
                setup[0] = "set title \(q("\(w) \(label(r, dims)): RSS over time (\(run); repeated phases: first occurrence marked)"))"
            }
            var labelSlot = 0
            for (j, m) in marks.enumerated() {
                let t = Double(m[iT])! / 1000
                let ev = m[iE].hasPrefix("phase:") ? String(m[iE].dropFirst(6)) : m[iE]
                let color = ev == "begin" || ev == "end" ? "#999999" : "#cc3311"
                setup.append("set arrow \(j + 1) from \(t), graph 0 to \(t), graph 1 nohead lc rgb \(q(color)) dt 2")
                if !labelled.contains(ev) {
                    labelled.insert(ev)
                    // Phase names hang from the top; begin/end of the measured region stand at the bottom.
                    // Successive phase labels are staggered downwards so close phases stay readable.
                    let y = 0.98 - 0.17 * Double(labelSlot % 3)
                    if !(ev == "begin" || ev == "end") { labelSlot += 1 }
                    let at = ev == "begin" || ev == "end" ? "graph 0.02 rotate by 90 left offset -0.6,0" : "graph \(y) rotate by 90 right offset -0.6,0"
                    setup.append("set label \(q(ev)) at \(t), \(at) font \",8\" textcolor rgb \(q(color))")
                }
            }
            out += try gnuplot.draw(name: name, setup: setup, plot: "plot \(q(dataURL.path)) using 1:2 with lines lw 2 lc rgb \"#0077bb\" title \"RSS (sampled)\"",
                                    plotsDir: plotsDir)
        }
        if !allClauses.isEmpty {
            try allData.write(to: allURL, atomically: true, encoding: .utf8)
            let setup = ["set title \(q("\(w): RSS over time, every configuration (first repeat)"))", "set xlabel \"time since spawn (s)\"",
                         "set ylabel \"RSS (MB)\"", "set grid", "set key outside right top", "set yrange [0:*]"]
            out += try gnuplot.draw(name: "\(fileSafe(w))_rss_time_all", setup: setup, plot: "plot " + allClauses.joined(separator: ", \\\n     "), plotsDir: plotsDir)
        }
        return out
    }

    static func allocatorBars(_ w: String, _ rows: [[String: String]], _ dims: [String], metric: String, ylabel: String, name: String,
                              dataDir: URL, plotsDir: URL, gnuplot: GnuplotRunner) throws -> [URL] {
        let others = dims.filter { $0 != "allocator" }
        var allocs: [String] = []
        var groups: [String] = []
        let div = scale(metric, rows).divisor
        var cell: [String: String] = [:]
        for r in rows {
            let a = r[RunColumn.allocator] ?? ""
            let g = others.isEmpty ? w : label(r, others)
            if !allocs.contains(a) { allocs.append(a) }
            if !groups.contains(g) { groups.append(g) }
            cell["\(g)|\(a)"] = Double(r["\(metric)_median"] ?? "").map { String($0 / div) } ?? ""
        }
        var data = "# group " + allocs.joined(separator: " ") + "\n"
        for g in groups {
            data += q(g) + " " + allocs.map { a in let v = cell["\(g)|\(a)"] ?? ""; return v.isEmpty ? "-" : v }.joined(separator: " ") + "\n"
        }
        let dataURL = dataDir.appendingPathComponent("\(fileSafe(name)).dat")
        try data.write(to: dataURL, atomically: true, encoding: .utf8)
        let setup = ["set title \(q("\(w): \(ylabel) by allocator (medians)"))", "set ylabel \(q(ylabel))", "set style data histogram",
                     "set style histogram clustered gap 1", "set style fill solid 0.8 border -1", "set boxwidth 0.9", "set grid ytics",
                     "set key outside right top", "set xtics rotate by -30 left font \",9\"", "set yrange [0:*]", "set datafile missing \"-\"",
                     "set bmargin 8"]
        let clauses = allocs.enumerated().map { i, a in
            "\(q(dataURL.path)) using \(i + 2):xtic(1) title \(q(a))"
        }
        return try gnuplot.draw(name: fileSafe(name), setup: setup, plot: "plot " + clauses.joined(separator: ", "), plotsDir: plotsDir)
    }
}
