import RunContract

/// Throughput against peak RSS, one point per configuration: the Pareto frontier (configurations no other beats on
/// both axes) joined and ringed, every point labelled where a label fits without overlap (`LabelPlacer`).
struct FrontierPlot {
    struct Point {
        var row: [String: String]
        var series: Int
        var rssMB: Double
        var throughput: Double
        var label: String
    }

    /// The figure, or nil with fewer than two measured configurations.
    static func figure(id: String, workload: String, rows: [[String: String]], dims: [String], metric: String) -> String? {
        let choice = dims.first { d in d != "allocator" && Plotter.numeric(Set(rows.map { $0[d] ?? "" }).sorted()) == nil }
            ?? (dims.contains("allocator") ? "allocator" : nil)
        let rest = dims.filter { $0 != choice }
        let scale = Plotter.scale(metric, rows)
        var groups: [String] = []
        var points: [Point] = []
        for r in rows {
            guard let x = Double(r["peak_rss_mb_median"] ?? ""), let y = Double(r["\(metric)_median"] ?? "") else { continue }
            let g = choice.map { Plotter.label(r, [$0]) } ?? workload
            if !groups.contains(g) { groups.append(g) }
            let l = Plotter.label(r, rest)
            points.append(Point(row: r, series: groups.firstIndex(of: g)!, rssMB: x, throughput: y / scale.divisor,
                                label: l.isEmpty ? g : l))
        }
        guard points.count > 1 else { return nil }
        let frontier = ParetoFrontier.indices(of: points.map { ParetoFrontier.Point(cost: $0.rssMB, benefit: $0.throughput) })
        let xs = points.map(\.rssMB)
        let logX = (xs.min() ?? 0) > 0 && (xs.max() ?? 0) / (xs.min() ?? 1) >= 20
        let title = "\(workload): throughput vs peak RSS"
        let frontierNames = frontier.map { fullLabel(points[$0], groups) }
        let frame = PlotFrame(id: id, title: title, summary: "One point per configuration: median peak RSS (MB) across, median \(scale.label) up. "
                              + "Pareto frontier (no other configuration has both lower peak RSS and higher throughput): \(frontierNames.joined(separator: "; ")).",
                              xLabel: "peak RSS (MB, wait4 ru_maxrss)", yLabel: scale.label, xs: xs, ys: points.map(\.throughput), logX: logX)
        var body = ""
        if frontier.count > 1 {
            let d = frontier.enumerated().map { i, p in (i == 0 ? "M" : "L") + HTML.px(frame.x.pixel(points[p].rssMB)) + "," + HTML.px(frame.y.pixel(points[p].throughput)) }.joined()
            body += "<path class=\"frontier\" d=\"\(d)\" fill=\"none\"><title>Pareto frontier</title></path>"
        }
        for p in frontier {
            body += "<circle class=\"frontier-ring\" cx=\"\(HTML.px(frame.x.pixel(points[p].rssMB)))\" cy=\"\(HTML.px(frame.y.pixel(points[p].throughput)))\" r=\"9\"/>"
        }
        body += labels(points, frame: frame, frontier: frontier)
        for (g, name) in groups.enumerated() {
            body += "<g class=\"series\" data-series=\"s\(g)\" data-label=\"\(HTML.esc(name))\">"
            for (i, p) in points.enumerated() where p.series == g {
                let onFrontier = frontier.contains(i)
                let tip = "\(fullLabel(p, groups)): peak RSS \(HTML.num(p.rssMB)) MB, \(AxisScale.label(p.throughput)) \(scale.label)"
                    + (onFrontier ? " (on the Pareto frontier)" : "") + "; config \(p.row[RunColumn.configID] ?? "")"
                body += SeriesStyle(index: g).marker(frame.x.pixel(p.rssMB), frame.y.pixel(p.throughput), size: 5,
                                                     attributes: "data-tip=\"\(HTML.esc(tip))\" tabindex=\"0\"", title: tip)
            }
            body += "</g>"
        }
        let legend = groups.enumerated().map { (key: "s\($0.offset)", label: $0.element, style: SeriesStyle(index: $0.offset)) }
        let note = "Ringed and joined: the Pareto frontier, \(frontier.count) of \(points.count) configurations: " + frontierNames.joined(separator: "; ")
            + ". Labels that would overlap are left out; hover a point for its values."
        return PlotFrame.figure(id: id, caption: title + " (one point per configuration, medians; frontier ringed)", legend: legend, lines: false,
                                content: frame.svg(kind: "xy", body: body), note: note)
    }

    static func fullLabel(_ p: Point, _ groups: [String]) -> String {
        let g = groups[p.series]
        return p.label == g ? g : "\(g) \(p.label)"
    }

    /// Point labels where they fit, frontier points first, with a leader line when set away from the point.
    static func labels(_ points: [Point], frame: PlotFrame, frontier: [Int]) -> String {
        let requests = points.map { p in
            LabelPlacer.Request(anchorX: frame.x.pixel(p.rssMB), anchorY: frame.y.pixel(p.throughput), width: Double(p.label.count) * 6.7 + 4, height: 13)
        }
        let placed = LabelPlacer(bounds: frame.area, markerRadius: 6).place(requests, priority: frontier)
        var s = "<g class=\"point-labels\" aria-hidden=\"true\">"
        for (i, pl) in placed.enumerated() {
            guard let pl else { continue }
            if pl.leader {
                let cx = min(max(requests[i].anchorX, pl.rect.x), pl.rect.x + pl.rect.width)
                let cy = min(max(requests[i].anchorY, pl.rect.y), pl.rect.y + pl.rect.height)
                s += "<line class=\"leader\" x1=\"\(HTML.px(requests[i].anchorX))\" y1=\"\(HTML.px(requests[i].anchorY))\" x2=\"\(HTML.px(cx))\" y2=\"\(HTML.px(cy))\"/>"
            }
            s += "<text class=\"point-label\" data-series=\"s\(points[i].series)\" x=\"\(HTML.px(pl.rect.x + 2))\" y=\"\(HTML.px(pl.rect.y + 10.5))\">\(HTML.esc(points[i].label))</text>"
        }
        return s + "</g>"
    }
}
