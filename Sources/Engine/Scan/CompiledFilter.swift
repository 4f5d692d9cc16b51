#if canImport(Glibc)
import Glibc
#endif

/// A conjunction of conditions evaluated over one page group's columns, narrowing a selection vector.
struct CompiledFilter: Sendable {
    let conditions: [CompiledCondition]

    /// Compiles `predicate` for a schema; `readIndex(name)` gives the column's index among the read columns.
    /// - Throws: `EngineError.invalidArgument` for unknown columns, vector columns or literals of the wrong kind.
    init(_ predicate: RowFilter, schema: Schema, readIndex: (String) -> Int) throws {
        var out: [CompiledCondition] = []
        func visit(_ p: RowFilter) throws {
            switch p {
            case .and(let ps):
                for q in ps { try visit(q) }
            case .compare(let name, let op, let value):
                let type = try CompiledFilter.columnType(name, schema)
                out.append(CompiledCondition(column: readIndex(name), test: try CompiledFilter.compile(name, type, op, value)))
            case .isIn(let name, let values):
                let type = try CompiledFilter.columnType(name, schema)
                out.append(CompiledCondition(column: readIndex(name), test: try CompiledFilter.compileIn(name, type, values)))
            }
        }
        try visit(predicate)
        conditions = out
    }

    private static func columnType(_ name: String, _ schema: Schema) throws -> ColumnType {
        guard let i = schema.index(of: name) else { throw EngineError.invalidArgument(reason: "filter names unknown column '\(name)'") }
        let type = schema.fields[i].type
        if case .float32Vector = type { throw EngineError.invalidArgument(reason: "cannot filter vector column '\(name)'") }
        return type
    }

    private static func compile(_ name: String, _ type: ColumnType, _ op: ComparisonOperator, _ value: ScalarValue) throws -> CompiledCondition.Test {
        switch (type, value) {
        case (_, .null):
            return .none
        case (.int32, .int(let v)), (.int64, .int(let v)):
            return intRange(op, v)
        case (.int32, .double(let d)), (.int64, .double(let d)):
            if d.isNaN { return .none }
            // v < d ⇔ v < ceil(d); v <= d ⇔ v <= floor(d); v > d ⇔ v > floor(d); v >= d ⇔ v >= ceil(d).
            let fl = d.rounded(.down), ce = d.rounded(.up)
            switch op {
            case .eq: return fl == d ? saturatingRange(low: d, high: d) : .none
            case .lt: return saturatingRange(low: -.infinity, high: ce - 1)
            case .le: return saturatingRange(low: -.infinity, high: fl)
            case .gt: return saturatingRange(low: fl + 1, high: .infinity)
            case .ge: return saturatingRange(low: ce, high: .infinity)
            }
        case (.float64, .double(let d)):
            return d.isNaN ? .none : .double(op, d)
        case (.float64, .int(let v)):
            return .double(op, Double(v))
        case (.utf8, .string(let s)):
            return .string(op, Array(s.utf8))
        default:
            throw EngineError.invalidArgument(reason: "filter compares \(type) column '\(name)' with \(value)")
        }
    }

    private static func compileIn(_ name: String, _ type: ColumnType, _ values: [ScalarValue]) throws -> CompiledCondition.Test {
        switch type {
        case .int32, .int64:
            var ints: [Int64] = []
            for v in values {
                switch v {
                case .int(let x): ints.append(x)
                case .double(let d):
                    if d.rounded(.down) == d, d >= -9.2e18, d <= 9.2e18 { ints.append(Int64(d)) }
                case .null: continue
                case .string: throw EngineError.invalidArgument(reason: "filter compares \(type) column '\(name)' with \(v)")
                }
            }
            ints = Array(Set(ints)).sorted()
            return ints.isEmpty ? .none : .intIn(ints)
        case .float64:
            var ds: [Double] = []
            for v in values {
                switch v {
                case .int(let x): ds.append(Double(x))
                case .double(let d): if !d.isNaN { ds.append(d) }
                case .null: continue
                case .string: throw EngineError.invalidArgument(reason: "filter compares float64 column '\(name)' with \(v)")
                }
            }
            return ds.isEmpty ? .none : .doubleIn(ds)
        case .utf8:
            var strings: [[UInt8]] = []
            for v in values {
                switch v {
                case .string(let s): strings.append(Array(s.utf8))
                case .null: continue
                default: throw EngineError.invalidArgument(reason: "filter compares utf8 column '\(name)' with \(v)")
                }
            }
            strings.sort { a, b in a.lexicographicallyPrecedes(b) }
            var unique: [[UInt8]] = []
            for s in strings where unique.last != s { unique.append(s) }
            return unique.isEmpty ? .none : .stringIn(unique)
        case .float32Vector:
            throw EngineError.invalidArgument(reason: "cannot filter vector column '\(name)'")
        }
    }

    private static func intRange(_ op: ComparisonOperator, _ v: Int64) -> CompiledCondition.Test {
        switch op {
        case .eq: return .intRange(low: v, high: v)
        case .lt: return v == .min ? .none : .intRange(low: .min, high: v - 1)
        case .le: return .intRange(low: .min, high: v)
        case .gt: return v == .max ? .none : .intRange(low: v + 1, high: .max)
        case .ge: return .intRange(low: v, high: .max)
        }
    }

    /// An inclusive Int64 range from double bounds (integral or infinite), clamped to Int64.
    private static func saturatingRange(low: Double, high: Double) -> CompiledCondition.Test {
        let limit = 9.223372036854775807e18 // 2^63 as a Double
        if low >= limit || high < -limit || low > high { return .none }
        let lo: Int64 = low < -limit ? .min : Int64(low)
        let hi: Int64 = high >= limit ? .max : Int64(high)
        return .intRange(low: lo, high: hi)
    }

    /// Keeps, among `selection[0..<count]` (row indexes into `columns`), the rows every condition accepts.
    /// Compacts `selection` in place and returns the new count.
    func apply(columns: [ColumnData], selection: UnsafeMutablePointer<Int>, count: Int) -> Int {
        var n = count
        for c in conditions {
            if n == 0 { break }
            n = CompiledFilter.apply(c.test, to: columns[c.column], selection: selection, count: n)
        }
        return n
    }

    private static func apply(_ test: CompiledCondition.Test, to column: ColumnData, selection s: UnsafeMutablePointer<Int>, count: Int) -> Int {
        switch test {
        case .none: return 0
        case .intRange(let low, let high): return keepIntRange(low, high, column, s, count)
        case .intIn(let candidates): return keepIntIn(candidates, column, s, count)
        case .double(let op, let d): return keepDouble(op, d, column, s, count)
        case .doubleIn(let candidates): return keepDoubleIn(candidates, column, s, count)
        case .string(let op, let literal): return keepString(op, literal, column, s, count)
        case .stringIn(let candidates): return keepStringIn(candidates, column, s, count)
        }
    }

    /// Whether `row` is valid, for a column that may have nulls.
    @inline(__always)
    private static func valid(_ column: ColumnData, _ hasNulls: Bool, _ row: Int) -> Bool {
        !hasNulls || column.isValid(row)
    }

    @inline(__always)
    private static func holds(_ op: ComparisonOperator, _ order: Int) -> Bool {
        switch op {
        case .eq: return order == 0
        case .lt: return order < 0
        case .le: return order <= 0
        case .gt: return order > 0
        case .ge: return order >= 0
        }
    }

    private static func keepIntRange(_ low: Int64, _ high: Int64, _ column: ColumnData, _ s: UnsafeMutablePointer<Int>, _ count: Int) -> Int {
        var kept = 0
        let hasNulls = column.nullCount > 0
        if column.type == .int32 {
            let p = column.values.pointer.assumingMemoryBound(to: Int32.self)
            for i in 0..<count {
                let row = s[i]
                let v = Int64(p[row])
                if v >= low && v <= high && valid(column, hasNulls, row) { s[kept] = row; kept += 1 }
            }
        } else {
            let p = column.values.pointer.assumingMemoryBound(to: Int64.self)
            for i in 0..<count {
                let row = s[i]
                let v = p[row]
                if v >= low && v <= high && valid(column, hasNulls, row) { s[kept] = row; kept += 1 }
            }
        }
        return kept
    }

    private static func keepIntIn(_ candidates: [Int64], _ column: ColumnData, _ s: UnsafeMutablePointer<Int>, _ count: Int) -> Int {
        let hasNulls = column.nullCount > 0
        return candidates.withUnsafeBufferPointer { cands in
            var kept = 0
            let int32 = column.type == .int32
            let raw = column.values.pointer
            for i in 0..<count {
                let row = s[i]
                let v = int32 ? Int64(raw.load(fromByteOffset: row &* 4, as: Int32.self)) : raw.load(fromByteOffset: row &* 8, as: Int64.self)
                var lo = 0, hi = cands.count
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    if cands[mid] < v { lo = mid + 1 } else { hi = mid }
                }
                if lo < cands.count && cands[lo] == v && valid(column, hasNulls, row) { s[kept] = row; kept += 1 }
            }
            return kept
        }
    }

    private static func keepDouble(_ op: ComparisonOperator, _ d: Double, _ column: ColumnData, _ s: UnsafeMutablePointer<Int>, _ count: Int) -> Int {
        var kept = 0
        let hasNulls = column.nullCount > 0
        let p = column.values.pointer.assumingMemoryBound(to: Double.self)
        for i in 0..<count {
            let row = s[i]
            let v = p[row]
            let ok: Bool
            switch op {
            case .eq: ok = v == d
            case .lt: ok = v < d
            case .le: ok = v <= d
            case .gt: ok = v > d
            case .ge: ok = v >= d
            }
            if ok && valid(column, hasNulls, row) { s[kept] = row; kept += 1 }
        }
        return kept
    }

    private static func keepDoubleIn(_ candidates: [Double], _ column: ColumnData, _ s: UnsafeMutablePointer<Int>, _ count: Int) -> Int {
        var kept = 0
        let hasNulls = column.nullCount > 0
        let p = column.values.pointer.assumingMemoryBound(to: Double.self)
        for i in 0..<count {
            let row = s[i]
            let v = p[row]
            if candidates.contains(v) && valid(column, hasNulls, row) { s[kept] = row; kept += 1 }
        }
        return kept
    }

    private static func keepString(_ op: ComparisonOperator, _ literal: [UInt8], _ column: ColumnData, _ s: UnsafeMutablePointer<Int>, _ count: Int) -> Int {
        let hasNulls = column.nullCount > 0
        return literal.withUnsafeBytes { lit in
            var kept = 0
            for i in 0..<count {
                let row = s[i]
                if holds(op, compareBytes(column.utf8Bytes(row), lit)) && valid(column, hasNulls, row) { s[kept] = row; kept += 1 }
            }
            return kept
        }
    }

    private static func keepStringIn(_ candidates: [[UInt8]], _ column: ColumnData, _ s: UnsafeMutablePointer<Int>, _ count: Int) -> Int {
        var kept = 0
        let hasNulls = column.nullCount > 0
        for i in 0..<count {
            let row = s[i]
            let bytes = column.utf8Bytes(row)
            var lo = 0, hi = candidates.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                let c = candidates[mid].withUnsafeBytes { compareBytes($0, bytes) }
                if c < 0 { lo = mid + 1 } else { hi = mid }
            }
            if lo < candidates.count, candidates[lo].withUnsafeBytes({ compareBytes($0, bytes) }) == 0, valid(column, hasNulls, row) {
                s[kept] = row; kept += 1
            }
        }
        return kept
    }
}
