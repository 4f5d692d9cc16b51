import Foundation
import RunContract

/// Phase marks of one run, from any thread: each mark is stored and sent to the parent at once, in the order the
/// marks take the lock. The engine's worker threads hold `mark` (a `@Sendable` closure) through `WriteOptions.onPhase`.
public final class PhaseRecorder: @unchecked Sendable {  // @unchecked: `marks` is read and written under `lock`.
    private let lock = NSLock()
    private var marks: [(name: String, tNs: UInt64)] = []
    private let sink: @Sendable (RunEvent) -> Void

    public init(sink: @escaping @Sendable (RunEvent) -> Void) { self.sink = sink }

    /// Marks the start of phase `name` now.
    public func mark(_ name: String) {
        lock.lock()
        defer { lock.unlock() }
        let t = Clock.nowNs()
        marks.append((name, t))
        sink(.phase(name: name, tNs: t))
    }

    /// The marks so far, in order.
    public var all: [(name: String, tNs: UInt64)] {
        lock.lock()
        defer { lock.unlock() }
        return marks
    }
}
