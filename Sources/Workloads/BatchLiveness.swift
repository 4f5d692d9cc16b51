import Engine

/// Counts how many of the batches a workload handed to the engine are still alive, through weak references
/// to each batch's first buffer: a logical "batches held" figure that does not depend on the allocator or
/// on RSS sampling. One weak reference per batch (never per value); dead ones are pruned as it goes.
final class BatchLiveness {
    private struct Entry {
        weak var buffer: ByteBuffer?
        let bytes: Int
    }
    private var entries: [Entry] = []
    /// Most batches alive at any `track` call.
    private(set) var peakBatches = 0
    /// Most bytes (allocated capacity of the batches' buffers) alive at any `track` call.
    private(set) var peakBytes = 0

    /// Starts following `batch` (call after handing it over, with no other reference kept).
    func track(_ batch: RecordBatch) {
        guard let first = batch.columns.first else { return }
        entries.append(Entry(buffer: first.values, bytes: batch.allocatedBytes))
        sample()
    }

    /// Prunes dead batches and updates the peaks.
    func sample() {
        entries.removeAll { $0.buffer == nil }
        peakBatches = max(peakBatches, entries.count)
        peakBytes = max(peakBytes, entries.reduce(0) { $0 + $1.bytes })
    }

    /// Batches alive now.
    var aliveBatches: Int {
        entries.removeAll { $0.buffer == nil }
        return entries.count
    }
}
