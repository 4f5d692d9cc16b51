import Foundation

/// Writes batches into new data files of a dataset, rolling at `maxRowsPerFile` / `maxBytesPerFile`, and
/// returns their `FragmentMetadata` WITHOUT committing: the caller commits them (`.append`, `.overwrite`,
/// `.update(added:)`), possibly together with other writers' fragments (parallel writes, merge-insert).
///
/// Encodes and writes on the calling thread (no pipeline). Not thread-safe; use one per thread or process.
/// Fragments never committed leave unreferenced data files, which readers ignore.
public final class FragmentWriter {
    /// Dataset root directory.
    public let url: URL
    public let schema: Schema
    public let options: WriteOptions
    /// Rows written so far.
    public private(set) var rows = 0
    /// Raw value bytes written so far (WORKLOAD.md "raw value bytes").
    public private(set) var rawBytes = 0
    /// Data file bytes of the finished files so far.
    public private(set) var bytesWritten = 0

    private let encoder = BatchEncoder()
    private let encodingOptions: EncodingOptions
    private var file: DataFileWriter?
    private var fileRelativePath = ""
    private var fragments: [FragmentMetadata] = []
    private var finished = false
    /// Held from the first file to `finish()`/`abandon()` (see `WriterLease`).
    private var lease: WriterLease?

    /// - Parameters:
    ///   - url: dataset root (the `data/` directory is created if missing).
    ///   - schema: schema of every batch (must be the dataset's for the commit to make sense).
    ///   - options: only `compressionLevel`, `maxRowsPerFile` and `maxBytesPerFile` apply.
    public init(at url: URL, schema: Schema, options: WriteOptions = WriteOptions()) {
        self.url = url
        self.schema = schema
        self.options = options
        self.encodingOptions = EncodingOptions(compressionLevel: options.compressionLevel)
    }

    /// A writer for `dataset`'s directory and schema.
    public convenience init(dataset: Dataset, options: WriteOptions = WriteOptions()) {
        self.init(at: dataset.url, schema: dataset.schema, options: options)
    }

    /// Encodes and writes `batch`, splitting it across files at the row limit.
    /// - Throws: `EngineError.schemaMismatch`, `.closed` after `finish()`, I/O errors.
    public func write(_ batch: RecordBatch) throws {
        guard !finished else { throw EngineError.closed(what: "FragmentWriter") }
        guard batch.schema == schema else {
            throw EngineError.schemaMismatch(expected: "\(schema)", found: "\(batch.schema)")
        }
        let limit = max(1, options.maxRowsPerFile)
        var start = 0
        while start < batch.rowCount {
            if let current = file, current.rowCount >= limit || current.bytesWritten >= options.maxBytesPerFile {
                try finishFile()
            }
            if file == nil { try startFile() }
            let n = min(limit - file!.rowCount, batch.rowCount - start)
            let piece = (start == 0 && n == batch.rowCount) ? batch : batch.slice(start..<(start + n))
            try file!.write(encoder.encode(piece, options: encodingOptions))
            start += n
        }
        rows += batch.rowCount
        rawBytes += batch.rawValueBytes
    }

    /// Finishes the open file (fsynced) and returns every fragment written, ids unassigned (0). From here until
    /// the caller commits them, only `Dataset.cleanup`'s minimum age protects the files (the lease ends here).
    public func finish() throws -> [FragmentMetadata] {
        guard !finished else { throw EngineError.closed(what: "FragmentWriter") }
        try finishFile()
        finished = true
        lease?.release()
        return fragments
    }

    /// Deletes the unfinished file, if any (finished files stay until someone removes them).
    public func abandon() {
        file?.abandon()
        file = nil
        finished = true
        lease?.release()
    }

    private func startFile() throws {
        if lease == nil {
            try ensureDirectory(url.path)
            lease = try WriterLease.shared(root: url)
        }
        fileRelativePath = DataFileName.newDataFile()
        let fileURL = url.appendingPathComponent(fileRelativePath)
        try ensureDirectory(fileURL.deletingLastPathComponent().path)
        file = try DataFileWriter(url: fileURL, schema: schema)
    }

    private func finishFile() throws {
        guard let current = file else { return }
        file = nil
        let info = try current.finish()
        bytesWritten += info.byteCount
        fragments.append(FragmentMetadata(dataFile: fileRelativePath, physicalRows: info.rowCount, fileBytes: info.byteCount))
    }
}
