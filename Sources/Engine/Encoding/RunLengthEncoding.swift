#if canImport(Glibc)
import Glibc
#endif

/// Run-length encoding: maximal runs of equal consecutive slots.
///
/// Body section: u32 run count `k`, 4 zero bytes, the `k` run values plain-encoded, then `k` u32 run
/// lengths (each >= 1, summing to the page's rows). Not thread-safe: one per encoder.
final class RunLengthEncoding {
    private let starts = ScratchArray<UInt32>(capacity: 1 << 12)
    private let lengths = ScratchArray<UInt32>(capacity: 1 << 12)

    /// Appends the run-length section for all rows of `input` (`hashes[i]` = hash of row `i`'s bytes).
    func encode(_ input: PageInput, hashes: UnsafePointer<UInt64>, into out: ScratchBuffer) throws {
        let n = input.rows
        let s = starts.ensure(max(n, 1))
        let l = lengths.ensure(max(n, 1))
        var k = 0
        if n > 0 {
            s[0] = 0
            k = 1
            for i in 1..<max(n, 1) where hashes[i] != hashes[i &- 1] || !input.equal(i &- 1, i) {
                l[k &- 1] = UInt32(truncatingIfNeeded: i) &- s[k &- 1]
                s[k] = UInt32(truncatingIfNeeded: i)
                k &+= 1
            }
            l[k &- 1] = UInt32(truncatingIfNeeded: n) &- s[k &- 1]
        }
        out.appendUInt32(UInt32(truncatingIfNeeded: k))  // k <= rows, which the page header checks
        out.appendZeros(4)
        try PlainEncoding.encodeRows(input, rows: s, count: k, into: out)
        out.append(l, k &* 4)
    }

    /// Decodes a run-length section of `rows` rows into new plain buffers, checking the run lengths.
    /// `checkEntries`, when given, sees the run values (every value the rows take) before the rows are gathered.
    static func decode(_ type: ColumnType, rows: Int, from reader: inout ByteReader,
                       checkEntries: ((ColumnData) throws -> Void)? = nil) throws -> (values: ByteBuffer, offsets: ByteBuffer?) {
        let k = try reader.count32("run count", limit: rows)
        guard (k == 0) == (rows == 0) else { throw reader.corrupt("\(k) runs for \(rows) rows") }
        try reader.zeros(4, "run-length reserved bytes")
        let runValues = try PlainEncoding.decode(type, rows: k, from: &reader)
        let lengthsAt = reader.errorOffset
        let raw = try reader.take(k * 4, "run lengths")
        let idx = UnsafeMutablePointer<UInt32>.allocate(capacity: max(rows, 1))
        defer { idx.deallocate() }
        var row = 0
        for run in 0..<k {
            let len = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: run * 4, as: UInt32.self)))
            guard len >= 1, len <= rows - row else {
                throw EngineError.corrupt(file: reader.file, offset: reader.positionsAreFileOffsets ? lengthsAt + run * 4 : lengthsAt,
                                          reason: "run length \(len) invalid at row \(row) of \(rows)")
            }
            for i in row..<(row + len) { idx[i] = UInt32(truncatingIfNeeded: run) }  // run < k, a u32
            row += len
        }
        guard row == rows else {
            throw EngineError.corrupt(file: reader.file, offset: lengthsAt, reason: "runs cover \(row) of \(rows) rows")
        }
        try checkEntries?(ColumnData(type: type, length: k, values: runValues.values, offsets: runValues.offsets, validity: nil, nullCount: 0))
        return try DictionaryEncoding.gather(type, dictionary: runValues, indices: idx, rows: rows, reader: reader)
    }
}
