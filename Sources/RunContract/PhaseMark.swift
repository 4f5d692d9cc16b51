

/// A phase start on the monotonic clock.
public struct PhaseMark: Codable, Sendable, Equatable {
    public var name: String
    public var tNs: UInt64
    public init(name: String, tNs: UInt64) {
        self.name = name
        self.tNs = tNs
    }
}
