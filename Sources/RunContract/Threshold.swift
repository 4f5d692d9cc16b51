import Foundation

/// The change a metric may make in its bad direction before it counts as regressed (and, mirrored,
/// the change in its good direction before it counts as improved).
///
/// A threshold has a relative part (a fraction of the baseline median: `0.05` = 5 %), an absolute part
/// (in the metric's own unit: MB for `*_mb`, ms for `*_ms`, bytes for `*bytes*`), or both; with both, a change
/// must exceed both to count, so the absolute part acts as a floor for metrics with tiny baselines.
/// `exact` (relative 0) flags any change at all, which is what deterministic counts want.
public struct Threshold: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Tolerated relative change as a fraction (0.05 = 5 %), or nil.
    public var relative: Double?
    /// Tolerated absolute change in the metric's unit, or nil.
    public var absolute: Double?
    /// The bad direction stated by the threshold's sign (`+` = increases are bad, `-` = decreases are bad);
    /// nil when no sign was written, and then the metric table decides.
    public var direction: MetricDirection?

    public init(relative: Double? = nil, absolute: Double? = nil, direction: MetricDirection? = nil) {
        self.relative = relative
        self.absolute = absolute
        self.direction = direction
    }

    /// A relative threshold (fraction, e.g. 0.05 for 5 %).
    public static func relative(_ fraction: Double) -> Threshold { Threshold(relative: fraction) }
    /// Any change counts.
    public static let exact = Threshold(relative: 0)

    /// True when the change from `baseline` to `current` (of magnitude `|current - baseline|`) is beyond
    /// every part of this threshold. Changes are compared with their magnitude; the caller decides which way is bad.
    public func isExceeded(baseline: Double, current: Double) -> Bool {
        let delta = abs(current - baseline)
        if delta == 0 { return false }
        var exceeded = true
        if let r = relative, baseline != 0 { exceeded = exceeded && delta / abs(baseline) > r + 1e-12 }
        if let a = absolute { exceeded = exceeded && delta > a }
        return exceeded
    }

    /// `+10%`, `-5%`, `exact`, `+5 abs`, `+10%,+5 abs`.
    public var description: String {
        let sign: String
        switch direction {
        case .lowerIsBetter?: sign = "+"
        case .higherIsBetter?: sign = "-"
        default: sign = "±"
        }
        var parts: [String] = []
        if let r = relative {
            parts.append(r == 0 && absolute == nil ? "exact" : "\(sign)\(Self.number(r * 100))%")
        }
        if let a = absolute { parts.append("\(sign)\(Self.number(a)) abs") }
        return parts.isEmpty ? "none" : parts.joined(separator: ",")
    }

    /// A number without a trailing `.0` (`%g` otherwise).
    public static func number(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(format: "%g", v)
    }
}
