import Foundation

/// Reads one data file: opens it, reads and verifies the trailer and footer (checksum, bounds, row
/// ranges), then decodes pages on demand, verifying each page's checksum. Every problem with the bytes
/// throws `EngineError` naming the file and byte offset; nothing read from disk is trusted unchecked.
///
/// Immutable after `init` and thread-safe: pages are read with `pread` and decompressed with pooled
/// contexts, so several threads may read pages of one reader at once.
public final class DataFileReader: Sendable {
    /// The file read.
    public let url: URL
    /// The verified footer (schema, rows, page locations and statistics); cacheable.
    public let footer: DataFileFooter
    /// File size in bytes when opened.
    public let fileBytes: Int
    private let fd: Int32

    /// Opens `url` and reads its footer.
    public convenience init(url: URL) throws {
        try self.init(url: url, footer: nil)
    }

    /// Opens `url` with an already verified footer (e.g. from a metadata cache), or reads it when nil.
    public init(url: URL, footer cached: DataFileFooter?) throws {
        self.url = url
        let path = url.path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT || e == ENOTDIR { throw EngineError.missingFile(path: path) }
            throw EngineError.io(path: path, operation: "open", errno: e)
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw EngineError.io(path: path, operation: "fstat", errno: e)
        }
        self.fd = fd
        fileBytes = Int(st.st_size)
        if let cached {
            footer = cached
        } else {
            do {
                footer = try Self.readFooter(fd: fd, file: path, size: fileBytes)
            } catch {
                close(fd)
                throw error
            }
        }
    }

    deinit { close(fd) }

    public var schema: Schema { footer.schema }
    public var rowCount: Int { footer.rowCount }
    /// Pages per column.
    public var pageCount: Int { footer.pageCount }
    /// Page locations, row ranges and statistics of `column`.
    public func pages(column: Int) -> [PageInfo] { footer.pages[column] }

    /// Decodes page `page` of column `column`.
    public func readPage(column: Int, page: Int) throws -> ColumnData {
        guard column >= 0, column < schema.count, page >= 0, page < pageCount else {
            throw EngineError.invalidArgument(reason: "page \(page) of column \(column) not in \(url.path) (\(schema.count) columns, \(pageCount) pages)")
        }
        let info = footer.pages[column][page]
        let buffer = try readBytes(offset: info.offset, count: info.byteCount)
        defer { buffer.deallocate() }
        return try PageDecoder.decode(UnsafeRawBufferPointer(buffer), type: schema.fields[column].type,
                                      expectedRows: info.rowCount, file: url.path, offset: info.offset,
                                      expectedEncoding: info.statistics.encoding, expectedCompression: info.compression,
                                      statistics: info.statistics)
    }

    /// Page `page` of the given columns (all when nil) as one batch, reading the pages' bytes with one
    /// `pread` when they are adjacent in the file (as `DataFileWriter` writes them).
    public func readBatch(page: Int, columns: [Int]? = nil) throws -> RecordBatch {
        let columnIndexes = columns ?? Array(0..<schema.count)
        guard page >= 0, page < pageCount, columnIndexes.allSatisfy({ $0 >= 0 && $0 < schema.count }) else {
            throw EngineError.invalidArgument(reason: "page \(page) / columns \(columnIndexes) not in \(url.path)")
        }
        let infos = columnIndexes.map { footer.pages[$0][page] }
        let projected = schema.project(columnIndexes)
        guard let start = infos.map(\.offset).min(), let end = infos.map({ $0.offset + $0.byteCount }).max() else {
            return RecordBatch(schema: projected, rowCount: footer.pages.first?[page].rowCount ?? 0, columns: [])
        }
        let needed = infos.reduce(0) { $0 + $1.byteCount }
        var decoded: [ColumnData] = []
        decoded.reserveCapacity(infos.count)
        if end - start <= needed * 2 {
            let buffer = try readBytes(offset: start, count: end - start)
            defer { buffer.deallocate() }
            for (i, info) in infos.enumerated() {
                let slice = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[(info.offset - start) ..< (info.offset - start + info.byteCount)])
                decoded.append(try PageDecoder.decode(slice, type: projected.fields[i].type, expectedRows: info.rowCount,
                                                      file: url.path, offset: info.offset,
                                                      expectedEncoding: info.statistics.encoding,
                                                      expectedCompression: info.compression, statistics: info.statistics))
            }
        } else {
            for c in columnIndexes { decoded.append(try readPage(column: c, page: page)) }
        }
        return RecordBatch(schema: projected, rowCount: infos[0].rowCount, columns: decoded)
    }

    /// Pages `pages` of the given columns, concatenated into one batch.
    public func readColumns(_ columns: [Int], pages: Range<Int>) throws -> RecordBatch {
        let batches = try pages.map { try readBatch(page: $0, columns: columns) }
        return RecordBatch.concatenate(batches, schema: schema.project(columns))
    }

    /// Every row of every column.
    public func readAll() throws -> RecordBatch {
        try readColumns(Array(0..<schema.count), pages: 0..<pageCount)
    }

    // MARK: Raw reads

    /// `count` bytes at `offset` in a fresh buffer (caller deallocates); truncation is an error.
    private func readBytes(offset: Int, count: Int) throws -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        do {
            try readExactly(fd: fd, path: url.path, into: buffer.baseAddress!, count: count, offset: offset)
        } catch {
            buffer.deallocate()
            throw error
        }
        return UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
    }

    private static func readFooter(fd: Int32, file: String, size: Int) throws -> DataFileFooter {
        let headerBytes = DataFileFooter.headerBytes, trailerBytes = DataFileFooter.trailerBytes
        guard size >= headerBytes + trailerBytes else { throw EngineError.truncated(file: file, offset: size) }
        var head = [UInt8](repeating: 0, count: headerBytes)
        try head.withUnsafeMutableBytes { try readExactly(fd: fd, path: file, into: $0.baseAddress!, count: headerBytes, offset: 0) }
        try head.withUnsafeBytes { raw in
            var r = ByteReader(raw, file: file, baseOffset: 0)
            guard try r.u32("file magic") == DataFileFooter.magic else {
                throw EngineError.corrupt(file: file, offset: 0, reason: "not a data file (bad magic)")
            }
            let version = try r.u32("file format version")
            guard version == engineFormatVersion else {
                throw EngineError.corrupt(file: file, offset: 4, reason: "unsupported format version \(version)")
            }
        }
        let trailerAt = size - trailerBytes
        var tail = [UInt8](repeating: 0, count: trailerBytes)
        try tail.withUnsafeMutableBytes { try readExactly(fd: fd, path: file, into: $0.baseAddress!, count: trailerBytes, offset: trailerAt) }
        let (footerLength, checksum) = try tail.withUnsafeBytes { try parseTrailer($0, file: file, at: trailerAt) }
        let footerAt = trailerAt - footerLength
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(footerLength, 1), alignment: 16)
        defer { bytes.deallocate() }
        try readExactly(fd: fd, path: file, into: bytes.baseAddress!, count: footerLength, offset: footerAt)
        let footerBytes = UnsafeRawBufferPointer(start: bytes.baseAddress!, count: footerLength)
        let seed = UInt64(footerLength) << 32 | UInt64(engineFormatVersion)
        guard Checksum.xxh3(footerBytes, seed: seed) == checksum else {
            throw EngineError.corrupt(file: file, offset: footerAt, reason: "footer checksum mismatch")
        }
        return try DataFileFooter.parse(footerBytes, file: file, offset: footerAt,
                                        pagesRegion: DataFileFooter.headerBytes ..< footerAt)
    }

    /// Checks the trailer (docs/FORMAT.md, "Trailer") at file offset `trailerAt`, in the order the format gives.
    /// - Returns: the footer length (at most the bytes between the file header and the trailer) and its checksum.
    private static func parseTrailer(_ raw: UnsafeRawBufferPointer, file: String, at trailerAt: Int) throws -> (Int, UInt64) {
        var r = ByteReader(raw, file: file, baseOffset: trailerAt)
        let footerLength = Int(try r.u32("footer length"))
        let reserved = try r.u32("trailer reserved word")
        let checksum = try r.u64("footer checksum")
        let version = try r.u32("trailer format version")
        let magic = try r.u32("trailer magic")
        let size = trailerAt + DataFileFooter.trailerBytes
        guard magic == DataFileFooter.magic else {
            throw EngineError.corrupt(file: file, offset: size - 4, reason: "no trailer magic at the end of the file (truncated or damaged)")
        }
        guard version == engineFormatVersion else {
            throw EngineError.corrupt(file: file, offset: size - 8, reason: "unsupported format version \(version)")
        }
        guard reserved == 0 else {
            throw EngineError.corrupt(file: file, offset: trailerAt + 4, reason: "trailer reserved word is not zero")
        }
        guard footerLength <= trailerAt - DataFileFooter.headerBytes else {
            throw EngineError.corrupt(file: file, offset: trailerAt, reason: "footer length \(footerLength) exceeds the file")
        }
        return (footerLength, checksum)
    }
}
