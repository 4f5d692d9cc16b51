#if canImport(Glibc)
import Glibc
#endif

/// Builds `RecordBatch`es by appending values column by column into contiguous, growable buffers.
///
/// No object is created per value or per row: fixed-width values are stored into a raw buffer, strings are
/// `memcpy`'d into a byte buffer with one Int32 offset per row. Append to every column once per row (in any
/// order), then `finish()`. `finish()` hands the buffers to the batch (no copy) and starts fresh buffers of
/// the same capacity; `reset()` drops appended rows and keeps the buffers.
///
/// Not thread-safe: one builder per thread. Type and column mismatches are programming errors (checked in
/// debug builds only; the engine is compiled `-Ounchecked` in release).
public final class RecordBatchBuilder {
    /// The schema of the batches built.
    public let schema: Schema
    @usableFromInline let columnCount: Int
    @usableFromInline let states: UnsafeMutablePointer<BuilderColumn>
    private var capacityRows: Int
    private let stringBytesPerRowHint: Int

    /// - Parameters:
    ///   - capacityRows: rows to reserve room for up front (buffers grow by doubling past it). Default 10,000.
    ///   - stringBytesPerRowHint: bytes to reserve per row in each utf8 column. Default 32.
    public init(schema: Schema, capacityRows: Int = 10_000, stringBytesPerRowHint: Int = 32) {
        self.schema = schema
        self.columnCount = schema.count
        self.capacityRows = max(capacityRows, 1)
        self.stringBytesPerRowHint = max(stringBytesPerRowHint, 1)
        states = .allocate(capacity: max(schema.count, 1))
        for (i, f) in schema.fields.enumerated() {
            (states + i).initialize(to: BuilderColumn(type: f.type, nullable: f.nullable))
            states[i].allocate(rows: self.capacityRows, stringBytes: self.capacityRows * self.stringBytesPerRowHint)
        }
    }

    deinit {
        for i in 0..<columnCount { states[i].release() }
        states.deinitialize(count: columnCount)
        states.deallocate()
    }

    /// Rows appended to column 0 since the last `finish()`/`reset()` (every column must reach it).
    public var rowCount: Int { columnCount == 0 ? 0 : states[0].length }

    /// Ensures room for `bytes` more UTF-8 bytes in utf8 column `column` without regrowing.
    public func reserveUTF8Bytes(column: Int, _ bytes: Int) {
        states[column].ensureBytes(bytes)
    }

    // MARK: Appends

    /// Appends one int32 value (4 bytes) to int32 column `column`.
    @inlinable
    public func appendInt32(column: Int, _ value: Int32) {
        assert(column < columnCount && states[column].type == .int32, "appendInt32 to a non-int32 column")
        states[column].appendFixed(value)
    }

    /// Appends one int64 value (8 bytes) to int64 column `column`.
    @inlinable
    public func appendInt64(column: Int, _ value: Int64) {
        assert(column < columnCount && states[column].type == .int64, "appendInt64 to a non-int64 column")
        states[column].appendFixed(value)
    }

    /// Appends one float64 value (8 bytes) to float64 column `column`.
    @inlinable
    public func appendFloat64(column: Int, _ value: Double) {
        assert(column < columnCount && states[column].type == .float64, "appendFloat64 to a non-float64 column")
        states[column].appendFixed(value)
    }

    /// Appends the UTF-8 bytes `bytes` (one memcpy; not validated as UTF-8).
    @inlinable
    public func appendUTF8(column: Int, _ bytes: UnsafeRawBufferPointer) {
        assert(column < columnCount && states[column].isUTF8, "appendUTF8 to a non-utf8 column")
        states[column].appendBytes(bytes.baseAddress, bytes.count)
    }

    /// Appends `count` UTF-8 bytes starting at `pointer` (one memcpy, no String).
    @inlinable
    public func appendUTF8(column: Int, pointer: UnsafeRawPointer, count: Int) {
        assert(column < columnCount && states[column].isUTF8, "appendUTF8 to a non-utf8 column")
        states[column].appendBytes(pointer, count)
    }

    /// Appends a string written in place: `write` receives room for `maxBytes` bytes and returns how many it
    /// wrote (0...maxBytes). Lets a generator assemble a value directly in the column buffer.
    @inlinable
    public func appendUTF8(column: Int, maxBytes: Int, _ write: (UnsafeMutableRawPointer) -> Int) {
        assert(column < columnCount && states[column].isUTF8, "appendUTF8 to a non-utf8 column")
        states[column].appendInPlace(maxBytes: maxBytes, write)
    }

    /// Appends a String's UTF-8 bytes (copies them; native strings are read in place).
    @inlinable
    public func appendString(column: Int, _ s: String) {
        var s = s
        s.withUTF8 { u in appendUTF8(column: column, UnsafeRawBufferPointer(u)) }
    }

    /// Appends one vector; `values.count` must equal the column's dimension.
    @inlinable
    public func appendFloat32Vector(column: Int, _ values: UnsafeBufferPointer<Float>) {
        assert(column < columnCount && states[column].width == values.count * 4 && !states[column].isUTF8,
               "appendFloat32Vector with the wrong dimension or column")
        states[column].appendFixedBytes(UnsafeRawPointer(values.baseAddress), values.count * 4)
    }

    /// Appends one vector; `values.count` must equal the column's dimension.
    public func appendFloat32Vector(column: Int, _ values: [Float]) {
        values.withUnsafeBufferPointer { appendFloat32Vector(column: column, $0) }
    }

    /// Appends a null (the slot stores zero bytes / an empty string). The field must be nullable.
    public func appendNull(column: Int) {
        precondition(schema.fields[column].nullable, "appendNull to non-nullable column \(schema.fields[column].name)")
        states[column].appendNull()
    }

    /// Appends a scalar of the column's type (`.null` appends a null; `.int` into int32 truncates). For tests
    /// and literals, not hot paths.
    public func append(column: Int, _ value: ScalarValue) {
        switch (value, schema.fields[column].type) {
        case (.null, _): appendNull(column: column)
        case (.int(let v), .int32): appendInt32(column: column, Int32(truncatingIfNeeded: v))
        case (.int(let v), .int64): appendInt64(column: column, v)
        case (.int(let v), .float64): appendFloat64(column: column, Double(v))
        case (.double(let v), .float64): appendFloat64(column: column, v)
        case (.string(let s), .utf8): appendString(column: column, s)
        default: preconditionFailure("cannot append \(value) to \(schema.fields[column].type) column")
        }
    }

    // MARK: Finishing

    /// The batch of the rows appended so far; the builder continues empty with fresh buffers of the same
    /// capacity. Every column must have the same number of rows.
    public func finish() -> RecordBatch {
        let rows = rowCount
        var columns: [ColumnData] = []
        columns.reserveCapacity(columnCount)
        var maxRows = capacityRows
        for i in 0..<columnCount {
            precondition(states[i].length == rows, "column \(schema.fields[i].name) has \(states[i].length) rows, expected \(rows)")
            maxRows = max(maxRows, states[i].rowCapacity)
            columns.append(states[i].takeColumn())
        }
        capacityRows = maxRows
        for i in 0..<columnCount {
            let bytes = states[i].isUTF8 ? max(states[i].lastBytesCapacity, capacityRows * stringBytesPerRowHint) : 0
            states[i].allocate(rows: capacityRows, stringBytes: bytes)
        }
        return RecordBatch(schema: schema, rowCount: rows, columns: columns)
    }

    /// Drops the rows appended since the last `finish()`, keeping the buffers.
    public func reset() {
        for i in 0..<columnCount { states[i].clear() }
    }
}

/// One column's growable buffers inside a `RecordBatchBuilder` (raw pointers; no ARC on the append path).
@usableFromInline
struct BuilderColumn {
    @usableFromInline let type: ColumnType
    @usableFromInline let nullable: Bool
    /// Bytes per row for fixed-width columns, 0 for utf8.
    @usableFromInline let width: Int
    @usableFromInline let isUTF8: Bool
    @usableFromInline var values: UnsafeMutableRawPointer?
    @usableFromInline var valueBytes: Int = 0
    @usableFromInline var valueCapacity: Int = 0
    @usableFromInline var offsets: UnsafeMutablePointer<Int32>?
    @usableFromInline var rowCapacity: Int = 0
    /// Allocated on the first null; bits of earlier rows are set.
    @usableFromInline var validity: UnsafeMutablePointer<UInt8>?
    @usableFromInline var length: Int = 0
    @usableFromInline var nullCount: Int = 0
    var lastBytesCapacity: Int = 0

    init(type: ColumnType, nullable: Bool) {
        self.type = type
        self.nullable = nullable
        self.width = type.fixedWidthBytes ?? 0
        self.isUTF8 = type.isUTF8
    }

    mutating func allocate(rows: Int, stringBytes: Int) {
        rowCapacity = rows
        length = 0
        nullCount = 0
        validity = nil
        valueBytes = 0
        // Blocks come from BufferPool.shared and go back to it when the batch's buffers die (often on an
        // encoder thread), so a builder refilled batch after batch allocates nothing in steady state.
        if isUTF8 {
            valueCapacity = max(stringBytes, 1)
            values = BufferPool.shared.allocate(valueCapacity)
            offsets = BufferPool.shared.allocate((rows + 1) * 4).assumingMemoryBound(to: Int32.self)
            offsets![0] = 0
        } else {
            valueCapacity = max(rows * width, 1)
            values = BufferPool.shared.allocate(valueCapacity)
            offsets = nil
        }
    }

    mutating func release() {
        if let values { free(values) }
        if let offsets { free(offsets) }
        if let validity { free(validity) }
        values = nil; offsets = nil; validity = nil
    }

    mutating func clear() {
        length = 0
        valueBytes = 0
        nullCount = 0
        if let validity { free(validity) }
        validity = nil
    }

    /// Moves the buffers into a ColumnData (ownership passes to ByteBuffers); the state is left empty.
    mutating func takeColumn() -> ColumnData {
        let valueBuffer = ByteBuffer(taking: values!, count: isUTF8 ? valueBytes : length * width,
                                     capacityBytes: valueCapacity, recycle: true)
        var offsetBuffer: ByteBuffer?
        if isUTF8 {
            offsetBuffer = ByteBuffer(taking: UnsafeMutableRawPointer(offsets!), count: (length + 1) * 4,
                                      capacityBytes: (rowCapacity + 1) * 4, recycle: true)
        }
        var validityBuffer: ByteBuffer?
        if let validity {
            let bytes = (length + 7) / 8
            if length & 7 != 0 { validity[bytes - 1] &= UInt8((1 << (length & 7)) - 1) }
            validityBuffer = ByteBuffer(taking: UnsafeMutableRawPointer(validity), count: bytes, capacityBytes: rowCapacity / 8 + 1)
        }
        lastBytesCapacity = valueCapacity
        let column = ColumnData(type: type, length: length, values: valueBuffer, offsets: offsetBuffer,
                                validity: validityBuffer, nullCount: nullCount)
        values = nil; offsets = nil; validity = nil
        valueBytes = 0; valueCapacity = 0; length = 0; nullCount = 0
        return column
    }

    @usableFromInline
    mutating func growRows() {
        let newRows = max(rowCapacity * 2, 16)
        if isUTF8 {
            offsets = reallocateBytes(UnsafeMutableRawPointer(offsets!), (newRows + 1) * 4).assumingMemoryBound(to: Int32.self)
        } else {
            values = reallocateBytes(values!, newRows * width)
            valueCapacity = newRows * width
        }
        if let v = validity {
            let old = rowCapacity / 8 + 1
            let new = newRows / 8 + 1
            let p = reallocateBytes(UnsafeMutableRawPointer(v), new).assumingMemoryBound(to: UInt8.self)
            memset(p + old, 0, new - old)
            validity = p
        }
        rowCapacity = newRows
    }

    @usableFromInline
    mutating func ensureBytes(_ more: Int) {
        let needed = valueBytes + more
        if needed <= valueCapacity { return }
        precondition(needed <= Int(Int32.max), "utf8 column larger than 2 GiB in one batch")
        var newCapacity = max(valueCapacity * 2, 64)
        while newCapacity < needed { newCapacity *= 2 }
        newCapacity = min(newCapacity, Int(Int32.max))
        values = reallocateBytes(values!, newCapacity)
        valueCapacity = newCapacity
    }

    @inlinable @inline(__always)
    mutating func markValid() {
        if let v = validity { v[length >> 3] |= 1 << UInt8(length & 7) }
    }

    @inlinable @inline(__always)
    mutating func appendFixed<T>(_ value: T) {
        if length == rowCapacity { growRows() }
        values!.storeBytes(of: value, toByteOffset: length &* MemoryLayout<T>.size, as: T.self)
        markValid()
        length &+= 1
    }

    @inlinable @inline(__always)
    mutating func appendFixedBytes(_ source: UnsafeRawPointer?, _ count: Int) {
        if length == rowCapacity { growRows() }
        if count > 0 { memcpy(values! + length &* width, source!, count) }
        markValid()
        length &+= 1
    }

    @inlinable @inline(__always)
    mutating func appendBytes(_ source: UnsafeRawPointer?, _ count: Int) {
        if length == rowCapacity { growRows() }
        if valueBytes &+ count > valueCapacity { ensureBytes(count) }
        if count > 0 { memcpy(values! + valueBytes, source!, count) }
        valueBytes &+= count
        markValid()
        length &+= 1
        offsets![length] = Int32(truncatingIfNeeded: valueBytes)
    }

    @inlinable @inline(__always)
    mutating func appendInPlace(maxBytes: Int, _ write: (UnsafeMutableRawPointer) -> Int) {
        if length == rowCapacity { growRows() }
        if valueBytes &+ maxBytes > valueCapacity { ensureBytes(maxBytes) }
        let written = write(values! + valueBytes)
        precondition(written >= 0 && written <= maxBytes, "appendUTF8 writer returned \(written) for room \(maxBytes)")
        valueBytes &+= written
        markValid()
        length &+= 1
        offsets![length] = Int32(truncatingIfNeeded: valueBytes)
    }

    mutating func appendNull() {
        if length == rowCapacity { growRows() }
        if validity == nil {
            let bytes = rowCapacity / 8 + 1
            let p = allocateBytes(bytes).assumingMemoryBound(to: UInt8.self)
            memset(p, 0, bytes)
            for r in 0..<length { p[r >> 3] |= 1 << UInt8(r & 7) }
            validity = p
        }
        // validity bit stays 0
        if isUTF8 {
            length += 1
            offsets![length] = Int32(valueBytes)
        } else {
            memset(values! + length * width, 0, width)
            length += 1
        }
        nullCount += 1
    }
}
