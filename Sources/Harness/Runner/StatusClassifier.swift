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
            }
        }
        if let s = outcome.signal {
            if s == SIGKILL { return (.oom, "SIGKILL not sent by highwater (presumably the kernel OOM killer)") }
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
