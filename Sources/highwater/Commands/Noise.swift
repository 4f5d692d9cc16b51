import ArgumentParser
import Foundation
import Harness

/// `highwater noise --suite FILE`: the suite's measured A/A noise floors and suggested thresholds.
struct Noise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a suite as A/A (the same build against itself, interleaved) and suggest thresholds from its measured noise.",
        discussion: """
        Runs every configuration of the suite --repeat times (default: twice the suite's repeat count, at least 10, so \
        each half is as large as one side of a check), one repeat round after another, so the even-numbered repeats (A) and the odd-numbered ones (B) share the \
        machine's conditions. Prints, per workload and metric, the 95th percentile of the change between the medians \
        of A and B over every balanced split of the repeats (the noise floor), the largest spread, and a suggested \
        threshold (floor x --safety, rounded up to a whole percent, at least 1%), and the verdicts the ordinary \
        comparison gives A against B (every regression there is a false alarm). Writes DIR/noise.csv (every \
        configuration and metric) and DIR/noise-thresholds.toml (a [thresholds] table to paste into the suite). \
        With --from DIR, analyses an existing result directory instead of running. Several sessions (--from more than \
        once, or --from beside --suite, which adds a new session) are analysed together: the suggestion also covers the \
        largest shift of each metric between sessions (time and throughput after dividing out the reference \
        workload's speed ratio, as check does), written to DIR/noise-shifts.csv, so a baseline made on a quiet \
        machine and a check beside a busy neighbour stay apart only by what the code changed.
        """)

    @Option(name: .long, help: ArgumentHelp("Suite file (TOML) to run A/A; its [thresholds] table is used for the A/A verdicts.", valueName: "file"))
    var suite: String?

    @Option(name: .long, help: ArgumentHelp("An earlier A/A session's result directory (runs.csv) to analyse (repeatable; with --suite, beside the new session).", valueName: "dir"))
    var from: [String] = []

    @Option(name: .long, help: ArgumentHelp("Output directory. Default: results/noise-<suite name> (with --from only: the first directory given, or results/noise-sessions for several).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Factor between the measured floor and the suggested threshold. Default: 1.5.", valueName: "x"))
    var safety: Double = 1.5

    @OptionGroup var sweep: SweepOptions

    func run() throws {
        guard suite != nil || !from.isEmpty else { throw HarnessError(source: "noise", reason: "give --suite FILE, --from DIR, or both") }
        guard safety >= 1, safety <= 100 else { throw HarnessError(source: "--safety", value: String(safety), reason: "must be between 1 and 100") }
        var thresholds = ThresholdSet()
        var dirs = from.map { URL(fileURLWithPath: $0) }
        var outDir = out.map { URL(fileURLWithPath: $0) } ?? (from.count == 1 ? dirs[0] : URL(fileURLWithPath: "results/noise-sessions"))
        if let suite {
            thresholds = try ThresholdSet.fromSuite(text: try String(contentsOfFile: suite, encoding: .utf8), file: suite)
            let dir = try runSession(suite: suite)
            if out == nil { outDir = dir }
            dirs.append(dir)
        }
        let sets = try dirs.map { try ResultDirectory.read($0) }
        let noise = NoiseFloor(sessions: sets, safety: safety)
        try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        try noise.table.write(to: outDir.appendingPathComponent("noise.csv"))
        if sets.count > 1 { try noise.shiftsTable.write(to: outDir.appendingPathComponent("noise-shifts.csv")) }
        try OutputFile.replace(outDir.appendingPathComponent("noise-thresholds.toml"), with: Data(noise.thresholdsTOML.utf8))
        var options = ComparisonOptions()
        options.thresholds = thresholds
        print(noise.summary)
        for set in sets {
            let halves = NoiseFloor.halves(set)
            report(try Comparator.compare(baseline: halves.a, current: halves.b, options: options),
                   "A/A check of \(set.source) (even against odd repeats, the default and suite thresholds)")
        }
        for i in sets.indices { for j in sets.indices where j > i {
            report(try Comparator.compare(baseline: sets[i], current: sets[j], options: options),
                   "between sessions (baseline \(sets[i].source), current \(sets[j].source), the default and suite thresholds)")
        } }
        let written = ["noise.csv"] + (sets.count > 1 ? ["noise-shifts.csv"] : []) + ["noise-thresholds.toml"]
        print("written: " + written.map { outDir.appendingPathComponent($0).path }.joined(separator: ", "))
    }

    /// Runs the suite A/A into its output directory and returns it.
    func runSession(suite: String) throws -> URL {
        var overrides = sweep.overrides
        overrides.suitePath = suite
        // Each half as large as one side of `check` (the suite's repeats), so the floor is the one a check sees.
        overrides.repeats = try sweep.repeats ?? max(10, 2 * overrides.makePlan().repeats)
        overrides.drawPlots = false
        overrides.measureSamplerOverhead = false
        overrides.reference = true  // the machine's own noise, beside the suite's
        let plan = try overrides.makePlan()
        guard plan.repeats >= 4 else { throw HarnessError(source: "--repeat", value: String(plan.repeats), reason: "an A/A split needs at least 4 repeats (10 recommended)") }
        let dir = URL(fileURLWithPath: out ?? "results/noise-\(plan.name)")
        let printer = ProgressPrinter(fd: 2, forcePlain: sweep.plain)
        let result = try runSweep(plan: plan, outputDirectory: dir, progress: printer.callback)
        if let s = result.interruptedBy { throw ExitCode(128 + s) }
        return dir
    }

    func report(_ r: ComparisonReport, _ what: String) {
        print("\n\(what): \(r.count(.regressed)) regressed, \(r.count(.drift)) drift, \(r.comparisons.count) judged")
        if let s = r.machineSpeed, s.drifted { print("  drift: \(s.description)") }
        for c in r.comparisons where c.verdict == .regressed {
            print("  false alarm: \(c.configuration) \(c.metric) \(c.change.map { formatPercent($0) } ?? "") (threshold \(c.threshold))")
        }
    }

    func formatPercent(_ x: Double) -> String { String(format: "%+.1f%%", x * 100) }
}
