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

/// A reusable typed scratch array (contents undefined after `ensure`).
final class ScratchArray<T> {
    private(set) var pointer: UnsafeMutablePointer<T>
    private(set) var capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// A pointer to at least `n` elements (previous contents are lost when it grows).
    @inline(__always)
    func ensure(_ n: Int) -> UnsafeMutablePointer<T> {
        if n > capacity {
            pointer.deallocate()
            capacity = max(n, capacity * 2)
            pointer = .allocate(capacity: capacity)
        }
        return pointer
    }
}

/// One page's values as raw pointers (rows `0 ..< rows` of a column), the encoders' input.
struct PageInput {
    let type: ColumnType
    let rows: Int
    /// Fixed width in bytes, 0 for utf8.
    let width: Int
    let values: UnsafeRawPointer
    /// utf8 only: rows + 1 offsets.
    let offsets: UnsafePointer<Int32>?
    /// nil when every row is valid.
    let validity: UnsafePointer<UInt8>?
    let nullCount: Int

    init(_ c: ColumnData) {
        type = c.type
        rows = c.length
        width = c.type.fixedWidthBytes ?? 0
        values = UnsafeRawPointer(c.values.pointer)
        offsets = c.offsets.map { UnsafePointer($0.pointer.assumingMemoryBound(to: Int32.self)) }
        validity = c.validity.map { UnsafePointer($0.pointer.assumingMemoryBound(to: UInt8.self)) }
        nullCount = c.nullCount
    }

    @inline(__always) func isValid(_ row: Int) -> Bool {
        guard let validity else { return true }
        return validity[row >> 3] & (1 << UInt8(row & 7)) != 0
    }

    /// Start and length of row `row`'s bytes (utf8 or fixed).
    @inline(__always) func bytes(_ row: Int) -> (UnsafeRawPointer, Int) {
        if let offsets {
            let s = Int(offsets[row])
            return (values + s, Int(offsets[row &+ 1]) &- s)
        }
        return (values + row &* width, width)
    }

    /// Whether rows `a` and `b` hold the same bytes.
    @inline(__always) func equal(_ a: Int, _ b: Int) -> Bool {
        let (pa, la) = bytes(a)
        let (pb, lb) = bytes(b)
        if la != lb { return false }
        switch la {
        case 8: return pa.loadUnaligned(as: UInt64.self) == pb.loadUnaligned(as: UInt64.self)
        case 4: return pa.loadUnaligned(as: UInt32.self) == pb.loadUnaligned(as: UInt32.self)
        case 0: return true
        default: return memcmp(pa, pb, la) == 0
        }
    }
}
