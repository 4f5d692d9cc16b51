/// How series tell apart without colour: each has a colour (Paul Tol's colour-blind-safe palette), a marker shape and
/// a line dash, all three changing together so a greyscale print or a colour-blind reader still sees the series.
struct SeriesStyle {
    static let colors = ["#0077bb", "#ee7733", "#009988", "#cc3311", "#33bbee", "#ee3377", "#555555", "#aa8800"]
    static let shapes = ["circle", "square", "triangle", "diamond", "down", "cross", "plus", "ring"]
    static let dashes = ["", "6 3", "2 3", "8 3 2 3", "12 4", "4 2 1 2", "1 2", "10 2 2 2 2 2"]

    let index: Int
    var color: String { Self.colors[index % Self.colors.count] }
    var shape: String { Self.shapes[index % Self.shapes.count] }
    var dash: String { Self.dashes[(index + index / Self.colors.count) % Self.dashes.count] }

    /// The marker at (x, y), px; `attributes` are added to the element (data-tip), `title` becomes its `<title>`.
    func marker(_ x: Double, _ y: Double, size r: Double = 4.5, attributes: String = "", title: String? = nil) -> String {
        let a = attributes.isEmpty ? "" : " " + attributes
        let (tag, geometry) = shapeElement(x, y, r)
        let open = "<\(tag) class=\"mk\" \(geometry)\(a)"
        guard let title else { return open + "/>" }
        return open + "><title>\(HTML.esc(title))</title></\(tag)>"
    }

    /// Element name and geometry attributes (with fill and stroke) of this series' marker shape.
    func shapeElement(_ x: Double, _ y: Double, _ r: Double) -> (String, String) {
        func p(_ dx: Double, _ dy: Double) -> String { "\(HTML.px(x + dx)),\(HTML.px(y + dy))" }
        func path(_ d: String, filled: Bool = true) -> (String, String) {
            ("path", "d=\"\(d)\" fill=\"\(filled ? color : "none")\" stroke=\"\(color)\" stroke-width=\"\(filled ? 1 : 2)\"")
        }
        switch shape {
        case "square":
            return ("rect", "x=\"\(HTML.px(x - r * 0.85))\" y=\"\(HTML.px(y - r * 0.85))\" width=\"\(HTML.px(r * 1.7))\" height=\"\(HTML.px(r * 1.7))\" fill=\"\(color)\"")
        case "triangle": return path("M\(p(0, -r * 1.1))L\(p(r, r * 0.8))L\(p(-r, r * 0.8))Z")
        case "diamond": return path("M\(p(0, -r * 1.2))L\(p(r, 0))L\(p(0, r * 1.2))L\(p(-r, 0))Z")
        case "down": return path("M\(p(0, r * 1.1))L\(p(r, -r * 0.8))L\(p(-r, -r * 0.8))Z")
        case "cross": return path("M\(p(-r, -r))L\(p(r, r))M\(p(-r, r))L\(p(r, -r))", filled: false)
        case "plus": return path("M\(p(-r, 0))L\(p(r, 0))M\(p(0, -r))L\(p(0, r))", filled: false)
        case "ring":
            return ("circle", "cx=\"\(HTML.px(x))\" cy=\"\(HTML.px(y))\" r=\"\(HTML.px(r * 0.8))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"")
        default: return ("circle", "cx=\"\(HTML.px(x))\" cy=\"\(HTML.px(y))\" r=\"\(HTML.px(r))\" fill=\"\(color)\"")
        }
    }

    /// A small legend swatch: a line in the series' dash with its marker.
    func swatch(line: Bool = true) -> String {
        var s = "<svg class=\"swatch\" width=\"28\" height=\"14\" viewBox=\"0 0 28 14\" aria-hidden=\"true\">"
        if line {
            s += "<line x1=\"1\" y1=\"7\" x2=\"27\" y2=\"7\" stroke=\"\(color)\" stroke-width=\"2\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>"
        }
        return s + marker(14, 7, size: 4) + "</svg>"
    }
}
