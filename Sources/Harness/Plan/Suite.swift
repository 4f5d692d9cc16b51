import Foundation
import RunContract
import TOMLKit

/// Suite files (`suites/*.toml`): a sweep written down.
///
/// ```toml
/// [suite]
/// name = "default"              # output directory results/<name>/
/// repeat = 3                    # measured repeats per configuration
/// warmup = 0                    # unrecorded warmups per configuration
/// sample_ms = 10                # RSS sampling interval, ms (0 = off)
/// timeout_s = 300               # per run, s
/// memory_limit_mb = 0           # per run, MB (0 = none)
/// allocators = ["system", "jemalloc"]
/// alloc_counts = false
///
/// [suite.env]                   # allocator knobs, swept like parameters
/// MALLOC_ARENA_MAX = [1, 4]
///
/// [[run]]
/// workload = "write"            # or: command = "prog --n {n}"
/// allocators = ["system"]       # optional, overrides [suite].allocators
/// [run.params]                  # scalars or lists
/// strategy = ["accumulate", "streaming"]
/// rows = 1000000
/// ```
///
/// Unknown keys inside `[suite]` and `[[run]]` are errors; other top-level tables (e.g. `[thresholds]`, read by the
/// regression mode) are left alone.
public enum Suite {
    static let suiteKeys: Set<String> = ["name", "repeat", "warmup", "sample_ms", "timeout_s", "memory_limit_mb", "allocators", "alloc_counts", "env", "max_runs", "max_log_mb", "reference"]
    static let runKeys: Set<String> = ["workload", "command", "params", "allocators"]

    /// Reads and validates a suite file into a plan (grid checked too). Errors are `HarnessError`s naming the file.
    public static func load(path: String) throws -> SweepPlan {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw HarnessError(source: path, reason: "cannot read the suite file")
        }
        let plan = try parse(text, source: path)
        try plan.checkSize()
        _ = try plan.space()
        return plan
    }

    /// Parses suite text; `source` names the file in errors.
    public static func parse(_ text: String, source: String) throws -> SweepPlan {
        let root: TOMLTable
        do { root = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw HarnessError(source: source, field: "line \(e.source.begin.line)", reason: "TOML syntax: \(e.description)")
        }
        guard let suite = root["suite"]?.table else {
            throw HarnessError(source: source, field: "suite", reason: "missing [suite] table")
        }
        for k in suite.keys where !suiteKeys.contains(k) {
            throw HarnessError(source: source, field: "suite.\(k)", reason: "unknown key (known: \(suiteKeys.sorted().joined(separator: ", ")))")
        }
        let name = try string(suite["name"], source, "suite.name") ?? URL(fileURLWithPath: source).deletingPathExtension().lastPathComponent
        do { try PlanOverrides.checkName(name) } catch let e as HarnessError {
            throw HarnessError(source: source, field: "suite.name", value: name, reason: e.reason)
        }
        guard let runs = root["run"] else { throw HarnessError(source: source, field: "run", reason: "no [[run]] entries") }
        guard let runArray = runs.array else { throw HarnessError(source: source, field: "run", reason: "must be an array of tables ([[run]])") }
        var entries: [SweepEntry] = []
        for (i, item) in runArray.enumerated() {
            let f = "run[\(i)]"
            guard let t = item.table else { throw HarnessError(source: source, field: f, reason: "must be a table") }
            for k in t.keys where !runKeys.contains(k) {
                throw HarnessError(source: source, field: "\(f).\(k)", reason: "unknown key (known: \(runKeys.sorted().joined(separator: ", ")))")
            }
            var entry = SweepEntry()
            entry.workload = try string(t["workload"], source, "\(f).workload")
            entry.command = try string(t["command"], source, "\(f).command")
            if let a = t["allocators"] { entry.allocators = try allocatorList(a, source, "\(f).allocators") }
            if let p = t["params"] {
                guard let pt = p.table else { throw HarnessError(source: source, field: "\(f).params", reason: "must be a table") }
                entry.params = try pt.keys.map { k in Axis(name: k, values: try scalarList(pt[k]!, source, "\(f).params.\(k)")) }
            }
            entries.append(entry)
        }
        var plan = SweepPlan(name: name, entries: entries)
        plan.source = source
        if let v = try int(suite["repeat"], source, "suite.repeat") { plan.repeats = v }
        if let v = try int(suite["warmup"], source, "suite.warmup") { plan.warmup = v }
        if let v = try double(suite["sample_ms"], source, "suite.sample_ms") { plan.sampleMs = v }
        if let v = try double(suite["timeout_s"], source, "suite.timeout_s") { plan.timeoutS = v }
        if let v = try double(suite["memory_limit_mb"], source, "suite.memory_limit_mb") { plan.memoryLimitMB = v }
        if let v = try int(suite["max_runs"], source, "suite.max_runs") { plan.maxRuns = v }
        if let v = try double(suite["max_log_mb"], source, "suite.max_log_mb") { plan.maxLogMB = v }
        if let b = suite["reference"] {
            guard let v = b.bool else { throw HarnessError(source: source, field: "suite.reference", value: b.debugDescription, reason: "must be true or false") }
            plan.reference = v
            plan.addReferenceEntry()
        }
        if let a = suite["allocators"] { plan.allocators = try allocatorList(a, source, "suite.allocators") }
        if let b = suite["alloc_counts"] {
            guard let v = b.bool else { throw HarnessError(source: source, field: "suite.alloc_counts", value: b.debugDescription, reason: "must be true or false") }
            plan.allocCounts = v
        }
        if let e = suite["env"] {
            guard let et = e.table else { throw HarnessError(source: source, field: "suite.env", reason: "must be a table") }
            plan.env = try et.keys.sorted().map { k in Axis(name: k, values: try scalarList(et[k]!, source, "suite.env.\(k)")) }
        }
        return plan
    }

    // MARK: value helpers

    static func scalarText(_ v: TOMLValueConvertible, _ source: String, _ field: String) throws -> String {
        switch v.type {
        case .string: return v.string!
        case .int: return String(v.int!)
        case .double: return String(v.double!)
        case .bool: return v.bool! ? "true" : "false"
        default: throw HarnessError(source: source, field: field, value: v.debugDescription, reason: "must be a string, number or boolean")
        }
    }

    static func scalarList(_ v: TOMLValueConvertible, _ source: String, _ field: String) throws -> [String] {
        if let arr = v.array {
            let out = try arr.enumerated().map { try scalarText($0.element, source, "\(field)[\($0.offset)]") }
            guard !out.isEmpty else { throw HarnessError(source: source, field: field, reason: "empty list") }
            return out
        }
        return [try scalarText(v, source, field)]
    }

    static func allocatorList(_ v: TOMLValueConvertible, _ source: String, _ field: String) throws -> [Allocator] {
        try scalarList(v, source, field).map { text in
            do { return try Allocator.parse(text, source: source) } catch {
                throw HarnessError(source: source, field: field, value: text, reason: "unknown allocator (known: system, jemalloc, mimalloc)")
            }
        }
    }

    static func string(_ v: TOMLValueConvertible?, _ source: String, _ field: String) throws -> String? {
        guard let v else { return nil }
        guard let s = v.string else { throw HarnessError(source: source, field: field, value: v.debugDescription, reason: "must be a string") }
        return s
    }

    static func int(_ v: TOMLValueConvertible?, _ source: String, _ field: String) throws -> Int? {
        guard let v else { return nil }
        guard let i = v.int else { throw HarnessError(source: source, field: field, value: v.debugDescription, reason: "must be an integer") }
        return i
    }

    static func double(_ v: TOMLValueConvertible?, _ source: String, _ field: String) throws -> Double? {
        guard let v else { return nil }
        if let d = v.double { return d }
        if let i = v.int { return Double(i) }
        throw HarnessError(source: source, field: field, value: v.debugDescription, reason: "must be a number")
    }
}
