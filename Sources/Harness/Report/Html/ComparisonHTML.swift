import Foundation

/// `compare` / `check --format html`: the verdict as one self-contained page with the report's look (same
/// stylesheet and script): the verdict line, warnings, failed runs and a sortable table of every judged metric.
/// Verdicts are words as well as colours.
enum ComparisonHTML {
    static func page(_ report: ComparisonReport, onlyChanges: Bool) -> String {
        let pass = report.exitCode == 0
        var body = "<section id=\"verdict\" aria-labelledby=\"verdict-h\"><h2 id=\"verdict-h\">Verdict</h2>"
        body += "<p class=\"status verdict-line \(pass ? "ok" : "bad")\">\(HTML.esc(ComparisonFormatter.summaryLine(report)))</p>"
        body += "<p>Baseline <code>\(HTML.esc(report.baseline))</code> vs current <code>\(HTML.esc(report.current))</code>.</p>"
        if let s = report.machineSpeed { body += "<p>Machine speed: \(HTML.esc(s.description)).</p>" }
        if !report.warnings.isEmpty { body += "<ul>" + report.warnings.map { "<li>warning: \(HTML.esc($0))</li>" }.joined() + "</ul>" }
        body += "</section>"
        if !report.failedRuns.isEmpty {
            let t = SortableTable(caption: "Runs of the current side that did not finish ok", columns: ["configuration", "run", "status", "error"],
                                  rows: report.failedRuns.map { [.text($0.configuration), .text($0.runID), .text($0.status), .text($0.error)] }, id: "failed-runs")
            body += "<section id=\"failed\" aria-labelledby=\"failed-h\"><h2 id=\"failed-h\">Failed runs</h2>" + t.html() + "</section>"
        }
        let rows = ComparisonFormatter.rows(report, onlyChanges: onlyChanges)
        body += "<section id=\"metrics\" aria-labelledby=\"metrics-h\"><h2 id=\"metrics-h\">Metrics</h2>"
        if rows.isEmpty {
            body += "<p>No metric rows\(onlyChanges ? " with a change" : "").</p>"
        } else {
            body += table(rows).html()
        }
        if !report.missingConfigurations.isEmpty || !report.newConfigurations.isEmpty {
            body += "<ul>" + report.missingConfigurations.map { "<li>missing (baseline only): \(HTML.esc($0))</li>" }.joined()
                + report.newConfigurations.map { "<li>new (not in the baseline): \(HTML.esc($0))</li>" }.joined() + "</ul>"
        }
        body += "<ul>" + ComparisonFormatter.notes(report).map { "<li class=\"note\">\(HTML.esc($0))</li>" }.joined() + "</ul></section>"
        return HTMLDocument.page(title: "Highwater compare: \(pass ? "PASS" : "FAIL")",
                                 subtitle: "Written by <code>highwater compare</code> / <code>check --format html</code>", navigation: [], body: body)
    }

    static func table(_ rows: [MetricComparison]) -> SortableTable {
        let body = rows.map { c -> [SortableTable.Cell] in
            [.text(c.metric), .text(c.configuration),
             SortableTable.Cell(text: "\(ComparisonFormatter.number(c.baselineMedian)) (n=\(c.baseline.count))", value: c.baselineMedian, numeric: true),
             SortableTable.Cell(text: "\(ComparisonFormatter.number(c.currentMedian)) (n=\(c.current.count))", value: c.currentMedian, numeric: true),
             SortableTable.Cell(text: ComparisonFormatter.change(c), value: c.change.map { $0 * 100 }, numeric: true),
             .text(c.threshold),
             SortableTable.Cell(text: ComparisonFormatter.verdictCell(c, markdown: false), value: nil, numeric: false, cssClass: "verdict-\(c.verdict.rawValue)"),
             SortableTable.Cell(text: ComparisonFormatter.pValue(c), value: c.pValue, numeric: true), .text(c.note)]
        }
        return SortableTable(caption: "Every judged metric, regressions first; change = current / baseline median − 1", columns:
                                ["metric", "configuration", "baseline", "current", "change %", "threshold", "verdict", "p", "note"], rows: body, id: "verdicts")
    }
}
