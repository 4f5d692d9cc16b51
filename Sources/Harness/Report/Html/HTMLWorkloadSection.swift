import Foundation
import RunContract

/// One workload's section of the HTML report: its table, per-phase growth, plots (metric vs each swept parameter,
/// the throughput/peak-RSS frontier, RSS over time with phases and a repeat selector) and the comparison view.
struct HTMLWorkloadSection {
    var workload: String
    var results: ResultsOnDisk
    /// Traces of this workload's runs by configuration id (empty without `timeseries.csv`).
    var traces: [String: [RunTrace]]

    var rows: [[String: String]] { results.configurations(of: workload) }
    var key: String { HTML.id(workload) }

    func html() throws -> String {
        let rows = self.rows
        let dims = ResultsOnDisk.sweptDimensions(rows, header: results.summary.header)
        let tp = ResultsOnDisk.throughputMetric(rows)
        var s = "<section class=\"workload\" id=\"w-\(key)\" aria-labelledby=\"w-\(key)-h\"><h2 id=\"w-\(key)-h\">Workload <code>\(HTML.esc(workload))</code></h2>"
        let fixed = results.summary.header.filter { $0.hasPrefix("param_") && !dims.contains($0) }.compactMap { c -> String? in
            let v = rows.first?[c] ?? ""
            return v.isEmpty ? nil : "\(ResultsOnDisk.dimensionName(c))=\(v)"
        }
        if !fixed.isEmpty { s += "<p>Fixed parameters: \(HTML.esc(fixed.joined(separator: ", "))).</p>" }
        s += summaryTable(rows, dims, tp).html()
        if let phases = phaseTable(rows, dims) { s += "<h3>RSS growth per phase</h3>" + phases.html() }
        let plots = metricPlots(rows, dims, tp)
        if !plots.isEmpty { s += "<h3>Plots</h3><div class=\"plots\">" + plots.joined() + "</div>" }
        s += RSSTimeFigures(workload: workload, rows: rows, dims: dims, traces: traces).html()
        s += try ComparisonView(rows: rows, dims: dims, header: results.summary.header).html(id: "compare-\(key)")
        return s + "</section>"
    }

    func summaryTable(_ rows: [[String: String]], _ dims: [String], _ tp: String?) -> SortableTable {
        func n(_ r: [String: String], _ c: String) -> Double? { Double(r[c] ?? "") }
        var cols = dims.map(ResultsOnDisk.dimensionName) + ["config", "ok/runs"]
        if let tp { cols += ["\(Metric.named(tp)?.unit.label ?? tp) median", "95% CI low", "95% CI high"] }
        cols += ["wall s", "peak RSS MB", "peak min", "peak max", "sampled peak MB", "baseline MB", "end MB"]
        let hasHeap = rows.contains { n($0, "heap_allocated_mb_median") != nil }
        let hasAlloc = rows.contains { n($0, "alloc_count_median") != nil }
        let hasBytes = rows.contains { (n($0, "bytes_written_median") ?? 0) > 0 }
        if hasHeap { cols.append("heap allocated MB") }
        if hasAlloc { cols += ["allocs", "alloc MB"] }
        if hasBytes { cols.append("written MB") }
        let body = rows.map { r -> [SortableTable.Cell] in
            var cells: [SortableTable.Cell] = dims.map { d in
                let v = r[d] ?? ""
                return Double(v).map { SortableTable.Cell(text: v, value: $0, numeric: true) } ?? .text(v)
            }
            cells += [.text(r[RunColumn.configID] ?? ""), SortableTable.Cell(text: "\(r["ok"] ?? "0")/\(r["runs"] ?? "0")", value: n(r, "ok"), numeric: true)]
            if let tp { cells += [.number(n(r, "\(tp)_median")), .number(n(r, "\(tp)_ci95_lo")), .number(n(r, "\(tp)_ci95_hi"))] }
            cells += ["wall_s_median", "peak_rss_mb_median", "peak_rss_mb_min", "peak_rss_mb_max", "peak_rss_sampled_mb_median",
                      "rss_baseline_mb_median", "rss_end_mb_median"].map { .number(n(r, $0), digits: $0 == "wall_s_median" ? 3 : 1) }
            if hasHeap { cells.append(.number(n(r, "heap_allocated_mb_median"))) }
            if hasAlloc { cells += [.number(n(r, "alloc_count_median"), digits: 0), .number(n(r, "alloc_bytes_median").map { $0 / 1e6 })] }
            if hasBytes { cells.append(.number(n(r, "bytes_written_median").map { $0 / 1e6 })) }
            return cells
        }
        return SortableTable(caption: "\(workload): one row per configuration, medians over the ok repeats", columns: cols, rows: body, id: "table-\(key)")
    }

    /// Median RSS change and duration per phase, or nil when the workload marks no phases.
    func phaseTable(_ rows: [[String: String]], _ dims: [String]) -> SortableTable? {
        let header = results.summary.header
        let phases = header.filter { $0.hasPrefix("phase_") && $0.hasSuffix("_rss_delta_mb_median") }
            .map { String($0.dropFirst(6).dropLast("_rss_delta_mb_median".count)) }
            .filter { p in rows.contains { Double($0["phase_\(p)_rss_delta_mb_median"] ?? "") != nil } }
        guard !phases.isEmpty else { return nil }
        let cols = (dims.isEmpty ? ["configuration"] : dims.map(ResultsOnDisk.dimensionName)) + phases.map { "\($0) ΔMB" } + phases.map { "\($0) share %" }
            + phases.map { "\($0) s" }
        let body = rows.map { r -> [SortableTable.Cell] in
            let deltas = phases.map { Double(r["phase_\($0)_rss_delta_mb_median"] ?? "") }
            let total = deltas.compactMap { $0 }.filter { $0 > 0 }.reduce(0, +)
            var cells: [SortableTable.Cell] = dims.isEmpty ? [.text(r[RunColumn.configID] ?? "")] : dims.map { .text(r[$0] ?? "") }
            cells += deltas.map { .number($0) }
            cells += deltas.map { d in .number(d.flatMap { total > 0 && $0 > 0 ? 100 * $0 / total : nil }) }
            cells += phases.map { .number(Double(r["phase_\($0)_s_median"] ?? ""), digits: 3) }
            return cells
        }
        return SortableTable(caption: "Median RSS change during each phase (MB, summed over repeated phases of one name), its share of the growth and its duration (s)",
                             columns: cols, rows: body, id: "phases-\(key)")
    }

    /// Throughput (or wall time) and peak RSS against every swept parameter, and the frontier plot.
    func metricPlots(_ rows: [[String: String]], _ dims: [String], _ tp: String?) -> [String] {
        var out: [String] = []
        let w = Plotter.fileSafe(workload)
        for d in dims where d != "allocator" {
            let name = ResultsOnDisk.dimensionName(d)
            let xLabel = Plotter.xlabelFor(d, set: results, workload: workload)
            if let tp {
                let sc = Plotter.scale(tp, rows)
                out.append(ParamLinePlot.figure(id: "\(w)_throughput_vs_\(name)", workload: workload, rows: rows, dims: dims, d: d, metric: tp,
                                                divisor: sc.divisor, yLabel: sc.label, xLabel: xLabel) ?? "")
            } else {
                out.append(ParamLinePlot.figure(id: "\(w)_wall_vs_\(name)", workload: workload, rows: rows, dims: dims, d: d, metric: Metric.wallS.name,
                                                divisor: 1, yLabel: "wall time (s)", xLabel: xLabel) ?? "")
            }
            out.append(ParamLinePlot.figure(id: "\(w)_peak_rss_vs_\(name)", workload: workload, rows: rows, dims: dims, d: d, metric: Metric.peakRSSMB.name,
                                            divisor: 1, yLabel: "peak RSS (MB)", xLabel: xLabel) ?? "")
        }
        if let tp, let f = FrontierPlot.figure(id: "\(w)_frontier", workload: workload, rows: rows, dims: dims, metric: tp) { out.append(f) }
        return out.filter { !$0.isEmpty }
    }
}
