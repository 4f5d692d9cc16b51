#if canImport(Glibc)
import Glibc
#endif
import CZstd

/// One reusable zstd compression context (ZSTD_compressCCtx): its tables are allocated once and reused for
/// every page. Not thread-safe: each encoder thread owns one (a `BatchEncoder` holds one).
final class ZstdCompressor {
    private let context: OpaquePointer

    init() {
        guard let c = ZSTD_createCCtx() else { fatalError("ZSTD_createCCtx failed (out of memory)") }
        context = c
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Worst-case compressed size of `count` bytes.
    static func bound(_ count: Int) -> Int { ZSTD_compressBound(count) }

    /// Compresses `count` bytes at `source` at `level` into `capacity` bytes at `destination`; returns the
    /// compressed size, or nil if zstd reports an error (e.g. the destination is too small).
    func compress(_ source: UnsafeRawPointer, count: Int, level: Int, into destination: UnsafeMutableRawPointer, capacity: Int) -> Int? {
        let n = ZSTD_compressCCtx(context, destination, capacity, source, count, Int32(level))
        if ZSTD_isError(n) != 0 { return nil }
        return n
    }
}
