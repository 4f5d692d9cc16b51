import Foundation
import Collections
import RunContract

/// One row of `runs.csv`: column name → cell text, in the order the columns were set. Measured cells are set
/// through their `Metric`, which fixes the column name, the unit conversion and the decimals in one place.
public struct RunRecord: Sendable {
    public var values: OrderedDictionary<String, String> = [:]
    public init() {}
    public subscript(_ column: String) -> String? {
        get { values[column] }
        set { values[column] = newValue }
    }
    /// Sets a numeric cell (empty for nil / non-finite); `digits` decimals after the point at most.
    public mutating func set(_ column: String, _ v: Double?, digits: Int = 6) {
        guard let v, v.isFinite else { values[column] = ""; return }
        values[column] = formatNumber(v, digits: digits)
    }
    public mutating func set(_ column: String, _ v: Int?) {
        values[column] = v.map(String.init) ?? ""
    }
    /// Sets `metric`'s cell from a value already in its unit.
    public mutating func set(_ metric: Metric, _ v: Double?) {
        set(metric.name, v, digits: metric.digits)
    }
    /// Sets `metric`'s cell from a value in its base quantity (bytes for MB, ns for s and ms); negative = unknown.
    public mutating func set(_ metric: Metric, base v: Int64?) {
        guard let v, v >= 0 else { values[metric.name] = ""; return }
        set(metric, Double(v) * metric.unit.fromBase)
    }
    /// The run's status; nil when the cell is missing or not a known status.
    public var status: RunStatus? { values[RunColumn.status].flatMap(RunStatus.init(rawValue:)) }
    public mutating func setStatus(_ status: RunStatus, error: String) {
        values[RunColumn.status] = status.rawValue
        values[RunColumn.error] = String(error.prefix(400))
    }
}

/// Shortest text for a number: integers without a point, others with up to `digits` decimals, no exponent for normal magnitudes.
func formatNumber(_ v: Double, digits: Int = 6) -> String {
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    var s = String(format: "%.\(max(0, digits))f", v)
    guard s.contains(".") else { return s }
    while s.hasSuffix("0") { s.removeLast() }
    if s.hasSuffix(".") { s.removeLast() }
    return s
}
