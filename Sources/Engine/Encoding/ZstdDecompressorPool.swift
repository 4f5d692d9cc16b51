#if canImport(Glibc)
import Glibc
#endif
import CZstd

/// A pool of zstd decompression contexts, so concurrent page reads neither share nor re-create one.
final class ZstdDecompressorPool: @unchecked Sendable {  // @unchecked: `free_` is guarded by `lock`.
    private var free_: [OpaquePointer] = []
    /// Heap-allocated so its address is stable (a class property's address is not guaranteed to be).
    private let lock: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_mutex_t())
        pthread_mutex_init(lock, nil)
    }

    deinit {
        for c in free_ { ZSTD_freeDCtx(c) }
        pthread_mutex_destroy(lock)
        lock.deallocate()
    }

    /// Decompresses one frame of `count` bytes into exactly `destinationCount` bytes at `destination`.
    /// Returns false when the frame is invalid or does not decompress to exactly that size.
    func decompress(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutableRawPointer, destinationCount: Int) -> Bool {
        pthread_mutex_lock(lock)
        let context = free_.popLast() ?? ZSTD_createDCtx()
        pthread_mutex_unlock(lock)
        guard let context else { fatalError("ZSTD_createDCtx failed (out of memory)") }
        let n = ZSTD_decompressDCtx(context, destination, destinationCount, source, count)
        pthread_mutex_lock(lock)
        free_.append(context)
        pthread_mutex_unlock(lock)
        return ZSTD_isError(n) == 0 && n == destinationCount
    }

    /// Shared pool for all readers.
    static let shared = ZstdDecompressorPool()
}
