import Foundation

/// Counts the bytes a write pipeline holds in flight and makes the producer wait for room.
///
/// The caller reserves a piece's bytes before queueing it (`acquire`, which blocks while the reservation
/// would take the total over `limitBytes`); the encoder swaps the reservation for the encoded batch's actual
/// bytes (`settle`); the I/O thread releases them once the pages are in the file (`release`). Only `acquire`
/// waits, and only the caller calls it, so stages downstream of the caller never wait for budget.
///
/// One exception to the bound: a reservation larger than the whole budget (a single row bigger than it) is
/// admitted when nothing else is in flight. `highWaterBytes` records the largest total ever held, so tests can
/// check the bound without timing.
final class ByteBudget: @unchecked Sendable {  // @unchecked: every mutable property is guarded by `cond`.
    /// Most bytes in flight at once (at least 1).
    let limitBytes: Int
    private let cond = NSCondition()
    private var inFlight = 0
    private var highWater = 0
    private var overshoots = 0
    private var failure: Error?

    /// - Parameter limitBytes: most bytes in flight (values below 1 mean 1).
    init(limitBytes: Int) {
        self.limitBytes = max(1, limitBytes)
    }

    /// Bytes reserved now.
    var inFlightBytes: Int {
        cond.lock(); defer { cond.unlock() }
        return inFlight
    }

    /// The largest number of bytes ever reserved at once.
    var highWaterBytes: Int {
        cond.lock(); defer { cond.unlock() }
        return highWater
    }

    /// Times an encoded batch came out larger than the bound reserved for it (its excess was charged anyway).
    /// Zero unless `BatchByteBounds` underestimates.
    var overshootCount: Int {
        cond.lock(); defer { cond.unlock() }
        return overshoots
    }

    /// Reserves `bytes`, waiting while they do not fit (admitted alone when larger than the budget).
    /// - Throws: the error given to `fail(_:)`.
    func acquire(_ bytes: Int) throws {
        cond.lock()
        defer { cond.unlock() }
        while failure == nil && inFlight > 0 && inFlight + bytes > limitBytes { cond.wait() }
        if let failure { throw failure }
        add(bytes)
    }

    /// Replaces a reservation of `reserved` bytes by `actual` bytes, without waiting.
    func settle(reserved: Int, actual: Int) {
        cond.lock()
        if actual > reserved {
            overshoots += 1
            add(actual - reserved)
        } else {
            inFlight -= reserved - actual
            cond.broadcast()
        }
        cond.unlock()
    }

    /// Returns `bytes` to the budget.
    func release(_ bytes: Int) {
        cond.lock()
        inFlight -= bytes
        cond.broadcast()
        cond.unlock()
    }

    /// Wakes every waiter with `error` (the first error wins); later `acquire`s throw it.
    func fail(_ error: Error) {
        cond.lock()
        if failure == nil { failure = error }
        cond.broadcast()
        cond.unlock()
    }

    private func add(_ bytes: Int) {
        inFlight += bytes
        if inFlight > highWater { highWater = inFlight }
    }
}
