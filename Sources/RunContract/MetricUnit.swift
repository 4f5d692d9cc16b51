/// The unit a metric is stored in, in `runs.csv` and everywhere it is shown (MB = 10^6 bytes).
public enum MetricUnit: String, Sendable, Codable, CaseIterable {
    case seconds = "s"
    case milliseconds = "ms"
    case microseconds = "µs"
    case megabytes = "MB"
    case bytes = "B"
    case rows = "rows"
    case rowsPerSecond = "rows/s"
    case megabytesPerSecond = "MB/s"
    /// A plain count (allocation calls, files, versions, samples).
    case count = ""
    /// A dimensionless ratio.
    case ratio = "ratio"

    /// Text for axis labels and table headers (`MB`, `rows/s`); empty for counts.
    public var label: String { self == .ratio ? "" : rawValue }

    /// The factor from the base quantity the engine measures to this unit: bytes → MB is 1e-6,
    /// nanoseconds → ms is 1e-6, nanoseconds → s is 1e-9. Units without a base conversion return 1.
    public var fromBase: Double {
        switch self {
        case .megabytes: return 1e-6
        case .seconds: return 1e-9
        case .milliseconds: return 1e-6
        case .microseconds: return 1e-3
        case .megabytesPerSecond: return 1e-6
        default: return 1
        }
    }
}
