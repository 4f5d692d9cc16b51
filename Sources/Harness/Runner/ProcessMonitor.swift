import Foundation
import CProcess
import RunContract

/// Spawns a child with posix_spawn (vfork semantics, no copy of the parent's address space) in its own process
/// group, samples `/proc/PID/statm` every `sampleMs` on this thread, reads events, enforces the limits and reaps it.
enum ProcessMonitor {
    static func run(_ request: SpawnRequest, sampleMs: Double, timeoutS: Double, memoryLimitBytes: Int64,
                    series: RSSSeries) throws -> ProcessOutcome {
        var outcome = ProcessOutcome()
        let spawn = SpawnAttributes()
        spawn.open(0, "/dev/null", O_RDONLY)
        // The child's stderr (and stdout) are files it writes itself: nothing it prints passes through this process.
        let output = try ChildOutputFiles(logPath: request.logPath, stdoutPath: request.stdoutPath)
        defer { output.close() }
        spawn.dup2(output.logFD, 2)
        spawn.dup2(output.stdoutFD, 1)
        let events = try SpawnAttributes.makePipe()
        spawn.dup2(events.write, 3)

        // Through highwater-spawn when it is installed: it reports the child's pid and wait4 result on fd 4.
        var environment = request.environment
        var arguments = request.arguments
        var executable = request.executable
        var handshake: SpawnerHandshake?
        var reportWrite: Int32 = -1
        if let helper = SpawnerHandshake.helperPath {
            let report = try SpawnAttributes.makePipe()
            spawn.dup2(report.write, 4)
            reportWrite = report.write
            handshake = SpawnerHandshake(reportFD: report.read)
            if let pre = environment.removeValue(forKey: "LD_PRELOAD") { environment["HW_TARGET_LD_PRELOAD"] = pre }
            arguments = [helper, "4", request.executable] + request.arguments.dropFirst()
            executable = helper
        }
        defer { handshake?.close() }
        let cgroup = handshake == nil ? nil : makeCgroup(request, note: &outcome.cgroupNote)
        if let cgroup { environment["HW_CGROUP_PROCS"] = cgroup.procsFile }
        defer { cgroup?.remove() }  // on the error paths; removing twice is harmless

        // Reset this process's RSS high-water mark so the exec'ing child inherits only our current RSS.
        ProcessMemory.resetPeak()
        outcome.oomKillsBefore = KernelOOMKills.count()
        outcome.machineBefore = MachineActivity.Reading.now()
        outcome.parentRSSAtSpawnBytes = ProcessMemory.residentBytes()
        outcome.spawnNs = Clock.nowNs()
        let spawned = Result { try spawn.spawn(executable, arguments: arguments, environment: environment) }
        close(events.write)
        if reportWrite >= 0 { close(reportWrite) }
        defer { close(events.read) }
        let pid = try spawned.get()
        // The process to sample and kill: the spawner's child when going through highwater-spawn.
        var target = pid
        outcome.viaSpawner = handshake != nil
        if handshake != nil {
            target = try handshake!.awaitChild(spawner: pid, program: request.executable)
            // The spawner's RSS now (it waits in wait4) is what the child's ru_maxrss started from.
            let v = hw_proc_rss_bytes(pid, Int64(sysconf(Int32(_SC_PAGESIZE))))
            if v >= 0 { outcome.parentRSSAtSpawnBytes = v }
        }
        outcome.pid = target
        // The child joins its cgroup itself before exec; one that could not (its reason is in the log) is sampled only.
        let joined = cgroup.flatMap { $0.contains(target) ? $0 : nil }
        if cgroup != nil && joined == nil { outcome.cgroupNote = "the child did not join \(cgroup!.path); the peak is sampled" }
        hw_set_current_child_groups(pid, target)
        defer { hw_set_current_child_groups(0, 0) }

        var loop = MonitorLoop(request: request, spawnerPid: pid, target: target, eventsFD: events.read, output: output,
                               sampleMs: sampleMs, timeoutS: timeoutS, memoryLimitBytes: memoryLimitBytes, series: series,
                               cgroup: joined)
        loop.run(&outcome)
        outcome.cgroupPeakBytes = joined?.peakBytes()
        var status = loop.status
        var ru = loop.usage
        if handshake != nil, !handshake!.readExit(status: &status, ru: &ru) {
            // The spawner itself died (killed from outside): its own status and rusage are the best we have.
            outcome.viaSpawner = false
        }
        decode(status: status, usage: ru, into: &outcome)
        outcome.oomKillsAfter = KernelOOMKills.count()
        outcome.machineAfter = MachineActivity.Reading.now()
        if let failure = cgroup?.remove() { outcome.cgroupNote = failure }
        return outcome
    }

    /// The run's own cgroup below `request.cgroupParent`, or nil (with the reason in `note` when creating it failed).
    static func makeCgroup(_ request: SpawnRequest, note: inout String?) -> RunCgroup? {
        guard let parent = request.cgroupParent else { return nil }
        do {
            return try RunCgroup(parent: parent, name: "highwater-\(getpid())-\(request.runName)")
        } catch {
            note = "\(error); the peak is sampled"
            return nil
        }
    }

    /// Exit code or signal, peak RSS and CPU times from a wait status and its rusage.
    static func decode(status: Int32, usage ru: rusage, into outcome: inout ProcessOutcome) {
        let st = status & 0x7f
        if st == 0 {
            outcome.exitCode = (status >> 8) & 0xff
        } else if st != 0x7f {
            outcome.signal = st
        }
        outcome.maxRSSBytes = Int64(ru.ru_maxrss) * 1024
        outcome.cpuUserS = Clock.seconds(ru.ru_utime)
        outcome.cpuSysS = Clock.seconds(ru.ru_stime)
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
