import ArgumentParser
import Foundation
import Harness
import Workloads

/// The `highwater` command line: argument parsing only; the work is in the Harness library.
struct Highwater: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "highwater",
        abstract: "Benchmark and profile throughput and memory high-water marks of parameterized workloads and external commands.",
        discussion: "Exit codes: 0 success; 1 a run failed (or a regression was found); 2 bad usage or bad input.",
        subcommands: [Run.self, List.self, Plot.self, Report.self, ChildCommand.self] + regressionSubcommands
    )
}

/// Splits `KEY=V1,V2,...`.
func parseAxis(_ text: String, flag: String) throws -> Axis {
    guard let eq = text.firstIndex(of: "=") else {
        throw HarnessError(source: flag, value: text, reason: "expected KEY=V1,V2,...")
    }
    let key = text[..<eq].trimmingCharacters(in: .whitespaces)
    let values = text[text.index(after: eq)...].split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    guard !key.isEmpty else { throw HarnessError(source: flag, value: text, reason: "empty name") }
    guard !values.contains(where: \.isEmpty) else { throw HarnessError(source: flag, field: key, value: text, reason: "empty value") }
    return Axis(name: key, values: values)
}

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

    @Option(name: .long, help: ArgumentHelp("Parameter values to sweep, KEY=V1,V2,... (repeatable). Units as in `highwater list`. Default: the workload's defaults.", valueName: "key=values"))
    var param: [String] = []

    @Option(name: .long, help: ArgumentHelp("Allocator knob to sweep in the child's environment, NAME=V1,V2 (repeatable): MALLOC_ARENA_MAX, MALLOC_*_, GLIBC_TUNABLES, MALLOC_CONF, MIMALLOC_*. Default: none.", valueName: "name=values"))
    var env: [String] = []

    @Option(name: .long, help: ArgumentHelp("Suite file (TOML) with [suite] settings and [[run]] entries.", valueName: "file"))
    var suite: String?

    @Option(name: .long, help: ArgumentHelp("Comma-separated allocators preloaded per run: system, jemalloc, mimalloc. Default: system (or the suite's).", valueName: "list"))
    var allocator: String?

    @Option(name: [.customLong("repeat")], help: ArgumentHelp("Measured repeats per configuration (runs). Default: 3.", valueName: "n"))
    var repeats: Int?

    @Option(name: .long, help: ArgumentHelp("Unrecorded warmup runs per configuration. Default: 0.", valueName: "n"))
    var warmup: Int?

    @Option(name: .customLong("sample-ms"), help: ArgumentHelp("RSS sampling interval in milliseconds; 0 turns sampling off. Default: 10.", valueName: "ms"))
    var sampleMs: Double?

    @Option(name: .long, help: ArgumentHelp("Per-run wall-clock limit in seconds; the child is killed and recorded as `timeout`. Default: 600.", valueName: "s"))
    var timeout: Double?

    @Option(name: .customLong("memory-limit"), help: ArgumentHelp("Per-run RSS limit in MB (1e6 bytes), checked at every sample; over it the child is killed and recorded as `oom`. Default: 0 (none).", valueName: "MB"))
    var memoryLimit: Double?

    @Option(name: .long, help: ArgumentHelp("Output directory. Default: results/<name or timestamp>/.", valueName: "dir"))
    var out: String?

    @Option(name: .long, help: ArgumentHelp("Sweep name (default output directory results/<name>/). Default: the suite's name, else a timestamp.", valueName: "name"))
    var name: String?

    @Option(name: .long, help: ArgumentHelp("Run only slice I of N of the measured runs (deterministic; merge shards with `highwater merge`). Default: all.", valueName: "I/N"))
    var shard: String?

    @Flag(name: .customLong("alloc-counts"), help: "Count allocation calls and bytes (alloc_count, alloc_bytes) by preloading ordo-one/malloc-interposer (adds a 16-byte header per allocation). Workloads only. Default: off.")
    var allocCounts = false

    @Flag(name: .customLong("no-plots"), help: "Do not draw plots after the sweep. Default: plots are drawn.")
    var noPlots = false

    @Flag(name: .customLong("no-overhead-check"), help: "Skip measuring the sampler's overhead before the sweep (about 15 short runs, a few seconds). Default: measured.")
    var noOverheadCheck = false

    @Flag(name: .long, help: "Plain progress lines even on a terminal. Default: an updating line on a terminal.")
    var plain = false

    @Flag(name: .customLong("dry-run"), help: "Validate and print the planned runs in execution order (run id, configuration, repeat), then exit without running. Default: off.")
    var dryRun = false

    func makePlan() throws -> SweepPlan {
        var plan: SweepPlan
        let cliAxes = try param.map { try parseAxis($0, flag: "--param") }
        if let suite {
            guard workload == nil, command == nil else {
                throw HarnessError(source: workload != nil ? "--workload" : "--command", reason: "cannot be combined with --suite (the suite names what runs)")
            }
            plan = try Suite.parse(try readSuite(suite), source: suite)
            // --param overrides the named parameter in every entry that already declares or accepts it.
            for axis in cliAxes {
                var used = false
                for i in plan.entries.indices {
                    let accepts = plan.entries[i].workload.flatMap { WorkloadRegistry.named($0) }?.parameters.contains { $0.name == axis.name }
                        ?? plan.entries[i].command?.contains("{\(axis.name)}") ?? false
                    if accepts {
                        plan.entries[i].params.removeAll { $0.name == axis.name }
                        plan.entries[i].params.append(axis)
                        used = true
                    }
                }
                if !used { throw HarnessError(source: "--param", field: axis.name, reason: "no run in the suite has this parameter") }
            }
        } else {
            guard workload != nil || command != nil else {
                throw HarnessError(source: "run", reason: "give --workload NAME, --command TEMPLATE or --suite FILE")
            }
            let entry = SweepEntry(workload: workload, command: command, params: cliAxes)
            plan = SweepPlan(name: name ?? Self.timestamp(), entries: [entry])
        }
        if let name { plan.name = name }
        if let allocator {
            plan.allocators = try allocator.split(separator: ",").map { try Allocator.parse(String($0), source: "--allocator") }
            for i in plan.entries.indices { plan.entries[i].allocators = nil }
        }
        if !env.isEmpty { plan.env = try env.map { try parseAxis($0, flag: "--env") } }
        if let repeats { plan.repeats = repeats }
        if let warmup { plan.warmup = warmup }
        if let sampleMs { plan.sampleMs = sampleMs }
        if let timeout { plan.timeoutS = timeout }
        if let memoryLimit { plan.memoryLimitMB = memoryLimit }
        if allocCounts { plan.allocCounts = true }
        if let shard { plan.shard = shard }
        plan.drawPlots = !noPlots
        plan.measureSamplerOverhead = !noOverheadCheck
        plan.commandLine = CommandLine.arguments
        if plan.source == "command line" {
            // Errors for command-line plans name the flags.
        }
        return plan
    }

    func readSuite(_ path: String) throws -> String {
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw HarnessError(source: "--suite", value: path, reason: "cannot read the suite file")
        }
    }

    static func timestamp() -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date())
    }

    func run() throws {
        let plan = try makePlan()
        try plan.validate()
        if dryRun {
            let runs = try plan.orderedRuns()
            print("\(runs.count) runs (\(runs.filter(\.isWarmup).count) warmup) of \(try plan.configurations().count) configurations:")
            for (i, r) in runs.enumerated() {
                print("\(i + 1)\t\(r.runID)\t\(r.configuration.label)\t\(r.isWarmup ? "warmup" : "repeat") \(r.repeatIndex)")
            }
            return
        }
        let dir = URL(fileURLWithPath: out ?? "results/\(plan.name)")
        try prepareOutputDirectory(dir)
        let printer = ProgressPrinter(fd: 2, forcePlain: plain)
        let result = try runSweep(plan: plan, outputDirectory: dir, progress: printer.callback)
        print("results: \(dir.path)/runs.csv, summary.csv, timeseries.csv, run.json\(plan.drawPlots ? ", plots/" : "")")
        if !result.failedRuns.isEmpty { throw ExitCode(1) }
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every workload with its parameters (type, unit, default, allowed values).")

    func run() throws {
        print(WorkloadCatalog.text())
    }
}

struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Redraw the plots of a results directory from its CSV files alone, into DIR/plots/ (PNG and SVG).")

    @Argument(help: ArgumentHelp("Results directory (with runs.csv, timeseries.csv).", valueName: "dir"))
    var directory: String

    func run() throws {
        let files = try Plotter.drawAll(directory: URL(fileURLWithPath: directory))
        print("plots: \(files.count) files in \(directory)/plots/")
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write DIR/report.md: environment, the sweep, a table per workload, the plots and findings computed from the data.")

    @Argument(help: ArgumentHelp("Results directory.", valueName: "dir"))
    var directory: String

    @Flag(name: .customLong("no-plots"), help: "Do not (re)draw the plots first. Default: plots are redrawn.")
    var noPlots = false

    func run() throws {
        let url = try ReportWriter.write(directory: URL(fileURLWithPath: directory), drawPlots: !noPlots)
        print("report: \(url.path)")
    }
}

/// Hidden: the child side of a workload run (re-executed by the parent with posix_spawn).
struct ChildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "__child", abstract: "Internal: run one workload in this process.", shouldDisplay: false)

    @Option(name: .long, help: "Child spec (JSON) written by the parent.")
    var spec: String

    func run() throws {
        let code = ChildMain.run(specPath: spec)
        if code != 0 { throw ExitCode(code) }
    }
}

// Helper processes a workload spawns (e.g. parallel_write's workers: `highwater __parallel_write_worker ...`)
// dispatch on their hidden first argument before any parsing.
if CommandLine.arguments.count > 1, let helperMain = WorkloadRegistry.helperEntryPoint(for: CommandLine.arguments[1]) {
    exit(helperMain(Array(CommandLine.arguments.dropFirst(2))))
}

// Errors: HarnessError and usage errors are one line on stderr and exit 2; help exits 0.
do {
    var command = try Highwater.parseAsRoot()
    try command.run()
} catch let e as HarnessError {
    FileHandle.standardError.write(Data((e.line + "\n").utf8))
    exit(2)
} catch let e as ParameterError {
    FileHandle.standardError.write(Data("highwater: error: \(e.description)\n".utf8))
    exit(2)
} catch {
    let code = Highwater.exitCode(for: error)
    if code == .validationFailure {
        let msg = Highwater.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        FileHandle.standardError.write(Data("highwater: error: \(msg)\n".utf8))
        exit(2)
    }
    Highwater.exit(withError: error)
}
