

/// How a metric varies between identical runs.
public enum MetricKind: String, Sendable, Codable, Equatable {
    /// Timing and memory figures that vary from run to run: judged with a threshold on the change of
    /// medians plus a Mann-Whitney U test over the repeats.
    case noisy
    /// Counts that are identical for identical runs (allocation calls, bytes and files written, rows):
    /// judged against the threshold alone, no statistics needed, and trustworthy even on a noisy machine.
    case deterministic
}
