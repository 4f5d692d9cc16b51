/// What `DataFileWriter.finish()` produced.
public struct DataFileInfo: Sendable, Equatable {
    /// Last path component of the file.
    public let fileName: String
    /// Full path of the file.
    public let path: String
    /// Rows in the file.
    public let rowCount: Int
    /// File size in bytes (header + pages + footer + trailer).
    public let byteCount: Int
    /// The footer as written (cacheable; open a reader from it with `DataFileReader(url:footer:)`).
    public let footer: DataFileFooter

    /// Pages per column.
    public var pageCount: Int { footer.pageCount }
    /// Statistics of every page, `[column][page]`.
    public var pageStatistics: [[PageStatistics]] { footer.pageStatistics }
}
