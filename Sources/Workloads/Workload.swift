/// A parameterized scenario that drives the engine inside one child process.
///
/// The harness creates the workload from validated parameters, calls `prepare`
/// (not measured: e.g. pregenerating batches or writing the table a scan reads),
/// then `run` (the measured region: wall time, CPU time, RSS baseline and peak,
/// allocation counts). `run` must leave the engine closed so that the end RSS the
/// harness samples afterwards reflects what the engine still holds.
public protocol Workload {
    /// Name used on the command line, in suites and in the `workload` column.
    static var name: String { get }
    /// One-line description for `highwater list`.
    static var summary: String { get }
    /// Every parameter, with type, unit, default and allowed values.
    static var parameters: [ParameterSpec] { get }

    init(parameters: ParameterValues) throws

    /// Unmeasured preparation. Default: nothing.
    mutating func prepare(_ context: RunContext) throws
    /// The measured region.
    mutating func run(_ context: RunContext) throws
}

extension Workload {
    public mutating func prepare(_ context: RunContext) throws {}
}
