import Foundation
import RunContract
import Workloads

/// What the command line says about a sweep, on top of a suite file or instead of one: `highwater run` and
/// `highwater check` build their plan here, so the merge rules live (and are tested) in one place.
///
/// Rules: with a suite, `--param KEY=...` replaces KEY in every entry that declares or accepts it (an error when
/// none does); `--allocator` replaces every entry's allocators; `--env` replaces the suite's knobs; scalar options
/// replace the suite's values. Without a suite, `--workload` or `--command` make the one entry.
public struct PlanOverrides: Sendable, Equatable {
    public var suitePath: String?
    public var workload: String?
    public var command: String?
    /// Raw `KEY=V1,V2,...` texts of `--param`.
    public var params: [String] = []
    /// Raw `NAME=V1,V2` texts of `--env`.
    public var env: [String] = []
    /// Comma-separated allocator names of `--allocator`.
    public var allocators: String?
    public var repeats: Int?
    public var warmup: Int?
    public var sampleMs: Double?
    public var timeoutS: Double?
    public var memoryLimitMB: Double?
    public var name: String?
    public var shard: String?
    public var maxRuns: Int?
    public var maxLogMB: Double?
    public var allocCounts = false
    /// Append the `reference` workload (machine speed) to the plan, interleaved with it like any entry.
    public var reference: Bool?
    public var drawPlots = true
    /// Raw `--profile` text (`heap,cpu`).
    public var profiles: String?
    public var measureSamplerOverhead = true
    public var commandLine: [String] = []

    public init() {}

    /// The plan: the suite's (read from `suitePath`) or one entry, with every override applied. Throws `HarnessError`.
    public func makePlan(now: Date = Date()) throws -> SweepPlan {
        let cliAxes = try params.map { try Axis.parse($0, flag: "--param") }
        try Self.refuseDuplicates(cliAxes.map(\.name), flag: "--param")
        try Self.refuseDuplicates(try env.map { try Axis.parse($0, flag: "--env") }.map(\.name), flag: "--env")
        if let name { try Self.checkName(name) }
        var plan: SweepPlan
        if let suitePath {
            guard workload == nil, command == nil else {
                throw HarnessError(source: workload != nil ? "--workload" : "--command", reason: "cannot be combined with --suite (the suite names what runs)")
            }
            plan = try Suite.parse(try Self.readSuite(suitePath), source: suitePath)
            for axis in cliAxes { try Self.override(axis, in: &plan) }
        } else {
            guard workload != nil || command != nil else {
                throw HarnessError(source: "run", reason: "give --workload NAME, --command TEMPLATE or --suite FILE")
            }
            plan = SweepPlan(name: name ?? Self.timestamp(now), entries: [SweepEntry(workload: workload, command: command, params: cliAxes)])
        }
        if let name { plan.name = name }
        if let allocators {
            plan.allocators = try allocators.split(separator: ",").map { try Allocator.parse(String($0), source: "--allocator") }
            for i in plan.entries.indices { plan.entries[i].allocators = nil }
        }
        if !env.isEmpty { plan.env = try env.map { try Axis.parse($0, flag: "--env") } }
        if let repeats { plan.repeats = repeats }
        if let warmup { plan.warmup = warmup }
        if let sampleMs { plan.sampleMs = sampleMs }
        if let timeoutS { plan.timeoutS = timeoutS }
        if let memoryLimitMB { plan.memoryLimitMB = memoryLimitMB }
        if allocCounts { plan.allocCounts = true }
        if let shard { plan.shard = shard }
        if let maxRuns { plan.maxRuns = maxRuns }
        if let reference { plan.reference = reference }
        plan.addReferenceEntry()
        if let maxLogMB { plan.maxLogMB = maxLogMB }
        plan.drawPlots = drawPlots
        if let profiles { plan.profiles = try ProfileKind.parseList(profiles) }
        plan.measureSamplerOverhead = measureSamplerOverhead
        plan.commandLine = commandLine
        return plan
    }

    /// `--param rows=1 --param rows=2,3` would silently run one of them: the same name twice is an error.
    static func refuseDuplicates(_ names: [String], flag: String) throws {
        var seen = Set<String>()
        for n in names where !seen.insert(n).inserted {
            throw HarnessError(source: flag, field: n, reason: "given twice (list every value once: \(flag) \(n)=V1,V2)")
        }
    }

    /// A sweep name becomes a directory under results/: letters, digits, `.`, `_`, `-`, not starting with `.`.
    static func checkName(_ name: String) throws {
        guard !name.isEmpty, !name.hasPrefix("."), name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
            throw HarnessError(source: "--name", value: name, reason: "a sweep name is letters, digits, '.', '_' and '-' (it names a directory under results/)")
        }
    }

    /// Replaces `axis.name` in every entry that declares the parameter (workloads) or uses the placeholder (commands).
    static func override(_ axis: Axis, in plan: inout SweepPlan) throws {
        var used = false
        for i in plan.entries.indices {
            let entry = plan.entries[i]
            let accepts = entry.workload.flatMap { WorkloadRegistry.named($0) }?.parameters.contains { $0.name == axis.name }
                ?? entry.command?.contains("{\(axis.name)}") ?? false
            guard accepts else { continue }
            plan.entries[i].params.removeAll { $0.name == axis.name }
            plan.entries[i].params.append(axis)
            used = true
        }
        if !used { throw HarnessError(source: "--param", field: axis.name, reason: "no run in the suite has this parameter") }
    }

    /// The options again as `highwater run` arguments (for running the same sweep with another binary), without
    /// `--suite`, `--workload`, `--command`, `--repeat`, `--out` and the flags the caller sets itself.
    public var forwardedArguments: [String] {
        var a: [String] = []
        for p in params { a += ["--param", p] }
        for e in env { a += ["--env", e] }
        if let allocators { a += ["--allocator", allocators] }
        if let warmup { a += ["--warmup", String(warmup)] }
        if let sampleMs { a += ["--sample-ms", Threshold.number(sampleMs)] }
        if let timeoutS { a += ["--timeout", Threshold.number(timeoutS)] }
        if let memoryLimitMB { a += ["--memory-limit", Threshold.number(memoryLimitMB)] }
        if let maxRuns { a += ["--max-runs", String(maxRuns)] }
        if let maxLogMB { a += ["--max-log-mb", Threshold.number(maxLogMB)] }
        if allocCounts { a.append("--alloc-counts") }
        if reference == true { a.append("--reference") }
        return a
    }

    static func readSuite(_ path: String) throws -> String {
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw HarnessError(source: "--suite", value: path, reason: "cannot read the suite file")
        }
    }

    /// `yyyyMMdd-HHmmss` in UTC: the default sweep name.
    static func timestamp(_ date: Date) -> String {
        UTCTimestamp.compact(date)
    }
}

extension Axis {
    /// Parses `KEY=V1,V2,...` given to `flag`; empty names and values are errors.
    public static func parse(_ text: String, flag: String) throws -> Axis {
        guard let eq = text.firstIndex(of: "=") else {
            throw HarnessError(source: flag, value: text, reason: "expected KEY=V1,V2,...")
        }
        let key = text[..<eq].trimmingCharacters(in: .whitespaces)
        let values = text[text.index(after: eq)...].split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !key.isEmpty else { throw HarnessError(source: flag, value: text, reason: "empty name") }
        guard !values.contains(where: \.isEmpty) else { throw HarnessError(source: flag, field: key, value: text, reason: "empty value") }
        return Axis(name: key, values: values)
    }
}
