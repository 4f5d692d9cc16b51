import Foundation
import CAllocStats
import Workloads

/// RSS samples of one run in preallocated storage: recording a sample never allocates. When the buffer fills,
/// every other sample is dropped and the recording stride doubles, so any run length fits; the maximum is
/// tracked over every sample taken.
final class RSSSeries {
    let capacity: Int
    private(set) var times: UnsafeMutablePointer<UInt64>
    private(set) var values: UnsafeMutablePointer<Int64>
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
    }

    deinit {
        times.deallocate()
        values.deallocate()
    }

    @inline(__always)
    func record(tNs: UInt64, bytes: Int64, force: Bool = false) {
        taken += 1
        if bytes > maxBytes { maxBytes = bytes }
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
                j += 1
                i += 2
            }
            count = j
            stride *= 2
        }
        times[count] = tNs
        values[count] = bytes
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

/// Why the monitor killed a process.
enum KillReason: Sendable {
    case timeout
    case memoryLimit(rssBytes: Int64)
}

/// What to spawn.
struct SpawnRequest {
    /// Absolute path of the program.
    var executable: String
    /// argv, including argv[0].
    var arguments: [String]
    /// The complete environment of the child.
    var environment: [String: String]
    /// File that receives stderr (and stdout unless `pipeStdout`).
    var logPath: String
    /// Pipe stdout to the parent (external command mode: protocol lines), else it goes to `logPath`.
    var pipeStdout: Bool
    /// Give the child a pipe on fd 3 for its event lines (workload mode).
    var eventsOnFD3: Bool
}

/// Everything observed about one child process.
struct ProcessOutcome {
    var pid: pid_t = 0
    /// Exit status when it exited normally.
    var exitCode: Int32?
    /// Terminating signal when killed.
    var signal: Int32?
    var killedBy: KillReason?
    /// wait4 rusage: ru_maxrss (KiB → bytes), CPU times.
    var maxRSSBytes: Int64 = 0
    var cpuUserS: Double = 0
    var cpuSysS: Double = 0
    var spawnNs: UInt64 = 0
    var exitNs: UInt64 = 0
    /// Events received (phases, begin/end, metrics), in arrival order, with their arrival time.
    var events: [(event: EventLine, arrivalNs: UInt64)] = []
    /// CPU time the monitoring thread used, ns, and its samples.
    var samplerCPUNs: UInt64 = 0
    var samplesTaken = 0
    /// The RSS of the process that spawned the child, bytes: this process's, or ~1 MB through highwater-spawn
    /// (wait4's ru_maxrss cannot be below it: see README).
    var parentRSSAtSpawnBytes: Int64 = 0
    /// Whether the child went through highwater-spawn and its report was read.
    var viaSpawner = false
}

/// Spawns a child with posix_spawn (vfork semantics, no copy of the parent's address space) in its own process
/// group, samples `/proc/PID/statm` every `sampleMs` on this thread, reads events, enforces the limits and reaps it.
enum ProcessMonitor {
    static let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))

    static func threadCPUNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Raises `fd` to at least 10 with FD_CLOEXEC so dup2 onto 0-3 in the child never collides.
    private static func highFD(_ fd: Int32) -> Int32 {
        let n = fcntl(fd, F_DUPFD_CLOEXEC, 10)
        close(fd)
        return n
    }

    static func run(_ request: SpawnRequest, sampleMs: Double, timeoutS: Double, memoryLimitBytes: Int64,
                    series: RSSSeries, stdoutLine: ((Substring) -> Void)? = nil) throws -> ProcessOutcome {
        var outcome = ProcessOutcome()
        var fa = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fa)
        defer { posix_spawn_file_actions_destroy(&fa) }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }

        // Own process group (kill the whole tree), default signal dispositions, empty mask.
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attr, &all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setpgroup(&attr, 0)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fa, 2, request.logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var readFD: Int32 = -1
        var writeFD: Int32 = -1
        var helperReportWrite: Int32 = -1
        if request.pipeStdout || request.eventsOnFD3 {
            var p: [Int32] = [0, 0]
            guard pipe(&p) == 0 else { throw HarnessError(source: "spawn", reason: "pipe: \(String(cString: strerror(errno)))") }
            readFD = highFD(p[0])
            writeFD = highFD(p[1])
        }
        if request.pipeStdout {
            posix_spawn_file_actions_adddup2(&fa, writeFD, 1)
        } else {
            posix_spawn_file_actions_adddup2(&fa, 2, 1)
        }
        if request.eventsOnFD3 {
            posix_spawn_file_actions_adddup2(&fa, writeFD, 3)
        }

        // Through highwater-spawn when it is installed (see its source): the child's ru_maxrss then starts from the
        // spawner's ~1 MB instead of this process's RSS. It reports the child's pid and wait4 result on fd 4.
        var environment = request.environment
        var arguments = request.arguments
        var executable = request.executable
        var reportRead: Int32 = -1
        if let helper = spawnHelperPath {
            var p: [Int32] = [0, 0]
            guard pipe(&p) == 0 else { throw HarnessError(source: "spawn", reason: "pipe: \(String(cString: strerror(errno)))") }
            reportRead = highFD(p[0])
            let reportWrite = highFD(p[1])
            posix_spawn_file_actions_adddup2(&fa, reportWrite, 4)
            helperReportWrite = reportWrite
            if let pre = environment.removeValue(forKey: "LD_PRELOAD") { environment["HW_TARGET_LD_PRELOAD"] = pre }
            arguments = [helper, "4", request.executable] + request.arguments.dropFirst()
            executable = helper
        }
        defer { if reportRead >= 0 { close(reportRead) } }
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }

        // Reset this process's RSS high-water mark so the exec'ing child inherits only our current RSS.
        let clearFD = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC)
        if clearFD >= 0 { _ = write(clearFD, "5", 1); close(clearFD) }
        outcome.parentRSSAtSpawnBytes = hw_self_rss_bytes()

        var pid: pid_t = 0
        outcome.spawnNs = monotonicNanoseconds()
        let rc = posix_spawn(&pid, executable, &fa, &attr, argv, envp)
        if writeFD >= 0 { close(writeFD) }
        if helperReportWrite >= 0 { close(helperReportWrite) }
        guard rc == 0 else {
            if readFD >= 0 { close(readFD) }
            throw HarnessError(source: "spawn", value: executable, reason: String(cString: strerror(rc)))
        }
        // The process to sample and kill: the spawner's child when going through highwater-spawn.
        var target = pid
        outcome.viaSpawner = reportRead >= 0
        var helperLines: [Substring] = []
        var helperText = ""
        if reportRead >= 0 {
            helperText = readLines(reportRead, until: { $0.contains("\n") }, timeoutMs: 10_000)
            helperLines = helperText.split(separator: "\n")
            if let first = helperLines.first, first.hasPrefix("pid "), let t = pid_t(first.dropFirst(4)) {
                target = t
                // The spawner's RSS now (it waits in wait4) is what the child's ru_maxrss started from.
                let hfd = open("/proc/\(pid)/statm", O_RDONLY | O_CLOEXEC)
                if hfd >= 0 {
                    var b = [CChar](repeating: 0, count: 128)
                    let v = hw_statm_rss_bytes(hfd, &b, 127, pageSize)
                    if v >= 0 { outcome.parentRSSAtSpawnBytes = v }
                    close(hfd)
                }
            } else {
                var st: Int32 = 0
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &st, 0)
                let err = helperLines.first.flatMap { $0.hasPrefix("error ") ? Int32($0.dropFirst(6)) : nil }.map { String(cString: strerror($0)) } ?? "no report from highwater-spawn"
                throw HarnessError(source: "spawn", value: request.executable, reason: err)
            }
        }
        outcome.pid = target
        hw_set_current_child_group(pid)
        defer { hw_set_current_child_group(0) }
        defer { if readFD >= 0 { close(readFD) } }
        if readFD >= 0 { _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK) }

        let statmFD = open("/proc/\(target)/statm", O_RDONLY | O_CLOEXEC)
        defer { if statmFD >= 0 { close(statmFD) } }
        let pidFD = hw_pidfd_open(pid)
        defer { if pidFD >= 0 { close(pidFD) } }

        let statBuf = UnsafeMutablePointer<CChar>.allocate(capacity: 128)
        defer { statBuf.deallocate() }
        let readBuf = UnsafeMutableRawPointer.allocate(byteCount: 65_536, alignment: 8)
        defer { readBuf.deallocate() }
        var pending: [UInt8] = []
        pending.reserveCapacity(4096)

        let sampling = sampleMs > 0 && statmFD >= 0
        let intervalNs = sampling ? UInt64(sampleMs * 1e6) : 0
        let deadlineNs = outcome.spawnNs + UInt64(timeoutS * 1e9)
        var nextSampleNs = outcome.spawnNs
        var pollFDs = [pollfd(fd: pidFD, events: Int16(POLLIN), revents: 0), pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)]
        let cpu0 = threadCPUNs()
        var status: Int32 = 0
        var ru = rusage()
        var reaped = false
        var pipeOpen = readFD >= 0
        var killSent = false
        var killSentNs: UInt64 = 0

        @inline(__always) func sample(_ now: UInt64, force: Bool) {
            guard sampling else { return }
            // 0 resident pages: the process has no address space yet (before exec) or any more (exiting).
            let b = hw_statm_rss_bytes(statmFD, statBuf, 127, pageSize)
            if b > 0 { series.record(tNs: now, bytes: b, force: force) }
        }

        func drainPipe() {
            while pipeOpen {
                let n = read(readFD, readBuf, 65_536)
                if n > 0 {
                    let now = monotonicNanoseconds()
                    let bytes = UnsafeRawBufferPointer(start: readBuf, count: n)
                    var sawEvent = false
                    for b in bytes {
                        if b == 10 {
                            let line = String(decoding: pending, as: UTF8.self)
                            pending.removeAll(keepingCapacity: true)
                            let sub = Substring(line)
                            if request.eventsOnFD3 {
                                if let e = EventLine.parseChild(sub) { outcome.events.append((e, now)); sawEvent = true }
                            } else {
                                if let e = EventLine.parseCommand(sub, nowNs: now) { outcome.events.append((e, now)); sawEvent = true }
                                stdoutLine?(sub)
                            }
                        } else {
                            pending.append(b)
                        }
                    }
                    if sawEvent { sample(now, force: true) }
                } else if n == 0 {
                    pipeOpen = false
                } else {
                    if errno == EINTR { continue }
                    if errno != EAGAIN { pipeOpen = false }
                    return
                }
            }
        }

        while !reaped {
            let now = monotonicNanoseconds()
            if sampling && now >= nextSampleNs {
                sample(now, force: false)
                nextSampleNs += intervalNs
                if nextSampleNs <= now { nextSampleNs = now + intervalNs }
                if memoryLimitBytes > 0 && !killSent && series.maxBytes > memoryLimitBytes {
                    outcome.killedBy = .memoryLimit(rssBytes: series.maxBytes)
                    kill(target, SIGKILL)
                    killSent = true
                    killSentNs = now
                }
            }
            if !killSent && now >= deadlineNs {
                outcome.killedBy = .timeout
                kill(target, SIGKILL)
                killSent = true
                killSentNs = now
            }
            // The target is dead but something holds on (a grandchild, a stuck spawner): kill the whole group.
            if killSent && now > killSentNs + 1_000_000_000 {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
            }
            // Without a pidfd (old kernels) poll for the exit; with one, ppoll below wakes on it.
            if pidFD < 0 || killSent {
                let r = wait4(pid, &status, WNOHANG, &ru)
                if r == pid { reaped = true; break }
            }
            // Sleep until the next sample, the deadline, an event line or the child's exit.
            var wakeNs = killSent ? now + 5_000_000 : deadlineNs
            if sampling { wakeNs = min(wakeNs, nextSampleNs) }
            if pidFD < 0 { wakeNs = min(wakeNs, now + 2_000_000) }
            let waitNs = wakeNs > now ? wakeNs - now : 0
            pollFDs[0].revents = 0
            pollFDs[1].revents = 0
            pollFDs[1].fd = pipeOpen ? readFD : -1
            let pr = pollFDs.withUnsafeMutableBytes { hw_ppoll($0.baseAddress, 2, Int64(waitNs)) }
            if pr > 0 {
                if pollFDs[1].revents != 0 { drainPipe() }
                if pollFDs[0].revents != 0 {
                    // Exited: pick up what it wrote last, then reap.
                    drainPipe()
                    var rr: pid_t
                    repeat { rr = wait4(pid, &status, 0, &ru) } while rr < 0 && errno == EINTR
                    reaped = true
                }
            }
        }
        outcome.exitNs = monotonicNanoseconds()
        drainPipe()
        if !pending.isEmpty, !request.eventsOnFD3 {
            let line = String(decoding: pending, as: UTF8.self)
            if let e = EventLine.parseCommand(Substring(line), nowNs: outcome.exitNs) { outcome.events.append((e, outcome.exitNs)) }
            stdoutLine?(Substring(line))
        }
        // Nothing of the group may outlive the run.
        kill(-pid, SIGKILL)
        outcome.samplerCPUNs = threadCPUNs() - cpu0
        outcome.samplesTaken = series.taken
        if reportRead >= 0 {
            // `exit <status> <maxrss KiB> <utime> <stime>` from the spawner: the child's own wait4.
            helperText += readLines(reportRead, until: { _ in false }, timeoutMs: 2_000)
            let exitLine = helperText.split(separator: "\n").first { $0.hasPrefix("exit ") }?.split(separator: " ")
            if let f = exitLine, f.count == 5, let st = Int32(f[1]), let maxrss = Int(f[2]), let ut = Double(f[3]), let stime = Double(f[4]) {
                status = st
                ru.ru_maxrss = maxrss
                ru.ru_utime = timeval(tv_sec: Int(ut), tv_usec: Int((ut - Double(Int(ut))) * 1e6))
                ru.ru_stime = timeval(tv_sec: Int(stime), tv_usec: Int((stime - Double(Int(stime))) * 1e6))
            } else {
                // The spawner itself died (killed from outside): its own status and rusage are the best we have.
                outcome.viaSpawner = false
            }
        }
        let st = status & 0x7f
        if st == 0 {
            outcome.exitCode = (status >> 8) & 0xff
        } else if st != 0x7f {
            outcome.signal = st
        }
        outcome.maxRSSBytes = Int64(ru.ru_maxrss) * 1024
        outcome.cpuUserS = Double(ru.ru_utime.tv_sec) + Double(ru.ru_utime.tv_usec) / 1e6
        outcome.cpuSysS = Double(ru.ru_stime.tv_sec) + Double(ru.ru_stime.tv_usec) / 1e6
        return outcome
    }

    /// `highwater-spawn` next to the running binary (or `HIGHWATER_SPAWN_HELPER`), nil when absent
    /// (then children are spawned directly and `ru_maxrss` cannot be below this process's RSS).
    static var spawnHelperPath: String? {
        let env = ProcessInfo.processInfo.environment["HIGHWATER_SPAWN_HELPER"] ?? ""
        if env == "none" { return nil }
        let candidates = (env.isEmpty ? [] : [env]) + [URL(fileURLWithPath: HarnessPaths.executable).deletingLastPathComponent().appendingPathComponent("highwater-spawn").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Reads from `fd` until `done(text)` or EOF or the timeout; returns what was read.
    static func readLines(_ fd: Int32, until done: (String) -> Bool, timeoutMs: Int32) -> String {
        var out = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        let deadline = monotonicNanoseconds() + UInt64(timeoutMs) * 1_000_000
        while true {
            let now = monotonicNanoseconds()
            if now >= deadline { break }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, Int32((deadline - now) / 1_000_000) + 1)
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { break }
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out += buf[0..<n]
            if done(String(decoding: out, as: UTF8.self)) { break }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Signal name (`SIGSEGV`) for a number.
    static func signalName(_ s: Int32) -> String {
        let names: [Int32: String] = [SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
                                      SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
                                      SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
                                      SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS"]
        return names[s] ?? "signal \(s)"
    }
}
