import Foundation
import RunContract
import Workloads

/// How far one metric's median moved between two A/A sessions of the same build (say one on a quiet machine and one
/// beside a CPU hog): what a `check` against a baseline from the first session sees from the machine alone.
///
/// Time, throughput and CPU time are compared the way `check` compares them: after dividing out the `reference`
/// workload's speed ratio (CPU time: its CPU-time ratio) between the two sessions; when that ratio moved beyond its
/// drift bound, `check` says `drift` instead of judging, so the shift is recorded with `judged == false` and leaves
/// the suggestion alone. Memory and deterministic metrics are never scaled: a shift in them is what `check` sees.
public struct SessionShift: Sendable, Equatable {
    public var workload: String
    public var configuration: String
    public var metric: String
    /// The session used as the baseline and the one used as the current side (their sources).
    public var baselineSession: String
    public var currentSession: String
    /// Current / baseline reference speed ratio, when both sessions ran the reference.
    public var machineRatio: Double?
    /// Change of the median, %, after normalizing by `machineRatio` where `check` does.
    public var changePercent: Double
    /// False when `check` would not judge it (the machine drifted beyond the bound for a time or throughput metric).
    public var judged: Bool

    /// Every shift from each session to every later one, for the configurations both ran (the reference excluded).
    public static func between(_ sessions: [ResultSet], driftBound: Double, cpuDriftBound: Double = 0.25) -> [SessionShift] {
        var out: [SessionShift] = []
        for i in sessions.indices {
            for j in sessions.indices where j > i {
                out += between(baseline: sessions[i], current: sessions[j], driftBound: driftBound, cpuDriftBound: cpuDriftBound)
            }
        }
        return out
    }

    static func between(baseline: ResultSet, current: ResultSet, driftBound: Double, cpuDriftBound: Double) -> [SessionShift] {
        let speed = MachineSpeed.measure(baseline: baseline, current: current, bound: driftBound, cpuBound: cpuDriftBound)
        let shown = NoiseFloor.shownParameters(current)
        let byKey = Dictionary(baseline.configurations.map { ($0.key(), $0) }, uniquingKeysWith: { first, _ in first })
        var out: [SessionShift] = []
        for c in current.configurations where c.workload != ReferenceWorkload.name {
            guard let b = byKey[c.key()] else { continue }
            for metric in c.metrics.keys.sorted() {
                guard MetricCatalogue.info(for: metric) != nil, let cv = c.metrics[metric], let bv = b.metrics[metric],
                      !bv.isEmpty else { continue }
                let scaling = MachineSpeed.scaling(of: metric)
                let judged = speed.flatMap { s in scaling.map { s.normalized(baseline: bv, current: cv, $0) } } ?? (baseline: bv, current: cv)
                guard let cm = RegressionStatistics.median(judged.current), let bm = RegressionStatistics.median(judged.baseline), bm != 0 else { continue }
                out.append(SessionShift(workload: c.workload, configuration: c.label(showing: shown), metric: metric,
                                        baselineSession: baseline.source, currentSession: current.source,
                                        machineRatio: speed?.ratio, changePercent: (cm / bm - 1) * 100,
                                        judged: !(scaling.map { speed?.drifted(for: $0) == true } ?? false)))
            }
        }
        return out
    }
}
