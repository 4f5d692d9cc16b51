#if canImport(Glibc)
import Glibc
#endif

// MARK: Bitmap helpers

/// A validity buffer from a Bool per row.
func makeValidityBuffer(_ flags: [Bool]) -> ByteBuffer {
    let bytes = (flags.count + 7) / 8
    let v = ByteBuffer(uninitializedCount: bytes)
    memset(v.pointer, 0, bytes)
    let bits = v.pointer.assumingMemoryBound(to: UInt8.self)
    for (i, f) in flags.enumerated() where f { bits[i >> 3] |= 1 << UInt8(i & 7) }
    return v
}

/// Bits `from ..< from + count` of `source` as a new bitmap starting at bit 0 (trailing bits zero).
func copyBits(_ source: UnsafeMutableRawPointer, from: Int, count: Int) -> ByteBuffer {
    let bytes = (count + 7) / 8
    let v = ByteBuffer(uninitializedCount: bytes)
    memset(v.pointer, 0, bytes)
    let s = source.assumingMemoryBound(to: UInt8.self)
    let d = v.pointer.assumingMemoryBound(to: UInt8.self)
    if from & 7 == 0 {
        if bytes > 0 { memcpy(d, s + (from >> 3), bytes) }
        if count & 7 != 0 { d[bytes - 1] &= UInt8((1 << (count & 7)) - 1) }
        return v
    }
    for i in 0..<count {
        let b = from + i
        if s[b >> 3] & (1 << UInt8(b & 7)) != 0 { d[i >> 3] |= 1 << UInt8(i & 7) }
    }
    return v
}

/// Number of 1 bits among the first `bitCount` bits of `bits`.
func countSetBits(_ bits: UnsafeRawPointer, bitCount: Int) -> Int {
    let p = bits.assumingMemoryBound(to: UInt8.self)
    var total = 0
    let whole = bitCount >> 3
    var i = 0
    while i + 8 <= whole {
        total += UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self).nonzeroBitCount
        i += 8
    }
    while i < whole { total += p[i].nonzeroBitCount; i += 1 }
    let rest = bitCount & 7
    if rest != 0 { total += (p[whole] & UInt8((1 << rest) - 1)).nonzeroBitCount }
    return total
}
