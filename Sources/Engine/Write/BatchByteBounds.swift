/// Byte sizes of row ranges of one batch, for the write pipeline's byte budget (`ByteBudget`).
///
/// - `rawBytes`: what a zero-copy slice of the rows shows: fixed-width values, UTF-8 bytes plus the slice's
///   rebased offsets (4 bytes per row + 4), validity bits.
/// - `encodedBound`: an upper bound of the `EncodedBatch` the rows encode to, whatever encoding is chosen:
///   per column a page header, the plain body (values or offsets + bytes), 8 section bytes and 4 bytes per row
///   (dictionary indices or run lengths are at most that), the validity bits. Compression only replaces a body
///   when it is smaller. The bound of what the pages add to a data file.
/// - `reservation`: raw bytes plus the encoded bound rounded as `BufferPool` rounds the encoded storage's
///   capacity (to 64 KiB), the memory the piece can hold at its largest.
///
/// Each figure costs O(columns) (UTF-8 byte counts come from the offsets), so `pieceEnd` can binary-search.
struct BatchByteBounds {
    let batch: RecordBatch

    /// Raw bytes of rows `start ..< end`, as held by a slice of them.
    func rawBytes(_ start: Int, _ end: Int) -> Int {
        let n = end - start
        var total = 0
        for column in batch.columns {
            if let width = column.type.fixedWidthBytes {
                total += width * n
            } else {
                total += utf8Bytes(column, start, end) + 4 * (n + 1)
            }
            if column.validity != nil { total += (n + 7) / 8 }
        }
        return total
    }

    /// Upper bound of the encoded bytes (pages with headers) of rows `start ..< end`.
    func encodedBound(_ start: Int, _ end: Int) -> Int {
        let n = end - start
        var total = 0
        for column in batch.columns {
            let plain: Int
            if let width = column.type.fixedWidthBytes {
                plain = width * n
            } else {
                plain = utf8Bytes(column, start, end) + 4 * (n + 1)
            }
            total += PageHeader.size + plain + 8 + 4 * n + (n + 7) / 8
        }
        return total
    }

    /// What the pipeline reserves for rows `start ..< end`: the raw slice until it is encoded, and room for
    /// its encoded form (settled to the actual size by the encoder).
    func reservation(_ start: Int, _ end: Int) -> Int {
        rawBytes(start, end) + BufferPool.roundedCapacity(encodedBound(start, end))
    }

    /// The largest `end` in `start + 1 ... limit` whose rows `start ..< end` reserve at most `maxReservation`
    /// bytes and encode to at most `maxEncoded` bytes (at least one row, whatever its size).
    func pieceEnd(from start: Int, limit: Int, maxReservation: Int, maxEncoded: Int) -> Int {
        func fits(_ end: Int) -> Bool {
            reservation(start, end) <= maxReservation && encodedBound(start, end) <= maxEncoded
        }
        if fits(limit) { return limit }
        var low = start + 1  // always taken
        var high = limit     // known not to fit
        while high - low > 1 {
            let mid = low + (high - low) / 2
            if fits(mid) { low = mid } else { high = mid }
        }
        return low
    }

    private func utf8Bytes(_ column: ColumnData, _ start: Int, _ end: Int) -> Int {
        guard let offsets = column.offsets, end > start else { return 0 }
        let o = offsets.pointer.assumingMemoryBound(to: Int32.self)
        return Int(o[end]) - Int(o[start])
    }
}
