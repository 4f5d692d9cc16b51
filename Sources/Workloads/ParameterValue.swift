

/// A validated parameter value.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)

    /// Canonical text form, as written to `param_<name>` columns and accepted back by `parse`.
    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .double(let v): return String(v)
        case .bool(let v): return v ? "true" : "false"
        case .string(let v): return v
        }
    }
}
