

/// A parameter value was rejected. `description` is a one-line reason naming the
/// parameter and the value (the caller prefixes the file or flag it came from).
public struct ParameterError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
