import Foundation
import RunContract

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
    /// Protocol lines that did not parse, and the first few of them.
    var malformedLines = 0
    /// Every process of the run seen by the sampler, in order of appearance, with its own peak RSS.
    var processes: [ProcessTree.Member] = []
    /// Each process's RSS at each kept sample.
    var processSeries: ProcessSeries?
    /// The kernel's OOM-kill count before the spawn and after the reap (nil when unreadable).
    var machineBefore: MachineActivity.Reading?
    var machineAfter: MachineActivity.Reading?
    var oomKillsBefore: Int?
    var oomKillsAfter: Int?
    var malformedSamples: [String] = []
    /// CPU time the monitoring thread used, ns, and its samples.
    var samplerCPUNs: UInt64 = 0
    var samplesTaken = 0
    /// The RSS of the process that spawned the child, bytes: this process's, or ~1 MB through highwater-spawn
    /// (wait4's ru_maxrss cannot be below it: see README).
    var parentRSSAtSpawnBytes: Int64 = 0
    /// Whether the child went through highwater-spawn and its report was read.
    var viaSpawner = false
    /// The run's cgroup `memory.peak`, bytes, when the run had its own cgroup (see `RunCgroup`).
    var cgroupPeakBytes: Int64?
    /// Why a cgroup that was meant to be used was not (for the run's log).
    var cgroupNote: String?
}
