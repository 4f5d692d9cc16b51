import Foundation
import TOMLKit
import RunContract

extension Threshold {
    /// Parses a threshold for `metric` from text:
    /// - `N%` / `+N%` / `-N%`: relative; the sign names the bad direction and must agree with the metric's;
    /// - `exact` (same as `0%`): any change counts;
    /// - `+N MB` / `+Nms` / `+Ns` / `+NB`: absolute, in the metric's own unit (checked against its name's suffix);
    /// - `abs:N` / `abs:+N`: absolute in the metric's unit, whatever it is;
    /// - several parts separated by `,` (e.g. `+10%,+5MB`): all must be exceeded.
    /// A bare number is rejected as ambiguous. Errors are one line naming the metric and the value.
    public static func parse(_ text: String, metric: String) throws -> Threshold {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw ThresholdError("empty threshold (write e.g. +10%, -5%, +5MB, abs:5 or exact)")
        }
        var result = Threshold()
        for rawPart in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let part = rawPart.trimmingCharacters(in: .whitespaces)
            if part.lowercased() == "exact" {
                guard result.relative == nil else { throw ThresholdError("gives a relative part twice") }
                result.relative = 0
                continue
            }
            var body = Substring(part)
            var isAbsolute = false
            if body.lowercased().hasPrefix("abs:") { body = body.dropFirst(4); isAbsolute = true }
            var sign: MetricDirection? = nil
            if body.hasPrefix("+") { sign = .lowerIsBetter; body = body.dropFirst() } else if body.hasPrefix("-") { sign = .higherIsBetter; body = body.dropFirst() }
            let numberEnd = body.firstIndex(where: { !($0.isNumber || $0 == ".") }) ?? body.endIndex
            let numberText = body[body.startIndex..<numberEnd]
            let suffix = body[numberEnd...].trimmingCharacters(in: .whitespaces)
            guard let value = Double(numberText), value.isFinite, value >= 0 else {
                throw ThresholdError("'\(part)' is not a number followed by % or a unit (e.g. +10%, -5%, +5MB, abs:5, exact)")
            }
            if let s = sign {
                if let d = result.direction, d != s {
                    throw ThresholdError("mixes + and - signs")
                }
                result.direction = s
            }
            if suffix == "%" && !isAbsolute {
                guard result.relative == nil else { throw ThresholdError("gives a relative part twice") }
                result.relative = value / 100
            } else if isAbsolute || !suffix.isEmpty {
                if !suffix.isEmpty {
                    let unit = canonicalUnit(suffix)
                    guard let unit else {
                        throw ThresholdError("unknown unit '\(suffix)' (use %, MB, ms, s, B, or abs:N in the metric's unit)")
                    }
                    let metricUnit = MetricCatalogue.unitSuffix(of: metric)
                    guard metricUnit == unit else {
                        throw ThresholdError("unit '\(suffix)' does not match metric '\(metric)' (\(metricUnit.map { "its unit is \($0)" } ?? "it has no unit; use abs:N"))")
                    }
                }
                guard result.absolute == nil else { throw ThresholdError("gives an absolute part twice") }
                result.absolute = value
            } else {
                throw ThresholdError("'\(part)' is ambiguous: write \(part)% for relative or abs:\(part) for absolute")
            }
        }
        return result
    }

    private static func canonicalUnit(_ s: String) -> String? {
        switch s.lowercased() {
        case "mb", "mib": return "MB"
        case "ms": return "ms"
        case "s", "sec": return "s"
        case "b", "bytes": return "B"
        default: return nil
        }
    }
}
