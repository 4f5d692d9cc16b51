import Foundation
import RunContract

extension Plotter {
    /// Most processes drawn as their own line in a per-process plot (the largest by peak RSS; the tree's sum is
    /// always drawn).
    static let processLinesMax = 8

    /// `<w>_processes_<config_id>`: for the first recorded run of each configuration that had several processes,
    /// each process's own RSS over time (`process_series.csv`, named `command pid` from `processes.csv`) under the
    /// tree's sum (`timeseries.csv`). Nothing when no run of the workload had more than one process.
    static func processesOverTime(_ set: ResultsOnDisk, _ w: String, _ rows: [[String: String]], _ dims: [String], dataDir: URL,
                                  plotsDir: URL, gnuplot: GnuplotRunner) throws -> [URL] {
        guard let perProcess = set.processSeries, let names = set.processes, let ts = set.timeseries,
              let iRun = perProcess.index(of: RunColumn.runID), let iT = perProcess.index(of: "t_ms"), let iPid = perProcess.index(of: "pid"),
              let iRSS = perProcess.index(of: "rss_mb") else { return [] }
        var byRun: [String: [[String]]] = [:]
        for row in perProcess.rows { byRun[row[iRun], default: []].append(row) }
        var command: [String: String] = [:]
        for r in names.records { command["\(r[RunColumn.runID] ?? "") \(r["pid"] ?? "")"] = r["command"] }
        var out: [URL] = []
        for r in rows {
            guard let cfg = r[RunColumn.configID],
                  let run = set.runs.records.first(where: { $0[RunColumn.configID] == cfg && byRun[$0[RunColumn.runID] ?? ""] != nil })?[RunColumn.runID],
                  let points = byRun[run] else { continue }
            var peak: [String: Double] = [:]
            for p in points { peak[p[iPid]] = max(peak[p[iPid]] ?? 0, Double(p[iRSS]) ?? 0) }
            let shown = peak.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(processLinesMax).map(\.key)
            let name = "\(fileSafe(w))_processes_\(cfg)"
            let dataURL = dataDir.appendingPathComponent("\(name).dat")
            var data = "# tree (sum)\n"
            if let iTR = ts.index(of: RunColumn.runID), let iTT = ts.index(of: "t_ms"), let iTV = ts.index(of: "rss_mb"), let iE = ts.index(of: "event") {
                for s in ts.rows where s[iTR] == run && s[iE].isEmpty && !s[iTV].isEmpty { data += "\((Double(s[iTT]) ?? 0) / 1000) \(s[iTV])\n" }
            }
            var clauses = ["\(q(dataURL.path)) index 0 using 1:2 with lines lw 3 lc rgb \"#000000\" title \"tree (sum of RSS)\""]
            let palette = ["#0077bb", "#ee7733", "#009988", "#cc3311", "#33bbee", "#ee3377", "#aa8800", "#5566dd"]
            for (k, pid) in shown.enumerated() {
                data += "\n\n# pid \(pid)\n"
                for p in points where p[iPid] == pid { data += "\((Double(p[iT]) ?? 0) / 1000) \(p[iRSS])\n" }
                let title = "\(command["\(run) \(pid)"] ?? "?") \(pid)"
                // Dash types and point shapes differ too, so the lines stay apart without colour.
                clauses.append("\(q(dataURL.path)) index \(k + 1) using 1:2 with linespoints lw 2 pi 20 pt \(k + 4) dt \(k % 5 + 1) lc rgb \(q(palette[k % palette.count])) title \(q(title))")
            }
            try data.write(to: dataURL, atomically: true, encoding: .utf8)
            let more = peak.count > shown.count ? "; \(peak.count - shown.count) smaller processes not drawn" : ""
            let setup = ["set title \(q("\(w) \(label(r, dims)): RSS per process (\(run)\(more))"))", "set xlabel \"time since spawn (s)\"",
                         "set ylabel \"RSS (MB)\"", "set grid", "set key outside right top", "set yrange [0:*]"]
            out += try gnuplot.draw(name: name, setup: setup, plot: "plot " + clauses.joined(separator: ", \\\n     "), plotsDir: plotsDir)
        }
        return out
    }
}
