import Foundation
import RunContract

/// RSS samples of one run in preallocated storage: recording a sample never allocates. When the buffer fills,
/// every other sample is dropped and the recording stride doubles, so any run length fits; the maximum is
/// tracked over every sample taken.
final class RSSSeries {
    let capacity: Int
    private(set) var times: UnsafeMutablePointer<UInt64>
    private(set) var values: UnsafeMutablePointer<Int64>
    /// PSS of the process tree per kept sample, bytes (-1 when not read: a single process).
    private(set) var pss: UnsafeMutablePointer<Int64>
    /// The run's cgroup `memory.current` per kept sample, bytes (-1 without a cgroup).
    private(set) var cgroup: UnsafeMutablePointer<Int64>
    /// Processes alive per kept sample.
    private(set) var processes: UnsafeMutablePointer<Int32>
    /// Largest PSS sum seen, bytes (0 when never read), and the most processes alive at once.
    private(set) var maxPSSBytes: Int64 = 0
    private(set) var maxProcesses: Int32 = 0
    private(set) var count = 0
    private var stride = 1
    private var skipped = 0
    /// Largest RSS seen by any sample, bytes.
    private(set) var maxBytes: Int64 = 0
    /// Samples taken (including those dropped by decimation).
    private(set) var taken = 0

    init(capacity: Int = 1 << 16) {
        self.capacity = Swift.max(4, capacity & ~1)
        times = .allocate(capacity: self.capacity)
        values = .allocate(capacity: self.capacity)
        pss = .allocate(capacity: self.capacity)
        processes = .allocate(capacity: self.capacity)
        cgroup = .allocate(capacity: self.capacity)
    }

    deinit {
        times.deallocate()
        values.deallocate()
        pss.deallocate()
        processes.deallocate()
        cgroup.deallocate()
    }

    @inline(__always)
    func record(tNs: UInt64, bytes: Int64, pssBytes: Int64 = -1, processCount: Int32 = 1, cgroupBytes: Int64 = -1,
                force: Bool = false) {
        taken += 1
        if bytes > maxBytes { maxBytes = bytes }
        if pssBytes > maxPSSBytes { maxPSSBytes = pssBytes }
        if processCount > maxProcesses { maxProcesses = processCount }
        if !force {
            skipped += 1
            if skipped < stride { return }
        }
        skipped = 0
        if count == capacity {
            var j = 0
            var i = 0
            while i < count {
                times[j] = times[i]
                values[j] = values[i]
                pss[j] = pss[i]
                processes[j] = processes[i]
                cgroup[j] = cgroup[i]
                j += 1
                i += 2
            }
            count = j
            stride *= 2
        }
        times[count] = tNs
        values[count] = bytes
        pss[count] = pssBytes
        processes[count] = processCount
        cgroup[count] = cgroupBytes
        count += 1
    }

    /// RSS at the first sample at or after `tNs` (the sampler samples right after each event), else the last sample.
    func value(atOrAfter tNs: UInt64) -> Int64? {
        guard count > 0 else { return nil }
        for i in 0..<count where times[i] >= tNs { return values[i] }
        return values[count - 1]
    }

    /// Largest sample in [from, to), bytes.
    func max(from: UInt64, to: UInt64) -> Int64? {
        var m: Int64?
        for i in 0..<count where times[i] >= from && times[i] < to { m = Swift.max(m ?? values[i], values[i]) }
        return m
    }
}
