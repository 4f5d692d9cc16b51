/// One leaf of a flattened conjunction, with its literal converted to the column's physical type.
struct CompiledCondition: Sendable {
    enum Test: Sendable {
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
