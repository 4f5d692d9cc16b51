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
    public static func encode(_ batch: RecordBatch, options: EncodingOptions = EncodingOptions()) -> EncodedBatch {
        threadLocalEncoder().encode(batch, options: options)
    }

    /// Encodes every column of `batch` into one page each.
    public func encode(_ batch: RecordBatch, options: EncodingOptions = EncodingOptions()) -> EncodedBatch {
        output.reset()
        var timings = EncodeTimings()
        var pages: [EncodedPage] = []
        pages.reserveCapacity(batch.columns.count)
        for (c, column) in batch.columns.enumerated() {
            pages.append(encodePage(column, index: c, options: options, timings: &timings))
        }
        // One copy into a block from BufferPool.shared (capacity rounded to 64 KiB, recycled when the I/O
        // thread has written the batch): the scratch (sized for zstd's worst case) stays warm for the next
        // batch, and no allocation happens per batch in steady state.
        let t0 = threadCPUNanoseconds()
        let storage = output.withUnsafeBytes { ByteBuffer(pooledCopying: $0) }
        timings.compressNanoseconds &+= threadCPUNanoseconds() &- t0
        return EncodedBatch(schema: batch.schema, rowCount: batch.rowCount, pages: pages, storage: storage,
                            rawBytes: batch.rawValueBytes, timings: timings)
    }

    private func encodePage(_ column: ColumnData, index: Int, options: EncodingOptions, timings: inout EncodeTimings) -> EncodedPage {
        let input = PageInput(column)
        let n = input.rows
        let t0 = threadCPUNanoseconds()
        let h = hashes.ensure(max(n, 1))
        var stats = StatisticsCollector.collect(input, hashes: h, sketch: sketch)
        let t1 = threadCPUNanoseconds()
        let encoding = options.forcedEncoding ?? EncodingSelector.select(stats, rows: n)
        stats.encoding = encoding
        body.reset()
        switch encoding {
        case .plain: PlainEncoding.encode(input, into: body)
        case .dictionary: dictionary.encode(input, hashes: h, expectedDistinct: stats.distinctEstimate, into: body)
        case .runLength: runLength.encode(input, hashes: h, into: body)
        }
        if let v = input.validity { body.append(v, (n + 7) / 8) }
        let t2 = threadCPUNanoseconds()
        // Compress straight into the batch's output after room for the header; store the body as it is
        // when compression is off or does not make it smaller.
        var compression = PageCompression.none
        var storedBytes = body.count
        let at = output.count
        let bound = options.compressionLevel != 0 ? ZstdCompressor.bound(body.count) : 0
        var dst = output.reserve(PageHeader.size + max(bound, body.count))
        if options.compressionLevel != 0 && body.count > 0,
           let size = zstd.compress(body.pointer, count: body.count, level: options.compressionLevel,
                                    into: dst + PageHeader.size, capacity: bound),
           size < body.count {
            compression = .zstd
            storedBytes = size
        } else if body.count > 0 {
            memcpy(dst + PageHeader.size, body.pointer, body.count)
        }
        dst = output.pointer + at
        let header = PageHeader(encoding: encoding, compression: compression, hasValidity: input.validity != nil,
                                rows: n, bodyBytes: body.count, storedBytes: storedBytes)
        header.write(to: dst, stored: UnsafeRawPointer(dst + PageHeader.size))
        output.count &+= PageHeader.size + storedBytes
        let t3 = threadCPUNanoseconds()
        timings.statsNanoseconds &+= t1 &- t0
        timings.selectNanoseconds &+= t2 &- t1
        timings.compressNanoseconds &+= t3 &- t2
        return EncodedPage(column: index, rowCount: n, statistics: stats, compression: compression, storageOffset: at,
                           byteCount: PageHeader.size + storedBytes, bodyBytes: body.count)
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
