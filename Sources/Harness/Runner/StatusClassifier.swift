import Foundation
import RunContract

/// Decides a run's `status` and `error` from how the child ended.
struct StatusClassifier {
    let plan: SweepPlan

    /// `killedBy` (timeout, memory limit) first, then a signal, a non-zero exit, a workload child without a report.
    func classify(outcome: ProcessOutcome, report: ChildReport?, isCommand: Bool,
                  lastLogLine: String, lastStdoutLine: String) -> (status: RunStatus, error: String) {
        if let k = outcome.killedBy {
            switch k {
            case .timeout:
                return (.timeout, "killed with SIGKILL after the --timeout of \(formatNumber(plan.timeoutS)) s")
            case .memoryLimit(let b):
                return (.oom, "RSS \(formatNumber(Double(b) / 1e6, digits: 1)) MB over the --memory-limit of \(formatNumber(plan.memoryLimitMB)) MB; killed with SIGKILL")
            case .interrupted(let s):
                return (.crashed, "stopped: highwater was interrupted by \(ProcessMonitor.signalName(s))")
            case .outputLimit(let b):
                return (.failed, "stdout and stderr reached \(formatNumber(Double(b) / 1e6, digits: 1)) MB, over the --max-log-mb of \(formatNumber(Double(plan.maxLogBytes) / 1e6)) MB; killed with SIGKILL")
            }
        }
        if let s = outcome.signal {
            if s == SIGKILL {
                // Only the kernel's own count can say it was the OOM killer; a program may SIGKILL itself.
                if let a = outcome.oomKillsBefore, let b = outcome.oomKillsAfter, b > a {
                    return (.oom, "SIGKILL from the kernel OOM killer (oom_kill in /proc/vmstat went from \(a) to \(b) during the run)")
                }
                let why = outcome.oomKillsBefore == nil ? "/proc/vmstat has no oom_kill count" : "no OOM kill in /proc/vmstat during the run"
                return (.crashed, "SIGKILL, not sent by highwater (\(why))" + (lastLogLine.isEmpty ? "" : ": \(lastLogLine)"))
            }
            return (.crashed, ProcessMonitor.signalName(s) + (lastLogLine.isEmpty ? "" : ": \(lastLogLine)"))
        }
        if let code = outcome.exitCode, code != 0 {
            return (.failed, "exit status \(code): " + (report?.error ?? (lastLogLine.isEmpty ? lastStdoutLine : lastLogLine)))
        }
        if !isCommand && report == nil {
            return (.failed, "the child wrote no report" + (lastLogLine.isEmpty ? "" : ": \(lastLogLine)"))
        }
        return (.ok, "")
    }
}
