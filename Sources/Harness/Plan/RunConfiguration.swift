import Foundation
import RunContract
import Workloads

/// One point of the grid: what runs, with which allocator, environment and parameters.
public struct RunConfiguration: Sendable, Codable, Hashable {
    /// Stable id of workload (or command template) + allocator + env + fully resolved parameters:
    /// 16 hex digits of FNV-1a 64 over the canonical text, the same in every invocation and shard.
    public let configID: String
    /// Workload name, or `command` for an external command.
    public let workload: String
    /// The command template (external command mode), else nil.
    public let commandTemplate: String?
    public let allocator: Allocator
    /// Allocator knobs set in the child's environment, sorted by name.
    public let env: [KeyValue]
    /// Every parameter in declaration order, defaults filled in, canonical text (for commands: as given).
    public let params: [KeyValue]
    /// Names of the parameters that the plan sweeps (more than one value somewhere in the entry).
    public let sweptParams: [String]

    init(workload: String, commandTemplate: String?, allocator: Allocator, env: [KeyValue], params: [KeyValue], sweptParams: [String]) {
        self.workload = workload
        self.commandTemplate = commandTemplate
        self.allocator = allocator
        self.env = env
        self.params = params
        self.sweptParams = sweptParams
        var canonical = "workload=\(workload)\n"
        if let c = commandTemplate { canonical += "command=\(c)\n" }
        canonical += "allocator=\(allocator.rawValue)\n"
        for kv in env { canonical += "env:\(kv.key)=\(kv.value)\n" }
        for kv in params.sorted(by: { $0.key < $1.key }) { canonical += "param:\(kv.key)=\(kv.value)\n" }
        configID = fnv1a64Hex(canonical)
    }

    /// The value of parameter `name`, if any.
    public func param(_ name: String) -> String? { params.first { $0.key == name }?.value }

    /// Short human label: workload, swept parameters, allocator and env (`write strategy=streaming batch_size=1000 jemalloc`).
    public var label: String {
        var parts = [workload]
        for kv in params where sweptParams.contains(kv.key) { parts.append("\(kv.key)=\(kv.value)") }
        for kv in env { parts.append("\(kv.key)=\(kv.value)") }
        parts.append(allocator.rawValue)
        return parts.joined(separator: " ")
    }

    /// The command line after substituting `{param}` placeholders (external command mode).
    public var substitutedCommand: String? {
        guard var c = commandTemplate else { return nil }
        for kv in params { c = c.replacingOccurrences(of: "{\(kv.key)}", with: kv.value) }
        return c
    }
}
