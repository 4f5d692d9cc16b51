import Engine

/// Counts how many of the batches a workload handed to the engine are still alive, through weak references
/// to each batch's first buffer: a logical "batches held" figure that does not depend on the allocator or
/// on RSS sampling. One weak reference per batch (never per value); dead ones are pruned as it goes.
///
/// Each prune scans the batches still alive, so when many are (accumulate), pruning happens every
/// `pruneInterval` tracks only: the peak can then count a batch that died since the last prune, never miss one.
final class BatchLiveness {
    private struct Entry {
        weak var buffer: ByteBuffer?
        let bytes: Int
    }
    /// Below this many live entries every `track` prunes (exact); above it, every `pruneInterval`-th does.
    private static let exactBelow = 64
    private static let pruneInterval = 16
    private var entries: [Entry] = []
    private var entryBytes = 0
    private var tracks = 0
    /// Most batches alive at any `track` call.
    private(set) var peakBatches = 0
    /// Most bytes (allocated capacity of the batches' buffers) alive at any `track` call.
    private(set) var peakBytes = 0

    /// Starts following `batch` (call after handing it over, with no other reference kept).
    func track(_ batch: RecordBatch) {
        guard let first = batch.columns.first else { return }
        let bytes = batch.allocatedBytes
        entries.append(Entry(buffer: first.values, bytes: bytes))
        entryBytes += bytes
        tracks += 1
        if entries.count < Self.exactBelow || tracks % Self.pruneInterval == 0 { prune() }
        peakBatches = max(peakBatches, entries.count)
        peakBytes = max(peakBytes, entryBytes)
    }

    /// Prunes dead batches and updates the peaks.
    func sample() {
        prune()
        peakBatches = max(peakBatches, entries.count)
        peakBytes = max(peakBytes, entryBytes)
    }

    private func prune() {
        entries.removeAll { e in
            if e.buffer == nil {
                entryBytes -= e.bytes
                return true
            }
            return false
        }
    }
}
