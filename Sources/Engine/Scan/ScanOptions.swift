/// What a `DatasetScanner` reads.
public struct ScanOptions: Sendable, Equatable {
    /// Columns to read, in output order; nil reads every column. Only these columns' pages are read
    /// (plus the filter's columns, which are not returned unless listed). Default nil.
    public var columns: [String]?
    /// Rows to keep; pages whose statistics exclude every row are skipped unread. Default nil (all rows).
    public var filter: RowFilter?
    /// Rows per returned batch (at least 1); the last batch may be shorter. Default 10,000.
    public var batchSize: Int
    /// Read the next page group on a background thread while the caller consumes the current batch
    /// (holds one more page group in memory). Default true.
    public var readAhead: Bool

    public init(columns: [String]? = nil, filter: RowFilter? = nil, batchSize: Int = 10_000, readAhead: Bool = true) {
        self.columns = columns
        self.filter = filter
        self.batchSize = batchSize
        self.readAhead = readAhead
    }
}
