import Foundation
import RunContract

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
    /// The signal that stopped the sweep early (`SIGINT`), or nil.
    public var interrupted: String?
    /// The profiled runs (`--profile`) and each profiler's measured cost; nil when none ran.
    public var profiles: [ProfileRecord]?

    func write(to dir: URL) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try OutputFile.replace(dir.appendingPathComponent("run.json"), with: try enc.encode(self))
    }

    /// Reads `DIR/run.json`.
    public static func read(from dir: URL) throws -> RunJSON {
        try JSONDecoder().decode(RunJSON.self, from: Data(contentsOf: dir.appendingPathComponent("run.json")))
    }
}
