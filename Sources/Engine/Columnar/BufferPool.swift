#if canImport(Glibc)
import Glibc
#endif

/// Recycles large byte blocks between the threads of a write pipeline.
///
/// A streaming write allocates the same few buffer sizes for every batch (the builder's column buffers on the
/// generating thread, the encoded page storage on the encoder threads) and frees them on another thread once
/// the batch is encoded or written. Left to the allocator, that cross-thread churn of megabyte blocks makes the
/// heap creep (measured: +5–7% peak RSS from 1M to 6M rows under glibc, +12–13% under jemalloc and mimalloc,
/// with a bounded amount of data in flight). The pool keeps freed blocks of `minimumBytes` or more, keyed by
/// their exact size, and hands them back to the next request of that size, so in steady state a batch costs
/// no allocation at all and peak RSS is what is in flight.
///
/// Blocks are plain `malloc` blocks: one taken from the pool may be `realloc`ed or `free`d like any other.
/// The pool holds at most `budgetBytes`, and only blocks whose size recurs: a block not taken again within
/// `maximumAgeReleases` later releases is freed (a batch split at a file roll encodes to sizes that never come
/// back, and keeping those would make the pool itself grow with rows). `trim()` frees everything it holds
/// (`DatasetWriter.close()` calls it).
public final class BufferPool: @unchecked Sendable {  // @unchecked: every mutable property is guarded by `mutex`.
    /// The pool the engine's builders and encoders use.
    public static let shared = BufferPool(budgetBytes: 256 << 20)

    /// Blocks smaller than this (64 KiB) are not pooled: the allocator's small bins serve them well.
    public static let minimumBytes = 64 << 10

    /// Most bytes the pool holds; a block released beyond it is freed. Default for `shared`: 256 MiB.
    public let budgetBytes: Int

    /// A pooled block is freed once this many later releases have passed without it being taken (256: about
    /// 50 batches of the `code_chunks` write, whose steady-state sizes are taken again within one or two).
    public static let maximumAgeReleases: UInt64 = 256

    private struct Entry {
        let pointer: UnsafeMutableRawPointer
        /// Value of `releases` when the block came back.
        let releasedAt: UInt64
    }

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var blocks: [Int: [Entry]] = [:]
    private var held = 0
    private var reuses = 0
    private var misses = 0
    private var releases: UInt64 = 0
    private var expired = 0

    /// - Parameter budgetBytes: most bytes held at once.
    public init(budgetBytes: Int) {
        self.budgetBytes = budgetBytes
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        trim()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Bytes held now, how many requests were served from the pool or missed it, and how many blocks were
    /// freed for not being taken again in time.
    public var statistics: (heldBytes: Int, reuses: Int, misses: Int, expired: Int) {
        pthread_mutex_lock(mutex); defer { pthread_mutex_unlock(mutex) }
        return (held, reuses, misses, expired)
    }

    /// A block of exactly `count` bytes' capacity (at least 1): from the pool when one of that size is there.
    func allocate(_ count: Int) -> UnsafeMutableRawPointer {
        let n = max(count, 1)
        if n >= Self.minimumBytes {
            pthread_mutex_lock(mutex)
            if let entry = blocks[n]?.popLast() {
                held -= n
                reuses += 1
                pthread_mutex_unlock(mutex)
                return entry.pointer
            }
            misses += 1
            pthread_mutex_unlock(mutex)
        }
        return allocateBytes(n)
    }

    /// Takes back a block whose capacity is at least `capacityBytes` (as given to `allocate` or `realloc`).
    func release(_ pointer: UnsafeMutableRawPointer, capacityBytes: Int) {
        guard capacityBytes >= Self.minimumBytes else { free(pointer); return }
        var stale: [UnsafeMutableRawPointer] = []
        var kept = false
        pthread_mutex_lock(mutex)
        releases &+= 1
        if releases % 32 == 0 { stale = removeExpired() }
        if held + capacityBytes <= budgetBytes {
            blocks[capacityBytes, default: []].append(Entry(pointer: pointer, releasedAt: releases))
            held += capacityBytes
            kept = true
        }
        pthread_mutex_unlock(mutex)
        if !kept { free(pointer) }
        for p in stale { free(p) }
    }

    /// Takes out the blocks older than `maximumAgeReleases` (called with the mutex held; the caller frees them).
    private func removeExpired() -> [UnsafeMutableRawPointer] {
        var out: [UnsafeMutableRawPointer] = []
        for (size, list) in blocks {
            // Each list is in release order, so the expired blocks are a prefix.
            let keepFrom = list.firstIndex { releases &- $0.releasedAt <= Self.maximumAgeReleases } ?? list.count
            guard keepFrom > 0 else { continue }
            for e in list[..<keepFrom] { out.append(e.pointer) }
            held -= size * keepFrom
            if keepFrom == list.count { blocks[size] = nil } else { blocks[size] = Array(list[keepFrom...]) }
        }
        expired += out.count
        return out
    }

    /// Frees every block the pool holds.
    public func trim() {
        pthread_mutex_lock(mutex)
        let all = blocks
        blocks = [:]
        held = 0
        pthread_mutex_unlock(mutex)
        for list in all.values { for e in list { free(e.pointer) } }
    }

    /// `count` rounded up to a multiple of `minimumBytes`, for buffers whose exact size varies from batch to
    /// batch (encoded pages), so that they still find a block of their size in the pool.
    static func roundedCapacity(_ count: Int) -> Int {
        count < minimumBytes ? max(count, 1) : (count + minimumBytes - 1) / minimumBytes * minimumBytes
    }
}
