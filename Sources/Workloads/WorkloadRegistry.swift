/// Every workload `highwater` knows, by name.
public enum WorkloadRegistry {
    /// All workload types, in the order `highwater list` shows them.
    public static var all: [any Workload.Type] { [
        WriteWorkload.self,
        ScanWorkload.self,
        UpsertWorkload.self,
        LoadWorkload.self,
        ParallelWriteWorkload.self,
        AllocWorkload.self,
        ReferenceWorkload.self,
    ] }

    /// The entry point of a helper process a workload spawns, by its hidden first argument, or nil.
    ///
    /// `parallel_write` starts its workers as `/proc/self/exe __parallel_write_worker ...`; the executable must
    /// dispatch before parsing its command line:
    /// ```swift
    /// if CommandLine.arguments.count > 1, let main = WorkloadRegistry.helperEntryPoint(for: CommandLine.arguments[1]) {
    ///     exit(main(Array(CommandLine.arguments.dropFirst(2))))
    /// }
    /// ```
    /// The function gets the arguments after the hidden one and returns the process exit code.
    public static func helperEntryPoint(for argument: String) -> (([String]) -> Int32)? {
        switch argument {
        case ParallelWriteWorkload.workerArgument: return ParallelWriteWorkload.workerMain(arguments:)
        default: return nil
        }
    }

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
