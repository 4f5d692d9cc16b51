/// One encoded page: where its bytes (header + stored body) sit in the batch's storage, and its statistics.
public struct EncodedPage: Sendable, Equatable {
    /// Column index in the schema.
    public let column: Int
    /// Rows in the page.
    public let rowCount: Int
    /// Statistics and the chosen encoding.
    public let statistics: PageStatistics
    /// How the body is stored.
    public let compression: PageCompression
    /// Offset of the page's first byte (its header) in `EncodedBatch.storage`.
    public let storageOffset: Int
    /// Header + stored body bytes.
    public let byteCount: Int
    /// Uncompressed body bytes (encoded values + validity bitmap).
    public let bodyBytes: Int
}
