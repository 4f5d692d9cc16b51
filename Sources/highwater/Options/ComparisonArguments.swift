import ArgumentParser
import Foundation
import Harness

/// Options shared by `compare` and `check`: thresholds, statistics, pairing and output.
struct ComparisonArguments: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("""
        Threshold override, METRIC=SPEC or WORKLOAD.METRIC=SPEC (repeatable). SPEC: +N% / -N% (relative; + means \
        increases are bad, - decreases), +N MB / +N ms / +N s / +N B or abs:N (absolute, in the metric's unit), exact, \
        or parts joined by ',' that must all be exceeded (+10%,+5MB). Beats the suite's [thresholds]. Defaults: \
        \(MetricCatalogue.defaultsDescription).
        """, valueName: "metric=spec"))
    var threshold: [String] = []

    @Option(name: .long, help: ArgumentHelp("Significance level of the two-sided Mann-Whitney U test on noisy metrics.", valueName: "p"))
    var alpha: Double = 0.05

    @Option(name: .customLong("min-repeats"), help: ArgumentHelp("Fewest repeats per side before noisy metrics get the U test (the exact test must also be able to reach p < alpha: 4 vs 4 at 0.05); below it they are judged on the threshold alone and marked.", valueName: "n"))
    var minRepeats: Int = 3

    @Flag(name: .customLong("allow-missing"), help: "Compare the configurations both sides have and list the others as missing/new, instead of exiting 2. Default: off.")
    var allowMissing = false

    @Option(name: .customLong("ignore-param"), help: ArgumentHelp("Parameter(s) left out when pairing configurations, comma-separated (repeatable), e.g. to check a deliberately changed setting against the baseline. Default: none.", valueName: "names"))
    var ignoreParam: [String] = []

    @Option(name: .customLong("drift-bound"), help: ArgumentHelp("Largest change of the machine's speed (the wall time of the reference workload's compression part, in %) under which time and throughput are judged after dividing it out; beyond it their verdicts are `drift`. Default: 10.", valueName: "percent"))
    var driftBoundPercent: Double = 10

    @Option(name: .customLong("cpu-drift-bound"), help: ArgumentHelp("The same for CPU-time metrics (cpu_user_s, cpu_sys_s, rows_per_cpu_second), judged after dividing out the reference's CPU-time ratio, in %. Default: 25.", valueName: "percent"))
    var cpuDriftBoundPercent: Double = 25

    @Flag(name: .customLong("fail-on-drift"), help: "Count `drift` verdicts as failures (exit 1). Default: off (drift is shown, and a regression only with this flag).")
    var failOnDrift = false

    @Option(name: .long, help: ArgumentHelp("Output format: table, markdown, json or html (one self-contained page with report.html's look: redirect it to a file). Markdown is also appended to $GITHUB_STEP_SUMMARY when that is set.", valueName: "format"))
    var format: String = "table"

    @Flag(name: .customLong("only-changes"), help: "Leave unchanged metrics out of the table and Markdown. Default: every judged metric is listed.")
    var onlyChanges = false

    @Option(name: .customLong("baselines-dir"), help: ArgumentHelp("Where baseline NAMEs are looked up (NAME.json).", valueName: "dir"))
    var baselinesDir: String = "results/baselines"

    /// Comparison options from the flags, on top of `suiteThresholds`.
    func options(suiteThresholds: ThresholdSet = ThresholdSet()) throws -> ComparisonOptions {
        var o = ComparisonOptions()
        o.thresholds = suiteThresholds
        for t in threshold { try o.thresholds.add(option: t) }
        guard alpha > 0, alpha < 1 else { throw HarnessError(source: "--alpha", value: String(alpha), reason: "must be between 0 and 1") }
        guard minRepeats >= 2 else { throw HarnessError(source: "--min-repeats", value: String(minRepeats), reason: "must be at least 2") }
        guard driftBoundPercent > 0, driftBoundPercent < 1000 else {
            throw HarnessError(source: "--drift-bound", value: String(driftBoundPercent), reason: "must be a percentage above 0")
        }
        o.driftBound = driftBoundPercent / 100
        guard cpuDriftBoundPercent > 0, cpuDriftBoundPercent < 1000 else {
            throw HarnessError(source: "--cpu-drift-bound", value: String(cpuDriftBoundPercent), reason: "must be a percentage above 0")
        }
        o.cpuDriftBound = cpuDriftBoundPercent / 100
        o.failOnDrift = failOnDrift
        o.alpha = alpha
        o.minRepeats = minRepeats
        o.allowMissing = allowMissing
        o.ignoreParameters = Set(ignoreParam.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty })
        return o
    }

    func outputFormat() throws -> ComparisonFormatter.Format {
        guard let f = ComparisonFormatter.Format(rawValue: format) else {
            throw HarnessError(source: "--format", value: format, reason: "must be table, markdown, json or html")
        }
        return f
    }

    /// Prints the report, appends Markdown to `$GITHUB_STEP_SUMMARY` when set, and exits 1 on a regression or failed run.
    func emit(_ report: ComparisonReport) throws {
        let f = try outputFormat()
        print(try ComparisonFormatter.render(report, format: f, onlyChanges: onlyChanges), terminator: "")
        try ComparisonFormatter.appendStepSummary(report, onlyChanges: onlyChanges)
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// Reads a side of a comparison: a baseline file, a baseline NAME in `baselinesDir`, or a result directory.
    func resultSet(_ argument: String, role: String) throws -> ResultSet {
        try ResultSet.resolve(argument, role: role, baselinesDir: baselinesDir)
    }
}
