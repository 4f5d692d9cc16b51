/// An HTML table whose every column sorts on a click of its header (the script), with real `<th scope>` headers
/// and a caption for screen readers. Numeric cells carry their exact value in `data-v`.
struct SortableTable {
    struct Cell {
        var text: String
        /// The value to sort by; nil for a text cell.
        var value: Double?
        /// Whether the value was measured: absent numbers sort last.
        var numeric: Bool
        /// A class for the cell (e.g. a verdict's colour; the text says the same). Default none.
        var cssClass: String = ""

        static func text(_ s: String) -> Cell { Cell(text: s, value: nil, numeric: false) }
        static func number(_ v: Double?, digits: Int = 1) -> Cell { Cell(text: HTML.num(v, digits), value: v, numeric: true) }
    }

    var caption: String
    var columns: [String]
    var rows: [[Cell]]
    /// Element id of the table (optional).
    var id: String = ""

    func html() -> String {
        var s = "<div class=\"table-wrap\"><table class=\"sortable\"\(id.isEmpty ? "" : " id=\"\(id)\"")><caption>\(HTML.esc(caption)) "
        s += "<span class=\"sr-only\">(column headers are buttons that sort)</span></caption><thead><tr>"
        let numericColumn = columns.indices.map { c in rows.contains { $0.indices.contains(c) && $0[c].numeric } }
        for (c, title) in columns.enumerated() {
            s += "<th scope=\"col\" aria-sort=\"none\"\(numericColumn[c] ? " class=\"n\"" : "")><button type=\"button\" class=\"sort\">\(HTML.esc(title))</button></th>"
        }
        s += "</tr></thead><tbody>"
        for r in rows {
            s += "<tr>"
            for cell in r {
                if cell.numeric {
                    let v = cell.value.flatMap { $0.isFinite ? "\($0)" : nil } ?? ""
                    s += "<td class=\"n\" data-v=\"\(v)\">\(HTML.esc(cell.text))</td>"
                } else {
                    s += "<td\(cell.cssClass.isEmpty ? "" : " class=\"\(cell.cssClass)\"")>\(HTML.esc(cell.text))</td>"
                }
            }
            s += "</tr>"
        }
        return s + "</tbody></table></div>"
    }
}
