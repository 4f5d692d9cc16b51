import XCTest
@testable import Engine


enum TestData {
    static let types: [ColumnType] = [.int32, .int64, .float64, .utf8, .float32Vector(dimension: 3)]

    /// `rows` values of `type`: `repetitive` draws from 5 values in runs of 1...20, otherwise values are random.
    /// Nullable columns get nulls at random rows (about 1 in 5).
    static func column(_ type: ColumnType, rows: Int, nullable: Bool, repetitive: Bool, seed: UInt64) -> ColumnData {
        var rng = TestRandom(seed: seed)
        var keys: [UInt64] = []
        while keys.count < rows {
            let key = repetitive ? UInt64(rng.below(5)) : rng.next()
            let run = repetitive ? 1 + rng.below(20) : 1
            keys.append(contentsOf: repeatElement(key, count: min(run, rows - keys.count)))
        }
        let validity: [Bool]? = nullable ? (0..<rows).map { _ in rng.below(5) != 0 } : nil
        switch type {
        case .int32: return ColumnData(int32s: keys.map { Int32(truncatingIfNeeded: $0) }, validity: validity)
        case .int64: return ColumnData(int64s: keys.map { Int64(bitPattern: $0) }, validity: validity)
        case .float64: return ColumnData(float64s: keys.map { Double(Int64(bitPattern: $0)) / 7.0 }, validity: validity)
        case .utf8:
            return ColumnData(strings: keys.map { k in
                String(repeating: "é", count: Int(k % 3)) + "v\(k)" + String(repeating: "x", count: Int(k % 37))
            }, validity: validity)
        case .float32Vector(let d):
            return ColumnData(float32Vectors: keys.flatMap { k in (0..<d).map { Float(Int64(bitPattern: k) % 1000) + Float($0) / 4 } },
                              dimension: d, validity: validity)
        }
    }

    static func batch(rows: Int, nullable: Bool, repetitive: Bool, seed: UInt64) -> RecordBatch {
        let schema = Schema(fields: types.enumerated().map { Field(name: "c\($0.offset)", type: $0.element, nullable: nullable) })
        let columns = types.enumerated().map { column($0.element, rows: rows, nullable: nullable, repetitive: repetitive, seed: seed &+ UInt64($0.offset)) }
        return RecordBatch(schema: schema, columns: columns)
    }

    /// Decodes every page of an encoded batch from its storage bytes.
    static func decode(_ encoded: EncodedBatch) throws -> RecordBatch {
        let columns = try encoded.pages.map { page in
            try encoded.storage.withUnsafeBytes { bytes in
                try PageDecoder.decode(UnsafeRawBufferPointer(rebasing: bytes[page.storageOffset ..< page.storageOffset + page.byteCount]),
                                       type: encoded.schema.fields[page.column].type, expectedRows: page.rowCount,
                                       file: "memory", offset: page.storageOffset)
            }
        }
        return RecordBatch(schema: encoded.schema, rowCount: encoded.rowCount, columns: columns)
    }
}

final class EncodingTests: XCTestCase {
    func testEveryTypeEncodingAndCompressionRoundTrips() throws {
        var seed: UInt64 = 1
        for nullable in [false, true] {
            for repetitive in [false, true] {
                for encoding in PageEncoding.allCases {
                    for level in [0, 1, 3] {
                        seed += 1
                        let batch = TestData.batch(rows: 257, nullable: nullable, repetitive: repetitive, seed: seed)
                        let encoded = try BatchEncoder.encode(batch, options: EncodingOptions(compressionLevel: level, forcedEncoding: encoding))
                        XCTAssertEqual(encoded.pages.map(\.statistics.encoding), Array(repeating: encoding, count: 5))
                        if level == 0 { XCTAssertTrue(encoded.pages.allSatisfy { $0.compression == .none }) }
                        let decoded = try TestData.decode(encoded)
                        for c in 0..<batch.columns.count {
                            XCTAssertEqual(decoded.columns[c], batch.columns[c],
                                           "column \(batch.schema.fields[c].type) nullable \(nullable) repetitive \(repetitive) \(encoding) level \(level)")
                        }
                    }
                }
            }
        }
    }

    func testEmptyAndSingleRowBatchesRoundTrip() throws {
        for rows in [0, 1] {
            for encoding in PageEncoding.allCases {
                let batch = TestData.batch(rows: rows, nullable: true, repetitive: false, seed: 9)
                let encoded = try BatchEncoder.encode(batch, options: EncodingOptions(forcedEncoding: encoding))
                XCTAssertEqual(try TestData.decode(encoded), batch)
            }
        }
    }

    func testSelectionFollowsStatistics() throws {
        let n = 4000
        let schema = Schema(fields: [Field(name: "constant", type: .int64), Field(name: "lang", type: .utf8),
                                     Field(name: "unique", type: .utf8), Field(name: "sorted_runs", type: .int32),
                                     Field(name: "score", type: .float64)])
        let langs = ["swift", "rust", "python", "go", "java", "c", "cpp", "ts"]
        var rng = TestRandom(seed: 3)
        let b = RecordBatchBuilder(schema: schema)
        for i in 0..<n {
            b.appendInt64(column: 0, 42)
            b.appendString(column: 1, langs[rng.below(8)])
            b.appendString(column: 2, "path/\(i)/file.swift")
            b.appendInt32(column: 3, Int32(i / 100))
            b.appendFloat64(column: 4, Double(rng.next() >> 11) * 0x1.0p-53)
        }
        let encoded = try BatchEncoder.encode(b.finish())
        XCTAssertEqual(encoded.pages.map(\.statistics.encoding), [.runLength, .dictionary, .plain, .runLength, .plain])
        let s = encoded.pages.map(\.statistics)
        XCTAssertEqual(s[0].runCount, 1)
        XCTAssertEqual(s[0].min, .int(42))
        XCTAssertEqual(s[0].distinctEstimate, 1)
        XCTAssertEqual(s[1].distinctEstimate, 8)
        XCTAssertEqual(s[1].min, .string("c"))
        XCTAssertEqual(s[1].max, .string("ts"))
        XCTAssertEqual(s[2].min, .string("path/0/file.swift"))
        XCTAssertEqual(s[2].max, .string("path/999/file.swift"))
        XCTAssertEqual(Double(s[2].distinctEstimate), Double(n), accuracy: Double(n) * 0.05)
        XCTAssertEqual(s[3].runCount, 40)
        XCTAssertEqual(s[3].min, .int(0))
        XCTAssertEqual(s[3].max, .int(39))
    }

    func testStatisticsIgnoreNullsAndNaN() throws {
        let c = ColumnData(float64s: [3, .nan, -1, 7, 100], validity: [true, true, true, true, false])
        let schema = Schema(fields: [Field(name: "f", type: .float64, nullable: true)])
        let s = try BatchEncoder.encode(RecordBatch(schema: schema, columns: [c])).pages[0].statistics
        XCTAssertEqual(s.min, .double(-1))
        XCTAssertEqual(s.max, .double(7))
        XCTAssertEqual(s.nullCount, 1)
        XCTAssertEqual(s.runCount, 5)
        let allNull = ColumnData(strings: ["a", "b"], validity: [false, false])
        let s2 = try BatchEncoder.encode(RecordBatch(schema: Schema(fields: [Field(name: "s", type: .utf8, nullable: true)]), columns: [allNull])).pages[0].statistics
        XCTAssertEqual(s2.min, .null)
        XCTAssertEqual(s2.distinctEstimate, 0)
    }

    func testStringMinMaxMatchesBruteForceByteOrder() throws {
        // Short strings over {NUL, a, b} of length 0...11 exercise the 8-byte prefix keys and their ties.
        var rng = TestRandom(seed: 5)
        let schema = Schema(fields: [Field(name: "s", type: .utf8, nullable: true)])
        for round in 0..<50 {
            let rows = 1 + rng.below(40)
            let values = (0..<rows).map { _ in String((0..<rng.below(12)).map { _ in ["\u{0}", "a", "b"][rng.below(3)] as Character }) }
            let validity = (0..<rows).map { _ in rng.below(6) != 0 }
            let valid = zip(values, validity).filter(\.1).map { Array($0.0.utf8) }
            let stats = try BatchEncoder.encode(RecordBatch(schema: schema, columns: [ColumnData(strings: values, validity: validity)])).pages[0].statistics
            guard let lo = valid.min(by: { $0.lexicographicallyPrecedes($1) }), let hi = valid.max(by: { $0.lexicographicallyPrecedes($1) }) else {
                XCTAssertEqual(stats.min, .null)
                continue
            }
            XCTAssertEqual(stats.min, .string(String(decoding: lo, as: UTF8.self)), "round \(round)")
            XCTAssertEqual(stats.max, .string(String(decoding: hi, as: UTF8.self)), "round \(round)")
        }
    }

    func testHyperLogLogEstimateWithinFivePercent() {
        let hll = HyperLogLog()
        var rng = TestRandom(seed: 11)
        for count in [100, 5_000, 200_000] {
            hll.reset()
            for _ in 0..<count { hll.add(hash: rng.next()) }
            XCTAssertEqual(hll.estimate(), Double(count), accuracy: Double(count) * 0.05, "\(count)")
        }
    }

    func testDictionaryTableGrowsPastEstimate() throws {
        // Many distinct values forced into a dictionary: the table must grow while encoding.
        let values = (0..<3000).map { "k\($0 % 1500)" }
        let batch = RecordBatch(schema: Schema(fields: [Field(name: "s", type: .utf8)]), columns: [ColumnData(strings: values)])
        let encoded = try BatchEncoder.encode(batch, options: EncodingOptions(compressionLevel: 0, forcedEncoding: .dictionary))
        XCTAssertEqual(try TestData.decode(encoded), batch)
    }

    func testStaticEncodeIsThreadSafeAndDeterministic() throws {
        let batches = (0..<4).map { TestData.batch(rows: 500, nullable: true, repetitive: $0 % 2 == 0, seed: 40 + UInt64($0)) }
        let expected = try batches.map { try BatchEncoder().encode($0).storage.withUnsafeBytes { [UInt8]($0) } }
        let results = PerThreadSlots(count: 16)
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            results.set(i, (try? BatchEncoder.encode(batches[i % 4]))?.storage.withUnsafeBytes { [UInt8]($0) } ?? [])
        }
        for i in 0..<16 { XCTAssertEqual(results.get(i), expected[i % 4], "encode \(i) differs") }
    }

    func testChecksumIsXXH3() {
        // XXH3-64 of the empty input with seed 0 (xxhash reference value).
        XCTAssertEqual(Checksum.xxh3([]), 0x2D06_8005_38D3_94C2)
        XCTAssertNotEqual(Checksum.xxh3([1, 2, 3]), Checksum.xxh3([1, 2, 4]))
    }
}

/// One slot per concurrent iteration; each slot is written by one thread only, read after all have finished.
private final class PerThreadSlots: @unchecked Sendable {  // @unchecked: disjoint slots, read after the join.
    private let slots: UnsafeMutableBufferPointer<[UInt8]>
    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: [])
    }
    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }
    func set(_ i: Int, _ v: [UInt8]) { slots[i] = v }
    func get(_ i: Int) -> [UInt8] { slots[i] }
}
