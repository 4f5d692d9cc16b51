import Foundation
import RunContract
import Workloads

/// FNV-1a 64-bit hash of the UTF-8 bytes, as 16 lowercase hex digits.
func fnv1a64Hex(_ text: String) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in text.utf8 {
        h ^= UInt64(b)
        h = h &* 0x0000_0100_0000_01b3
    }
    let s = String(h, radix: 16)
    return String(repeating: "0", count: 16 - s.count) + s
}

/// A sweep: what to run (entries × allocators × env knobs × parameter grid) and how (repeats, sampling, limits).
/// Built from command-line options or a suite file (`Suite.load`), validated on construction of its configurations.
public struct SweepPlan: Sendable, Codable {
    /// Name used for the default output directory `results/<name>/`.
    public var name: String
    public var entries: [SweepEntry]
    /// Allocators for entries that do not name their own. Default: `[.system]`.
    public var allocators: [Allocator] = [.system]
    /// Allocator knobs swept like parameters (e.g. `MALLOC_ARENA_MAX` = 1, 2).
    public var env: [Axis] = []
    /// Measured repeats per configuration. Default 3.
    public var repeats: Int = 3
    /// Unrecorded warmup runs per configuration, before the measured ones. Default 0.
    public var warmup: Int = 0
    /// RSS sampling interval in milliseconds; 0 turns sampling off. Default 10.
    public var sampleMs: Double = 10
    /// Per-run wall-clock limit in seconds; the child is SIGKILLed and the run recorded as `timeout`. Default 600.
    public var timeoutS: Double = 600
    /// Per-run RSS limit in MB (1e6 bytes); 0 means none. Over it the child is SIGKILLed and recorded as `oom`. Default 0.
    public var memoryLimitMB: Double = 0
    /// Most stdout + stderr one run may write, MB (nil: `Limits.defaultMaxLogMB`; 0: no limit).
    public var maxLogMB: Double?
    /// The output limit in bytes (0 = none).
    var maxLogBytes: Int64 { Int64((maxLogMB ?? Limits.defaultMaxLogMB) * 1e6) }
    /// Count allocations (calls and bytes) with ordo-one/malloc-interposer preloaded. Default false.
    public var allocCounts: Bool = false
    /// `I/N` slice of the measured runs, or nil for all.
    public var shard: String?
    /// Most runs (warmups included) a sweep may plan before it needs `--max-runs`: a typo in a parameter list
    /// should not start a week of runs or fill the disk.
    /// Whether the plan includes the `reference` workload (nil: no; `check` turns it on).
    public var reference: Bool?

    /// Appends the reference workload (system allocator) when `reference` is on and no entry runs it yet.
    public mutating func addReferenceEntry() {
        guard reference == true, !entries.contains(where: { $0.workload == ReferenceWorkload.name }) else { return }
        var entry = SweepEntry(workload: ReferenceWorkload.name, command: nil, params: [])
        entry.allocators = [.system]
        entries.append(entry)
    }

    /// Nil: `defaultMaxRuns`.
    public var maxRuns: Int?
    public static let defaultMaxRuns = 100_000
    /// Measure the sampler's overhead (alloc workload at sample-ms off, 1 and 10) before the sweep. Default true.
    public var measureSamplerOverhead: Bool = true
    /// Draw plots after the sweep. Default true.
    public var drawPlots: Bool = true
    /// Profilers for one extra, unmeasured run per configuration after the sweep (`--profile heap,cpu`). Default none.
    public var profiles: [ProfileKind]?
    /// Where the plan came from: the suite file path, or `command line`.
    public var source: String = "command line"
    /// The exact command line that produced the plan.
    public var commandLine: [String] = CommandLine.arguments

    public init(name: String, entries: [SweepEntry]) {
        self.name = name
        self.entries = entries
    }

    /// Every configuration of the grid, validated: entries in order, then allocators, env values and parameter values
    /// (the last listed parameter varies fastest). Throws `HarnessError` naming the source, field and value.
    public func configurations() throws -> [RunConfiguration] {
        var out: [RunConfiguration] = []
        try space().forEach { out.append($0) }
        return out
    }

    /// The validated grid, not built: one block per entry.
    func space() throws -> ConfigurationSpace {
        try validateSettings()
        var blocks: [ConfigurationSpace.Block] = []
        for (i, entry) in entries.enumerated() {
            let field = source == "command line" ? "" : "run[\(i)]"
            let allocs = entry.allocators ?? allocators
            guard !allocs.isEmpty else { throw HarnessError(source: source, field: field + "allocators", reason: "no allocator") }
            let axes: [Axis]
            let workloadName: String
            if let w = entry.workload {
                guard entry.command == nil else {
                    throw HarnessError(source: source, field: field.isEmpty ? "--command" : field, value: w, reason: "give either a workload or a command, not both")
                }
                workloadName = w
                axes = try workloadAxes(entry.params, workload: w, field: field)
            } else if let c = entry.command {
                workloadName = "command"
                axes = try commandAxes(entry.params, command: c, field: field)
            } else {
                throw HarnessError(source: source, field: field, reason: "needs a workload or a command")
            }
            let count = ConfigurationSpace.product([allocs.count] + env.map(\.values.count) + axes.map(\.values.count))
            blocks.append(.init(workload: workloadName, command: entry.command, allocators: allocs, env: env, axes: axes,
                                swept: axes.filter { $0.values.count > 1 }.map(\.name), count: count))
        }
        return ConfigurationSpace(blocks: blocks)
    }

    /// The scalar settings and allocator knobs, each in its documented range.
    func validateSettings() throws {
        let cli = source == "command line"
        func fail(_ flag: String, _ key: String, _ value: String, _ reason: String) -> HarnessError {
            HarnessError(source: cli ? flag : source, field: cli ? "" : key, value: value, reason: reason)
        }
        guard (1...Limits.maxRepeats).contains(repeats) else {
            throw fail("--repeat", "repeat", String(repeats), "must be 1 ... \(Limits.maxRepeats)")
        }
        guard (0...Limits.maxRepeats).contains(warmup) else { throw fail("--warmup", "warmup", String(warmup), "must be 0 ... \(Limits.maxRepeats)") }
        guard sampleMs == 0 || (Limits.minSampleMs...Limits.maxSampleMs).contains(sampleMs) else {
            throw fail("--sample-ms", "sample_ms", Self.shown(sampleMs),
                       "must be 0 (off) or \(formatNumber(Limits.minSampleMs)) ... \(formatNumber(Limits.maxSampleMs)) ms")
        }
        guard timeoutS > 0, timeoutS <= Limits.maxTimeoutS else {
            throw fail("--timeout", "timeout_s", Self.shown(timeoutS), "must be > 0 and at most \(formatNumber(Limits.maxTimeoutS)) s (a week)")
        }
        guard memoryLimitMB >= 0, memoryLimitMB <= Limits.maxMemoryLimitMB else {
            throw fail("--memory-limit", "memory_limit_mb", Self.shown(memoryLimitMB),
                       "must be 0 (none) ... \(formatNumber(Limits.maxMemoryLimitMB)) MB")
        }
        if let m = maxLogMB, !(m >= 0 && m <= Limits.maxMemoryLimitMB) {
            throw fail("--max-log-mb", "max_log_mb", Self.shown(m), "must be 0 (none) ... \(formatNumber(Limits.maxMemoryLimitMB)) MB")
        }
        if let m = maxRuns, m < 1 { throw fail("--max-runs", "max_runs", String(m), "must be at least 1") }
        guard memoryLimitMB == 0 || sampleMs > 0 else {
            throw HarnessError(source: source == "command line" ? "--memory-limit" : source, field: source == "command line" ? "" : "memory_limit_mb",
                               value: formatNumber(memoryLimitMB), reason: "needs sampling (sample_ms > 0): the limit is checked at every sample")
        }
        guard !entries.isEmpty else { throw HarnessError(source: source, field: "run", reason: "nothing to run (give --workload, --command or a suite with [[run]] entries)") }
        for axis in env {
            guard AllocatorKnobs.isAllowed(axis.name) else {
                throw HarnessError(source: source, field: "env", value: axis.name,
                                   reason: "not an allocator knob (MALLOC_ARENA_MAX, MALLOC_*_, GLIBC_TUNABLES, MALLOC_CONF, MIMALLOC_*)")
            }
            guard !axis.values.isEmpty else { throw HarnessError(source: source, field: "env.\(axis.name)", reason: "no values") }
        }
    }

    /// A value as the user wrote it, near enough: plain for ordinary magnitudes, `1e+300` for huge ones.
    static func shown(_ v: Double) -> String { abs(v) < 1e15 ? formatNumber(v, digits: 9) : "\(v)" }

    /// A workload entry's axes in declaration order, values canonical, defaults for parameters not named.
    func workloadAxes(_ params: [Axis], workload w: String, field: String) throws -> [Axis] {
        guard let type = WorkloadRegistry.named(w) else {
            throw HarnessError(source: source == "command line" ? "--workload" : source, field: field.isEmpty ? "" : field + ".workload", value: w,
                               reason: "unknown workload (known: \(WorkloadRegistry.all.map { $0.name }.joined(separator: ", ")))")
        }
        var axes: [Axis] = []
        for axis in params {
            let pfield = source == "command line" ? "" : "\(field).params.\(axis.name)"
            let psource = source == "command line" ? "--param" : source
            guard let spec = type.parameters.first(where: { $0.name == axis.name }) else {
                throw HarnessError(source: psource, field: pfield.isEmpty ? axis.name : pfield,
                                   reason: "workload '\(w)' has no such parameter (known: \(type.parameters.map(\.name).joined(separator: ", ")))")
            }
            guard !axis.values.isEmpty else { throw HarnessError(source: psource, field: pfield.isEmpty ? axis.name : pfield, reason: "no values") }
            var canon: [String] = []
            for v in axis.values {
                do { canon.append(try spec.parse(v).description) } catch let e as ParameterError {
                    throw HarnessError(source: psource, field: pfield.isEmpty ? axis.name : pfield, value: v, reason: Self.reason(e, spec: spec))
                }
            }
            axes.append(Axis(name: axis.name, values: canon))
        }
        return type.parameters.map { spec in
            axes.first { $0.name == spec.name } ?? Axis(name: spec.name, values: [(try? spec.parse(spec.defaultValue).description) ?? spec.defaultValue])
        }
    }

    /// A command entry's axes: names are identifiers and each must have a `{name}` placeholder in the command.
    func commandAxes(_ params: [Axis], command c: String, field: String) throws -> [Axis] {
        guard !c.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw HarnessError(source: source == "command line" ? "--command" : source, field: field, reason: "empty command")
        }
        for axis in params {
            guard axis.name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                throw HarnessError(source: "--param", field: axis.name, reason: "parameter names are letters, digits and _")
            }
            guard c.contains("{\(axis.name)}") else {
                throw HarnessError(source: source == "command line" ? "--param" : source, field: axis.name, value: c,
                                   reason: "the command has no {\(axis.name)} placeholder")
            }
            guard !axis.values.isEmpty else { throw HarnessError(source: "--param", field: axis.name, reason: "no values") }
        }
        // A placeholder without a parameter would run literally: `{n}` reaching the shell is a mistake.
        for name in Self.placeholders(in: c) where !params.contains(where: { $0.name == name }) {
            throw HarnessError(source: source == "command line" ? "--command" : source, field: field.isEmpty ? "{\(name)}" : "\(field).command",
                               value: c, reason: "the placeholder {\(name)} has no parameter (give --param \(name)=V1,V2)")
        }
        return params
    }

    /// Names in `{name}` placeholders of a command template (identifiers only: `${HOME}` and `{}` are not placeholders).
    static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            let name = after[..<close]
            let isShellExpansion = open > rest.startIndex && rest[rest.index(before: open)] == "$"
            if !isShellExpansion, let first = name.first, first.isLetter || first == "_",
               name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                names.append(String(name))
            }
            rest = after[after.index(after: close)...]
        }
        return names
    }

    private static func reason(_ e: ParameterError, spec: ParameterSpec) -> String {
        // ParameterError text already names the parameter; keep only what follows it.
        let m = e.message
        if let r = m.range(of: "': ") { return String(m[r.upperBound...]).replacingOccurrences(of: "'", with: "") }
        return m
    }

    /// The runs in execution order: warmups first (one round over every configuration per warmup), then repeat 0 of
    /// every configuration, repeat 1 of every configuration, ... so machine drift spreads over all configurations.
    /// With `shard`, only that slice of the measured runs (and warmups of their configurations).
    public func orderedRuns() throws -> [PlannedRun] {
        var runs: [PlannedRun] = []
        try forEachRun { runs.append($0) }
        return runs
    }

    /// Calls `body` with every run in execution order without building the plan: memory stays constant (apart from
    /// 8 bytes per configuration to drop duplicates), whatever the number of runs.
    public func forEachRun(_ body: (PlannedRun) throws -> Void) throws {
        let grid = try space()
        let shard = try parsedShard()
        let configurations = try countConfigurations(grid)
        // Measured run at position p = r * configurations + c is in the shard when p % count == index - 1.
        func inShard(_ c: Int, repeatIndex r: Int) -> Bool {
            guard let shard else { return true }
            return (r * configurations + c) % shard.count == shard.index - 1
        }
        func configurationInShard(_ c: Int) -> Bool {
            guard let shard else { return true }
            return (0..<min(repeats, shard.count)).contains { inShard(c, repeatIndex: $0) }
        }
        // Up to `cachedConfigurations` configurations are built once; beyond that each pass rebuilds them one at a time.
        let cached: [RunConfiguration]? = configurations <= Self.cachedConfigurations ? try self.configurations() : nil
        func eachConfiguration(_ visit: (Int, RunConfiguration) throws -> Void) throws {
            if let cached { for (c, cfg) in cached.enumerated() { try visit(c, cfg) }; return }
            var c = 0
            try grid.forEach { cfg in try visit(c, cfg); c += 1 }
        }
        for w in 0..<warmup {
            try eachConfiguration { c, cfg in
                if configurationInShard(c) { try body(PlannedRun(configuration: cfg, repeatIndex: w, isWarmup: true)) }
            }
        }
        for r in 0..<repeats {
            try eachConfiguration { c, cfg in
                if inShard(c, repeatIndex: r) { try body(PlannedRun(configuration: cfg, repeatIndex: r, isWarmup: false)) }
            }
        }
    }

    /// Plans with at most this many configurations keep them in memory while enumerating runs.
    static let cachedConfigurations = 10_000

    /// Distinct configurations of the grid (one pass; no configuration is kept).
    func countConfigurations(_ grid: ConfigurationSpace) throws -> Int {
        var n = 0
        grid.forEach { _ in n += 1 }
        return n
    }

    func parsedShard() throws -> Shard? {
        guard let s = shard else { return nil }
        do { return try Shard(parsing: s) } catch { throw HarnessError(source: "--shard", value: s, reason: "not I/N with 1 <= I <= N") }
    }

    /// Runs the plan makes (warmups included) before sharding, computed without building the grid; nil when the
    /// number does not fit in 64 bits.
    public func plannedRunCount() throws -> Int? {
        guard let configurations = try space().upperBound else { return nil }
        return ConfigurationSpace.product([configurations, repeats + warmup])
    }

    /// Refuses a plan over `maxRuns` runs (counted before building it), naming the count and the flag that allows it.
    func checkSize() throws {
        let n = try plannedRunCount()
        let limit = maxRuns ?? Self.defaultMaxRuns
        guard let n, n <= limit else {
            throw HarnessError(source: source == "command line" ? "--max-runs" : source, field: source == "command line" ? "" : "max_runs",
                               value: n.map(String.init) ?? "more than 9223372036854775807",
                               reason: "the sweep plans more runs than the limit of \(limit) (raise it with --max-runs N)")
        }
    }

    /// Checks everything that can be checked before a run starts: the grid, allocator libraries, the interposer library.
    public func validate() throws {
        try checkSize()
        try forEachRun { _ in }
        for a in Set(entries.flatMap { $0.allocators ?? allocators }) { _ = try a.libraryPath() }
        if allocCounts { _ = try InterposerLibrary.path() }
    }
}
