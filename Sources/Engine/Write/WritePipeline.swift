import Foundation

/// The encode → write → commit pipeline both writer strategies run.
///
/// The caller (`submit`) splits batches at file row limits and queues them; `encoderCount` worker threads
/// encode them (`BatchEncoder`, pure and thread-safe) into a second bounded queue; one I/O thread (a
/// `DataFileSink`) puts them back in order, holds them until a flush, writes them into the current data file,
/// rolls files at the row/byte limits, commits (each flushed file with `.everyFlush`, the rest at the end) and
/// publishes the summary. Memory in flight is bounded by the queue depths, the encoders' batches and one
/// flush's encoded batches.
///
/// Owned by the caller's thread (`submit`, `finish`, `abort`); the worker threads share only the queues and the
/// `PipelineControl`.
final class WritePipeline {
    /// A batch to encode, numbered in submission order.
    struct Job: Sendable {
        let sequence: Int
        let batch: RecordBatch
    }

    /// An encoded batch, with its submission number.
    struct Encoded: Sendable {
        let sequence: Int
        let batch: EncodedBatch
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
        let control = PipelineControl(queueDepth: depth, encoders: encoderCount, maxAhead: depth + encoderCount)
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

    /// Queues `batch` (split at file row limits), blocking while the queue is full.
    /// - Throws: the first error of a worker thread.
    func submit(_ batch: RecordBatch) throws {
        let limit = max(1, options.maxRowsPerFile)
        var start = 0
        while start < batch.rowCount {
            let n = min(limit - rowsInCurrentFile, batch.rowCount - start)
            let piece = (start == 0 && n == batch.rowCount) ? batch : batch.slice(start..<(start + n))
            rowsInCurrentFile += n
            if rowsInCurrentFile >= limit { rowsInCurrentFile = 0 }
            do {
                try control.jobs.push(Job(sequence: nextSequence, batch: piece))
            } catch {
                throw control.error ?? error
            }
            nextSequence += 1
            start += n
        }
    }

    /// Drains the pipeline and joins the threads (the I/O thread makes the final commit).
    /// - Returns: the summary (rows/raw bytes are the caller's to fill) and the final dataset view.
    func finish() throws -> (WriteSummary, Dataset) {
        control.jobs.close()
        join()
        if let error = control.error { throw error }
        guard let result = control.result else { throw EngineError.closed(what: "write pipeline (no result)") }
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
