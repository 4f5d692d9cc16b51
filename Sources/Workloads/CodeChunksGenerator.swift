import Engine

/// The per-row rules of WORKLOAD.md §3, each writing one value with fixed-size loads and stores from the
/// padded tables of `CodeChunksTables` (no String, no allocation).
///
/// Row `r` uses outputs `34*r ..< 34*r + 34` of the splitmix64 stream with seed 42. `base` below is the
/// stream state before row `r`'s first output, so draw `k` of the row is `mix(base &+ (k+1) &* gamma)`:
/// any row is generated independently of the others, and draws of words past the end of `content` are
/// never computed.
struct CodeChunksRowWriter {
    let wordSlots: UnsafeRawPointer
    let wordLengths: UnsafePointer<UInt8>
    let pathSlots: UnsafeRawPointer
    let pathLengths: UnsafePointer<UInt8>
    let languageSlots: UnsafeRawPointer
    let languageLengths: UnsafePointer<UInt8>

    init(_ tables: CodeChunksTables = .shared) {
        wordSlots = UnsafeRawPointer(tables.wordSlots)
        wordLengths = UnsafePointer(tables.wordLengths)
        pathSlots = UnsafeRawPointer(tables.pathSlots)
        pathLengths = UnsafePointer(tables.pathLengths)
        languageSlots = UnsafeRawPointer(tables.languageSlots)
        languageLengths = UnsafePointer(tables.languageLengths)
    }

    /// Stream state before the first output of row `row`.
    @inline(__always)
    static func base(row: Int) -> UInt64 {
        CodeChunksGenerator.seed &+ UInt64(truncatingIfNeeded: row) &* (34 &* SplitMix64.gamma)
    }

    /// Draw `k` (0...33) of the row whose state is `base`.
    @inline(__always)
    static func draw(_ base: UInt64, _ k: UInt64) -> UInt64 {
        SplitMix64.mix(base &+ (k &+ 1) &* SplitMix64.gamma)
    }

    /// Writes `file_path` (d0) at `dst`, which needs 32 writable bytes; returns its length.
    @inline(__always)
    func writeFilePath(_ base: UInt64, to dst: UnsafeMutableRawPointer) -> Int {
        let f = Int(truncatingIfNeeded: Self.draw(base, 0) % 5_000)
        let src = pathSlots + f &* CodeChunksTables.pathSlotBytes
        dst.storeBytes(of: src.loadUnaligned(as: UInt64.self), as: UInt64.self)
        (dst + 8).storeBytes(of: src.loadUnaligned(fromByteOffset: 8, as: UInt64.self), as: UInt64.self)
        (dst + 16).storeBytes(of: src.loadUnaligned(fromByteOffset: 16, as: UInt64.self), as: UInt64.self)
        (dst + 24).storeBytes(of: src.loadUnaligned(fromByteOffset: 24, as: UInt64.self), as: UInt64.self)
        return Int(pathLengths[f])
    }

    /// Writes `language` (d1) at `dst`, which needs 8 writable bytes; returns its length.
    @inline(__always)
    func writeLanguage(_ base: UInt64, to dst: UnsafeMutableRawPointer) -> Int {
        let l = Int(truncatingIfNeeded: Self.draw(base, 1) & 7)
        dst.storeBytes(of: languageSlots.loadUnaligned(fromByteOffset: l &* CodeChunksTables.languageSlotBytes, as: UInt64.self),
                       as: UInt64.self)
        return Int(languageLengths[l])
    }

    /// `start_line` (d2).
    @inline(__always)
    static func startLine(_ base: UInt64) -> Int32 {
        Int32(truncatingIfNeeded: draw(base, 2) % 10_000)
    }

    /// Writes `content` (d3...d32) at `dst`, which needs 136 writable bytes: the longest run of leading
    /// words, joined by single spaces, of at most 120 bytes. Returns its length.
    @inline(__always)
    func writeContent(_ base: UInt64, to dst: UnsafeMutableRawPointer) -> Int {
        let gamma = SplitMix64.gamma
        var state = base &+ 4 &* gamma
        let w0 = Int(truncatingIfNeeded: SplitMix64.mix(state) & 0xFF)
        let first = wordSlots + (w0 &* CodeChunksTables.wordSlotBytes &+ 1)
        dst.storeBytes(of: first.loadUnaligned(as: UInt64.self), as: UInt64.self)
        (dst + 8).storeBytes(of: first.loadUnaligned(fromByteOffset: 8, as: UInt64.self), as: UInt64.self)
        var length = Int(wordLengths[w0])
        var j = 1
        while j < CodeChunksGenerator.contentWords {
            state = state &+ gamma
            let w = Int(truncatingIfNeeded: SplitMix64.mix(state) & 0xFF)
            let next = length &+ 1 &+ Int(wordLengths[w])
            if next > CodeChunksGenerator.maxContentBytes { break }
            let src = wordSlots + w &* CodeChunksTables.wordSlotBytes
            let at = dst + length
            at.storeBytes(of: src.loadUnaligned(as: UInt64.self), as: UInt64.self)
            (at + 8).storeBytes(of: src.loadUnaligned(fromByteOffset: 8, as: UInt64.self), as: UInt64.self)
            length = next
            j &+= 1
        }
        return length
    }

    /// Writes vocabulary words `a`, `b`, `c` (indexes 0...255) joined by single spaces at `dst`, which needs
    /// 46 writable bytes; returns the length.
    @inline(__always)
    func writeThreeWords(_ a: Int, _ b: Int, _ c: Int, to dst: UnsafeMutableRawPointer) -> Int {
        var length = 0
        copyWord(a, leadingSpace: false, to: dst, at: &length)
        copyWord(b, leadingSpace: true, to: dst, at: &length)
        copyWord(c, leadingSpace: true, to: dst, at: &length)
        return length
    }

    @inline(__always)
    private func copyWord(_ w: Int, leadingSpace: Bool, to dst: UnsafeMutableRawPointer, at length: inout Int) {
        let src = wordSlots + (w &* CodeChunksTables.wordSlotBytes &+ (leadingSpace ? 0 : 1))
        let at = dst + length
        at.storeBytes(of: src.loadUnaligned(as: UInt64.self), as: UInt64.self)
        (at + 8).storeBytes(of: src.loadUnaligned(fromByteOffset: 8, as: UInt64.self), as: UInt64.self)
        length &+= Int(wordLengths[w]) &+ (leadingSpace ? 1 : 0)
    }

    /// `score` (d33): exact, in [0, 1).
    @inline(__always)
    static func score(_ base: UInt64) -> Double {
        Double(draw(base, 33) >> 11) * 0x1.0p-53
    }
}

/// Generates `code_chunks` rows (WORKLOAD.md) as `RecordBatch`es, any row range independently.
///
/// Values are written straight into the builder's contiguous buffers: strings are assembled in place from
/// precomputed byte tables, so no String or other object is created per value. One generator per thread
/// (it owns a `RecordBatchBuilder`).
public final class CodeChunksGenerator {
    /// PRNG seed of the rows.
    public static let seed: UInt64 = 42
    /// Draws per row.
    public static let drawsPerRow = 34
    /// Words drawn per row for `content`.
    public static let contentWords = 30
    /// Maximum UTF-8 length of `content`, in bytes.
    public static let maxContentBytes = 120
    /// Longest `file_path` (`src/mod_499/file_4999.swift`), in bytes.
    public static let maxFilePathBytes = 27
    /// Longest `language` (`python`), in bytes.
    public static let maxLanguageBytes = 6

    /// Column indexes in `schema`.
    public enum Column {
        public static let id = 0
        public static let filePath = 1
        public static let language = 2
        public static let startLine = 3
        public static let content = 4
        public static let score = 5
    }

    /// `id int64, file_path utf8, language utf8, start_line int32, content utf8, score float64`, none nullable.
    public static let schema = Schema(fields: [
        Field(name: "id", type: .int64),
        Field(name: "file_path", type: .utf8),
        Field(name: "language", type: .utf8),
        Field(name: "start_line", type: .int32),
        Field(name: "content", type: .utf8),
        Field(name: "score", type: .float64),
    ])

    private let builder: RecordBatchBuilder
    private let writer = CodeChunksRowWriter()

    /// - Parameter batchCapacityRows: rows per batch to reserve room for (larger batches grow the buffers).
    public init(batchCapacityRows: Int = 10_000) {
        builder = RecordBatchBuilder(schema: Self.schema, capacityRows: max(batchCapacityRows, 1), stringBytesPerRowHint: 1)
    }

    /// Rows `rows` (ids `rows.lowerBound ..< rows.upperBound`) as one batch.
    public func batch(rows: Range<Int>) -> RecordBatch {
        precondition(rows.lowerBound >= 0, "negative row id")
        append(rows: rows, to: builder)
        // The builder allocates the next batch's buffers when the next call starts, not now: a caller that
        // drops this batch first (the streaming write) holds one batch's buffers, not two.
        return builder.finishReleasingBuffers()
    }

    /// Appends rows `rows` to `builder`, whose schema must be `CodeChunksGenerator.schema`.
    public func append(rows: Range<Int>, to builder: RecordBatchBuilder) {
        let n = rows.count
        // Exact room for the longest values plus the fixed-size stores' slack: no regrowth inside the loop.
        builder.reserveUTF8Bytes(column: Column.filePath, n * Self.maxFilePathBytes + 32)
        builder.reserveUTF8Bytes(column: Column.language, n * Self.maxLanguageBytes + 8)
        builder.reserveUTF8Bytes(column: Column.content, n * Self.maxContentBytes + 16)
        let w = writer
        var base = CodeChunksRowWriter.base(row: rows.lowerBound)
        let rowStride = 34 &* SplitMix64.gamma
        for row in rows {
            builder.appendInt64(column: Column.id, Int64(row))
            builder.appendUTF8(column: Column.filePath, maxBytes: 32) { w.writeFilePath(base, to: $0) }
            builder.appendUTF8(column: Column.language, maxBytes: 8) { w.writeLanguage(base, to: $0) }
            builder.appendInt32(column: Column.startLine, CodeChunksRowWriter.startLine(base))
            builder.appendUTF8(column: Column.content, maxBytes: Self.maxContentBytes + 16) { w.writeContent(base, to: $0) }
            builder.appendFloat64(column: Column.score, CodeChunksRowWriter.score(base))
            base = base &+ rowStride
        }
    }

    /// Consecutive batches of `batchSize` rows covering `0 ..< totalRows` (the last one may be shorter).
    public static func batchRanges(totalRows: Int, batchSize: Int) -> [Range<Int>] {
        precondition(batchSize > 0)
        return stride(from: 0, to: totalRows, by: batchSize).map { $0 ..< min($0 + batchSize, totalRows) }
    }
}
