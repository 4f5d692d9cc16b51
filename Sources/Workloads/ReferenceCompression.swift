import CZstd
import Foundation

/// The reference workload's compression part: every core compresses the same fixed 4 MiB of generated text with zstd
/// level 1, in 64 KiB pieces (the size of a page), four times over. The mixing loop of the CPU part stays in
/// registers, so it misses what slows the suites' workloads most on a shared machine: a neighbour competing for the
/// caches and memory bandwidth. Compression lives there, as the engine's encoding does (on this VM, zstd-1 writes of
/// suites/ci.toml spent 20-30% longer in `encode_compress_ms` at some times than at others, while the mixing loop
/// changed by 3%).
enum ReferenceCompression {
    static let inputBytes = 4 << 20
    static let pieceBytes = 64 << 10
    static let passes = 4
    static let level: Int32 = 1

    /// The fixed input, read by every thread and written by none.
    final class Input: @unchecked Sendable {
        let bytes: UnsafeRawBufferPointer
        init() { bytes = UnsafeRawBufferPointer(ReferenceCompression.makeInput()) }
        deinit { bytes.deallocate() }
    }

    /// The fixed input: words of a 512-word vocabulary (3-10 lowercase letters each, from a seeded generator), drawn
    /// by the same generator and separated by spaces, with a newline every 12 words. About 3:1 compressible with
    /// zstd level 1, like source text. The caller deallocates it.
    static func makeInput() -> UnsafeMutableRawBufferPointer {
        var state: UInt64 = 0x5EED_0F_0E7E_2E4C
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var vocabulary: [[UInt8]] = []
        vocabulary.reserveCapacity(512)
        for _ in 0..<512 {
            let length = 3 + Int(next() % 8)
            vocabulary.append((0..<length).map { _ in UInt8(ascii: "a") + UInt8(next() % 26) })
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: inputBytes, alignment: 64)
        var at = 0
        var words = 0
        while at < inputBytes {
            let word = vocabulary[Int(next() % 512)]
            for byte in word where at < inputBytes {
                buffer[at] = byte
                at += 1
            }
            words += 1
            if at < inputBytes {
                buffer[at] = words % 12 == 0 ? UInt8(ascii: "\n") : UInt8(ascii: " ")
                at += 1
            }
        }
        return buffer
    }

    /// Compresses `input` piece by piece, `passes` times, with one context of its own; returns the compressed bytes
    /// of one pass, or 0 if zstd reported an error.
    static func compress(_ input: UnsafeRawBufferPointer) -> Int {
        guard let context = ZSTD_createCCtx(), let base = input.baseAddress else { return 0 }
        defer { ZSTD_freeCCtx(context) }
        let capacity = ZSTD_compressBound(pieceBytes)
        let output = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        defer { output.deallocate() }
        var onePass = 0
        for pass in 0..<passes {
            var total = 0
            var offset = 0
            while offset < input.count {
                let count = min(pieceBytes, input.count - offset)
                let n = ZSTD_compressCCtx(context, output, capacity, base + offset, count, level)
                if ZSTD_isError(n) != 0 { return 0 }
                total += n
                offset += count
            }
            if pass == 0 { onePass = total } else if total != onePass { return 0 }
        }
        return onePass
    }
}
