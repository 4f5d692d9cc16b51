import Foundation

/// Each process's own RSS at every sample of a run (for `process_series.csv` and the per-process plot), in
/// preallocated storage: recording never allocates. When the storage fills, every other sample's entries are
/// dropped and only every `stride`-th sample is kept from then on, as `RSSSeries` does, so any run length fits.
final class ProcessSeries {
    let capacity: Int
    private(set) var times: UnsafeMutablePointer<UInt64>
    private(set) var pids: UnsafeMutablePointer<Int32>
    private(set) var rssBytes: UnsafeMutablePointer<Int64>
    private var sampleIndexes: UnsafeMutablePointer<Int>
    private(set) var count = 0
    private var sampleIndex = -1
    private var stride = 1
    private var keeping = true

    init(capacity: Int = 1 << 15) {
        self.capacity = max(8, capacity)
        times = .allocate(capacity: self.capacity)
        pids = .allocate(capacity: self.capacity)
        rssBytes = .allocate(capacity: self.capacity)
        sampleIndexes = .allocate(capacity: self.capacity)
    }

    deinit {
        times.deallocate()
        pids.deallocate()
        rssBytes.deallocate()
        sampleIndexes.deallocate()
    }

    /// Starts a sample: its entries are kept when its index is a multiple of the stride.
    @inline(__always)
    func beginSample() {
        sampleIndex += 1
        keeping = sampleIndex % stride == 0
    }

    /// One process's RSS at the current sample.
    @inline(__always)
    func record(tNs: UInt64, pid: Int32, bytes: Int64) {
        guard keeping else { return }
        if count == capacity {
            halve()
            guard keeping else { return }
        }
        times[count] = tNs
        pids[count] = pid
        rssBytes[count] = bytes
        sampleIndexes[count] = sampleIndex
        count += 1
    }

    /// Doubles the stride and keeps only the entries of samples that are still multiples of it.
    private func halve() {
        stride *= 2
        var j = 0
        for i in 0..<count where sampleIndexes[i] % stride == 0 {
            times[j] = times[i]
            pids[j] = pids[i]
            rssBytes[j] = rssBytes[i]
            sampleIndexes[j] = sampleIndexes[i]
            j += 1
        }
        count = j
        keeping = sampleIndex % stride == 0
    }
}
