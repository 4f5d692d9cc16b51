#if canImport(Glibc)
import Glibc
#endif
import CZstd

/// One reusable zstd compression context (ZSTD_compressCCtx) plus its output buffer.
///
/// Not thread-safe: each encoder thread owns one (a `BatchEncoder` holds one).
final class ZstdCompressor {
    private let context: OpaquePointer
    /// Output buffer, grown to `ZSTD_compressBound` of the largest input seen and then reused.
    private(set) var output: UnsafeMutableRawPointer
    private var outputCapacity: Int

    init() {
        guard let c = ZSTD_createCCtx() else { fatalError("ZSTD_createCCtx failed (out of memory)") }
        context = c
        outputCapacity = 1 << 16
        output = allocateBytes(outputCapacity)
    }

    deinit {
        ZSTD_freeCCtx(context)
        free(output)
    }

    /// Compresses `count` bytes at `source` at `level` into `output`; returns the compressed size, or nil if
    /// zstd reports an error.
    func compress(_ source: UnsafeRawPointer, count: Int, level: Int) -> Int? {
        let bound = ZSTD_compressBound(count)
        if bound > outputCapacity {
            free(output)
            outputCapacity = max(bound, outputCapacity * 2)
            output = allocateBytes(outputCapacity)
        }
        let n = ZSTD_compressCCtx(context, output, outputCapacity, source, count, Int32(level))
        if ZSTD_isError(n) != 0 { return nil }
        return n
    }
}

/// A pool of zstd decompression contexts, so concurrent page reads neither share nor re-create one.
final class ZstdDecompressorPool: @unchecked Sendable {
    private var free_: [OpaquePointer] = []
    private var lock = pthread_mutex_t()

    init() { pthread_mutex_init(&lock, nil) }

    deinit {
        for c in free_ { ZSTD_freeDCtx(c) }
        pthread_mutex_destroy(&lock)
    }

    /// Decompresses one frame of `count` bytes into exactly `destinationCount` bytes at `destination`.
    /// Returns false when the frame is invalid or does not decompress to exactly that size.
    func decompress(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutableRawPointer, destinationCount: Int) -> Bool {
        pthread_mutex_lock(&lock)
        let context = free_.popLast() ?? ZSTD_createDCtx()
        pthread_mutex_unlock(&lock)
        guard let context else { fatalError("ZSTD_createDCtx failed (out of memory)") }
        let n = ZSTD_decompressDCtx(context, destination, destinationCount, source, count)
        pthread_mutex_lock(&lock)
        free_.append(context)
        pthread_mutex_unlock(&lock)
        return ZSTD_isError(n) == 0 && n == destinationCount
    }

    /// Shared pool for all readers.
    static let shared = ZstdDecompressorPool()
}
