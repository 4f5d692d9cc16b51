/// Reusable Arrow-layout buffers holding a range of `code_chunks` rows, filled by `CodeChunksKernel`.
///
/// Capacity is fixed at creation (`capacityRows`); `fill(rows:)` overwrites the previous contents
/// without allocating. String offsets start at 0 for the first held row.
public final class CodeChunksColumns {
    /// Rows the buffers can hold.
    public let capacityRows: Int
    /// First row held (its `id`).
    public private(set) var firstRow = 0
    /// Rows held.
    public private(set) var rowCount = 0
    /// Value bytes of the string columns held.
    public private(set) var stringBytes = CodeChunksKernel.StringBytes()

    public let id: UnsafeMutablePointer<Int64>
    public let filePathOffsets: UnsafeMutablePointer<Int32>
    public let filePathBytes: UnsafeMutableRawPointer
    public let languageOffsets: UnsafeMutablePointer<Int32>
    public let languageBytes: UnsafeMutableRawPointer
    public let startLine: UnsafeMutablePointer<Int32>
    public let contentOffsets: UnsafeMutablePointer<Int32>
    public let contentBytes: UnsafeMutableRawPointer
    public let score: UnsafeMutablePointer<Double>

    public init(capacityRows: Int) {
        precondition(capacityRows >= 0)
        self.capacityRows = capacityRows
        let n = capacityRows
        let slack = CodeChunksKernel.slackBytes
        id = .allocate(capacity: max(n, 1))
        startLine = .allocate(capacity: max(n, 1))
        score = .allocate(capacity: max(n, 1))
        filePathOffsets = .allocate(capacity: n + 1)
        languageOffsets = .allocate(capacity: n + 1)
        contentOffsets = .allocate(capacity: n + 1)
        filePathOffsets[0] = 0
        languageOffsets[0] = 0
        contentOffsets[0] = 0
        filePathBytes = .allocate(byteCount: n * CodeChunksKernel.maxFilePathBytes + slack, alignment: 16)
        languageBytes = .allocate(byteCount: n * CodeChunksKernel.maxLanguageBytes + slack, alignment: 16)
        contentBytes = .allocate(byteCount: n * CodeChunksKernel.maxContentBytes + slack, alignment: 16)
    }

    deinit {
        id.deallocate()
        startLine.deallocate()
        score.deallocate()
        filePathOffsets.deallocate()
        languageOffsets.deallocate()
        contentOffsets.deallocate()
        filePathBytes.deallocate()
        languageBytes.deallocate()
        contentBytes.deallocate()
    }

    /// The kernel's destination for these buffers, positioned at row 0.
    public var destination: CodeChunksDestination {
        CodeChunksDestination(id: id, filePathOffsets: filePathOffsets, filePathBytes: filePathBytes,
                              languageOffsets: languageOffsets, languageBytes: languageBytes,
                              startLine: startLine, contentOffsets: contentOffsets, contentBytes: contentBytes,
                              score: score)
    }

    /// Replaces the contents with rows `rows` (at most `capacityRows` of them).
    public func fill(rows: Range<Int>) {
        precondition(rows.count <= capacityRows && rows.lowerBound >= 0, "fill(rows:) beyond capacity")
        stringBytes = CodeChunksKernel.generate(rows: rows, into: destination)
        firstRow = rows.lowerBound
        rowCount = rows.count
    }

    /// Raw value bytes (WORKLOAD.md §5) of the rows held.
    public var rawValueBytes: Int { stringBytes.rawValueBytes(rows: rowCount) }

    /// UTF-8 bytes of row `row` (0-based within the held rows) of a string column.
    public func bytes(_ column: StringColumn, row: Int) -> UnsafeRawBufferPointer {
        precondition(row >= 0 && row < rowCount)
        let (offsets, base): (UnsafeMutablePointer<Int32>, UnsafeMutableRawPointer)
        switch column {
        case .filePath: (offsets, base) = (filePathOffsets, filePathBytes)
        case .language: (offsets, base) = (languageOffsets, languageBytes)
        case .content: (offsets, base) = (contentOffsets, contentBytes)
        }
        let start = Int(offsets[row])
        return UnsafeRawBufferPointer(start: base + start, count: Int(offsets[row + 1]) - start)
    }

    /// Value of row `row` of a string column, as a String (for tests and diagnostics, not the hot path).
    public func string(_ column: StringColumn, row: Int) -> String {
        String(decoding: bytes(column, row: row), as: UTF8.self)
    }

    /// The string columns of `code_chunks`.
    public enum StringColumn: Sendable { case filePath, language, content }
}
