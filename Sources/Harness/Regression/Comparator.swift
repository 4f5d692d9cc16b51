import Foundation
import RunContract
import Workloads

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
    public static func compare(baseline fullBaseline: ResultSet, current fullCurrent: ResultSet,
                               options: ComparisonOptions = ComparisonOptions()) throws -> ComparisonReport {
        let ignore = options.ignoreParameters
        // The reference workload measures the machine, not the code: it sets the speed ratio and is not paired.
        let speed = MachineSpeed.measure(baseline: fullBaseline, current: fullCurrent, bound: options.driftBound,
                                         cpuBound: options.cpuDriftBound)
        var baseline = fullBaseline, current = fullCurrent
        baseline.configurations.removeAll { $0.workload == ReferenceWorkload.name }
        current.configurations.removeAll { $0.workload == ReferenceWorkload.name }
        // Parameters shown in labels: those whose values differ somewhere across both sides.
        let all = baseline.configurations + current.configurations
        let paramNames = Set(all.flatMap { $0.parameters.keys }).sorted()
        let shown = paramNames.filter { name in Set(all.map { $0.parameters[name] ?? "" }).count > 1 }
        let (bOrder, bMap) = try indexConfigurations(baseline, ignoring: ignore, shown: shown)
        let (cOrder, cMap) = try indexConfigurations(current, ignoring: ignore, shown: shown)
        let missingKeys = bOrder.filter { cMap[$0] == nil }
        let newKeys = cOrder.filter { bMap[$0] == nil }
        if !options.allowMissing && (!missingKeys.isEmpty || !newKeys.isEmpty) {
            throw HarnessError(source: current.source, field: "configurations",
                               reason: describeMismatch(missing: missingKeys.map { bMap[$0]! }, new: newKeys.map { cMap[$0]! },
                                                        baselineSource: baseline.source, shown: shown))
        }

        let present = Set((baseline.configurations + current.configurations).flatMap { $0.metrics.keys })
        if let unknown = options.thresholds.unknownMetrics(present: present).first {
            throw HarnessError(source: unknown.source == "--threshold" ? "--threshold" : "[thresholds]", field: unknown.metric,
                               reason: "no such metric in the metric table or in either result set (see `highwater compare --help`)")
        }
        var warnings: [String] = []
        let diffs = current.environment.machineDifferences(from: baseline.environment)
        if !diffs.isEmpty {
            warnings.append("baseline from a different machine (\(diffs.joined(separator: ", "))): throughput, time and memory figures "
                + "do not carry across machines; deterministic metrics still do (compare builds on one machine with check --against)")
        }
        warnings += pairingWarnings(order: cOrder, baseline: bMap, current: cMap, ignoring: ignore, shown: shown)

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
            comparisons += compareMetrics(baseline: b, current: c, label: label, options: options, speed: speed,
                                          notJudged: &notJudged, oneSided: &oneSided)
        }
        if !oneSided.isEmpty {
            warnings.append("not compared, recorded on one side only: \(oneSided.sorted().joined(separator: ", "))")
        }
        if let s = speed, s.drifted { warnings.append("drift: " + s.description + " (bound ±\(Threshold.number(s.bound * 100))%)") }
        let regressed = comparisons.contains { $0.verdict == .regressed || (options.failOnDrift && $0.verdict == .drift) }
        return ComparisonReport(
            baseline: "\(baseline.name) (\(baseline.source))", current: "\(current.name) (\(current.source))",
            baselineEnvironment: baseline.environment, currentEnvironment: current.environment,
            warnings: warnings, comparisons: comparisons, failedRuns: failed,
            missingConfigurations: missingKeys.map { bMap[$0]!.label(showing: shown) },
            newConfigurations: newKeys.map { cMap[$0]!.label(showing: shown) },
            notJudged: notJudged.sorted(), alpha: options.alpha, minRepeats: options.minRepeats,
            exitCode: regressed || !failed.isEmpty ? 1 : 0, machineSpeed: speed)
    }

    /// Judges every metric the two sides of one configuration share (time and throughput relative to `speed`).
    static func compareMetrics(baseline b: ConfigurationResults, current c: ConfigurationResults, label: String,
                               options: ComparisonOptions, speed: MachineSpeed?,
                               notJudged: inout Set<String>, oneSided: inout Set<String>) -> [MetricComparison] {
        var out: [MetricComparison] = []
        let metrics = Set(b.metrics.keys).union(c.metrics.keys).sorted()
        for m in metrics {
            guard let rule = options.thresholds.rule(metric: m, workload: c.workload) else { notJudged.insert(m); continue }
            let bv = b.metrics[m] ?? [], cv = c.metrics[m] ?? []
            guard !bv.isEmpty, !cv.isEmpty else {
                // A metric recorded on one side only (e.g. alloc_count without --alloc-counts) cannot be compared.
                if !(bv.isEmpty && cv.isEmpty) { oneSided.insert("\(m) (\(bv.isEmpty ? "current" : "baseline") only)") }
                continue
            }
            // Time, throughput and CPU time are judged relative to the machine (`factor` nil: not scaled).
            let scaling = MachineSpeed.scaling(of: m)
            let factor = scaling.flatMap { speed?.factor($0) }
            let judged = scaling.flatMap { sc in speed.map { $0.normalized(baseline: bv, current: cv, sc) } } ?? (baseline: bv, current: cv)
            var j = judge(baseline: judged.baseline, current: judged.current, rule: rule, alpha: options.alpha, minRepeats: options.minRepeats)
            if let s = speed, let scaling {
                if let f = factor {
                    let what = scaling.isCPU ? "the machine's CPU speed" : "the machine's speed"
                    j.note = [j.note, "judged relative to \(what) (÷\(MachineSpeed.fmt(f)))"].filter { !$0.isEmpty }.joined(separator: "; ")
                }
                if s.drifted(for: scaling) && j.verdict != .unchanged {
                    j.note += "; \(j.verdict.rawValue) after normalizing, but the machine drifted: \(s.description)"
                    j.verdict = .drift
                }
            }
            let bm = RegressionStatistics.median(bv)!, cm = RegressionStatistics.median(cv)!
            // The judged change: the normalized medians' ratio (each run against its own reference when they pair).
            var relative: Double? = nil
            if factor != nil, let jb = RegressionStatistics.median(judged.baseline), let jc = RegressionStatistics.median(judged.current), jb != 0 {
                relative = (jc - jb) / abs(jb)
            }
            var t = rule.threshold
            if t.direction == nil && rule.info.direction != .mustBeEqual { t.direction = rule.info.direction }
            out.append(MetricComparison(
                configuration: label, workload: c.workload, metric: m, direction: rule.info.direction, kind: rule.info.kind,
                baseline: bv, current: cv, baselineMedian: bm, currentMedian: cm,
                change: bm == 0 ? (cm == 0 ? 0 : nil) : (cm - bm) / abs(bm),
                changeRelativeToMachine: relative,
                threshold: t.description, thresholdSource: rule.source, verdict: j.verdict, pValue: j.pValue,
                test: j.test, ratioCI: j.ratioCI, note: j.note))
        }
        return out
    }

    /// Configurations of one side by pairing key (parameters in `ignore` left out), in order; a key twice is an error.
    static func indexConfigurations(_ set: ResultSet, ignoring ignore: Set<String>, shown: [String]) throws
        -> ([String], [String: ConfigurationResults]) {
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

    /// One warning per pair whose ignored parameters differ, naming the changes.
    static func pairingWarnings(order: [String], baseline bMap: [String: ConfigurationResults], current cMap: [String: ConfigurationResults],
                                ignoring ignore: Set<String>, shown: [String]) -> [String] {
        var warnings: [String] = []
        for k in order {
            guard let b = bMap[k], let c = cMap[k] else { continue }
            let changed = ignore.sorted().compactMap { p -> String? in
                let bv = b.parameters[p] ?? "-", cv = c.parameters[p] ?? "-"
                return bv == cv ? nil : "\(p) \(bv) → \(cv)"
            }
            if !changed.isEmpty { warnings.append("paired ignoring parameters: \(c.label(showing: shown)): \(changed.joined(separator: ", "))") }
        }
        return warnings
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
