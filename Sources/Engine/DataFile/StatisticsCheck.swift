#if canImport(Glibc)
import Glibc
#endif

/// Checks that a page's footer statistics can be trusted: `validate` when the footer is parsed (the kinds of
/// `min`/`max` fit the column type, `min <= max`, counts fit the rows), `verify` when the page is decoded (its
/// null count is the footer's, every valid value lies in `min ... max`). A filter skips pages by these
/// statistics, so a page whose values escape them would silently drop rows from filtered scans while full scans
/// return them: that is corruption, reported as `EngineError.corrupt` naming the file and the page's offset.
///
/// `verify` reads every value once, allocating nothing per value (the string bounds are copied once per page).
enum StatisticsCheck {
    /// Checks `statistics` of a page of `rows` rows of `type`; `offset` is the page entry's footer offset.
    static func validate(_ s: PageStatistics, type: ColumnType, rows: Int, file: String, offset: Int) throws {
        func fail(_ reason: String) -> EngineError { .corrupt(file: file, offset: offset, reason: "page statistics: \(reason)") }
        let valid = rows - s.nullCount
        switch (s.min, s.max) {
        case (.null, .null):
            // No comparable value: vectors, no valid row, or (float64) only NaNs.
            if valid > 0 && (type == .int32 || type == .int64 || type == .utf8) {
                throw fail("no min/max for \(valid) valid \(type) rows")
            }
        case let (.int(lo), .int(hi)):
            guard type == .int32 || type == .int64 else { throw fail("integer min/max for a \(type) column") }
            guard lo <= hi, valid > 0 else { throw fail("integer range \(lo)...\(hi) for \(valid) valid rows") }
            if type == .int32 && (lo < Int64(Int32.min) || hi > Int64(Int32.max)) { throw fail("int32 range \(lo)...\(hi)") }
        case let (.double(lo), .double(hi)):
            guard type == .float64 else { throw fail("float min/max for a \(type) column") }
            guard !lo.isNaN, !hi.isNaN, lo <= hi, valid > 0 else { throw fail("float range \(lo)...\(hi) for \(valid) valid rows") }
        case let (.string(lo), .string(hi)):
            guard type == .utf8 else { throw fail("string min/max for a \(type) column") }
            guard compareBytes(lo, hi) <= 0, valid > 0 else { throw fail("string min above max for \(valid) valid rows") }
        default:
            throw fail("min \(s.min) and max \(s.max) are of different kinds")
        }
    }

    /// Checks decoded `column` against the statistics `validate` accepted; `offset` is the page's file offset.
    static func verify(_ column: ColumnData, against s: PageStatistics, file: String, offset: Int) throws {
        try verifyNulls(column, against: s, file: file, offset: offset)
        try verifyValues(column, against: s, file: file, offset: offset)
    }

    /// The page's null count is the statistics'.
    static func verifyNulls(_ column: ColumnData, against s: PageStatistics, file: String, offset: Int) throws {
        guard column.nullCount == s.nullCount else {
            throw EngineError.corrupt(file: file, offset: offset,
                                      reason: "page has \(column.nullCount) nulls, its statistics say \(s.nullCount)")
        }
    }

    /// Every valid value of `column` lies in the statistics' `min ... max`.
    static func verifyValues(_ column: ColumnData, against s: PageStatistics, file: String, offset: Int) throws {
        let outside: Int?
        switch (s.min, s.max) {
        case let (.int(lo), .int(hi)):
            outside = column.type == .int32
                ? firstOutside(column, Int32.self, lo: Int32(truncatingIfNeeded: lo), hi: Int32(truncatingIfNeeded: hi))
                : firstOutside(column, Int64.self, lo: lo, hi: hi)
        case let (.double(lo), .double(hi)):
            outside = firstOutsideFloat(column, lo: lo, hi: hi)
        case let (.string(lo), .string(hi)):
            outside = firstOutsideString(column, lo: Array(lo.utf8), hi: Array(hi.utf8))
        default:
            outside = column.type == .float64 ? firstOutsideFloat(column, lo: .nan, hi: .nan) : nil
        }
        if let row = outside {
            throw EngineError.corrupt(file: file, offset: offset,
                                      reason: "row \(row) of the page lies outside its statistics \(s.min)...\(s.max)")
        }
    }

    private static func firstOutside<T: FixedWidthInteger>(_ c: ColumnData, _: T.Type, lo: T, hi: T) -> Int? {
        let p = c.values.pointer.assumingMemoryBound(to: T.self)
        for i in 0..<c.length where (p[i] < lo || p[i] > hi) && c.isValid(i) { return i }
        return nil
    }

    /// With `lo`/`hi` NaN (no statistics), every valid value must be NaN.
    private static func firstOutsideFloat(_ c: ColumnData, lo: Double, hi: Double) -> Int? {
        let p = c.values.pointer.assumingMemoryBound(to: Double.self)
        let none = lo.isNaN
        for i in 0..<c.length {
            let v = p[i]
            if v.isNaN { continue }
            if (none || v < lo || v > hi) && c.isValid(i) { return i }
        }
        return nil
    }

    /// Every value between `lo` and `hi` starts with their common prefix `P` (`k` bytes); past it, 8-byte
    /// order-preserving keys (`StatisticsCollector.prefixKey`) decide most rows: a value that starts with `P` and
    /// whose next 8 bytes key strictly between the bounds' lies inside. Only the others are compared byte by byte.
    private static func firstOutsideString(_ c: ColumnData, lo: [UInt8], hi: [UInt8]) -> Int? {
        guard c.length > 0, let offsets = c.offsets else { return nil }
        let o = offsets.pointer.assumingMemoryBound(to: Int32.self)
        let base = UnsafeRawPointer(c.values.pointer)
        var k = 0
        while k < lo.count && k < hi.count && lo[k] == hi[k] { k += 1 }
        return lo.withUnsafeBytes { l in
            hi.withUnsafeBytes { h in
                let loKey = key(l, from: k), hiKey = key(h, from: k)
                let head = key(l, from: 0)
                let headMask: UInt64 = k >= 8 ? ~0 : (k == 0 ? 0 : ~0 << UInt64(64 - 8 * k))
                for i in 0..<c.length {
                    let start = Int(o[i]), length = Int(o[i &+ 1]) &- start
                    let p = base + start
                    if length >= k {
                        let samePrefix = k <= 8 ? StatisticsCollector.prefixKey(p, Swift.min(length, 8)) & headMask == head & headMask
                                                : memcmp(p, l.baseAddress!, k) == 0
                        if samePrefix {
                            let rest = StatisticsCollector.prefixKey(p + k, length &- k)
                            if rest > loKey && rest < hiKey { continue }
                        }
                    }
                    let v = UnsafeRawBufferPointer(start: p, count: length)
                    if (compare(v, l) < 0 || compare(v, h) > 0) && c.isValid(i) { return i }
                }
                return nil
            }
        }
    }

    /// The order-preserving key of `bytes[from...]` (0 when empty).
    private static func key(_ bytes: UnsafeRawBufferPointer, from: Int) -> UInt64 {
        bytes.count > from ? StatisticsCollector.prefixKey(bytes.baseAddress! + from, bytes.count - from) : 0
    }

    /// Byte-wise order (the order `StatisticsCollector` uses).
    private static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        if n > 0 {
            let r = memcmp(a.baseAddress!, b.baseAddress!, n)
            if r != 0 { return Int(r) }
        }
        return a.count - b.count
    }

    private static func compareBytes(_ a: String, _ b: String) -> Int {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in compare(UnsafeRawBufferPointer(x), UnsafeRawBufferPointer(y)) } }
    }
}
