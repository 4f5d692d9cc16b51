import Foundation
import RunContract
import Workloads

/// The measured noise of a suite on this machine, from one A/A sweep: every configuration ran `2k` repeats of the
/// same build, interleaved (each repeat round runs every configuration once), so the only difference between any two
/// halves of a configuration's repeats is the machine.
///
/// For each gated metric of each configuration it reports:
/// - `spreadPercent`: (max − min) / median of all repeats;
/// - `abChangePercent`: even-numbered repeats (A) against odd-numbered ones (B), the way `check --against` pairs them;
/// - `floorPercent`: the 95th percentile of |median(B) / median(A) − 1| over every balanced split of the repeats into
///   A and B (all of them up to 5,000, else 5,000 drawn with a fixed seed): the change a check with k repeats per side
///   sees from noise alone in 1 of 20 comparisons.
/// The suggested threshold of a metric is its largest floor over a workload's configurations times `safety`, rounded
/// up to a whole percent and at least 1% (deterministic metrics that never varied: `exact`), keeping the default's
/// absolute floor where it has one (`+20%,abs:0.05` for CPU seconds).
///
/// One session is the noise of one invocation; a stored baseline from another day also sees the machine change. With
/// several sessions (say one quiet and one beside a CPU hog), the suggestion also covers each metric's largest
/// `SessionShift` between sessions: what a check sees when baseline and check ran under different conditions, after
/// the `reference` workload's speed ratio is divided out of time and throughput as `check` does.
public struct NoiseFloor: Sendable {
    /// One metric of one configuration.
    public struct Entry: Sendable, Equatable {
        /// The result set's source (its directory).
        public var session: String
        public var workload: String
        public var configuration: String
        public var metric: String
        public var direction: MetricDirection
        public var kind: MetricKind
        public var repeats: Int
        public var median: Double
        public var spreadPercent: Double
        public var abChangePercent: Double
        public var floorPercent: Double
    }

    /// A suggested threshold for `workload.metric`.
    public struct Suggestion: Sendable, Equatable {
        public var workload: String
        public var metric: String
        /// The largest floor over the workload's configurations and sessions, %.
        public var floorPercent: Double
        /// The largest judged |shift| between sessions, %, when there were two or more.
        public var shiftPercent: Double?
        /// `+N%`, `-N%` or `exact`.
        public var spec: String
        /// The metric's default threshold, for comparison.
        public var defaultSpec: String
    }

    public var entries: [Entry] = []
    /// Between sessions (empty with one).
    public var shifts: [SessionShift] = []
    public var suggestions: [Suggestion] = []
    public var safety: Double
    public var sessions: [String]

    /// Splits drawn at most per metric (beyond that many balanced splits, a seeded sample of them).
    public static let maxSplits = 5_000

    /// Analyses `set` (every configuration with at least 4 ok repeats; fewer are skipped).
    public init(_ set: ResultSet, safety: Double = 1.5) {
        self.init(sessions: [set], safety: safety)
    }

    /// Analyses each session's A/A noise and the shifts between sessions; the bounds as in `ComparisonOptions`.
    public init(sessions: [ResultSet], safety: Double = 1.5, driftBound: Double = 0.10, cpuDriftBound: Double = 0.25) {
        self.safety = safety
        self.sessions = sessions.map(\.source)
        for set in sessions { entries += Self.entries(set) }
        shifts = SessionShift.between(sessions, driftBound: driftBound, cpuDriftBound: cpuDriftBound)
        suggestions = Self.suggest(entries, shifts: shifts, safety: safety)
    }

    static func entries(_ set: ResultSet) -> [Entry] {
        var entries: [Entry] = []
        let shown = Self.shownParameters(set)
        for c in set.configurations {
            for metric in c.metrics.keys.sorted() {
                guard let info = MetricCatalogue.info(for: metric), let values = c.metrics[metric], values.count >= 4,
                      let median = RegressionStatistics.median(values), median != 0 else { continue }
                let a = stride(from: 0, to: values.count, by: 2).map { values[$0] }
                let b = stride(from: 1, to: values.count, by: 2).map { values[$0] }
                let ab = (RegressionStatistics.median(b) ?? median) / (RegressionStatistics.median(a) ?? median) - 1
                entries.append(Entry(session: set.source, workload: c.workload, configuration: c.label(showing: shown), metric: metric,
                                     direction: info.direction, kind: info.kind, repeats: values.count, median: median,
                                     spreadPercent: ((values.max() ?? 0) - (values.min() ?? 0)) / abs(median) * 100,
                                     abChangePercent: ab * 100, floorPercent: Self.floor(values) * 100))
            }
        }
        return entries
    }

    /// The 95th percentile of |median(B)/median(A) − 1| over balanced splits of `values`.
    static func floor(_ values: [Double]) -> Double {
        let n = values.count, half = n / 2
        var changes: [Double] = []
        var scratchA = [Double](), scratchB = [Double]()
        func add(_ inA: [Bool]) {
            scratchA.removeAll(keepingCapacity: true)
            scratchB.removeAll(keepingCapacity: true)
            for i in 0..<n { if inA[i] { scratchA.append(values[i]) } else { scratchB.append(values[i]) } }
            guard let ma = RegressionStatistics.median(scratchA), let mb = RegressionStatistics.median(scratchB), ma != 0 else { return }
            changes.append(abs(mb / ma - 1))
        }
        if binomial(n, half) <= Double(maxSplits) {
            var combination = Array(0..<half)
            while true {
                var inA = [Bool](repeating: false, count: n)
                for i in combination { inA[i] = true }
                add(inA)
                guard let next = nextCombination(combination, n: n) else { break }
                combination = next
            }
        } else {
            var rng = SplitMix64(seed: 0x5EED)
            var order = Array(0..<n)
            for _ in 0..<maxSplits {
                for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
                var inA = [Bool](repeating: false, count: n)
                for i in order.prefix(half) { inA[i] = true }
                add(inA)
            }
        }
        changes.sort()
        guard !changes.isEmpty else { return 0 }
        return changes[min(changes.count - 1, Int((Double(changes.count) * 0.95).rounded(.up)) - 1)]
    }

    static func binomial(_ n: Int, _ k: Int) -> Double {
        var r = 1.0
        for i in 0..<k { r = r * Double(n - i) / Double(i + 1) }
        return r
    }

    /// The next k-combination of 0..<n in lexicographic order, or nil after the last.
    static func nextCombination(_ c: [Int], n: Int) -> [Int]? {
        var c = c
        let k = c.count
        var i = k - 1
        while i >= 0 && c[i] == n - k + i { i -= 1 }
        guard i >= 0 else { return nil }
        c[i] += 1
        for j in (i + 1)..<k { c[j] = c[j - 1] + 1 }
        return c
    }

    static func suggest(_ entries: [Entry], shifts: [SessionShift] = [], safety: Double) -> [Suggestion] {
        var largestShift: [String: Double] = [:]
        for s in shifts where s.judged {
            largestShift[s.workload + "." + s.metric] = max(largestShift[s.workload + "." + s.metric] ?? 0, abs(s.changePercent))
        }
        var order: [String] = []
        var worst: [String: Entry] = [:]
        for e in entries {
            let key = e.workload + "." + e.metric
            if worst[key] == nil { order.append(key) }
            if worst[key].map({ e.floorPercent > $0.floorPercent || e.spreadPercent > $0.spreadPercent && e.floorPercent == $0.floorPercent }) ?? true {
                worst[key] = e
            }
        }
        return order.compactMap { key in
            guard let e = worst[key], let info = MetricCatalogue.info(for: e.metric) else { return nil }
            var d = info.threshold
            if info.direction != .mustBeEqual { d.direction = info.direction }
            let spec: String
            if e.direction == .mustBeEqual || (e.kind == .deterministic && e.spreadPercent == 0 && (largestShift[key] ?? 0) == 0) {
                spec = "exact"
            } else {
                let measured = max(e.floorPercent, e.kind == .deterministic ? e.spreadPercent : 0, largestShift[key] ?? 0)
                let pct = max(1, (measured * safety).rounded(.up))
                spec = (e.direction == .higherIsBetter ? "-" : "+") + Threshold.number(pct) + "%"
                    + (info.threshold.absolute.map { ",abs:" + Threshold.number($0) } ?? "")
            }
            return Suggestion(workload: e.workload, metric: e.metric, floorPercent: e.floorPercent, shiftPercent: largestShift[key],
                              spec: spec, defaultSpec: "\(d)")
        }
    }

    /// Parameters whose values differ between configurations (shown in labels).
    static func shownParameters(_ set: ResultSet) -> [String] {
        let names = Set(set.configurations.flatMap { $0.parameters.keys }).sorted()
        return names.filter { n in Set(set.configurations.map { $0.parameters[n] ?? "" }).count > 1 }
    }
}
