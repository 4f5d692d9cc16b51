/// Which way a metric should move.
public enum MetricDirection: String, Sendable, Codable, Equatable {
    /// Larger is better (`rows_per_s`, `mb_per_s`, `hit_ratio`, `compression_ratio`).
    case higherIsBetter = "higher"
    /// Smaller is better (`wall_s`, `peak_rss_mb`, `alloc_count`, `bytes_written`, latencies).
    case lowerIsBetter = "lower"
    /// Any change is a regression: the value describes the workload itself (`rows`, `input_bytes`),
    /// so a change means the two sides did not run the same thing.
    case mustBeEqual = "equal"
}
