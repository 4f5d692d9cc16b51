import Foundation

/// The reference workload's runs on both sides of a comparison, in run order, so each run of the suite can be judged
/// against the reference run interleaved with it (`check` and `run --reference` run the suite's configurations, then
/// the reference, once per repeat round): a neighbour that comes and goes within a check slows a run and the reference
/// beside it together. Over six runs of scripts/noise-demo.sh (60 unchanged checks), pairing kept unchanged builds'
/// normalized `cpu_user_s` within -6.9% and +9.4% of the baseline's, where one ratio of medians for the whole check
/// let it reach +13.8%.
public struct ReferenceRuns: Sendable, Equatable {
    /// Wall time of the part that sets `MachineSpeed.ratio`, baseline then current.
    public var wall: (baseline: [Double], current: [Double])
    /// CPU time of the compression part, when both sides recorded it.
    public var cpu: (baseline: [Double], current: [Double])?

    public static func == (a: ReferenceRuns, b: ReferenceRuns) -> Bool {
        a.wall.baseline == b.wall.baseline && a.wall.current == b.wall.current
            && a.cpu?.baseline == b.cpu?.baseline && a.cpu?.current == b.cpu?.current
    }

    /// Each side's values divided by (time metrics; multiplied by, throughput) its own reference run's ratio to the
    /// baseline reference's median, when every run on both sides has a reference run beside it (the counts match);
    /// nil otherwise (failed runs break the pairing), and the caller falls back to one ratio of medians.
    func paired(baseline: [Double], current: [Double], _ scaling: MachineSpeed.Scaling) -> (baseline: [Double], current: [Double])? {
        guard let refs = scaling.isCPU ? cpu : wall, refs.baseline.count == baseline.count, refs.current.count == current.count,
              let scale = RegressionStatistics.median(refs.baseline), scale > 0,
              !refs.baseline.contains(where: { $0 <= 0 }), !refs.current.contains(where: { $0 <= 0 }) else { return nil }
        func apply(_ values: [Double], _ reference: [Double]) -> [Double] {
            zip(values, reference).map { value, ref in
                switch scaling {
                case .time, .cpuTime: return value / (ref / scale)
                case .throughput, .cpuThroughput: return value * (ref / scale)
                }
            }
        }
        return (apply(baseline, refs.baseline), apply(current, refs.current))
    }
}
