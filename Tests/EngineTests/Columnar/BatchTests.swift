import XCTest
@testable import Engine

final class BatchTests: XCTestCase {
    static let schema = Schema(fields: [
        Field(name: "id", type: .int64),
        Field(name: "name", type: .utf8, nullable: true),
        Field(name: "line", type: .int32, nullable: true),
        Field(name: "score", type: .float64),
        Field(name: "vec", type: .float32Vector(dimension: 3), nullable: true),
    ])

    /// Builds `rows` rows; every 7th row has nulls in the nullable columns.
    static func build(rows: Int, capacity: Int = 4) -> RecordBatch {
        let b = RecordBatchBuilder(schema: schema, capacityRows: capacity, stringBytesPerRowHint: 2)
        for r in 0..<rows {
            b.appendInt64(column: 0, Int64(r) * 1_000_003)
            if r % 7 == 3 { b.appendNull(column: 1) } else { b.appendString(column: 1, "row-\(r)-é") }
            if r % 7 == 5 { b.appendNull(column: 2) } else { b.appendInt32(column: 2, Int32(r) - 50) }
            b.appendFloat64(column: 3, Double(r) / 3)
            if r % 7 == 6 { b.appendNull(column: 4) } else { b.appendFloat32Vector(column: 4, [Float(r), 1, -Float(r)]) }
        }
        return b.finish()
    }

    func check(_ batch: RecordBatch, firstRow: Int) {
        for i in 0..<batch.rowCount {
            let r = firstRow + i
            XCTAssertEqual(batch.int64(column: 0, row: i), Int64(r) * 1_000_003)
            if r % 7 == 3 { XCTAssertTrue(batch.isNull(column: 1, row: i)) } else { XCTAssertEqual(batch.utf8(column: 1, row: i), "row-\(r)-é") }
            if r % 7 == 5 { XCTAssertEqual(batch.scalar(column: 2, row: i), .null) } else { XCTAssertEqual(batch.int32(column: 2, row: i), Int32(r) - 50) }
            XCTAssertEqual(batch.float64(column: 3, row: i), Double(r) / 3)
            if r % 7 == 6 { XCTAssertTrue(batch.isNull(column: 4, row: i)) } else { XCTAssertEqual(batch.float32Vector(column: 4, row: i), [Float(r), 1, -Float(r)]) }
        }
    }

    func testBuilderRoundTripWithGrowthAndNulls() {
        let batch = Self.build(rows: 100)
        XCTAssertEqual(batch.rowCount, 100)
        XCTAssertEqual(batch.columns[1].nullCount, 14)
        XCTAssertNil(batch.columns[0].validity)
        check(batch, firstRow: 0)
    }

    func testFinishStartsFreshAndResetDropsRows() {
        let b = RecordBatchBuilder(schema: Schema(fields: [Field(name: "s", type: .utf8)]), capacityRows: 2)
        b.appendString(column: 0, "a")
        let first = b.finish()
        b.appendString(column: 0, "zz")
        b.reset()
        XCTAssertEqual(b.rowCount, 0)
        "bcd".utf8CString.withUnsafeBytes { raw in
            b.appendUTF8(column: 0, pointer: raw.baseAddress!, count: 3)
        }
        b.appendUTF8(column: 0, maxBytes: 8) { p in p.storeBytes(of: UInt8(ascii: "x"), as: UInt8.self); return 1 }
        let second = b.finish()
        XCTAssertEqual(first.utf8(column: 0, row: 0), "a")
        XCTAssertEqual(second.rowCount, 2)
        XCTAssertEqual(second.utf8(column: 0, row: 0), "bcd")
        XCTAssertEqual(second.utf8(column: 0, row: 1), "x")
    }

    func testRawValueBytesCountsValidValuesOnly() {
        let s = Schema(fields: [Field(name: "i", type: .int32, nullable: true), Field(name: "s", type: .utf8, nullable: true)])
        let b = RecordBatchBuilder(schema: s)
        b.appendInt32(column: 0, 1); b.appendString(column: 1, "abc")
        b.appendNull(column: 0); b.appendNull(column: 1)
        b.appendInt32(column: 0, 2); b.appendString(column: 1, "hello")
        XCTAssertEqual(b.finish().rawValueBytes, 4 + 4 + 3 + 5)
    }

    func testSliceConcatenateTakeAgreeWithBuilder() {
        let batch = Self.build(rows: 61)
        let parts = [batch.slice(0..<9), batch.slice(9..<9), batch.slice(9..<40), batch.slice(40..<61)]
        check(parts[2], firstRow: 9)
        XCTAssertEqual(RecordBatch.concatenate(parts), batch)
        let picked = batch.take([5, 3, 60, 3])
        XCTAssertEqual(picked.int64(column: 0, row: 2), 60 * 1_000_003)
        XCTAssertTrue(picked.isNull(column: 1, row: 1))
        XCTAssertEqual(picked.utf8(column: 1, row: 0), "row-5-é")
        XCTAssertNotEqual(batch.slice(0..<10), batch.slice(1..<11))
    }

    func testArrayConstructorsMatchBuilder() {
        let built = Self.build(rows: 20)
        let rows = 0..<20
        let columns = [
            ColumnData(int64s: rows.map { Int64($0) * 1_000_003 }),
            ColumnData(strings: rows.map { "row-\($0)-é" }, validity: rows.map { $0 % 7 != 3 }),
            ColumnData(int32s: rows.map { Int32($0) - 50 }, validity: rows.map { $0 % 7 != 5 }),
            ColumnData(float64s: rows.map { Double($0) / 3 }),
            ColumnData(float32Vectors: rows.flatMap { [Float($0), 1, -Float($0)] }, dimension: 3, validity: rows.map { $0 % 7 != 6 }),
        ]
        XCTAssertEqual(RecordBatch(schema: Self.schema, columns: columns), built)
    }

    func testScalarCompare() {
        XCTAssertEqual(ScalarValue.compare(.int(3), .double(3.5)), -1)
        XCTAssertEqual(ScalarValue.compare(.double(3.0), .int(3)), 0)
        XCTAssertEqual(ScalarValue.compare(.string("b"), .string("ab")), 1)
        XCTAssertNil(ScalarValue.compare(.null, .int(1)))
        XCTAssertNil(ScalarValue.compare(.double(.nan), .int(1)))
        XCTAssertEqual(ScalarValue.compare(.int(.max), .double(9.25e18)), -1)
        XCTAssertEqual(ScalarValue.compare(.int(.min), .double(-0x1p63)), 0)
        XCTAssertEqual(ScalarValue.compare(.double(-1e300), .int(.min)), -1)
        XCTAssertEqual(ScalarValue.compare(.int(-3), .double(-3.5)), 1)
    }

    /// `finishReleasingBuffers` hands the buffers over and keeps none; the next batch builds after a restore.
    func testFinishReleasingBuffersThenRestore() {
        let schema = Schema(fields: [Field(name: "i", type: .int64), Field(name: "s", type: .utf8)])
        let builder = RecordBatchBuilder(schema: schema, capacityRows: 4)
        for round in 0..<3 {
            if round == 2 { builder.restoreBuffers() } else { builder.reserveUTF8Bytes(column: 1, 16) }
            for r in 0..<5 {
                builder.appendInt64(column: 0, Int64(round * 10 + r))
                builder.appendString(column: 1, "r\(round)-\(r)")
            }
            let batch = builder.finishReleasingBuffers()
            XCTAssertEqual(batch.rowCount, 5)
            XCTAssertEqual(batch.int64(column: 0, row: 4), Int64(round * 10 + 4))
            XCTAssertEqual(batch.utf8(column: 1, row: 3), "r\(round)-3")
        }
    }
}
