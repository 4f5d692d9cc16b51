import Foundation
import RunContract

/// Reads a result directory written by `highwater run` (`runs.csv` + `run.json`) into a `ResultSet`.
public enum ResultDirectory {
    /// `runs.csv` columns that identify or describe a run rather than measure it.
    public static let metadataColumns: Set<String> = RunColumn.identifying.union([
        "label", "ended_at", "timestamp", "shard", "warmup", "pid",
        "sample_ms", "samples", "sampler_cpu_us_per_sample", "spawn_parent_rss_mb",
    ])

    /// Columns that hold the configuration's identity besides workload and allocator (`param_*`, `env_*`).
    static func isParameterColumn(_ c: String) -> Bool { c.hasPrefix("param_") || c.hasPrefix("env_") }

    /// The parameter name for an identity column: `param_rows` → `rows`, `env_MALLOC_ARENA_MAX` → `env:MALLOC_ARENA_MAX`.
    static func parameterName(_ c: String) -> String {
        c.hasPrefix("param_") ? String(c.dropFirst(6)) : "env:" + c.dropFirst(4)
    }

    /// Reads `dir/runs.csv` (required) and `dir/run.json` (optional). Errors name the file, field and value.
    public static func read(_ dir: URL) throws -> ResultSet {
        let runsURL = dir.appendingPathComponent("runs.csv")
        guard FileManager.default.fileExists(atPath: runsURL.path) else {
            throw HarnessError(source: dir.path, reason: "not a result directory: no runs.csv")
        }
        let table: CSVTable
        do { table = try CSVTable.read(from: runsURL) } catch let e as CSVTable.ParseError {
            throw HarnessError(source: e.file, field: "line \(e.line)", reason: e.reason)
        }
        var env = readEnvironment(dir.appendingPathComponent("run.json"))
        let set = try resultSet(from: table, file: runsURL.path, name: dir.standardizedFileURL.lastPathComponent, environment: &env)
        return set
    }

    /// Builds a `ResultSet` from a parsed `runs.csv`. `environment` is completed from the `host` and `git_rev`
    /// columns when `run.json` did not give them.
    public static func resultSet(from table: CSVTable, file: String, name: String, environment: inout BaselineEnvironment) throws -> ResultSet {
        for required in [RunColumn.workload] where table.index(of: required) == nil {
            throw HarnessError(source: file, field: required, reason: "missing column")
        }
        let statusCol = table.index(of: RunColumn.status)
        let paramCols = table.header.enumerated().filter { isParameterColumn($0.element) }
        // Metric columns: everything else whose non-empty cells all parse as numbers.
        var metricCols: [(Int, String)] = []
        for (i, c) in table.header.enumerated() where !metadataColumns.contains(c) && !isParameterColumn(c) {
            var numeric = true
            for row in table.rows where !row[i].isEmpty {
                if Double(row[i]) == nil { numeric = false; break }
            }
            if numeric { metricCols.append((i, c)) }
        }
        var order: [String] = []
        var byKey: [String: ConfigurationResults] = [:]
        var seenRunIDs = Set<String>()
        for (r, row) in table.rows.enumerated() {
            let workload = table.value(row, RunColumn.workload) ?? ""
            guard !workload.isEmpty else {
                throw HarnessError(source: file, field: "line \(r + 2): workload", reason: "empty")
            }
            var params: [String: String] = [:]
            // Empty cells are parameters of another workload in the same file.
            for (i, c) in paramCols where !row[i].isEmpty { params[parameterName(c)] = row[i] }
            if workload == "command", let t = table.value(row, RunColumn.command), !t.isEmpty { params[RunColumn.command] = t }
            let allocator = table.value(row, RunColumn.allocator) ?? "system"
            let runID = table.value(row, RunColumn.runID) ?? "\(name)#\(r + 1)"
            if !seenRunIDs.insert(runID).inserted {
                throw HarnessError(source: file, field: "line \(r + 2): run_id", value: runID, reason: "duplicate run id")
            }
            var cfg = ConfigurationResults(configID: table.value(row, RunColumn.configID).flatMap { $0.isEmpty ? nil : $0 },
                                           workload: workload, allocator: allocator.isEmpty ? "system" : allocator,
                                           parameters: params, runs: 0, metrics: [:])
            let key = cfg.key()
            if let existing = byKey[key] { cfg = existing } else { order.append(key) }
            cfg.runs += 1
            let status = statusCol.map { row[$0] } ?? RunStatus.ok.rawValue
            if status.isEmpty || status == RunStatus.ok.rawValue {
                for (i, c) in metricCols where !row[i].isEmpty {
                    if let v = Double(row[i]), v.isFinite { cfg.metrics[c, default: []].append(v) }
                }
            } else {
                cfg.failures.append(FailedRun(runID: runID, status: status, error: table.value(row, RunColumn.error) ?? ""))
            }
            byKey[key] = cfg
            if environment.host == nil, let h = table.value(row, RunColumn.host), !h.isEmpty { environment.host = h }
            if environment.gitRev == nil, let g = table.value(row, RunColumn.gitRev), !g.isEmpty { environment.gitRev = g }
        }
        return ResultSet(name: name, source: file, environment: environment, configurations: order.map { byKey[$0]! })
    }

    /// Reads what it can of `run.json`; a missing or unreadable file gives an empty environment.
    /// Accepts the facts at the top level or under `environment`, with a few spellings per fact.
    public static func readEnvironment(_ url: URL) -> BaselineEnvironment {
        guard let data = try? Data(contentsOf: url),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return BaselineEnvironment() }
        return environment(fromJSON: object)
    }

    /// Environment facts from a decoded `run.json` object.
    public static func environment(fromJSON object: [String: Any]) -> BaselineEnvironment {
        var scopes: [[String: Any]] = []
        for k in ["environment", "env", "host_info", "machine"] { if let d = object[k] as? [String: Any] { scopes.append(d) } }
        scopes.append(object)
        func find(_ keys: [String]) -> Any? {
            for s in scopes { for k in keys { if let v = s[k], !(v is NSNull) { return v } } }
            return nil
        }
        func string(_ keys: [String]) -> String? {
            guard let v = find(keys) else { return nil }
            if let s = v as? String { return s }
            if let a = v as? [Any] { return a.map { "\($0)" }.joined(separator: " ") }
            if let n = v as? NSNumber { return n.stringValue }
            return nil
        }
        func number(_ keys: [String]) -> Double? {
            guard let v = find(keys) else { return nil }
            if let n = v as? NSNumber { return n.doubleValue }
            if let s = v as? String { return Double(s) }
            return nil
        }
        var e = BaselineEnvironment()
        e.host = string(["host", "hostname"])
        e.cpuModel = string(["cpu_model", "cpu", "cpuModel"])
        e.cores = number(["cores", "cpu_cores", "logical_cores", "cpus"]).map { Int($0) }
        e.memoryMB = number(["memory_mb", "memory_total_mb", "mem_total_mb", "memoryMB"])
            ?? number(["memoryBytes", "memory_bytes"]).map { $0 / 1e6 }
        e.kernel = string(["kernel", "kernel_version", "uname"])
        e.gitRev = string(["git_rev", "git_revision", "gitRev", "git"])
        e.swiftVersion = string(["swift_version", "swift", "swiftVersion"])
        e.commandLine = string(["command_line", "commandLine", "argv"])
        return e
    }
}
