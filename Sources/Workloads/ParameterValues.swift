

/// The validated parameters of one run, every declared parameter present (defaults filled in).
public struct ParameterValues: Sendable, Hashable {
    public private(set) var values: [String: ParameterValue]

    public init(_ values: [String: ParameterValue]) { self.values = values }

    /// Validates `raw` against `specs`: unknown names and bad values throw; missing ones take their default.
    public init(specs: [ParameterSpec], raw: [String: String], workload: String) throws {
        var out: [String: ParameterValue] = [:]
        for key in raw.keys.sorted() where !specs.contains(where: { $0.name == key }) {
            let known = specs.map(\.name).joined(separator: ", ")
            throw ParameterError("workload '\(workload)' has no parameter '\(key)' (known: \(known))")
        }
        for spec in specs {
            out[spec.name] = try spec.parse(raw[spec.name] ?? spec.defaultValue)
        }
        values = out
    }

    public subscript(name: String) -> ParameterValue? { values[name] }

    public func int(_ name: String) -> Int {
        guard case .int(let v)? = values[name] else { preconditionFailure("no int parameter '\(name)'") }
        return v
    }
    public func double(_ name: String) -> Double {
        switch values[name] {
        case .double(let v)?: return v
        case .int(let v)?: return Double(v)
        default: preconditionFailure("no double parameter '\(name)'")
        }
    }
    public func bool(_ name: String) -> Bool {
        guard case .bool(let v)? = values[name] else { preconditionFailure("no bool parameter '\(name)'") }
        return v
    }
    public func string(_ name: String) -> String {
        guard case .string(let v)? = values[name] else { preconditionFailure("no string parameter '\(name)'") }
        return v
    }
}
