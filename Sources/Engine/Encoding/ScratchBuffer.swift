#if canImport(Glibc)
import Glibc
#endif

/// A growable byte buffer reused across pages by one encoder thread (no allocation once warm).
final class ScratchBuffer {
    private(set) var pointer: UnsafeMutableRawPointer
    private(set) var capacity: Int
    /// Bytes written so far.
    var count: Int = 0

    init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 64)
        pointer = allocateBytes(self.capacity)
    }

    deinit { free(pointer) }

    @inline(__always) func reset() { count = 0 }

    /// Room for `more` bytes after `count`; returns the address where they go (commit them with `count += n`).
    @inline(__always)
    func reserve(_ more: Int) -> UnsafeMutableRawPointer {
        if count &+ more > capacity { grow(count &+ more) }
        return pointer + count
    }

    private func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        pointer = reallocateBytes(pointer, c)
        capacity = c
    }

    @inline(__always)
    func append(_ source: UnsafeRawPointer, _ n: Int) {
        let d = reserve(n)
        if n > 0 { memcpy(d, source, n) }
        count &+= n
    }

    @inline(__always)
    func appendUInt32(_ v: UInt32) {
        reserve(4).storeBytes(of: v.littleEndian, as: UInt32.self)
        count &+= 4
    }

    @inline(__always)
    func appendZeros(_ n: Int) {
        let d = reserve(n)
        memset(d, 0, n)
        count &+= n
    }

    /// Calls `body` with the written bytes.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(self) { try body(UnsafeRawBufferPointer(start: pointer, count: count)) }
    }
}
