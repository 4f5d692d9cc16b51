/// RSS over time: one line per run shown, phases as shaded, named bands behind the lines. Hover shows the nearest
/// sample of every visible line (the script inverts the axes from `data-xmap`/`data-ymap`).
struct TimeSeriesPlot {
    /// One line: a configuration's run, with its phases.
    struct Line {
        var key: String
        var label: String
        var style: SeriesStyle
        var points: [(t: Double, v: Double)]
        var bands: [PhaseBand]
    }

    static let bandColors = ["#dbe9f6", "#fde4cf", "#d5efe9", "#f6d6d0", "#e8e8e8", "#f3dbe6", "#efe6c8", "#dde0f5"]
    /// Samples kept per line for drawing (min and max of each of this many buckets; the peak always stays).
    static let buckets = 200

    /// The SVG; `bandsFor` is the key of the line whose phases are drawn (others' bands are present but hidden,
    /// shown by the "phases of" selector), `phaseIndex` gives each phase name its shade.
    static func svg(frame: PlotFrame, lines: [Line], bandsFor: String?, phaseIndex: [String: Int]) -> String {
        var body = ""
        for line in lines where !line.bands.isEmpty {
            let shown = line.key == bandsFor
            body += "<g class=\"bands\" data-bands-of=\"\(HTML.esc(line.key))\"\(shown ? "" : " display=\"none\"")>"
            body += bands(line.bands, frame: frame, phaseIndex: phaseIndex)
            body += "</g>"
        }
        for line in lines {
            let pts = Decimation.minMax(line.points, buckets: buckets)
            guard !pts.isEmpty else { continue }
            let d = pts.enumerated().map { i, p in (i == 0 ? "M" : "L") + HTML.px(frame.x.pixel(p.t)) + "," + HTML.px(frame.y.pixel(p.v)) }.joined()
            let peak = pts.max { $0.v < $1.v }!
            body += "<g class=\"series\" data-series=\"\(HTML.esc(line.key))\" data-label=\"\(HTML.esc(line.label))\">"
            body += "<path class=\"line\" d=\"\(d)\" fill=\"none\" stroke=\"\(line.style.color)\" stroke-width=\"2\""
            body += line.style.dash.isEmpty ? "" : " stroke-dasharray=\"\(line.style.dash)\""
            body += "><title>\(HTML.esc(line.label)): RSS over time, peak \(HTML.num(peak.v)) MB at \(HTML.num(peak.t, 2)) s</title></path>"
            // The sampled peak, marked with the series' marker (tells series apart without colour).
            let tip = "\(line.label): sampled peak \(HTML.num(peak.v)) MB at \(HTML.num(peak.t, 2)) s"
            body += line.style.marker(frame.x.pixel(peak.t), frame.y.pixel(peak.v), attributes: "data-tip=\"\(HTML.esc(tip))\"")
            body += "</g>"
        }
        body += "<line class=\"guide\" x1=\"0\" x2=\"0\" y1=\"\(HTML.px(PlotFrame.plotTop))\" y2=\"\(HTML.px(PlotFrame.plotBottom))\" display=\"none\"/>"
        return frame.svg(kind: "ts", body: body)
    }

    /// Shaded rectangles with the phase names on top (rotated when narrow, left out when too narrow: hover still
    /// names it). For screen readers the per-phase table carries the same facts.
    static func bands(_ bands: [PhaseBand], frame: PlotFrame, phaseIndex: [String: Int]) -> String {
        var s = ""
        let top = PlotFrame.plotTop, height = PlotFrame.plotBottom - PlotFrame.plotTop
        // Right edge of the last label drawn: a name is written again only clear of the one before.
        var lastLabelEnd = -Double.infinity
        var lastName = ""
        for b in bands {
            let x0 = max(PlotFrame.plotLeft, frame.x.pixel(b.startS)), x1 = min(PlotFrame.plotRight, frame.x.pixel(b.endS))
            guard x1 > x0 else { continue }
            let color = bandColors[(phaseIndex[b.name] ?? 0) % bandColors.count]
            let what = b.dominant ? "mostly phase \(b.name)" : "phase \(b.name)"
            let tip = "\(what): \(HTML.num(b.startS, 3))–\(HTML.num(b.endS, 3)) s"
            s += "<rect class=\"band\" x=\"\(HTML.px(x0))\" y=\"\(HTML.px(top))\" width=\"\(HTML.px(max(0.8, x1 - x0)))\" height=\"\(HTML.px(height))\" "
            s += "fill=\"\(color)\" data-tip=\"\(HTML.esc(tip))\"/>"
            let textWidth = Double(b.name.count) * 7 + 6
            let clear = x0 >= lastLabelEnd + (b.name == lastName ? 80 : 2)
            if x1 - x0 >= textWidth && clear {
                s += "<text class=\"band-label\" x=\"\(HTML.px(x0 + 3))\" y=\"\(HTML.px(top + 13))\">\(HTML.esc(b.name))</text>"
                (lastLabelEnd, lastName) = (x0 + textWidth, b.name)
            } else if x1 - x0 >= 13 && clear {
                s += "<text class=\"band-label\" transform=\"translate(\(HTML.px(x0 + 10)) \(HTML.px(top + 4))) rotate(90)\">\(HTML.esc(b.name))</text>"
                (lastLabelEnd, lastName) = (x0 + 13, b.name)
            }
        }
        return s
    }
}
