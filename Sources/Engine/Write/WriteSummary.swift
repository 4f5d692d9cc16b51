/// What a `DatasetWriter` did, returned by `close()`.
public struct WriteSummary: Sendable {
    /// Rows written.
    public var rows: Int = 0
    /// Raw value bytes of the rows (WORKLOAD.md "raw value bytes").
    public var rawBytes: Int = 0
    /// Bytes that reached disk: data files, deletion files and manifests.
    public var bytesWritten: Int = 0
    /// Bytes of the data files alone.
    public var dataFileBytes: Int = 0
    /// Encoded page bytes (after compression), the denominator of `compressionRatio`.
    public var encodedBytes: Int = 0
    /// Data files (fragments) written.
    public var files: Int = 0
    /// Versions committed.
    public var versions: Int = 0
    /// Commit retries (lost races) over all commits.
    public var commitRetries: Int = 0
    /// The most bytes the pipeline held in flight at once (`ByteBudget`'s high-water mark; 0 without a budget).
    public var inFlightHighWaterBytes: Int = 0
    /// Encoded pieces that came out larger than the bound reserved for them (0 unless the bound is wrong).
    public var budgetOvershoots: Int = 0
    /// Flushes performed.
    public var flushes: Int = 0
    /// The dataset version after the last commit (nil when nothing was committed).
    public var finalVersion: Int?
    /// `rawBytes / encodedBytes` (nil when nothing was encoded).
    public var compressionRatio: Double? { encodedBytes > 0 ? Double(rawBytes) / Double(encodedBytes) : nil }
    /// Nanoseconds from the writer's creation to its first data-file write (nil if nothing was written).
    public var firstWriteNanoseconds: UInt64?
    /// Nanoseconds from the writer's creation to the end of `close()`.
    public var totalNanoseconds: UInt64 = 0
    /// Encoder thread CPU time computing page statistics (`EncodeTimings.statsNanoseconds`), in nanoseconds
    /// summed over encoder threads (so the three encode figures together can exceed wall time).
    public var encodeStatsNanoseconds: UInt64 = 0
    /// Encoder thread CPU time choosing encodings and building page bodies, in nanoseconds (summed).
    public var encodeSelectNanoseconds: UInt64 = 0
    /// Encoder thread CPU time compressing pages (zstd) and checksumming, in nanoseconds (summed).
    public var encodeCompressNanoseconds: UInt64 = 0
    /// Wall time of every `write()` call, in order, in nanoseconds (streaming: includes waiting for queue
    /// space, i.e. backpressure; accumulate: only the append).
    public var batchLatenciesNanoseconds: [UInt64] = []

    public init() {}
}
