/// Statistics of one page (one column of one batch), computed before encoding and stored in the footer.
///
/// `min`/`max` cover valid (non-null) values only: int32/int64 as `.int`, float64 as `.double` (NaNs are
/// skipped), utf8 as `.string` in byte-wise order; both are `.null` when the page has no comparable value
/// (all null, all NaN, or a vector column). A filter may skip a page when its range excludes the literal.
public struct PageStatistics: Sendable, Equatable {
    public var min: ScalarValue
    public var max: ScalarValue
    /// Null rows.
    public var nullCount: Int
    /// Maximal runs of equal consecutive slots (null slots included, compared by stored bytes).
    public var runCount: Int
    /// HyperLogLog estimate of distinct valid values (rounded, clamped to 1...valid rows; 0 when none).
    public var distinctEstimate: Int
    /// The encoding chosen for the page.
    public var encoding: PageEncoding

    public init(min: ScalarValue = .null, max: ScalarValue = .null, nullCount: Int = 0, runCount: Int = 0,
                distinctEstimate: Int = 0, encoding: PageEncoding = .plain) {
        self.min = min
        self.max = max
        self.nullCount = nullCount
        self.runCount = runCount
        self.distinctEstimate = distinctEstimate
        self.encoding = encoding
    }
}

#if canImport(Glibc)
import Glibc
#endif
