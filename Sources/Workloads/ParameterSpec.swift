
/// Declaration of one workload parameter: name, type, unit, default and allowed values.
public struct ParameterSpec: Sendable {
    /// snake_case name, used on the command line (`--param name=...`), in suites and as `param_<name>`.
    public let name: String
    public let type: ParameterType
    /// Unit of the value (`rows`, `batches`, `MB`, `MB/s`, `ms`), empty when it has none.
    public let unit: String
    /// Default value in canonical text form.
    public let defaultValue: String
    /// Inclusive bounds for `int` and `double` parameters.
    public let range: ClosedRange<Double>?
    /// One-line help.
    public let help: String

    public init(_ name: String, _ type: ParameterType, unit: String = "", default defaultValue: String,
                range: ClosedRange<Double>? = nil, help: String) {
        self.name = name
        self.type = type
        self.unit = unit
        self.defaultValue = defaultValue
        self.range = range
        self.help = help
    }

    /// Allowed values as shown by `highwater list`.
    public var allowedDescription: String {
        switch type {
        case .choice(let words): return words.joined(separator: "|")
        case .bool: return "true|false"
        case .int, .double:
            guard let r = range else { return "any" }
            return "\(Self.format(r.lowerBound))...\(Self.format(r.upperBound))"
        case .string: return "text"
        }
    }

    private static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e18 ? String(Int64(v)) : String(v)
    }

    /// Parses and checks one raw value; throws a `ParameterError` naming this parameter and the value.
    public func parse(_ raw: String) throws -> ParameterValue {
        let text = raw.trimmingCharacters(in: .whitespaces)
        switch type {
        case .int:
            guard let v = Self.parseInt(text) else {
                throw ParameterError("parameter '\(name)': '\(raw)' is not an integer")
            }
            try check(Double(v), raw)
            return .int(v)
        case .double:
            guard let v = Double(text), v.isFinite else {
                throw ParameterError("parameter '\(name)': '\(raw)' is not a number")
            }
            try check(v, raw)
            return .double(v)
        case .bool:
            switch text.lowercased() {
            case "true", "1", "yes", "on": return .bool(true)
            case "false", "0", "no", "off": return .bool(false)
            default: throw ParameterError("parameter '\(name)': '\(raw)' is not true or false")
            }
        case .choice(let words):
            guard words.contains(text) else {
                throw ParameterError("parameter '\(name)': '\(raw)' is not one of \(words.joined(separator: ", "))")
            }
            return .string(text)
        case .string:
            return .string(text)
        }
    }

    private func check(_ v: Double, _ raw: String) throws {
        if let r = range, !r.contains(v) {
            throw ParameterError("parameter '\(name)': \(raw) is outside \(allowedDescription)\(unit.isEmpty ? "" : " " + unit)")
        }
    }

    /// Parses `1000`, `1_000`, `10k`, `1M`, `2G` (decimal multipliers).
    public static func parseInt(_ text: String) -> Int? {
        var t = text.replacingOccurrences(of: "_", with: "")
        var mult = 1
        if let last = t.last {
            switch last {
            case "k", "K": mult = 1_000
            case "m", "M": mult = 1_000_000
            case "g", "G": mult = 1_000_000_000
            default: break
            }
            if mult != 1 { t.removeLast() }
        }
        guard let v = Int(t) else { return nil }
        let (r, overflow) = v.multipliedReportingOverflow(by: mult)
        return overflow ? nil : r
    }
}
