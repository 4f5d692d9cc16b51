#if canImport(Glibc)
import Glibc
#endif

/// Plain encoding: fixed-width values as stored in memory (little-endian), or for utf8 `rows + 1` u32
/// offsets (first 0, non-decreasing) followed by the concatenated bytes.
enum PlainEncoding {
    /// Appends all rows of `input`.
    /// - Throws: `EngineError.valueOutOfRange` when the utf8 offsets do not fit the page's u32 offsets (checked
    ///   once per page: column offsets never decrease, so the first and the last bound them all).
    static func encode(_ input: PageInput, into out: ScratchBuffer) throws {
        let n = input.rows
        if input.width > 0 {
            out.append(input.values, n &* input.width)
            return
        }
        let o = input.offsets!
        let base = Int(o[0])
        guard base >= 0 else {
            throw EngineError.valueOutOfRange(what: "first utf8 offset of a page", value: base, range: 0...Int(Int32.max))
        }
        _ = try ByteWriter.fit(Int(o[n]) &- base, as: UInt32.self, "utf8 bytes of a page")
        let dst = out.reserve((n &+ 1) &* 4).assumingMemoryBound(to: UInt32.self)
        if base == 0 {
            memcpy(dst, o, (n &+ 1) &* 4)
        } else {
            for i in 0...n { dst[i] = UInt32(truncatingIfNeeded: Int(o[i]) &- base) }
        }
        out.count &+= (n &+ 1) &* 4
        out.append(input.values + base, Int(o[n]) &- base)
    }

    /// Appends rows `rows[0 ..< count]` of `input`, in that order (dictionary entries, run values).
    /// - Throws: `EngineError.valueOutOfRange` when the rows' utf8 bytes exceed the u32 offsets (checked once, after
    ///   the loop; nothing is read back before the page is finished).
    static func encodeRows(_ input: PageInput, rows: UnsafePointer<UInt32>, count: Int, into out: ScratchBuffer) throws {
        let w = input.width
        if w > 0 {
            let dst = out.reserve(count &* w)
            switch w {
            case 8:
                let s = input.values.assumingMemoryBound(to: UInt64.self)
                let d = dst.assumingMemoryBound(to: UInt64.self)
                for i in 0..<count { d[i] = s[Int(rows[i])] }
            case 4:
                let s = input.values.assumingMemoryBound(to: UInt32.self)
                let d = dst.assumingMemoryBound(to: UInt32.self)
                for i in 0..<count { d[i] = s[Int(rows[i])] }
            default:
                for i in 0..<count { memcpy(dst + i &* w, input.values + Int(rows[i]) &* w, w) }
            }
            out.count &+= count &* w
            return
        }
        let o = input.offsets!
        let offsetsAt = out.count
        _ = out.reserve((count &+ 1) &* 4)
        out.count &+= (count &+ 1) &* 4
        var total = 0
        out.pointer.storeBytes(of: 0, toByteOffset: offsetsAt, as: UInt32.self)
        for i in 0..<count {
            let r = Int(rows[i])
            let s = Int(o[r])
            let len = Int(o[r &+ 1]) &- s
            out.append(input.values + s, len)
            total &+= len
            out.pointer.storeBytes(of: UInt32(truncatingIfNeeded: total), toByteOffset: offsetsAt &+ (i &+ 1) &* 4, as: UInt32.self)
        }
        _ = try ByteWriter.fit(total, as: UInt32.self, "utf8 bytes of a page's entries")
    }

    /// Decodes `rows` plain values of `type` from `reader` into new buffers.
    static func decode(_ type: ColumnType, rows: Int, from reader: inout ByteReader) throws -> (values: ByteBuffer, offsets: ByteBuffer?) {
        if let w = type.fixedWidthBytes {
            let b = try reader.take(rows * w, "plain values")
            return (ByteBuffer(copying: b), nil)
        }
        let offsetsAt = reader.errorOffset
        let raw = try reader.take((rows + 1) * 4, "utf8 offsets")
        let offsets = ByteBuffer(uninitializedCount: (rows + 1) * 4)
        memcpy(offsets.pointer, raw.baseAddress!, (rows + 1) * 4)
        let total = try validateOffsets(offsets.pointer.assumingMemoryBound(to: UInt32.self), rows: rows,
                                        available: reader.remaining, file: reader.file, at: offsetsAt)
        let bytes = try reader.take(total, "utf8 bytes")
        return (ByteBuffer(copying: bytes), offsets)
    }

    /// Checks utf8 offsets: first 0, non-decreasing, last <= min(available, Int32.max). Returns the last.
    static func validateOffsets(_ o: UnsafePointer<UInt32>, rows: Int, available: Int, file: String, at: Int) throws -> Int {
        guard UInt32(littleEndian: o[0]) == 0 else {
            throw EngineError.corrupt(file: file, offset: at, reason: "first utf8 offset is not 0")
        }
        var prev: UInt32 = 0
        var i = 1
        while i <= rows {
            let v = UInt32(littleEndian: o[i])
            if v < prev {
                throw EngineError.corrupt(file: file, offset: at, reason: "utf8 offset \(i) decreases")
            }
            prev = v
            i += 1
        }
        let total = Int(prev)
        guard total <= available, total <= Int(Int32.max) else {
            throw EngineError.corrupt(file: file, offset: at, reason: "utf8 bytes \(total) exceed the \(available) available")
        }
        return total
    }
}
