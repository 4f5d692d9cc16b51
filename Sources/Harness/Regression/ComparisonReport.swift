import Foundation
import RunContract

/// The whole comparison: every judged metric, failed runs, unmatched configurations, warnings and the exit code.
public struct ComparisonReport: Sendable, Codable, Equatable {
    /// Name and source of each side.
    public var baseline: String
    public var current: String
    public var baselineEnvironment: BaselineEnvironment
    public var currentEnvironment: BaselineEnvironment
    /// Things the reader must know (different machine, failed baseline runs, metrics on one side only).
    public var warnings: [String]
    public var comparisons: [MetricComparison]
    public var failedRuns: [FailedRunEntry]
    /// Configuration labels present on one side only (with `--allow-missing`).
    public var missingConfigurations: [String]
    public var newConfigurations: [String]
    /// Numeric columns outside the metric catalogue that no threshold names: listed, not judged.
    public var notJudged: [String]
    /// Significance level and minimum repeats used.
    public var alpha: Double
    public var minRepeats: Int
    /// 0 nothing regressed, 1 a regression or a failed run.
    public var exitCode: Int32
    /// The machine's speed now against the baseline's, when both sides ran the reference workload.
    public var machineSpeed: MachineSpeed? = nil

    enum CodingKeys: String, CodingKey {
        case baseline, current
        case baselineEnvironment = "baseline_environment"
        case currentEnvironment = "current_environment"
        case warnings, comparisons
        case failedRuns = "failed_runs"
        case missingConfigurations = "missing_configurations"
        case newConfigurations = "new_configurations"
        case notJudged = "not_judged"
        case alpha
        case minRepeats = "min_repeats"
        case exitCode = "exit_code"
        case machineSpeed = "machine_speed"
    }

    /// Metric comparisons with `verdict`.
    public func count(_ verdict: Verdict) -> Int { comparisons.filter { $0.verdict == verdict }.count }
}
