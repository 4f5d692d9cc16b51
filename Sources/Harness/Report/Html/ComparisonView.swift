import RunContract

/// Two chosen configurations of a workload side by side: every metric's median for each and the ratio B/A, marked
/// better or worse by the metric's direction. The data is embedded as JSON; the script renders the table.
struct ComparisonView: Encodable {
    struct Config: Encodable {
        var id: String
        var label: String
        /// Metric name → median over the `ok` repeats.
        var values: [String: Double]
    }

    struct MetricInfo: Encodable {
        var name: String
        var unit: String
        var dir: String
    }

    var configs: [Config]
    var metrics: [MetricInfo]

    /// From a workload's summary rows: every `<metric>_median` column with a value in some row, catalogue metrics first.
    init(rows: [[String: String]], dims: [String], header: [String]) {
        let names = header.filter { $0.hasSuffix("_median") }.map { String($0.dropLast(7)) }
            .filter { m in rows.contains { Double($0["\(m)_median"] ?? "") != nil } }
        let known = names.filter { Metric.named($0) != nil }, other = names.filter { Metric.named($0) == nil }
        metrics = (known + other).map { n in
            let m = Metric.named(n)
            return MetricInfo(name: n, unit: m?.unit.label ?? (n.hasSuffix("_mb") ? "MB" : n.hasSuffix("_s") ? "s" : ""), dir: m?.direction.rawValue ?? "")
        }
        configs = rows.map { r in
            var v: [String: Double] = [:]
            for n in names { if let x = Double(r["\(n)_median"] ?? ""), x.isFinite { v[n] = x } }
            let l = Plotter.label(r, dims)
            return Config(id: r[RunColumn.configID] ?? "", label: l.isEmpty ? (r[RunColumn.configID] ?? "") : l, values: v)
        }
    }

    /// The section, or "" with fewer than two configurations.
    func html(id: String) throws -> String {
        guard configs.count > 1 else { return "" }
        func select(_ cls: String, _ chosen: Int, _ label: String) -> String {
            var s = "<label>\(label) <select class=\"\(cls)\">"
            for (i, c) in configs.enumerated() {
                s += "<option value=\"\(i)\"\(i == chosen ? " selected" : "")>\(HTML.esc(c.label)) (\(HTML.esc(c.id)))</option>"
            }
            return s + "</select></label>"
        }
        var s = "<section class=\"compare\" id=\"\(id)\" aria-labelledby=\"\(id)-h\"><h3 id=\"\(id)-h\">Compare two configurations</h3>"
        s += "<div class=\"controls\">" + select("cmp-a", 0, "A") + select("cmp-b", 1, "B") + "<span class=\"cmp-count\"></span></div>"
        s += "<noscript><p>The comparison needs JavaScript; the tables above have every median.</p></noscript>"
        s += "<div class=\"table-wrap\"><table class=\"compare-table\"><caption>Medians over the ok repeats; ratio = B / A, "
        s += "marked better or worse by the metric's direction.</caption><thead><tr><th scope=\"col\">metric</th><th scope=\"col\" class=\"n\">A</th>"
        s += "<th scope=\"col\" class=\"n\">B</th><th scope=\"col\" class=\"n\">B / A</th></tr></thead><tbody></tbody></table></div>"
        s += "<script type=\"application/json\" class=\"compare-data\">\(try HTML.scriptJSON(self))</script></section>"
        return s
    }
}
