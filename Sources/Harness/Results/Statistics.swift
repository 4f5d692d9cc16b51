import Foundation

/// Descriptive statistics of one metric over the repeats of one configuration.
///
/// The 95% confidence interval is t-based for the mean: mean ± t(0.975, n−1) · s/√n, with Student's t from a table
/// (n ≤ 31 exact to 3 decimals, then interpolated). It is stated as such in `summary.csv` (`*_ci95_lo`, `*_ci95_hi`)
/// and the report. With n = 1 there is no interval (cells left empty). A bootstrap interval was not used because with
/// the 2–5 repeats a sweep affords, resampling can only return the observed values and understates the spread.
public struct SampleStatistics: Sendable, Equatable {
    public let count: Int
    public let median: Double
    public let min: Double
    public let max: Double
    public let mean: Double
    /// Sample standard deviation (n − 1), 0 for n = 1.
    public let stddev: Double
    /// 95% t-interval of the mean, nil for n < 2.
    public let ci95: ClosedRange<Double>?

    public init?(_ samples: [Double]) {
        let xs = samples.filter(\.isFinite).sorted()
        guard !xs.isEmpty else { return nil }
        count = xs.count
        min = xs.first!
        max = xs.last!
        median = xs.count % 2 == 1 ? xs[xs.count / 2] : (xs[xs.count / 2 - 1] + xs[xs.count / 2]) / 2
        mean = xs.reduce(0, +) / Double(xs.count)
        if xs.count > 1 {
            let m = mean
            let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
            stddev = v.squareRoot()
            let half = Self.tCritical975(degreesOfFreedom: xs.count - 1) * stddev / Double(xs.count).squareRoot()
            ci95 = (mean - half)...(mean + half)
        } else {
            stddev = 0
            ci95 = nil
        }
    }

    /// Two-sided 95% critical value of Student's t.
    public static func tCritical975(degreesOfFreedom df: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                               2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                               2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        if df < 1 { return .nan }
        if df <= 30 { return table[df - 1] }
        let points: [(Int, Double)] = [(30, 2.042), (40, 2.021), (60, 2.000), (120, 1.980)]
        for i in 0..<(points.count - 1) where df <= points[i + 1].0 {
            let (a, ta) = points[i], (b, tb) = points[i + 1]
            return ta + (tb - ta) * Double(df - a) / Double(b - a)
        }
        return 1.960
    }
}

/// Builds `summary.csv` from `runs.csv`: one row per configuration, for each numeric metric of its `ok` runs:
/// `<m>_median`, `<m>_min`, `<m>_max`, `<m>_mean`, `<m>_ci95_lo`, `<m>_ci95_hi`.
public enum Summary {
    /// Columns that identify a run rather than measure it.
    static let identity: Set<String> = ["run_id", "config_id", "repeat", "workload", "allocator", "status", "error", "command",
                                        "git_rev", "host", "started_at", "signal", "exit_code", "sample_ms", "spawned_via"]

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
            let id = rec["config_id"] ?? ""
            if groups[id] == nil { order.append(id) }
            groups[id, default: []].append(rec)
        }
        var header = idCols + ["runs", "ok", "statuses"]
        for m in metricCols { header += ["\(m)_median", "\(m)_min", "\(m)_max", "\(m)_mean", "\(m)_ci95_lo", "\(m)_ci95_hi"] }
        var rows: [[String]] = []
        for id in order {
            let recs = groups[id]!
            let ok = recs.filter { $0["status"] == "ok" }
            var row = idCols.map { recs[0][$0] ?? "" }
            var statusCounts: [String: Int] = [:]
            for r in recs { statusCounts[r["status"] ?? "", default: 0] += 1 }
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
