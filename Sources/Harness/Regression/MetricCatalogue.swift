import Foundation
import RunContract

/// The catalogue of metrics Highwater judges in `compare` and `check`, derived from `Metric.all`.
///
/// Metrics of the table with a default threshold are gated by default. Every other numeric column (workload-specific and
/// per-stage figures, per-phase metrics `phase_*`, per-cache counters `cache_*`, the child's own `VmHWM` cross-check
/// `peak_rss_hwm_mb`) is listed as not judged unless a threshold names it; then its direction and kind come from its
/// name's unit suffix (`inferred(for:)`) or from the threshold's sign.
public enum MetricCatalogue {
    /// The metrics judged by default: every `Metric` of the run contract's table with a default threshold.
    public static let known: [MetricInfo] = Metric.gated.map { m in
        MetricInfo(m.name, m.direction, m.kind, m.threshold ?? .exact, unit: m.unit.label)
    }

    /// The defaults as one sentence for `--threshold`'s help: `rows_per_s -5%, wall_s +5%, ...`.
    public static var defaultsDescription: String {
        known.map { info in
            var t = info.threshold
            if info.direction != .mustBeEqual { t.direction = info.direction }
            return "\(info.name) \(t)"
        }.joined(separator: ", ")
    }

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
    /// The table's unit for its metrics; the name's suffix for others.
    public static func unitSuffix(of name: String) -> String? {
        if let m = Metric.named(name) {
            switch m.unit {
            case .megabytes, .milliseconds, .seconds, .bytes: return m.unit.rawValue
            default: return nil
            }
        }
        if name.hasSuffix("_per_s") { return nil }
        if name.hasSuffix("_mb") || name.hasSuffix("_mib") { return "MB" }
        if name.hasSuffix("_ms") { return "ms" }
        if name.hasSuffix("_s") { return "s" }
        if name.hasSuffix("bytes") || name == "bytes_written" { return "B" }
        return nil
    }
}
