#if canImport(Glibc)
import Glibc
#endif

/// One page's values as raw pointers (rows `0 ..< rows` of a column), the encoders' input.
struct PageInput {
    let type: ColumnType
    let rows: Int
    /// Fixed width in bytes, 0 for utf8.
    let width: Int
    let values: UnsafeRawPointer
    /// utf8 only: rows + 1 offsets.
    let offsets: UnsafePointer<Int32>?
    /// nil when every row is valid.
    let validity: UnsafePointer<UInt8>?
    let nullCount: Int

    init(_ c: ColumnData) {
        type = c.type
        rows = c.length
        width = c.type.fixedWidthBytes ?? 0
        values = UnsafeRawPointer(c.values.pointer)
        offsets = c.offsets.map { UnsafePointer($0.pointer.assumingMemoryBound(to: Int32.self)) }
        validity = c.validity.map { UnsafePointer($0.pointer.assumingMemoryBound(to: UInt8.self)) }
        nullCount = c.nullCount
    }

    @inline(__always) func isValid(_ row: Int) -> Bool {
        guard let validity else { return true }
        return validity[row >> 3] & (1 << UInt8(row & 7)) != 0
    }

    /// Start and length of row `row`'s bytes (utf8 or fixed).
    @inline(__always) func bytes(_ row: Int) -> (UnsafeRawPointer, Int) {
        if let offsets {
            let s = Int(offsets[row])
            return (values + s, Int(offsets[row &+ 1]) &- s)
        }
        return (values + row &* width, width)
    }

    /// Whether rows `a` and `b` hold the same bytes.
    @inline(__always) func equal(_ a: Int, _ b: Int) -> Bool {
        let (pa, la) = bytes(a)
        let (pb, lb) = bytes(b)
        if la != lb { return false }
        switch la {
        case 8: return pa.loadUnaligned(as: UInt64.self) == pb.loadUnaligned(as: UInt64.self)
        case 4: return pa.loadUnaligned(as: UInt32.self) == pb.loadUnaligned(as: UInt32.self)
        case 0: return true
        default: return memcmp(pa, pb, la) == 0
        }
    }
}
