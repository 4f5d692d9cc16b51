import Foundation
import CProcess
import RunContract

/// The monitoring thread's loop for one child: sleeps in ppoll until the next sample, the deadline, an event line
/// or the child's exit (pidfd); samples RSS, enforces the timeout and memory limit, collects events, reaps.
struct MonitorLoop {
    let request: SpawnRequest
    /// The process spawned (the spawner, or the child itself) and the one sampled and killed.
    let spawnerPid: pid_t
    let target: pid_t
    let eventsFD: Int32
    let series: RSSSeries
    let stdoutLine: ((Substring) -> Void)?
    let memoryLimitBytes: Int64
    let sampleMs: Double
    let timeoutS: Double

    /// wait4's status and rusage of `spawnerPid`.
    private(set) var status: Int32 = 0
    private(set) var usage = rusage()
    private var pipeOpen: Bool
    private var pending: [UInt8] = []

    init(request: SpawnRequest, spawnerPid: pid_t, target: pid_t, eventsFD: Int32, sampleMs: Double, timeoutS: Double,
         memoryLimitBytes: Int64, series: RSSSeries, stdoutLine: ((Substring) -> Void)?) {
        self.request = request
        self.spawnerPid = spawnerPid
        self.target = target
        self.eventsFD = eventsFD
        self.sampleMs = sampleMs
        self.timeoutS = timeoutS
        self.memoryLimitBytes = memoryLimitBytes
        self.series = series
        self.stdoutLine = stdoutLine
        pipeOpen = eventsFD >= 0
        pending.reserveCapacity(4096)
        if eventsFD >= 0 { _ = fcntl(eventsFD, F_SETFL, fcntl(eventsFD, F_GETFL) | O_NONBLOCK) }
    }

    mutating func run(_ outcome: inout ProcessOutcome) {
        let statmFD = open("/proc/\(target)/statm", O_RDONLY | O_CLOEXEC)
        defer { if statmFD >= 0 { close(statmFD) } }
        let pidFD = hw_pidfd_open(spawnerPid)
        defer { if pidFD >= 0 { close(pidFD) } }
        let readBuf = UnsafeMutableRawPointer.allocate(byteCount: 65_536, alignment: 8)
        defer { readBuf.deallocate() }

        let sampling = sampleMs > 0 && statmFD >= 0
        let intervalNs = sampling ? UInt64(sampleMs * 1e6) : 0
        let deadlineNs = outcome.spawnNs + UInt64(timeoutS * 1e9)
        var nextSampleNs = outcome.spawnNs
        var pollFDs = [pollfd(fd: pidFD, events: Int16(POLLIN), revents: 0), pollfd(fd: eventsFD, events: Int16(POLLIN), revents: 0)]
        let cpu0 = Clock.threadCPUNs()
        var killSentNs: UInt64?
        let sample: (UInt64, Bool) -> Void = { [series] now, force in
            guard sampling else { return }
            // 0 resident pages: the process has no address space yet (before exec) or any more (exiting).
            let b = ProcessMemory.residentBytes(statmFD: statmFD)
            if b > 0 { series.record(tNs: now, bytes: b, force: force) }
        }

        while true {
            let now = Clock.nowNs()
            if sampling && now >= nextSampleNs {
                sample(now, false)
                nextSampleNs += intervalNs
                if nextSampleNs <= now { nextSampleNs = now + intervalNs }
                if memoryLimitBytes > 0 && killSentNs == nil && series.maxBytes > memoryLimitBytes {
                    outcome.killedBy = .memoryLimit(rssBytes: series.maxBytes)
                    kill(target, SIGKILL)
                    killSentNs = now
                }
            }
            if killSentNs == nil && now >= deadlineNs {
                outcome.killedBy = .timeout
                kill(target, SIGKILL)
                killSentNs = now
            }
            // The target is dead but something holds on (a grandchild, a stuck spawner): kill the whole group.
            if let k = killSentNs, now > k + 1_000_000_000 {
                kill(-spawnerPid, SIGKILL)
                kill(spawnerPid, SIGKILL)
            }
            // Without a pidfd (old kernels) poll for the exit; with one, ppoll below wakes on it.
            if pidFD < 0 || killSentNs != nil {
                if wait4(spawnerPid, &status, WNOHANG, &usage) == spawnerPid { break }
            }
            var wakeNs = killSentNs != nil ? now + 5_000_000 : deadlineNs
            if sampling { wakeNs = min(wakeNs, nextSampleNs) }
            if pidFD < 0 { wakeNs = min(wakeNs, now + 2_000_000) }
            pollFDs[0].revents = 0
            pollFDs[1].revents = 0
            pollFDs[1].fd = pipeOpen ? eventsFD : -1
            let pr = pollFDs.withUnsafeMutableBytes { hw_ppoll($0.baseAddress, 2, Int64(wakeNs > now ? wakeNs - now : 0)) }
            guard pr > 0 else { continue }
            if pollFDs[1].revents != 0 { drain(readBuf, &outcome, sample) }
            if pollFDs[0].revents != 0 {
                // Exited: pick up what it wrote last, then reap.
                drain(readBuf, &outcome, sample)
                var rr: pid_t
                repeat { rr = wait4(spawnerPid, &status, 0, &usage) } while rr < 0 && errno == EINTR
                break
            }
        }
        outcome.exitNs = Clock.nowNs()
        drain(readBuf, &outcome, sample)
        if !pending.isEmpty, !request.eventsOnFD3 {
            let line = Substring(String(decoding: pending, as: UTF8.self))
            if let e = EventLine.parseCommand(line, nowNs: outcome.exitNs) { outcome.events.append((e, outcome.exitNs)) }
            stdoutLine?(line)
        }
        // Nothing of the group may outlive the run.
        kill(-spawnerPid, SIGKILL)
        outcome.samplerCPUNs = Clock.threadCPUNs() - cpu0
        outcome.samplesTaken = series.taken
    }

    /// Reads what the events pipe holds now, splitting lines; a sample is forced right after any event.
    private mutating func drain(_ buffer: UnsafeMutableRawPointer, _ outcome: inout ProcessOutcome, _ sample: (UInt64, Bool) -> Void) {
        while pipeOpen {
            let n = read(eventsFD, buffer, 65_536)
            if n == 0 { pipeOpen = false; return }
            if n < 0 {
                if errno == EINTR { continue }
                if errno != EAGAIN { pipeOpen = false }
                return
            }
            let now = Clock.nowNs()
            var sawEvent = false
            for b in UnsafeRawBufferPointer(start: buffer, count: n) {
                guard b == 10 else { pending.append(b); continue }
                let line = Substring(String(decoding: pending, as: UTF8.self))
                pending.removeAll(keepingCapacity: true)
                if request.eventsOnFD3 {
                    if let e = EventLine.parseChild(line) { outcome.events.append((e, now)); sawEvent = true }
                } else {
                    if let e = EventLine.parseCommand(line, nowNs: now) { outcome.events.append((e, now)); sawEvent = true }
                    stdoutLine?(line)
                }
            }
            if sawEvent { sample(now, true) }
        }
    }
}
