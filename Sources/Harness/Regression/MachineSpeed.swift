import Foundation
import RunContract
import Workloads

/// How much slower (ratio > 1) or faster (< 1) the machine ran now than when the baseline was made, from the
/// `reference` workload that `check` interleaves with every suite: the median ratio of its compression part's wall
/// time (`reference_compress_ms`: zstd on every core, which slows with the caches and memory bandwidth a neighbour
/// shares, as the engine's encoding does), with a 95% bootstrap interval. References recorded before that part
/// existed fall back to the mixing loop (`reference_cpu_ms`), then to the whole run's `wall_s`. Ten sessions of
/// suites/ci.toml in a row on this VM: the writer's median wall time rose 22% from the first to the tenth, the compression part
/// 25%, the mixing loop 8%. Not the memory part: it also measures what the suite's previous run left behind (after
/// a zstd-3 write it took 35-39 ms instead of 25-27).
///
/// Time and throughput metrics are judged after dividing out `ratio`, and when it moved beyond `bound` (default 10%)
/// their verdicts are `drift`, not `regressed`, unless `--fail-on-drift`. CPU-time metrics are judged after dividing
/// out `cpuRatio` (the compression part's CPU time, which a neighbour taking turns on a core leaves alone and one
/// slowing every instruction raises), and are `drift` only when it moved beyond `cpuBound` (default 25%): over six
/// runs of scripts/noise-demo.sh (60 unchanged checks, 30 beside a CPU hog that took the wall ratio up to 2.3, CPU
/// ratios from 0.74 to 1.29), unchanged writes' normalized `cpu_user_s` stayed between -6.9% and +9.4% of the
/// baseline's, each run against its own reference run (`ReferenceRuns`).
public struct MachineSpeed: Sendable, Codable, Equatable {
    /// Current / baseline median wall time of the reference (its compression part when both sides have it).
    public var ratio: Double
    public var ratioCI95: [Double]?
    /// Which reference metric set `ratio`.
    public var source: String?
    /// Current / baseline median CPU time of the reference's compression part, when both sides have it.
    public var cpuRatio: Double?
    public var bound: Double
    /// The bound for `cpuRatio`.
    public var cpuBound: Double = 0.25
    /// What the machine was doing during the current runs (medians over them), when recorded.
    public var currentCPUOthersS: Double?
    public var currentLoadAverage1m: Double?
    /// Fractions of the current and the baseline runs flagged `machine_shared` (other processes used over 0.2 of a
    /// core, or steal over 0.05), when recorded.
    public var currentSharedFraction: Double?
    public var baselineSharedFraction: Double?
    /// The reference's runs on both sides, in run order, for pairing each run with its own (not encoded).
    public var referenceRuns: ReferenceRuns?

    enum CodingKeys: String, CodingKey {
        case ratio, ratioCI95, source, cpuRatio, bound, cpuBound, currentCPUOthersS, currentLoadAverage1m
        case currentSharedFraction, baselineSharedFraction
    }

    /// Beyond the bound, or most runs of either side shared the machine with visible other work: the machine, not the
    /// code, changed most. A neighbour can slow the workload and not the reference (in one run of
    /// scripts/noise-demo.sh, other processes using 0.43 s of CPU per run cost an unchanged build 22% of its rows/s and
    /// 31% on `first_write_ms` while the ratio read 0.98), so time is not judged beside one.
    public var drifted: Bool { abs(ratio - 1) > bound || shared }

    /// More than half the runs of either side were flagged `machine_shared`.
    public var shared: Bool { (currentSharedFraction ?? 0) > 0.5 || (baselineSharedFraction ?? 0) > 0.5 }

    /// Beyond `cpuBound`; without a CPU ratio (a reference recorded before it existed), CPU time is not scaled and is
    /// not trusted once the wall-time ratio drifted.
    public var cpuDrifted: Bool { cpuRatio.map { abs($0 - 1) > cpuBound } ?? drifted }

    /// `machine 1.31x slower than at the baseline (95% CI 1.22-1.40)` plus the load that explains it, if recorded.
    public var description: String {
        let how = ratio >= 1 ? "\(Self.fmt(ratio))x slower" : "\(Self.fmt(1 / ratio))x faster"
        var s = "machine \(how) than at the baseline (reference workload"
        if let ci = ratioCI95, ci.count == 2 { s += ", 95% CI \(Self.fmt(ci[0]))-\(Self.fmt(ci[1]))" }
        if let c = cpuRatio { s += "; its CPU time x\(Self.fmt(c))" }
        s += ")"
        var causes: [String] = []
        if let o = currentCPUOthersS { causes.append("other processes used \(Self.fmt(o)) s of CPU per run") }
        if let l = currentLoadAverage1m { causes.append("load average \(Self.fmt(l))") }
        if let f = currentSharedFraction, f > 0 { causes.append("\(Int((f * 100).rounded()))% of the runs shared the machine") }
        if !causes.isEmpty { s += "; during the current runs " + causes.joined(separator: ", ") }
        if let f = baselineSharedFraction, f > 0.5 { s += "; \(Int((f * 100).rounded()))% of the baseline's runs shared the machine" }
        return s
    }

    static func fmt(_ v: Double) -> String { String(format: "%.2f", v) }

    /// The reference configurations' times on both sides, or nil when either side has none.
    public static func measure(baseline: ResultSet, current: ResultSet, bound: Double, cpuBound: Double = 0.25) -> MachineSpeed? {
        func reference(_ set: ResultSet) -> ConfigurationResults? { set.configurations.first { $0.workload == ReferenceWorkload.name } }
        func both(_ key: String) -> ([Double], [Double])? {
            guard let b = reference(baseline)?.metrics[key], let c = reference(current)?.metrics[key], !b.isEmpty, !c.isEmpty else { return nil }
            return (b, c)
        }
        func medianRatio(_ pair: ([Double], [Double])) -> Double? {
            guard let bm = RegressionStatistics.median(pair.0), let cm = RegressionStatistics.median(pair.1), bm > 0 else { return nil }
            return cm / bm
        }
        guard let key = ["reference_compress_ms", "reference_cpu_ms", Metric.wallS.name].first(where: { both($0) != nil }),
              let (b, c) = both(key), let ratio = medianRatio((b, c)) else { return nil }
        var speed = MachineSpeed(ratio: ratio, ratioCI95: nil, source: key, bound: bound, cpuBound: cpuBound)
        if b.count >= 2, c.count >= 2, let r = RegressionStatistics.bootstrapRatioCI(baseline: b, current: c) { speed.ratioCI95 = [r.low, r.high] }
        let cpu = both("reference_compress_cpu_ms")
        speed.cpuRatio = cpu.flatMap(medianRatio)
        speed.referenceRuns = ReferenceRuns(wall: (b, c), cpu: cpu)
        let currentRuns = current.configurations.filter { $0.workload != ReferenceWorkload.name }
        speed.currentCPUOthersS = RegressionStatistics.median(currentRuns.flatMap { $0.metrics[Metric.cpuOthersS.name] ?? [] })
        speed.currentLoadAverage1m = RegressionStatistics.median(currentRuns.flatMap { $0.metrics[Metric.loadAverage1m.name] ?? [] })
        speed.currentSharedFraction = sharedFraction(current)
        speed.baselineSharedFraction = sharedFraction(baseline)
        return speed
    }

    /// The fraction of a set's runs (the reference's left out) flagged `machine_shared`, nil when none recorded it.
    static func sharedFraction(_ set: ResultSet) -> Double? {
        let flags = set.configurations.filter { $0.workload != ReferenceWorkload.name }.flatMap { $0.metrics[Metric.machineShared.name] ?? [] }
        guard !flags.isEmpty else { return nil }
        return Double(flags.filter { $0 >= 1 }.count) / Double(flags.count)
    }

    /// How a metric scales with machine speed: time metrics grow with the ratio, throughput shrinks; CPU-time metrics
    /// (`cpu_user_s`, `cpu_sys_s`, `rows_per_cpu_second`) with the CPU ratio instead: a neighbour taking turns on a
    /// core changes wall time far more than CPU time, and not in proportion (two CPU hogs took the reference's wall time
    /// from 0.181 to 0.374 s and left its CPU time at 0.14 s). Nil for others: memory, counts, and the
    /// machine-activity metrics themselves.
    public static func scaling(of metric: String) -> Scaling? {
        switch metric {
        case Metric.cpuUserS.name, Metric.cpuSysS.name: return .cpuTime
        case Metric.rowsPerCPUS.name: return .cpuThroughput
        case Metric.cpuOthersS.name, Metric.cpuStealS.name, Metric.samplerCPUMicrosPerSample.name: return nil
        default: break
        }
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

    public enum Scaling: Sendable {
        case time, throughput, cpuTime, cpuThroughput
        var isCPU: Bool { self == .cpuTime || self == .cpuThroughput }
    }

    /// The ratio a metric of `scaling` is divided by, nil when there is none (CPU time against a reference recorded
    /// without its compression CPU time).
    public func factor(_ scaling: Scaling) -> Double? { scaling.isCPU ? cpuRatio : ratio }

    /// Whether the machine moved too far for a metric of `scaling` to be judged.
    public func drifted(for scaling: Scaling) -> Bool { scaling.isCPU ? cpuDrifted : drifted }

    /// Both sides as they would have been on one machine: each run against its own reference run when they pair
    /// (`ReferenceRuns`), else `current` divided by the ratio of medians.
    public func normalized(baseline: [Double], current: [Double], _ scaling: Scaling) -> (baseline: [Double], current: [Double]) {
        guard factor(scaling) != nil else { return (baseline, current) }
        if let p = referenceRuns?.paired(baseline: baseline, current: current, scaling) { return p }
        return (baseline, normalized(current, scaling))
    }

    /// `values` as they would have been on the baseline's machine.
    public func normalized(_ values: [Double], _ scaling: Scaling) -> [Double] {
        guard let f = factor(scaling) else { return values }
        switch scaling {
        case .time, .cpuTime: return values.map { $0 / f }
        case .throughput, .cpuThroughput: return values.map { $0 * f }
        }
    }
}
