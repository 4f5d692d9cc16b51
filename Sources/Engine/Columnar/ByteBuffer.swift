#if canImport(Glibc)
import Glibc
#endif

/// An immutable, heap-allocated run of bytes owned by one final class.
///
/// Column buffers of a `RecordBatch` and the page bytes of an `EncodedBatch` live in `ByteBuffer`s, so a
/// batch is a cheap value (copying it retains a few references, never the bytes) that can cross threads:
/// the bytes are never written after the buffer is created, which is why the class is `@unchecked Sendable`.
/// Memory comes from `malloc` (16-byte aligned), so Int64/Double loads from offset 0 are aligned (buffers that
/// start inside a decompressed page are at least 4-byte aligned and hold UTF-8 bytes).
public final class ByteBuffer: @unchecked Sendable {  // @unchecked: immutable after init (bytes included).
    /// Start of the bytes (never nil, even when `count` is 0).
    public let pointer: UnsafeMutableRawPointer
    /// Number of valid bytes.
    public let count: Int
    /// Bytes allocated (>= count): what this buffer costs in the process's heap (for a view, its parent's).
    public let capacityBytes: Int

    /// The malloc'd block freed on deinit (`pointer` may start inside it); nil for a view.
    private let allocation: UnsafeMutableRawPointer?
    /// For a view: the buffer whose bytes it shows, kept alive by the view.
    private let owner: ByteBuffer?
    /// The block goes back to `BufferPool.shared` on deinit instead of `free` (`capacityBytes` is its exact size).
    private let recycles: Bool

    /// Takes ownership of `pointer` (from `malloc`/`realloc`); it is freed when the buffer dies, or handed
    /// back to `BufferPool.shared` when `recycle` is set (then `capacityBytes` must not exceed the block's size).
    init(taking pointer: UnsafeMutableRawPointer, count: Int, capacityBytes: Int, recycle: Bool = false) {
        self.allocation = pointer
        self.owner = nil
        self.pointer = pointer
        self.count = count
        self.capacityBytes = capacityBytes
        self.recycles = recycle
    }

    /// A zero-copy view of `count` bytes of `parent` from `byteOffset`; the view keeps `parent` alive.
    /// Its `capacityBytes` is the parent's: what the view keeps in memory.
    init(viewing parent: ByteBuffer, byteOffset: Int, count: Int) {
        precondition(byteOffset >= 0 && count >= 0 && byteOffset + count <= parent.count, "view out of range")
        self.allocation = nil
        self.owner = parent.owner ?? parent
        self.pointer = parent.pointer + byteOffset
        self.count = count
        self.capacityBytes = parent.capacityBytes
        self.recycles = false
    }

    /// Takes ownership of `allocation` (from `malloc`) and exposes `count` bytes from `byteOffset` inside it
    /// (e.g. the UTF-8 bytes inside a decompressed page body, without copying them out).
    init(taking allocation: UnsafeMutableRawPointer, byteOffset: Int, count: Int, capacityBytes: Int) {
        self.allocation = allocation
        self.owner = nil
        self.pointer = allocation + byteOffset
        self.count = count
        self.capacityBytes = capacityBytes
        self.recycles = false
    }

    /// A buffer of `count` bytes whose content the caller fills before publishing it.
    convenience init(uninitializedCount count: Int) {
        let p = allocateBytes(count)
        self.init(taking: p, count: count, capacityBytes: max(count, 1))
    }

    /// A copy of `bytes`.
    public convenience init(copying bytes: UnsafeRawBufferPointer) {
        self.init(uninitializedCount: bytes.count)
        if bytes.count > 0 { memcpy(pointer, bytes.baseAddress!, bytes.count) }
    }

    /// A copy of `array`'s bytes.
    public convenience init<T>(copyingArray array: [T]) {
        self.init(uninitializedCount: array.count * MemoryLayout<T>.stride)
        array.withUnsafeBytes { src in
            if src.count > 0 { memcpy(pointer, src.baseAddress!, src.count) }
        }
    }

    /// A copy of `bytes` in a block from `BufferPool.shared`, its capacity rounded up so that batches of
    /// slightly different sizes reuse each other's blocks; the block returns to the pool on deinit.
    convenience init(pooledCopying bytes: UnsafeRawBufferPointer) {
        let capacity = BufferPool.roundedCapacity(bytes.count)
        let p = BufferPool.shared.allocate(capacity)
        if bytes.count > 0 { memcpy(p, bytes.baseAddress!, bytes.count) }
        self.init(taking: p, count: bytes.count, capacityBytes: capacity, recycle: true)
    }

    deinit {
        guard let allocation else { return }  // a view: the owner frees
        if recycles {
            BufferPool.shared.release(allocation, capacityBytes: capacityBytes)
        } else {
            free(allocation)
        }
    }

    /// The valid bytes. The pointer is only valid while this buffer is alive: Swift may release a buffer
    /// right after its last use, so keep a reference (or use `withUnsafeBytes`) while reading through it.
    @inlinable public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: pointer, count: count) }

    /// Calls `body` with the valid bytes, keeping the buffer alive for the call.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(self) { try body(UnsafeRawBufferPointer(start: pointer, count: count)) }
    }
}

/// `malloc(max(count, 1))`, trapping on exhaustion (the engine cannot continue without memory).
@inline(__always)
func allocateBytes(_ count: Int) -> UnsafeMutableRawPointer {
    guard let p = malloc(max(count, 1)) else { fatalError("out of memory allocating \(count) bytes") }
    return p
}

/// `realloc` to `count` bytes, trapping on exhaustion.
@inline(__always)
func reallocateBytes(_ pointer: UnsafeMutableRawPointer, _ count: Int) -> UnsafeMutableRawPointer {
    guard let p = realloc(pointer, max(count, 1)) else { fatalError("out of memory allocating \(count) bytes") }
    return p
}
