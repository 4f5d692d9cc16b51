/// One named, typed column of a schema.
public struct Field: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var type: ColumnType
    /// Whether rows may be null. Appending a null to a non-nullable column is a programming error.
    public var nullable: Bool

    public init(name: String, type: ColumnType, nullable: Bool = false) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }

    public var description: String { "\(name): \(type)\(nullable ? "?" : "")" }
}
