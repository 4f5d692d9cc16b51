#if canImport(Glibc)
import Glibc
#endif

/// Dictionary encoding: the distinct slot values in first-occurrence order, then one index per row.
///
/// Body section: u32 entry count `k`, u8 index width (1, 2 or 4 bytes), 3 zero bytes, the `k` entries
/// plain-encoded, then `rows` little-endian indices of that width, each `< k`.
///
/// Building the dictionary uses an open-addressing (linear probing) hash table over the slots' XXH3-64
/// hashes (computed once by the statistics pass), held in scratch buffers reused across pages: no
/// allocation and no String per value. Not thread-safe: one per encoder.
final class DictionaryEncoding {
    /// Slot -> entry + 1 (0 = empty).
    private let table = ScratchArray<UInt32>(capacity: 1 << 10)
    /// Entry -> first row holding it.
    private let entryRows = ScratchArray<UInt32>(capacity: 1 << 10)
    /// Row -> entry.
    private let indices = ScratchArray<UInt32>(capacity: 1 << 14)

    /// Appends the dictionary-encoded section for all rows of `input`. `hashes[i]` is the hash of row `i`'s
    /// bytes; `expectedDistinct` sizes the table (it grows if exceeded).
    func encode(_ input: PageInput, hashes: UnsafePointer<UInt64>, expectedDistinct: Int, into out: ScratchBuffer) throws {
        let n = input.rows
        var capacity = 16
        while capacity < expectedDistinct * 2 + 16 { capacity <<= 1 }
        var mask = capacity - 1
        var slots = table.ensure(capacity)
        memset(slots, 0, capacity * 4)
        var entries = entryRows.ensure(max(n, 1))
        let rowIndex = indices.ensure(max(n, 1))
        var count = 0
        for i in 0..<n {
            let h = hashes[i]
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let e = Int(slots[slot])
                if e == 0 {
                    entries[count] = UInt32(truncatingIfNeeded: i)
                    slots[slot] = UInt32(truncatingIfNeeded: count &+ 1)
                    rowIndex[i] = UInt32(truncatingIfNeeded: count)
                    count &+= 1
                    if count &* 2 > capacity {
                        // Grow and rehash from the entries' first rows.
                        capacity <<= 1
                        mask = capacity - 1
                        slots = table.ensure(capacity)
                        memset(slots, 0, capacity * 4)
                        entries = entryRows.pointer
                        for entry in 0..<count {
                            var s = Int(truncatingIfNeeded: hashes[Int(entries[entry])]) & mask
                            while slots[s] != 0 { s = (s &+ 1) & mask }
                            slots[s] = UInt32(truncatingIfNeeded: entry &+ 1)
                        }
                    }
                    break
                }
                let r = Int(entries[e &- 1])
                if hashes[r] == h && input.equal(r, i) {
                    rowIndex[i] = UInt32(truncatingIfNeeded: e &- 1)
                    break
                }
                slot = (slot &+ 1) & mask
            }
        }
        let indexWidth = count <= 256 ? 1 : (count <= 65_536 ? 2 : 4)
        out.appendUInt32(UInt32(truncatingIfNeeded: count))  // count <= rows, which the page header checks
        let head = out.reserve(4)
        head.storeBytes(of: UInt8(indexWidth), as: UInt8.self)
        memset(head + 1, 0, 3)
        out.count &+= 4
        try PlainEncoding.encodeRows(input, rows: entryRows.pointer, count: count, into: out)
        let dst = out.reserve(n &* indexWidth)
        switch indexWidth {
        case 1:
            let d = dst.assumingMemoryBound(to: UInt8.self)
            for i in 0..<n { d[i] = UInt8(truncatingIfNeeded: rowIndex[i]) }
        case 2:
            let d = dst.assumingMemoryBound(to: UInt16.self)
            for i in 0..<n { d[i] = UInt16(truncatingIfNeeded: rowIndex[i]) }
        default:
            memcpy(dst, rowIndex, n &* 4)
        }
        out.count &+= n &* indexWidth
    }

    /// Decodes a dictionary section of `rows` rows into new plain buffers, checking every index. `checkEntries`,
    /// when given, sees the dictionary (every value the rows can take) before the rows are gathered.
    static func decode(_ type: ColumnType, rows: Int, from reader: inout ByteReader,
                       checkEntries: ((ColumnData) throws -> Void)? = nil) throws -> (values: ByteBuffer, offsets: ByteBuffer?) {
        let k = try reader.count32("dictionary size", limit: rows)
        guard (k == 0) == (rows == 0) else { throw reader.corrupt("dictionary of \(k) entries for \(rows) rows") }
        let widthAt = reader.errorOffset
        let indexWidth = Int(try reader.u8("dictionary index width"))
        guard indexWidth == 1 || indexWidth == 2 || indexWidth == 4 else {
            throw EngineError.corrupt(file: reader.file, offset: widthAt, reason: "dictionary index width \(indexWidth)")
        }
        try reader.zeros(3, "dictionary reserved bytes")
        let dictionary = try PlainEncoding.decode(type, rows: k, from: &reader)
        let indexAt = reader.errorOffset
        let raw = try reader.take(rows * indexWidth, "dictionary indices")
        // Indices into a u32 scratch, each checked against k.
        let idx = UnsafeMutablePointer<UInt32>.allocate(capacity: max(rows, 1))
        defer { idx.deallocate() }
        var bad = -1
        switch indexWidth {
        case 1:
            for i in 0..<rows { let v = UInt32(raw.load(fromByteOffset: i, as: UInt8.self)); idx[i] = v; if Int(v) >= k { bad = i } }
        case 2:
            for i in 0..<rows { let v = UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))); idx[i] = v; if Int(v) >= k { bad = i } }
        default:
            for i in 0..<rows { let v = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)); idx[i] = v; if Int(v) >= k { bad = i } }
        }
        if bad >= 0 {
            throw EngineError.corrupt(file: reader.file, offset: reader.positionsAreFileOffsets ? indexAt + bad * indexWidth : indexAt,
                                      reason: "dictionary index out of range (\(k) entries)")
        }
        try checkEntries?(ColumnData(type: type, length: k, values: dictionary.values, offsets: dictionary.offsets, validity: nil, nullCount: 0))
        return try gather(type, dictionary: dictionary, indices: idx, rows: rows, reader: reader)
    }

    /// Materialises `rows` values `dictionary[indices[i]]` (indices already checked).
    static func gather(_ type: ColumnType, dictionary: (values: ByteBuffer, offsets: ByteBuffer?),
                       indices idx: UnsafePointer<UInt32>, rows: Int, reader: ByteReader) throws -> (values: ByteBuffer, offsets: ByteBuffer?) {
        if let w = type.fixedWidthBytes {
            let values = ByteBuffer(uninitializedCount: rows * w)
            let src = dictionary.values.pointer
            switch w {
            case 8:
                let s = src.assumingMemoryBound(to: UInt64.self), d = values.pointer.assumingMemoryBound(to: UInt64.self)
                for i in 0..<rows { d[i] = s[Int(idx[i])] }
            case 4:
                let s = src.assumingMemoryBound(to: UInt32.self), d = values.pointer.assumingMemoryBound(to: UInt32.self)
                for i in 0..<rows { d[i] = s[Int(idx[i])] }
            default:
                for i in 0..<rows { memcpy(values.pointer + i * w, src + Int(idx[i]) * w, w) }
            }
            return (values, nil)
        }
        let dOff = dictionary.offsets!.pointer.assumingMemoryBound(to: UInt32.self)
        var total = 0
        for i in 0..<rows { let e = Int(idx[i]); total += Int(dOff[e + 1] - dOff[e]) }
        guard total <= FormatConstants.maximumDecodedPageBytes else {
            throw reader.corrupt("decoded utf8 page of \(total) bytes exceeds the format's \(FormatConstants.maximumDecodedPageBytes)")
        }
        let values = ByteBuffer(uninitializedCount: total)
        let offsets = ByteBuffer(uninitializedCount: (rows + 1) * 4)
        let o = offsets.pointer.assumingMemoryBound(to: UInt32.self)
        o[0] = 0
        var at = 0
        for i in 0..<rows {
            let e = Int(idx[i])
            let s = Int(dOff[e]), len = Int(dOff[e + 1]) - s
            if len > 0 { memcpy(values.pointer + at, dictionary.values.pointer + s, len) }
            at += len
            o[i + 1] = UInt32(truncatingIfNeeded: at)  // at <= total <= Int32.max
        }
        return (values, offsets)
    }
}
