import Foundation
import RunContract
import Engine

/// Note 003: write `code_chunks` rows with the `accumulate` strategy (hold every batch until close, the note's
/// ~1.2 GB at 6M rows) or `streaming` (encode and write as batches arrive, ~12 MB), at a batch size, flush
/// frequency, queue depth, zstd level, file size and commit mode.
///
/// With `pregenerate=false` the batches are generated inside the measured region, one at a time, as the
/// note's pipeline does; with `true` they are generated in `prepare` and held (so the baseline RSS includes
/// them) and the measured region is write-only.
public struct WriteWorkload: Workload {
    public static let name = "write"
    public static let summary = "Write code_chunks rows, accumulate vs streaming (note 003)"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("strategy", .choice(["accumulate", "streaming"]), default: "streaming",
                      help: "hold every batch until close, or encode and write as batches arrive"),
        ParameterSpec("rows", .int, unit: "rows", default: "1M", range: 1...1e10, help: "rows written"),
        ParameterSpec("batch_size", .int, unit: "rows", default: "10000", range: 1...1e8, help: "rows per batch"),
        ParameterSpec("flush_every", .int, unit: "batches", default: "1", range: 1...1e9,
                      help: "batches per flush (streaming writes the encoded batches at each flush)"),
        ParameterSpec("queue_depth", .int, unit: "batches", default: "4", range: 1...65_536,
                      help: "batches each bounded queue of the streaming pipeline holds"),
        ParameterSpec("compression_level", .int, default: "1", range: 0...22, help: "zstd level of page compression, 0 = off"),
        ParameterSpec("max_rows_per_file", .int, unit: "rows", default: "1048576", range: 1...1e12,
                      help: "a data file ends once it holds this many rows"),
        ParameterSpec("memory_budget_mb", .int, unit: "MiB", default: "64", range: 0...1e6,
                      help: "bytes the streaming pipeline holds in flight, MiB (0 = bounded by queue_depth batches only)"),
        ParameterSpec("max_mb_per_file", .int, unit: "MiB", default: "92160", range: 1...1e9,
                      help: "a data file's pages stay within this many MiB (batches are split to fit)"),
        ParameterSpec("commit", .choice(["once", "every_flush"]), default: "once",
                      help: "one commit at close, or one version per flush"),
        ParameterSpec("pregenerate", .bool, default: "false",
                      help: "generate every batch before the measured region (write-only throughput)"),
    ]

    let options: WriteOptions
    let rows: Int
    let batchSize: Int
    let pregenerate: Bool
    private var pregenerated: [RecordBatch] = []

    public init(parameters: ParameterValues) throws {
        rows = parameters.int("rows")
        batchSize = parameters.int("batch_size")
        pregenerate = parameters.bool("pregenerate")
        options = WriteOptions(strategy: parameters.string("strategy") == "accumulate" ? .accumulate : .streaming,
                               flushEveryBatches: parameters.int("flush_every"),
                               queueDepth: parameters.int("queue_depth"),
                               compressionLevel: parameters.int("compression_level"),
                               maxRowsPerFile: parameters.int("max_rows_per_file"),
                               maxBytesPerFile: parameters.int("max_mb_per_file") << 20,
                               memoryBudgetBytes: parameters.int("memory_budget_mb") << 20,
                               commitMode: parameters.string("commit") == "every_flush" ? .everyFlush : .once)
    }

    public mutating func prepare(_ context: RunContext) throws {
        guard pregenerate else { return }
        let generator = CodeChunksGenerator(batchCapacityRows: batchSize)
        pregenerated = CodeChunksGenerator.batchRanges(totalRows: rows, batchSize: batchSize).map { generator.batch(rows: $0) }
    }

    public mutating func run(_ context: RunContext) throws {
        let start = Clock.nowNs()
        // The writer reports phases from its worker threads through the context's thread-safe recorder.
        let recorder = context.phaseRecorder
        let mark: @Sendable (String) -> Void = { name in recorder.mark(name) }
        mark(pregenerate ? "write" : "generate")
        var options = self.options
        options.onPhase = mark
        let datasetURL = context.workDirectory.appendingPathComponent("code_chunks", isDirectory: true)
        let writer = try DatasetWriter(at: datasetURL, schema: CodeChunksGenerator.schema, options: options)
        let writerCreated = Clock.nowNs()
        let liveness = BatchLiveness()
        var generateNs: UInt64 = 0
        if pregenerate {
            let batches = pregenerated
            pregenerated = []  // the writer (and `batches`) now hold them
            for batch in batches { try writer.write(batch) }
        } else {
            let generator = CodeChunksGenerator(batchCapacityRows: batchSize)
            for range in CodeChunksGenerator.batchRanges(totalRows: rows, batchSize: batchSize) {
                let g0 = Clock.nowNs()
                let batch = generator.batch(rows: range)
                generateNs &+= Clock.nowNs() &- g0
                try writer.write(batch)
                liveness.track(batch)
            }
            liveness.sample()
        }
        let summary = try writer.close()

        context.rows = summary.rows
        context.inputBytes = summary.rawBytes
        context.bytesWritten = summary.bytesWritten
        context.files = summary.files
        context.versions = summary.versions
        context.compressionRatio = summary.compressionRatio
        if let first = summary.firstWriteNanoseconds {
            context.firstWriteMs = Double(writerCreated &- start &+ first) / 1e6
        }
        for ns in summary.batchLatenciesNanoseconds { context.recordBatchLatency(nanoseconds: ns) }
        context.setMetric("encode_stats_ms", Double(summary.encodeStatsNanoseconds) / 1e6)
        context.setMetric("encode_select_ms", Double(summary.encodeSelectNanoseconds) / 1e6)
        context.setMetric("encode_compress_ms", Double(summary.encodeCompressNanoseconds) / 1e6)
        context.setMetric("commit_retries", Double(summary.commitRetries))
        context.setMetric("flushes", Double(summary.flushes))
        context.setMetric("in_flight_peak_mb", Double(summary.inFlightHighWaterBytes) / 1e6)
        if !pregenerate {
            context.setMetric("generate_ms", Double(generateNs) / 1e6)
            // Raw batches still alive after write() returned: all of them for accumulate, O(queue depth) for streaming.
            context.setMetric("batches_held_peak", Double(liveness.peakBatches))
            context.setMetric("batch_mb_held_peak", Double(liveness.peakBytes) / 1e6)
        }
    }
}
