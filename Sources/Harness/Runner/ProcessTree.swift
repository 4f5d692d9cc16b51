import Foundation
import RunContract

/// Every process of a run, found by walking `/proc/PID/task/TID/children` down from the run's root at each sample:
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
    /// Pids found by the last walk (reused buffer).
    private var pids: [pid_t] = []
    private let buffer = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 8)

    init(root: pid_t, includeRoot: Bool) {
        self.root = root
        self.includeRoot = includeRoot
        pids.reserveCapacity(64)
    }

    deinit { buffer.deallocate() }

    /// Walks the tree and reads each process's RSS (and PSS when several are alive).
    func sample(now: UInt64) -> Sample {
        pids.removeAll(keepingCapacity: true)
        if includeRoot { pids.append(root) }
        collectChildren(of: root)
        var s = Sample()
        var pss: Int64 = 0
        let readPSS = pids.count > 1
        for pid in pids {
            let rss = statmRSS(pid)
            guard rss > 0 else { continue }
            s.rssBytes += rss
            s.processes += 1
            if readPSS { pss += smapsRollupPSS(pid) }
            note(pid, rss: rss, now: now)
        }
        if readPSS { s.pssBytes = pss }
        return s
    }

    /// Every pid of the last walk (to kill stragglers at the end of a run).
    var lastWalk: [pid_t] { pids }

    private func note(_ pid: pid_t, rss: Int64, now: UInt64) {
        if members[pid] != nil {
            members[pid]!.peakRSSBytes = max(members[pid]!.peakRSSBytes, rss)
            members[pid]!.lastSeenNs = now
        } else {
            members[pid] = Member(pid: pid, command: Self.command(of: pid), peakRSSBytes: rss, firstSeenNs: now, lastSeenNs: now)
        }
    }

    /// Appends the descendants of `pid` (depth first), reading every thread's children list.
    private func collectChildren(of pid: pid_t) {
        guard let dir = opendir("/proc/\(pid)/task") else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let tid = withUnsafeBytes(of: entry.pointee.d_name) { raw -> pid_t? in
                let name = raw.bindMemory(to: CChar.self)
                guard name[0] != 46 else { return nil }  // "." and ".."
                return pid_t(String(cString: name.baseAddress!))
            }
            guard let tid else { continue }
            let start = pids.count
            readPids("/proc/\(pid)/task/\(tid)/children")
            for i in start..<pids.count { collectChildren(of: pids[i]) }
        }
    }

    /// Reads a space-separated pid list into `pids`.
    private func readPids(_ path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let n = read(fd, buffer, 4095)
        guard n > 0 else { return }
        var value: Int32 = 0
        var inNumber = false
        for i in 0..<n {
            let b = buffer.load(fromByteOffset: i, as: UInt8.self)
            if b >= 48 && b <= 57 {
                value = value &* 10 &+ Int32(b - 48)
                inNumber = true
            } else if inNumber {
                pids.append(value)
                value = 0
                inNumber = false
            }
        }
        if inNumber { pids.append(value) }
    }

    private func statmRSS(_ pid: pid_t) -> Int64 {
        let fd = open("/proc/\(pid)/statm", O_RDONLY | O_CLOEXEC)
        defer { if fd >= 0 { close(fd) } }
        return ProcessMemory.residentBytes(statmFD: fd)
    }

    /// `Pss:` of `/proc/PID/smaps_rollup`, bytes (0 when unreadable).
    private func smapsRollupPSS(_ pid: pid_t) -> Int64 {
        let fd = open("/proc/\(pid)/smaps_rollup", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        let n = read(fd, buffer, 4095)
        guard n > 0 else { return 0 }
        let text = UnsafeRawBufferPointer(start: buffer, count: n)
        // Find "\nPss:" then the number of kB after it.
        let key: [UInt8] = Array("\nPss:".utf8)
        var i = 0
        while i + key.count < n {
            if text[i] == key[0] && (0..<key.count).allSatisfy({ text[i + $0] == key[$0] }) {
                var j = i + key.count
                var kb: Int64 = 0
                while j < n && text[j] == 32 { j += 1 }
                while j < n && text[j] >= 48 && text[j] <= 57 { kb = kb * 10 + Int64(text[j] - 48); j += 1 }
                return kb * 1024
            }
            i += 1
        }
        return 0
    }

    /// The process's command name (`/proc/PID/comm`).
    static func command(of pid: pid_t) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/comm") else { return "?" }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
