import Foundation
import RunContract

/// A value guarded by a lock: the one way the harness shares mutable state between threads.
public final class Locked<Value>: @unchecked Sendable {  // @unchecked: every access to `value` holds `lock`.
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the value.
    public var current: Value { withLock { $0 } }
}
