/// The documented ranges of a sweep's settings, checked before anything runs (README "Limits").
public enum Limits {
    /// Measured repeats (and warmups) per configuration.
    public static let maxRepeats = 1_000_000
    /// Sampling interval bounds, ms (0 = off): below 0.1 ms the sampler would only measure itself.
    public static let minSampleMs = 0.1
    public static let maxSampleMs = 60_000.0
    /// Per-run wall-clock limit, s: one week.
    public static let maxTimeoutS = 604_800.0
    /// Per-run memory limit, MB: 1e9 MB (1 PB) keeps the limit in bytes inside 64 bits.
    public static let maxMemoryLimitMB = 1e9
    /// Default limit of a run's stdout + stderr, MB: a command that floods its output is stopped before it fills the disk.
    public static let defaultMaxLogMB = 1000.0
    /// Longest line accepted on the metric/phase protocol, bytes; longer lines are counted as malformed.
    public static let maxProtocolLineBytes = 4096
}
