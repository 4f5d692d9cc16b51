import Foundation
import TOMLKit
import RunContract

/// Thresholds per metric and per workload: catalogue defaults, then the suite's `[thresholds]` table,
/// then `--threshold` options; a `workload.metric` entry beats a plain `metric` entry from any source.
public struct ThresholdSet: Sendable, Equatable {
    /// Overrides for every workload, keyed by metric.
    public private(set) var perMetric: [String: (Threshold, String)] = [:]
    /// Overrides for one workload, keyed by workload then metric.
    public private(set) var perWorkload: [String: [String: (Threshold, String)]] = [:]

    public init() {}

    public static func == (a: ThresholdSet, b: ThresholdSet) -> Bool {
        func flat(_ d: [String: (Threshold, String)]) -> [String: Threshold] { d.mapValues { $0.0 } }
        return flat(a.perMetric) == flat(b.perMetric)
            && a.perWorkload.mapValues(flat) == b.perWorkload.mapValues(flat)
    }

    /// Metrics named by a threshold that are neither in the metric table, nor a per-phase or per-cache column, nor in
    /// `present` (the columns of the result sets compared), with the threshold's source: a typo would otherwise
    /// silently judge nothing.
    public func unknownMetrics(present: Set<String>) -> [(metric: String, source: String)] {
        var named = perMetric.map { ($0.key, $0.value.1) }
        for (_, metrics) in perWorkload { named += metrics.map { ($0.key, $0.value.1) } }
        return named.filter { metric, _ in
            Metric.named(metric) == nil && !present.contains(metric)
                && !metric.hasPrefix(RunColumn.phasePrefix) && !metric.hasPrefix(RunColumn.cachePrefix)
        }.sorted { $0.0 < $1.0 }.map { (metric: $0.0, source: $0.1) }
    }

    /// Sets one threshold from `KEY=SPEC` (`peak_rss_mb=+10%`, `write.rows_per_s=-3%`), as given to `--threshold`.
    public mutating func add(option text: String) throws {
        guard let eq = text.firstIndex(of: "=") else {
            throw HarnessError(source: "--threshold", value: text, reason: "expected METRIC=SPEC or WORKLOAD.METRIC=SPEC (e.g. peak_rss_mb=+10%)")
        }
        let key = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        let spec = String(text[text.index(after: eq)...])
        do { try set(key: key, spec: spec, source: "--threshold") } catch let e as ThresholdError {
            throw HarnessError(source: "--threshold", field: key, value: spec, reason: e.description)
        }
    }

    /// Sets the threshold of `key` (`metric` or `workload.metric`) from `spec`.
    public mutating func set(key: String, spec: String, source: String) throws {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (parts.count == 1 || parts.count == 2), parts.allSatisfy(Self.isName) else {
            throw ThresholdError("'\(key)' is not a metric name or WORKLOAD.METRIC")
        }
        let metric = parts.last!
        let threshold = try Threshold.parse(spec, metric: metric)
        if MetricCatalogue.info(for: metric) == nil && MetricCatalogue.inferred(for: metric) == nil && threshold.direction == nil {
            throw ThresholdError("'\(metric)' has no known direction: write +N% if increases are bad or -N% if decreases are")
        }
        if let known = MetricCatalogue.info(for: metric), let d = threshold.direction, known.direction != .mustBeEqual, d != known.direction {
            let want = known.direction == .higherIsBetter ? "a decrease (write -N%)" : "an increase (write +N%)"
            throw ThresholdError("'\(metric)' is \(known.direction == .higherIsBetter ? "higher" : "lower")-is-better, so its threshold is \(want), not '\(spec.trimmingCharacters(in: .whitespaces))'")
        }
        if parts.count == 2 {
            perWorkload[parts[0], default: [:]][metric] = (threshold, source)
        } else {
            perMetric[metric] = (threshold, source)
        }
    }

    private static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }

    /// How `metric` of `workload` is judged, or nil when it is outside the catalogue and no threshold names it.
    public func rule(metric: String, workload: String) -> MetricRule? {
        let override = perWorkload[workload]?[metric] ?? perMetric[metric]
        if let info = MetricCatalogue.info(for: metric) {
            guard let (t, source) = override else { return MetricRule(info: info, threshold: info.threshold, source: "default") }
            return MetricRule(info: info, threshold: t, source: source)
        }
        // Outside the catalogue: judged only when a threshold names it; direction from its sign, else from the name.
        guard let (t, source) = override else { return nil }
        let guess = MetricCatalogue.inferred(for: metric)
        guard let bad = t.direction ?? guess?.direction else { return nil }
        return MetricRule(info: MetricInfo(metric, bad, guess?.kind ?? .noisy, t, unit: guess?.unit ?? ""), threshold: t, source: source)
    }

    /// Reads the `[thresholds]` table of a suite file. Keys are metrics (`peak_rss_mb = "+10%"`),
    /// quoted `"workload.metric"` keys, or sub-tables per workload (`[thresholds.write]` then `rows_per_s = "-3%"`).
    /// Values are strings in the `--threshold` syntax. A file without the table yields an empty set.
    public static func fromSuite(text: String, file: String) throws -> ThresholdSet {
        let root: TOMLTable
        do { root = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw HarnessError(source: file, field: "line \(e.source.begin.line)", reason: "TOML syntax: \(e.description)")
        }
        var set = ThresholdSet()
        guard let value = root["thresholds"] else { return set }
        guard let table = value.table else {
            throw HarnessError(source: file, field: "thresholds", reason: "must be a table ([thresholds])")
        }
        func entry(_ key: String, _ v: TOMLValueConvertible) throws {
            guard let spec = v.string else {
                throw HarnessError(source: file, field: "thresholds.\(key)", value: v.debugDescription,
                                   reason: "not a threshold string (write e.g. \"+10%\", \"-5%\", \"+5MB\", \"abs:5\" or \"exact\")")
            }
            do { try set.set(key: key, spec: spec, source: "suite") } catch let e as ThresholdError {
                throw HarnessError(source: file, field: "thresholds.\(key)", value: spec, reason: e.description)
            }
        }
        for key in table.keys.sorted() {
            guard let v = table[key] else { continue }
            if let sub = v.table {
                for metric in sub.keys.sorted() {
                    guard let mv = sub[metric] else { continue }
                    if mv.table != nil {
                        throw HarnessError(source: file, field: "thresholds.\(key).\(metric)", reason: "nested tables go one level deep (workload, then metric)")
                    }
                    try entry("\(key).\(metric)", mv)
                }
            } else {
                try entry(key, v)
            }
        }
        return set
    }
}
