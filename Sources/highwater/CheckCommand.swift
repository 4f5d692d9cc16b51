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

    @Option(name: [.customLong("repeat")], help: ArgumentHelp("Measured repeats per configuration (per side with --against). Default: the suite's (3 when it says nothing).", valueName: "n"))
    var repeats: Int?

    @Option(name: .long, help: ArgumentHelp("Output directory for the runs (with --against: DIR/A and DIR/B). Default: results/check-<suite name>.", valueName: "dir"))
    var out: String?

    @Flag(name: .long, help: "Draw plots after the sweep. Default: off (a check only needs the numbers).")
    var plots = false

    @Flag(name: .customLong("overhead-check"), help: "Measure the sampler's overhead before the sweep. Default: off.")
    var overheadCheck = false

    @Flag(name: .long, help: "Plain progress lines even on a terminal.")
    var plain = false

    @OptionGroup var comparison: ComparisonArguments

    func run() throws {
        guard (baseline == nil) != (against == nil) else {
            throw HarnessError(source: "check", reason: "give exactly one of --baseline NAME or --against PATH")
        }
        let text: String
        do { text = try String(contentsOfFile: suite, encoding: .utf8) } catch {
            throw HarnessError(source: "--suite", value: suite, reason: "cannot read the suite file")
        }
        var plan = try Suite.parse(text, source: suite)
        let thresholds = try ThresholdSet.fromSuite(text: text, file: suite)
        if let repeats { plan.repeats = repeats }
        plan.drawPlots = plots
        plan.measureSamplerOverhead = overheadCheck
        plan.commandLine = CommandLine.arguments
        try plan.validate()
        let options = try comparison.options(suiteThresholds: thresholds)
        _ = try comparison.outputFormat()
        let outDir = URL(fileURLWithPath: out ?? "results/check-\(plan.name)")

        if let baseline {
            // Everything that can be wrong with the input fails (exit 2) before the first run.
            let base = try comparison.resultSet(baseline, role: "--baseline")
            _ = try Comparator.compare(baseline: base, current: .planned(try plan.configurations(), source: suite), options: options)
            try prepareOutputDirectory(outDir)
            let printer = ProgressPrinter(fd: 2, forcePlain: plain)
            _ = try runSweep(plan: plan, outputDirectory: outDir, progress: printer.callback)
            let current = try ResultDirectory.read(outDir)
            try comparison.emit(try Comparator.compare(baseline: base, current: current, options: options))
        } else if let against {
            try runAgainst(against, plan: plan, outDir: outDir, options: options)
        }
    }

    /// Runs the suite with `other` (A) and this binary (B), one repeat per invocation, alternating, then compares B with A.
    func runAgainst(_ other: String, plan: SweepPlan, outDir: URL, options: ComparisonOptions) throws {
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: other) else {
            throw HarnessError(source: "--against", value: other, reason: "not an executable file")
        }
        let this = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let sides: [(name: String, binary: String)] = [("A", URL(fileURLWithPath: other).standardizedFileURL.path), ("B", this)]
        var dirs: [String: [URL]] = ["A": [], "B": []]
        let log = FileHandle.standardError
        for r in 0..<plan.repeats {
            for side in sides {
                let dir = outDir.appendingPathComponent(side.name).appendingPathComponent("r\(r)")
                try? fm.removeItem(at: dir)
                var args = ["run", "--suite", suite, "--repeat", "1", "--out", dir.path, "--no-plots", "--no-overhead-check", "--plain"]
                if plan.warmup > 0 && r > 0 { args += ["--warmup", "0"] }  // warm up once per side, not once per repeat
                log.write(Data("highwater check: repeat \(r + 1)/\(plan.repeats), side \(side.name) (\(side.binary))\n".utf8))
                let p = Process()
                p.executableURL = URL(fileURLWithPath: side.binary)
                p.arguments = args
                p.standardOutput = log
                p.standardError = log
                do { try p.run() } catch {
                    throw HarnessError(source: "--against", value: side.binary, reason: "cannot start: \(error.localizedDescription)")
                }
                p.waitUntilExit()
                // Exit 1 means failed runs, which are rows in runs.csv and fail the comparison; 2 and signals are fatal.
                guard p.terminationReason == .exit, p.terminationStatus == 0 || p.terminationStatus == 1,
                      fm.fileExists(atPath: dir.appendingPathComponent("runs.csv").path) else {
                    throw HarnessError(source: side.name == "A" ? "--against" : "check", value: side.binary,
                                       reason: "`\(([side.binary] + args).joined(separator: " "))` ended with \(p.terminationReason == .exit ? "exit status" : "signal") \(p.terminationStatus)")
                }
                dirs[side.name]!.append(dir)
            }
        }
        for side in sides {
            let combined = outDir.appendingPathComponent(side.name)
            try? fm.removeItem(at: combined.appendingPathComponent("runs.csv"))
            try ResultMerge.concatenateRepeats(inputs: dirs[side.name]!, into: combined)
        }
        var a = try ResultDirectory.read(outDir.appendingPathComponent("A"))
        var b = try ResultDirectory.read(outDir.appendingPathComponent("B"))
        a.name = "A: \(sides[0].binary)"
        b.name = "B: \(sides[1].binary)"
        try comparison.emit(try Comparator.compare(baseline: a, current: b, options: options))
    }
}
