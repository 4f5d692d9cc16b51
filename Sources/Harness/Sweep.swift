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
    /// The signal that stopped the sweep early (SIGINT, SIGTERM, SIGHUP), or nil when every planned run ran.
    public let interruptedBy: Int32?
}

/// Creates `dir` if needed and checks it is writable; throws a `HarnessError` for `--out`.
public func prepareOutputDirectory(_ dir: URL) throws {
    guard !dir.path.isEmpty else { throw HarnessError(source: "--out", reason: "empty path") }
    do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
        throw HarnessError(source: "--out", value: dir.path, reason: "cannot create the output directory")
    }
    guard access(dir.path, W_OK) == 0 else {
        throw HarnessError(source: "--out", value: dir.path, reason: "output directory is not writable")
    }
}

/// Runs every planned run of `plan`, each in a fresh child process, and writes `runs.csv` (appended and fsynced as
/// each run ends), `timeseries.csv`, `summary.csv`, `run.json` and (unless `plan.drawPlots` is false) `plots/`.
/// Validates everything first (throws `HarnessError` before any run); holds the directory's lock for the whole sweep
/// and moves earlier results aside. Failed, crashed, timed-out and killed runs become rows with their status; the
/// sweep goes on. On SIGINT/SIGTERM/SIGHUP the running child is killed and the sweep stops after it, writing
/// `summary.csv` and a `run.json` marked interrupted. A result file that cannot be written throws `OutputError`.
public func runSweep(plan: SweepPlan, outputDirectory: URL, progress: ((SweepEvent) -> Void)? = nil) throws -> SweepResult {
    try plan.validate()
    let runs = try plan.orderedRuns()
    // Children run in their own process groups: on Ctrl-C / SIGTERM take the running one down too.
    hw_install_interrupt_handler()
    let directory = try OutputDirectory(outputDirectory)
    if let note = directory.note { progress?(.note(note)) }
    let t0 = Clock.nowNs()
    let env = EnvironmentInfo.gather(commandLine: plan.commandLine)
    let scratch = try ScratchDirectory()
    defer { scratch.remove() }
    var executor = RunExecutor(plan: plan, outputDirectory: outputDirectory, scratchDirectory: scratch.url, environment: env)
    if case .available(let parent) = CgroupProbe.current() { executor.cgroupParent = parent }
    let profiler = try plan.profiles.flatMap { $0.isEmpty ? nil : try ProfileSession(kinds: $0, executor: executor, outputDirectory: outputDirectory) }
    let writer = try SweepWriter(directory: outputDirectory, plan: plan, environment: env,
                                 measuredRuns: runs.filter { !$0.isWarmup }.count)
    var overhead: SamplerOverhead?
    if plan.measureSamplerOverhead {
        progress?(.note("measuring sampler overhead (alloc workload at sample-ms off, 1, 10)"))
        overhead = try measureSamplerOverhead(executor: executor)
        try writer.recordOverhead(overhead)
        if let o = overhead { progress?(.note(o.summaryLine)) }
    }

    progress?(.started(total: runs.count, warmups: runs.filter(\.isWarmup).count, outputDirectory: outputDirectory.path))
    var records: [RunRecord] = []
    var durations: [Double] = []
    for (i, run) in runs.enumerated() where hw_interrupted_signal() == 0 {
        let eta = durations.isEmpty ? nil : durations.reduce(0, +) / Double(durations.count) * Double(runs.count - i)
        progress?(.runStarted(index: i + 1, total: runs.count, label: run.configuration.label + " #\(run.repeatIndex)", isWarmup: run.isWarmup, etaS: eta))
        let s0 = Clock.nowNs()
        let result = try executor.execute(run)
        durations.append(Double(Clock.nowNs() - s0) / 1e9)
        let rec = result.record
        progress?(.runFinished(index: i + 1, total: runs.count, label: run.configuration.label + (run.isWarmup ? " (warmup)" : " #\(run.repeatIndex)"),
                               status: rec.status ?? .failed, error: rec[RunColumn.error] ?? "",
                               wallS: Double(rec[Metric.wallS.name] ?? "") ?? 0, peakRSSMB: Double(rec[Metric.peakRSSMB.name] ?? "")))
        // A run cut short by the interrupt is not a measurement.
        if run.isWarmup || hw_interrupted_signal() != 0 { continue }
        try writer.append(rec, series: result.series, processes: result.processes, processSeries: result.processSeries, run: run)
        records.append(rec)
    }
    if let profiler, hw_interrupted_signal() == 0 {
        try writer.recordProfiles(try profiler.run(runs, measured: records, progress: progress))
    }
    let interrupted = hw_interrupted_signal()
    let wall = Double(Clock.nowNs() - t0) / 1e9
    try writer.finish(records: records, wallS: wall, interruptedBy: interrupted == 0 ? nil : interrupted)
    if plan.drawPlots && interrupted == 0 {
        do {
            let made = try Plotter.drawAll(directory: outputDirectory)
            progress?(.note("plots: \(made.count) files in \(outputDirectory.appendingPathComponent("plots").path)"))
        } catch {
            progress?(.note("plots skipped: \(error)"))
        }
    }
    if interrupted != 0 { progress?(.note("interrupted by \(ProcessMonitor.signalName(interrupted)) after \(records.count) of \(writer.measuredRuns) runs; summary.csv and run.json written")) }
    progress?(.finished(runs: records.count, failed: records.filter { $0.status != .ok }.count, wallS: wall))
    return SweepResult(outputDirectory: outputDirectory, records: records, samplerOverhead: overhead, wallS: wall,
                       interruptedBy: interrupted == 0 ? nil : interrupted)
}

/// Columns of `timeseries.csv`: `t_ms` since the child was spawned; `rss_mb` sampled, summed over the run's process
/// tree (MB = 1e6 bytes); `event` empty for samples, else `begin`/`end` (measured region) or `phase:<name>`; `pss_mb`
/// the tree's PSS sum (when several processes ran); `processes` alive at the sample; `cgroup_mb` the run cgroup's
/// `memory.current` (when the run had its own cgroup).
public let timeseriesHeader = ["run_id", "config_id", "repeat", "t_ms", "rss_mb", "event", "pss_mb", "processes", "cgroup_mb"]

/// Columns of `processes.csv`: one row per process of a run, with its own peak RSS (MB) and when it was first and last
/// seen (ms since the spawn).
/// Columns of `process_series.csv`: each process's own RSS (MB) at each sample (ms since the spawn), for runs of
/// several processes (the command name of each pid is in `processes.csv`).
public let processSeriesHeader = ["run_id", "t_ms", "pid", "rss_mb"]

public let processesHeader = ["run_id", "pid", "command", "peak_rss_mb", "first_seen_ms", "last_seen_ms"]
