import Foundation
import RunContract

/// The verdicts and medians of successive `check`s, one CSV row per configuration and metric per check, appended by
/// `highwater check --history FILE` (commit it, or keep it as a CI artifact) and drawn by `highwater history FILE`.
///
/// Columns: `recorded_at` (UTC), `git_rev` (current side), `suite`, `workload`, `configuration`, `metric`,
/// `baseline_median`, `current_median`, `change_pct`, `verdict`, `machine_speed` (the reference workload's
/// current/baseline wall-time ratio, empty without it), then `current_median_relative` and `change_relative_pct`: the
/// current median and the change after dividing out the machine's speed, as the verdict judged them (empty for metrics
/// that are not scaled). Files written before those two columns existed are still read, and appended to in their own
/// columns.
public enum HistoryFile {
    public static let legacyHeader = ["recorded_at", "git_rev", "suite", "workload", "configuration", "metric", "baseline_median",
                                      "current_median", "change_pct", "verdict", "machine_speed"]
    public static let header = legacyHeader + ["current_median_relative", "change_relative_pct"]

    /// One check's rows.
    public static func rows(of report: ComparisonReport, suite: String, recordedAt: String) -> [[String]] {
        let rev = report.currentEnvironment.gitRev ?? ""
        let speed = report.machineSpeed.map { formatNumber($0.ratio, digits: 4) } ?? ""
        return report.comparisons.map { c in
            let relative = c.changeRelativeToMachine
            return [recordedAt, rev, suite, c.workload, c.configuration, c.metric, formatNumber(c.baselineMedian, digits: 6),
                    formatNumber(c.currentMedian, digits: 6), c.change.map { formatNumber($0 * 100, digits: 3) } ?? "", c.verdict.rawValue, speed,
                    relative.map { formatNumber(c.baselineMedian * (1 + $0), digits: 6) } ?? "",
                    relative.map { formatNumber($0 * 100, digits: 3) } ?? ""]
        }
    }

    /// Appends `rows` to `url`, creating it with the header; an existing file must have this header or the one before
    /// the relative columns (rows are then written in its columns), else exit 2 naming it. The rows of one check are
    /// written whole (one write of complete lines, then fsync).
    public static func append(_ rows: [[String]], to url: URL) throws {
        var columns = header
        if let existing = try existingHeader(url) {
            columns = existing
        } else {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try OutputFile.replace(url, with: Data(CSVTable.line(header).utf8))
        }
        let fd = try OutputFile.openForAppend(url)
        defer { close(fd) }
        try OutputFile.append(fd, Data(rows.map { CSVTable.line(Array($0.prefix(columns.count))) }.joined().utf8), file: url.path)
    }

    /// True when `url` is an existing history file, false when absent; throws (exit 2, naming it) for anything else.
    @discardableResult
    public static func validate(_ url: URL) throws -> Bool { try existingHeader(url) != nil }

    /// The header of the history file at `url`, nil when absent; throws (exit 2, naming it) when it is not one.
    static func existingHeader(_ url: URL) throws -> [String]? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let existing: CSVTable
        do { existing = try CSVTable.read(from: url) } catch let e as CSVTable.ParseError {
            throw HarnessError(source: e.file, field: "line \(e.line)", reason: e.reason)
        }
        guard existing.header == header || existing.header == legacyHeader else {
            throw HarnessError(source: url.path, field: "header", value: existing.header.joined(separator: ","),
                               reason: "not a highwater history file (expected \(header.joined(separator: ",")))")
        }
        return existing.header
    }

    /// Every series of a history file: (workload, configuration, metric) → points in file order.
    public static func read(_ url: URL) throws -> [HistorySeries] {
        let t: CSVTable
        do { t = try CSVTable.read(from: url) } catch let e as CSVTable.ParseError {
            throw HarnessError(source: e.file, field: "line \(e.line)", reason: e.reason)
        }
        for c in legacyHeader where t.index(of: c) == nil { throw HarnessError(source: url.path, field: c, reason: "missing column") }
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
                                                          baseline: Double(r["baseline_median"]!), verdict: r["verdict"]!,
                                                          relativeValue: r["current_median_relative"].flatMap { Double($0) }))
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
        /// The current median after dividing out the machine's speed (time and throughput with a reference), if recorded.
        public var relativeValue: Double? = nil
    }

    public var workload: String
    public var configuration: String
    public var metric: String
    public var points: [Point]

    /// True when every point has its machine-relative median: the trend and its change points then use those, so a
    /// slower machine does not read as a step (a series that has them only in part uses the raw medians throughout).
    public var isRelative: Bool { !points.isEmpty && points.allSatisfy { $0.relativeValue != nil } }

    /// The values the trend is drawn and tested on: the relative medians when `isRelative`, else the current medians.
    public var trend: [Double] { isRelative ? points.map { $0.relativeValue! } : points.map(\.value) }
}
