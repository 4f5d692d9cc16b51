import Foundation
import RunContract
import Workloads

/// The sampler's own cost, measured with the `alloc` calibration workload before a sweep.
public struct SamplerOverhead: Codable, Sendable {
    /// CPU time of the parent's monitoring thread per sample, µs (median over the runs at each interval), including the
    /// thread's fixed per-run work (opening /proc files, reading events) spread over the samples.
    public var cpuMicrosPerSample: [String: Double]
    /// Marginal CPU per sample, µs: (CPU at 1 ms − CPU at 10 ms) / (samples at 1 ms − samples at 10 ms), medians of the
    /// per-run totals; the cost of one more sample without the per-run fixed work. Nil when not measurable.
    public var marginalCPUMicrosPerSample: Double?
    /// Median measured-region wall time of the calibration workload per sampling interval (`off`, `1`, `10` ms), s.
    public var wallS: [String: Double]
    /// Wall time relative to sampling off, per interval.
    public var wallRatioVsOff: [String: Double]
    /// The calibration: workload, parameters and repeats per interval.
    public var calibration: String
}

extension SamplerOverhead {
    var summaryLine: String {
        var cpu = ["1", "10"].compactMap { k in cpuMicrosPerSample[k].map { "\(formatNumber($0, digits: 2)) µs CPU/sample at \(k) ms" } }
        if let m = marginalCPUMicrosPerSample { cpu.append("marginal \(formatNumber(m, digits: 2)) µs/sample") }
        let walls = ["off", "1", "10"].compactMap { k in wallS[k].map { "\(k == "off" ? "off" : k + " ms") \(formatNumber($0 * 1000, digits: 1)) ms" } }
        return "sampler overhead: " + cpu.joined(separator: ", ") + "; calibration wall " + walls.joined(separator: " / ")
    }
}

/// Runs the `alloc` calibration workload (256 MiB in 8 MiB steps, no hold) 5 times each at sampling off, 1 ms and
/// 10 ms, interleaved, and reports the monitoring thread's CPU per sample and the wall-time ratios.
func measureSamplerOverhead(executor: RunExecutor) throws -> SamplerOverhead {
    let params = [KeyValue("mb", "256"), KeyValue("step_mb", "8"), KeyValue("hold_ms", "0")]
    let cfg = RunConfiguration(workload: AllocWorkload.name, commandTemplate: nil, allocator: .system, env: [], params: params, sweptParams: [])
    let settings: [(String, Double)] = [("off", 0), ("1", 1), ("10", 10)]
    var walls: [String: [Double]] = [:]
    var cpus: [String: [Double]] = [:]
    var totals: [String: [(cpuNs: Double, samples: Double)]] = [:]
    let repeats = 5
    var quiet = executor
    quiet = RunExecutor(plan: { var p = executor.plan; p.allocCounts = false; return p }(), outputDirectory: executor.scratchDirectory,
                        scratchDirectory: executor.scratchDirectory, environment: executor.environment)
    for r in 0..<repeats {
        for (key, ms) in settings {
            let run = PlannedRun(configuration: cfg, repeatIndex: r, isWarmup: true)
            let res = try quiet.execute(run, sampleMsOverride: ms)
            guard res.record.status == .ok, let w = Double(res.record[Metric.wallS.name] ?? "") else { continue }
            walls[key, default: []].append(w)
            if ms > 0, let c = res.samplerCPUNsPerSample { cpus[key, default: []].append(c / 1000) }
            if ms > 0 { totals[key, default: []].append((Double(res.samplerCPUNs), Double(res.samples))) }
        }
    }
    let wallMedian = walls.compactMapValues { SampleStatistics($0)?.median }
    let cpuMedian = cpus.compactMapValues { SampleStatistics($0)?.median }
    var ratio: [String: Double] = [:]
    if let off = wallMedian["off"], off > 0 { for (k, v) in wallMedian { ratio[k] = v / off } }
    var marginal: Double?
    if let a = totals["1"], let b = totals["10"], let ca = SampleStatistics(a.map(\.cpuNs))?.median, let cb = SampleStatistics(b.map(\.cpuNs))?.median,
       let sa = SampleStatistics(a.map(\.samples))?.median, let sb = SampleStatistics(b.map(\.samples))?.median, sa > sb, ca > cb {
        marginal = (ca - cb) / (sa - sb) / 1000
    }
    return SamplerOverhead(cpuMicrosPerSample: cpuMedian, marginalCPUMicrosPerSample: marginal, wallS: wallMedian, wallRatioVsOff: ratio,
                           calibration: "alloc mb=256 step_mb=8 hold_ms=0, system allocator, \(repeats) runs per interval, interleaved; medians")
}
