/// Where one page sits in a data file and what it holds.
public struct PageInfo: Sendable, Equatable {
    /// File offset of the page header.
    public let offset: Int
    /// Header + stored body bytes.
    public let byteCount: Int
    /// First row of the page within the file.
    public let firstRow: Int
    public let rowCount: Int
    public let compression: PageCompression
    public let statistics: PageStatistics

    public init(offset: Int, byteCount: Int, firstRow: Int, rowCount: Int, compression: PageCompression, statistics: PageStatistics) {
        self.offset = offset
        self.byteCount = byteCount
        self.firstRow = firstRow
        self.rowCount = rowCount
        self.compression = compression
        self.statistics = statistics
    }

    /// Rows `firstRow ..< firstRow + rowCount` of the file.
    public var rowRange: Range<Int> { firstRow ..< firstRow + rowCount }
}
