#if canImport(Glibc)
import Glibc
#endif

/// Encodes record batches into pages: statistics, encoding selection, zstd compression, checksums.
///
/// An instance owns reusable scratch (hash array, HyperLogLog registers, dictionary hash table, page body
/// and zstd output buffers, one zstd compression context) and is not thread-safe: use one per thread.
/// The static `encode(_:options:)` is pure and thread-safe: it uses a per-thread instance.
public final class BatchEncoder {
    private let sketch = HyperLogLog()
    private let hashes = ScratchArray<UInt64>(capacity: 1 << 14)
    private let dictionary = DictionaryEncoding()
    private let runLength = RunLengthEncoding()
    private let body = ScratchBuffer(capacity: 1 << 20)
    private let output = ScratchBuffer(capacity: 1 << 20)
    private let zstd = ZstdCompressor()

    public init() {}

    /// Encodes `batch` on the calling thread's own encoder (created on first use, freed at thread exit).
    /// Pure and thread-safe.
    /// - Throws: `EngineError.valueOutOfRange` when a page does not fit the format (see the instance method).
    public static func encode(_ batch: RecordBatch, options: EncodingOptions = EncodingOptions()) throws -> EncodedBatch {
        try threadLocalEncoder().encode(batch, options: options)
    }

    /// Encodes every column of `batch` into one page each.
    /// - Throws: `EngineError.valueOutOfRange` when a page does not fit the format: more than 2^24 rows, a body
    ///   or decoded values over 2^30 bytes (docs/FORMAT.md, "Pages"), utf8 bytes beyond the u32 offsets. Checked
    ///   once per page.
    public func encode(_ batch: RecordBatch, options: EncodingOptions = EncodingOptions()) throws -> EncodedBatch {
        output.reset()
        var timings = EncodeTimings()
        var pages: [EncodedPage] = []
        pages.reserveCapacity(batch.columns.count)
        for (c, column) in batch.columns.enumerated() {
            pages.append(try encodePage(column, index: c, name: batch.schema.fields[c].name, options: options, timings: &timings))
        }
        // One copy into a block from BufferPool.shared (capacity rounded to 64 KiB, recycled when the I/O
        // thread has written the batch): the scratch (sized for zstd's worst case) stays warm for the next
        // batch, and no allocation happens per batch in steady state.
        let t0 = EngineClock.threadCPUNanoseconds()
        let storage = output.withUnsafeBytes { ByteBuffer(pooledCopying: $0) }
        timings.compressNanoseconds &+= EngineClock.threadCPUNanoseconds() &- t0
        return EncodedBatch(schema: batch.schema, rowCount: batch.rowCount, pages: pages, storage: storage,
                            rawBytes: batch.rawValueBytes, timings: timings)
    }

    private func encodePage(_ column: ColumnData, index: Int, name: String, options: EncodingOptions,
                            timings: inout EncodeTimings) throws -> EncodedPage {
        let input = PageInput(column)
        let n = input.rows
        let decodedBytes = input.width > 0 ? n &* input.width : (n == 0 ? 0 : Int(input.offsets![n]) &- Int(input.offsets![0]))
        guard decodedBytes <= FormatConstants.maximumDecodedPageBytes else {
            throw EngineError.valueOutOfRange(what: "decoded bytes of a page of column \(name)", value: decodedBytes,
                                              range: 0...FormatConstants.maximumDecodedPageBytes)
        }
        let t0 = EngineClock.threadCPUNanoseconds()
        let h = hashes.ensure(max(n, 1))
        var stats = StatisticsCollector.collect(input, hashes: h, sketch: sketch)
        let t1 = EngineClock.threadCPUNanoseconds()
        let encoding = options.forcedEncoding ?? EncodingSelector.select(stats, rows: n)
        stats.encoding = encoding
        body.reset()
        switch encoding {
        case .plain: try PlainEncoding.encode(input, into: body)
        case .dictionary: try dictionary.encode(input, hashes: h, expectedDistinct: stats.distinctEstimate, into: body)
        case .runLength: try runLength.encode(input, hashes: h, into: body)
        }
        if let v = input.validity { body.append(v, (n + 7) / 8) }
        var header = try PageHeader.checked(encoding: encoding, compression: .none, hasValidity: input.validity != nil,
                                            rows: n, bodyBytes: body.count, storedBytes: body.count, what: "page of column \(name)")
        let t2 = EngineClock.threadCPUNanoseconds()
        // Compress straight into the batch's output after room for the header; store the body as it is
        // when compression is off or does not make it smaller.
        let at = output.count
        let bound = options.compressionLevel != 0 ? ZstdCompressor.bound(body.count) : 0
        var dst = output.reserve(PageHeader.size + max(bound, body.count))
        if options.compressionLevel != 0 && body.count > 0,
           let size = zstd.compress(body.pointer, count: body.count, level: options.compressionLevel,
                                    into: dst + PageHeader.size, capacity: bound),
           size < body.count {
            header.compression = .zstd
            header.storedBytes = size
        } else if body.count > 0 {
            memcpy(dst + PageHeader.size, body.pointer, body.count)
        }
        dst = output.pointer + at
        header.write(to: dst, stored: UnsafeRawPointer(dst + PageHeader.size))
        output.count &+= PageHeader.size + header.storedBytes
        let t3 = EngineClock.threadCPUNanoseconds()
        timings.statsNanoseconds &+= t1 &- t0
        timings.selectNanoseconds &+= t2 &- t1
        timings.compressNanoseconds &+= t3 &- t2
        return EncodedPage(column: index, rowCount: n, statistics: stats, compression: header.compression, storageOffset: at,
                           byteCount: PageHeader.size + header.storedBytes, bodyBytes: body.count)
    }
}

// MARK: Per-thread encoder

private let encoderKey: pthread_key_t = {
    var key = pthread_key_t()
    let rc = pthread_key_create(&key) { pointer in
        if let pointer { Unmanaged<BatchEncoder>.fromOpaque(pointer).release() }
    }
    precondition(rc == 0, "pthread_key_create failed")
    return key
}()

private func threadLocalEncoder() -> BatchEncoder {
    if let p = pthread_getspecific(encoderKey) {
        return Unmanaged<BatchEncoder>.fromOpaque(p).takeUnretainedValue()
    }
    let encoder = BatchEncoder()
    pthread_setspecific(encoderKey, Unmanaged.passRetained(encoder).toOpaque())
    return encoder
}
