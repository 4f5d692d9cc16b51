import Foundation
import RunContract

/// Result of a two-sided Mann-Whitney U test.
public struct MannWhitneyResult: Sendable, Equatable {
    /// U statistic of the first sample (number of pairs (x, y) with x > y, ties counting 1/2).
    public let u: Double
    /// Two-sided p-value.
    public let pValue: Double
    /// `exact` or `normal` (normal approximation with tie and continuity correction).
    public let method: String
}
