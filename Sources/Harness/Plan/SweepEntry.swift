import Foundation
import RunContract
import Workloads

/// What one `[[run]]` entry (or the command line) runs: a workload or an external command, over a parameter grid.
public struct SweepEntry: Sendable, Codable, Equatable {
    /// Workload name (`write`, `alloc`, ...), or nil for an external command.
    public var workload: String?
    /// Shell template for an external command (`prog --n {n}`), or nil for a workload.
    public var command: String?
    /// Swept parameters; each value list is validated against the workload's declarations.
    public var params: [Axis]
    /// Allocators for this entry only; nil means the plan's.
    public var allocators: [Allocator]?

    public init(workload: String? = nil, command: String? = nil, params: [Axis] = [], allocators: [Allocator]? = nil) {
        self.workload = workload
        self.command = command
        self.params = params
        self.allocators = allocators
    }
}
