import Foundation
import RunContract

extension SweepPlan {
    /// What `run --dry-run` prints: a count line, then one line per run in execution order
    /// (index, run id, configuration, `warmup N` or `repeat N`), tab-separated.
    public func dryRunText() throws -> String {
        let runs = try orderedRuns()
        var out = "\(runs.count) runs (\(runs.filter(\.isWarmup).count) warmup) of \(try configurations().count) configurations:\n"
        for (i, r) in runs.enumerated() {
            out += "\(i + 1)\t\(r.runID)\t\(r.configuration.label)\t\(r.isWarmup ? "warmup" : "repeat") \(r.repeatIndex)\n"
        }
        return out
    }
}
