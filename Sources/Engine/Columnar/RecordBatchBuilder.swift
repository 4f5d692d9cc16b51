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
/// Not thread-safe: one builder per thread. Type and column mismatches are programming errors (checked by
/// `assert` in debug builds only, to keep the append path free of checks in release).
public final class RecordBatchBuilder {
    /// The schema of the batches built.
    public let schema: Schema
    @usableFromInline let columnCount: Int
    @usableFromInline let states: UnsafeMutablePointer<BuilderColumn>
    private var capacityRows: Int
    private let stringBytesPerRowHint: Int
    /// `finishReleasingBuffers()` left the columns without buffers.
    private var buffersReleased = false

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
    /// Restores the buffers first if `finishReleasingBuffers()` released them.
    public func reserveUTF8Bytes(column: Int, _ bytes: Int) {
        restoreBuffers()
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
        let batch = takeBatch()
        allocateBuffers()
        return batch
    }

    /// Like `finish()`, but the builder keeps no buffers until `reserveUTF8Bytes` or `restoreBuffers()` is
    /// called (one of them MUST be, before the next append): a caller that drops each batch before building
    /// the next then holds one batch's buffers, not two (`BufferPool` hands the dropped batch's blocks back).
    public func finishReleasingBuffers() -> RecordBatch {
        let batch = takeBatch()
        buffersReleased = true
        return batch
    }

    /// Allocates the buffers `finishReleasingBuffers()` left out (no-op otherwise).
    public func restoreBuffers() {
        if buffersReleased { allocateBuffers() }
    }

    private func takeBatch() -> RecordBatch {
        precondition(!buffersReleased, "append after finishReleasingBuffers() without restoreBuffers()")
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
        return RecordBatch(schema: schema, rowCount: rows, columns: columns)
    }

    private func allocateBuffers() {
        buffersReleased = false
        for i in 0..<columnCount {
            let bytes = states[i].isUTF8 ? max(states[i].lastBytesCapacity, capacityRows * stringBytesPerRowHint) : 0
            states[i].allocate(rows: capacityRows, stringBytes: bytes)
        }
    }

    /// Drops the rows appended since the last `finish()`, keeping the buffers.
    public func reset() {
        for i in 0..<columnCount { states[i].clear() }
    }
}
