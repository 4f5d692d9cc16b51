/// How a page body is stored on disk.
public enum PageCompression: UInt8, Sendable, CustomStringConvertible {
    /// The body bytes as they are.
    case none = 0
    /// One zstd frame holding the body.
    case zstd = 1

    public var description: String { self == .none ? "none" : "zstd" }
}
