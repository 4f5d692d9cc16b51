import Foundation
import RunContract
import Workloads

/// How much slower (ratio > 1) or faster (< 1) the machine ran now than when the baseline was made, from the
/// `reference` workload that `check` interleaves with every suite: the median ratio of its CPU part's wall time
/// (`reference_cpu_ms`, every core busy; the whole run's `wall_s` for references recorded without it) with a 95%
/// bootstrap interval. Not the memory part: it also measures what the suite's previous run left behind (after a
/// zstd-3 write of suites/ci.toml it took 35-39 ms instead of 25-27, while the CPU part stayed within 6%). Time and throughput metrics are judged after dividing out this ratio; when it moved beyond
/// `bound` (default 10%), their verdicts are `drift`, not `regressed`, unless `--fail-on-drift`.
public struct MachineSpeed: Sendable, Codable, Equatable {
    /// Current / baseline median wall time of the reference.
    public var ratio: Double
    public var ratioCI95: [Double]?
    public var bound: Double
    /// What the machine was doing during the current runs (medians over them), when recorded.
    public var currentCPUOthersS: Double?
    public var currentLoadAverage1m: Double?

    /// Beyond the bound: the machine, not the code, changed most.
    public var drifted: Bool { abs(ratio - 1) > bound }

    /// `machine 1.31x slower than at the baseline (95% CI 1.22-1.40)` plus the load that explains it, if recorded.
    public var description: String {
        let how = ratio >= 1 ? "\(Self.fmt(ratio))x slower" : "\(Self.fmt(1 / ratio))x faster"
        var s = "machine \(how) than at the baseline (reference workload"
        if let ci = ratioCI95, ci.count == 2 { s += ", 95% CI \(Self.fmt(ci[0]))-\(Self.fmt(ci[1]))" }
        s += ")"
        var causes: [String] = []
        if let o = currentCPUOthersS { causes.append("other processes used \(Self.fmt(o)) s of CPU per run") }
        if let l = currentLoadAverage1m { causes.append("load average \(Self.fmt(l))") }
        if !causes.isEmpty { s += "; during the current runs " + causes.joined(separator: ", ") }
        return s
    }

    static func fmt(_ v: Double) -> String { String(format: "%.2f", v) }

    /// The reference configurations' wall times on both sides, or nil when either side has none.
    public static func measure(baseline: ResultSet, current: ResultSet, bound: Double) -> MachineSpeed? {
        func reference(_ set: ResultSet) -> ConfigurationResults? { set.configurations.first { $0.workload == ReferenceWorkload.name } }
        let cpuPart = "reference_cpu_ms"
        let key = reference(baseline)?.metrics[cpuPart] != nil && reference(current)?.metrics[cpuPart] != nil ? cpuPart : Metric.wallS.name
        guard let b = reference(baseline)?.metrics[key], let c = reference(current)?.metrics[key],
              let bm = RegressionStatistics.median(b), let cm = RegressionStatistics.median(c), bm > 0 else { return nil }
        var speed = MachineSpeed(ratio: cm / bm, ratioCI95: nil, bound: bound)
        if b.count >= 2, c.count >= 2, let r = RegressionStatistics.bootstrapRatioCI(baseline: b, current: c) { speed.ratioCI95 = [r.low, r.high] }
        let currentRuns = current.configurations.filter { $0.workload != ReferenceWorkload.name }
        speed.currentCPUOthersS = RegressionStatistics.median(currentRuns.flatMap { $0.metrics[Metric.cpuOthersS.name] ?? [] })
        speed.currentLoadAverage1m = RegressionStatistics.median(currentRuns.flatMap { $0.metrics[Metric.loadAverage1m.name] ?? [] })
        return speed
    }

    /// How a metric scales with machine speed: time metrics grow with the ratio, throughput shrinks; nil for others
    /// (memory, counts, and the machine-activity metrics themselves).
    public static func scaling(of metric: String) -> Scaling? {
        // CPU-clock metrics count the run's own CPU time, which a busy neighbour changes far less than wall time, and not
        // in proportion to it: not scaled by the wall-clock ratio (two CPU hogs added to a machine with one core already
        // busy took the reference's wall time from 0.181 to 0.374 s and left its CPU time at 0.14 s; one hog cost
        // unchanged writes up to 25% of their rows per CPU-second).
        let machineOwn: Set<String> = [Metric.cpuOthersS.name, Metric.cpuStealS.name, Metric.samplerCPUMicrosPerSample.name,
                                       Metric.cpuUserS.name, Metric.cpuSysS.name, Metric.rowsPerCPUS.name]
        if machineOwn.contains(metric) { return nil }
        if let m = Metric.named(metric) {
            guard m.kind == .noisy else { return nil }
            switch m.unit {
            case .seconds, .milliseconds, .microseconds: return .time
            case .rowsPerSecond, .megabytesPerSecond: return .throughput
            default: return nil
            }
        }
        if metric.hasSuffix("_per_s") { return .throughput }
        if metric.hasSuffix("_ms") || metric.hasSuffix("_s") { return .time }
        return nil
    }

    public enum Scaling: Sendable { case time, throughput }

    /// `values` as they would have been on the baseline's machine.
    public func normalized(_ values: [Double], _ scaling: Scaling) -> [Double] {
        switch scaling {
        case .time: return values.map { $0 / ratio }
        case .throughput: return values.map { $0 * ratio }
        }
    }
}
