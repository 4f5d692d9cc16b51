/// A set of equally long columns under a schema.
///
/// A value type: the columns' bytes live in immutable `ByteBuffer`s (final classes), so copying a batch or
/// sending it to another thread (e.g. to a `BatchEncoder`) costs a few reference-count operations and never
/// copies bytes. `Sendable`.
public struct RecordBatch: Sendable, Equatable {
    public let schema: Schema
    /// Rows in every column.
    public let rowCount: Int
    /// One column per schema field, in order.
    public let columns: [ColumnData]

    /// A batch from columns that match `schema` (types and count) and are all `rowCount` long.
    public init(schema: Schema, rowCount: Int, columns: [ColumnData]) {
        precondition(columns.count == schema.count, "column count \(columns.count) differs from schema's \(schema.count)")
        for (i, c) in columns.enumerated() {
            precondition(c.type == schema.fields[i].type, "column \(i) is \(c.type), schema says \(schema.fields[i].type)")
            precondition(c.length == rowCount, "column \(i) has \(c.length) rows, batch \(rowCount)")
        }
        self.schema = schema
        self.rowCount = rowCount
        self.columns = columns
    }

    /// A batch whose row count is taken from the columns (0 when there are none).
    public init(schema: Schema, columns: [ColumnData]) {
        self.init(schema: schema, rowCount: columns.first?.length ?? 0, columns: columns)
    }

    /// An empty batch (0 rows) of `schema`.
    public static func empty(_ schema: Schema) -> RecordBatch {
        let b = RecordBatchBuilder(schema: schema, capacityRows: 0)
        return b.finish()
    }

    /// Sum of value bytes of all valid values (WORKLOAD.md "raw value bytes").
    public var rawValueBytes: Int { columns.reduce(0) { $0 + $1.rawValueBytes } }

    /// Heap bytes held by the column buffers (allocated capacity).
    public var allocatedBytes: Int { columns.reduce(0) { $0 + $1.allocatedBytes } }

    /// Rows `range`, sharing this batch's value buffers (see `ColumnData.slice`).
    public func slice(_ range: Range<Int>) -> RecordBatch {
        RecordBatch(schema: schema, rowCount: range.count, columns: columns.map { $0.slice(range) })
    }

    /// The given rows in the given order, copied.
    public func take(_ rows: [Int]) -> RecordBatch {
        RecordBatch(schema: schema, rowCount: rows.count, columns: columns.map { $0.take(rows) })
    }

    /// The given columns (by index), in the given order; shares the buffers.
    public func project(_ columnIndexes: [Int]) -> RecordBatch {
        RecordBatch(schema: schema.project(columnIndexes), rowCount: rowCount, columns: columnIndexes.map { columns[$0] })
    }

    /// The batches' rows one after another; all must have the same schema. Returns `empty(schema)` for none.
    public static func concatenate(_ batches: [RecordBatch], schema: Schema? = nil) -> RecordBatch {
        guard let first = batches.first else {
            guard let schema else { preconditionFailure("concatenate of no batches needs a schema") }
            return empty(schema)
        }
        for b in batches { precondition(b.schema == first.schema, "concatenating batches of different schemas") }
        if batches.count == 1 { return first }
        let columns = (0..<first.schema.count).map { c in ColumnData.concatenate(batches.map { $0.columns[c] }) }
        return RecordBatch(schema: first.schema, rowCount: batches.reduce(0) { $0 + $1.rowCount }, columns: columns)
    }

    // MARK: Typed readers (tests, filters, display)

    /// Whether row `row` of column `column` is null.
    public func isNull(column: Int, row: Int) -> Bool { !columns[column].isValid(row) }
    /// Row `row` of int32 column `column` (a null row reads as its stored slot).
    public func int32(column: Int, row: Int) -> Int32 { columns[column].int32(row) }
    /// Row `row` of int64 column `column`.
    public func int64(column: Int, row: Int) -> Int64 { columns[column].int64(row) }
    /// Row `row` of float64 column `column`.
    public func float64(column: Int, row: Int) -> Double { columns[column].float64(row) }
    /// Allocates a String; use `utf8Bytes(column:row:)` on hot paths.
    public func utf8(column: Int, row: Int) -> String { columns[column].string(row) }
    /// Borrowed bytes of a utf8 value, valid while the batch is alive.
    public func utf8Bytes(column: Int, row: Int) -> UnsafeRawBufferPointer { columns[column].utf8Bytes(row) }
    /// Row `row` of float32 vector column `column` (allocates an array).
    public func float32Vector(column: Int, row: Int) -> [Float] { columns[column].float32Vector(row) }
    /// Row `row` of column `column` as a scalar (`.null` for nulls and vectors).
    public func scalar(column: Int, row: Int) -> ScalarValue { columns[column].scalar(row) }
}
