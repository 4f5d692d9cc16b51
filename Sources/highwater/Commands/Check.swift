import ArgumentParser
import Foundation
import Harness

/// `highwater check --suite FILE --baseline NAME` (or `--against OTHER_HIGHWATER`).
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a suite and compare it with a baseline (or with another highwater binary, interleaved) in one step: the CI gate.",
        discussion: """
        With --baseline, runs the suite once (results in --out) and compares it with the baseline; the suite's \
        [thresholds] table (METRIC = "SPEC", "WORKLOAD.METRIC" = "SPEC" or [thresholds.WORKLOAD]) sets thresholds, \
        --threshold overrides them. With --against PATH, runs the suite with that binary (side A, the reference) and \
        with this one (side B, current) alternately, one repeat each (A, B, A, B, ...), so machine drift hits both \
        sides alike, and compares B against A; the throughput ratio is then measured in one invocation. Exit codes: \
        0 nothing regressed, 1 a regression or a failed run, 2 bad input.
        """)

    @Option(name: .long, help: ArgumentHelp("Suite file (TOML) to run; its [thresholds] table sets thresholds.", valueName: "file"))
    var suite: String

    @Option(name: .long, help: ArgumentHelp("Baseline to compare with: a NAME in --baselines-dir, a baseline .json file or a result directory.", valueName: "name"))
    var baseline: String?

    @Option(name: .long, help: ArgumentHelp("Another highwater executable (e.g. built from the main branch) to run the suite with, interleaved with this one; its runs are the reference.", valueName: "path"))
    var against: String?

    @Option(name: .long, help: ArgumentHelp("Output directory for the runs (with --against: DIR/A and DIR/B). Default: results/check-<suite name>.", valueName: "dir"))
    var out: String?

    @Flag(name: .long, help: "Draw plots after the sweep. Default: off (a check only needs the numbers).")
    var plots = false

    @Flag(name: .customLong("overhead-check"), help: "Measure the sampler's overhead before the sweep. Default: off.")
    var overheadCheck = false

    @Flag(name: .customLong("no-reference"), help: "Do not run the `reference` workload (machine speed) with the suite. Default: it runs, interleaved, and time and throughput are judged relative to it when the baseline has it too.")
    var noReference = false

    @Option(name: .long, help: ArgumentHelp("Append this check's verdicts and medians to a history file (CSV, created if missing; draw it with `highwater history FILE`). Default: none.", valueName: "file"))
    var history: String?

    @OptionGroup var sweep: SweepOptions

    @OptionGroup var comparison: ComparisonArguments

    func run() throws {
        guard (baseline == nil) != (against == nil) else {
            throw HarnessError(source: "check", reason: "give exactly one of --baseline NAME or --against PATH")
        }
        if against != nil, sweep.profile != nil {
            throw HarnessError(source: "--profile", reason: "not with --against (profile one build with `run --profile`)")
        }
        var overrides = sweep.overrides
        overrides.suitePath = suite
        overrides.drawPlots = plots
        overrides.measureSamplerOverhead = overheadCheck
        overrides.reference = !noReference
        let plan = try overrides.makePlan()
        try plan.validate()
        let text = try String(contentsOfFile: suite, encoding: .utf8)
        let thresholds = try ThresholdSet.fromSuite(text: text, file: suite)
        let options = try comparison.options(suiteThresholds: thresholds)
        _ = try comparison.outputFormat()
        if out == "" { throw HarnessError(source: "--out", reason: "empty path (give a directory)") }
        let outDir = URL(fileURLWithPath: out ?? "results/check-\(plan.name)")
        if let history { try HistoryFile.validate(URL(fileURLWithPath: history)) }

        if let baseline {
            // Everything that can be wrong with the input fails (exit 2) before the first run.
            let base = try comparison.resultSet(baseline, role: "--baseline")
            _ = try Comparator.compare(baseline: base, current: .planned(try plan.configurations(), source: suite), options: options)
            let printer = ProgressPrinter(fd: 2, forcePlain: sweep.plain)
            let result = try runSweep(plan: plan, outputDirectory: outDir, progress: printer.callback)
            if let s = result.interruptedBy { throw ExitCode(128 + s) }
            let current = try ResultDirectory.read(outDir)
            try record(try Comparator.compare(baseline: base, current: current, options: options), suite: plan.name)
        } else if let against {
            let this = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
            let ab = ABCheck(suitePath: suite, referenceBinary: against, currentBinary: this, repeats: plan.repeats,
                             warmup: plan.warmup, outputDirectory: outDir, extraArguments: overrides.forwardedArguments)
            let sides = try ab.run()
            try record(try Comparator.compare(baseline: sides.reference, current: sides.current, options: options), suite: plan.name)
        }
    }

    /// Appends to --history (before the verdict's exit code), then prints the verdict.
    func record(_ report: ComparisonReport, suite: String) throws {
        if let history {
            try HistoryFile.append(HistoryFile.rows(of: report, suite: suite, recordedAt: UTCTimestamp.iso8601()),
                                   to: URL(fileURLWithPath: history))
        }
        try comparison.emit(report)
    }
}
