/// How the values of one page are laid out before compression (docs/FORMAT.md, "Page bodies").
public enum PageEncoding: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Values as they are in memory: fixed-width values, or offsets + UTF-8 bytes.
    case plain = 0
    /// A dictionary of the distinct values plus one index (1, 2 or 4 bytes) per row.
    case dictionary = 1
    /// Runs of equal values: each run's value plus its length.
    case runLength = 2

    public var description: String {
        switch self {
        case .plain: return "plain"
        case .dictionary: return "dictionary"
        case .runLength: return "run_length"
        }
    }
}

/// How a page body is stored on disk.
public enum PageCompression: UInt8, Sendable, CustomStringConvertible {
    /// The body bytes as they are.
    case none = 0
    /// One zstd frame holding the body.
    case zstd = 1

    public var description: String { self == .none ? "none" : "zstd" }
}

/// Options of `BatchEncoder.encode`.
public struct EncodingOptions: Sendable, Equatable {
    /// zstd level for page bodies; 0 stores them uncompressed (a page is also stored uncompressed when zstd
    /// would not make it smaller). Default 1. Valid: 0...22 (negative fast levels down to -7 also accepted).
    public var compressionLevel: Int
    /// Forces one encoding for every page instead of choosing from statistics (tests and experiments). Default nil.
    public var forcedEncoding: PageEncoding?

    public init(compressionLevel: Int = 1, forcedEncoding: PageEncoding? = nil) {
        self.compressionLevel = compressionLevel
        self.forcedEncoding = forcedEncoding
    }
}
