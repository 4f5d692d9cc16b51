import Foundation

/// Escaping and number formatting for the HTML report.
enum HTML {
    /// Text content and attribute values: `&`, `<`, `>`, `"` and `'` escaped.
    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A pixel coordinate with one decimal (keeps the SVG small).
    static func px(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    /// A measured number for display, as the Markdown report writes it ("–" when absent).
    static func num(_ v: Double?, _ digits: Int = 1) -> String { ReportWriter.f(v, digits) }

    /// An id-safe token: letters, digits, `-` and `_`.
    static func id(_ s: String) -> String { Plotter.fileSafe(s) }

    /// JSON for a `<script type="application/json">` block: `</` cannot close the element.
    static func scriptJSON<T: Encodable>(_ value: T) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let s = String(decoding: try enc.encode(value), as: UTF8.self)
        return s.replacingOccurrences(of: "</", with: "<\\/").replacingOccurrences(of: "<!--", with: "<\\!--")
    }
}
