/// The columns of `runs.csv` that identify a run rather than measure it (the measured ones are `Metric.all`).
public enum RunColumn {
    public static let runID = "run_id"
    public static let configID = "config_id"
    public static let repeatIndex = "repeat"
    public static let workload = "workload"
    public static let allocator = "allocator"
    public static let command = "command"
    public static let status = "status"
    public static let error = "error"
    public static let spawnedVia = "spawned_via"
    /// Where `peak_tree_mb` came from: `cgroup` (memory.peak), `wait4` (ru_maxrss: one process at a time, exact) or
    /// `sampled` (the tree's RSS sum at the sampler's best sample, when processes ran side by side).
    public static let peakSource = "peak_source"
    public static let exitCode = "exit_code"
    public static let signal = "signal"
    public static let gitRev = "git_rev"
    public static let host = "host"
    public static let startedAt = "started_at"

    /// Columns that identify or describe a run (the rest of `runs.csv` are numbers: metrics, parameters aside).
    public static let identifying: Set<String> = [
        runID, configID, repeatIndex, workload, allocator, status, error, command, gitRev, host, startedAt, signal,
        exitCode, spawnedVia, peakSource, "sample_ms",
    ]

    /// Prefix of parameter columns (`param_batch_size`).
    public static let parameterPrefix = "param_"
    /// Prefix of allocator-knob columns (`env_MALLOC_ARENA_MAX`).
    public static let environmentPrefix = "env_"
    /// Prefix of per-cache counters (`cache_index_hits`).
    public static let cachePrefix = "cache_"
    /// Prefix of per-phase columns (`phase_generate_s`, `phase_generate_rss_delta_mb`).
    public static let phasePrefix = "phase_"

    /// Lower-cased with anything but letters, digits and `_` replaced by `_`: a phase, cache or metric name as a column.
    public static func safe(_ name: String) -> String {
        String(name.lowercased().map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }
}
