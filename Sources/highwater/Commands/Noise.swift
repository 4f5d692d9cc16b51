import ArgumentParser
import Foundation
import Harness

/// `highwater noise --suite FILE`: the suite's measured A/A noise floors and suggested thresholds.
struct Noise: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a suite as A/A (the same build against itself, interleaved) and suggest thresholds from its measured noise.",
        discussion: """
        Runs every configuration of the suite --repeat times (default 10; the suite's own repeat count is not used), \
        one repeat round after another, so the even-numbered repeats (A) and the odd-numbered ones (B) share the \
        machine's conditions. Prints, per workload and metric, the 95th percentile of the change between the medians \
        of A and B over every balanced split of the repeats (the noise floor), the largest spread, and a suggested \
        threshold (floor x --safety, rounded up to a whole percent, at least 1%), and the verdicts the ordinary \
        comparison gives A against B (every regression there is a false alarm). Writes DIR/noise.csv (every \
        configuration and metric) and DIR/noise-thresholds.toml (a [thresholds] table to paste into the suite). \
        With --from DIR, analyses an existing result directory instead of running.
        """)

    @Option(name: .long, help: ArgumentHelp("Suite file (TOML) to run A/A; its [thresholds] table is used for the A/A verdicts.", valueName: "file"))
    var suite: String?

    @Option(name: .long, help: ArgumentHelp("Analyse this result directory (runs.csv) instead of running the suite.", valueName: "dir"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Output directory. Default: results/noise-<suite name> (with --from: that directory).", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Factor between the measured floor and the suggested threshold. Default: 1.5.", valueName: "x"))
    var safety: Double = 1.5

    @OptionGroup var sweep: SweepOptions

    func run() throws {
        guard (suite == nil) != (from == nil) else { throw HarnessError(source: "noise", reason: "give exactly one of --suite FILE or --from DIR") }
        guard safety >= 1, safety <= 100 else { throw HarnessError(source: "--safety", value: String(safety), reason: "must be between 1 and 100") }
        var thresholds = ThresholdSet()
        let dir: URL
        if let suite {
            var overrides = sweep.overrides
            overrides.suitePath = suite
            overrides.repeats = sweep.repeats ?? 10
            overrides.drawPlots = false
            overrides.measureSamplerOverhead = false
            overrides.reference = true  // the machine's own noise, beside the suite's
            let plan = try overrides.makePlan()
            guard plan.repeats >= 4 else { throw HarnessError(source: "--repeat", value: String(plan.repeats), reason: "an A/A split needs at least 4 repeats (10 recommended)") }
            thresholds = try ThresholdSet.fromSuite(text: try String(contentsOfFile: suite, encoding: .utf8), file: suite)
            dir = URL(fileURLWithPath: out ?? "results/noise-\(plan.name)")
            let printer = ProgressPrinter(fd: 2, forcePlain: sweep.plain)
            let result = try runSweep(plan: plan, outputDirectory: dir, progress: printer.callback)
            if let s = result.interruptedBy { throw ExitCode(128 + s) }
        } else {
            dir = URL(fileURLWithPath: from!)
        }
        let set = try ResultDirectory.read(dir)
        let noise = NoiseFloor(set, safety: safety)
        let outDir = out.map { URL(fileURLWithPath: $0) } ?? dir
        try FileManager.default.createDirectory(at: outDir, withIntermediateDirectories: true)
        try noise.table.write(to: outDir.appendingPathComponent("noise.csv"))
        try OutputFile.replace(outDir.appendingPathComponent("noise-thresholds.toml"), with: Data(noise.thresholdsTOML.utf8))
        var options = ComparisonOptions()
        options.thresholds = thresholds
        let halves = NoiseFloor.halves(set)
        let aa = try Comparator.compare(baseline: halves.a, current: halves.b, options: options)
        print(noise.summary)
        print("\nA/A check (even against odd repeats, the default and suite thresholds): \(aa.count(.regressed)) regressed, "
            + "\(aa.count(.drift)) drift, \(aa.comparisons.count) judged")
        for c in aa.comparisons where c.verdict == .regressed {
            print("  false alarm: \(c.configuration) \(c.metric) \(c.change.map { formatPercent($0) } ?? "") (threshold \(c.threshold))")
        }
        print("written: \(outDir.appendingPathComponent("noise.csv").path), \(outDir.appendingPathComponent("noise-thresholds.toml").path)")
    }

    func formatPercent(_ x: Double) -> String { String(format: "%+.1f%%", x * 100) }
}
