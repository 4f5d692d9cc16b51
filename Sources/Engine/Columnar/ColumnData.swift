#if canImport(Glibc)
import Glibc
#endif

/// The values of one column of a batch (or of one decoded page), in contiguous buffers.
///
/// Layout (the same one the plain page encoding stores, see docs/FORMAT.md):
/// - fixed-width types: `values` holds `length * type.fixedWidthBytes!` bytes, little-endian, row after row;
/// - `.utf8`: `offsets` holds `length + 1` Int32 byte offsets into `values` (non-decreasing, first 0), row `i`
///   is `values[offsets[i] ..< offsets[i+1]]`;
/// - `validity`: nil when every row is valid, else `(length + 7) / 8` bytes, bit `i % 8` of byte `i / 8`
///   (least significant bit first) is 1 when row `i` is valid. A null row's slot still exists (fixed width:
///   zero bytes from the builder; utf8: an empty string).
///
/// A value type: copying it copies three references. The buffers are immutable, so it is `Sendable`.
public struct ColumnData: Sendable {
    /// The column's type.
    public let type: ColumnType
    /// Rows.
    public let length: Int
    /// Fixed-width values, or the UTF-8 bytes of a utf8 column.
    public let values: ByteBuffer
    /// utf8 only: `length + 1` Int32 offsets into `values`.
    public let offsets: ByteBuffer?
    /// nil when no row is null; else one bit per row, 1 = valid.
    public let validity: ByteBuffer?
    /// Rows whose validity bit is 0.
    public let nullCount: Int

    /// Wraps buffers that already follow the layout above (the caller guarantees it).
    init(type: ColumnType, length: Int, values: ByteBuffer, offsets: ByteBuffer?, validity: ByteBuffer?, nullCount: Int) {
        self.type = type
        self.length = length
        self.values = values
        self.offsets = offsets
        self.validity = nullCount == 0 ? nil : validity
        self.nullCount = nullCount
    }

    /// Wraps buffers, counting nulls in `validity`.
    init(type: ColumnType, length: Int, values: ByteBuffer, offsets: ByteBuffer?, validity: ByteBuffer?) {
        var nulls = 0
        if let validity {
            nulls = length - countSetBits(validity.pointer, bitCount: length)
        }
        self.init(type: type, length: length, values: values, offsets: offsets, validity: validity, nullCount: nulls)
    }

    // MARK: Construction from arrays (tests, small literals)

    /// An int32 column; `validity[i] == false` makes row `i` null.
    public init(int32s: [Int32], validity: [Bool]? = nil) {
        self.init(fixed: .int32, array: int32s, validity: validity)
    }

    /// An int64 column; `validity[i] == false` makes row `i` null.
    public init(int64s: [Int64], validity: [Bool]? = nil) {
        self.init(fixed: .int64, array: int64s, validity: validity)
    }

    /// A float64 column; `validity[i] == false` makes row `i` null.
    public init(float64s: [Double], validity: [Bool]? = nil) {
        self.init(fixed: .float64, array: float64s, validity: validity)
    }

    /// A float32 vector column of the given dimension; `flatValues.count` must be a multiple of `dimension`.
    public init(float32Vectors flatValues: [Float], dimension: Int, validity: [Bool]? = nil) {
        precondition(dimension > 0 && flatValues.count % dimension == 0, "flat vector values not a multiple of the dimension")
        self.init(fixed: .float32Vector(dimension: dimension), array: flatValues, validity: validity,
                  rows: flatValues.count / dimension)
    }

    /// A utf8 column; `validity[i] == false` makes row `i` null (its string is ignored and stored empty).
    public init(strings: [String], validity: [Bool]? = nil) {
        precondition(validity == nil || validity!.count == strings.count, "validity count differs from row count")
        var total = 0
        for (i, s) in strings.enumerated() where validity?[i] ?? true { total += s.utf8.count }
        precondition(total <= Int(Int32.max), "utf8 column larger than 2 GiB")
        let values = ByteBuffer(uninitializedCount: total)
        let offsets = ByteBuffer(uninitializedCount: (strings.count + 1) * 4)
        let o = offsets.pointer.assumingMemoryBound(to: Int32.self)
        var at = 0
        o[0] = 0
        for (i, s) in strings.enumerated() {
            if validity?[i] ?? true {
                var copy = s
                copy.withUTF8 { u in
                    if u.count > 0 { memcpy(values.pointer + at, u.baseAddress!, u.count) }
                    at += u.count
                }
            }
            o[i + 1] = Int32(at)
        }
        self.init(type: .utf8, length: strings.count, values: values, offsets: offsets,
                  validity: validity.map(makeValidityBuffer))
    }

    private init<T>(fixed type: ColumnType, array: [T], validity: [Bool]?, rows: Int? = nil) {
        let n = rows ?? array.count
        precondition(validity == nil || validity!.count == n, "validity count differs from row count")
        self.init(type: type, length: n, values: ByteBuffer(copyingArray: array), offsets: nil,
                  validity: validity.map(makeValidityBuffer))
    }

    // MARK: Typed reads

    /// Whether row `row` holds a value.
    @inlinable
    public func isValid(_ row: Int) -> Bool {
        guard let validity else { return true }
        return validity.pointer.load(fromByteOffset: row >> 3, as: UInt8.self) & (1 << UInt8(row & 7)) != 0
    }

    /// Row `row` of an int32 column (a null row reads as its stored slot, 0 from the builder).
    @inlinable
    public func int32(_ row: Int) -> Int32 {
        precondition(type == .int32 && row >= 0 && row < length)
        return values.pointer.load(fromByteOffset: row &* 4, as: Int32.self)
    }

    /// Row `row` of an int64 column.
    @inlinable
    public func int64(_ row: Int) -> Int64 {
        precondition(type == .int64 && row >= 0 && row < length)
        return values.pointer.load(fromByteOffset: row &* 8, as: Int64.self)
    }

    /// Row `row` of a float64 column.
    @inlinable
    public func float64(_ row: Int) -> Double {
        precondition(type == .float64 && row >= 0 && row < length)
        return values.pointer.load(fromByteOffset: row &* 8, as: Double.self)
    }

    /// The UTF-8 bytes of row `row` of a utf8 column; valid while this column (its buffer) is alive.
    @inlinable
    public func utf8Bytes(_ row: Int) -> UnsafeRawBufferPointer {
        precondition(type == .utf8 && row >= 0 && row < length)
        let o = offsets!.pointer
        let start = Int(o.load(fromByteOffset: row &* 4, as: Int32.self))
        let end = Int(o.load(fromByteOffset: (row &+ 1) &* 4, as: Int32.self))
        return UnsafeRawBufferPointer(start: values.pointer + start, count: end &- start)
    }

    /// Row `row` of a utf8 column as a String (allocates; for tests and display, not hot paths).
    public func string(_ row: Int) -> String {
        String(decoding: utf8Bytes(row), as: UTF8.self)
    }

    /// Row `row` of a float32 vector column (allocates an array).
    public func float32Vector(_ row: Int) -> [Float] {
        guard case .float32Vector(let d) = type, row >= 0, row < length else {
            preconditionFailure("float32Vector read from \(type) column or row out of range")
        }
        return Array(UnsafeBufferPointer(start: (values.pointer + row * d * 4).assumingMemoryBound(to: Float.self), count: d))
    }

    /// Row `row` as a scalar (`.null` for null rows and for vector columns, which have no scalar form).
    public func scalar(_ row: Int) -> ScalarValue {
        guard isValid(row) else { return .null }
        switch type {
        case .int32: return .int(Int64(int32(row)))
        case .int64: return .int(int64(row))
        case .float64: return .double(float64(row))
        case .utf8: return .string(string(row))
        case .float32Vector: return .null
        }
    }

    /// Sum of the value bytes of the valid rows: fixed width x valid rows, or the UTF-8 bytes of valid strings
    /// (WORKLOAD.md's "raw value bytes"; offsets and validity bitmaps are not counted).
    public var rawValueBytes: Int {
        if let width = type.fixedWidthBytes { return width * (length - nullCount) }
        guard length > 0 else { return 0 }
        let total = Int(offsets!.pointer.load(fromByteOffset: length * 4, as: Int32.self))
        if nullCount == 0 { return total }
        var nullBytes = 0
        for row in 0..<length where !isValid(row) { nullBytes += utf8Bytes(row).count }
        return total - nullBytes
    }

    /// Heap bytes the buffers hold (allocated capacity), for memory accounting.
    public var allocatedBytes: Int {
        values.capacityBytes + (offsets?.capacityBytes ?? 0) + (validity?.capacityBytes ?? 0)
    }

    // MARK: Slicing (zero-copy), selection, concatenation (copy into new exact-size buffers)

    /// Rows `range` as a new column. The values are a zero-copy view of this column's buffer (which the
    /// slice keeps alive); UTF-8 offsets are rebased into a new array (4 bytes per row) and validity bits copied.
    public func slice(_ range: Range<Int>) -> ColumnData {
        precondition(range.lowerBound >= 0 && range.upperBound <= length, "slice out of range")
        let n = range.count
        let validityBuffer = validity.map { copyBits($0.pointer, from: range.lowerBound, count: n) }
        if let width = type.fixedWidthBytes {
            let values = ByteBuffer(viewing: self.values, byteOffset: range.lowerBound * width, count: n * width)
            return ColumnData(type: type, length: n, values: values, offsets: nil, validity: validityBuffer)
        }
        let o = offsets!.pointer.assumingMemoryBound(to: Int32.self)
        let base = Int(o[range.lowerBound])
        let end = Int(o[range.upperBound])
        let values = ByteBuffer(viewing: self.values, byteOffset: base, count: end - base)
        let newOffsets = ByteBuffer(uninitializedCount: (n + 1) * 4)
        let no = newOffsets.pointer.assumingMemoryBound(to: Int32.self)
        let delta = Int32(base)
        for i in 0...n { no[i] = o[range.lowerBound + i] &- delta }
        return ColumnData(type: type, length: n, values: values, offsets: newOffsets, validity: validityBuffer)
    }

    /// The given rows, in the given order (repeats allowed), as a new column.
    public func take(_ rows: [Int]) -> ColumnData {
        rows.withUnsafeBufferPointer { take($0) }
    }

    /// The given rows, in the given order (repeats allowed), as a new column.
    public func take(_ rows: UnsafeBufferPointer<Int>) -> ColumnData {
        let n = rows.count
        for r in rows { precondition(r >= 0 && r < length, "take row out of range") }
        var validityBuffer: ByteBuffer?
        if validity != nil {
            let v = ByteBuffer(uninitializedCount: (n + 7) / 8)
            memset(v.pointer, 0, (n + 7) / 8)
            let bits = v.pointer.assumingMemoryBound(to: UInt8.self)
            for (i, r) in rows.enumerated() where isValid(r) { bits[i >> 3] |= 1 << UInt8(i & 7) }
            validityBuffer = v
        }
        if let width = type.fixedWidthBytes {
            let values = ByteBuffer(uninitializedCount: n * width)
            switch width {
            case 8:
                let s = self.values.pointer.assumingMemoryBound(to: UInt64.self)
                let d = values.pointer.assumingMemoryBound(to: UInt64.self)
                for i in 0..<n { d[i] = s[rows[i]] }
            case 4:
                let s = self.values.pointer.assumingMemoryBound(to: UInt32.self)
                let d = values.pointer.assumingMemoryBound(to: UInt32.self)
                for i in 0..<n { d[i] = s[rows[i]] }
            default:
                for i in 0..<n { memcpy(values.pointer + i * width, self.values.pointer + rows[i] * width, width) }
            }
            return ColumnData(type: type, length: n, values: values, offsets: nil, validity: validityBuffer)
        }
        let o = offsets!.pointer.assumingMemoryBound(to: Int32.self)
        var total = 0
        for r in rows { total += Int(o[r + 1] - o[r]) }
        precondition(total <= Int(Int32.max), "utf8 column larger than 2 GiB")
        let values = ByteBuffer(uninitializedCount: total)
        let newOffsets = ByteBuffer(uninitializedCount: (n + 1) * 4)
        let no = newOffsets.pointer.assumingMemoryBound(to: Int32.self)
        var at = 0
        no[0] = 0
        for i in 0..<n {
            let r = rows[i]
            let start = Int(o[r]), len = Int(o[r + 1]) - start
            if len > 0 { memcpy(values.pointer + at, self.values.pointer + start, len) }
            at += len
            no[i + 1] = Int32(at)
        }
        return ColumnData(type: type, length: n, values: values, offsets: newOffsets, validity: validityBuffer)
    }

    /// The columns' rows one after another; all must have the same type (at least one column).
    public static func concatenate(_ parts: [ColumnData]) -> ColumnData {
        precondition(!parts.isEmpty, "concatenate needs at least one column")
        let type = parts[0].type
        for p in parts { precondition(p.type == type, "concatenating columns of different types") }
        if parts.count == 1 { return parts[0] }
        let n = parts.reduce(0) { $0 + $1.length }
        let nulls = parts.reduce(0) { $0 + $1.nullCount }
        var validityBuffer: ByteBuffer?
        if nulls > 0 {
            let bytes = (n + 7) / 8
            let v = ByteBuffer(uninitializedCount: bytes)
            memset(v.pointer, 0, bytes)
            let bits = v.pointer.assumingMemoryBound(to: UInt8.self)
            var row = 0
            for p in parts {
                for i in 0..<p.length {
                    if p.isValid(i) { bits[row >> 3] |= 1 << UInt8(row & 7) }
                    row += 1
                }
            }
            validityBuffer = v
        }
        if let width = type.fixedWidthBytes {
            let values = ByteBuffer(uninitializedCount: n * width)
            var at = 0
            for p in parts {
                let bytes = p.length * width
                if bytes > 0 { memcpy(values.pointer + at, p.values.pointer, bytes) }
                at += bytes
            }
            return ColumnData(type: type, length: n, values: values, offsets: nil, validity: validityBuffer, nullCount: nulls)
        }
        var total = 0
        for p in parts where p.length > 0 { total += Int(p.offsets!.pointer.load(fromByteOffset: p.length * 4, as: Int32.self)) }
        precondition(total <= Int(Int32.max), "utf8 column larger than 2 GiB")
        let values = ByteBuffer(uninitializedCount: total)
        let newOffsets = ByteBuffer(uninitializedCount: (n + 1) * 4)
        let no = newOffsets.pointer.assumingMemoryBound(to: Int32.self)
        no[0] = 0
        var row = 0
        var at: Int32 = 0
        for p in parts where p.length > 0 {
            let o = p.offsets!.pointer.assumingMemoryBound(to: Int32.self)
            let bytes = Int(o[p.length])
            if bytes > 0 { memcpy(values.pointer + Int(at), p.values.pointer, bytes) }
            for i in 1...p.length { no[row + i] = o[i] &+ at }
            row += p.length
            at &+= Int32(bytes)
        }
        return ColumnData(type: type, length: n, values: values, offsets: newOffsets, validity: validityBuffer, nullCount: nulls)
    }
}

extension ColumnData: Equatable {
    /// Logical equality: same type, length, null positions, and equal values in every valid row (floats
    /// compare by bit pattern, so NaN payloads round-trip exactly). Null slots' stored bytes are ignored.
    public static func == (a: ColumnData, b: ColumnData) -> Bool {
        guard a.type == b.type, a.length == b.length, a.nullCount == b.nullCount else { return false }
        for row in 0..<a.length where a.isValid(row) != b.isValid(row) { return false }
        if let width = a.type.fixedWidthBytes {
            if a.nullCount == 0 {
                return memcmp(a.values.pointer, b.values.pointer, a.length * width) == 0
            }
            for row in 0..<a.length where a.isValid(row) {
                if memcmp(a.values.pointer + row * width, b.values.pointer + row * width, width) != 0 { return false }
            }
            return true
        }
        for row in 0..<a.length where a.isValid(row) {
            if compareBytes(a.utf8Bytes(row), b.utf8Bytes(row)) != 0 { return false }
        }
        return true
    }
}
