/// One `name=value` pair, in canonical text: a parameter of a configuration or an allocator knob.
public struct KeyValue: Sendable, Codable, Hashable {
    public var key: String
    public var value: String
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}
