import Foundation
import RunContract

/// Turns what was observed about one run (the monitor's outcome, the child's report, the RSS samples) into the
/// cells of its `runs.csv` row and its time series, each measured cell through its `Metric`.
struct RunRecordBuilder {
    let plan: SweepPlan
    let run: PlannedRun
    let outcome: ProcessOutcome
    /// The workload child's report; nil for external commands (and for children that wrote none).
    let report: ChildReport?
    let series: RSSSeries
    let environment: EnvironmentInfo
    let sampleMs: Double
    let startedAt: Date

    /// What ran: ids, workload, allocator, parameters, knobs, command.
    func identity() -> RunRecord {
        let c = run.configuration
        var r = RunRecord()
        r[RunColumn.runID] = run.runID
        r[RunColumn.configID] = c.configID
        r.set(RunColumn.repeatIndex, run.repeatIndex)
        r[RunColumn.workload] = c.workload
        r[RunColumn.allocator] = c.allocator.rawValue
        r.setStatus(.ok, error: "")
        for kv in c.params { r[RunColumn.parameterPrefix + kv.key] = kv.value }
        for kv in c.env { r[RunColumn.environmentPrefix + kv.key] = kv.value }
        if let t = c.commandTemplate { r[RunColumn.command] = t }
        return r
    }

    /// Every measured cell; throughput only when the run is `ok`.
    func addMeasurements(to r: inout RunRecord, ok: Bool) {
        let (reported, extra) = reportedMetrics(ok: ok)
        let wallS = (ok ? report?.wallNs : nil).map { Double($0) / 1e9 } ?? Double(outcome.exitNs - outcome.spawnNs) / 1e9
        r.set(.wallS, wallS)
        let cpu = (report != nil && ok) ? (user: report!.cpuUserS, sys: report!.cpuSysS) : (user: outcome.cpuUserS, sys: outcome.cpuSysS)
        r.set(.cpuUserS, cpu.user)
        r.set(.cpuSysS, cpu.sys)
        let rows = reported[.rows], inputBytes = reported[.inputBytes]
        r.set(.rows, rows)
        r.set(.inputBytes, inputBytes)
        r.set(.rowsPerS, ok && (rows ?? 0) > 0 && wallS > 0 ? rows! / wallS : nil)
        r.set(.mbPerS, ok && (inputBytes ?? 0) > 0 && wallS > 0 ? inputBytes! / 1e6 / wallS : nil)
        r.set(.rowsPerCPUS, ok && (rows ?? 0) > 0 && cpu.user + cpu.sys > 0 ? rows! / (cpu.user + cpu.sys) : nil)
        addMemory(to: &r)
        for m in [Metric.allocCount, .allocBytes, .bytesWritten, .files, .versions, .compressionRatio, .firstWriteMs,
                  .batchP50Ms, .batchP99Ms] {
            r.set(m, reported[m])
        }
        for (name, counters) in (report?.caches ?? [:]).sorted(by: { $0.key < $1.key }) {
            for (suffix, value) in counters.columns { r.set("\(RunColumn.cachePrefix)\(RunColumn.safe(name))_\(suffix)", value) }
        }
        for name in extra.keys.sorted() {
            let column = RunColumn.safe(name)
            r.set(column, extra[name], digits: Metric.named(column)?.digits ?? 6)
        }
        phaseAttribution().write(to: &r)
        addRunFacts(to: &r)
    }

    /// Standard metrics (in their units) and workload- or command-specific ones, from the report or the protocol lines.
    func reportedMetrics(ok: Bool) -> (standard: [Metric: Double], extra: [String: Double]) {
        if let rep = report, ok {
            var m = rep.reportedMetrics
            m[.rows] = Double(rep.rows)
            m[.inputBytes] = Double(rep.inputBytes)
            return (m, rep.metrics)
        }
        var standard: [Metric: Double] = [:]
        var extra: [String: Double] = [:]
        for (e, _) in outcome.events {
            guard case .metric(let name, let v) = e else { continue }
            if let m = Metric.commandReportable.first(where: { $0.name == name }) {
                standard[m] = v
            } else {
                extra[Metric.isReportableByCommand(name) ? name : Self.reservedPrefix + name] = v
            }
        }
        return (standard, extra)
    }

    /// A command's metric named like a column the harness measures is kept under this prefix (`metric_peak_rss_mb`).
    static let reservedPrefix = "metric_"

    /// What the run's log should say about the protocol: renamed metrics and malformed lines.
    func protocolWarnings() -> [String] {
        var lines: [String] = []
        for (e, _) in outcome.events {
            if case .metric(let name, _) = e, !Metric.isReportableByCommand(name) {
                lines.append("highwater: warning: metric '\(name)' names a column the harness measures; kept as '\(Self.reservedPrefix)\(name)'")
            }
        }
        if outcome.malformedLines > 0 {
            lines.append("highwater: warning: \(outcome.malformedLines) protocol line(s) did not parse; the first: "
                + outcome.malformedSamples.map { "'\($0)'" }.joined(separator: ", "))
        }
        return lines
    }

    /// Peaks (wait4, sampled, VmHWM), baseline, end, and the allocator's view.
    func addMemory(to r: inout RunRecord) {
        r.set(.peakRSSMB, base: outcome.maxRSSBytes)
        r.set(.peakRSSSampledMB, base: sampledPeakBytes())
        r.set(.peakPSSSampledMB, base: series.maxPSSBytes > 0 ? series.maxPSSBytes : nil)
        r.set(.processesMax, series.count > 0 ? Double(series.maxProcesses) : nil)
        let tree = treePeak()
        r.set(.peakTreeMB, base: tree.bytes)
        r.set(.peakCgroupMB, base: outcome.cgroupPeakBytes)
        r[RunColumn.peakSource] = tree.source
        r.set(.peakRSSHWMMB, base: report?.hwmBytes)
        r.set(.peakRSSPrepareMB, base: report?.hwmPrepareBytes)
        // Commands: baseline = RSS when the first phase line arrived (else the first sample); end = the last sample.
        var firstSample: Int64? = series.count > 0 ? series.values[0] : nil
        if report == nil, let t = firstPhaseNs() { firstSample = series.value(atOrAfter: t) }
        let lastSample = series.count > 0 ? series.values[series.count - 1] : nil
        r.set(.rssBaselineMB, base: report.map { $0.rssBaselineBytes } ?? firstSample)
        r.set(.rssEndMB, base: report.map { $0.rssEndBytes } ?? lastSample)
        r.set(.heapAllocatedMB, base: report?.heapAllocatedBytes)
        r.set(.heapResidentMB, base: report?.heapResidentBytes)
        r.set(.heapActiveMB, base: report?.heapActiveBytes)
        r.set(.heapRetainedMB, base: report?.heapRetainedBytes)
    }

    /// The whole tree's peak and its source: the run cgroup's `memory.peak` when there was one; else wait4's
    /// `ru_maxrss` (the largest single process: exact when one process ran at a time) unless the sampled sum of the
    /// tree (over the whole run) is larger, as when processes ran side by side.
    func treePeak() -> (bytes: Int64?, source: String) {
        if let c = outcome.cgroupPeakBytes { return (c, "cgroup") }
        let sampled: Int64 = series.count > 0 ? series.maxBytes : 0
        if series.maxProcesses > 1 && sampled > outcome.maxRSSBytes { return (sampled, "sampled") }
        return outcome.maxRSSBytes > 0 ? (outcome.maxRSSBytes, "wait4") : (sampled > 0 ? sampled : nil, "sampled")
    }

    /// Sampled peak: over the measured region for workloads (begin .. end event), over the whole process for commands.
    func sampledPeakBytes() -> Int64? {
        var peak: Int64? = series.count > 0 ? series.maxBytes : nil
        guard report != nil else { return peak }
        var beginNs: UInt64?
        var endArrivalNs: UInt64?
        for (e, arrival) in outcome.events {
            if case .begin(let t, _) = e { beginNs = t }
            if case .end = e { endArrivalNs = arrival }
        }
        if let b = beginNs, let e = endArrivalNs { peak = series.max(from: b, to: e + 1) }
        return peak
    }

    func firstPhaseNs() -> UInt64? {
        for (e, _) in outcome.events { if case .phase(_, let t, _) = e { return t } }
        return nil
    }

    /// Phases: durations and RSS deltas. RSS at a boundary: the child's own reading when it sent one (workloads),
    /// else the sampler's first sample after the event arrived (external commands).
    func phaseAttribution() -> PhaseAttribution {
        var marks: [(name: String, tNs: UInt64, rss: Int64?)] = []
        var endNs = outcome.exitNs
        var endRSS: Int64? = series.count > 0 ? series.values[series.count - 1] : nil
        for (e, _) in outcome.events {
            switch e {
            case .phase(let name, let t, let rss): marks.append((name, t, rss ?? series.value(atOrAfter: t)))
            case .end(let t, let rss): endNs = t; endRSS = rss
            default: break
            }
        }
        return PhaseAttribution(marks: marks, endNs: endNs, endRSS: endRSS)
    }

    /// Sampler cost, how the child was spawned and ended, and where and when it ran.
    func addRunFacts(to r: inout RunRecord) {
        let perSampleNs = outcome.samplesTaken > 0 ? Double(outcome.samplerCPUNs) / Double(outcome.samplesTaken) : nil
        r.set(.samples, Double(outcome.samplesTaken))
        r.set(.sampleMs, sampleMs)
        r.set(.samplerCPUMicrosPerSample, perSampleNs.map { $0 / 1000 })
        r.set(.protocolMalformedLines, Double(outcome.malformedLines))
        let wallS = Double(outcome.exitNs - outcome.spawnNs) / 1e9
        if let m = MachineActivity(start: outcome.machineBefore, end: outcome.machineAfter, runCPUS: outcome.cpuUserS + outcome.cpuSysS) {
            r.set(.loadAverage1m, m.loadAverage1m)
            r.set(.cpuOthersS, m.othersS)
            r.set(.cpuStealS, m.stealS)
            r.set(.machineShared, m.shared(wallS: wallS) ? 1 : 0)
        }
        r.set(.spawnParentRSSMB, base: outcome.parentRSSAtSpawnBytes)
        r[RunColumn.spawnedVia] = outcome.viaSpawner ? "highwater-spawn" : "direct"
        r.set(RunColumn.exitCode, outcome.exitCode.map(Int.init))
        r[RunColumn.signal] = outcome.signal.map(ProcessMonitor.signalName) ?? ""
        r[RunColumn.gitRev] = environment.gitRev
        r[RunColumn.host] = environment.host
        r[RunColumn.startedAt] = UTCTimestamp.iso8601(startedAt)
    }

    /// One row per process of the run for `processes.csv`: pid, command, its own peak RSS, when it was first and last
    /// seen (ms since spawn). Empty when sampling was off.
    func processRows() -> [[String]] {
        outcome.processes.map { m in
            [run.runID, String(m.pid), m.command, formatNumber(Double(m.peakRSSBytes) / 1e6, digits: 3),
             formatNumber(Double(m.firstSeenNs &- outcome.spawnNs) / 1e6, digits: 3), formatNumber(Double(m.lastSeenNs &- outcome.spawnNs) / 1e6, digits: 3)]
        }
    }

    /// `process_series.csv` rows (run, t since spawn, pid, RSS MB) when the run had more than one process; else none.
    func processSeriesRows() -> [[String]] {
        guard outcome.processes.count > 1, let s = outcome.processSeries else { return [] }
        return (0..<s.count).map { i in
            [run.runID, formatNumber(Double(s.times[i] &- outcome.spawnNs) / 1e6, digits: 3), String(s.pids[i]),
             formatNumber(Double(s.rssBytes[i]) / 1e6, digits: 3)]
        }
    }

    /// Samples plus event marks, in time order (t since spawn).
    func timeSeries() -> [TimeSeriesRow] {
        var ts: [TimeSeriesRow] = []
        let spawn = outcome.spawnNs
        func rel(_ t: UInt64) -> Double { t >= spawn ? Double(t - spawn) / 1e6 : -Double(spawn - t) / 1e6 }
        for i in 0..<series.count {
            ts.append(TimeSeriesRow(tMs: rel(series.times[i]), rssMB: Double(series.values[i]) / 1e6, event: "",
                                    pssMB: series.pss[i] >= 0 ? Double(series.pss[i]) / 1e6 : nil, processes: Int(series.processes[i]),
                                    cgroupMB: series.cgroup[i] >= 0 ? Double(series.cgroup[i]) / 1e6 : nil))
        }
        for (e, _) in outcome.events {
            switch e {
            case .phase(let name, let t, let rss):
                ts.append(TimeSeriesRow(tMs: rel(t), rssMB: (rss ?? series.value(atOrAfter: t)).map { Double($0) / 1e6 }, event: "phase:\(name)"))
            case .begin(let t, let b): ts.append(TimeSeriesRow(tMs: rel(t), rssMB: Double(b) / 1e6, event: "begin"))
            case .end(let t, let b): ts.append(TimeSeriesRow(tMs: rel(t), rssMB: Double(b) / 1e6, event: "end"))
            case .metric: break
            }
        }
        ts.sort { $0.tMs < $1.tMs }
        return ts
    }
}
