import Foundation
import RunContract

/// What the rest of the machine did while a run ran: the whole machine's busy and stolen CPU time from /proc/stat,
/// minus the run's own and this process's, and the load average when it started. A shared CI runner shows up here
/// as `cpu_others_s` and `cpu_steal_s`, and `machine_shared` flags the run.
struct MachineActivity {
    /// A reading of /proc/stat's first line (seconds of CPU time since boot) and this process's own CPU time.
    struct Reading {
        var busyS: Double
        var stealS: Double
        var selfS: Double
        var loadAverage1m: Double?

        static func now() -> Reading? {
            guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
                  let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
            let f = line.split(separator: " ").dropFirst().compactMap { Double($0) }
            guard f.count >= 8 else { return nil }
            let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
            // user nice system idle iowait irq softirq steal: busy = all but idle, iowait and steal.
            let busy = (f[0] + f[1] + f[2] + f[5] + f[6]) / tick
            let own = Clock.processCPUSeconds()
            let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.flatMap { Double($0) }
            return Reading(busyS: busy, stealS: f[7] / tick, selfS: own.user + own.sys, loadAverage1m: load)
        }
    }

    /// Other processes' CPU time during the run, s (the machine's busy time minus the run's and the harness's).
    var othersS: Double
    var stealS: Double
    var loadAverage1m: Double?

    /// Between `start` and `end`, given the run's own CPU time `runCPUS` (its rusage).
    init?(start: Reading?, end: Reading?, runCPUS: Double) {
        guard let start, let end else { return nil }
        othersS = max(0, (end.busyS - start.busyS) - runCPUS - (end.selfS - start.selfS))
        stealS = max(0, end.stealS - start.stealS)
        loadAverage1m = start.loadAverage1m
    }

    /// Whether other work shared the machine enough to disturb timing: more than 0.2 of a core on average over the
    /// run (or any steal above 0.05 of a core). /proc/stat counts in ticks (10 ms), so very short runs read coarse.
    func shared(wallS: Double) -> Bool {
        guard wallS > 0 else { return false }
        return othersS / wallS > 0.2 || stealS / wallS > 0.05
    }
}
