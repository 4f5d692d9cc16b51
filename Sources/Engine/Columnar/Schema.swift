/// An ordered list of fields; column `i` of a batch has type `fields[i].type`.
public struct Schema: Hashable, Sendable, CustomStringConvertible {
    public var fields: [Field]

    public init(fields: [Field]) {
        self.fields = fields
    }

    /// Number of columns.
    @inlinable public var count: Int { fields.count }

    /// Index of the first field named `name`, or nil.
    public func index(of name: String) -> Int? {
        fields.firstIndex { $0.name == name }
    }

    /// The schema of the given columns, in the given order.
    public func project(_ columns: [Int]) -> Schema {
        Schema(fields: columns.map { fields[$0] })
    }

    public var description: String { "(" + fields.map(\.description).joined(separator: ", ") + ")" }
}
