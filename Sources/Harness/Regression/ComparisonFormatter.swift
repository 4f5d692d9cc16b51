import Foundation
import RunContract

/// Renders a `ComparisonReport` as a terminal table, Markdown (for a CI job summary), JSON or an HTML page.
public enum ComparisonFormatter {
    /// Output formats of `compare` and `check`.
    public enum Format: String, Sendable, CaseIterable {
        /// `html`: one self-contained page with report.html's look (`ComparisonHTML`).
        case table, markdown, json, html
    }

    /// Renders `report` in `format`. `onlyChanges` leaves `unchanged` rows out of the table and Markdown.
    public static func render(_ report: ComparisonReport, format: Format, onlyChanges: Bool = false) throws -> String {
        switch format {
        case .table: return table(report, onlyChanges: onlyChanges)
        case .markdown: return markdown(report, onlyChanges: onlyChanges)
        case .json: return try json(report)
        case .html: return ComparisonHTML.page(report, onlyChanges: onlyChanges)
        }
    }

    /// Compact human number: grouped integers from 1,000 up, 4 significant digits below.
    public static func number(_ v: Double) -> String {
        if !v.isFinite { return String(v) }
        let a = abs(v)
        if a >= 1_000 && a < 1e15 {
            let f = NumberFormatter()
            f.numberStyle = .decimal
            f.maximumFractionDigits = 0
            f.locale = Locale(identifier: "en_US_POSIX")
            f.groupingSeparator = ","
            f.usesGroupingSeparator = true
            return f.string(from: NSNumber(value: v.rounded())) ?? String(v)
        }
        if v == v.rounded() && a < 1e15 { return String(Int64(v)) }
        return String(format: "%.4g", v)
    }

    /// `+12.3%`, `-0.4%`, `0%`, `from 0` when the baseline is 0; `-8.0% (rel. -12.1%)` when the verdict judged the
    /// change relative to the machine's speed.
    public static func change(_ c: MetricComparison) -> String {
        guard let ch = c.change else { return "from 0" }
        guard let rel = c.changeRelativeToMachine else { return percent(ch) }
        return "\(percent(ch)) (rel. \(percent(rel)))"
    }

    static func percent(_ ch: Double) -> String {
        if ch == 0 { return "0%" }
        let pct = ch * 100
        return abs(pct) >= 100 ? String(format: "%+.0f%%", pct) : String(format: "%+.1f%%", pct)
    }

    static func pValue(_ c: MetricComparison) -> String {
        guard let p = c.pValue else { return c.kind == .deterministic ? "det." : "n/a" }
        return p < 0.001 ? "<0.001" : String(format: "%.3f", p)
    }

    static func verdictCell(_ c: MetricComparison, markdown: Bool) -> String {
        let base: String
        switch c.verdict {
        case .regressed: base = markdown ? "**regressed** ❌" : "REGRESSED"
        case .improved: base = markdown ? "improved ✅" : "improved"
        default: base = c.verdict.rawValue
        }
        return c.test == "threshold only" ? base + (markdown ? " ⚠︎" : " (!)") : base
    }

    static func rows(_ report: ComparisonReport, onlyChanges: Bool) -> [MetricComparison] {
        let rank: [Verdict: Int] = [.regressed: 0, .drift: 1, .improved: 2, .noise: 3, .unchanged: 4]
        let picked = report.comparisons.filter { !onlyChanges || $0.verdict != .unchanged }
        // Stable: regressions first, then the original order (configuration, metric).
        return picked.enumerated().sorted {
            let a = rank[$0.element.verdict] ?? 4, b = rank[$1.element.verdict] ?? 4
            return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element)
    }

    static func summaryLine(_ report: ComparisonReport) -> String {
        var parts = ["\(report.count(.regressed)) regressed", "\(report.count(.improved)) improved",
                     "\(report.count(.noise)) noise", "\(report.count(.unchanged)) unchanged"]
        if report.count(.drift) > 0 { parts.insert("\(report.count(.drift)) drift", at: 1) }
        if let s = report.machineSpeed { parts.append("machine speed ×\(MachineSpeed.fmt(s.ratio)) vs baseline") }
        if !report.failedRuns.isEmpty { parts.append("\(report.failedRuns.count) failed run(s)") }
        if !report.missingConfigurations.isEmpty { parts.append("\(report.missingConfigurations.count) missing configuration(s)") }
        if !report.newConfigurations.isEmpty { parts.append("\(report.newConfigurations.count) new configuration(s)") }
        let result = report.exitCode == 0 ? "PASS" : "FAIL"
        return "\(result): " + parts.joined(separator: ", ") + " (exit \(report.exitCode))"
    }

    static func notes(_ report: ComparisonReport) -> [String] {
        var out: [String] = []
        let thresholdOnly = report.comparisons.filter { $0.test == "threshold only" }
        if let first = thresholdOnly.first {
            out.append("(!) \(thresholdOnly.count) noisy metric(s) judged on threshold only: \(first.note)")
        }
        if report.comparisons.contains(where: { $0.changeRelativeToMachine != nil }) {
            out.append("rel. = the change after dividing out the machine's speed (the reference run beside each run): what time, "
                + "throughput and CPU-time verdicts judge")
        }
        if report.comparisons.contains(where: { $0.kind == .deterministic }) {
            out.append("det. = deterministic metric (allocation calls, bytes and files written, rows): no statistics needed; "
                + "it catches regressions even on a noisy machine")
        }
        if report.comparisons.contains(where: { $0.pValue != nil }) {
            out.append("p = two-sided Mann-Whitney U over the repeats; noisy metrics regress only when the median change is beyond "
                + "the threshold and p < \(Threshold.number(report.alpha))")
        }
        if !report.notJudged.isEmpty {
            out.append("not gated (outside the metric catalogue; name one in --threshold or [thresholds] to gate on it): \(report.notJudged.joined(separator: ", "))")
        }
        return out
    }

    /// Fixed-width terminal table: metric, configuration, baseline and current medians, change, threshold, verdict, p, note.
    public static func table(_ report: ComparisonReport, onlyChanges: Bool = false) -> String {
        var out = "highwater compare: baseline \(report.baseline) vs current \(report.current)\n"
        for w in report.warnings { out += "warning: \(w)\n" }
        let header = ["metric", "configuration", "baseline", "current", "change", "threshold", "verdict", "p", "note"]
        var cells: [[String]] = []
        for c in rows(report, onlyChanges: onlyChanges) {
            let note = c.test == "threshold only" ? String(c.note.prefix { $0 != ";" }) : c.note
            cells.append([c.metric, c.configuration, "\(number(c.baselineMedian)) (n=\(c.baseline.count))",
                          "\(number(c.currentMedian)) (n=\(c.current.count))", change(c), c.threshold,
                          verdictCell(c, markdown: false), pValue(c), note])
        }
        for m in report.missingConfigurations { cells.append(["-", m, "", "", "", "", "missing", "", "in the baseline only"]) }
        for n in report.newConfigurations { cells.append(["-", n, "", "", "", "", "new", "", "not in the baseline"]) }
        if cells.isEmpty {
            out += "(no metric rows\(onlyChanges ? " with a change" : ""))\n"
        } else {
            var widths = header.map(\.count)
            for r in cells { for (i, v) in r.enumerated() { widths[i] = max(widths[i], v.count) } }
            func line(_ r: [String]) -> String {
                r.enumerated().map { i, v in i == r.count - 1 ? v : v.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            }
            out += line(header)
            out += line(widths.map { String(repeating: "-", count: $0) })
            for r in cells { out += line(r) }
        }
        for f in report.failedRuns {
            out += "FAILED RUN: \(f.configuration) \(f.runID): \(f.status)\(f.error.isEmpty ? "" : ": \(f.error)")\n"
        }
        for n in notes(report) { out += n + "\n" }
        out += summaryLine(report) + "\n"
        return out
    }

    private static func md(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }

    /// GitHub-flavoured Markdown for a job summary: verdict line, warnings, failed runs, changes, full table in a `<details>`.
    public static func markdown(_ report: ComparisonReport, onlyChanges: Bool = false) -> String {
        var out = "### Highwater: \(report.exitCode == 0 ? "✅ no regression" : "❌ regression or failed run")\n\n"
        out += "Baseline `\(md(report.baseline))` vs current `\(md(report.current))`. \(summaryLine(report))\n\n"
        for w in report.warnings { out += "> ⚠️ \(md(w))\n\n" }
        if !report.failedRuns.isEmpty {
            out += "**Failed runs**\n\n| configuration | run | status | error |\n|---|---|---|---|\n"
            for f in report.failedRuns { out += "| \(md(f.configuration)) | \(md(f.runID)) | \(f.status) | \(md(f.error)) |\n" }
            out += "\n"
        }
        func tableText(_ rs: [MetricComparison]) -> String {
            var t = "| metric | configuration | baseline | current | change | threshold | verdict | p | note |\n"
            t += "|---|---|--:|--:|--:|--:|---|--:|---|\n"
            for c in rs {
                t += "| `\(c.metric)` | \(md(c.configuration)) | \(number(c.baselineMedian)) (n=\(c.baseline.count)) | "
                    + "\(number(c.currentMedian)) (n=\(c.current.count)) | \(change(c)) | \(c.threshold) | \(verdictCell(c, markdown: true)) | "
                    + "\(pValue(c)) | \(md(c.note)) |\n"
            }
            return t
        }
        let all = rows(report, onlyChanges: onlyChanges)
        let changed = all.filter { $0.verdict != .unchanged }
        if !changed.isEmpty { out += tableText(changed) + "\n" }
        if !report.missingConfigurations.isEmpty || !report.newConfigurations.isEmpty {
            for m in report.missingConfigurations { out += "- missing (baseline only): \(md(m))\n" }
            for n in report.newConfigurations { out += "- new (not in the baseline): \(md(n))\n" }
            out += "\n"
        }
        if !onlyChanges && !all.isEmpty {
            out += "<details><summary>All \(all.count) metric comparisons</summary>\n\n" + tableText(all) + "\n</details>\n\n"
        }
        for n in notes(report) { out += "- \(md(n))\n" }
        return out
    }

    /// Appends the Markdown rendering to the file named by `GITHUB_STEP_SUMMARY` in `environment`, when set
    /// (GitHub Actions shows it on the run's summary page). Returns the path written, or nil when the variable is unset.
    @discardableResult
    public static func appendStepSummary(_ report: ComparisonReport, onlyChanges: Bool = false,
                                         environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        guard let path = environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return nil }
        let md = Data((markdown(report, onlyChanges: onlyChanges) + "\n").utf8)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw HarnessError(source: "GITHUB_STEP_SUMMARY", value: path, reason: "cannot write the job summary: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        try OutputFile.append(fd, md, file: path)
        return path
    }

    /// The report as pretty JSON (sorted keys): every value of both sides, medians, change, verdict, p-value, CI.
    public static func json(_ report: ComparisonReport) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try enc.encode(report), as: UTF8.self) + "\n"
    }
}
