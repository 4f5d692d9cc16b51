/// Thrown by `BoundedQueue.push` after `close()`.
public struct EngineQueueClosed: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "push on a closed queue" }
}
