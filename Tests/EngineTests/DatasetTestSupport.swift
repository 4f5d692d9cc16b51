import XCTest
import Foundation
@testable import Engine


enum DatasetFixtures {
    /// Every column type, nullable and not.
    static let schema = Schema(fields: [
        Field(name: "id", type: .int64),
        Field(name: "small", type: .int32, nullable: true),
        Field(name: "score", type: .float64, nullable: true),
        Field(name: "tag", type: .utf8),
        Field(name: "note", type: .utf8, nullable: true),
        Field(name: "vec", type: .float32Vector(dimension: 3)),
    ])

    static let tags = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]

    /// Rows `firstId ..< firstId + rows`: `id` ascending (so pages have disjoint id ranges), the rest random
    /// with runs and repeats so that every page encoding gets used.
    static func batch(firstId: Int, rows: Int, random: inout TestRandom) -> RecordBatch {
        let b = RecordBatchBuilder(schema: schema, capacityRows: rows)
        for r in 0..<rows {
            b.appendInt64(column: 0, Int64(firstId + r))
            if random.next() % 10 == 0 { b.appendNull(column: 1) } else { b.appendInt32(column: 1, Int32(truncatingIfNeeded: random.next() % 200) - 100) }
            if random.next() % 13 == 0 { b.appendNull(column: 2) } else { b.appendFloat64(column: 2, Double(random.next() % 10_000) / 100) }
            b.appendString(column: 3, tags[Int(random.next() % UInt64(tags.count))])
            if random.next() % 7 == 0 { b.appendNull(column: 4) } else { b.appendString(column: 4, "note-\(random.next() % 50)-" + String(repeating: "x", count: Int(random.next() % 20))) }
            let v: [Float] = [Float(r), Float(random.next() % 100) / 10, -1]
            b.appendFloat32Vector(column: 5, v)
        }
        return b.finish()
    }

    /// `count` batches of `rows` rows each, ids 0 ..< count * rows.
    static func batches(count: Int, rows: Int, seed: UInt64) -> [RecordBatch] {
        var random = TestRandom(seed: seed)
        return (0..<count).map { batch(firstId: $0 * rows, rows: rows, random: &random) }
    }

    /// Whether row `row` of `batch` satisfies `predicate`, the slow obvious way (`ScalarValue.compare`).
    static func matches(_ predicate: RowFilter, _ batch: RecordBatch, _ row: Int) -> Bool {
        switch predicate {
        case .and(let ps):
            return ps.allSatisfy { matches($0, batch, row) }
        case .compare(let name, let op, let value):
            let v = batch.scalar(column: batch.schema.index(of: name)!, row: row)
            guard let c = ScalarValue.compare(v, value) else { return false }
            switch op {
            case .eq: return c == 0
            case .lt: return c < 0
            case .le: return c <= 0
            case .gt: return c > 0
            case .ge: return c >= 0
            }
        case .isIn(let name, let values):
            let v = batch.scalar(column: batch.schema.index(of: name)!, row: row)
            return values.contains { ScalarValue.compare(v, $0) == 0 }
        }
    }

    /// All rows of a scan concatenated (checks every batch but the last is exactly `batchSize` rows).
    static func drain(_ scanner: DatasetScanner, batchSize: Int, file: StaticString = #filePath, line: UInt = #line) throws -> [RecordBatch] {
        var out: [RecordBatch] = []
        while let b = try scanner.next() {
            out.append(b)
        }
        for (i, b) in out.enumerated() where i < out.count - 1 {
            XCTAssertEqual(b.rowCount, batchSize, "batch \(i)", file: file, line: line)
        }
        if let last = out.last { XCTAssertTrue(last.rowCount > 0 && last.rowCount <= batchSize, file: file, line: line) }
        return out
    }

    /// Bytes of a data file's header and pages: its size minus the footer and trailer (footer length read from
    /// the trailer, docs/FORMAT.md).
    static func headerAndPageBytes(_ url: URL) throws -> Int {
        let bytes = try Data(contentsOf: url)
        let trailer = bytes.count - FormatConstants.dataFileTrailerBytes
        let footerLength = bytes[trailer..<(trailer + 4)].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        return trailer - footerLength
    }

    static func temporaryDirectory(_ tag: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("hw-\(tag)-\(UUID().uuidString)")
    }
}

/// State shared with helper threads in tests, guarded by a lock.
final class TestLockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ value: T) { self.value = value }
    func with<R>(_ body: (inout T) -> R) -> R {
        lock.lock(); defer { lock.unlock() }
        return body(&value)
    }
    var get: T { with { $0 } }
}

/// Runs `body` on a new thread; returns a semaphore signalled when it ends.
func runOnThread(_ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
    let done = DispatchSemaphore(value: 0)
    Thread { body(); done.signal() }.start()
    return done
}
