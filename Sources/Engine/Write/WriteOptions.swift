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
    /// A data file's header and pages stay within this many bytes (its footer is extra): a piece of a batch
    /// that would take the file past it starts a new file, and batches are split so that a piece fits
    /// (except a single row that alone is larger). Default 90 GiB.
    public var maxBytesPerFile: Int
    /// Most bytes the write pipeline holds in flight, in bytes (0 = bounded by `queueDepth` batches only):
    /// raw pieces queued or being encoded (each reserved with room for its encoded form) and encoded pieces
    /// queued, being reordered or waiting for a flush. Batches are split into pieces of at most a quarter of the
    /// budget; `write` waits while the budget is full, and returns only once every piece of a split batch is
    /// encoded (so the caller's batch is not kept alive by its slices). Encoder scratch, the caller's own batch
    /// and the buffer pool are outside the count. Default 64 MiB.
    public var memoryBudgetBytes: Int
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
                memoryBudgetBytes: Int = 64 << 20,
                commitMode: CommitMode = .once, mode: WriteMode = .append, encoderThreads: Int = 0,
                retryPolicy: CommitRetryPolicy = .default, onPhase: (@Sendable (String) -> Void)? = nil) {
        self.strategy = strategy
        self.flushEveryBatches = flushEveryBatches
        self.queueDepth = queueDepth
        self.compressionLevel = compressionLevel
        self.maxRowsPerFile = maxRowsPerFile
        self.maxBytesPerFile = maxBytesPerFile
        self.memoryBudgetBytes = memoryBudgetBytes
        self.commitMode = commitMode
        self.mode = mode
        self.encoderThreads = encoderThreads
        self.retryPolicy = retryPolicy
        self.onPhase = onPhase
    }
}
