import CXXHash

/// XXH3-64 checksums and value hashes (xxhash's XXH3_64bits, inlined from the header).
public enum Checksum {
    /// XXH3-64 of `bytes` (seed 0).
    public static func xxh3(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        xxh3Hash(bytes.baseAddress, bytes.count)
    }

    /// XXH3-64 of `bytes` with `seed`.
    public static func xxh3(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        xxh3Hash(bytes.baseAddress, bytes.count, seed: seed)
    }

    /// XXH3-64 of an array's bytes (seed 0).
    public static func xxh3(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { xxh3($0) }
    }
}

/// XXH3-64 of `count` bytes at `pointer` (the header's inlined XXH3_64bits; XXH_INLINE_ALL renames it).
@inline(__always)
func xxh3Hash(_ pointer: UnsafeRawPointer?, _ count: Int) -> UInt64 {
    XXH_INLINE_XXH3_64bits(pointer, count)
}

/// XXH3-64 of `count` bytes at `pointer` with `seed`.
@inline(__always)
func xxh3Hash(_ pointer: UnsafeRawPointer?, _ count: Int, seed: UInt64) -> UInt64 {
    XXH_INLINE_XXH3_64bits_withSeed(pointer, count, seed)
}
