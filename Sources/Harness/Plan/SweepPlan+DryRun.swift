import Foundation
import RunContract

extension SweepPlan {
    /// What `run --dry-run` prints: a count line, then one line per run in execution order
    /// (index, run id, configuration, `warmup N` or `repeat N`), tab-separated.
    public func dryRunText() throws -> String {
        var out = ""
        try writeDryRun { out += $0 }
        return out
    }

    /// Streams the dry run to `write` a line at a time, in constant memory.
    public func writeDryRun(_ write: (String) -> Void) throws {
        try checkSize()
        var measured = 0, warmups = 0
        try forEachRun { $0.isWarmup ? (warmups += 1) : (measured += 1) }
        write("\(measured + warmups) runs (\(warmups) warmup) of \(try countConfigurations(space())) configurations:\n")
        var i = 0
        try forEachRun { r in
            i += 1
            write("\(i)\t\(r.runID)\t\(r.configuration.label)\t\(r.isWarmup ? "warmup" : "repeat") \(r.repeatIndex)\n")
        }
    }
}
