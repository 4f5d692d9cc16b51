import Foundation
import TOMLKit

/// The change a metric may make in its bad direction before it counts as regressed (and, mirrored,
/// the change in its good direction before it counts as improved).
///
/// A threshold has a relative part (a fraction of the baseline median: `0.05` = 5 %), an absolute part
/// (in the metric's own unit: MB for `*_mb`, ms for `*_ms`, bytes for `*bytes*`), or both; with both, a change
/// must exceed both to count, so the absolute part acts as a floor for metrics with tiny baselines.
/// `exact` (relative 0) flags any change at all, which is what deterministic counts want.
public struct Threshold: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Tolerated relative change as a fraction (0.05 = 5 %), or nil.
    public var relative: Double?
    /// Tolerated absolute change in the metric's unit, or nil.
    public var absolute: Double?
    /// The bad direction stated by the threshold's sign (`+` = increases are bad, `-` = decreases are bad);
    /// nil when no sign was written, and then the metric catalogue decides.
    public var direction: MetricDirection?

    public init(relative: Double? = nil, absolute: Double? = nil, direction: MetricDirection? = nil) {
        self.relative = relative
        self.absolute = absolute
        self.direction = direction
    }

    /// A relative threshold (fraction, e.g. 0.05 for 5 %).
    public static func relative(_ fraction: Double) -> Threshold { Threshold(relative: fraction) }
    /// Any change counts.
    public static let exact = Threshold(relative: 0)

    /// True when the change from `baseline` to `current` (of magnitude `|current - baseline|`) is beyond
    /// every part of this threshold. Changes are compared with their magnitude; the caller decides which way is bad.
    public func isExceeded(baseline: Double, current: Double) -> Bool {
        let delta = abs(current - baseline)
        if delta == 0 { return false }
        var exceeded = true
        if let r = relative {
            if baseline == 0 { exceeded = exceeded && true } else { exceeded = exceeded && delta / abs(baseline) > r + 1e-12 }
        }
        if let a = absolute { exceeded = exceeded && delta > a }
        return exceeded
    }

    /// `+10%`, `-5%`, `exact`, `+5 (abs)`, `+10%,+5 (abs)`.
    public var description: String {
        let sign: String
        switch direction {
        case .lowerIsBetter?: sign = "+"
        case .higherIsBetter?: sign = "-"
        default: sign = "±"
        }
        var parts: [String] = []
        if let r = relative {
            parts.append(r == 0 && absolute == nil ? "exact" : "\(sign)\(Self.number(r * 100))%")
        }
        if let a = absolute { parts.append("\(sign)\(Self.number(a)) abs") }
        return parts.isEmpty ? "none" : parts.joined(separator: ",")
    }

    static func number(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(format: "%g", v)
    }

    /// Parses a threshold for `metric` from text:
    /// - `N%` / `+N%` / `-N%`: relative; the sign names the bad direction and must agree with the metric's;
    /// - `exact` (same as `0%`): any change counts;
    /// - `+N MB` / `+Nms` / `+Ns` / `+NB`: absolute, in the metric's own unit (checked against its name's suffix);
    /// - `abs:N` / `abs:+N`: absolute in the metric's unit, whatever it is;
    /// - several parts separated by `,` (e.g. `+10%,+5MB`): all must be exceeded.
    /// A bare number is rejected as ambiguous. Errors are one line naming the metric and the value.
    public static func parse(_ text: String, metric: String) throws -> Threshold {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw ThresholdError("empty threshold (write e.g. +10%, -5%, +5MB, abs:5 or exact)")
        }
        var result = Threshold()
        for rawPart in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let part = rawPart.trimmingCharacters(in: .whitespaces)
            if part.lowercased() == "exact" {
                guard result.relative == nil else { throw ThresholdError("gives a relative part twice") }
                result.relative = 0
                continue
            }
            var body = Substring(part)
            var isAbsolute = false
            if body.lowercased().hasPrefix("abs:") { body = body.dropFirst(4); isAbsolute = true }
            var sign: MetricDirection? = nil
            if body.hasPrefix("+") { sign = .lowerIsBetter; body = body.dropFirst() } else if body.hasPrefix("-") { sign = .higherIsBetter; body = body.dropFirst() }
            let numberEnd = body.firstIndex(where: { !($0.isNumber || $0 == ".") }) ?? body.endIndex
            let numberText = body[body.startIndex..<numberEnd]
            let suffix = body[numberEnd...].trimmingCharacters(in: .whitespaces)
            guard let value = Double(numberText), value.isFinite, value >= 0 else {
                throw ThresholdError("'\(part)' is not a number followed by % or a unit (e.g. +10%, -5%, +5MB, abs:5, exact)")
            }
            if let s = sign {
                if let d = result.direction, d != s {
                    throw ThresholdError("mixes + and - signs")
                }
                result.direction = s
            }
            if suffix == "%" && !isAbsolute {
                guard result.relative == nil else { throw ThresholdError("gives a relative part twice") }
                result.relative = value / 100
            } else if isAbsolute || !suffix.isEmpty {
                if !suffix.isEmpty {
                    let unit = canonicalUnit(suffix)
                    guard let unit else {
                        throw ThresholdError("unknown unit '\(suffix)' (use %, MB, ms, s, B, or abs:N in the metric's unit)")
                    }
                    let metricUnit = MetricCatalogue.unitSuffix(of: metric)
                    guard metricUnit == unit else {
                        throw ThresholdError("unit '\(suffix)' does not match metric '\(metric)' (\(metricUnit.map { "its unit is \($0)" } ?? "it has no unit; use abs:N"))")
                    }
                }
                guard result.absolute == nil else { throw ThresholdError("gives an absolute part twice") }
                result.absolute = value
            } else {
                throw ThresholdError("'\(part)' is ambiguous: write \(part)% for relative or abs:\(part) for absolute")
            }
        }
        return result
    }

    private static func canonicalUnit(_ s: String) -> String? {
        switch s.lowercased() {
        case "mb", "mib": return "MB"
        case "ms": return "ms"
        case "s", "sec": return "s"
        case "b", "bytes": return "B"
        default: return nil
        }
    }
}

/// A threshold could not be parsed or does not fit its metric. `description` is one line.
public struct ThresholdError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// How one metric of one workload is judged, after defaults and overrides.
public struct MetricRule: Sendable, Equatable {
    public let info: MetricInfo
    public let threshold: Threshold
    /// Where the threshold came from: `default`, `suite`, `--threshold`.
    public let source: String
}

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
