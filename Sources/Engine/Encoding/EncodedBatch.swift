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
