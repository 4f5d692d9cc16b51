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
    /// Count allocations (calls and bytes) with ordo-one/malloc-interposer preloaded. Default false.
    public var allocCounts: Bool = false
    /// `I/N` slice of the measured runs, or nil for all.
    public var shard: String?
    /// Measure the sampler's overhead (alloc workload at sample-ms off, 1 and 10) before the sweep. Default true.
    public var measureSamplerOverhead: Bool = true
    /// Draw plots after the sweep. Default true.
    public var drawPlots: Bool = true
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
        try validateSettings()
        var out: [RunConfiguration] = []
        var seen = Set<String>()
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
            let swept = axes.filter { $0.values.count > 1 }.map(\.name)
            let envCombos = Self.cartesian(env)
            let paramCombos = Self.cartesian(axes)
            for a in allocs {
                for e in envCombos {
                    for p in paramCombos {
                        let cfg = RunConfiguration(workload: workloadName, commandTemplate: entry.command, allocator: a,
                                                   env: e.sorted { $0.key < $1.key }, params: p, sweptParams: swept)
                        if seen.insert(cfg.configID).inserted { out.append(cfg) }
                    }
                }
            }
        }
        return out
    }

    /// The scalar settings and allocator knobs, each in its documented range.
    func validateSettings() throws {
        guard repeats >= 1 else { throw HarnessError(source: source, field: "repeat", value: String(repeats), reason: "must be at least 1") }
        guard warmup >= 0 else { throw HarnessError(source: source, field: "warmup", value: String(warmup), reason: "must be 0 or more") }
        guard sampleMs >= 0, sampleMs <= 60_000 else {
            throw HarnessError(source: source, field: "sample_ms", value: String(sampleMs), reason: "must be 0 (off) ... 60000 ms")
        }
        guard timeoutS > 0 else { throw HarnessError(source: source, field: "timeout", value: String(timeoutS), reason: "must be > 0 s") }
        guard memoryLimitMB >= 0 else {
            throw HarnessError(source: source, field: "memory_limit", value: String(memoryLimitMB), reason: "must be >= 0 MB (0 = none)")
        }
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
        return params
    }

    private static func reason(_ e: ParameterError, spec: ParameterSpec) -> String {
        // ParameterError text already names the parameter; keep only what follows it.
        let m = e.message
        if let r = m.range(of: "': ") { return String(m[r.upperBound...]).replacingOccurrences(of: "'", with: "") }
        return m
    }

    /// Cartesian product; the last axis varies fastest.
    static func cartesian(_ axes: [Axis]) -> [[KeyValue]] {
        var combos: [[KeyValue]] = [[]]
        for axis in axes {
            combos = combos.flatMap { prefix in axis.values.map { prefix + [KeyValue(axis.name, $0)] } }
        }
        return combos
    }

    /// The runs in execution order: warmups first (one round over every configuration per warmup), then repeat 0 of
    /// every configuration, repeat 1 of every configuration, ... so machine drift spreads over all configurations.
    /// With `shard`, only that slice of the measured runs (and warmups of their configurations).
    public func orderedRuns() throws -> [PlannedRun] {
        let configs = try configurations()
        var measured: [PlannedRun] = []
        for r in 0..<repeats {
            for c in configs { measured.append(PlannedRun(configuration: c, repeatIndex: r, isWarmup: false)) }
        }
        if let s = shard {
            let sh: Shard
            do { sh = try Shard(parsing: s) } catch { throw HarnessError(source: "--shard", value: s, reason: "not I/N with 1 <= I <= N") }
            measured = sh.select(measured)
        }
        let inShard = Set(measured.map { $0.configuration.configID })
        var runs: [PlannedRun] = []
        for w in 0..<warmup {
            for c in configs where inShard.contains(c.configID) { runs.append(PlannedRun(configuration: c, repeatIndex: w, isWarmup: true)) }
        }
        return runs + measured
    }

    /// Checks everything that can be checked before a run starts: the grid, allocator libraries, the interposer library.
    public func validate() throws {
        _ = try orderedRuns()
        for a in Set(entries.flatMap { $0.allocators ?? allocators }) { _ = try a.libraryPath() }
        if allocCounts { _ = try InterposerLibrary.path() }
    }
}
