/// How a `DatasetWriter` turns batches into data files (seed note 003).
public enum WriteStrategy: String, Sendable, CaseIterable {
    /// Hold every batch in memory until `close()`, then encode and write them all: peak memory grows
    /// with the rows written (the note's 601-batches-in-memory model).
    case accumulate
    /// Encode and write batches as they arrive through a bounded queue, overlapping generation (the
    /// caller), encoding (worker threads) and file I/O (another worker): memory stays
    /// O(batch size × queue depth) however many rows are written.
    case streaming
}
