/// One measured quantity of a run: the single source of its `runs.csv` column name, unit, number of decimals,
/// which way is better, whether identical runs give identical values, its default regression threshold and its
/// meaning. `runs.csv`, `summary.csv`, the report's units, the plots' axis labels, the regression catalogue and
/// the `--threshold` help text are all derived from `Metric.all`; adding a metric is one line there.
public struct Metric: Sendable, Hashable, Identifiable {
    /// The `runs.csv` column name (snake_case, ending in its unit where it has one).
    public let name: String
    public let unit: MetricUnit
    public let direction: MetricDirection
    public let kind: MetricKind
    /// Default threshold in `compare` and `check`; nil = not judged unless a threshold names it.
    public let threshold: Threshold?
    /// Decimals written to `runs.csv` (trailing zeros dropped).
    public let digits: Int
    /// One line for `--help`, the README and the report.
    public let meaning: String

    public var id: String { name }

    public init(_ name: String, _ unit: MetricUnit, _ direction: MetricDirection, _ kind: MetricKind,
                gate threshold: Threshold? = nil, digits: Int = 3, _ meaning: String) {
        self.name = name
        self.unit = unit
        self.direction = direction
        self.kind = kind
        self.threshold = threshold
        self.digits = digits
        self.meaning = meaning
    }

    /// `name (unit)` for axis labels and headers, or the name alone for counts and ratios.
    public var label: String { unit.label.isEmpty ? name : "\(name) (\(unit.label))" }

    public static func == (a: Metric, b: Metric) -> Bool { a.name == b.name }
    public func hash(into h: inout Hasher) { h.combine(name) }
}

extension Metric {
    /// The metric called `name` in the table, or nil (workload-specific, `phase_*` and `cache_*` columns).
    public static func named(_ name: String) -> Metric? { byName[name] }

    private static let byName: [String: Metric] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// Metrics judged by default in `compare` and `check`, in table order.
    public static var gated: [Metric] { all.filter { $0.threshold != nil } }
}
