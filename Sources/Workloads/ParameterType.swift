

/// The type of a workload parameter, as declared once and used by `highwater list`,
/// input validation and the `param_<name>` CSV columns.
public enum ParameterType: Sendable, Equatable {
    /// Whole number; accepts decimal suffixes `k` (1e3), `M` (1e6), `G` (1e9) and `_` separators.
    case int
    /// Floating point number.
    case double
    /// `true`/`false` (also `1`/`0`, `yes`/`no`).
    case bool
    /// One of a fixed set of words.
    case choice([String])
    /// Free text.
    case string

    public var label: String {
        switch self {
        case .int: return "int"
        case .double: return "double"
        case .bool: return "bool"
        case .choice: return "choice"
        case .string: return "string"
        }
    }
}
