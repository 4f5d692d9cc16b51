import Foundation

/// A flame graph drawn by Highwater as one self-contained SVG: no external script, font or style sheet. Every frame
/// is a `<rect>` with a `<title>` (the browser's tooltip on hover), and an inline script writes the hovered frame's
/// name, cost and share into the line under the graph. The root is at the bottom, callers below callees; widths are
/// proportional to cost; frames narrower than 0.1 px are left out (their cost stays in their parent's width).
public struct FlameGraphSVG: Sendable {
    /// What the costs are (`bytes`, `samples`) and how to print one.
    public enum Unit: Sendable {
        case bytes
        case samples

        func format(_ v: Double) -> String {
            switch self {
            case .bytes: return String(format: "%.2f MB", v / 1e6)
            case .samples: return String(format: "%.0f samples", v)
            }
        }
    }

    public var title: String
    public var subtitle: String
    public var unit: Unit
    /// Total width, px. Default 1200.
    public var widthPx = 1200.0
    /// Height of one frame, px. Default 16.
    public var frameHeightPx = 16.0

    public init(title: String, subtitle: String, unit: Unit) {
        self.title = title
        self.subtitle = subtitle
        self.unit = unit
    }

    /// The SVG of `stacks`; with `base`, a differential graph: shapes from `stacks`, colour from the change of each
    /// frame's share between `base` and `stacks` (red grew, blue shrank, white unchanged).
    public func render(_ stacks: FoldedStacks, base: FoldedStacks? = nil) -> String {
        let root = FlameNode.tree(stacks, base: base, rootName: "all")
        let depth = root.depth
        let pad = 10.0, top = 50.0
        let height = top + Double(depth + 1) * frameHeightPx + 40
        var out = """
        <?xml version="1.0" standalone="no"?>
        <svg version="1.1" width="\(Int(widthPx))" height="\(Int(height))" viewBox="0 0 \(Int(widthPx)) \(Int(height))" xmlns="http://www.w3.org/2000/svg">
        <style>text{font-family:monospace;font-size:11px;fill:#000}rect.f:hover{stroke:#000;stroke-width:0.8}.t{font-size:16px}</style>
        <rect x="0" y="0" width="100%" height="100%" fill="#f8f8f8"/>
        <text class="t" x="\(pad)" y="22">\(Self.escape(title))</text>
        <text x="\(pad)" y="40">\(Self.escape(subtitle))</text>

        """
        let scale = root.cost > 0 ? (widthPx - 2 * pad) / root.cost : 0
        let baseTotal = root.baseCost
        var maxDelta = 0.0
        if base != nil { maxDelta = Self.maxShareDelta(root, total: root.cost, baseTotal: baseTotal) }
        var body = ""
        func draw(_ node: FlameNode, x: Double, level: Int) {
            let w = node.cost * scale
            guard w >= 0.1 else { return }
            let y = height - 40 - Double(level + 1) * frameHeightPx
            let share = root.cost > 0 ? 100 * node.cost / root.cost : 0
            var tip = "\(node.name) (\(unit.format(node.cost)), \(String(format: "%.2f", share))%)"
            let fill: String
            if base != nil {
                let d = Self.shareDelta(node, total: root.cost, baseTotal: baseTotal)
                tip += String(format: ", %+.2f points vs base", d)
                fill = Self.diffColour(d, max: maxDelta)
            } else {
                fill = Self.colour(node.name, unit: unit)
            }
            body += "<g><title>\(Self.escape(tip))</title><rect class=\"f\" x=\(Self.q(pad + x)) y=\(Self.q(y)) width=\(Self.q(w)) height=\(Self.q(frameHeightPx - 1)) fill=\"\(fill)\" rx=\"1\"/>"
            let chars = Int((w - 4) / 6.6)
            if chars >= 3 {
                let label = node.name.count <= chars ? node.name : String(node.name.prefix(chars - 2)) + ".."
                body += "<text x=\(Self.q(pad + x + 2)) y=\(Self.q(y + frameHeightPx - 4))>\(Self.escape(label))</text>"
            }
            body += "</g>\n"
            var cx = x
            for c in node.sortedChildren {
                draw(c, x: cx, level: level + 1)
                cx += c.cost * scale
            }
        }
        draw(root, x: 0, level: 0)
        out += body
        out += "<text id=\"details\" x=\"\(pad)\" y=\"\(Int(height - 14))\"> </text>\n"
        out += """
        <script type="text/ecmascript"><![CDATA[
        (function(){var d=document.getElementById("details");
        document.querySelectorAll("g").forEach(function(g){var t=g.querySelector("title");if(!t)return;
        g.addEventListener("mouseover",function(){d.textContent=t.textContent;});
        g.addEventListener("mouseout",function(){d.textContent=" ";});});})();
        ]]></script>
        </svg>

        """
        return out
    }

    /// Change of a node's share of its profile, percentage points (second minus base).
    static func shareDelta(_ n: FlameNode, total: Double, baseTotal: Double) -> Double {
        let a = baseTotal > 0 ? 100 * n.baseCost / baseTotal : 0
        let b = total > 0 ? 100 * n.cost / total : 0
        return b - a
    }

    static func maxShareDelta(_ n: FlameNode, total: Double, baseTotal: Double) -> Double {
        var m = abs(shareDelta(n, total: total, baseTotal: baseTotal))
        for c in n.children.values { m = max(m, maxShareDelta(c, total: total, baseTotal: baseTotal)) }
        return m
    }

    /// Red for growth, blue for shrinkage, white for none; saturated at the largest change in the graph.
    static func diffColour(_ delta: Double, max: Double) -> String {
        let t = max > 0 ? min(1, abs(delta) / max) : 0
        let fade = Int(255 - 200 * t)
        return delta >= 0 ? "rgb(255,\(fade),\(fade))" : "rgb(\(fade),\(fade),255)"
    }

    /// A stable colour per name: warm hues for CPU, green-blue for memory (as flame graph tools draw them).
    static func colour(_ name: String, unit: Unit) -> String {
        var h: UInt32 = 2_166_136_261
        for b in name.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        let v = Int(h % 55)
        switch unit {
        case .samples: return "rgb(\(205 + v % 50),\(80 + v * 2),\(30 + v / 2))"
        case .bytes: return "rgb(\(50 + v),\(160 + v),\(110 + v))"
        }
    }

    static func q(_ v: Double) -> String { "\"" + String(format: "%.1f", v) + "\"" }

    /// Text safe inside XML elements and attributes.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                if let a = ch.asciiValue, a < 0x20 { out += " " } else { out.append(ch) }
            }
        }
        return out
    }
}
