import Foundation
import CProcess
import RunContract

/// The monitoring thread's loop for one child: sleeps in ppoll until the next sample, the deadline, an event line
/// or the child's exit (pidfd); samples RSS, enforces the timeout, the memory limit and the output limit, reads
/// events and the protocol lines of stdout (bounded work per wake-up, so a child that floods cannot delay a sample
/// or a kill), and reaps.
struct MonitorLoop {
    let request: SpawnRequest
    /// The process spawned (the spawner, or the child itself) and the one sampled and killed.
    let spawnerPid: pid_t
    let target: pid_t
    let eventsFD: Int32
    let output: ChildOutputFiles
    let series: RSSSeries
    /// The run's processes: below highwater-spawn (which is not counted), or the child itself when spawned directly.
    let tree: ProcessTree
    let memoryLimitBytes: Int64
    /// The run's own cgroup, sampled (`memory.current`) beside the tree.
    let cgroup: RunCgroup?
    let sampleMs: Double
    let timeoutS: Double

    /// wait4's status and rusage of `spawnerPid`.
    private(set) var status: Int32 = 0
    private(set) var usage = rusage()
    private(set) var protocolReader: ProtocolReader
    private var pipeOpen = true
    /// Bytes read from the events pipe or stdout per wake-up at most (the rest waits for the next one).
    static let bytesPerWake = 1 << 20
    /// Wake-up interval when nothing else is due but stdout must be read, ns.
    static let stdoutPollNs: UInt64 = 20_000_000

    init(request: SpawnRequest, spawnerPid: pid_t, target: pid_t, eventsFD: Int32, output: ChildOutputFiles, sampleMs: Double,
         timeoutS: Double, memoryLimitBytes: Int64, series: RSSSeries, cgroup: RunCgroup?) {
        self.request = request
        self.spawnerPid = spawnerPid
        self.target = target
        self.eventsFD = eventsFD
        self.output = output
        self.sampleMs = sampleMs
        self.timeoutS = timeoutS
        self.memoryLimitBytes = memoryLimitBytes
        self.series = series
        self.cgroup = cgroup
        tree = ProcessTree(root: spawnerPid, includeRoot: spawnerPid == target)
        protocolReader = ProtocolReader(mode: request.protocolMode)
        _ = fcntl(eventsFD, F_SETFL, fcntl(eventsFD, F_GETFL) | O_NONBLOCK)
    }

    mutating func run(_ outcome: inout ProcessOutcome) {
        let pidFD = hw_pidfd_open(spawnerPid)
        defer { if pidFD >= 0 { close(pidFD) } }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 65_536, alignment: 8)
        defer { buffer.deallocate() }

        let sampling = sampleMs > 0
        let intervalNs = sampling ? UInt64(sampleMs * 1e6) : 0
        let deadlineNs = outcome.spawnNs + UInt64(timeoutS * 1e9)
        var nextSampleNs = outcome.spawnNs
        var pollFDs = [pollfd(fd: pidFD, events: Int16(POLLIN), revents: 0), pollfd(fd: eventsFD, events: Int16(POLLIN), revents: 0)]
        let cpu0 = Clock.threadCPUNs()
        var killSentNs: UInt64?
        let tree = self.tree
        let cgroup = self.cgroup
        let sample: (UInt64, Bool) -> Void = { [series] now, force in
            guard sampling else { return }
            // 0 resident pages: no process has an address space yet (before exec) or any more (exiting).
            let s = tree.sample(now: now)
            if s.rssBytes > 0 {
                series.record(tNs: now, bytes: s.rssBytes, pssBytes: s.pssBytes ?? -1, processCount: Int32(s.processes),
                              cgroupBytes: cgroup?.currentBytes() ?? -1, force: force)
            }
        }
        func kill(_ reason: KillReason, now: UInt64) {
            outcome.killedBy = reason
            killChildGroup()
            killSentNs = now
        }

        while true {
            let now = Clock.nowNs()
            if sampling && now >= nextSampleNs {
                sample(now, false)
                nextSampleNs += intervalNs
                if nextSampleNs <= now { nextSampleNs = now + intervalNs }
                if memoryLimitBytes > 0 && killSentNs == nil && series.maxBytes > memoryLimitBytes {
                    kill(.memoryLimit(rssBytes: series.maxBytes), now: now)
                }
            }
            if killSentNs == nil && now >= deadlineNs { kill(.timeout, now: now) }
            // An interrupt that came before the handler knew this run's groups (or any time): stop the run.
            if killSentNs == nil, hw_interrupted_signal() != 0 { kill(.interrupted(signal: hw_interrupted_signal()), now: now) }
            if killSentNs == nil, request.maxLogBytes > 0, output.totalBytes > request.maxLogBytes {
                kill(.outputLimit(bytes: output.totalBytes), now: now)
            }
            // Something holds on a second after the kill (a stuck spawner): kill its group too.
            if let k = killSentNs, now > k + 1_000_000_000 {
                Glibc.kill(-spawnerPid, SIGKILL)
                Glibc.kill(spawnerPid, SIGKILL)
            }
            readStdout(buffer, now: now, sample: sample)
            // Without a pidfd (old kernels) poll for the exit; with one, ppoll below wakes on it.
            if pidFD < 0 || killSentNs != nil {
                if wait4(spawnerPid, &status, WNOHANG, &usage) == spawnerPid { break }
            }
            var wakeNs = killSentNs != nil ? now + 5_000_000 : deadlineNs
            if sampling { wakeNs = min(wakeNs, nextSampleNs) }
            if pidFD < 0 { wakeNs = min(wakeNs, now + 2_000_000) }
            if output.hasStdoutFile { wakeNs = min(wakeNs, now + Self.stdoutPollNs) }
            pollFDs[0].revents = 0
            pollFDs[1].revents = 0
            pollFDs[1].fd = pipeOpen ? eventsFD : -1
            let pr = pollFDs.withUnsafeMutableBytes { hw_ppoll($0.baseAddress, 2, Int64(wakeNs > now ? wakeNs - now : 0)) }
            guard pr > 0 else { continue }
            if pollFDs[1].revents != 0 { drainEvents(buffer, limit: Self.bytesPerWake, sample: sample) }
            if pollFDs[0].revents != 0 {
                var rr: pid_t
                repeat { rr = wait4(spawnerPid, &status, 0, &usage) } while rr < 0 && errno == EINTR
                break
            }
        }
        finish(&outcome, buffer: buffer, sample: sample, cpu0: cpu0)
    }

    /// After the reap: kills what is left of the run, reads the rest of its events and stdout, fills the outcome.
    private mutating func finish(_ outcome: inout ProcessOutcome, buffer: UnsafeMutableRawPointer, sample: (UInt64, Bool) -> Void,
                                 cpu0: UInt64) {
        outcome.exitNs = Clock.nowNs()
        // Nothing of the run may outlive it (a background process of a command, a worker): kill both groups first,
        // so the output below can no longer grow, then read what is left of it.
        killChildGroup()
        Glibc.kill(-spawnerPid, SIGKILL)
        // Processes that left the group (setsid) but not the tree: the last walk knows them.
        for pid in tree.lastWalk where pid != spawnerPid { Glibc.kill(pid, SIGKILL) }
        drainEvents(buffer, limit: .max, sample: sample)
        var left = output.unreadStdoutBytes
        while left > 0 {
            let n = readStdout(buffer, now: outcome.exitNs, sample: sample)
            if n == 0 { break }
            left -= Int64(n)
        }
        protocolReader.finish(now: outcome.exitNs)
        outcome.events = protocolReader.events
        outcome.malformedLines = protocolReader.malformed
        outcome.malformedSamples = protocolReader.malformedSamples
        outcome.samplerCPUNs = Clock.threadCPUNs() - cpu0
        outcome.samplesTaken = series.taken
        outcome.processes = tree.members.values.sorted { $0.firstSeenNs < $1.firstSeenNs }
        outcome.processSeries = tree.series
    }

    /// SIGKILL to the child's process group (it leads its own, under highwater-spawn or not) and to the child.
    private func killChildGroup() {
        Glibc.kill(-target, SIGKILL)
        Glibc.kill(target, SIGKILL)
    }

    /// Reads what the events pipe holds now (up to `limit` bytes); a sample is forced right after any event.
    private mutating func drainEvents(_ buffer: UnsafeMutableRawPointer, limit: Int, sample: (UInt64, Bool) -> Void) {
        var total = 0
        while pipeOpen && total < limit {
            let n = read(eventsFD, buffer, 65_536)
            if n == 0 { pipeOpen = false; return }
            if n < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN { pipeOpen = false }
                return
            }
            total += n
            let now = Clock.nowNs()
            if protocolReader.descriptor(UnsafeRawBufferPointer(start: buffer, count: n), now: now) { sample(now, true) }
        }
    }

    /// Reads up to `bytesPerWake` of what the command appended to stdout; returns the bytes read.
    @discardableResult
    private mutating func readStdout(_ buffer: UnsafeMutableRawPointer, now: UInt64, sample: (UInt64, Bool) -> Void) -> Int {
        guard output.hasStdoutFile else { return 0 }
        var total = 0
        while total < Self.bytesPerWake {
            let n = output.readNew(into: buffer, capacity: 65_536, limit: 65_536)
            guard n > 0 else { break }
            total += n
            if protocolReader.stdout(UnsafeRawBufferPointer(start: buffer, count: n), now: now) { sample(now, true) }
        }
        return total
    }
}
