import RunContract

/// A metric's median against one swept parameter, one line per combination of the other swept dimensions, with
/// min–max bars over the repeats. Every marker carries its exact values for hover and screen readers.
struct ParamLinePlot {
    /// The figure for `metric` against dimension `d` of `rows` (summary rows of one workload), or nil when no line
    /// would have two points. Configurations whose other dimensions match no other configuration's (a single point:
    /// `d` changes only together with other parameters) are left out, and lines are named by the dimensions that
    /// differ between them.
    static func figure(id: String, workload: String, rows allRows: [[String: String]], dims: [String], d: String, metric: String,
                       divisor: Double, yLabel: String, xLabel: String) -> String? {
        let measured = allRows.filter { Double($0["\(metric)_median"] ?? "") != nil }
        var size: [String: Int] = [:]
        for r in measured { size[Plotter.label(r, dims.filter { $0 != d }), default: 0] += 1 }
        let rows = measured.filter { (size[Plotter.label($0, dims.filter { $0 != d })] ?? 0) > 1 }
        guard !rows.isEmpty else { return nil }
        let left = measured.count - rows.count
        let others = dims.filter { o in o != d && Set(rows.map { $0[o] ?? "" }).count > 1 }
        var xsOrder: [String] = []
        for r in rows where !xsOrder.contains(r[d] ?? "") { xsOrder.append(r[d] ?? "") }
        let nums = Plotter.numeric(xsOrder)
        if let n = nums { xsOrder = zip(xsOrder, n).sorted { $0.1 < $1.1 }.map(\.0) }
        var order: [String] = []
        var series: [String: [(x: Double, xText: String, m: Double, lo: Double, hi: Double, row: [String: String])]] = [:]
        for r in rows {
            guard let m = Double(r["\(metric)_median"] ?? ""), let xi = xsOrder.firstIndex(of: r[d] ?? "") else { continue }
            let lo = Double(r["\(metric)_min"] ?? "") ?? m, hi = Double(r["\(metric)_max"] ?? "") ?? m
            let l = Plotter.label(r, others)
            if series[l] == nil { order.append(l) }
            let x = nums.map { _ in Double(r[d] ?? "") ?? 0 } ?? Double(xi)
            series[l, default: []].append((x, r[d] ?? "", m / divisor, lo / divisor, hi / divisor, r))
        }
        let all = series.values.flatMap { $0 }
        let logX = nums.map { n in (n.min() ?? 0) > 0 && (n.max() ?? 0) / (n.min() ?? 1) >= 50 } ?? false
        let name = ResultsOnDisk.dimensionName(d)
        let title = "\(workload): \(yLabel) vs \(name)"
        let frame = PlotFrame(id: id, title: title, summary: "Median \(yLabel) of each configuration against \(name), one line per "
                              + "\(others.isEmpty ? "workload" : others.map(ResultsOnDisk.dimensionName).joined(separator: " and ")); bars span min to max over the repeats.",
                              xLabel: xLabel, yLabel: yLabel, xs: all.map(\.x), ys: all.map(\.hi) + all.map(\.lo), logX: logX,
                              xCategories: nums == nil ? xsOrder : nil)
        var body = ""
        var legend: [(key: String, label: String, style: SeriesStyle)] = []
        for (i, l) in order.enumerated() {
            let style = SeriesStyle(index: i)
            let key = "s\(i)"
            let label = l.isEmpty ? workload : l
            legend.append((key, label, style))
            let pts = series[l]!.sorted { $0.x < $1.x }
            body += "<g class=\"series\" data-series=\"\(key)\">"
            let d = pts.enumerated().map { j, p in (j == 0 ? "M" : "L") + HTML.px(frame.x.pixel(p.x)) + "," + HTML.px(frame.y.pixel(p.m)) }.joined()
            body += "<path class=\"line\" d=\"\(d)\" fill=\"none\" stroke=\"\(style.color)\" stroke-width=\"2\"\(style.dash.isEmpty ? "" : " stroke-dasharray=\"\(style.dash)\"")/>"
            for p in pts {
                let px = frame.x.pixel(p.x)
                body += "<line class=\"err\" x1=\"\(HTML.px(px))\" x2=\"\(HTML.px(px))\" y1=\"\(HTML.px(frame.y.pixel(p.lo)))\" y2=\"\(HTML.px(frame.y.pixel(p.hi)))\" stroke=\"\(style.color)\"/>"
                let tip = "\(label), \(name)=\(p.xText): \(AxisScale.label(p.m)) (min \(AxisScale.label(p.lo)), max \(AxisScale.label(p.hi))) \(yLabel); config \(p.row[RunColumn.configID] ?? "")"
                body += style.marker(px, frame.y.pixel(p.m), attributes: "data-tip=\"\(HTML.esc(tip))\" tabindex=\"0\"", title: tip)
            }
            body += "</g>"
        }
        let note = left == 0 ? "" : "\(left) configuration\(left == 1 ? "" : "s") with no other value of \(name) at the same other settings left out (in the table and the frontier plot)."
        return PlotFrame.figure(id: id, caption: title + " (medians; bars: min–max over repeats)", legend: legend,
                                content: frame.svg(kind: "xy", body: body), note: note)
    }
}
