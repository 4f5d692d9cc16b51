/// What the parent tells a workload child (`highwater __child --spec PATH`), as JSON.
public struct ChildSpec: Codable, Sendable {
    public var workload: String
    /// Raw parameters (canonical text); the child validates them again with the workload's declarations.
    public var params: [KeyValue]
    /// Where the child writes its `ChildReport` (JSON).
    public var reportPath: String
    /// Scratch directory for the workload's files.
    public var workDirectory: String
    /// File descriptor (inherited) to which `EventLine`s are written, or -1.
    public var eventsFD: Int32
    /// Count allocations through the preloaded interposer.
    public var allocCounts: Bool

    public init(workload: String, params: [KeyValue], reportPath: String, workDirectory: String, eventsFD: Int32, allocCounts: Bool) {
        self.workload = workload
        self.params = params
        self.reportPath = reportPath
        self.workDirectory = workDirectory
        self.eventsFD = eventsFD
        self.allocCounts = allocCounts
    }
}
