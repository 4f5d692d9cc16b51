import Foundation

/// A profiler could not run or its output could not be read: one line naming the tool or file and why.
public struct ProfileError: Error, CustomStringConvertible, Sendable {
    /// The tool (`perf`, `heaptrack`) or file the problem came from.
    public let source: String
    public let reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    public var description: String { "\(source): \(reason)" }
}
