import Foundation
import RunContract

/// How a metric is judged: direction, kind and default threshold.
public struct MetricInfo: Sendable, Equatable {
    public let name: String
    public let direction: MetricDirection
    public let kind: MetricKind
    /// Tolerated change in the bad direction before the metric counts as regressed.
    public let threshold: Threshold
    /// Unit, for display (`rows/s`, `MB`, `s`, `ms`, empty for counts).
    public let unit: String

    public init(_ name: String, _ direction: MetricDirection, _ kind: MetricKind, _ threshold: Threshold, unit: String = "") {
        self.name = name
        self.direction = direction
        self.kind = kind
        self.threshold = threshold
        self.unit = unit
    }
}
