import Foundation
import RunContract

/// A results directory read back from its CSV files alone (`runs.csv`, `timeseries.csv`), as `plot` and `report` use it.
public struct ResultsOnDisk {
    public let directory: URL
    public let runs: CSVTable
    public let summary: CSVTable
    /// Time series rows, or nil when `timeseries.csv` is absent.
    public let timeseries: CSVTable?
    /// `processes.csv` and `process_series.csv`, or nil when absent (result sets from before they existed).
    public let processes: CSVTable?
    public let processSeries: CSVTable?

    public init(directory: URL) throws {
        self.directory = directory
        let runsURL = directory.appendingPathComponent("runs.csv")
        guard FileManager.default.fileExists(atPath: runsURL.path) else {
            throw HarnessError(source: directory.path, field: "runs.csv", reason: "no runs.csv in this directory (not a results directory?)")
        }
        do { runs = try CSVTable.read(from: runsURL) } catch {
            throw HarnessError(source: runsURL.path, reason: "\(error)")
        }
        summary = Summary.table(from: runs)
        let tsURL = directory.appendingPathComponent("timeseries.csv")
        timeseries = FileManager.default.fileExists(atPath: tsURL.path) ? try? CSVTable.read(from: tsURL) : nil
        processes = try? CSVTable.read(from: directory.appendingPathComponent("processes.csv"))
        processSeries = try? CSVTable.read(from: directory.appendingPathComponent("process_series.csv"))
    }

    /// Summary rows (as dictionaries) of one workload, in first-run order.
    public func configurations(of workload: String) -> [[String: String]] {
        summary.records.filter { $0["workload"] == workload }
    }

    /// Workloads in first-run order.
    public var workloads: [String] {
        var seen: [String] = []
        for r in summary.records where !seen.contains(r["workload"] ?? "") { seen.append(r["workload"] ?? "") }
        return seen
    }

    /// Dimensions (columns `param_*`, `env_*`, `allocator`) that take more than one value among `rows`.
    public static func sweptDimensions(_ rows: [[String: String]], header: [String]) -> [String] {
        let dims = header.filter { $0.hasPrefix("param_") || $0.hasPrefix("env_") } + ["allocator"]
        return dims.filter { d in Set(rows.map { $0[d] ?? "" }).count > 1 }
    }

    /// The throughput metric to show: `rows_per_s` when measured, else `mb_per_s`, else nil.
    public static func throughputMetric(_ rows: [[String: String]]) -> String? {
        for m in ["rows_per_s", "mb_per_s"] where rows.contains(where: { !($0["\(m)_median"] ?? "").isEmpty }) { return m }
        return nil
    }

    /// `param_batch_size` → `batch_size`; `env_X` → `X`.
    public static func dimensionName(_ column: String) -> String {
        if column.hasPrefix("param_") { return String(column.dropFirst(6)) }
        if column.hasPrefix("env_") { return String(column.dropFirst(4)) }
        return column
    }
}
