import Foundation
import RunContract

extension NoiseFloor {
    /// The set split by repeat parity: even-numbered ok repeats (A) and odd-numbered ones (B) of every configuration,
    /// to run the ordinary comparison on an A/A pair (how many false regressions a check would report).
    public static func halves(_ set: ResultSet) -> (a: ResultSet, b: ResultSet) {
        func half(_ parity: Int, _ name: String) -> ResultSet {
            var s = set
            s.name = "\(set.name) (\(name))"
            for i in s.configurations.indices {
                s.configurations[i].metrics = s.configurations[i].metrics.mapValues { v in
                    stride(from: parity, to: v.count, by: 2).map { v[$0] }
                }
                s.configurations[i].failures = []
            }
            return s
        }
        return (half(0, "even repeats"), half(1, "odd repeats"))
    }

    /// `noise.csv`: one row per configuration and metric.
    public var table: CSVTable {
        var t = CSVTable(header: ["session", "workload", "configuration", "metric", "kind", "repeats", "median", "spread_pct", "ab_change_pct", "floor_p95_pct"])
        for e in entries {
            t.rows.append([e.session, e.workload, e.configuration, e.metric, e.kind.rawValue, String(e.repeats), formatNumber(e.median, digits: 6),
                           formatNumber(e.spreadPercent, digits: 2), formatNumber(e.abChangePercent, digits: 2), formatNumber(e.floorPercent, digits: 2)])
        }
        return t
    }

    /// `noise-shifts.csv`: one row per pair of sessions, configuration and metric (empty with one session).
    public var shiftsTable: CSVTable {
        var t = CSVTable(header: ["baseline_session", "current_session", "workload", "configuration", "metric", "machine_ratio", "change_pct", "judged"])
        for s in shifts {
            t.rows.append([s.baselineSession, s.currentSession, s.workload, s.configuration, s.metric,
                           s.machineRatio.map { formatNumber($0, digits: 4) } ?? "", formatNumber(s.changePercent, digits: 2),
                           s.judged ? "yes" : "drift"])
        }
        return t
    }

    /// A `[thresholds]` table to paste into the suite: one `"WORKLOAD.METRIC" = "SPEC"` per gated metric, with the
    /// measured floor and the default in a comment.
    public var thresholdsTOML: String {
        var s = "# Suggested by `highwater noise`: the 95th-percentile A/A change of each metric (largest over the workload's\n"
        if sessions.count > 1 {
            s += "# configurations and \(sessions.count) sessions, or the largest shift between sessions if larger) times \(Threshold.number(safety)),\n"
            s += "# rounded up to a whole percent, at least 1%. Sessions: \(sessions.joined(separator: ", "))\n[thresholds]\n"
        } else {
            s += "# configurations) times \(Threshold.number(safety)), rounded up to a whole percent, at least 1%.\n[thresholds]\n"
        }
        for g in suggestions {
            let key = "\"\(g.workload).\(g.metric)\""
            s += "\(key) = \"\(g.spec)\"".padding(toLength: max(46, key.count + g.spec.count + 6), withPad: " ", startingAt: 0)
            s += "  # floor \(formatNumber(g.floorPercent, digits: 2))%"
            if let shift = g.shiftPercent { s += ", between sessions \(formatNumber(shift, digits: 2))%" }
            s += ", default \(g.defaultSpec)\n"
        }
        return s
    }

    /// The terminal summary: per workload and metric, the floor, the largest spread and the suggestion.
    public var summary: String {
        let between = sessions.count > 1
        var lines = ["workload.metric                     floor p95   max spread   " + (between ? "between      " : "") + "suggested            default"]
        for g in suggestions {
            let spread = entries.filter { $0.workload == g.workload && $0.metric == g.metric }.map(\.spreadPercent).max() ?? 0
            let name = "\(g.workload).\(g.metric)"
            let shift = g.shiftPercent.map { formatNumber($0, digits: 2) + "%" } ?? "-"
            lines.append(name.padding(toLength: max(36, name.count + 1), withPad: " ", startingAt: 0)
                + (formatNumber(g.floorPercent, digits: 2) + "%").padding(toLength: 12, withPad: " ", startingAt: 0)
                + (formatNumber(spread, digits: 2) + "%").padding(toLength: 13, withPad: " ", startingAt: 0)
                + (between ? shift.padding(toLength: 13, withPad: " ", startingAt: 0) : "")
                + g.spec.padding(toLength: max(21, g.spec.count + 1), withPad: " ", startingAt: 0) + g.defaultSpec)
        }
        return lines.joined(separator: "\n")
    }
}
