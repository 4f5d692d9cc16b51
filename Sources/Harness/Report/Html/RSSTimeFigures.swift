import RunContract

/// A workload's RSS-over-time plots: every configuration on one plot (with the phases of one chosen configuration
/// shaded) and one plot per configuration with its phases, each drawn for every repeat; a repeat selector shows one.
struct RSSTimeFigures {
    var workload: String
    var rows: [[String: String]]
    var dims: [String]
    var traces: [String: [RunTrace]]

    /// Most configurations that get a plot of their own (the all-configurations plot has them all). Default 24.
    static let maxSinglePlots = 24

    func html() -> String {
        let configs = rows.compactMap { r -> (id: String, label: String)? in
            guard let id = r[RunColumn.configID], traces[id]?.contains(where: { !$0.samples.isEmpty }) == true else { return nil }
            let l = Plotter.label(r, dims)
            return (id, l.isEmpty ? id : l)
        }
        guard !configs.isEmpty else { return "" }
        let repeats = Array(Set(configs.flatMap { c in traces[c.id]!.map(\.repeatIndex) })).sorted()
        var phaseIndex: [String: Int] = [:]
        for c in configs {
            for t in traces[c.id]! { for b in t.phaseBands() where phaseIndex[b.name] == nil { phaseIndex[b.name] = phaseIndex.count } }
        }
        let w = Plotter.fileSafe(workload)
        var s = "<section class=\"rss-time\" id=\"rss-time-\(w)\" aria-labelledby=\"rss-time-\(w)-h\"><h3 id=\"rss-time-\(w)-h\">RSS over time</h3>"
        s += "<div class=\"controls\"><label>Repeat shown <select class=\"repeat-select\">"
        s += repeats.map { "<option value=\"\($0)\"\($0 == repeats[0] ? " selected" : "")>repeat \($0)</option>" }.joined()
        s += "</select></label><span class=\"note\">Shaded: phases (hover for name and times). Sampled RSS of the whole process tree; "
        s += "the marker is each line's sampled peak.</span></div><div class=\"plots\">"
        let lines = configs.enumerated().map { i, c in (key: "c\(i)", label: c.label, id: c.id, style: SeriesStyle(index: i)) }
        s += figure(id: "\(w)_rss_time_all", caption: "\(workload): RSS over time, every configuration", lines: lines, repeats: repeats,
                    phaseIndex: phaseIndex, bandsSelector: true)
        for l in lines.prefix(Self.maxSinglePlots) {
            let phased = traces[l.id]!.contains { !$0.phaseBands().isEmpty }
            s += figure(id: "\(w)_rss_time_\(Plotter.fileSafe(l.id))", caption: "\(workload) \(l.label): RSS over time\(phased ? " with phases" : "")", lines: [l],
                        repeats: repeats, phaseIndex: phaseIndex, bandsSelector: false)
        }
        s += "</div>"
        if lines.count > Self.maxSinglePlots {
            s += "<p class=\"note\">\(lines.count - Self.maxSinglePlots) configurations have no plot of their own here; all are on the first plot.</p>"
        }
        return s + "</section>"
    }

    func figure(id: String, caption: String, lines: [(key: String, label: String, id: String, style: SeriesStyle)], repeats: [Int],
                phaseIndex: [String: Int], bandsSelector: Bool) -> String {
        // One scale over every repeat so that switching repeats keeps the axes.
        let all = lines.flatMap { l in traces[l.id]!.flatMap { $0.samples } }
        var content = ""
        for r in repeats {
            let plotLines = lines.compactMap { l -> TimeSeriesPlot.Line? in
                guard let t = traces[l.id]!.first(where: { $0.repeatIndex == r }) else { return nil }
                return TimeSeriesPlot.Line(key: l.key, label: l.label, style: l.style, points: t.samples, bands: t.phaseBands())
            }
            let runs = lines.compactMap { l in traces[l.id]!.first { $0.repeatIndex == r }?.runID }
            let frame = PlotFrame(id: "\(id)-r\(r)", title: "\(caption), repeat \(r)",
                                  summary: "RSS in MB against seconds since spawn for \(plotLines.map(\.label).joined(separator: "; ")) (runs \(runs.joined(separator: ", "))); "
                                  + "shaded bands are the workload's phases" + (bandsSelector ? " of the configuration chosen under the legend." : "."),
                                  xLabel: "time since spawn (s)", yLabel: "RSS (MB)", xs: all.map(\.t), ys: all.map(\.v))
            content += "<div class=\"rep\" data-rep=\"\(r)\"\(r == repeats[0] ? "" : " hidden")>"
            content += TimeSeriesPlot.svg(frame: frame, lines: plotLines, bandsFor: plotLines.first?.key, phaseIndex: phaseIndex) + "</div>"
        }
        var controls = ""
        if bandsSelector && lines.count > 1 {
            controls = "<label>phases of <select class=\"bands-select\">"
                + lines.enumerated().map { "<option value=\"\($0.element.key)\"\($0.offset == 0 ? " selected" : "")>\(HTML.esc($0.element.label))</option>" }.joined()
                + "</select></label>"
        }
        let coalesced = lines.contains { l in traces[l.id]!.contains { $0.phaseBands().contains { $0.dominant } } }
        let note = coalesced ? "Many short phases (one per batch): each band is the phase that took most of a 1/40 of the run." : ""
        return PlotFrame.figure(id: id, caption: caption, legend: lines.count > 1 ? lines.map { ($0.key, $0.label, $0.style) } : [],
                                controls: controls, content: content, note: note, wide: bandsSelector && lines.count > 3)
    }
}
