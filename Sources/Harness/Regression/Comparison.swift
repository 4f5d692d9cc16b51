import Foundation

/// What happened to one metric of one configuration, or to a configuration as a whole.
public enum Verdict: String, Sendable, Codable, Equatable, CaseIterable {
    /// Beyond the threshold in the bad direction (and significant, for a noisy metric with enough repeats).
    case regressed
    /// Beyond the threshold in the good direction (and significant, for a noisy metric with enough repeats).
    case improved
    /// Within the threshold.
    case unchanged
    /// The median moved beyond the threshold but the repeats do not differ significantly: not a verdict either way.
    case noise
    /// A configuration of the baseline that the current results lack (only with `--allow-missing`).
    case missing
    /// A configuration of the current results that the baseline lacks (only with `--allow-missing`).
    case new
}

/// How noisy metrics are tested.
public struct ComparisonOptions: Sendable {
    /// Thresholds: catalogue defaults plus suite and command-line overrides.
    public var thresholds = ThresholdSet()
    /// Significance level of the two-sided Mann-Whitney U test. Default 0.05.
    public var alpha: Double = 0.05
    /// Fewest repeats on each side before statistics are used. Default 3; statistics also need the exact
    /// test's smallest attainable p-value `2 / C(n1 + n2, n1)` to be at most `alpha` (so 3 vs 3, whose best p is 0.1,
    /// cannot be significant at 0.05: 4 vs 4 or 3 vs 5 is the least that can).
    public var minRepeats: Int = 3
    /// Compare what matches and report the rest as `missing`/`new` instead of failing with exit 2. Default false.
    public var allowMissing = false
    /// Parameters left out when pairing configurations (to compare a deliberately changed setting against the
    /// baseline, e.g. `flush_every`). Default none.
    public var ignoreParameters: Set<String> = []

    public init() {}
}

/// One metric of one configuration, compared.
public struct MetricComparison: Sendable, Codable, Equatable {
    /// Configuration label (`write batch_rows=10000 system`).
    public var configuration: String
    public var workload: String
    public var metric: String
    /// `higher`, `lower` or `equal` (which way is better).
    public var direction: MetricDirection
    /// `noisy` or `deterministic`.
    public var kind: MetricKind
    /// All values, in repeat order.
    public var baseline: [Double]
    public var current: [Double]
    public var baselineMedian: Double
    public var currentMedian: Double
    /// `(current - baseline) / baseline` of the medians, nil when the baseline median is 0.
    public var change: Double?
    /// The threshold applied, as text (`-5%`, `+10%`, `exact`) and where it came from (`default`, `suite`, `--threshold`).
    public var threshold: String
    public var thresholdSource: String
    public var verdict: Verdict
    /// Two-sided Mann-Whitney U p-value, when statistics were used.
    public var pValue: Double?
    /// `mann-whitney exact`, `mann-whitney normal`, `deterministic` or `threshold only`.
    public var test: String
    /// 95 % bootstrap interval of `median(current) / median(baseline)` (fixed seed), when both sides have 2+ values.
    public var ratioCI: [Double]?
    /// Explanation shown next to the verdict (`deterministic: no statistics needed`, `insufficient repeats ...`).
    public var note: String

    enum CodingKeys: String, CodingKey {
        case configuration, workload, metric, direction, kind, baseline, current
        case baselineMedian = "baseline_median"
        case currentMedian = "current_median"
        case change, threshold
        case thresholdSource = "threshold_source"
        case verdict
        case pValue = "p_value"
        case test
        case ratioCI = "ratio_ci95"
        case note
    }
}

/// A run of the current results that did not end `ok`.
public struct FailedRunEntry: Sendable, Codable, Equatable {
    public var configuration: String
    public var runID: String
    public var status: String
    public var error: String

    enum CodingKeys: String, CodingKey {
        case configuration
        case runID = "run_id"
        case status, error
    }
}

/// The whole comparison: every judged metric, failed runs, unmatched configurations, warnings and the exit code.
public struct ComparisonReport: Sendable, Codable, Equatable {
    /// Name and source of each side.
    public var baseline: String
    public var current: String
    public var baselineEnvironment: BaselineEnvironment
    public var currentEnvironment: BaselineEnvironment
    /// Things the reader must know (different machine, failed baseline runs, metrics on one side only).
    public var warnings: [String]
    public var comparisons: [MetricComparison]
    public var failedRuns: [FailedRunEntry]
    /// Configuration labels present on one side only (with `--allow-missing`).
    public var missingConfigurations: [String]
    public var newConfigurations: [String]
    /// Numeric columns outside the metric catalogue that no threshold names: listed, not judged.
    public var notJudged: [String]
    /// Significance level and minimum repeats used.
    public var alpha: Double
    public var minRepeats: Int
    /// 0 nothing regressed, 1 a regression or a failed run.
    public var exitCode: Int32

    enum CodingKeys: String, CodingKey {
        case baseline, current
        case baselineEnvironment = "baseline_environment"
        case currentEnvironment = "current_environment"
        case warnings, comparisons
        case failedRuns = "failed_runs"
        case missingConfigurations = "missing_configurations"
        case newConfigurations = "new_configurations"
        case notJudged = "not_judged"
        case alpha
        case minRepeats = "min_repeats"
        case exitCode = "exit_code"
    }

    /// Metric comparisons with `verdict`.
    public func count(_ verdict: Verdict) -> Int { comparisons.filter { $0.verdict == verdict }.count }
}

/// The verdict of one metric from its two samples.
public struct Judgement: Sendable, Equatable {
    public var verdict: Verdict
    public var pValue: Double?
    public var test: String
    public var note: String
    public var ratioCI: [Double]?
}

/// Compares result sets: pairs configurations, judges each metric, collects failures.
public enum Comparator {
    /// Judges one metric: medians against the threshold, then (noisy metrics with enough repeats) the
    /// Mann-Whitney U test at `alpha`. Deterministic metrics use the threshold alone. Samples must be non-empty.
    public static func judge(baseline: [Double], current: [Double], rule: MetricRule, alpha: Double = 0.05, minRepeats: Int = 3) -> Judgement {
        let b = RegressionStatistics.median(baseline) ?? 0
        let c = RegressionStatistics.median(current) ?? 0
        var ci: [Double]? = nil
        if rule.info.kind == .noisy, baseline.count >= 2, current.count >= 2,
           let r = RegressionStatistics.bootstrapRatioCI(baseline: baseline, current: current) {
            ci = [r.low, r.high]
        }
        let exceeded = rule.threshold.isExceeded(baseline: b, current: c)
        let worse: Bool
        switch rule.info.direction {
        case .lowerIsBetter: worse = c > b
        case .higherIsBetter: worse = c < b
        case .mustBeEqual: worse = c != b
        }
        if rule.info.kind == .deterministic {
            var note = "deterministic: no statistics needed"
            if Set(baseline).count > 1 || Set(current).count > 1 { note += " (values vary across repeats; medians compared)" }
            if rule.info.direction == .mustBeEqual && exceeded { note += "; must be equal: the two sides did not run the same thing" }
            let v: Verdict = !exceeded ? .unchanged : (worse ? .regressed : .improved)
            return Judgement(verdict: v, pValue: nil, test: "deterministic", note: note, ratioCI: nil)
        }
        let n1 = baseline.count, n2 = current.count
        let enough = n1 >= minRepeats && n2 >= minRepeats && RegressionStatistics.minimumPValue(n1, n2) <= alpha
        guard enough else {
            var need = max(minRepeats, 1)
            while need < 64 && RegressionStatistics.minimumPValue(need, need) > alpha { need += 1 }
            let note = "insufficient repeats (\(n1) vs \(n2)): threshold only; the U test needs \(need) per side at α = \(Threshold.number(alpha))"
            let v: Verdict = !exceeded ? .unchanged : (worse ? .regressed : .improved)
            return Judgement(verdict: v, pValue: nil, test: "threshold only", note: note, ratioCI: ci)
        }
        let mw = RegressionStatistics.mannWhitneyU(baseline, current)
        let significant = mw.pValue < alpha
        let v: Verdict
        var note = ""
        if !exceeded {
            v = .unchanged
        } else if significant {
            v = worse ? .regressed : .improved
        } else {
            v = .noise
            note = "beyond the threshold but not significant (p ≥ \(Threshold.number(alpha)))"
        }
        return Judgement(verdict: v, pValue: mw.pValue, test: "mann-whitney \(mw.method)", note: note, ratioCI: ci)
    }

    /// Compares `current` against `baseline`. Throws `HarnessError` (exit 2) when the configurations differ and
    /// `allowMissing` is off, naming them and the differing parameters.
    public static func compare(baseline: ResultSet, current: ResultSet, options: ComparisonOptions = ComparisonOptions()) throws -> ComparisonReport {
        let ignore = options.ignoreParameters
        // Parameters shown in labels: those whose values differ somewhere across both sides.
        let all = baseline.configurations + current.configurations
        let paramNames = Set(all.flatMap { $0.parameters.keys }).sorted()
        let shown = paramNames.filter { name in Set(all.map { $0.parameters[name] ?? "" }).count > 1 }
        func index(_ set: ResultSet) throws -> ([String], [String: ConfigurationResults]) {
            var order: [String] = []
            var map: [String: ConfigurationResults] = [:]
            for c in set.configurations {
                let k = c.key(ignoring: ignore)
                if map[k] != nil {
                    throw HarnessError(source: set.source, field: "configurations", value: c.label(showing: shown),
                                       reason: ignore.isEmpty ? "configuration appears twice"
                                           : "two configurations become one when ignoring \(ignore.sorted().joined(separator: ", "))")
                }
                map[k] = c
                order.append(k)
            }
            return (order, map)
        }
        let (bOrder, bMap) = try index(baseline)
        let (cOrder, cMap) = try index(current)
        let missingKeys = bOrder.filter { cMap[$0] == nil }
        let newKeys = cOrder.filter { bMap[$0] == nil }
        if !options.allowMissing && (!missingKeys.isEmpty || !newKeys.isEmpty) {
            throw HarnessError(source: current.source, field: "configurations",
                               reason: describeMismatch(missing: missingKeys.map { bMap[$0]! }, new: newKeys.map { cMap[$0]! },
                                                        baselineSource: baseline.source, shown: shown))
        }

        var warnings: [String] = []
        let diffs = current.environment.machineDifferences(from: baseline.environment)
        if !diffs.isEmpty {
            warnings.append("baseline from a different machine (\(diffs.joined(separator: ", "))): throughput, time and memory figures "
                + "do not carry across machines; deterministic metrics still do (compare builds on one machine with check --against)")
        }
        if !ignore.isEmpty {
            for k in cOrder {
                guard let b = bMap[k], let c = cMap[k] else { continue }
                let changed = ignore.sorted().compactMap { p -> String? in
                    let bv = b.parameters[p] ?? "-", cv = c.parameters[p] ?? "-"
                    return bv == cv ? nil : "\(p) \(bv) → \(cv)"
                }
                if !changed.isEmpty { warnings.append("paired ignoring parameters: \(c.label(showing: shown)): \(changed.joined(separator: ", "))") }
            }
        }

        var comparisons: [MetricComparison] = []
        var failed: [FailedRunEntry] = []
        var notJudged = Set<String>()
        var oneSided = Set<String>()
        for k in cOrder {
            guard let c = cMap[k] else { continue }
            let label = c.label(showing: shown)
            for f in c.failures {
                failed.append(FailedRunEntry(configuration: label, runID: f.runID, status: f.status, error: f.error))
            }
            guard let b = bMap[k] else { continue }
            if !b.failures.isEmpty {
                warnings.append("baseline has \(b.failures.count) failed run(s) for \(label) (\(Set(b.failures.map(\.status)).sorted().joined(separator: ", "))): compared over its ok runs")
            }
            let metrics = Set(b.metrics.keys).union(c.metrics.keys).sorted()
            for m in metrics {
                guard let rule = options.thresholds.rule(metric: m, workload: c.workload) else { notJudged.insert(m); continue }
                let bv = b.metrics[m] ?? [], cv = c.metrics[m] ?? []
                guard !bv.isEmpty, !cv.isEmpty else {
                    // A metric recorded on one side only (e.g. alloc_count without --alloc-counts) cannot be compared.
                    if !(bv.isEmpty && cv.isEmpty) { oneSided.insert("\(m) (\(bv.isEmpty ? "current" : "baseline") only)") }
                    continue
                }
                let j = judge(baseline: bv, current: cv, rule: rule, alpha: options.alpha, minRepeats: options.minRepeats)
                let bm = RegressionStatistics.median(bv)!, cm = RegressionStatistics.median(cv)!
                var t = rule.threshold
                if t.direction == nil && rule.info.direction != .mustBeEqual { t.direction = rule.info.direction }
                comparisons.append(MetricComparison(
                    configuration: label, workload: c.workload, metric: m, direction: rule.info.direction, kind: rule.info.kind,
                    baseline: bv, current: cv, baselineMedian: bm, currentMedian: cm,
                    change: bm == 0 ? (cm == 0 ? 0 : nil) : (cm - bm) / abs(bm),
                    threshold: t.description, thresholdSource: rule.source, verdict: j.verdict, pValue: j.pValue,
                    test: j.test, ratioCI: j.ratioCI, note: j.note))
            }
        }
        if !oneSided.isEmpty {
            warnings.append("not compared, recorded on one side only: \(oneSided.sorted().joined(separator: ", "))")
        }
        let regressed = comparisons.contains { $0.verdict == .regressed }
        return ComparisonReport(
            baseline: "\(baseline.name) (\(baseline.source))", current: "\(current.name) (\(current.source))",
            baselineEnvironment: baseline.environment, currentEnvironment: current.environment,
            warnings: warnings, comparisons: comparisons, failedRuns: failed,
            missingConfigurations: missingKeys.map { bMap[$0]!.label(showing: shown) },
            newConfigurations: newKeys.map { cMap[$0]!.label(showing: shown) },
            notJudged: notJudged.sorted(), alpha: options.alpha, minRepeats: options.minRepeats,
            exitCode: regressed || !failed.isEmpty ? 1 : 0)
    }

    /// One line naming configurations on one side only and, for each missing one, the parameters by which the
    /// closest new configuration differs.
    static func describeMismatch(missing: [ConfigurationResults], new: [ConfigurationResults], baselineSource: String, shown: [String]) -> String {
        var parts: [String] = []
        var differing = Set<String>()
        for m in missing {
            let candidates = new.filter { $0.workload == m.workload }
            if let best = candidates.min(by: { differences(m, $0).count < differences(m, $1).count }) {
                let d = differences(m, best)
                differing.formUnion(d.map(\.0))
                parts.append("baseline '\(m.label(showing: shown))' vs current '\(best.label(showing: shown))' differ in "
                    + d.map { "\($0.0) (\($0.1) vs \($0.2))" }.joined(separator: ", "))
            } else {
                parts.append("baseline '\(m.label(showing: shown))' has no current counterpart")
            }
        }
        let paired = Set(missing.compactMap { m in new.filter { $0.workload == m.workload }.min(by: { differences(m, $0).count < differences(m, $1).count })?.key() })
        for n in new where !paired.contains(n.key()) { parts.append("current '\(n.label(showing: shown))' is not in the baseline") }
        var hint = "use --allow-missing to compare the rest"
        if !differing.isEmpty { hint += " or --ignore-param \(differing.sorted().joined(separator: ",")) to pair them" }
        return "baseline and current ran different configurations: " + parts.joined(separator: "; ") + " (\(hint))"
    }

    private static func differences(_ a: ConfigurationResults, _ b: ConfigurationResults) -> [(String, String, String)] {
        var out: [(String, String, String)] = []
        if a.allocator != b.allocator { out.append(("allocator", a.allocator, b.allocator)) }
        for k in Set(a.parameters.keys).union(b.parameters.keys).sorted() {
            let x = a.parameters[k] ?? "-", y = b.parameters[k] ?? "-"
            if x != y { out.append((k, x, y)) }
        }
        return out
    }
}
