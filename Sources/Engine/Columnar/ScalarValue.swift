#if canImport(Glibc)
import Glibc
#endif

/// One value outside a column: statistics (min/max), filter literals and typed reads.
///
/// `.int` holds int32 and int64 values, `.double` float64 values, `.string` UTF-8 values.
public enum ScalarValue: Hashable, Sendable, CustomStringConvertible {
    case int(Int64)
    case double(Double)
    case string(String)
    case null

    /// Orders two scalars: negative if `a < b`, 0 if equal, positive if `a > b`; nil when they cannot be
    /// compared (either is null, a string against a number, or a NaN). Ints and doubles compare numerically.
    public static func compare(_ a: ScalarValue, _ b: ScalarValue) -> Int? {
        switch (a, b) {
        case let (.int(x), .int(y)):
            return x < y ? -1 : (x == y ? 0 : 1)
        case let (.double(x), .double(y)):
            return compareDoubles(x, y)
        case let (.int(x), .double(y)):
            return compareIntDouble(x, y)
        case let (.double(x), .int(y)):
            return compareIntDouble(y, x).map { -$0 }
        case let (.string(x), .string(y)):
            // Byte-wise UTF-8 order (the order statistics are computed in).
            return compareUTF8(x, y)
        default:
            return nil
        }
    }

    private static func compareDoubles(_ x: Double, _ y: Double) -> Int? {
        if x.isNaN || y.isNaN { return nil }
        return x < y ? -1 : (x == y ? 0 : 1)
    }

    private static func compareIntDouble(_ x: Int64, _ y: Double) -> Int? {
        if y.isNaN { return nil }
        // Outside [-2^63, 2^63) the double is beyond every Int64; inside, truncation is exact.
        if y >= 0x1p63 { return -1 }
        if y < -0x1p63 { return 1 }
        let truncated = y.rounded(.down)
        let t = Int64(truncated)
        if x < t { return -1 }
        if x > t { return 1 }
        return truncated == y ? 0 : -1
    }

    static func compareUTF8(_ x: String, _ y: String) -> Int {
        var a = x
        var b = y
        return a.withUTF8 { pa in
            b.withUTF8 { pb in
                compareBytes(UnsafeRawBufferPointer(pa), UnsafeRawBufferPointer(pb))
            }
        }
    }

    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .double(let v): return String(v)
        case .string(let s): return "\"\(s)\""
        case .null: return "null"
        }
    }
}

/// Lexicographic byte comparison (memcmp, then length): negative, 0 or positive.
@inline(__always)
func compareBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
    let n = min(a.count, b.count)
    if n > 0 {
        let c = memcmp(a.baseAddress!, b.baseAddress!, n)
        if c != 0 { return c < 0 ? -1 : 1 }
    }
    return a.count < b.count ? -1 : (a.count == b.count ? 0 : 1)
}
