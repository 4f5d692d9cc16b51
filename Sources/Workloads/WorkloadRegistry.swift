/// Every workload `highwater` knows, by name.
public enum WorkloadRegistry {
    /// All workload types, in the order `highwater list` shows them.
    public static let all: [any Workload.Type] = [
        WriteWorkload.self,
        ScanWorkload.self,
        AllocWorkload.self,
    ]

    /// The workload called `name`, or nil.
    public static func named(_ name: String) -> (any Workload.Type)? {
        all.first { $0.name == name }
    }

    /// Validates raw `key=value` parameters for `workload`, filling defaults.
    /// Throws `ParameterError` naming the workload, parameter and value.
    public static func resolve(workload: String, raw: [String: String]) throws -> ParameterValues {
        guard let type = named(workload) else {
            throw ParameterError("unknown workload '\(workload)' (known: \(all.map { $0.name }.joined(separator: ", ")))")
        }
        return try ParameterValues(specs: type.parameters, raw: raw, workload: workload)
    }
}
