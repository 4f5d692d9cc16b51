/// Settings of a `DatasetWriter`.
public struct WriteOptions: Sendable {
    /// Accumulate or streaming. Default `.streaming`.
    public var strategy: WriteStrategy
    /// Batches per flush (at least 1). A flush writes the encoded batches held since the last flush
    /// into the current data file; with `commitMode == .everyFlush` it also ends the file and commits.
    /// Default 1.
    public var flushEveryBatches: Int
    /// Batches the bounded queues between pipeline stages hold (at least 1); `write()` blocks when the
    /// encoders' queue is full. Default 4.
    public var queueDepth: Int
    /// zstd level of page compression, 0 = off. Default 1.
    public var compressionLevel: Int
    /// A data file ends once it holds this many rows (batches are split to fit). Default 1,048,576.
    public var maxRowsPerFile: Int
    /// A data file ends once it reaches this many bytes (checked after each write). Default 90 GiB.
    public var maxBytesPerFile: Int
    /// Commit once at close or at every flush. Default `.once`.
    public var commitMode: CommitMode
    /// Append to, create, or overwrite the dataset. Default `.append`.
    public var mode: WriteMode
    /// Encoding worker threads; 0 means one per active processor. Default 0.
    public var encoderThreads: Int
    /// Retry policy of the writer's commits. Default `CommitRetryPolicy.default`.
    public var retryPolicy: CommitRetryPolicy
    /// Called with "encode", "flush", "commit" and "close" when the writer enters that phase. Calls are
    /// serialized (never concurrent) but may come from the writer's worker threads.
    public var onPhase: (@Sendable (String) -> Void)?

    public init(strategy: WriteStrategy = .streaming, flushEveryBatches: Int = 1, queueDepth: Int = 4,
                compressionLevel: Int = 1, maxRowsPerFile: Int = 1_048_576, maxBytesPerFile: Int = 90 << 30,
                commitMode: CommitMode = .once, mode: WriteMode = .append, encoderThreads: Int = 0,
                retryPolicy: CommitRetryPolicy = .default, onPhase: (@Sendable (String) -> Void)? = nil) {
        self.strategy = strategy
        self.flushEveryBatches = flushEveryBatches
        self.queueDepth = queueDepth
        self.compressionLevel = compressionLevel
        self.maxRowsPerFile = maxRowsPerFile
        self.maxBytesPerFile = maxBytesPerFile
        self.commitMode = commitMode
        self.mode = mode
        self.encoderThreads = encoderThreads
        self.retryPolicy = retryPolicy
        self.onPhase = onPhase
    }
}
