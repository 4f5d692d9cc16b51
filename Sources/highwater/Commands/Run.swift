import ArgumentParser
import Foundation
import Harness

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a sweep: the Cartesian product of parameter lists and allocators, each repeat in a fresh child process.",
        discussion: """
        Writes DIR/runs.csv (one row per run, appended as each run ends), DIR/summary.csv (per configuration: median, \
        min, max, mean, 95% t-interval), DIR/timeseries.csv (RSS samples and phase marks), DIR/run.json (environment, \
        plan, sampler overhead), DIR/logs/ and DIR/plots/. Options given on the command line override the suite's.
        """)

    @Option(name: .long, help: ArgumentHelp("Workload to run (see `highwater list`).", valueName: "name"))
    var workload: String?

    @Option(name: .long, help: ArgumentHelp("External command run with /bin/sh -c; {param} placeholders are substituted. Its RSS is sampled from outside; it may print `highwater: metric NAME=VALUE` and `highwater: phase NAME` lines.", valueName: "template"))
    var command: String?

    @Option(name: .long, help: ArgumentHelp("Suite file (TOML) with [suite] settings and [[run]] entries.", valueName: "file"))
    var suite: String?

    @OptionGroup var sweep: SweepOptions

    @Option(name: .long, help: ArgumentHelp("Output directory. Default: results/<name or timestamp>/.", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Sweep name (default output directory results/<name>/). Default: the suite's name, else a timestamp.", valueName: "name"))
    var name: String?

    @Option(name: .long, help: ArgumentHelp("Run only slice I of N of the measured runs (deterministic; merge shards with `highwater merge`). Default: all.", valueName: "I/N"))
    var shard: String?

    @Flag(name: .customLong("no-plots"), help: "Do not draw plots after the sweep. Default: plots are drawn.")
    var noPlots = false

    @Flag(name: .customLong("no-overhead-check"), help: "Skip measuring the sampler's overhead before the sweep (about 15 short runs, a few seconds). Default: measured.")
    var noOverheadCheck = false

    @Flag(name: .long, help: "Also run the `reference` workload (machine speed, ~0.1 s) interleaved with the sweep, so a baseline saved from it lets `check` tell a slower machine from slower code. Default: off (or the suite's `reference`).")
    var reference = false

    @Flag(name: .customLong("dry-run"), help: "Validate and print the planned runs in execution order (run id, configuration, repeat), then exit without running. Default: off.")
    var dryRun = false

    func run() throws {
        var o = sweep.overrides
        o.suitePath = suite
        o.workload = workload
        o.command = command
        o.name = name
        o.shard = shard
        if reference { o.reference = true }
        o.drawPlots = !noPlots
        o.measureSamplerOverhead = !noOverheadCheck
        let plan = try o.makePlan()
        try plan.validate()
        if dryRun {
            try plan.writeDryRun { print($0, terminator: "") }
            return
        }
        if out == "" { throw HarnessError(source: "--out", reason: "empty path (give a directory)") }
        let dir = URL(fileURLWithPath: out ?? "results/\(plan.name)")
        let printer = ProgressPrinter(fd: 2, forcePlain: sweep.plain)
        let result = try runSweep(plan: plan, outputDirectory: dir, progress: printer.callback)
        print("results: \(dir.path)/runs.csv, summary.csv, timeseries.csv, run.json\(plan.drawPlots && result.interruptedBy == nil ? ", plots/" : "")")
        if let s = result.interruptedBy { throw ExitCode(128 + s) }
        if !result.failedRuns.isEmpty { throw ExitCode(1) }
    }
}
