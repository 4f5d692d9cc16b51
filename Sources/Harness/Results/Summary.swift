import Foundation
import RunContract

/// Builds `summary.csv` from `runs.csv`: one row per configuration, for each numeric metric of its `ok` runs:
/// `<m>_median`, `<m>_min`, `<m>_max`, `<m>_mean`, `<m>_ci95_lo`, `<m>_ci95_hi`.
public enum Summary {
    /// Columns that identify a run rather than measure it.
    static let identity: Set<String> = RunColumn.identifying

    static func isMetric(_ column: String) -> Bool {
        !identity.contains(column) && !column.hasPrefix("param_") && !column.hasPrefix("env_")
    }

    /// The summary table of `runs` (a runs.csv table).
    public static func table(from runs: CSVTable) -> CSVTable {
        let idCols = ["config_id", "workload", "allocator"] + runs.header.filter { $0 == "command" || $0.hasPrefix("param_") || $0.hasPrefix("env_") }
        let metricCols = runs.header.filter(isMetric)
        var order: [String] = []
        var groups: [String: [[String: String]]] = [:]
        for rec in runs.records {
            let id = rec[RunColumn.configID] ?? ""
            if groups[id] == nil { order.append(id) }
            groups[id, default: []].append(rec)
        }
        var header = idCols + ["runs", "ok", "statuses"]
        for m in metricCols { header += ["\(m)_median", "\(m)_min", "\(m)_max", "\(m)_mean", "\(m)_ci95_lo", "\(m)_ci95_hi"] }
        var rows: [[String]] = []
        for id in order {
            let recs = groups[id]!
            let ok = recs.filter { $0[RunColumn.status] == RunStatus.ok.rawValue }
            var row = idCols.map { recs[0][$0] ?? "" }
            var statusCounts: [String: Int] = [:]
            for r in recs { statusCounts[r[RunColumn.status] ?? "", default: 0] += 1 }
            row += [String(recs.count), String(ok.count), statusCounts.keys.sorted().map { "\($0):\(statusCounts[$0]!)" }.joined(separator: " ")]
            for m in metricCols {
                let xs = ok.compactMap { $0[m].flatMap(Double.init) }
                if let s = SampleStatistics(xs) {
                    row += [s.median, s.min, s.max, s.mean].map { formatNumber($0, digits: 6) }
                    row += [s.ci95.map { formatNumber($0.lowerBound, digits: 6) } ?? "", s.ci95.map { formatNumber($0.upperBound, digits: 6) } ?? ""]
                } else {
                    row += ["", "", "", "", "", ""]
                }
            }
            rows.append(row)
        }
        return CSVTable(header: header, rows: rows)
    }
}
