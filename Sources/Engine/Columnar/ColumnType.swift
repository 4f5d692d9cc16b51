/// The logical type of one column.
///
/// Fixed-width types store `fixedWidthBytes` bytes per row, little-endian; `.utf8` stores int32 offsets
/// (row count + 1 of them) plus the concatenated UTF-8 bytes.
public enum ColumnType: Hashable, Sendable, CustomStringConvertible {
    case int32
    case int64
    case float64
    case utf8
    /// A fixed-size vector of `dimension` Float32 values per row (`dimension * 4` bytes per row).
    case float32Vector(dimension: Int)

    /// Bytes per row for fixed-width types, nil for `.utf8`.
    @inlinable
    public var fixedWidthBytes: Int? {
        switch self {
        case .int32: return 4
        case .int64: return 8
        case .float64: return 8
        case .utf8: return nil
        case .float32Vector(let dimension): return dimension * 4
        }
    }

    /// True for `.utf8` (variable-width, offsets + bytes).
    @inlinable
    public var isUTF8: Bool {
        if case .utf8 = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .int32: return "int32"
        case .int64: return "int64"
        case .float64: return "float64"
        case .utf8: return "utf8"
        case .float32Vector(let dimension): return "float32[\(dimension)]"
        }
    }

    /// Type tag used in data-file footers (docs/FORMAT.md).
    var tag: UInt8 {
        switch self {
        case .int32: return 1
        case .int64: return 2
        case .float64: return 3
        case .utf8: return 4
        case .float32Vector: return 5
        }
    }

    /// Inverse of `tag`; nil for an unknown tag or a non-positive vector dimension.
    static func fromTag(_ tag: UInt8, dimension: UInt32) -> ColumnType? {
        switch tag {
        case 1: return .int32
        case 2: return .int64
        case 3: return .float64
        case 4: return .utf8
        case 5:
            guard dimension > 0, dimension <= 1 << 20 else { return nil }
            return .float32Vector(dimension: Int(dimension))
        default: return nil
        }
    }
}
