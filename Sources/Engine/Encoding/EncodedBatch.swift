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

/// The output of `BatchEncoder.encode`: every column of one batch as a ready-to-write page, contiguous in
/// one immutable buffer (pages in column order). A value type; `Sendable`, so one thread can encode and
/// another write.
public struct EncodedBatch: Sendable {
    /// The encoded batch's schema.
    public let schema: Schema
    /// Rows in the batch.
    public let rowCount: Int
    /// One page per column, in column order.
    public let pages: [EncodedPage]
    /// All pages' bytes back to back (`pages[i].storageOffset ..< + byteCount`).
    public let storage: ByteBuffer
    /// Raw value bytes of the batch (WORKLOAD.md "raw value bytes").
    public let rawBytes: Int
    /// Time spent per encoding stage.
    public let timings: EncodeTimings

    /// Bytes this batch adds to a data file (all pages with their headers; the footer is extra).
    public var encodedBytes: Int { storage.count }

    /// `rawBytes / encodedBytes` (0 when nothing was encoded).
    public var compressionRatio: Double { encodedBytes == 0 ? 0 : Double(rawBytes) / Double(encodedBytes) }
}
