#if canImport(Glibc)
import Glibc
#endif

/// Comparison of a column with a literal.
public enum ComparisonOperator: String, Sendable, Equatable, CaseIterable {
    case eq, lt, le, gt, ge
}

/// A row filter a `DatasetScanner` pushes down: pages whose min/max statistics exclude every row are skipped
/// unread, and the rows of the other pages are filtered exactly.
///
/// Null values never match. Int columns compare with `.int` and `.double` literals numerically (a
/// non-integral double never equals an int); float64 columns with both (an `.int` literal is converted to
/// Double); utf8 columns with `.string` literals, byte-wise (UTF-8 order). Vector columns cannot be
/// filtered. A literal of the wrong kind is rejected when the scanner is created. Where Foundation is also
/// imported, spell the type `RowFilter` (Foundation has a `RowFilter` macro type).
public indirect enum RowFilter: Sendable, Equatable {
    /// `column <op> value`.
    case compare(String, ComparisonOperator, ScalarValue)
    /// `column IN values` (an empty list matches nothing).
    case isIn(String, [ScalarValue])
    /// Every predicate holds (an empty list matches every row).
    case and([RowFilter])

    /// Names of the columns the predicate reads, without duplicates, in first-use order.
    public var columns: [String] {
        var out: [String] = []
        func visit(_ p: RowFilter) {
            switch p {
            case .compare(let c, _, _), .isIn(let c, _):
                if !out.contains(c) { out.append(c) }
            case .and(let ps):
                ps.forEach(visit)
            }
        }
        visit(self)
        return out
    }

    /// Whether some row of a page with these statistics may match (false only when none can).
    /// - Parameter statistics: `(min, max, nullCount, rowCount)` of a column's page, nil when unknown.
    func mayMatch(_ statistics: (String) -> (min: ScalarValue, max: ScalarValue, nullCount: Int, rowCount: Int)?) -> Bool {
        switch self {
        case .and(let ps):
            for p in ps where !p.mayMatch(statistics) { return false }
            return true
        case .compare(let column, let op, let value):
            guard let s = statistics(column) else { return true }
            if s.nullCount >= s.rowCount { return false }
            return RowFilter.rangeMayMatch(min: s.min, max: s.max, op: op, value: value)
        case .isIn(let column, let values):
            guard let s = statistics(column) else { return true }
            if s.nullCount >= s.rowCount { return false }
            for v in values where RowFilter.rangeMayMatch(min: s.min, max: s.max, op: .eq, value: v) { return true }
            return false
        }
    }

    private static func rangeMayMatch(min: ScalarValue, max: ScalarValue, op: ComparisonOperator, value: ScalarValue) -> Bool {
        if case .null = value { return false }
        // Unknown order (missing statistics, NaN) → cannot exclude.
        guard let minVsValue = ScalarValue.compare(min, value), let maxVsValue = ScalarValue.compare(max, value) else { return true }
        switch op {
        case .eq: return minVsValue <= 0 && maxVsValue >= 0
        case .lt: return minVsValue < 0
        case .le: return minVsValue <= 0
        case .gt: return maxVsValue > 0
        case .ge: return maxVsValue >= 0
        }
    }
}

// MARK: - Compiled row filter

/// One leaf of a flattened conjunction, with its literal converted to the column's physical type.
struct CompiledCondition {
    enum Test {
        /// Int64 range test, inclusive bounds (ints and int comparisons against doubles reduce to this).
        case intRange(low: Int64, high: Int64)
        /// Sorted distinct Int64 candidates.
        case intIn([Int64])
        /// Double comparison.
        case double(ComparisonOperator, Double)
        /// Double candidates (NaN dropped).
        case doubleIn([Double])
        /// Byte-wise comparison with the literal's UTF-8 bytes.
        case string(ComparisonOperator, [UInt8])
        /// Sorted distinct candidates (byte order).
        case stringIn([[UInt8]])
        /// Matches no row.
        case none
    }

    /// Index of the column in the scanner's read columns.
    let column: Int
    let test: Test
}

/// A conjunction of conditions evaluated over one page group's columns, narrowing a selection vector.
struct CompiledFilter {
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
        var kept = 0
        let hasNulls = column.nullCount > 0
        @inline(__always) func valid(_ row: Int) -> Bool { !hasNulls || column.isValid(row) }
        switch test {
        case .none:
            return 0
        case .intRange(let low, let high):
            if column.type == .int32 {
                let p = column.values.pointer.assumingMemoryBound(to: Int32.self)
                for i in 0..<count {
                    let row = s[i]
                    let v = Int64(p[row])
                    if v >= low && v <= high && valid(row) { s[kept] = row; kept += 1 }
                }
            } else {
                let p = column.values.pointer.assumingMemoryBound(to: Int64.self)
                for i in 0..<count {
                    let row = s[i]
                    let v = p[row]
                    if v >= low && v <= high && valid(row) { s[kept] = row; kept += 1 }
                }
            }
        case .intIn(let candidates):
            candidates.withUnsafeBufferPointer { cands in
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
                    if lo < cands.count && cands[lo] == v && valid(row) { s[kept] = row; kept += 1 }
                }
            }
        case .double(let op, let d):
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
                if ok && valid(row) { s[kept] = row; kept += 1 }
            }
        case .doubleIn(let candidates):
            let p = column.values.pointer.assumingMemoryBound(to: Double.self)
            for i in 0..<count {
                let row = s[i]
                let v = p[row]
                if candidates.contains(v) && valid(row) { s[kept] = row; kept += 1 }
            }
        case .string(let op, let literal):
            literal.withUnsafeBytes { lit in
                for i in 0..<count {
                    let row = s[i]
                    let c = compareBytes(column.utf8Bytes(row), lit)
                    let ok: Bool
                    switch op {
                    case .eq: ok = c == 0
                    case .lt: ok = c < 0
                    case .le: ok = c <= 0
                    case .gt: ok = c > 0
                    case .ge: ok = c >= 0
                    }
                    if ok && valid(row) { s[kept] = row; kept += 1 }
                }
            }
        case .stringIn(let candidates):
            for i in 0..<count {
                let row = s[i]
                let bytes = column.utf8Bytes(row)
                var lo = 0, hi = candidates.count
                while lo < hi {
                    let mid = (lo + hi) >> 1
                    let c = candidates[mid].withUnsafeBytes { compareBytes($0, bytes) }
                    if c < 0 { lo = mid + 1 } else { hi = mid }
                }
                if lo < candidates.count, candidates[lo].withUnsafeBytes({ compareBytes($0, bytes) }) == 0, valid(row) {
                    s[kept] = row; kept += 1
                }
            }
        }
        return kept
    }
}
