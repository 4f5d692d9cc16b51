import Foundation

/// The encode → write → commit pipeline both writer strategies run.
///
/// The caller (`submit`) splits batches at file row limits and queues them; `encoderCount` worker threads
/// encode them (`BatchEncoder`, pure and thread-safe) into a second bounded queue; one I/O thread (a
/// `DataFileSink`) puts them back in order, holds them until a flush, writes them into the current data file,
/// rolls files at the row/byte limits, commits (each flushed file with `.everyFlush`, the rest at the end) and
/// publishes the summary. Memory in flight is bounded by the queue depths, the encoders' batches and one
/// flush's encoded batches, and with `memoryBudgetBytes` by a `ByteBudget` (pieces are reserved before they are
/// queued and released once written).
///
/// Owned by the caller's thread (`submit`, `finish`, `abort`); the worker threads share only the queues and the
/// `PipelineControl`.
final class WritePipeline {
    /// A batch to encode, numbered in submission order.
    struct Job: Sendable {
        let sequence: Int
        let batch: RecordBatch
        /// Bytes reserved in the budget for this piece (raw + encoded bound; 0 without a budget).
        let reservedBytes: Int
    }

    /// An encoded batch, with its submission number.
    struct Encoded: Sendable {
        let sequence: Int
        let batch: EncodedBatch
        /// Bytes charged to the budget until the batch is written (its storage capacity; 0 without a budget).
        let chargedBytes: Int
    }

    private let options: WriteOptions
    private let control: PipelineControl
    private var encoders: [WorkerThread] = []
    private var io: WorkerThread?
    private var nextSequence = 0
    private var rowsInCurrentFile = 0

    /// - Parameters:
    ///   - dataset: the version the first commit builds on.
    ///   - firstCommitOverwrites: the first commit replaces the dataset's fragments (mode `.overwrite`).
    init(dataset: Dataset, schema: Schema, options: WriteOptions, firstCommitOverwrites: Bool,
         phases: PhaseReporter, startNanoseconds: UInt64) {
        self.options = options
        let depth = max(1, options.queueDepth)
        let encoderCount = options.encoderThreads > 0 ? options.encoderThreads : max(1, ProcessInfo.processInfo.activeProcessorCount)
        let budget = options.memoryBudgetBytes > 0 ? ByteBudget(limitBytes: options.memoryBudgetBytes) : nil
        let control = PipelineControl(queueDepth: depth, encoders: encoderCount, maxAhead: depth + encoderCount, budget: budget)
        self.control = control
        let encodingOptions = EncodingOptions(compressionLevel: options.compressionLevel)
        for i in 0..<encoderCount {
            encoders.append(WorkerThread(name: "hw-encode-\(i)") { control.encodeLoop(options: encodingOptions) })
        }
        let configuration = DataFileSink.Configuration(
            dataset: dataset, schema: schema, options: options, firstCommitOverwrites: firstCommitOverwrites,
            phases: phases, startNanoseconds: startNanoseconds)
        io = WorkerThread(name: "hw-write") { DataFileSink(configuration).run(control) }
    }

    /// Queues `batch` (split at file row limits, and at the byte budget and file byte limit into pieces),
    /// blocking while the queue or the budget is full; a batch split for the budget is waited for until every
    /// piece is encoded.
    /// - Throws: the first error of a worker thread.
    func submit(_ batch: RecordBatch) throws {
        let limit = max(1, options.maxRowsPerFile)
        let bounds = BatchByteBounds(batch: batch)
        let budget = control.budget
        // Pages stay within the format's limits (rows, decoded bytes) whatever the budget.
        let maxReservation = min(budget.map { max(1, $0.limitBytes / 4) } ?? Int.max, FormatConstants.maximumDecodedPageBytes)
        let maxEncoded = max(1, options.maxBytesPerFile - DataFileFooter.headerBytes)
        var start = 0
        var pieces = 0
        while start < batch.rowCount {
            let rowLimit = start + min(limit - rowsInCurrentFile, batch.rowCount - start, FormatConstants.maximumPageRows)
            let end = bounds.pieceEnd(from: start, limit: rowLimit, maxReservation: maxReservation, maxEncoded: maxEncoded)
            let n = end - start
            let piece = (start == 0 && n == batch.rowCount) ? batch : batch.slice(start..<end)
            rowsInCurrentFile += n
            if rowsInCurrentFile >= limit { rowsInCurrentFile = 0 }
            let reserved = budget == nil ? 0 : bounds.reservation(start, end)
            do {
                try budget?.acquire(reserved)
                try control.jobs.push(Job(sequence: nextSequence, batch: piece, reservedBytes: reserved))
            } catch {
                throw control.error ?? error
            }
            nextSequence += 1
            pieces += 1
            start = end
        }
        if pieces > 1 && budget != nil {
            do { try control.waitUntilEncoded(jobs: nextSequence) } catch { throw control.error ?? error }
        }
    }

    /// Drains the pipeline and joins the threads (the I/O thread makes the final commit).
    /// - Returns: the summary (rows/raw bytes are the caller's to fill) and the final dataset view.
    func finish() throws -> (WriteSummary, Dataset) {
        control.jobs.close()
        join()
        if let error = control.error { throw error }
        guard var result = control.result else { throw EngineError.closed(what: "write pipeline (no result)") }
        if let budget = control.budget {
            result.0.inFlightHighWaterBytes = budget.highWaterBytes
            result.0.budgetOvershoots = budget.overshootCount
        }
        return result
    }

    /// Stops the workers after an error on the caller's side (the I/O thread abandons its unfinished file).
    func abort(_ error: Error) {
        control.record(error)
        join()
    }

    private func join() {
        for e in encoders { e.join() }
        io?.join()
    }
}
