import Foundation
import Collections

/// A blocking first-in first-out queue of at most `capacity` elements, shared by threads.
///
/// `push` blocks while the queue is full (backpressure on the producer), `pop` blocks while it is
/// empty. `close()` ends production: consumers drain what is left, then `pop` returns nil.
/// `fail(_:)` aborts: every blocked and later `push`/`pop` throws the error at once, so an error on
/// one pipeline stage reaches the others instead of leaving them blocked.
///
/// One lock and two condition variables; no allocation per element beyond the `Deque`'s growth to
/// `capacity` (it keeps its storage once grown).
public final class BoundedQueue<Element> {
    /// Maximum elements held at once (at least 1).
    public let capacity: Int
    private var items: Deque<Element>
    private var closed = false
    private var failure: Error?
    /// Threads blocked in `push` or `pop` right now (tests wait on it instead of sleeping).
    private var blocked = 0
    // One condition guards the state; "not full" and "not empty" waiters both wait on it and are
    // woken with broadcast. With a handful of threads per queue this is cheap and simple.
    private let cond = NSCondition()

    /// Creates a queue holding at most `capacity` elements (values below 1 mean 1).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        self.items = Deque(minimumCapacity: max(1, capacity))
    }

    /// Threads waiting in `push` (queue full) or `pop` (queue empty) now.
    var blockedThreads: Int {
        cond.lock(); defer { cond.unlock() }
        return blocked
    }

    /// Elements held now.
    public var count: Int {
        cond.lock(); defer { cond.unlock() }
        return items.count
    }

    /// Appends `element`, blocking while the queue is full.
    /// - Throws: the error given to `fail(_:)`, or `EngineQueueClosed` if the queue was closed.
    public func push(_ element: Element) throws {
        cond.lock()
        defer { cond.unlock() }
        while items.count >= capacity && failure == nil && !closed {
            blocked += 1
            cond.wait()
            blocked -= 1
        }
        if let failure { throw failure }
        if closed { throw EngineQueueClosed() }
        items.append(element)
        cond.broadcast()
    }

    /// Removes and returns the oldest element, blocking while the queue is empty and open.
    /// - Returns: nil once the queue is closed and drained.
    /// - Throws: the error given to `fail(_:)`.
    public func pop() throws -> Element? {
        cond.lock()
        defer { cond.unlock() }
        while items.isEmpty && failure == nil && !closed {
            blocked += 1
            cond.wait()
            blocked -= 1
        }
        if let failure { throw failure }
        if items.isEmpty { return nil }
        let element = items.removeFirst()
        cond.broadcast()
        return element
    }

    /// Ends production: later pushes throw, consumers drain the remaining elements then get nil.
    public func close() {
        cond.lock()
        closed = true
        cond.broadcast()
        cond.unlock()
    }

    /// Aborts the queue: drops the elements and makes every waiting and later push/pop throw `error`.
    /// The first error wins.
    public func fail(_ error: Error) {
        cond.lock()
        if failure == nil { failure = error }
        items.removeAll()
        cond.broadcast()
        cond.unlock()
    }

    /// The error given to `fail(_:)`, if any.
    public var error: Error? {
        cond.lock(); defer { cond.unlock() }
        return failure
    }
}

// @unchecked: every mutable property is guarded by `cond`; elements cross threads, so they must be Sendable.
extension BoundedQueue: @unchecked Sendable where Element: Sendable {}
