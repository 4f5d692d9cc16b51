import Foundation
import Workloads

/// Where ordo-one/malloc-interposer's `libMallocInterposerSwift.so` is (built by `make` as a product of this package).
public enum InterposerLibrary {
    /// `HIGHWATER_INTERPOSER_LIB`, else next to the running binary, else `.build/{release,debug}/`.
    public static func path() throws -> String {
        let env = ProcessInfo.processInfo.environment["HIGHWATER_INTERPOSER_LIB"] ?? ""
        var candidates: [String] = env.isEmpty ? [] : [env]
        let exeDir = URL(fileURLWithPath: HarnessPaths.executable).deletingLastPathComponent().path
        candidates += ["\(exeDir)/libMallocInterposerSwift.so", ".build/release/libMallocInterposerSwift.so", ".build/debug/libMallocInterposerSwift.so"]
        for c in candidates where FileManager.default.isReadableFile(atPath: c) {
            return URL(fileURLWithPath: c).standardizedFileURL.path
        }
        throw HarnessError(source: "--alloc-counts", value: candidates.first ?? "",
                           reason: "libMallocInterposerSwift.so not found (build it: swift build --product MallocInterposerSwift, or set HIGHWATER_INTERPOSER_LIB)")
    }
}

/// Paths the harness needs at run time.
public enum HarnessPaths {
    nonisolated(unsafe) private static var override: String?
    /// The `highwater` binary that children re-execute: `/proc/self/exe` unless set (tests point it at the built binary).
    public static var executable: String {
        get {
            if let o = override { return o }
            return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        }
        set { override = newValue }
    }
}

/// Runs one planned run in a child process and turns what was observed into a `runs.csv` row and time series rows.
struct RunExecutor {
    let plan: SweepPlan
    let outputDirectory: URL
    let scratchDirectory: URL
    let environment: EnvironmentInfo

    struct Result {
        var record: RunRecord
        /// `timeseries.csv` rows: t_ms, rss_mb, event.
        var series: [(tMs: Double, rssMB: Double?, event: String)]
        var samplerCPUNsPerSample: Double?
        /// The monitoring thread's CPU over the whole run, ns, and the samples it took.
        var samplerCPUNs: UInt64 = 0
        var samples: Int = 0
    }

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

    func execute(_ run: PlannedRun, sampleMsOverride: Double? = nil) throws -> Result {
        let c = run.configuration
        let runDir = scratchDirectory.appendingPathComponent(run.runID)
        try? FileManager.default.removeItem(at: runDir)
        try FileManager.default.createDirectory(at: runDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: runDir) }
        let logsDir = outputDirectory.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logsDir, withIntermediateDirectories: true)
        let logPath = logsDir.appendingPathComponent("\(run.runID).log").path
        let reportPath = runDir.appendingPathComponent("report.json").path
        let sampleMs = sampleMsOverride ?? plan.sampleMs

        var request: SpawnRequest
        var stdoutTail: [String] = []
        var stdoutHandle: FileHandle?
        if let cmd = c.substitutedCommand {
            request = SpawnRequest(executable: "/bin/sh", arguments: ["/bin/sh", "-c", cmd], environment: try childEnvironment(c),
                                   logPath: logPath, pipeStdout: true, eventsOnFD3: false)
            let outPath = logsDir.appendingPathComponent("\(run.runID).out").path
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            stdoutHandle = FileHandle(forWritingAtPath: outPath)
        } else {
            let spec = ChildSpec(workload: c.workload, params: c.params, reportPath: reportPath,
                                 workDirectory: runDir.appendingPathComponent("data").path, eventsFD: 3, allocCounts: plan.allocCounts)
            let specPath = runDir.appendingPathComponent("spec.json").path
            try JSONEncoder().encode(spec).write(to: URL(fileURLWithPath: specPath))
            let exe = HarnessPaths.executable
            request = SpawnRequest(executable: exe, arguments: [exe, "__child", "--spec", specPath], environment: try childEnvironment(c),
                                   logPath: logPath, pipeStdout: false, eventsOnFD3: true)
        }
        defer { try? stdoutHandle?.close() }
        let series = RSSSeries()
        let startedAt = Date()
        let outcome = try ProcessMonitor.run(request, sampleMs: sampleMs, timeoutS: plan.timeoutS,
                                             memoryLimitBytes: Int64(plan.memoryLimitMB * 1e6), series: series) { line in
            if !line.hasPrefix("highwater: ") {
                stdoutHandle?.write(Data((line + "\n").utf8))
                stdoutTail.append(String(line.prefix(300)))
                if stdoutTail.count > 3 { stdoutTail.removeFirst() }
            }
        }
        let report: ChildReport? = c.commandTemplate == nil
            ? (try? JSONDecoder().decode(ChildReport.self, from: Data(contentsOf: URL(fileURLWithPath: reportPath)))) : nil

        var r = RunRecord()
        r["run_id"] = run.runID
        r["config_id"] = c.configID
        r.set("repeat", run.repeatIndex)
        r["workload"] = c.workload
        r["allocator"] = c.allocator.rawValue
        r["status"] = "ok"
        r["error"] = ""
        for kv in c.params { r["param_\(kv.key)"] = kv.value }
        for kv in c.env { r["env_\(kv.key)"] = kv.value }
        if let t = c.commandTemplate { r["command"] = t }

        // Status.
        let lastLog = Self.lastLine(ofFile: logPath)
        if let k = outcome.killedBy {
            switch k {
            case .timeout: r["status"] = "timeout"; r["error"] = "killed with SIGKILL after the --timeout of \(formatNumber(plan.timeoutS)) s"
            case .memoryLimit(let b):
                r["status"] = "oom"
                r["error"] = "RSS \(formatNumber(Double(b) / 1e6, digits: 1)) MB over the --memory-limit of \(formatNumber(plan.memoryLimitMB)) MB; killed with SIGKILL"
            }
        } else if let s = outcome.signal {
            if s == SIGKILL {
                r["status"] = "oom"
                r["error"] = "SIGKILL not sent by highwater (presumably the kernel OOM killer)"
            } else {
                r["status"] = "crashed"
                r["error"] = ProcessMonitor.signalName(s) + (lastLog.isEmpty ? "" : ": \(lastLog)")
            }
        } else if let code = outcome.exitCode, code != 0 {
            r["status"] = "failed"
            r["error"] = "exit status \(code): " + (report?.error ?? (lastLog.isEmpty ? stdoutTail.last ?? "" : lastLog))
        } else if c.commandTemplate == nil && report == nil {
            r["status"] = "failed"
            r["error"] = "the child wrote no report" + (lastLog.isEmpty ? "" : ": \(lastLog)")
        }
        r["error"] = String((r["error"] ?? "").prefix(400))

        // Metrics.
        let isOK = r.status == "ok"
        var rows: Int?
        var inputBytes: Int?
        var wallS: Double
        var extra: [String: Double] = [:]
        let known = ["rows", "input_bytes", "bytes_written", "files", "versions", "compression_ratio", "first_write_ms",
                     "batch_p50_ms", "batch_p99_ms", "alloc_count", "alloc_bytes"]
        var reported: [String: Double] = [:]
        if let rep = report, isOK {
            wallS = Double(rep.wallNs) / 1e9
            r.set("wall_s", wallS)
            r.set("cpu_user_s", rep.cpuUserS)
            r.set("cpu_sys_s", rep.cpuSysS)
            rows = rep.rows
            inputBytes = rep.inputBytes
            reported["bytes_written"] = Double(rep.bytesWritten)
            reported["files"] = Double(rep.files)
            reported["versions"] = Double(rep.versions)
            if let v = rep.compressionRatio { reported["compression_ratio"] = v }
            if let v = rep.firstWriteMs { reported["first_write_ms"] = v }
            if let v = rep.batchP50Ms { reported["batch_p50_ms"] = v }
            if let v = rep.batchP99Ms { reported["batch_p99_ms"] = v }
            if let v = rep.allocCount { reported["alloc_count"] = Double(v) }
            if let v = rep.allocBytes { reported["alloc_bytes"] = Double(v) }
            extra = rep.metrics
        } else {
            wallS = Double(outcome.exitNs - outcome.spawnNs) / 1e9
            r.set("wall_s", wallS)
            r.set("cpu_user_s", outcome.cpuUserS)
            r.set("cpu_sys_s", outcome.cpuSysS)
            for (e, _) in outcome.events {
                if case .metric(let name, let v) = e {
                    if known.contains(name) { reported[name] = v } else { extra[name] = v }
                }
            }
            if let v = reported["rows"] { rows = Int(v) }
            if let v = reported["input_bytes"] { inputBytes = Int(v) }
        }
        r.set("rows", rows)
        r.set("input_bytes", inputBytes)
        r.set("rows_per_s", (rows ?? 0) > 0 && wallS > 0 && isOK ? Double(rows!) / wallS : nil, digits: 1)
        r.set("mb_per_s", (inputBytes ?? 0) > 0 && wallS > 0 && isOK ? Double(inputBytes!) / 1e6 / wallS : nil, digits: 3)
        r.set("peak_rss_mb", Double(outcome.maxRSSBytes) / 1e6, digits: 3)
        // Sampled peak: over the measured region for workloads (begin .. end event), over the whole process for commands.
        var sampledPeak: Int64? = series.count > 0 ? series.maxBytes : nil
        if report != nil {
            var beginNs: UInt64?
            var endArrivalNs: UInt64?
            for (e, arrival) in outcome.events {
                if case .begin(let t, _) = e { beginNs = t }
                if case .end = e { endArrivalNs = arrival }
            }
            if let b = beginNs, let e = endArrivalNs { sampledPeak = series.max(from: b, to: e + 1) }
        }
        r.set("peak_rss_sampled_mb", sampledPeak.map { Double($0) / 1e6 }, digits: 3)
        func mb(_ v: Int64?) -> Double? { guard let v, v >= 0 else { return nil }; return Double(v) / 1e6 }
        r.set("peak_rss_hwm_mb", mb(report?.hwmBytes), digits: 3)
        r.set("peak_rss_prepare_mb", mb(report?.hwmPrepareBytes), digits: 3)
        // Commands: baseline = RSS when the first phase line arrived (else the first sample); end = the last sample.
        var firstSample: Int64? = series.count > 0 ? series.values[0] : nil
        if report == nil, let t = outcome.events.lazy.compactMap({ e -> UInt64? in if case .phase(_, let t, _) = e.event { return t }; return nil }).first {
            firstSample = series.value(atOrAfter: t)
        }
        let lastSample = series.count > 0 ? series.values[series.count - 1] : nil
        r.set("rss_baseline_mb", mb(report.map { $0.rssBaselineBytes } ?? firstSample), digits: 3)
        r.set("rss_end_mb", mb(report.map { $0.rssEndBytes } ?? lastSample), digits: 3)
        r.set("heap_allocated_mb", mb(report?.heapAllocatedBytes), digits: 3)
        r.set("heap_resident_mb", mb(report?.heapResidentBytes), digits: 3)
        r.set("heap_active_mb", mb(report?.heapActiveBytes), digits: 3)
        r.set("heap_retained_mb", mb(report?.heapRetainedBytes), digits: 3)
        r.set("alloc_count", reported["alloc_count"].map { Int($0) })
        r.set("alloc_bytes", reported["alloc_bytes"].map { Int($0) })
        r.set("bytes_written", reported["bytes_written"].map { Int($0) })
        r.set("files", reported["files"].map { Int($0) })
        r.set("versions", reported["versions"].map { Int($0) })
        r.set("compression_ratio", reported["compression_ratio"], digits: 4)
        r.set("first_write_ms", reported["first_write_ms"], digits: 3)
        r.set("batch_p50_ms", reported["batch_p50_ms"], digits: 3)
        r.set("batch_p99_ms", reported["batch_p99_ms"], digits: 3)
        if let rep = report {
            for name in rep.caches.keys.sorted() {
                let s = rep.caches[name]!
                let n = Self.columnSafe(name)
                r.set("cache_\(n)_hits", s.hits)
                r.set("cache_\(n)_misses", s.misses)
                r.set("cache_\(n)_evictions", s.evictions)
                r.set("cache_\(n)_entries", s.entries)
                r.set("cache_\(n)_bytes", s.bytes)
            }
        }
        for name in extra.keys.sorted() { r.set(Self.columnSafe(name), extra[name]) }

        // Phases: durations and RSS deltas summed per phase name.
        // RSS at a boundary: the child's own reading when it sent one (workloads), else the sampler's first sample
        // after the event arrived (external commands).
        var phases: [(name: String, tNs: UInt64, rss: Int64?)] = []
        var endNs = outcome.exitNs
        var endRSS: Int64? = series.count > 0 ? series.values[series.count - 1] : nil
        for (e, _) in outcome.events {
            switch e {
            case .phase(let name, let t, let rss): phases.append((name, t, rss ?? series.value(atOrAfter: t)))
            case .end(let t, let rss): endNs = t; endRSS = rss
            default: break
            }
        }
        var order: [String] = []
        var dur: [String: Double] = [:]
        var delta: [String: Double] = [:]
        for (i, p) in phases.enumerated() {
            let stop = i + 1 < phases.count ? phases[i + 1].tNs : max(endNs, p.tNs)
            let key = Self.columnSafe(p.name)
            if dur[key] == nil { order.append(key) }
            dur[key, default: 0] += Double(stop - p.tNs) / 1e9
            let stopRSS = i + 1 < phases.count ? phases[i + 1].rss : endRSS
            if let a = p.rss, let b = stopRSS {
                delta[key, default: 0] += Double(b - a) / 1e6
            }
        }
        for k in order {
            r.set("phase_\(k)_s", dur[k], digits: 6)
            if let d = delta[k] { r.set("phase_\(k)_rss_delta_mb", d, digits: 3) }
        }

        let perSample = outcome.samplesTaken > 0 ? Double(outcome.samplerCPUNs) / Double(outcome.samplesTaken) : nil
        r.set("samples", outcome.samplesTaken)
        r.set("sample_ms", sampleMs)
        r.set("sampler_cpu_us_per_sample", perSample.map { $0 / 1000 }, digits: 3)
        r.set("spawn_parent_rss_mb", Double(outcome.parentRSSAtSpawnBytes) / 1e6, digits: 3)
        r["spawned_via"] = outcome.viaSpawner ? "highwater-spawn" : "direct"
        r.set("exit_code", outcome.exitCode.map(Int.init))
        r["signal"] = outcome.signal.map(ProcessMonitor.signalName) ?? ""
        r["git_rev"] = environment.gitRev
        r["host"] = environment.host
        r["started_at"] = ISO8601DateFormatter().string(from: startedAt)

        // Time series: samples plus event marks, in time order.
        var ts: [(tMs: Double, rssMB: Double?, event: String)] = []
        func rel(_ t: UInt64) -> Double { t >= outcome.spawnNs ? Double(t - outcome.spawnNs) / 1e6 : -Double(outcome.spawnNs - t) / 1e6 }
        for i in 0..<series.count { ts.append((rel(series.times[i]), Double(series.values[i]) / 1e6, "")) }
        for (e, _) in outcome.events {
            switch e {
            case .phase(let name, let t, let rss): ts.append((rel(t), (rss ?? series.value(atOrAfter: t)).map { Double($0) / 1e6 }, "phase:\(name)"))
            case .begin(let t, let b): ts.append((rel(t), Double(b) / 1e6, "begin"))
            case .end(let t, let b): ts.append((rel(t), Double(b) / 1e6, "end"))
            case .metric: break
            }
        }
        ts.sort { $0.tMs < $1.tMs }
        return Result(record: r, series: ts, samplerCPUNsPerSample: perSample, samplerCPUNs: outcome.samplerCPUNs, samples: outcome.samplesTaken)
    }

    static func columnSafe(_ name: String) -> String {
        String(name.lowercased().map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }

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
