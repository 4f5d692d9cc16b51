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
