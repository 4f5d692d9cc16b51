import Foundation
import RunContract

/// One row of `timeseries.csv` before the run's ids are added: t since spawn, RSS (MB), event (empty for samples).
struct TimeSeriesRow: Equatable {
    var tMs: Double
    var rssMB: Double?
    var event: String
    /// PSS sum of the process tree, MB (samples of several processes only).
    var pssMB: Double? = nil
    /// Processes alive at the sample (nil for event marks).
    var processes: Int? = nil
    /// The run's cgroup `memory.current`, MB (runs with their own cgroup only).
    var cgroupMB: Double? = nil
}
