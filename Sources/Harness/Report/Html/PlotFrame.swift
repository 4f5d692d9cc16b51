/// The frame of one SVG plot: size, margins, the two axes with grid, ticks and titles, and the `<figure>` around it
/// with its legend of toggle buttons. Plots draw their series inside it.
struct PlotFrame {
    /// Element id of the figure (`plot-<id>`), also the key the browser test looks for.
    var id: String
    var title: String
    /// Screen-reader description of what the plot shows.
    var summary: String
    var xLabel: String
    var yLabel: String
    var x: AxisScale
    var y: AxisScale
    /// Category names of a categorical x axis (values 0, 1, ...), nil for a numeric one.
    var xCategories: [String]? = nil

    static let width = 760.0, height = 340.0
    static let left = 70.0, right = 18.0, top = 14.0, bottom = 50.0
    static var plotLeft: Double { left }
    static var plotRight: Double { width - right }
    static var plotTop: Double { top }
    static var plotBottom: Double { height - bottom }

    /// A frame over `xs` and `ys`; y starts at zero.
    init(id: String, title: String, summary: String, xLabel: String, yLabel: String, xs: [Double], ys: [Double], logX: Bool = false,
         xCategories: [String]? = nil) {
        self.id = id
        self.title = title
        self.summary = summary
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xCategories = xCategories
        let xPad = xCategories == nil ? 0.04 : 0.0
        var xv = xs
        if let c = xCategories { xv = [-0.5, Double(c.count) - 0.5] }
        x = AxisScale(values: xv, pixelLo: Self.plotLeft, pixelHi: Self.plotRight, log: logX, padFraction: xPad)
        y = AxisScale(values: ys, pixelLo: Self.plotBottom, pixelHi: Self.plotTop, fromZero: true, padFraction: 0.08)
    }

    /// The plot area's rectangle, px.
    var area: LabelPlacer.Rect {
        LabelPlacer.Rect(x: Self.plotLeft, y: Self.plotTop, width: Self.plotRight - Self.plotLeft, height: Self.plotBottom - Self.plotTop)
    }

    /// Grid, ticks, tick labels and axis titles.
    func axes() -> String {
        var s = "<g class=\"axes\" aria-hidden=\"true\">"
        let l = HTML.px(Self.plotLeft), r = HTML.px(Self.plotRight), t = HTML.px(Self.plotTop), b = HTML.px(Self.plotBottom)
        for v in y.ticks() {
            let py = HTML.px(y.pixel(v))
            s += "<line class=\"grid\" x1=\"\(l)\" x2=\"\(r)\" y1=\"\(py)\" y2=\"\(py)\"/>"
            s += "<text class=\"tick\" x=\"\(HTML.px(Self.plotLeft - 6))\" y=\"\(py)\" text-anchor=\"end\" dy=\"0.32em\">\(AxisScale.label(v))</text>"
        }
        let xticks: [(Double, String)] = xCategories.map { c in c.enumerated().map { (Double($0.offset), $0.element) } }
            ?? x.ticks(count: 7).map { ($0, AxisScale.label($0)) }
        for (v, text) in xticks {
            let px = HTML.px(x.pixel(v))
            s += "<line class=\"grid\" x1=\"\(px)\" x2=\"\(px)\" y1=\"\(t)\" y2=\"\(b)\"/>"
            s += "<text class=\"tick\" x=\"\(px)\" y=\"\(HTML.px(Self.plotBottom + 16))\" text-anchor=\"middle\">\(HTML.esc(text))</text>"
        }
        s += "<rect class=\"frame\" x=\"\(l)\" y=\"\(t)\" width=\"\(HTML.px(Self.plotRight - Self.plotLeft))\" height=\"\(HTML.px(Self.plotBottom - Self.plotTop))\"/>"
        s += "<text class=\"axis-title\" x=\"\(HTML.px((Self.plotLeft + Self.plotRight) / 2))\" y=\"\(HTML.px(Self.height - 10))\" text-anchor=\"middle\">\(HTML.esc(xLabel))</text>"
        s += "<text class=\"axis-title\" transform=\"translate(16 \(HTML.px((Self.plotTop + Self.plotBottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(HTML.esc(yLabel))</text>"
        return s + "</g>"
    }

    /// The `<svg>` element: title and description for screen readers, the axes, then `body`. `kind` is a class
    /// the script keys on (`ts` for time series: hover finds the nearest sample).
    func svg(kind: String, body: String) -> String {
        let xmap = "\(HTML.px(x.pixelLo)) \(HTML.px(x.pixelHi)) \(x.lo) \(x.hi) \(x.log ? 1 : 0)"
        let ymap = "\(HTML.px(y.pixelLo)) \(HTML.px(y.pixelHi)) \(y.lo) \(y.hi) 0"
        var s = "<svg class=\"plot-svg \(kind)\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" "
        s += "aria-labelledby=\"\(id)-t \(id)-d\" data-xmap=\"\(xmap)\" data-ymap=\"\(ymap)\" data-xlabel=\"\(HTML.esc(xLabel))\" data-ylabel=\"\(HTML.esc(yLabel))\">"
        s += "<title id=\"\(id)-t\">\(HTML.esc(title))</title><desc id=\"\(id)-d\">\(HTML.esc(summary))</desc>"
        return s + axes() + body + "</svg>"
    }

    /// The figure: caption, legend (a toggle button per series), extra controls, the SVG(s) and notes. A `wide`
    /// figure spans the whole row of the plot grid.
    static func figure(id: String, caption: String, legend: [(key: String, label: String, style: SeriesStyle)], lines: Bool = true,
                       controls: String = "", content: String, note: String = "", wide: Bool = false) -> String {
        var s = "<figure class=\"plot\(wide ? " wide" : "")\" id=\"plot-\(id)\" data-plot=\"\(id)\"><figcaption>\(HTML.esc(caption))</figcaption>"
        if !legend.isEmpty || !controls.isEmpty {
            s += "<div class=\"legend\" role=\"group\" aria-label=\"Series of \(HTML.esc(caption)): press to show or hide\">"
            for item in legend {
                s += "<button type=\"button\" class=\"series-toggle\" aria-pressed=\"true\" data-series=\"\(HTML.esc(item.key))\">"
                s += item.style.swatch(line: lines) + HTML.esc(item.label) + "</button>"
            }
            s += controls + "</div>"
        }
        s += content
        if !note.isEmpty { s += "<p class=\"note\">\(HTML.esc(note))</p>" }
        return s + "</figure>"
    }
}
