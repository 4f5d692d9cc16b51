/// A row filter a `DatasetScanner` pushes down: pages whose min/max statistics exclude every row are skipped
/// unread, and the rows of the other pages are filtered exactly.
///
/// Null values never match. Int columns compare with `.int` and `.double` literals numerically (a
/// non-integral double never equals an int); float64 columns with both (an `.int` literal is converted to
/// Double); utf8 columns with `.string` literals, byte-wise (UTF-8 order). Vector columns cannot be
/// filtered. A literal of the wrong kind is rejected when the scanner is created. (Called `Predicate` before, a
/// name Foundation also uses.)
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
