import Foundation
import RunContract

/// Runs one planned run in a child process and turns what was observed into a `runs.csv` row and time series rows.
struct RunExecutor {
    let plan: SweepPlan
    let outputDirectory: URL
    let scratchDirectory: URL
    let environment: EnvironmentInfo
    /// The delegated cgroup v2 below which each run gets its own cgroup (`CgroupProbe`), or nil.
    var cgroupParent: String? = nil

    struct Result {
        var record: RunRecord
        /// `timeseries.csv` rows: t_ms, rss_mb, event.
        var series: [TimeSeriesRow]
        var samplerCPUNsPerSample: Double?
        /// The monitoring thread's CPU over the whole run, ns, and the samples it took.
        var samplerCPUNs: UInt64 = 0
        var samples: Int = 0
        /// `processes.csv` rows: one per process of the run.
        var processes: [[String]] = []
        /// `process_series.csv` rows: each process's RSS per sample (runs of several processes).
        var processSeries: [[String]] = []
        /// When the child was spawned, ns on CLOCK_MONOTONIC (`series` times are relative to it).
        var spawnNs: UInt64 = 0
    }

    /// The child's environment: this process's, without any allocator preload or knob, plus the configuration's.
    func childEnvironment(_ c: RunConfiguration) throws -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "LD_PRELOAD")
        for k in env.keys where AllocatorKnobs.isAllowed(k) { env.removeValue(forKey: k) }
        var preload: [String] = []
        if plan.allocCounts && c.commandTemplate == nil { preload.append(try InterposerLibrary.path()) }
        if let lib = try c.allocator.libraryPath() { preload.append(lib) }
        if !preload.isEmpty { env["LD_PRELOAD"] = preload.joined(separator: " ") }
        for kv in c.env { env[kv.key] = kv.value }
        return env
    }

    /// Runs `run`; with `profile`, the profiler's program goes in front of the run's (logs `<config_id>-profile-<kind>`).
    func execute(_ run: PlannedRun, sampleMsOverride: Double? = nil, profile: ProfiledSpawn? = nil) throws -> Result {
        let c = run.configuration
        let runID = profile.map { "\(c.configID)-profile-\($0.kind.rawValue)" } ?? run.runID
        let runDir = scratchDirectory.appendingPathComponent(runID)
        try? FileManager.default.removeItem(at: runDir)
        try FileManager.default.createDirectory(at: runDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: runDir) }
        let logsDir = outputDirectory.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logsDir, withIntermediateDirectories: true)
        let logPath = logsDir.appendingPathComponent("\(runID).log").path
        let reportPath = runDir.appendingPathComponent("report.json").path
        let sampleMs = sampleMsOverride ?? plan.sampleMs

        var request: SpawnRequest
        var stdoutPath: String?
        if let cmd = c.substitutedCommand {
            var env = try childEnvironment(c)
            env[Self.eventsFDVariable] = "3"
            stdoutPath = logsDir.appendingPathComponent("\(runID).out").path
            request = SpawnRequest(executable: "/bin/sh", arguments: ["/bin/sh", "-c", cmd], environment: env, logPath: logPath,
                                   stdoutPath: stdoutPath, protocolMode: .command, maxLogBytes: plan.maxLogBytes)
        } else {
            let spec = ChildSpec(workload: c.workload, params: c.params, reportPath: reportPath,
                                 workDirectory: runDir.appendingPathComponent("data").path, eventsFD: 3, allocCounts: plan.allocCounts)
            let specPath = runDir.appendingPathComponent("spec.json").path
            try JSONEncoder().encode(spec).write(to: URL(fileURLWithPath: specPath))
            let exe = HarnessPaths.executable
            request = SpawnRequest(executable: exe, arguments: [exe, "__child", "--spec", specPath], environment: try childEnvironment(c),
                                   logPath: logPath, stdoutPath: nil, protocolMode: .workload, maxLogBytes: plan.maxLogBytes)
        }
        request.cgroupParent = cgroupParent
        request.runName = run.runID
        if let profile { request = profile.wrap(request, isCommand: c.commandTemplate != nil) }
        let series = RSSSeries()
        let startedAt = Date()
        let outcome = try ProcessMonitor.run(request, sampleMs: sampleMs, timeoutS: plan.timeoutS,
                                             memoryLimitBytes: Int64(plan.memoryLimitMB * 1e6), series: series)
        let report: ChildReport? = c.commandTemplate == nil
            ? (try? JSONDecoder().decode(ChildReport.self, from: Data(contentsOf: URL(fileURLWithPath: reportPath)))) : nil

        let builder = RunRecordBuilder(plan: plan, run: run, outcome: outcome, report: report, series: series,
                                       environment: environment, sampleMs: sampleMs, startedAt: startedAt)
        var record = builder.identity()
        let verdict = StatusClassifier(plan: plan).classify(outcome: outcome, report: report, isCommand: c.commandTemplate != nil,
                                                            lastLogLine: Self.lastLine(ofFile: logPath),
                                                            lastStdoutLine: stdoutPath.map(Self.lastLine(ofFile:)) ?? "")
        record.setStatus(verdict.status, error: verdict.error)
        builder.addMeasurements(to: &record, ok: verdict.status.isOK)
        Self.append(builder.protocolWarnings() + (outcome.cgroupNote.map { ["highwater: cgroup: \($0)"] } ?? []), toLog: logPath)
        let perSample = outcome.samplesTaken > 0 ? Double(outcome.samplerCPUNs) / Double(outcome.samplesTaken) : nil
        return Result(record: record, series: builder.timeSeries(), samplerCPUNsPerSample: perSample,
                      samplerCPUNs: outcome.samplerCPUNs, samples: outcome.samplesTaken, processes: builder.processRows(),
                      processSeries: builder.processSeriesRows(), spawnNs: outcome.spawnNs)
    }

    /// The environment variable that tells an external command which descriptor takes its protocol lines.
    static let eventsFDVariable = "HIGHWATER_EVENTS_FD"

    /// Appends the harness's own lines to the run's log (after the child has exited).
    static func append(_ lines: [String], toLog path: String) {
        guard !lines.isEmpty else { return }
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var text = lines.joined(separator: "\n") + "\n"
        text.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
    }

    /// The last line of a file (its last 2 KB), trimmed to 300 characters; empty when unreadable.
    static func lastLine(ofFile path: String) -> String {
        guard let h = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? h.close() }
        let size = (try? h.seekToEnd()) ?? 0
        try? h.seek(toOffset: size > 2048 ? size - 2048 : 0)
        let data = (try? h.readToEnd()) ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n").last.map { String($0.prefix(300)).trimmingCharacters(in: .whitespaces) } ?? ""
    }
}
