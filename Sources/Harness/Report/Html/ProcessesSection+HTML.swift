import Foundation
import RunContract

extension ProcessesSection {
    /// The Processes section of report.html: one sortable row per process of every run in which more than one
    /// process ran (at most `maxRuns` runs), from `processes.csv`. Empty when there are none.
    static func html(directory: URL) -> String {
        guard let (order, byRun, multi) = runs(directory: directory) else { return "" }
        let rows = multi.prefix(maxRuns).flatMap { id in
            (byRun[id] ?? []).map { p -> [SortableTable.Cell] in
                [.text(id), .text(p["command"] ?? "?"), .number(Double(p["pid"] ?? ""), digits: 0), .number(Double(p["peak_rss_mb"] ?? ""))]
            }
        }
        var s = "<section id=\"processes\" aria-labelledby=\"processes-h\"><h2 id=\"processes-h\">Processes</h2>"
        s += "<p>Runs in which more than one process ran (\(multi.count) of \(order.count)): every process the sampler saw, with its own peak RSS. "
        s += "The sampled peak of a run sums the tree at each sample.\(multi.count > maxRuns ? " \(multi.count - maxRuns) more runs in processes.csv." : "")</p>"
        return s + SortableTable(caption: "Processes per run", columns: ["run", "command", "pid", "peak RSS MB"], rows: rows, id: "processes-table").html() + "</section>"
    }
}
