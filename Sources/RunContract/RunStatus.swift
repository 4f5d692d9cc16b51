/// How a run ended: the `status` column of `runs.csv`.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    /// The run finished and its measurements are valid.
    case ok
    /// A non-zero exit, or the workload threw.
    case failed
    /// Killed after `--timeout`.
    case timeout
    /// Killed over `--memory-limit`, or SIGKILLed by someone else (the kernel OOM killer).
    case oom
    /// Ended by a signal (the signal name is in `error`).
    case crashed

    public var isOK: Bool { self == .ok }
}
