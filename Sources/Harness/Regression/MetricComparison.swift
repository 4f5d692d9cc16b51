import Foundation
import RunContract

/// One metric of one configuration, compared.
public struct MetricComparison: Sendable, Codable, Equatable {
    /// Configuration label (`write batch_rows=10000 system`).
    public var configuration: String
    public var workload: String
    public var metric: String
    /// `higher`, `lower` or `equal` (which way is better).
    public var direction: MetricDirection
    /// `noisy` or `deterministic`.
    public var kind: MetricKind
    /// All values, in repeat order.
    public var baseline: [Double]
    public var current: [Double]
    public var baselineMedian: Double
    public var currentMedian: Double
    /// `(current - baseline) / baseline` of the medians, nil when the baseline median is 0.
    public var change: Double?
    /// The change after dividing out the machine's speed ratio (what time and throughput verdicts judge), nil for
    /// metrics that are not scaled or when no reference ran.
    public var changeRelativeToMachine: Double?
    /// The threshold applied, as text (`-5%`, `+10%`, `exact`) and where it came from (`default`, `suite`, `--threshold`).
    public var threshold: String
    public var thresholdSource: String
    public var verdict: Verdict
    /// Two-sided Mann-Whitney U p-value, when statistics were used.
    public var pValue: Double?
    /// `mann-whitney exact`, `mann-whitney normal`, `deterministic` or `threshold only`.
    public var test: String
    /// 95 % bootstrap interval of `median(current) / median(baseline)` (fixed seed), when both sides have 2+ values.
    public var ratioCI: [Double]?
    /// Explanation shown next to the verdict (`deterministic: no statistics needed`, `insufficient repeats ...`).
    public var note: String

    enum CodingKeys: String, CodingKey {
        case configuration, workload, metric, direction, kind, baseline, current
        case baselineMedian = "baseline_median"
        case currentMedian = "current_median"
        case change, threshold
        case changeRelativeToMachine = "change_relative_to_machine"
        case thresholdSource = "threshold_source"
        case verdict
        case pValue = "p_value"
        case test
        case ratioCI = "ratio_ci95"
        case note
    }
}
