import Foundation
import RunContract
import Workloads

/// All repeats of one configuration (workload + allocator + parameters).
public struct ConfigurationResults: Sendable, Codable, Equatable {
    /// The harness's stable configuration id, when known.
    public var configID: String?
    public var workload: String
    public var allocator: String
    /// Every parameter (`param_<name>` columns without the prefix), canonical text.
    public var parameters: [String: String]
    /// Runs recorded (ok or not).
    public var runs: Int
    /// Values of each metric over the `ok` repeats, in repeat order (cells that were empty are left out).
    public var metrics: [String: [Double]]
    /// Runs that did not end `ok`.
    public var failures: [FailedRun]

    public init(configID: String? = nil, workload: String, allocator: String, parameters: [String: String], runs: Int,
                metrics: [String: [Double]], failures: [FailedRun] = []) {
        self.configID = configID
        self.workload = workload
        self.allocator = allocator
        self.parameters = parameters
        self.runs = runs
        self.metrics = metrics
        self.failures = failures
    }

    enum CodingKeys: String, CodingKey {
        case configID = "config_id"
        case workload, allocator, parameters, runs, metrics, failures
    }

    /// Identity used to pair configurations across result sets: workload, allocator and every parameter
    /// except `ignoring`.
    /// A parameter at its workload's declared default is left out, so a result set recorded before a workload gained
    /// a parameter still pairs with one that records the new parameter at its default.
    public func key(ignoring: Set<String> = []) -> String {
        var s = "\(workload)|\(allocator)"
        let defaults = Self.defaults(of: workload)
        for k in parameters.keys.sorted() where !ignoring.contains(k) && defaults[k] != parameters[k] {
            s += "|\(k)=\(parameters[k]!)"
        }
        return s
    }

    /// Canonical default values of `workload`'s parameters (empty for commands and unknown workloads).
    static func defaults(of workload: String) -> [String: String] {
        guard let type = WorkloadRegistry.named(workload) else { return [:] }
        var d: [String: String] = [:]
        for spec in type.parameters { d[spec.name] = (try? spec.parse(spec.defaultValue).description) ?? spec.defaultValue }
        return d
    }

    /// `write alloc=system batch_rows=10000` with only the parameters in `shown`.
    public func label(showing shown: [String]) -> String {
        var parts = [workload]
        for k in shown { if let v = parameters[k] { parts.append("\(k)=\(v)") } }
        parts.append(allocator)
        return parts.joined(separator: " ")
    }
}
