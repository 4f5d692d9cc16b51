import Foundation
import CProcess
import RunContract

/// Every process of a run, found by walking `/proc/PID/task/TID/children` down from the run's root at each sample
/// (with fixed buffers: a sample allocates nothing unless a new process appeared):
/// children, grandchildren and background processes, and orphans too (highwater-spawn is a child subreaper, so a
/// process whose parent died is re-parented to it and stays in the walk). A sample sums their RSS and, when more
/// than one process is alive, their PSS (`smaps_rollup`, which counts a page shared by k processes as 1/k in each,
/// so the sum counts shared memory once). It also keeps each process's own peak for the per-process breakdown.
final class ProcessTree {
    /// One process seen during the run.
    struct Member {
        var pid: pid_t
        var command: String
        var peakRSSBytes: Int64
        var firstSeenNs: UInt64
        var lastSeenNs: UInt64
    }

    /// What one sample found.
    struct Sample {
        var rssBytes: Int64 = 0
        /// Sum of PSS when more than one process was alive; nil otherwise (then PSS is not read: it costs a page walk).
        var pssBytes: Int64?
        var processes = 0
    }

    let root: pid_t
    /// Whether `root` itself is part of the run (false when it is highwater-spawn, whose ~1 MB is not the program's).
    let includeRoot: Bool
    private(set) var members: [pid_t: Member] = [:]
    /// Each process's RSS at each sample.
    let series = ProcessSeries()
    /// Pids found by the last walk, in preallocated storage (a walk allocates nothing).
    private let pids: UnsafeMutablePointer<Int32>
    private var count = 0
    static let capacity = 4096
    private static let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))

    init(root: pid_t, includeRoot: Bool) {
        self.root = root
        self.includeRoot = includeRoot
        pids = .allocate(capacity: Self.capacity)
    }

    deinit { pids.deallocate() }

    /// Walks the tree (breadth first, through CProcess's allocation-free readers) and reads each process's RSS, and
    /// its PSS when several are alive.
    func sample(now: UInt64) -> Sample {
        count = 0
        if includeRoot { pids[0] = root; count = 1 }
        count += Int(hw_proc_children(root, pids + count, Int32(Self.capacity - count)))
        var i = includeRoot ? 1 : 0
        while i < count && count < Self.capacity {
            count += Int(hw_proc_children(pids[i], pids + count, Int32(Self.capacity - count)))
            i += 1
        }
        var s = Sample()
        series.beginSample()
        var pss: Int64 = 0
        let readPSS = count > 1
        for k in 0..<count {
            let pid = pids[k]
            let rss = hw_proc_rss_bytes(pid, Self.pageSize)
            guard rss > 0 else { continue }
            s.rssBytes += rss
            s.processes += 1
            if readPSS { pss += hw_proc_pss_bytes(pid) }
            series.record(tNs: now, pid: pid, bytes: rss)
            note(pid, rss: rss, now: now)
        }
        if readPSS { s.pssBytes = pss }
        return s
    }

    /// Every pid of the last walk (to kill stragglers at the end of a run).
    var lastWalk: [pid_t] { (0..<count).map { pids[$0] } }

    private func note(_ pid: pid_t, rss: Int64, now: UInt64) {
        if members[pid] != nil {
            members[pid]!.peakRSSBytes = max(members[pid]!.peakRSSBytes, rss)
            members[pid]!.lastSeenNs = now
        } else {
            members[pid] = Member(pid: pid, command: Self.command(of: pid), peakRSSBytes: rss, firstSeenNs: now, lastSeenNs: now)
        }
    }

    /// The process's command name (`/proc/PID/comm`).
    static func command(of pid: pid_t) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/comm") else { return "?" }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
