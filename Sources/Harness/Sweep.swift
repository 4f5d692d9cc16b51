// Public API of the harness, for the CLI and the regression mode (`highwater check --suite`):
//
//   let plan = try Suite.load(path: "suites/default.toml")      // or SweepPlan(name:entries:) from CLI options
//   try plan.validate()                                          // grid, allocator libraries; throws HarnessError
//   let result = try runSweep(plan: plan, outputDirectory: dir, progress: ProgressPrinter.standardError.callback)
//   result.runsCSV / result.summaryCSV / result.records / result.failedRuns
//
// Names kept stable: SweepPlan, SweepEntry, Axis, RunConfiguration (configID), PlannedRun (runID),
// runSweep(plan:outputDirectory:progress:), SweepResult, SweepEvent, ProgressPrinter, HarnessError,
// Suite.load(path:), Suite.parse(_:source:), Summary.table(from:), SampleStatistics, EnvironmentInfo.
// Output files in `outputDirectory`: runs.csv, summary.csv, timeseries.csv, run.json, logs/, plots/.
import Foundation
import CProcess
import RunContract

/// The result of `runSweep`.
public struct SweepResult: Sendable {
    public let outputDirectory: URL
    public var runsCSV: URL { outputDirectory.appendingPathComponent("runs.csv") }
    public var summaryCSV: URL { outputDirectory.appendingPathComponent("summary.csv") }
    public var timeseriesCSV: URL { outputDirectory.appendingPathComponent("timeseries.csv") }
    public var runJSON: URL { outputDirectory.appendingPathComponent("run.json") }
    /// Every recorded (non-warmup) run, in execution order.
    public let records: [RunRecord]
    /// Runs whose status is not `ok`.
    public var failedRuns: [RunRecord] { records.filter { $0.status != .ok } }
    public let samplerOverhead: SamplerOverhead?
    public let wallS: Double
}

/// Creates `dir` if needed and checks it is writable; throws a `HarnessError` for `--out`.
public func prepareOutputDirectory(_ dir: URL) throws {
    do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
        throw HarnessError(source: "--out", value: dir.path, reason: "cannot create the output directory")
    }
    let probe = dir.appendingPathComponent(".highwater-write-test")
    guard FileManager.default.createFile(atPath: probe.path, contents: Data("x".utf8)) else {
        throw HarnessError(source: "--out", value: dir.path, reason: "output directory is not writable")
    }
    try? FileManager.default.removeItem(at: probe)
}

/// Runs every planned run of `plan`, each in a fresh child process, and writes `runs.csv` (appended and flushed as
/// each run ends), `timeseries.csv`, `summary.csv`, `run.json` and (unless `plan.drawPlots` is false) `plots/`.
/// Validates everything first (throws `HarnessError` before any run). Failed, crashed, timed-out and killed runs become
/// rows with their status; the sweep always goes on.
public func runSweep(plan: SweepPlan, outputDirectory: URL, progress: ((SweepEvent) -> Void)? = nil) throws -> SweepResult {
    try plan.validate()
    let runs = try plan.orderedRuns()
    // Children run in their own process group: on Ctrl-C / SIGTERM take the running one down too.
    hw_install_interrupt_handler()
    try prepareOutputDirectory(outputDirectory)
    let t0 = Clock.nowNs()
    let env = EnvironmentInfo.gather(commandLine: plan.commandLine)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("highwater-\(getpid())-\(UInt64.random(in: 0...UInt64.max) % 1_000_000)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let executor = RunExecutor(plan: plan, outputDirectory: outputDirectory, scratchDirectory: scratch, environment: env)

    let runsFile = try AppendingCSV(url: outputDirectory.appendingPathComponent("runs.csv"))
    let tsURL = outputDirectory.appendingPathComponent("timeseries.csv")
    try Data(CSVTable.line(timeseriesHeader).utf8).write(to: tsURL)
    let tsHandle = try FileHandle(forWritingTo: tsURL)
    defer { try? tsHandle.close() }
    try tsHandle.seekToEnd()

    let configs = try plan.configurations()
    var overhead: SamplerOverhead?
    var runJSON = RunJSON(schema: 1, environment: env, plan: plan, configurations: configs, samplerOverhead: nil,
                          runsPlanned: runs.filter { !$0.isWarmup }.count, statuses: [:], wallS: nil)
    try runJSON.write(to: outputDirectory)
    if plan.measureSamplerOverhead {
        progress?(.note("measuring sampler overhead (alloc workload at sample-ms off, 1, 10)"))
        overhead = try measureSamplerOverhead(executor: executor)
        runJSON.samplerOverhead = overhead
        try runJSON.write(to: outputDirectory)
        if let o = overhead { progress?(.note(o.summaryLine)) }
    }

    progress?(.started(total: runs.count, warmups: runs.filter(\.isWarmup).count, outputDirectory: outputDirectory.path))
    var records: [RunRecord] = []
    var durations: [Double] = []
    for (i, run) in runs.enumerated() {
        let remaining = runs.count - i
        let eta = durations.isEmpty ? nil : durations.reduce(0, +) / Double(durations.count) * Double(remaining)
        progress?(.runStarted(index: i + 1, total: runs.count, label: run.configuration.label + " #\(run.repeatIndex)", isWarmup: run.isWarmup, etaS: eta))
        let s0 = Clock.nowNs()
        let result = try executor.execute(run)
        durations.append(Double(Clock.nowNs() - s0) / 1e9)
        let rec = result.record
        progress?(.runFinished(index: i + 1, total: runs.count, label: run.configuration.label + (run.isWarmup ? " (warmup)" : " #\(run.repeatIndex)"),
                               status: rec.status ?? .failed, error: rec[RunColumn.error] ?? "",
                               wallS: Double(rec[Metric.wallS.name] ?? "") ?? 0, peakRSSMB: Double(rec[Metric.peakRSSMB.name] ?? "")))
        if run.isWarmup { continue }
        records.append(rec)
        try runsFile.append(rec.values)
        var chunk = ""
        for p in result.series {
            chunk += CSVTable.line([run.runID, run.configuration.configID, String(run.repeatIndex), formatNumber(p.tMs, digits: 3),
                                    p.rssMB.map { formatNumber($0, digits: 3) } ?? "", p.event])
        }
        try tsHandle.write(contentsOf: Data(chunk.utf8))
    }
    let runsTable = try CSVTable.read(from: runsFile.url)
    try Summary.table(from: runsTable).write(to: outputDirectory.appendingPathComponent("summary.csv"))
    let wall = Double(Clock.nowNs() - t0) / 1e9
    var statuses: [String: Int] = [:]
    for r in records { statuses[(r.status ?? .failed).rawValue, default: 0] += 1 }
    runJSON.statuses = statuses
    runJSON.wallS = wall
    try runJSON.write(to: outputDirectory)
    if plan.drawPlots {
        do {
            let made = try Plotter.drawAll(directory: outputDirectory)
            progress?(.note("plots: \(made.count) files in \(outputDirectory.appendingPathComponent("plots").path)"))
        } catch {
            progress?(.note("plots skipped: \(error)"))
        }
    }
    progress?(.finished(runs: records.count, failed: records.filter { $0.status != .ok }.count, wallS: wall))
    return SweepResult(outputDirectory: outputDirectory, records: records, samplerOverhead: overhead, wallS: wall)
}

/// Columns of `timeseries.csv`: `t_ms` since the child was spawned; `rss_mb` sampled (MB = 1e6 bytes); `event` empty for
/// samples, else `begin`/`end` (measured region) or `phase:<name>`.
public let timeseriesHeader = ["run_id", "config_id", "repeat", "t_ms", "rss_mb", "event"]

