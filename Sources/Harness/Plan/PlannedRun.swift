import Foundation
import RunContract
import Workloads

/// One planned child process.
public struct PlannedRun: Sendable, Codable, Hashable {
    public let configuration: RunConfiguration
    /// Repeat index (0-based); warmups are numbered separately and never recorded.
    public let repeatIndex: Int
    public let isWarmup: Bool
    /// `<config_id>-r<repeat>` (warmups: `-w<i>`): unique across shards, so shard results merge.
    public var runID: String { "\(configuration.configID)-\(isWarmup ? "w" : "r")\(repeatIndex)" }
}
