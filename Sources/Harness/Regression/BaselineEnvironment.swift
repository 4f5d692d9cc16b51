import Foundation
import RunContract

/// The machine and build a result set came from (from `run.json`, falling back to `runs.csv` columns).
public struct BaselineEnvironment: Sendable, Codable, Equatable {
    public var host: String?
    public var cpuModel: String?
    public var cores: Int?
    /// Physical memory, MB.
    public var memoryMB: Double?
    public var kernel: String?
    public var gitRev: String?
    public var swiftVersion: String?
    /// The command line that produced the results.
    public var commandLine: String?

    public init(host: String? = nil, cpuModel: String? = nil, cores: Int? = nil, memoryMB: Double? = nil, kernel: String? = nil,
                gitRev: String? = nil, swiftVersion: String? = nil, commandLine: String? = nil) {
        self.host = host
        self.cpuModel = cpuModel
        self.cores = cores
        self.memoryMB = memoryMB
        self.kernel = kernel
        self.gitRev = gitRev
        self.swiftVersion = swiftVersion
        self.commandLine = commandLine
    }

    enum CodingKeys: String, CodingKey {
        case host, cores, kernel
        case cpuModel = "cpu_model"
        case memoryMB = "memory_mb"
        case gitRev = "git_rev"
        case swiftVersion = "swift_version"
        case commandLine = "command_line"
    }

    /// Differences that make throughput and memory figures incomparable (host, CPU model, cores), one phrase each.
    public func machineDifferences(from other: BaselineEnvironment) -> [String] {
        var out: [String] = []
        if let a = other.host, let b = host, a != b { out.append("host \(a) vs \(b)") }
        if let a = other.cpuModel, let b = cpuModel, a != b { out.append("CPU '\(a)' vs '\(b)'") }
        if let a = other.cores, let b = cores, a != b { out.append("\(a) vs \(b) cores") }
        return out
    }
}
