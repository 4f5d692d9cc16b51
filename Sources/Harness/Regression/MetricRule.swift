import Foundation
import TOMLKit
import RunContract

/// How one metric of one workload is judged, after defaults and overrides.
public struct MetricRule: Sendable, Equatable {
    public let info: MetricInfo
    public let threshold: Threshold
    /// Where the threshold came from: `default`, `suite`, `--threshold`.
    public let source: String
}
