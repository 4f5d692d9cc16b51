import Foundation

/// Writes batches into a dataset with one of two strategies (seed note 003) and commits them.
///
/// ```swift
/// let writer = try DatasetWriter(at: url, schema: schema, options: WriteOptions(strategy: .streaming))
/// for batch in batches { try writer.write(batch) }
/// let summary = try writer.close()
/// ```
/// Not thread-safe: one thread calls `write` and `close` (the writer runs its own worker threads).
/// Errors of the worker threads surface in the next `write` or in `close`.
public final class DatasetWriter {
    /// Dataset root directory.
    public let url: URL
    public let schema: Schema
    public let options: WriteOptions
    /// The version after `close()` (nil before).
    public private(set) var dataset: Dataset?

    private enum Backend {
        case streaming(StreamingWriter)
        case accumulate(AccumulatingWriter)
    }

    private let backend: Backend
    private let phases: PhaseReporter
    private let startNanoseconds: UInt64
    private var rows = 0
    private var rawBytes = 0
    private var latencies: [UInt64] = []
    private var closed = false
    private var failed: Error?
    /// Held until `close()` (see `WriterLease`), so `Dataset.cleanup` never removes this writer's files.
    private let lease: WriterLease

    /// Opens (or creates) the dataset at `url` for writing; streaming starts its worker threads now.
    /// - Parameters:
    ///   - url: dataset root directory.
    ///   - schema: schema of every batch written.
    ///   - options: strategy, flushing, queueing, file limits, commit mode (see `WriteOptions`).
    ///   - session: session whose metadata cache the dataset views use.
    /// - Throws: `EngineError.alreadyExists` if `options.mode` is `.create` and a dataset exists;
    ///   `.schemaMismatch` when appending to a dataset of another schema.
    public init(at url: URL, schema: Schema, options: WriteOptions = WriteOptions(), session: Session? = nil) throws {
        let start = EngineClock.monotonicNanoseconds()
        self.url = url
        self.schema = schema
        self.options = options
        self.startNanoseconds = start
        let phases = PhaseReporter(options.onPhase)
        self.phases = phases
        var created: Dataset?
        if !Dataset.exists(at: url) {
            do {
                created = try Dataset.create(at: url, schema: schema, session: session)
            } catch EngineError.alreadyExists(let path) {
                // Another writer created it between our check and our create: use theirs (unless asked to create).
                if options.mode == .create { throw EngineError.alreadyExists(path: path) }
            }
        } else if options.mode == .create {
            throw EngineError.alreadyExists(path: url.path)
        }
        let base: Dataset
        if let created {
            base = created
        } else {
            base = try Dataset.open(at: url, session: session)
            if options.mode == .append && base.schema != schema {
                throw EngineError.schemaMismatch(expected: "\(base.schema)", found: "\(schema)")
            }
        }
        lease = try WriterLease.shared(root: url)
        let overwrite = options.mode == .overwrite && base.version > 1
        let make = { WritePipeline(dataset: base, schema: schema, options: options, firstCommitOverwrites: overwrite,
                                   phases: phases, startNanoseconds: start) }
        switch options.strategy {
        case .streaming: backend = .streaming(StreamingWriter(pipeline: make()))
        case .accumulate: backend = .accumulate(AccumulatingWriter(makePipeline: make))
        }
    }

    /// Adds `batch` (its schema must be the writer's). Streaming: returns once the batch is queued for
    /// encoding, blocking while the queue is full. Accumulate: holds it until `close()`.
    /// - Throws: `EngineError.schemaMismatch` for a batch of another schema, `.closed` after `close()`; the first
    ///   error of a worker thread (the writer is then unusable).
    public func write(_ batch: RecordBatch) throws {
        if let failed { throw failed }
        guard !closed else { throw EngineError.closed(what: "DatasetWriter") }
        guard batch.schema == schema else {
            throw EngineError.schemaMismatch(expected: "\(schema)", found: "\(batch.schema)")
        }
        let t0 = EngineClock.monotonicNanoseconds()
        switch backend {
        case .streaming(let w):
            do { try w.write(batch) } catch { failed = error; throw error }
        case .accumulate(let w):
            w.write(batch)
        }
        rows += batch.rowCount
        rawBytes += batch.rawValueBytes
        latencies.append(EngineClock.monotonicNanoseconds() &- t0)
    }

    /// Writes what is pending, commits (`.once`) and stops the worker threads.
    /// - Returns: what was written.
    /// - Throws: the first error of any stage; nothing is committed by a failed `close()` in `.once` mode.
    public func close() throws -> WriteSummary {
        guard !closed else { throw EngineError.closed(what: "DatasetWriter") }
        closed = true
        // Blocks the pipeline recycled are not needed once it has drained.
        defer {
            BufferPool.shared.trim()
            lease.release()
        }
        phases.enter("close")
        var result: (WriteSummary, Dataset)
        switch backend {
        case .streaming(let w):
            if let failed {
                w.abort(failed)
                throw failed
            }
            result = try w.close()
        case .accumulate(let w):
            result = try w.close()
        }
        var summary = result.0
        dataset = result.1
        summary.rows = rows
        summary.rawBytes = rawBytes
        summary.batchLatenciesNanoseconds = latencies
        summary.totalNanoseconds = EngineClock.monotonicNanoseconds() &- startNanoseconds
        return summary
    }

    deinit {
        // A writer dropped without close() must not leave threads blocked on its queues.
        if !closed, case .streaming(let w) = backend {
            w.abort(EngineError.closed(what: "DatasetWriter (dropped without close())"))
        }
    }
}
