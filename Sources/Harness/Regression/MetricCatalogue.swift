import Foundation

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

/// How a metric varies between identical runs.
public enum MetricKind: String, Sendable, Codable, Equatable {
    /// Timing and memory figures that vary from run to run: judged with a threshold on the change of
    /// medians plus a Mann-Whitney U test over the repeats.
    case noisy
    /// Counts that are identical for identical runs (allocation calls, bytes and files written, rows):
    /// judged against the threshold alone, no statistics needed, and trustworthy even on a noisy machine.
    case deterministic
}

/// How a metric is judged: direction, kind and default threshold.
public struct MetricInfo: Sendable, Equatable {
    public let name: String
    public let direction: MetricDirection
    public let kind: MetricKind
    /// Tolerated change in the bad direction before the metric counts as regressed.
    public let threshold: Threshold
    /// Unit, for display (`rows/s`, `MB`, `s`, `ms`, empty for counts).
    public let unit: String

    public init(_ name: String, _ direction: MetricDirection, _ kind: MetricKind, _ threshold: Threshold, unit: String = "") {
        self.name = name
        self.direction = direction
        self.kind = kind
        self.threshold = threshold
        self.unit = unit
    }
}

/// The catalogue of metrics Highwater judges in `compare` and `check`.
///
/// Named metrics come from DESIGN.md and are gated by default. Every other numeric column (workload-specific and
/// per-stage figures, per-phase metrics `phase_*`, per-cache counters `cache_*`, the child's own `VmHWM` cross-check
/// `peak_rss_hwm_mb`) is listed as not judged unless a threshold names it; then its direction and kind come from its
/// name's unit suffix (`inferred(for:)`) or from the threshold's sign.
public enum MetricCatalogue {
    /// The named metrics of DESIGN.md with their defaults: throughput -5 %, wall time +5 %, memory high-water marks
    /// +10 %, latencies +10..25 % (tail latency +50 %), allocation calls and bytes and bytes written +1 %, files and versions exact.
    public static let known: [MetricInfo] = [
        MetricInfo("rows_per_s", .higherIsBetter, .noisy, .relative(0.05), unit: "rows/s"),
        MetricInfo("mb_per_s", .higherIsBetter, .noisy, .relative(0.05), unit: "MB/s"),
        MetricInfo("wall_s", .lowerIsBetter, .noisy, .relative(0.05), unit: "s"),
        // CPU seconds of short runs vary by tens of ms (cpu_sys_s of unchanged 0.07 s writes: 0.015-0.043 s), so a
        // change must also exceed 0.05 s.
        MetricInfo("cpu_user_s", .lowerIsBetter, .noisy, Threshold(relative: 0.10, absolute: 0.05), unit: "s"),
        MetricInfo("cpu_sys_s", .lowerIsBetter, .noisy, Threshold(relative: 0.25, absolute: 0.05), unit: "s"),
        MetricInfo("peak_rss_mb", .lowerIsBetter, .noisy, .relative(0.10), unit: "MB"),
        MetricInfo("peak_rss_sampled_mb", .lowerIsBetter, .noisy, .relative(0.10), unit: "MB"),
        // What is left at the end of a run depends on when other threads' frees landed: unchanged runs left
        // 3.9-7.6 MB of glibc heap resident, so these also need a change of more than 5 MB.
        MetricInfo("rss_end_mb", .lowerIsBetter, .noisy, Threshold(relative: 0.10, absolute: 5), unit: "MB"),
        MetricInfo("heap_allocated_mb", .lowerIsBetter, .noisy, Threshold(relative: 0.10, absolute: 5), unit: "MB"),
        MetricInfo("heap_resident_mb", .lowerIsBetter, .noisy, Threshold(relative: 0.10, absolute: 5), unit: "MB"),
        MetricInfo("first_write_ms", .lowerIsBetter, .noisy, .relative(0.25), unit: "ms"),
        MetricInfo("batch_p50_ms", .lowerIsBetter, .noisy, .relative(0.10), unit: "ms"),
        // One order statistic per run (the 2nd-largest of 200 batch latencies in suites/ci.toml): unchanged repeats
        // on the 2-core VM ranged 0.66-1.86 ms, and a +20% gate failed an unchanged build 1 check in 5.
        MetricInfo("batch_p99_ms", .lowerIsBetter, .noisy, .relative(0.50), unit: "ms"),
        MetricInfo("hit_ratio", .higherIsBetter, .noisy, .relative(0.05)),
        MetricInfo("alloc_count", .lowerIsBetter, .deterministic, .relative(0.01)),
        MetricInfo("alloc_bytes", .lowerIsBetter, .deterministic, .relative(0.01), unit: "B"),
        MetricInfo("bytes_written", .lowerIsBetter, .deterministic, .relative(0.01), unit: "B"),
        MetricInfo("compression_ratio", .higherIsBetter, .deterministic, .relative(0.01)),
        MetricInfo("files", .lowerIsBetter, .deterministic, .exact),
        MetricInfo("versions", .lowerIsBetter, .deterministic, .exact),
        MetricInfo("rows", .mustBeEqual, .deterministic, .exact, unit: "rows"),
        MetricInfo("input_bytes", .mustBeEqual, .deterministic, .exact, unit: "B"),
    ]

    private static let byName: [String: MetricInfo] = Dictionary(uniqueKeysWithValues: known.map { ($0.name, $0) })

    /// How `name` is judged by default, or nil when it is not gated by default. Only the catalogue's named
    /// metrics are: per-stage and workload-specific figures (`encode_compress_ms`, `phase_*`, `cache_*`, ...) are
    /// diagnostics, and gating on dozens of them multiplies the false alarms of a noisy machine (each extra noisy
    /// metric is one more chance for drift to look significant). Name one in a threshold to gate on it.
    public static func info(for name: String) -> MetricInfo? {
        byName[name]
    }

    /// Direction, kind and unit guessed from a metric's name, for metrics outside the catalogue that a threshold
    /// names: `_per_s`, `_ratio` → higher is better, noisy; `_ms`, `_s`, `_mb`, `_mib` → lower is better, noisy;
    /// `_count`, `_bytes` → lower is better, deterministic. Nil for names with none of these suffixes (then the
    /// threshold's sign must give the direction).
    public static func inferred(for name: String) -> MetricInfo? {
        if name.hasSuffix("_per_s") { return MetricInfo(name, .higherIsBetter, .noisy, .relative(0.05), unit: "/s") }
        if name.hasSuffix("_ratio") { return MetricInfo(name, .higherIsBetter, .noisy, .relative(0.05)) }
        if name.hasSuffix("_ms") { return MetricInfo(name, .lowerIsBetter, .noisy, .relative(0.10), unit: "ms") }
        if name.hasSuffix("_mb") || name.hasSuffix("_mib") { return MetricInfo(name, .lowerIsBetter, .noisy, .relative(0.10), unit: "MB") }
        if name.hasSuffix("_s") { return MetricInfo(name, .lowerIsBetter, .noisy, .relative(0.10), unit: "s") }
        if name.hasSuffix("_count") { return MetricInfo(name, .lowerIsBetter, .deterministic, .relative(0.01)) }
        if name.hasSuffix("_bytes") { return MetricInfo(name, .lowerIsBetter, .deterministic, .relative(0.01), unit: "B") }
        return nil
    }

    /// The unit implied by a metric's name suffix, used to check absolute thresholds such as `+5MB`.
    public static func unitSuffix(of name: String) -> String? {
        if name.hasSuffix("_per_s") { return nil }
        if name.hasSuffix("_mb") || name.hasSuffix("_mib") { return "MB" }
        if name.hasSuffix("_ms") { return "ms" }
        if name.hasSuffix("_s") { return "s" }
        if name.hasSuffix("bytes") || name == "bytes_written" { return "B" }
        return nil
    }
}
