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
import CAllocStats
import Workloads

/// What happened during a sweep, for progress display.
public enum SweepEvent: Sendable {
    /// The sweep starts: measured runs and warmups planned.
    case started(total: Int, warmups: Int, outputDirectory: String)
    /// A run starts (1-based index over all runs including warmups); ETA from the mean duration of finished runs.
    case runStarted(index: Int, total: Int, label: String, isWarmup: Bool, etaS: Double?)
    /// A run ended with this status.
    case runFinished(index: Int, total: Int, label: String, status: String, error: String, wallS: Double, peakRSSMB: Double?)
    /// Free text (sampler overhead measurement, plots).
    case note(String)
    case finished(runs: Int, failed: Int, wallS: Double)
}

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
    public var failedRuns: [RunRecord] { records.filter { $0.status != "ok" } }
    public let samplerOverhead: SamplerOverhead?
    public let wallS: Double
}

/// The sampler's own cost, measured with the `alloc` calibration workload before a sweep.
public struct SamplerOverhead: Codable, Sendable {
    /// CPU time of the parent's monitoring thread per sample, µs (median over the runs at each interval), including the
    /// thread's fixed per-run work (opening /proc files, reading events) spread over the samples.
    public var cpuMicrosPerSample: [String: Double]
    /// Marginal CPU per sample, µs: (CPU at 1 ms − CPU at 10 ms) / (samples at 1 ms − samples at 10 ms), medians of the
    /// per-run totals; the cost of one more sample without the per-run fixed work. Nil when not measurable.
    public var marginalCPUMicrosPerSample: Double?
    /// Median measured-region wall time of the calibration workload per sampling interval (`off`, `1`, `10` ms), s.
    public var wallS: [String: Double]
    /// Wall time relative to sampling off, per interval.
    public var wallRatioVsOff: [String: Double]
    /// The calibration: workload, parameters and repeats per interval.
    public var calibration: String
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
    let t0 = monotonicNanoseconds()
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
        let s0 = monotonicNanoseconds()
        let result = try executor.execute(run)
        durations.append(Double(monotonicNanoseconds() - s0) / 1e9)
        let rec = result.record
        progress?(.runFinished(index: i + 1, total: runs.count, label: run.configuration.label + (run.isWarmup ? " (warmup)" : " #\(run.repeatIndex)"),
                               status: rec.status, error: rec["error"] ?? "", wallS: Double(rec["wall_s"] ?? "") ?? 0,
                               peakRSSMB: Double(rec["peak_rss_mb"] ?? "")))
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
    let wall = Double(monotonicNanoseconds() - t0) / 1e9
    var statuses: [String: Int] = [:]
    for r in records { statuses[r.status, default: 0] += 1 }
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
    progress?(.finished(runs: records.count, failed: records.filter { $0.status != "ok" }.count, wallS: wall))
    return SweepResult(outputDirectory: outputDirectory, records: records, samplerOverhead: overhead, wallS: wall)
}

/// Columns of `timeseries.csv`: `t_ms` since the child was spawned; `rss_mb` sampled (MB = 1e6 bytes); `event` empty for
/// samples, else `begin`/`end` (measured region) or `phase:<name>`.
public let timeseriesHeader = ["run_id", "config_id", "repeat", "t_ms", "rss_mb", "event"]

/// `run.json`: environment, plan, configurations, sampler overhead, outcome.
public struct RunJSON: Codable, Sendable {
    public var schema: Int
    public var environment: EnvironmentInfo
    public var plan: SweepPlan
    public var configurations: [RunConfiguration]
    public var samplerOverhead: SamplerOverhead?
    public var runsPlanned: Int
    public var statuses: [String: Int]
    public var wallS: Double?

    func write(to dir: URL) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try enc.encode(self).write(to: dir.appendingPathComponent("run.json"), options: .atomic)
    }

    /// Reads `DIR/run.json`.
    public static func read(from dir: URL) throws -> RunJSON {
        try JSONDecoder().decode(RunJSON.self, from: Data(contentsOf: dir.appendingPathComponent("run.json")))
    }
}

extension SamplerOverhead {
    var summaryLine: String {
        var cpu = ["1", "10"].compactMap { k in cpuMicrosPerSample[k].map { "\(formatNumber($0, digits: 2)) µs CPU/sample at \(k) ms" } }
        if let m = marginalCPUMicrosPerSample { cpu.append("marginal \(formatNumber(m, digits: 2)) µs/sample") }
        let walls = ["off", "1", "10"].compactMap { k in wallS[k].map { "\(k == "off" ? "off" : k + " ms") \(formatNumber($0 * 1000, digits: 1)) ms" } }
        return "sampler overhead: " + cpu.joined(separator: ", ") + "; calibration wall " + walls.joined(separator: " / ")
    }
}

/// Runs the `alloc` calibration workload (256 MiB in 8 MiB steps, no hold) 5 times each at sampling off, 1 ms and
/// 10 ms, interleaved, and reports the monitoring thread's CPU per sample and the wall-time ratios.
func measureSamplerOverhead(executor: RunExecutor) throws -> SamplerOverhead {
    let params = [KeyValue("mb", "256"), KeyValue("step_mb", "8"), KeyValue("hold_ms", "0")]
    let cfg = RunConfiguration(workload: AllocWorkload.name, commandTemplate: nil, allocator: .system, env: [], params: params, sweptParams: [])
    let settings: [(String, Double)] = [("off", 0), ("1", 1), ("10", 10)]
    var walls: [String: [Double]] = [:]
    var cpus: [String: [Double]] = [:]
    var totals: [String: [(cpuNs: Double, samples: Double)]] = [:]
    let repeats = 5
    var quiet = executor
    quiet = RunExecutor(plan: { var p = executor.plan; p.allocCounts = false; return p }(), outputDirectory: executor.scratchDirectory,
                        scratchDirectory: executor.scratchDirectory, environment: executor.environment)
    for r in 0..<repeats {
        for (key, ms) in settings {
            let run = PlannedRun(configuration: cfg, repeatIndex: r, isWarmup: true)
            let res = try quiet.execute(run, sampleMsOverride: ms)
            guard res.record.status == "ok", let w = Double(res.record["wall_s"] ?? "") else { continue }
            walls[key, default: []].append(w)
            if ms > 0, let c = res.samplerCPUNsPerSample { cpus[key, default: []].append(c / 1000) }
            if ms > 0 { totals[key, default: []].append((Double(res.samplerCPUNs), Double(res.samples))) }
        }
    }
    let wallMedian = walls.compactMapValues { SampleStatistics($0)?.median }
    let cpuMedian = cpus.compactMapValues { SampleStatistics($0)?.median }
    var ratio: [String: Double] = [:]
    if let off = wallMedian["off"], off > 0 { for (k, v) in wallMedian { ratio[k] = v / off } }
    var marginal: Double?
    if let a = totals["1"], let b = totals["10"], let ca = SampleStatistics(a.map(\.cpuNs))?.median, let cb = SampleStatistics(b.map(\.cpuNs))?.median,
       let sa = SampleStatistics(a.map(\.samples))?.median, let sb = SampleStatistics(b.map(\.samples))?.median, sa > sb, ca > cb {
        marginal = (ca - cb) / (sa - sb) / 1000
    }
    return SamplerOverhead(cpuMicrosPerSample: cpuMedian, marginalCPUMicrosPerSample: marginal, wallS: wallMedian, wallRatioVsOff: ratio,
                           calibration: "alloc mb=256 step_mb=8 hold_ms=0, system allocator, \(repeats) runs per interval, interleaved; medians")
}

/// Progress display: on a terminal one updating line (run i/N, configuration, ETA); otherwise one plain line per event.
public final class ProgressPrinter: @unchecked Sendable {
    let isTTY: Bool
    let fd: Int32
    private var lineOpen = false

    public init(fd: Int32 = 2, forcePlain: Bool = false) {
        self.fd = fd
        isTTY = !forcePlain && isatty(fd) != 0
    }

    /// A printer on stderr.
    public static var standardError: ProgressPrinter { ProgressPrinter(fd: 2) }

    public var callback: (SweepEvent) -> Void { { [self] e in self.handle(e) } }

    private func out(_ s: String) {
        var s = s
        s.withUTF8 { b in _ = write(fd, b.baseAddress, b.count) }
    }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 60 ? "\(t / 60)m\(String(format: "%02d", t % 60))s" : "\(t)s"
    }

    public func handle(_ e: SweepEvent) {
        switch e {
        case .started(let total, let warmups, let dir):
            out("highwater: \(total) runs (\(warmups) warmup) -> \(dir)\n")
        case .runStarted(let i, let total, let label, let warm, let eta):
            let etaText = eta.map { " ETA \(Self.duration($0))" } ?? ""
            if isTTY {
                out("\r\u{1B}[K[\(i)/\(total)] \(warm ? "warmup " : "")\(label)\(etaText)")
                lineOpen = true
            }
        case .runFinished(let i, let total, let label, let status, let error, let wall, let peak):
            let peakText = peak.map { " peak \(formatNumber($0, digits: 1)) MB" } ?? ""
            let line = "[\(i)/\(total)] \(label): \(status) \(formatNumber(wall, digits: 3)) s\(peakText)\(error.isEmpty ? "" : " (\(error))")"
            if isTTY {
                if status != "ok" { out("\r\u{1B}[K\(line)\n"); lineOpen = false }
            } else {
                out(line + "\n")
            }
        case .note(let s):
            if isTTY && lineOpen { out("\r\u{1B}[K"); lineOpen = false }
            out("highwater: \(s)\n")
        case .finished(let runs, let failed, let wall):
            if isTTY && lineOpen { out("\r\u{1B}[K"); lineOpen = false }
            out("highwater: \(runs) runs, \(failed) not ok, \(Self.duration(wall))\n")
        }
    }
}
