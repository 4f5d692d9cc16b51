/// Comparison of a column with a literal.
public enum ComparisonOperator: String, Sendable, Equatable, CaseIterable {
    case eq, lt, le, gt, ge
}
