import Foundation

/// Writes one data file: a header, then the pages of each `EncodedBatch` as they come (one `write` call per
/// batch), then at `finish()` the footer and trailer (docs/FORMAT.md). Not thread-safe: one thread writes
/// (encoding may happen on others). A writer that is dropped without `finish()` leaves an incomplete file
/// that readers reject; `abandon()` deletes it. After `write` or `finish` throws (e.g. the disk is full),
/// the file is unusable: abandon it. `finish(sync: true)` fsyncs the file but not its directory: whoever
/// publishes the file (the manifest commit) must make the directory entry durable.
public final class DataFileWriter {
    /// Where the file is written.
    public let url: URL
    /// Schema every written batch must have.
    public let schema: Schema
    private var fd: Int32
    private var pages: [[PageInfo]]
    /// Bytes written to the file so far (header and pages; footer and trailer after `finish()`).
    public private(set) var bytesWritten = 0
    /// Rows written so far.
    public private(set) var rowCount = 0
    private var finished = false

    /// Creates (or truncates) the file at `url` and writes its header.
    public init(url: URL, schema: Schema) throws {
        self.url = url
        self.schema = schema
        pages = Array(repeating: [], count: schema.count)
        fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT { throw EngineError.missingFile(path: url.deletingLastPathComponent().path) }
            throw EngineError.io(path: url.path, operation: "open", errno: e)
        }
        var header = ByteWriter(reservingCapacity: DataFileFooter.headerBytes)
        header.u32(DataFileFooter.magic)
        header.u32(engineFormatVersion)
        try header.bytes.withUnsafeBytes { try writeAll($0) }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Appends an encoded batch's pages. Its schema must equal the file's.
    public func write(_ encoded: EncodedBatch) throws {
        guard !finished else { throw EngineError.closed(what: "data file writer for \(url.path)") }
        guard encoded.schema == schema else {
            throw EngineError.schemaMismatch(expected: schema.description, found: encoded.schema.description)
        }
        let base = bytesWritten
        try encoded.storage.withUnsafeBytes { try writeAll($0) }
        for page in encoded.pages {
            pages[page.column].append(PageInfo(offset: base + page.storageOffset, byteCount: page.byteCount,
                                               firstRow: rowCount, rowCount: page.rowCount,
                                               compression: page.compression, statistics: page.statistics))
        }
        rowCount += encoded.rowCount
    }

    /// Encodes `batch` on this thread and appends it.
    public func write(_ batch: RecordBatch, options: EncodingOptions = EncodingOptions()) throws {
        try write(BatchEncoder.encode(batch, options: options))
    }

    /// Writes the footer and trailer, optionally fsyncs (default true, so a manifest that names the file
    /// never outlives it across a crash), and closes the file.
    public func finish(sync: Bool = true) throws -> DataFileInfo {
        guard !finished else { throw EngineError.closed(what: "data file writer for \(url.path)") }
        let footer = DataFileFooter(schema: schema, rowCount: rowCount, pages: pages)
        let footerBytes = try footer.serialize()
        assert(footerBytes.count == footer.byteCount, "DataFileFooter.byteCount disagrees with the serialized footer")
        let footerLength = try ByteWriter.fit(footerBytes.count, as: UInt32.self, "footer length of \(url.path)")
        var w = ByteWriter(reservingCapacity: footerBytes.count + DataFileFooter.trailerBytes)
        w.append(footerBytes)
        w.u32(footerLength)
        w.u32(0)
        let seed = UInt64(footerLength) << 32 | UInt64(engineFormatVersion)
        w.u64(footerBytes.withUnsafeBytes { Checksum.xxh3($0, seed: seed) })
        w.u32(engineFormatVersion)
        w.u32(DataFileFooter.magic)
        try w.bytes.withUnsafeBytes { try writeAll($0) }
        if sync && fsync(fd) != 0 { throw EngineError.io(path: url.path, operation: "fsync", errno: errno) }
        finished = true
        let rc = close(fd)
        fd = -1
        if rc != 0 { throw EngineError.io(path: url.path, operation: "close", errno: errno) }
        return DataFileInfo(fileName: url.lastPathComponent, path: url.path, rowCount: rowCount, byteCount: bytesWritten,
                            footer: footer)
    }

    /// Closes and deletes the unfinished file.
    public func abandon() {
        if fd >= 0 { close(fd); fd = -1 }
        finished = true
        unlink(url.path)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.count > 0 { try writeExactly(fd: fd, path: url.path, from: bytes.baseAddress!, count: bytes.count) }
        bytesWritten += bytes.count
    }
}
