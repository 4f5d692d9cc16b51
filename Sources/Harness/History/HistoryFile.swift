import Foundation
import RunContract

/// The verdicts and medians of successive `check`s, one CSV row per configuration and metric per check, appended by
/// `highwater check --history FILE` (commit it, or keep it as a CI artifact) and drawn by `highwater history FILE`.
///
/// Columns: `recorded_at` (UTC), `git_rev` (current side), `suite`, `workload`, `configuration`, `metric`,
/// `baseline_median`, `current_median`, `change_pct`, `verdict`, `machine_speed` (the reference workload's
/// current/baseline wall-time ratio, empty without it).
public enum HistoryFile {
    public static let header = ["recorded_at", "git_rev", "suite", "workload", "configuration", "metric", "baseline_median",
                                "current_median", "change_pct", "verdict", "machine_speed"]

    /// One check's rows.
    public static func rows(of report: ComparisonReport, suite: String, recordedAt: String) -> [[String]] {
        let rev = report.currentEnvironment.gitRev ?? ""
        let speed = report.machineSpeed.map { formatNumber($0.ratio, digits: 4) } ?? ""
        return report.comparisons.map { c in
            [recordedAt, rev, suite, c.workload, c.configuration, c.metric, formatNumber(c.baselineMedian, digits: 6),
             formatNumber(c.currentMedian, digits: 6), c.change.map { formatNumber($0 * 100, digits: 3) } ?? "", c.verdict.rawValue, speed]
        }
    }

    /// Appends `rows` to `url`, creating it with the header; an existing file must have exactly this header (else
    /// exit 2 naming it). The rows of one check are written whole (one write of complete lines, then fsync).
    public static func append(_ rows: [[String]], to url: URL) throws {
        let fm = FileManager.default
        if try !validate(url) {
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try OutputFile.replace(url, with: Data(CSVTable.line(header).utf8))
        }
        let fd = try OutputFile.openForAppend(url)
        defer { close(fd) }
        try OutputFile.append(fd, Data(rows.map(CSVTable.line).joined().utf8), file: url.path)
    }

    /// True when `url` is an existing history file, false when absent; throws (exit 2, naming it) for anything else.
    @discardableResult
    public static func validate(_ url: URL) throws -> Bool {
        if FileManager.default.fileExists(atPath: url.path) {
            let existing: CSVTable
            do { existing = try CSVTable.read(from: url) } catch let e as CSVTable.ParseError {
                throw HarnessError(source: e.file, field: "line \(e.line)", reason: e.reason)
            }
            guard existing.header == header else {
                throw HarnessError(source: url.path, field: "header", value: existing.header.joined(separator: ","),
                                   reason: "not a highwater history file (expected \(header.joined(separator: ",")))")
            }
            return true
        }
        return false
    }

    /// Every series of a history file: (workload, configuration, metric) → points in file order.
    public static func read(_ url: URL) throws -> [HistorySeries] {
        let t: CSVTable
        do { t = try CSVTable.read(from: url) } catch let e as CSVTable.ParseError {
            throw HarnessError(source: e.file, field: "line \(e.line)", reason: e.reason)
        }
        for c in header where t.index(of: c) == nil { throw HarnessError(source: url.path, field: c, reason: "missing column") }
        var order: [String] = []
        var byKey: [String: HistorySeries] = [:]
        for (i, r) in t.records.enumerated() {
            let key = "\(r["workload"]!)|\(r["configuration"]!)|\(r["metric"]!)"
            guard let value = Double(r["current_median"]!) else {
                throw HarnessError(source: url.path, field: "current_median", value: r["current_median"]!, reason: "not a number (line \(i + 2))")
            }
            if byKey[key] == nil {
                order.append(key)
                byKey[key] = HistorySeries(workload: r["workload"]!, configuration: r["configuration"]!, metric: r["metric"]!, points: [])
            }
            byKey[key]!.points.append(HistorySeries.Point(recordedAt: r["recorded_at"]!, gitRev: r["git_rev"]!, value: value,
                                                          baseline: Double(r["baseline_median"]!), verdict: r["verdict"]!))
        }
        return order.map { byKey[$0]! }
    }
}

/// One metric of one configuration over successive checks.
public struct HistorySeries: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var recordedAt: String
        public var gitRev: String
        /// The check's current median.
        public var value: Double
        public var baseline: Double?
        public var verdict: String
    }

    public var workload: String
    public var configuration: String
    public var metric: String
    public var points: [Point]
}
