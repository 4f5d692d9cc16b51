/// Where the `code_chunks` row kernel writes: one pointer per Arrow buffer, positioned at the first row to write.
///
/// For each string column, `…Offsets[0]` must already hold the byte offset at which the first written
/// value starts (0 for a fresh buffer); the kernel writes `…Offsets[1...n]`. The value pointers are the
/// starts of the byte buffers (offsets index into them). Byte buffers need `CodeChunksKernel.slackBytes`
/// writable bytes past the last value, since values are copied with fixed-size stores.
public struct CodeChunksDestination {
    public var id: UnsafeMutablePointer<Int64>
    public var filePathOffsets: UnsafeMutablePointer<Int32>
    public var filePathBytes: UnsafeMutableRawPointer
    public var languageOffsets: UnsafeMutablePointer<Int32>
    public var languageBytes: UnsafeMutableRawPointer
    public var startLine: UnsafeMutablePointer<Int32>
    public var contentOffsets: UnsafeMutablePointer<Int32>
    public var contentBytes: UnsafeMutableRawPointer
    public var score: UnsafeMutablePointer<Double>

    public init(id: UnsafeMutablePointer<Int64>,
                filePathOffsets: UnsafeMutablePointer<Int32>, filePathBytes: UnsafeMutableRawPointer,
                languageOffsets: UnsafeMutablePointer<Int32>, languageBytes: UnsafeMutableRawPointer,
                startLine: UnsafeMutablePointer<Int32>,
                contentOffsets: UnsafeMutablePointer<Int32>, contentBytes: UnsafeMutableRawPointer,
                score: UnsafeMutablePointer<Double>) {
        self.id = id
        self.filePathOffsets = filePathOffsets
        self.filePathBytes = filePathBytes
        self.languageOffsets = languageOffsets
        self.languageBytes = languageBytes
        self.startLine = startLine
        self.contentOffsets = contentOffsets
        self.contentBytes = contentBytes
        self.score = score
    }
}

/// The per-row rules of WORKLOAD.md §3, writing values straight into Arrow-layout buffers.
///
/// Row `r` uses outputs `34*r ..< 34*r + 34` of the splitmix64 stream with seed 42, so any row range
/// is generated independently of the others and of the batch size. Draws whose words are not used
/// (after `content` is full) are skipped, not computed.
public enum CodeChunksKernel {
    /// PRNG seed of the rows.
    public static let seed: UInt64 = 42
    /// Draws per row.
    public static let drawsPerRow = 34
    /// Words drawn per row for `content`.
    public static let contentWords = 30
    /// Maximum UTF-8 length of `content`.
    public static let maxContentBytes = 120
    /// Longest `file_path` value (`src/mod_499/file_4999.swift`).
    public static let maxFilePathBytes = 27
    /// Longest `language` value (`python`).
    public static let maxLanguageBytes = 6
    /// Writable bytes each string byte buffer needs past its last value.
    public static let slackBytes = 32
    /// Fixed-width value bytes per row: id (8) + start_line (4) + score (8).
    public static let fixedBytesPerRow = 20

    /// Value byte counts of the string columns written by one `generate` call.
    public struct StringBytes: Equatable, Sendable {
        public var filePath = 0
        public var language = 0
        public var content = 0
        public init() {}
        /// Raw value bytes (WORKLOAD.md §5) of `rows` rows with these string bytes.
        public func rawValueBytes(rows: Int) -> Int { rows * CodeChunksKernel.fixedBytesPerRow + filePath + language + content }
    }

    /// Writes rows `rows` at `dest`; returns the string bytes written.
    @inlinable
    public static func generate(rows: Range<Int>, into dest: CodeChunksDestination) -> StringBytes {
        generateRows(start: rows.lowerBound, count: rows.count, dest)
    }

    @usableFromInline
    static func generateRows(start: Int, count: Int, _ d: CodeChunksDestination) -> StringBytes {
        let tables = CodeChunksTables.shared
        let wordSlots = UnsafeRawPointer(tables.wordSlots)
        let wordLengths = UnsafePointer(tables.wordLengths)
        let pathSlots = UnsafeRawPointer(tables.pathSlots)
        let pathLengths = UnsafePointer(tables.pathLengths)
        let languageSlots = UnsafeRawPointer(tables.languageSlots)
        let languageLengths = UnsafePointer(tables.languageLengths)
        let gamma = SplitMix64.gamma
        let rowStride = UInt64(truncatingIfNeeded: drawsPerRow) &* gamma
        let maxContent = maxContentBytes

        let pathStart = Int(d.filePathOffsets[0])
        let languageStart = Int(d.languageOffsets[0])
        let contentStart = Int(d.contentOffsets[0])
        var pathEnd = pathStart
        var languageEnd = languageStart
        var contentEnd = contentStart
        // State before output 34*start.
        var base = seed &+ UInt64(truncatingIfNeeded: start) &* rowStride

        for i in 0..<count {
            d.id[i] = Int64(start + i)

            // d0: file_path
            let d0 = SplitMix64.mix(base &+ gamma)
            let f = Int(truncatingIfNeeded: d0 % 5_000)
            let pathSrc = pathSlots + f &* CodeChunksTables.pathSlotBytes
            let pathDst = d.filePathBytes + pathEnd
            pathDst.storeBytes(of: pathSrc.loadUnaligned(as: UInt64.self), as: UInt64.self)
            (pathDst + 8).storeBytes(of: pathSrc.loadUnaligned(fromByteOffset: 8, as: UInt64.self), as: UInt64.self)
            (pathDst + 16).storeBytes(of: pathSrc.loadUnaligned(fromByteOffset: 16, as: UInt64.self), as: UInt64.self)
            (pathDst + 24).storeBytes(of: pathSrc.loadUnaligned(fromByteOffset: 24, as: UInt64.self), as: UInt64.self)
            pathEnd &+= Int(pathLengths[f])
            d.filePathOffsets[i &+ 1] = Int32(truncatingIfNeeded: pathEnd)

            // d1: language
            let d1 = SplitMix64.mix(base &+ 2 &* gamma)
            let l = Int(truncatingIfNeeded: d1 & 7)
            (d.languageBytes + languageEnd).storeBytes(
                of: languageSlots.loadUnaligned(fromByteOffset: l &* CodeChunksTables.languageSlotBytes, as: UInt64.self),
                as: UInt64.self)
            languageEnd &+= Int(languageLengths[l])
            d.languageOffsets[i &+ 1] = Int32(truncatingIfNeeded: languageEnd)

            // d2: start_line
            let d2 = SplitMix64.mix(base &+ 3 &* gamma)
            d.startLine[i] = Int32(truncatingIfNeeded: d2 % 10_000)

            // d3...d32: content, the longest prefix of whole words (single spaces) of at most 120 bytes.
            var state = base &+ 4 &* gamma
            let contentDst = d.contentBytes + contentEnd
            let w0 = Int(truncatingIfNeeded: SplitMix64.mix(state) & 0xFF)
            let first = wordSlots + (w0 &* CodeChunksTables.wordSlotBytes &+ 1)
            contentDst.storeBytes(of: first.loadUnaligned(as: UInt64.self), as: UInt64.self)
            (contentDst + 8).storeBytes(of: first.loadUnaligned(fromByteOffset: 8, as: UInt64.self), as: UInt64.self)
            var length = Int(wordLengths[w0])
            var j = 1
            while j < contentWords {
                state = state &+ gamma
                let w = Int(truncatingIfNeeded: SplitMix64.mix(state) & 0xFF)
                let next = length &+ 1 &+ Int(wordLengths[w])
                if next > maxContent { break }
                let src = wordSlots + w &* CodeChunksTables.wordSlotBytes
                let dst = contentDst + length
                dst.storeBytes(of: src.loadUnaligned(as: UInt64.self), as: UInt64.self)
                (dst + 8).storeBytes(of: src.loadUnaligned(fromByteOffset: 8, as: UInt64.self), as: UInt64.self)
                length = next
                j &+= 1
            }
            contentEnd &+= length
            d.contentOffsets[i &+ 1] = Int32(truncatingIfNeeded: contentEnd)

            // d33: score, exact in [0, 1)
            let d33 = SplitMix64.mix(base &+ 34 &* gamma)
            d.score[i] = Double(d33 >> 11) * 0x1.0p-53

            base = base &+ rowStride
        }
        var out = StringBytes()
        out.filePath = pathEnd - pathStart
        out.language = languageEnd - languageStart
        out.content = contentEnd - contentStart
        return out
    }
}
