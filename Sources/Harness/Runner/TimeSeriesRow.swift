import Foundation
import RunContract

/// One row of `timeseries.csv` before the run's ids are added: t since spawn, RSS (MB), event (empty for samples).
struct TimeSeriesRow: Equatable {
    var tMs: Double
    var rssMB: Double?
    var event: String
}
